// Python's builtins, str/list/dict methods, torch's tensor functions and tensor methods.
#include "core/statements/interpreter.h"
#include "core/statements/budget.h"

#include "core/attributevalue.h"
#include "core/formatting.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/runtime.h"
#include "core/statements/tensorops.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

namespace mx::stmt {

namespace {


bool isIntLike(const Value& v) { return v.kind == Value::Kind::Bool || v.kind == Value::Kind::Int; }
bool isNumber(const Value& v) { return isIntLike(v) || v.kind == Value::Kind::Float; }
int64_t intOf(const Value& v) { return v.kind == Value::Kind::Int ? v.i : (v.b ? 1 : 0); }
double floatOf(const Value& v) { return v.kind == Value::Kind::Float ? v.f : static_cast<double>(intOf(v)); }

void noKeywords(const std::string& fn, const Args& args)
{
    if (!args.keywords.empty())
        typeError(fn + "() takes no keyword arguments");
}

void exactlyOne(const std::string& fn, const Args& args)
{
    noKeywords(fn, args);
    if (args.positional.size() != 1)
        typeError(fn + "() takes exactly one argument (" + std::to_string(args.positional.size()) +
                  " given)");
}

ValuePtr keywordOr(const Args& args, const std::string& name, ValuePtr fallback)
{
    for (const auto& [k, v] : args.keywords)
        if (k == name)
            return v;
    return fallback;
}

std::string strip(const std::string& s)
{
    const size_t b = s.find_first_not_of(" \t\n\r\f\v");
    if (b == std::string::npos)
        return {};
    const size_t e = s.find_last_not_of(" \t\n\r\f\v");
    return s.substr(b, e - b + 1);
}

// int(str): optional sign, digits with single underscores between them.
bool parseInt(const std::string& text, int64_t& out)
{
    std::string s = strip(text);
    if (s.empty())
        return false;
    bool negative = false;
    size_t i = 0;
    if (s[0] == '+' || s[0] == '-') {
        negative = s[0] == '-';
        ++i;
    }
    std::string digits;
    bool lastUnderscore = true;
    for (; i < s.size(); ++i) {
        if (std::isdigit(static_cast<unsigned char>(s[i]))) {
            digits += s[i];
            lastUnderscore = false;
        } else if (s[i] == '_' && !lastUnderscore) {
            lastUnderscore = true;
        } else {
            return false;
        }
    }
    if (digits.empty() || lastUnderscore)
        return false;
    errno = 0;
    const unsigned long long v = std::strtoull(digits.c_str(), nullptr, 10);
    if (errno == ERANGE || v > static_cast<unsigned long long>(INT64_MAX) + (negative ? 1 : 0))
        unsupported("integers beyond 64 bits");
    out = negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
    return true;
}

bool parseFloat(const std::string& text, double& out)
{
    std::string s = strip(text);
    std::string lower = s;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    std::string body = lower;
    double sign = 1;
    if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
        sign = body[0] == '-' ? -1 : 1;
        body = body.substr(1);
    }
    if (body == "inf" || body == "infinity") {
        out = sign * HUGE_VAL;
        return true;
    }
    if (body == "nan") {
        out = std::nan("");
        return true;
    }
    std::string clean;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '_') {
            if (i == 0 || i + 1 >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i - 1])) ||
                !std::isdigit(static_cast<unsigned char>(s[i + 1])))
                return false;
            continue;
        }
        if (!(std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.' || s[i] == 'e' ||
              s[i] == 'E' || s[i] == '+' || s[i] == '-'))
            return false;
        clean += s[i];
    }
    if (clean.empty())
        return false;
    char* end = nullptr;
    out = std::strtod(clean.c_str(), &end);
    return end && *end == 0;
}


// The type names torch's argument parser prints in "got (...)".
std::string parserTypeName(const Value& v)
{
    switch (v.kind) {
    case Value::Kind::Tensor: return v.isParameter ? "Parameter" : "Tensor";
    case Value::Kind::Size: return "torch.Size";
    case Value::Kind::Dtype: return "torch.dtype";
    case Value::Kind::Device: return "torch.device";
    default: return typeShortName(v);
    }
}

const std::map<std::string, std::vector<std::string>>& overloads()
{
    const std::string tail = "torch.dtype dtype, torch.layout layout, torch.device device, bool pin_memory, bool requires_grad)";
    static const std::map<std::string, std::vector<std::string>> table{
        {"randn",
         {"(tuple of ints size, *, torch.Generator generator, tuple of names names, " + tail,
          "(tuple of ints size, *, torch.Generator generator, Tensor out, " + tail,
          "(tuple of ints size, *, Tensor out, " + tail,
          "(tuple of ints size, *, tuple of names names, " + tail}},
        {"rand",
         {"(tuple of ints size, *, torch.Generator generator, tuple of names names, " + tail,
          "(tuple of ints size, *, torch.Generator generator, Tensor out, " + tail,
          "(tuple of ints size, *, Tensor out, " + tail,
          "(tuple of ints size, *, tuple of names names, " + tail}},
        {"zeros",
         {"(tuple of ints size, *, tuple of names names, " + tail,
          "(tuple of SymInts size, *, Tensor out, " + tail}},
        {"ones",
         {"(tuple of ints size, *, tuple of names names, " + tail,
          "(tuple of SymInts size, *, Tensor out, " + tail}},
        {"full",
         {"(tuple of ints size, Number fill_value, *, tuple of names names, " + tail,
          "(tuple of SymInts size, Number fill_value, *, Tensor out, " + tail}},
        {"arange",
         {"(Number end, *, Tensor out, " + tail, "(Number start, Number end, *, " + tail,
          "(Number start, Number end, Number step, *, Tensor out, " + tail}},
        {"randint",
         {"(int high, tuple of ints size, *, torch.Generator generator, Tensor out, " + tail,
          "(int high, tuple of ints size, *, Tensor out, " + tail,
          "(int low, int high, tuple of ints size, *, torch.Generator generator, Tensor out, " + tail,
          "(int low, int high, tuple of ints size, *, Tensor out, " + tail}},
    };
    return table;
}

}  // namespace

void invalidCombination(const std::string& fn, const Args& args)
{
    std::string got;
    for (const ValuePtr& v : args.positional)
        got += (got.empty() ? "" : ", ") + parserTypeName(*v);
    for (const auto& [k, v] : args.keywords)
        got += (got.empty() ? "" : ", ") + k + "=" + parserTypeName(*v);
    std::string message = fn + "() received an invalid combination of arguments - got (" + got +
                          "), but expected one of:";
    for (const std::string& o : overloads().at(fn))
        message += "\n * " + o;
    typeError(message);
}

FactoryOptions factoryOptions(const std::string& fn, const Args& args, bool generator,
                              const std::set<std::string>& consumed)
{
    FactoryOptions o;
    for (const auto& [k, v] : args.keywords) {
        if (consumed.count(k))
            continue;
        if (k == "dtype") {
            if (v->kind == Value::Kind::Dtype)
                o.dtype = v->s;
            else if (v->kind != Value::Kind::None)
                invalidCombination(fn, args);
        } else if (k == "requires_grad") {
            if (v->kind != Value::Kind::Bool)
                invalidCombination(fn, args);
            o.requiresGrad = v->b;
        } else if (k == "device") {
            const bool cpu = v->kind == Value::Kind::None ||
                             ((v->kind == Value::Kind::Str || v->kind == Value::Kind::Device) && v->s == "cpu");
            if (!cpu) {
                if (v->kind != Value::Kind::Str && v->kind != Value::Kind::Device)
                    invalidCombination(fn, args);
                unsupported("creating tensors on device '" + v->s + "'");
            }
        } else if (k == "generator" && generator) {
            if (v->kind != Value::Kind::None)
                unsupported("generator= arguments");
        } else if (k == "layout" || k == "pin_memory" || k == "names" || k == "out") {
            if (v->kind != Value::Kind::None && !(k == "pin_memory" && v->kind == Value::Kind::Bool && !v->b))
                unsupported("the " + k + "= argument of torch." + fn + "()");
        } else {
            invalidCombination(fn, args);
        }
    }
    return o;
}

