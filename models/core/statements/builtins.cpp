// print, the builtin classes (construct: int, str, list, dict, range, zip, Parameter, layers, ...),
// method calls and tensor methods. The builtin functions are in pybuiltins.cpp.
#include "core/statements/interpreter.h"
#include "core/statements/budget.h"
#include "core/statements/interpreterhelpers.h"
#include "core/statements/methodtable.h"

#include "core/attributevalue.h"
#include "core/formatting.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/statements/tensorops.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>

namespace mx::stmt {

namespace {

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

// ---- methods -----------------------------------------------------------------------------------

ValuePtr Interpreter::callMethod(const ValuePtr& receiver, const std::string& name, const Args& args)
{
    switch (receiver->kind) {
    case Value::Kind::Optimizer: return callOptimizerMethod(receiver, name, args);
    default:
        if (receiver->kind == Value::Kind::Dict && name != "copy" && name != "get" && name != "keys" &&
            name != "values" && name != "items")
            refuseViewChange(*receiver);  // a module's _modules / _parameters / _buffers
        if (const MethodTable* table = methodTableFor(*receiver))
            return table->call(*this, receiver, name, args);
        unsupported(typeShortName(*receiver) + "." + name + "()");
    }
}

}  // namespace mx::stmt