namespace {

// A size given as ints or one sequence, as torch's parser reads `*size`.
std::vector<int64_t> sizeArgument(const std::string& fn, const std::vector<ValuePtr>& values,
                                  const std::string& intsName, bool varargs)
{
    std::vector<ValuePtr> items = values;
    if (values.size() == 1 && (values[0]->kind == Value::Kind::Tuple ||
                               values[0]->kind == Value::Kind::List ||
                               values[0]->kind == Value::Kind::Size)) {
        items.clear();
        if (values[0]->kind == Value::Kind::Size)
            for (int64_t d : values[0]->dims)
                items.push_back(integer(d));
        else
            items = values[0]->items;
    } else if (values.size() == 1 && values[0]->kind != Value::Kind::Int) {
        typeError(fn + "(): argument 'size' (position 1) must be " + intsName + ", not " +
                  parserTypeName(*values[0]));
    } else if (!varargs) {
        typeError(fn + "(): argument 'size' (position 1) must be " + intsName + ", not " +
                  parserTypeName(*values[0]));
    }
    std::vector<int64_t> dims;
    for (size_t k = 0; k < items.size(); ++k) {
        if (items[k]->kind != Value::Kind::Int)
            typeError(fn + "(): argument 'size' must be " + intsName +
                      ", but found element of type " + parserTypeName(*items[k]) + " at pos " +
                      std::to_string(k + 1));
        dims.push_back(items[k]->i);
    }
    return dims;
}

tensors::Scalar numberArgument(const std::string& fn, const ValuePtr& v, const std::string& name,
                               int position)
{
    if (v->kind == Value::Kind::Bool)
        return tensors::Scalar::boolean(v->b);
    if (v->kind == Value::Kind::Int)
        return tensors::Scalar::integer(v->i);
    if (v->kind == Value::Kind::Float)
        return tensors::Scalar::floating(v->f);
    typeError(fn + "(): argument '" + name + "' (position " + std::to_string(position) +
              ") must be Number, not " + parserTypeName(*v));
}

// torch.tensor(data): walks nested sequences like torch's compute_sizes / recursive_store.
void collectData(const ValuePtr& v, size_t dim, std::vector<int64_t>& shape,
                 std::vector<tensors::Scalar>& out, Interpreter& in)
{
    const bool sequence = v->kind == Value::Kind::List || v->kind == Value::Kind::Tuple ||
                          v->kind == Value::Kind::Size;
    if (dim == shape.size()) {
        if (sequence)
            unsupported("ragged nested sequences in torch.tensor()");
        switch (v->kind) {
        case Value::Kind::Bool: out.push_back(tensors::Scalar::boolean(v->b)); return;
        case Value::Kind::Int: out.push_back(tensors::Scalar::integer(v->i)); return;
        case Value::Kind::Float: out.push_back(tensors::Scalar::floating(v->f)); return;
        case Value::Kind::Tensor: unsupported("tensors inside torch.tensor() data");
        default: typeError("new(): invalid data type '" + typeShortName(*v) + "'");
        }
    }
    if (!sequence)
        typeError("not a sequence");
    const std::vector<ValuePtr> items = in.toVector(v);
    if (static_cast<int64_t>(items.size()) != shape[dim])
        throw PythonError("ValueError", "expected sequence of length " + std::to_string(shape[dim]) +
                                            " at dim " + std::to_string(dim) + " (got " +
                                            std::to_string(items.size()) + ")");
    for (const ValuePtr& item : items)
        collectData(item, dim + 1, shape, out, in);
}

std::vector<ValuePtr> nestedList(const std::vector<tensors::Scalar>& values,
                                 const std::vector<int64_t>& shape, size_t dim, size_t& pos)
{
    std::vector<ValuePtr> out;
    for (int64_t k = 0; k < shape[dim]; ++k) {
        if (dim + 1 == shape.size())
            out.push_back(scalarValue(values[pos++]));
        else
            out.push_back(listValue(nestedList(values, shape, dim + 1, pos)));
    }
    return out;
}

std::vector<std::string> typeChain(const Value& v)
{
    switch (v.kind) {
    case Value::Kind::Bool: return {"bool", "int"};
    case Value::Kind::Tensor:
        return v.isParameter ? std::vector<std::string>{"torch.nn.parameter.Parameter", "torch.Tensor"}
                             : std::vector<std::string>{"torch.Tensor"};
    case Value::Kind::Size: return {"torch.Size", "tuple"};
    case Value::Kind::Dict:
        return v.ordered ? std::vector<std::string>{"collections.OrderedDict", "dict"}
                         : std::vector<std::string>{"dict"};
    case Value::Kind::Module:
        return {typeQualName(v), "torch.nn.modules.module.Module"};
    default: return {typeQualName(v)};
    }
}

std::string upperAscii(std::string s)
{
    for (char& c : s)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 32);
    return s;
}

std::string lowerAscii(std::string s)
{
    for (char& c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c + 32);
    return s;
}

std::vector<std::string> codePointStrings(const std::string& s)
{
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        const size_t start = i;
        decodeUtf8(s, i);
        out.push_back(s.substr(start, i - start));
    }
    return out;
}

bool isSpace(const std::string& cp) { return cp.size() == 1 && std::isspace(static_cast<unsigned char>(cp[0])); }

}  // namespace

// ---- print and the builtins --------------------------------------------------------------------

ValuePtr Interpreter::print(const Args& args)
{
    std::string sep = " ", end = "\n";
    for (const auto& [k, v] : args.keywords) {
        if (k == "sep" || k == "end") {
            if (v->kind != Value::Kind::None && v->kind != Value::Kind::Str)
                typeError(k + " must be None or a string, not " + typeShortName(*v));
            if (v->kind == Value::Kind::Str)
                (k == "sep" ? sep : end) = v->s;
        } else if (k == "file") {
            if (v->kind != Value::Kind::None)
                unsupported("print(file=...)");
        } else if (k != "flush") {
            typeError("'" + k + "' is an invalid keyword argument for print()");
        }
    }
    std::string line;
    for (size_t k = 0; k < args.positional.size(); ++k)
        line += (k ? sep : "") + toStr(*args.positional[k]);
    appendOutput(line + end);
    return none();
}

ValuePtr Interpreter::callFunction(const std::string& name, const Args& args)
{
    const auto& pos = args.positional;
    if (name == "print")
        return print(args);
    if (name == "len") {
        exactlyOne("len", args);
        return integer(len(pos[0]));
    }
    if (name == "repr") {
        exactlyOne("repr", args);
        return str(repr(*pos[0]));
    }
    if (name == "isinstance") {
        noKeywords("isinstance", args);
        if (pos.size() != 2)
            typeError("isinstance expected 2 arguments, got " + std::to_string(pos.size()));
        std::vector<ValuePtr> classes =
            pos[1]->kind == Value::Kind::Tuple ? pos[1]->items : std::vector<ValuePtr>{pos[1]};
        std::vector<std::string> chain = typeChain(*pos[0]);
        if (const std::shared_ptr<UserClass> cls = classOf(*pos[0]))  // and its user base classes
            for (const UserClass* base = cls->base.get(); base; base = base->base.get())
                chain.push_back("__main__." + base->name);
        for (const ValuePtr& c : classes) {
            if (c->kind != Value::Kind::Class)
                typeError("isinstance() arg 2 must be a type, a tuple of types, or a union");
            if (c->s == "object" || std::find(chain.begin(), chain.end(), c->s) != chain.end())
                return boolean(true);
        }
        return boolean(false);
    }
    if (name == "hasattr" || name == "getattr" || name == "setattr" || name == "delattr") {
        noKeywords(name, args);
        const size_t want = name == "setattr" ? 3 : 2;
        if (name == "getattr" ? (pos.size() < 2 || pos.size() > 3) : pos.size() != want)
            typeError(name + " expected " + (name == "getattr" ? (pos.size() < 2 ? "at least 2 arguments" : "at most 3 arguments")
                                                               : std::to_string(want) + " arguments") +
                      ", got " + std::to_string(pos.size()));
        if (pos[1]->kind != Value::Kind::Str)
            typeError("attribute name must be string, not '" + typeShortName(*pos[1]) + "'");
        const std::string& attr = pos[1]->s;
        if (name == "hasattr")
            return boolean(hasAttribute(pos[0], attr));
        if (name == "setattr") {
            setAttribute(pos[0], attr, pos[2]);
            return none();
        }
        if (name == "delattr") {
            deleteAttribute(pos[0], attr);
            return none();
        }
        if (pos.size() == 3) {
            try {
                return getAttribute(pos[0], attr);
            } catch (const PythonError& e) {
                if (e.type() == "AttributeError")
                    return pos[2];
                throw;
            }
        }
        return getAttribute(pos[0], attr);
    }
    if (name == "iter") {
        exactlyOne("iter", args);
        return iterate(pos[0]);
    }
    if (name == "next") {
        noKeywords("next", args);
        if (pos.empty() || pos.size() > 2)
            typeError("next expected " + std::string(pos.empty() ? "at least 1 argument" : "at most 2 arguments") +
                      ", got " + std::to_string(pos.size()));
        if (pos[0]->kind != Value::Kind::Iterator)
            typeError("'" + typeShortName(*pos[0]) + "' object is not an iterator");
        if (const ValuePtr v = nextItem(pos[0]))
            return v;
        if (pos.size() == 2)
            return pos[1];
        throw ConsoleError("StopIteration");
    }
    if (name == "any" || name == "all") {
        exactlyOne(name, args);
        const ValuePtr it = iterate(pos[0]);
        while (const ValuePtr v = nextItem(it))
            if (truthy(*v) == (name == "any"))
                return boolean(name == "any");
        return boolean(name == "all");
    }
    if (name == "id") {
        exactlyOne("id", args);
        return integer(static_cast<int64_t>(reinterpret_cast<intptr_t>(pos[0].get())));
    }
    if (name == "callable") {
        exactlyOne("callable", args);
        const Value::Kind k = pos[0]->kind;
        return boolean(k == Value::Kind::Function || k == Value::Kind::Method ||
                       k == Value::Kind::Class || k == Value::Kind::Module);
    }
    if (name == "chr") {
        exactlyOne("chr", args);
        const int64_t c = indexValue(pos[0], "");
        if (c < 0 || c > 0x10FFFF)
            throw PythonError("ValueError", "chr() arg not in range(0x110000)");
        std::string s;
        appendUtf8(s, static_cast<unsigned>(c));
        return str(s);
    }
    if (name == "ord") {
        exactlyOne("ord", args);
        if (pos[0]->kind != Value::Kind::Str)
            typeError("ord() expected string of length 1, but " + typeShortName(*pos[0]) + " found");
        const size_t n = utf8Length(pos[0]->s);
        if (n != 1)
            typeError("ord() expected a character, but string of length " + std::to_string(n) + " found");
        size_t i = 0;
        return integer(decodeUtf8(pos[0]->s, i));
    }
    if (name == "sorted") {
        if (pos.size() != 1)
            typeError("sorted expected 1 argument, got " + std::to_string(pos.size()));
        bool reverse = false;
        for (const auto& [k, v] : args.keywords) {
            if (k == "reverse")
                reverse = truthy(*v);
            else if (k == "key") {
                if (v->kind != Value::Kind::None)
                    unsupported("sorted(key=...)");
            } else
                typeError("'" + k + "' is an invalid keyword argument for sort()");
        }
        std::vector<ValuePtr> items = toVector(pos[0]);
        std::stable_sort(items.begin(), items.end(), [&](const ValuePtr& a, const ValuePtr& b) {
            return truthy(*compare("<", reverse ? b : a, reverse ? a : b));
        });
        return listValue(items);
    }
    if (name == "sum") {
        if (pos.empty())
            typeError("sum() takes at least 1 positional argument (0 given)");
        if (pos.size() > 2)
            typeError("sum() takes at most 2 arguments (" + std::to_string(pos.size()) + " given)");
        ValuePtr total = pos.size() == 2 ? pos[1] : keywordOr(args, "start", integer(0));
        if (total->kind == Value::Kind::Str)
            typeError("sum() can't sum strings [use ''.join(seq) instead]");
        const ValuePtr it = iterate(pos[0]);
        while (const ValuePtr v = nextItem(it))
            total = binaryOp("+", total, v);
        return total;
    }
    if (name == "min" || name == "max") {
        for (const auto& [k, v] : args.keywords)
            if (k == "key" || k == "default")
                unsupported(name + "(" + k + "=...)");
            else
                typeError("'" + k + "' is an invalid keyword argument for " + name + "()");
        if (pos.empty())
            typeError(name + " expected at least 1 argument, got 0");
        const std::vector<ValuePtr> items = pos.size() == 1 ? toVector(pos[0]) : pos;
        if (items.empty())
            throw PythonError("ValueError", name + "() arg is an empty sequence");
        ValuePtr best = items[0];
        for (size_t k = 1; k < items.size(); ++k)
            if (truthy(*compare(name == "min" ? "<" : ">", items[k], best)))
                best = items[k];
        return best;
    }
    if (name == "abs") {
        exactlyOne("abs", args);
        const Value& v = *pos[0];
        if (v.kind == Value::Kind::Tensor)
            return tensorValue(tensors::unary("abs", v.tensor));
        if (v.kind == Value::Kind::Float)
            return floating(std::fabs(v.f));
        if (isIntLike(v)) {
            if (intOf(v) == INT64_MIN)
                unsupported("integers beyond 64 bits");
            return integer(std::llabs(intOf(v)));
        }
        typeError("bad operand type for abs(): '" + typeShortName(v) + "'");
    }
    if (name == "round") {
        const Signature sig{"round", {{"number", nullptr}, {"ndigits", none()}}, false};
        const std::vector<ValuePtr> a = bindArguments(sig, args);
        const Value& v = *a[0];
        if (isIntLike(v))
            return integer(intOf(v));
        if (v.kind != Value::Kind::Float)
            unsupported("round() of " + typeShortName(v));
        if (a[1]->kind == Value::Kind::None) {
            if (std::isnan(v.f))
                throw PythonError("ValueError", "cannot convert float NaN to integer");
            if (std::isinf(v.f))
                throw PythonError("OverflowError", "cannot convert float infinity to integer");
            const double r = std::nearbyint(v.f);
            if (std::fabs(r) >= 9.2e18)
                unsupported("integers beyond 64 bits");
            return integer(static_cast<int64_t>(r));
        }
        const int64_t digits = indexValue(a[1], "");
        if (digits < 0 || digits > 300)
            unsupported("round() with these ndigits");
        if (!std::isfinite(v.f))
            return floating(v.f);
        char buf[512];
        std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(digits), v.f);
        return floating(std::strtod(buf, nullptr));
    }
    // torch
    if (name == "torch.randn" || name == "torch.rand" || name == "torch.zeros" ||
        name == "torch.ones" || name == "torch.full" || name == "torch.arange" ||
        name == "torch.tensor" || name == "torch.zeros_like" || name == "torch.ones_like" ||
        name == "torch.randn_like" || name == "torch.rand_like")
        return tensorFactory(name.substr(6), args);
    if (name == "torch.manual_seed") {
        const std::vector<ValuePtr> a = bindArguments({"manual_seed", {{"seed", nullptr}}, false}, args);
        const ValuePtr seed = construct("int", Args{{a[0]}, {}});
        manualSeed(static_cast<uint64_t>(seed->i));
        auto g = std::make_shared<Value>();
        g->kind = Value::Kind::Generator;
        return g;
    }
    if (name == "torch.cuda.is_available") {
        bindArguments({"is_available", {}, false}, args);
        return boolean(tensors::cudaAvailable());
    }
    if (name == "torch.is_tensor") {
        const std::vector<ValuePtr> a = bindArguments({"is_tensor", {{"obj", nullptr}}, false}, args);
        return boolean(a[0]->kind == Value::Kind::Tensor);
    }
    if (name == "torch.get_default_dtype") {
        bindArguments({"get_default_dtype", {}, false}, args);
        return dtypeValue("float32");
    }
    if (name == "torch.typename") {
        const std::vector<ValuePtr> a = bindArguments({"typename", {{"o", nullptr}}, false}, args);
        return str(torchTypeName(*a[0]));
    }
    if (name == "torch.device") {
        if (pos.size() == 1 && args.keywords.empty() && pos[0]->kind == Value::Kind::Str &&
            pos[0]->s == "cpu") {
            auto d = std::make_shared<Value>();
            d->kind = Value::Kind::Device;
            d->s = "cpu";
            return d;
        }
        unsupported("torch.device() other than torch.device('cpu')");
    }
    if (name == "torch.randint" || name.rfind("torch.nn.functional.", 0) == 0)
        return callTrainingFunction(name, args);
    if (name.rfind("torch.", 0) == 0) {  // torch.sum(t), torch.numel(t), ...
        const std::string fn = name.substr(6);
        if (pos.empty() || pos[0]->kind != Value::Kind::Tensor) {
            if (pos.empty())
                unsupported("torch." + fn + "() without a tensor");
            typeError(fn + "(): argument 'input' (position 1) must be Tensor, not " +
                      parserTypeName(*pos[0]));
        }
        Args rest{{pos.begin() + 1, pos.end()}, args.keywords};
        return callTensorMethod(pos[0], fn, rest);
    }
    unsupported("'" + name + "'");
}

ValuePtr Interpreter::construct(const std::string& cls, const Args& args)
{
    const auto& pos = args.positional;
    if (cls == "str") {
        noKeywords("str", args);
        if (pos.size() > 1)
            unsupported("str() with an encoding");
        return str(pos.empty() ? std::string() : toStr(*pos[0]));
    }
    if (cls == "int" || cls == "float") {
        noKeywords(cls, args);
        if (pos.size() > 1)
            unsupported(cls + "() with a base");
        if (pos.empty())
            return cls == "int" ? integer(0) : floating(0.0);
        ValuePtr v = pos[0];
        if (v->kind == Value::Kind::Tensor)
            v = scalarValue(tensors::item(v->tensor));
        if (cls == "int") {
            if (isIntLike(*v))
                return integer(intOf(*v));
            if (v->kind == Value::Kind::Float) {
                if (std::isnan(v->f))
                    throw PythonError("ValueError", "cannot convert float NaN to integer");
                if (std::isinf(v->f))
                    throw PythonError("OverflowError", "cannot convert float infinity to integer");
                if (std::fabs(v->f) >= 9.2e18)
                    unsupported("integers beyond 64 bits");
                return integer(static_cast<int64_t>(std::trunc(v->f)));
            }
            if (v->kind == Value::Kind::Str) {
                int64_t out;
                if (!parseInt(v->s, out))
                    throw PythonError("ValueError", "invalid literal for int() with base 10: " +
                                                        pythonStringRepr(v->s));
                return integer(out);
            }
            typeError("int() argument must be a string, a bytes-like object or a real number, not '" +
                      typeShortName(*v) + "'");
        }
        if (isNumber(*v))
            return floating(floatOf(*v));
        if (v->kind == Value::Kind::Str) {
            double out;
            if (!parseFloat(v->s, out))
                throw PythonError("ValueError", "could not convert string to float: " +
                                                    pythonStringRepr(v->s));
            return floating(out);
        }
        typeError("float() argument must be a string or a real number, not '" + typeShortName(*v) + "'");
    }
    if (cls == "bool") {
        noKeywords("bool", args);
        if (pos.size() > 1)
            typeError("bool expected at most 1 argument, got " + std::to_string(pos.size()));
        return boolean(!pos.empty() && truthy(*pos[0]));
    }
    if (cls == "list" || cls == "tuple") {
        noKeywords(cls, args);
        if (pos.size() > 1)
            typeError(cls + " expected at most 1 argument, got " + std::to_string(pos.size()));
        std::vector<ValuePtr> items = pos.empty() ? std::vector<ValuePtr>{} : toVector(pos[0]);
        return cls == "list" ? listValue(items) : tupleValue(items);
    }
    if (cls == "dict" || cls == "collections.OrderedDict") {
        ValuePtr d = dictValue(cls != "dict");
        if (pos.size() > 1)
            typeError(std::string(cls == "dict" ? "dict" : "OrderedDict") + " expected at most 1 argument, got " +
                      std::to_string(pos.size()));
        if (!pos.empty()) {
            if (pos[0]->kind == Value::Kind::Dict) {
                for (size_t k = 0; k < pos[0]->keys.size(); ++k)
                    setItem(d, pos[0]->keys[k], pos[0]->items[k]);
            } else {
                const std::vector<ValuePtr> pairs = toVector(pos[0]);
                for (size_t k = 0; k < pairs.size(); ++k) {
                    const std::vector<ValuePtr> kv = toVector(pairs[k]);
                    if (kv.size() != 2)
                        throw PythonError("ValueError", "dictionary update sequence element #" +
                                                            std::to_string(k) + " has length " +
                                                            std::to_string(kv.size()) + "; 2 is required");
                    setItem(d, kv[0], kv[1]);
                }
            }
        }
        for (const auto& [k, v] : args.keywords)
            setItem(d, str(k), v);
        return d;
    }
    if (cls == "range") {
        noKeywords("range", args);
        if (pos.empty())
            typeError("range expected at least 1 argument, got 0");
        if (pos.size() > 3)
            typeError("range expected at most 3 arguments, got " + std::to_string(pos.size()));
        auto r = std::make_shared<Value>();
        r->kind = Value::Kind::Range;
        std::vector<int64_t> v;
        for (const ValuePtr& p : pos)
            v.push_back(indexValue(p, ""));
        r->start = pos.size() == 1 ? 0 : v[0];
        r->stop = pos.size() == 1 ? v[0] : v[1];
        r->step = pos.size() == 3 ? v[2] : 1;
        if (r->step == 0)
            throw PythonError("ValueError", "range() arg 3 must not be zero");
        return r;
    }
    if (cls == "type") {
        noKeywords("type", args);
        if (pos.size() == 1)
            return typeOf(pos[0]);
        if (pos.size() == 3)
            unsupported("creating classes with type()");
        typeError("type() takes 1 or 3 arguments");
    }
    if (cls == "enumerate") {
        const std::vector<ValuePtr> a =
            bindArguments({"enumerate", {{"iterable", nullptr}, {"start", integer(0)}}, false}, args);
        const ValuePtr it = iterate(a[0]);
        auto counter = std::make_shared<int64_t>(indexValue(a[1], ""));
        return iteratorValue("enumerate", "", [this, it, counter]() -> ValuePtr {
            const ValuePtr v = nextItem(it);
            if (!v)
                return nullptr;
            return tupleValue({integer((*counter)++), v});
        });
    }
    if (cls == "zip") {
        for (const auto& [k, v] : args.keywords)
            if (k != "strict")
                typeError("zip() got an unexpected keyword argument '" + k + "'");
            else if (truthy(*v))
                unsupported("zip(strict=True)");
        std::vector<ValuePtr> its;
        for (const ValuePtr& p : pos)
            its.push_back(iterate(p));
        return iteratorValue("zip", "", [this, its]() -> ValuePtr {
            if (its.empty())
                return nullptr;
            std::vector<ValuePtr> row;
            for (const ValuePtr& it : its) {
                const ValuePtr v = nextItem(it);
                if (!v)
                    return nullptr;
                row.push_back(v);
            }
            return tupleValue(row);
        });
    }
    if (cls == "reversed") {
        exactlyOne("reversed", args);
        const Value::Kind k = pos[0]->kind;
        if (k != Value::Kind::List && k != Value::Kind::Tuple && k != Value::Kind::Str &&
            k != Value::Kind::Range && k != Value::Kind::Size)
            typeError("'" + typeShortName(*pos[0]) + "' object is not reversible");
        auto items = std::make_shared<std::vector<ValuePtr>>(toVector(pos[0]));
        std::reverse(items->begin(), items->end());
        auto p = std::make_shared<size_t>(0);
        return iteratorValue(k == Value::Kind::List ? "list_reverseiterator" : "reversed", "",
                             [items, p]() -> ValuePtr {
                                 return *p < items->size() ? (*items)[(*p)++] : nullptr;
                             });
    }
    if (cls == "torch.Size") {
        noKeywords("Size", args);
        std::vector<int64_t> dims;
        if (!pos.empty()) {
            const std::vector<ValuePtr> items = toVector(pos[0]);
            for (size_t k = 0; k < items.size(); ++k) {
                if (items[k]->kind != Value::Kind::Int)
                    typeError("torch.Size() takes an iterable of 'int' (item " + std::to_string(k) +
                              " is '" + typeShortName(*items[k]) + "')");
                dims.push_back(items[k]->i);
            }
        }
        return sizeValue(dims);
    }
    if (cls == "torch.nn.parameter.Parameter") {
        const std::vector<ValuePtr> a =
            bindArguments({"Parameter.__new__", {{"data", none()}, {"requires_grad", boolean(true)}}}, args);
        TensorRef data;
        if (a[0]->kind == Value::Kind::None)
            data = tensors::create(tensors::Fill::Zeros, {0}, "", false);
        else if (a[0]->kind == Value::Kind::Tensor)
            data = a[0]->tensor;
        else
            throw PythonError("AttributeError",
                              "'" + typeShortName(*a[0]) + "' object has no attribute 'detach'");
        if (a[1]->kind != Value::Kind::Bool)
            typeError("_make_subclass(): argument 'require_grad' (position 3) must be bool, not " +
                      typeShortName(*a[1]));
        return tensorValue(tensors::parameter(data, a[1]->b), true);
    }
    if (cls == "torch.Tensor")
        unsupported("torch.Tensor(...) (use torch.tensor)");
    if (cls.rfind("torch.optim.", 0) == 0)
        return constructOptimizer(cls, args);
    if (cls.rfind("torch.nn.modules.", 0) == 0)
        return constructLayer(cls.substr(cls.rfind('.') + 1), args);
    unsupported("creating '" + cls + "' objects");
}

ValuePtr Interpreter::tensorFactory(const std::string& fn, const Args& args)
{
    const auto& pos = args.positional;
    if (fn == "randn" || fn == "rand" || fn == "zeros" || fn == "ones") {
        std::vector<ValuePtr> sizeArgs = pos;
        std::set<std::string> consumed;
        if (sizeArgs.empty()) {
            const ValuePtr size = keywordOr(args, "size", nullptr);
            if (!size)
                invalidCombination(fn, args);
            sizeArgs.push_back(size);
            consumed.insert("size");
        }
        const std::string ints = fn == "zeros" || fn == "ones" ? "tuple of SymInts" : "tuple of ints";
        const std::vector<int64_t> shape = sizeArgument(fn, sizeArgs, ints, true);
        const FactoryOptions o = factoryOptions(fn, args, fn == "randn" || fn == "rand", consumed);
        const tensors::Fill fill = fn == "randn"  ? tensors::Fill::Randn
                                   : fn == "rand" ? tensors::Fill::Rand
                                   : fn == "zeros" ? tensors::Fill::Zeros
                                                   : tensors::Fill::Ones;
        return tensorValue(tensors::create(fill, shape, o.dtype, o.requiresGrad));
    }
    if (fn == "full") {
        if (pos.size() != 2 && !(pos.size() < 2 && (keywordOr(args, "size", nullptr) || keywordOr(args, "fill_value", nullptr))))
            invalidCombination(fn, args);
        std::set<std::string> consumed;
        ValuePtr size = pos.size() > 0 ? pos[0] : keywordOr(args, "size", nullptr);
        ValuePtr fill = pos.size() > 1 ? pos[1] : keywordOr(args, "fill_value", nullptr);
        if (pos.size() < 1)
            consumed.insert("size");
        if (pos.size() < 2)
            consumed.insert("fill_value");
        if (!size || !fill)
            invalidCombination(fn, args);
        if (size->kind != Value::Kind::Tuple && size->kind != Value::Kind::List && size->kind != Value::Kind::Size)
            typeError("full(): argument 'size' (position 1) must be tuple of SymInts, not " + parserTypeName(*size));
        const std::vector<int64_t> shape = sizeArgument(fn, {size}, "tuple of SymInts", false);
        const tensors::Scalar value = numberArgument(fn, fill, "fill_value", 2);
        const FactoryOptions o = factoryOptions(fn, args, false, consumed);
        return tensorValue(tensors::full(shape, value, o.dtype, o.requiresGrad));
    }
    if (fn == "arange") {
        if (pos.empty() || pos.size() > 3)
            invalidCombination(fn, args);
        std::vector<tensors::Scalar> v;
        static const char* const names1[] = {"end"};
        static const char* const names3[] = {"start", "end", "step"};
        for (size_t k = 0; k < pos.size(); ++k)
            v.push_back(numberArgument(fn, pos[k], pos.size() == 1 ? names1[0] : names3[k], static_cast<int>(k + 1)));
        const FactoryOptions o = factoryOptions(fn, args, false, {});
        const tensors::Scalar zero = tensors::Scalar::integer(0), one = tensors::Scalar::integer(1);
        if (v.size() == 1)
            return tensorValue(tensors::arange(zero, v[0], one, o.dtype, o.requiresGrad));
        return tensorValue(tensors::arange(v[0], v[1], v.size() == 3 ? v[2] : one, o.dtype, o.requiresGrad));
    }
    if (fn == "tensor") {
        if (pos.empty() && !keywordOr(args, "data", nullptr))
            typeError("tensor() missing 1 required positional arguments: \"data\"");
        std::string dtype;
        bool requiresGrad = false;
        ValuePtr data = pos.empty() ? keywordOr(args, "data", nullptr) : pos[0];
        if (pos.size() > 1)
            typeError("tensor() takes 1 positional argument but " + std::to_string(pos.size()) + " were given");
        for (const auto& [k, v] : args.keywords) {
            if (k == "data" && pos.empty())
                continue;
            if (k == "dtype") {
                if (v->kind == Value::Kind::Dtype)
                    dtype = v->s;
                else if (v->kind != Value::Kind::None)
                    typeError("tensor(): argument 'dtype' must be torch.dtype, not " + parserTypeName(*v));
            } else if (k == "requires_grad") {
                if (v->kind != Value::Kind::Bool)
                    typeError("tensor(): argument 'requires_grad' must be bool, not " + parserTypeName(*v));
                requiresGrad = v->b;
            } else if (k == "device") {
                if (!(v->kind == Value::Kind::None || ((v->kind == Value::Kind::Str || v->kind == Value::Kind::Device) && v->s == "cpu")))
                    unsupported("creating tensors on other devices");
            } else if (k == "pin_memory") {
                if (truthy(*v))
                    unsupported("tensor(pin_memory=True)");
            } else {
                typeError("tensor() got an unexpected keyword argument '" + k + "'");
            }
        }
        if (data->kind == Value::Kind::Tensor)
            unsupported("torch.tensor() of a tensor (use t.clone().detach())");
        std::vector<int64_t> shape;
        uint64_t elements = 1;
        for (ValuePtr v = data; v->kind == Value::Kind::List || v->kind == Value::Kind::Tuple ||
                                v->kind == Value::Kind::Size;) {
            const std::vector<ValuePtr> items = toVector(v);
            shape.push_back(static_cast<int64_t>(items.size()));
            elements = saturatingMul(elements, items.size());
            if (shape.size() > 128)  // torch's compute_sizes (MAX_DIMS); a list holding itself ends here
                throw PythonError("ValueError", "too many dimensions '" + typeShortName(*v) + "'");
            if (items.empty())
                break;
            v = items[0];
        }
        // Every element is walked and kept once before the tensor is made: budget both first.
        reserveBytes(saturatingMul(elements, sizeof(tensors::Scalar) + 8), "a tensor's data");
        countSteps(elements);
        std::vector<tensors::Scalar> values;
        values.reserve(elements);
        if (!(shape.size() == 1 && shape[0] == 0))
            collectData(data, 0, shape, values, *this);
        return tensorValue(tensors::fromData(values, shape, dtype, requiresGrad));
    }
    // zeros_like, ones_like, randn_like, rand_like
    const std::string base = fn.substr(0, fn.size() - 5);
    if (pos.size() != 1 || pos[0]->kind != Value::Kind::Tensor) {
        if (!pos.empty())
            typeError(fn + "(): argument 'input' (position 1) must be Tensor, not " + parserTypeName(*pos[0]));
        unsupported(fn + "() without a tensor");
    }
    std::string dtype = pos[0]->tensor.dtypeName();
    bool requiresGrad = false;
    for (const auto& [k, v] : args.keywords) {
        if (k == "dtype" && v->kind == Value::Kind::Dtype)
            dtype = v->s;
        else if (k == "requires_grad" && v->kind == Value::Kind::Bool)
            requiresGrad = v->b;
        else
            unsupported("this argument of torch." + fn + "()");
    }
    const tensors::Fill fill = base == "randn"  ? tensors::Fill::Randn
                               : base == "rand" ? tensors::Fill::Rand
                               : base == "zeros" ? tensors::Fill::Zeros
                                                 : tensors::Fill::Ones;
    return tensorValue(tensors::create(fill, pos[0]->tensor.shape(), dtype, requiresGrad));
}

// ---- methods -----------------------------------------------------------------------------------

ValuePtr Interpreter::callMethod(const ValuePtr& receiver, const std::string& name, const Args& args)
{
    switch (receiver->kind) {
    case Value::Kind::Module: return callModuleMethod(receiver, name, args);
    case Value::Kind::Tensor: return callTensorMethod(receiver, name, args);
    case Value::Kind::Str: return callStrMethod(receiver, name, args);
    case Value::Kind::Optimizer: return callOptimizerMethod(receiver, name, args);
    default: return callContainerMethod(receiver, name, args);
    }
}

ValuePtr Interpreter::callTensorMethod(const ValuePtr& t, const std::string& name, const Args& args)
{
    if (trainingTensorMethods().count(name))
        return callTrainingTensorMethod(t, name, args);
    const TensorRef& x = t->tensor;
    const auto& pos = args.positional;
    auto noArgs = [&] {
        if (!pos.empty() || !args.keywords.empty())
            unsupported("Tensor." + name + "() with arguments");
    };
    auto dimsFrom = [&](const std::vector<ValuePtr>& values) {
        std::vector<ValuePtr> items = values;
        if (values.size() == 1 && (values[0]->kind == Value::Kind::Tuple ||
                                   values[0]->kind == Value::Kind::List ||
                                   values[0]->kind == Value::Kind::Size))
            items = toVector(values[0]);
        std::vector<int64_t> dims;
        for (const ValuePtr& v : items) {
            if (v->kind != Value::Kind::Int)
                typeError(name + "(): argument 'size' must be tuple of ints, but found element of type " +
                          parserTypeName(*v) + " at pos " + std::to_string(dims.size() + 1));
            dims.push_back(v->i);
        }
        return dims;
    };
    if (name == "size") {
        if (!args.keywords.empty() || pos.size() > 1)
            unsupported("Tensor.size() with these arguments");
        if (pos.empty())
            return sizeValue(x.shape());
        const ValuePtr r = tensorValue(tensors::withDims("size", x, {indexValue(pos[0], "")}));
        return scalarValue(tensors::item(r->tensor));
    }
    if (name == "dim" || name == "ndimension") {
        noArgs();
        return integer(static_cast<int64_t>(x.shape().size()));
    }
    if (name == "numel" || name == "nelement") {
        noArgs();
        return integer(x.numel());
    }
    if (name == "element_size") {
        noArgs();
        return integer(x.numel() ? x.bytes() / x.numel() : 0);
    }
    if (name == "item") {
        noArgs();
        return scalarValue(tensors::item(x));
    }
    if (name == "tolist") {
        noArgs();
        const std::vector<tensors::Scalar> values = tensors::values(x);
        const std::vector<int64_t> shape = x.shape();
        if (shape.empty())
            return scalarValue(values.at(0));
        size_t p = 0;
        return listValue(nestedList(values, shape, 0, p));
    }
    if (name == "is_floating_point") {
        noArgs();
        return boolean(tensors::isFloatingPoint(x));
    }
    if (name == "type") {
        noArgs();
        return str(tensorTypeName(x));
    }
    if (name == "reshape" || name == "view") {
        if (!args.keywords.empty())
            unsupported("Tensor." + name + "() with keyword arguments");
        return tensorValue(tensors::reshape(x, dimsFrom(pos), name == "view"));
    }
    if (name == "to") {
        if (pos.size() == 1 && args.keywords.empty() && pos[0]->kind == Value::Kind::Dtype)
            return pos[0]->s == x.dtypeName() ? t : tensorValue(tensors::toDtype(x, pos[0]->s));
        if (pos.size() == 1 && args.keywords.empty() &&
            (pos[0]->kind == Value::Kind::Str || pos[0]->kind == Value::Kind::Device) && pos[0]->s == "cpu")
            return t;
        unsupported("Tensor.to() other than .to(dtype) or .to('cpu')");
    }
    if (name == "sum" || name == "mean" || name == "flatten" || name == "squeeze" ||
        name == "unsqueeze" || name == "transpose" || name == "permute") {
        if (!args.keywords.empty())
            unsupported("Tensor." + name + "() with keyword arguments");
        if (pos.empty() && name != "unsqueeze" && name != "transpose" && name != "permute")
            return tensorValue(tensors::unary(name, x));
        std::vector<int64_t> dims;
        for (const ValuePtr& v : (name == "permute" || name == "sum" || name == "mean") && pos.size() == 1 &&
                                         (pos[0]->kind == Value::Kind::Tuple || pos[0]->kind == Value::Kind::List)
                                     ? toVector(pos[0])
                                     : pos)
            dims.push_back(indexValue(v, ""));
        if (dims.empty())
            typeError(name + "() missing required arguments");
        return tensorValue(tensors::withDims(name, x, dims));
    }
    static const std::set<std::string> simple{"abs", "max", "min", "std", "var", "norm", "detach",
                                              "clone", "float", "double", "half", "long", "int",
                                              "bool", "t", "exp", "sqrt", "relu", "sigmoid", "tanh",
                                              "contiguous", "cpu", "argmax", "argmin"};
    if (simple.count(name)) {
        noArgs();
        return tensorValue(tensors::unary(name, x));
    }
    unsupported("Tensor." + name + "()");
}

ValuePtr Interpreter::callStrMethod(const ValuePtr& sv, const std::string& name, const Args& args)
{
    const std::string& s = sv->s;
    const auto& pos = args.positional;
    // The characters, split only for the methods that walk them (a long string stays whole).
    std::vector<std::string> characters;
    bool split = false;
    auto cps = [&]() -> const std::vector<std::string>& {
        if (!split) {
            reserveBytes(saturatingMul(s.size(), sizeof(std::string)), "the characters of a string");
            characters = codePointStrings(s);
            split = true;
        }
        return characters;
    };
    auto positionalOnly = [&](size_t least, size_t most) {
        noKeywords(name, args);
        if (pos.size() < least)
            typeError(name + " expected at least " + std::to_string(least) + " argument" +
                      (least == 1 ? "" : "s") + ", got " + std::to_string(pos.size()));
        if (pos.size() > most)
            typeError(name + " expected at most " + std::to_string(most) + " argument" +
                      (most == 1 ? "" : "s") + ", got " + std::to_string(pos.size()));
    };
    if (name == "center" || name == "ljust" || name == "rjust") {
        positionalOnly(1, 2);
        const int64_t width = indexValue(pos[0], "");
        std::string fill = " ";
        if (pos.size() == 2) {
            if (pos[1]->kind != Value::Kind::Str)
                typeError(name + "() argument 2 must be str, not " + typeShortName(*pos[1]));
            if (utf8Length(pos[1]->s) != 1)
                typeError("The fill character must be exactly one character long");
            fill = pos[1]->s;
        }
        const int64_t marg = width - static_cast<int64_t>(utf8Length(s));
        if (marg <= 0)
            return sv;
        reserveBytes(saturatingAdd(saturatingMul(static_cast<uint64_t>(marg), fill.size()), s.size()));
        int64_t left = 0;
        if (name == "center")
            left = marg / 2 + (marg & width & 1);  // CPython's pad()
        else if (name == "rjust")
            left = marg;
        std::string out;
        out.reserve(static_cast<size_t>(marg) * fill.size() + s.size());
        for (int64_t k = 0; k < left; ++k)
            out += fill;
        out += s;
        for (int64_t k = 0; k < marg - left; ++k)
            out += fill;
        return str(out);
    }
    if (name == "zfill") {
        positionalOnly(1, 1);
        const int64_t width = indexValue(pos[0], "");
        const int64_t marg = width - static_cast<int64_t>(utf8Length(s));
        if (marg <= 0)
            return sv;
        reserveBytes(saturatingAdd(static_cast<uint64_t>(marg), s.size()));
        std::string out = s;
        size_t at = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
        out.insert(at, std::string(static_cast<size_t>(marg), '0'));
        return str(out);
    }
    if (name == "upper" || name == "lower" || name == "title" || name == "capitalize") {
        positionalOnly(0, 0);
        if (name == "upper")
            return str(upperAscii(s));
        if (name == "lower")
            return str(lowerAscii(s));
        std::string out = lowerAscii(s);
        bool start = true;
        for (size_t k = 0; k < out.size(); ++k) {
            const bool letter = std::isalpha(static_cast<unsigned char>(out[k]));
            if (letter && start && (name == "title" || k == 0))
                out[k] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[k])));
            start = name == "title" ? !letter : false;
        }
        return str(out);
    }
    if (name == "strip" || name == "lstrip" || name == "rstrip") {
        positionalOnly(0, 1);
        std::set<std::string> chars;
        const bool whitespace = pos.empty() || pos[0]->kind == Value::Kind::None;
        if (!whitespace) {
            if (pos[0]->kind != Value::Kind::Str)
                typeError(name + " arg must be None or str");
            for (const std::string& c : codePointStrings(pos[0]->s))
                chars.insert(c);
        }
        auto strips = [&](const std::string& c) { return whitespace ? isSpace(c) : chars.count(c) > 0; };
        size_t b = 0, e = cps().size();
        if (name != "rstrip")
            while (b < e && strips(cps()[b]))
                ++b;
        if (name != "lstrip")
            while (e > b && strips(cps()[e - 1]))
                --e;
        std::string out;
        for (size_t k = b; k < e; ++k)
            out += cps()[k];
        return str(out);
    }
    if (name == "split") {
        const std::vector<ValuePtr> a =
            bindArguments({"split", {{"sep", none()}, {"maxsplit", integer(-1)}}, false}, args);
        int64_t maxsplit = indexValue(a[1], "");
        std::vector<ValuePtr> parts;
        auto addPart = [&](ValuePtr part) {  // each part is a step: ('ab' * 2**26).split('a') is bounded
            countSteps(1);
            parts.push_back(std::move(part));
        };
        if (a[0]->kind == Value::Kind::None) {
            size_t k = 0;
            while (k < cps().size()) {
                while (k < cps().size() && isSpace(cps()[k]))
                    ++k;
                if (k >= cps().size())
                    break;
                if (maxsplit == 0) {  // the rest, trailing whitespace kept (CPython's split_whitespace)
                    std::string rest;
                    for (size_t j = k; j < cps().size(); ++j)
                        rest += cps()[j];
                    addPart(str(rest));
                    break;
                }
                std::string word;
                while (k < cps().size() && !isSpace(cps()[k]))
                    word += cps()[k++];
                addPart(str(word));
                --maxsplit;
            }
            return listValue(parts);
        }
        if (a[0]->kind != Value::Kind::Str)
            typeError("must be str or None, not " + typeShortName(*a[0]));
        const std::string& sep = a[0]->s;
        if (sep.empty())
            throw PythonError("ValueError", "empty separator");
        size_t start = 0;
        while (maxsplit != 0) {
            const size_t at = s.find(sep, start);
            if (at == std::string::npos)
                break;
            addPart(str(s.substr(start, at - start)));
            start = at + sep.size();
            --maxsplit;
        }
        addPart(str(s.substr(start)));
        return listValue(parts);
    }
    if (name == "join") {
        positionalOnly(1, 1);
        const std::vector<ValuePtr> items = toVector(pos[0]);
        uint64_t total = 0;
        for (size_t k = 0; k < items.size(); ++k) {
            if (items[k]->kind != Value::Kind::Str)
                typeError("sequence item " + std::to_string(k) + ": expected str instance, " +
                          typeShortName(*items[k]) + " found");
            total = saturatingAdd(total, saturatingAdd(k ? s.size() : 0, items[k]->s.size()));
        }
        reserveBytes(total);
        std::string out;
        out.reserve(total);
        for (size_t k = 0; k < items.size(); ++k) {
            if (k)
                out += s;
            out += items[k]->s;
        }
        return str(std::move(out));
    }
    if (name == "replace") {
        positionalOnly(2, 3);
        for (int k = 0; k < 2; ++k)
            if (pos[k]->kind != Value::Kind::Str)
                typeError("replace() argument " + std::to_string(k + 1) + " must be str, not " +
                          typeShortName(*pos[k]));
        int64_t count = pos.size() == 3 ? indexValue(pos[2], "") : -1;
        const std::string& from = pos[0]->s;
        const std::string& to = pos[1]->s;
        if (from.empty())
            unsupported("str.replace() with an empty pattern");
        // The result's size first: occurrences x growth, checked against the budget.
        uint64_t occurrences = 0;
        for (size_t at = s.find(from); at != std::string::npos && (count < 0 || occurrences < static_cast<uint64_t>(count));
             at = s.find(from, at + from.size()))
            ++occurrences;
        if (to.size() > from.size())
            reserveBytes(saturatingAdd(s.size(), saturatingMul(occurrences, to.size() - from.size())));
        std::string out;
        out.reserve(s.size() + (to.size() > from.size() ? occurrences * (to.size() - from.size()) : 0));
        size_t start = 0;
        while (count != 0) {
            const size_t at = s.find(from, start);
            if (at == std::string::npos)
                break;
            out.append(s, start, at - start);
            out += to;
            start = at + from.size();
            --count;
        }
        out.append(s, start, std::string::npos);
        return str(std::move(out));
    }
    if (name == "startswith" || name == "endswith") {
        positionalOnly(1, 1);
        const std::vector<ValuePtr> options =
            pos[0]->kind == Value::Kind::Tuple ? pos[0]->items : std::vector<ValuePtr>{pos[0]};
        for (const ValuePtr& o : options) {
            if (o->kind != Value::Kind::Str)
                typeError(name + " first arg must be str or a tuple of str, not " + typeShortName(*o));
            const std::string& p = o->s;
            if (p.size() <= s.size() &&
                (name == "startswith" ? s.compare(0, p.size(), p) == 0
                                      : s.compare(s.size() - p.size(), p.size(), p) == 0))
                return boolean(true);
        }
        return boolean(false);
    }
    if (name == "find" || name == "count") {
        positionalOnly(1, 1);
        if (pos[0]->kind != Value::Kind::Str)
            typeError("must be str, not " + typeShortName(*pos[0]));
        const std::string& sub = pos[0]->s;
        if (name == "find") {
            const size_t at = s.find(sub);
            return integer(at == std::string::npos ? -1 : static_cast<int64_t>(utf8Length(s.substr(0, at))));
        }
        if (sub.empty())
            return integer(static_cast<int64_t>(cps().size()) + 1);
        int64_t n = 0;
        for (size_t at = s.find(sub); at != std::string::npos; at = s.find(sub, at + sub.size()))
            ++n;
        return integer(n);
    }
    if (name == "isdigit" || name == "isalpha" || name == "isidentifier") {
        positionalOnly(0, 0);
        for (unsigned char c : s)
            if (c >= 0x80)
                unsupported("str." + name + "() on non-ASCII text");
        if (s.empty())
            return boolean(false);
        if (name == "isdigit")
            return boolean(std::all_of(s.begin(), s.end(), ::isdigit));
        if (name == "isalpha")
            return boolean(std::all_of(s.begin(), s.end(), ::isalpha));
        return boolean(!std::isdigit(static_cast<unsigned char>(s[0])) &&
                       std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }));
    }
    if (name == "splitlines") {
        positionalOnly(0, 0);
        std::vector<ValuePtr> lines;
        size_t start = 0;
        for (size_t k = 0; k < s.size(); ++k) {
            if (s[k] == '\n' || s[k] == '\r') {
                lines.push_back(str(s.substr(start, k - start)));
                if (s[k] == '\r' && k + 1 < s.size() && s[k + 1] == '\n')
                    ++k;
                start = k + 1;
            }
        }
        if (start < s.size())
            lines.push_back(str(s.substr(start)));
        return listValue(lines);
    }
    if (name == "format") {
        std::string out;
        size_t autoIndex = 0;
        bool sawAuto = false, sawManual = false;
        for (size_t k = 0; k < s.size(); ++k) {
            const char c = s[k];
            if (c == '{' && k + 1 < s.size() && s[k + 1] == '{') {
                out += '{';
                ++k;
                continue;
            }
            if (c == '}' && k + 1 < s.size() && s[k + 1] == '}') {
                out += '}';
                ++k;
                continue;
            }
            if (c == '}')
                throw PythonError("ValueError", "Single '}' encountered in format string");
            if (c != '{') {
                out += c;
                continue;
            }
            const size_t close = s.find('}', k);
            if (close == std::string::npos)
                throw PythonError("ValueError", "Single '{' encountered in format string");
            std::string field = s.substr(k + 1, close - k - 1);
            if (field.find('{') != std::string::npos)
                unsupported("nested fields in str.format()");
            k = close;
            std::string spec, conversion;
            const size_t colon = field.find(':');
            if (colon != std::string::npos) {
                spec = field.substr(colon + 1);
                field = field.substr(0, colon);
            }
            const size_t bang = field.find('!');
            if (bang != std::string::npos) {
                conversion = field.substr(bang + 1);
                field = field.substr(0, bang);
            }
            size_t nameEnd = field.find_first_of(".[");
            const std::string head = field.substr(0, nameEnd);
            ValuePtr v;
            if (head.empty() || std::all_of(head.begin(), head.end(), ::isdigit)) {
                size_t index;
                if (head.empty()) {
                    if (sawManual)
                        throw PythonError("ValueError", "cannot switch from manual field specification to automatic field numbering");
                    sawAuto = true;
                    index = autoIndex++;
                } else {
                    if (sawAuto)
                        throw PythonError("ValueError", "cannot switch from automatic field numbering to manual field specification");
                    sawManual = true;
                    index = std::stoul(head);
                }
                if (index >= pos.size())
                    throw PythonError("IndexError", "Replacement index " + std::to_string(index) +
                                                        " out of range for positional args tuple");
                v = pos[index];
            } else {
                v = keywordOr(args, head, nullptr);
                if (!v)
                    throw PythonError("KeyError", head);
            }
            while (nameEnd != std::string::npos && nameEnd < field.size()) {
                if (field[nameEnd] == '.') {
                    const size_t next = field.find_first_of(".[", nameEnd + 1);
                    v = getAttribute(v, field.substr(nameEnd + 1, next == std::string::npos ? std::string::npos : next - nameEnd - 1));
                    nameEnd = next;
                } else {
                    const size_t closeBracket = field.find(']', nameEnd);
                    if (closeBracket == std::string::npos)
                        throw PythonError("ValueError", "Missing ']' in format string");
                    const std::string key = field.substr(nameEnd + 1, closeBracket - nameEnd - 1);
                    v = subscript(v, !key.empty() && std::all_of(key.begin(), key.end(), ::isdigit)
                                         ? integer(std::stoll(key))
                                         : str(key));
                    nameEnd = closeBracket + 1;
                }
            }
            if (conversion == "r" || conversion == "a")
                v = str(repr(*v));
            else if (conversion == "s")
                v = str(toStr(*v));
            else if (!conversion.empty())
                throw PythonError("ValueError", "Unknown conversion specifier " + conversion);
            out += formatField(v, spec);
        }
        return str(out);
    }
    unsupported("str." + name + "()");
}

ValuePtr Interpreter::callContainerMethod(const ValuePtr& c, const std::string& name, const Args& args)
{
    const auto& pos = args.positional;
    auto arity = [&](size_t least, size_t most) {
        noKeywords(name, args);
        if (pos.size() < least || pos.size() > most) {
            if (least == most)
                typeError(typeShortName(*c) + "." + name + "() takes " +
                          (least == 0 ? "no arguments" : "exactly one argument") + " (" +
                          std::to_string(pos.size()) + " given)");
            typeError(name + " expected " + (pos.size() < least ? "at least " + std::to_string(least)
                                                                 : "at most " + std::to_string(most)) +
                      " argument" + ((pos.size() < least ? least : most) == 1 ? "" : "s") + ", got " +
                      std::to_string(pos.size()));
        }
    };
    Value& v = *c;
    if (v.kind == Value::Kind::List) {
        if (name == "append") {
            arity(1, 1);
            v.items.push_back(pos[0]);
            return none();
        }
        if (name == "extend") {
            arity(1, 1);
            const std::vector<ValuePtr> added = toVector(pos[0]);
            countSteps(added.size());  // x.extend(x) in a loop doubles: bounded by the step budget
            reserveBytes(saturatingMul(v.items.size() + added.size(), sizeof(ValuePtr)), "a list");
            v.items.insert(v.items.end(), added.begin(), added.end());
            return none();
        }
        if (name == "pop") {
            arity(0, 1);
            if (v.items.empty())
                throw PythonError("IndexError", "pop from empty list");
            int64_t k = pos.empty() ? -1 : indexValue(pos[0], "");
            const int64_t n = static_cast<int64_t>(v.items.size());
            if (k < 0)
                k += n;
            if (k < 0 || k >= n)
                throw PythonError("IndexError", "pop index out of range");
            const ValuePtr out = v.items[static_cast<size_t>(k)];
            v.items.erase(v.items.begin() + k);
            return out;
        }
        if (name == "insert") {
            arity(2, 2);
            int64_t k = indexValue(pos[0], "");
            const int64_t n = static_cast<int64_t>(v.items.size());
            if (k < 0)
                k = std::max<int64_t>(0, k + n);
            k = std::min(k, n);
            v.items.insert(v.items.begin() + k, pos[1]);
            return none();
        }
        if (name == "remove" || name == "index" || name == "count") {
            arity(1, 1);
            int64_t n = 0;
            for (size_t k = 0; k < v.items.size(); ++k) {
                if (!equal(*v.items[k], *pos[0]))
                    continue;
                if (name == "remove") {
                    v.items.erase(v.items.begin() + static_cast<long>(k));
                    return none();
                }
                if (name == "index")
                    return integer(static_cast<int64_t>(k));
                ++n;
            }
            if (name == "count")
                return integer(n);
            throw PythonError("ValueError", name == "remove" ? "list.remove(x): x not in list"
                                                             : repr(*pos[0]) + " is not in list");
        }
        if (name == "clear" || name == "copy" || name == "reverse") {
            arity(0, 0);
            if (name == "copy")
                return listValue(v.items);
            if (name == "clear")
                v.items.clear();
            else
                std::reverse(v.items.begin(), v.items.end());
            return none();
        }
        if (name == "sort") {
            if (!pos.empty())
                typeError("sort() takes no positional arguments");
            Args sortArgs{{c}, args.keywords};
            const ValuePtr sorted = callFunction("sorted", sortArgs);
            v.items = sorted->items;
            return none();
        }
    }
    if (v.kind == Value::Kind::Dict) {
        if (name == "keys" || name == "values" || name == "items") {
            arity(0, 0);
            auto view = std::make_shared<Value>();
            view->kind = Value::Kind::DictView;
            view->receiver = c;
            view->s = name;
            return view;
        }
        if (name == "get" || name == "setdefault" || name == "pop") {
            arity(1, 2);
            for (size_t k = 0; k < v.keys.size(); ++k)
                if (equal(*v.keys[k], *pos[0])) {
                    const ValuePtr out = v.items[k];
                    if (name == "pop") {
                        v.keys.erase(v.keys.begin() + static_cast<long>(k));
                        v.items.erase(v.items.begin() + static_cast<long>(k));
                        ++v.version;
                    }
                    return out;
                }
            if (name == "pop" && pos.size() == 1) {
                if (pos[0]->kind == Value::Kind::Str)
                    throw PythonError("KeyError", pos[0]->s);
                throw ConsoleError("KeyError: " + repr(*pos[0]));
            }
            const ValuePtr fallback = pos.size() == 2 ? pos[1] : none();
            if (name == "setdefault")
                setItem(c, pos[0], fallback);
            return fallback;
        }
        if (name == "update") {
            const ValuePtr other = construct("dict", Args{pos, args.keywords});
            for (size_t k = 0; k < other->keys.size(); ++k)
                setItem(c, other->keys[k], other->items[k]);
            return none();
        }
        if (name == "copy") {
            arity(0, 0);
            ValuePtr d = dictValue(v.ordered);
            d->keys = v.keys;
            d->items = v.items;
            return d;
        }
        if (name == "clear") {
            arity(0, 0);
            v.keys.clear();
            v.items.clear();
            ++v.version;
            return none();
        }
    }
    if (v.kind == Value::Kind::Tuple || v.kind == Value::Kind::Size) {
        if (name == "numel" && v.kind == Value::Kind::Size) {
            arity(0, 0);
            int64_t n = 1;
            for (int64_t d : v.dims)
                n *= d;
            return integer(n);
        }
        const std::vector<ValuePtr> items = toVector(c);
        if (name == "count" || name == "index") {
            arity(1, 1);
            int64_t n = 0;
            for (size_t k = 0; k < items.size(); ++k)
                if (equal(*items[k], *pos[0])) {
                    if (name == "index")
                        return integer(static_cast<int64_t>(k));
                    ++n;
                }
            if (name == "count")
                return integer(n);
            throw PythonError("ValueError", "tuple.index(x): x not in tuple");
        }
    }
    unsupported(typeShortName(v) + "." + name + "()");
}

}  // namespace mx::stmt
