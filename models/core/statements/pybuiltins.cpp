// Python's builtin functions (len, repr, isinstance, getattr, sorted, min, ...): one function per
// builtin, bound in the builtins table; and calling any function value by its qualified name.
// The builtins that are classes (int, str, list, dict, range, zip, ...) are made by construct().
#include "core/statements/methodtable.h"

#include "core/pythonerror.h"
#include "core/statements/interpreterhelpers.h"
#include "core/statements/lexer.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace mx::stmt {

namespace {

using Pos = std::vector<ValuePtr>;

// The classes isinstance() accepts for a value, most derived first.
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

const std::string& attributeName(const ValuePtr& v)
{
    if (v->kind != Value::Kind::Str)
        typeError("attribute name must be string, not '" + typeShortName(*v) + "'");
    return v->s;
}

// ---- objects -------------------------------------------------------------------------------------

ValuePtr builtinLen(Interpreter& in, const ValuePtr&, const Args& args) { return integer(in.len(args.positional[0])); }

ValuePtr builtinRepr(Interpreter&, const ValuePtr&, const Args& args) { return str(repr(*args.positional[0])); }

ValuePtr builtinId(Interpreter&, const ValuePtr&, const Args& args)
{
    return integer(static_cast<int64_t>(reinterpret_cast<intptr_t>(objectIdentity(args.positional[0]))));
}

ValuePtr builtinCallable(Interpreter&, const ValuePtr&, const Args& args)
{
    const Value::Kind k = args.positional[0]->kind;
    return boolean(k == Value::Kind::Function || k == Value::Kind::Method || k == Value::Kind::Class ||
                   k == Value::Kind::Module);
}

ValuePtr builtinIsinstance(Interpreter& in, const ValuePtr&, const Args& args)
{
    const Pos& pos = args.positional;
    const std::vector<ValuePtr> classes =
        pos[1]->kind == Value::Kind::Tuple ? pos[1]->items : std::vector<ValuePtr>{pos[1]};
    std::vector<std::string> chain = typeChain(*pos[0]);
    if (const std::shared_ptr<UserClass> cls = in.classOf(*pos[0]))  // and its user base classes
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

ValuePtr builtinHasattr(Interpreter& in, const ValuePtr&, const Args& args)
{
    const std::string& name = attributeName(args.positional[1]);
    return boolean(in.hasAttribute(args.positional[0], name));
}

ValuePtr builtinGetattr(Interpreter& in, const ValuePtr&, const Args& args)
{
    const Pos& pos = args.positional;
    const std::string& name = attributeName(pos[1]);
    if (pos.size() < 3)
        return in.getAttribute(pos[0], name);
    try {
        return in.getAttribute(pos[0], name);
    } catch (const PythonError& e) {
        if (e.type() == "AttributeError")
            return pos[2];
        throw;
    }
}

ValuePtr builtinSetattr(Interpreter& in, const ValuePtr&, const Args& args)
{
    in.setAttribute(args.positional[0], attributeName(args.positional[1]), args.positional[2]);
    return none();
}

ValuePtr builtinDelattr(Interpreter& in, const ValuePtr&, const Args& args)
{
    in.deleteAttribute(args.positional[0], attributeName(args.positional[1]));
    return none();
}

ValuePtr builtinPrint(Interpreter& in, const ValuePtr&, const Args& args) { return in.print(args); }

ValuePtr builtinDir(Interpreter& in, const ValuePtr&, const Args& args) { return in.dir(args); }

// ---- iteration -----------------------------------------------------------------------------------

ValuePtr builtinIter(Interpreter& in, const ValuePtr&, const Args& args) { return in.iterate(args.positional[0]); }

ValuePtr builtinNext(Interpreter& in, const ValuePtr&, const Args& args)
{
    const Pos& pos = args.positional;
    if (pos[0]->kind != Value::Kind::Iterator)
        typeError("'" + typeShortName(*pos[0]) + "' object is not an iterator");
    if (const ValuePtr v = in.nextItem(pos[0]))
        return v;
    if (pos.size() == 2)
        return pos[1];
    throw ConsoleError("StopIteration");
}

// any() and all(): stop at the first item whose truth is `stopAt`.
ValuePtr firstWithTruth(Interpreter& in, const ValuePtr& iterable, bool stopAt)
{
    const ValuePtr it = in.iterate(iterable);
    while (const ValuePtr v = in.nextItem(it))
        if (in.truthy(*v) == stopAt)
            return boolean(stopAt);
    return boolean(!stopAt);
}

ValuePtr builtinAny(Interpreter& in, const ValuePtr&, const Args& args) { return firstWithTruth(in, args.positional[0], true); }

ValuePtr builtinAll(Interpreter& in, const ValuePtr&, const Args& args) { return firstWithTruth(in, args.positional[0], false); }

ValuePtr builtinSorted(Interpreter& in, const ValuePtr&, const Args& args)
{
    if (args.positional.size() != 1)
        typeError("sorted expected 1 argument, got " + std::to_string(args.positional.size()));
    bool reverse = false;
    for (const auto& [k, v] : args.keywords) {
        if (k == "reverse")
            reverse = in.truthy(*v);
        else if (k == "key") {
            if (v->kind != Value::Kind::None)
                unsupported("sorted(key=...)");
        } else
            typeError("'" + k + "' is an invalid keyword argument for sort()");
    }
    std::vector<ValuePtr> items = in.toVector(args.positional[0]);
    std::stable_sort(items.begin(), items.end(), [&](const ValuePtr& a, const ValuePtr& b) {
        return in.truthy(*in.compare("<", reverse ? b : a, reverse ? a : b));
    });
    return listValue(items);
}

ValuePtr builtinSum(Interpreter& in, const ValuePtr&, const Args& args)
{
    const Pos& pos = args.positional;
    if (pos.empty())
        typeError("sum() takes at least 1 positional argument (0 given)");
    if (pos.size() > 2)
        typeError("sum() takes at most 2 arguments (" + std::to_string(pos.size()) + " given)");
    ValuePtr total = pos.size() == 2 ? pos[1] : keywordOr(args, "start", integer(0));
    if (total->kind == Value::Kind::Str)
        typeError("sum() can't sum strings [use ''.join(seq) instead]");
    const ValuePtr it = in.iterate(pos[0]);
    while (const ValuePtr v = in.nextItem(it))
        total = in.binaryOp("+", total, v);
    return total;
}

// min() and max(): `op` is "<" or ">".
ValuePtr extreme(Interpreter& in, const std::string& fn, const std::string& op, const Args& args)
{
    const Pos& pos = args.positional;
    for (const auto& [k, v] : args.keywords)
        if (k == "key" || k == "default")
            unsupported(fn + "(" + k + "=...)");
        else
            typeError("'" + k + "' is an invalid keyword argument for " + fn + "()");
    if (pos.empty())
        typeError(fn + " expected at least 1 argument, got 0");
    const std::vector<ValuePtr> items = pos.size() == 1 ? in.toVector(pos[0]) : pos;
    if (items.empty())
        throw PythonError("ValueError", fn + "() arg is an empty sequence");
    ValuePtr best = items[0];
    for (size_t k = 1; k < items.size(); ++k)
        if (in.truthy(*in.compare(op, items[k], best)))
            best = items[k];
    return best;
}

ValuePtr builtinMin(Interpreter& in, const ValuePtr&, const Args& args) { return extreme(in, "min", "<", args); }

ValuePtr builtinMax(Interpreter& in, const ValuePtr&, const Args& args) { return extreme(in, "max", ">", args); }

// ---- numbers and characters ------------------------------------------------------------------------

ValuePtr builtinAbs(Interpreter&, const ValuePtr&, const Args& args)
{
    const Value& v = *args.positional[0];
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

ValuePtr roundToInteger(double f)
{
    if (std::isnan(f))
        throw PythonError("ValueError", "cannot convert float NaN to integer");
    if (std::isinf(f))
        throw PythonError("OverflowError", "cannot convert float infinity to integer");
    const double r = std::nearbyint(f);
    if (std::fabs(r) >= 9.2e18)
        unsupported("integers beyond 64 bits");
    return integer(static_cast<int64_t>(r));
}

// round(number, ndigits=None), its arguments bound.
ValuePtr builtinRound(Interpreter& in, const ValuePtr&, const Args& args)
{
    const Value& v = *args.positional[0];
    const ValuePtr& ndigits = args.positional[1];
    if (isIntLike(v))
        return integer(intOf(v));
    if (v.kind != Value::Kind::Float)
        unsupported("round() of " + typeShortName(v));
    if (ndigits->kind == Value::Kind::None)
        return roundToInteger(v.f);
    const int64_t digits = in.indexValue(ndigits, "");
    if (digits < 0 || digits > 300)
        unsupported("round() with these ndigits");
    if (!std::isfinite(v.f))
        return floating(v.f);
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(digits), v.f);
    return floating(std::strtod(buf, nullptr));
}

ValuePtr builtinChr(Interpreter& in, const ValuePtr&, const Args& args)
{
    const int64_t c = in.indexValue(args.positional[0], "");
    if (c < 0 || c > 0x10FFFF)
        throw PythonError("ValueError", "chr() arg not in range(0x110000)");
    std::string s;
    appendUtf8(s, static_cast<unsigned>(c));
    return str(s);
}

ValuePtr builtinOrd(Interpreter&, const ValuePtr&, const Args& args)
{
    const Value& v = *args.positional[0];
    if (v.kind != Value::Kind::Str)
        typeError("ord() expected string of length 1, but " + typeShortName(v) + " found");
    const size_t n = utf8Length(v.s);
    if (n != 1)
        typeError("ord() expected a character, but string of length " + std::to_string(n) + " found");
    size_t i = 0;
    return integer(decodeUtf8(v.s, i));
}

// Builtins are names, never attributes: the ones the table lacks (hex, open, ...) are refused by
// callFunction.
bool noAttributes(const std::string&) { return false; }

// The namespace a function value's qualified name lies in, and the table of its functions.
struct Namespace {
    std::string module;   // "" for the builtins
    std::string function;
    const MethodTable* table;
};

Namespace namespaceOf(const std::string& qualName)
{
    const size_t dot = qualName.rfind('.');
    if (dot == std::string::npos)
        return {"", qualName, &builtinFunctionTable()};
    const std::string module = qualName.substr(0, dot);
    return {module, qualName.substr(dot + 1), functionTableOf(module)};
}

}  // namespace

const MethodTable& builtinFunctionTable()
{
    // An empty type name: CPython's messages name a builtin function alone ("len() takes ...").
    static const MethodTable table(
        "",
        {
            {"print", ownCheck(), builtinPrint},
            {"dir", ownCheck(), builtinDir},
            {"len", oneArg(), builtinLen},
            {"repr", oneArg(), builtinRepr},
            {"isinstance", positionalArgs(2, 2), builtinIsinstance},
            {"hasattr", positionalArgs(2, 2), builtinHasattr},
            {"getattr", positionalArgs(2, 3), builtinGetattr},
            {"setattr", positionalArgs(3, 3), builtinSetattr},
            {"delattr", positionalArgs(2, 2), builtinDelattr},
            {"iter", oneArg(), builtinIter},
            {"next", positionalArgs(1, 2), builtinNext},
            {"any", oneArg(), builtinAny},
            {"all", oneArg(), builtinAll},
            {"id", oneArg(), builtinId},
            {"callable", oneArg(), builtinCallable},
            {"chr", oneArg(), builtinChr},
            {"ord", oneArg(), builtinOrd},
            {"sorted", ownCheck(), builtinSorted},
            {"sum", ownCheck(), builtinSum},
            {"min", ownCheck(), builtinMin},
            {"max", ownCheck(), builtinMax},
            {"abs", oneArg(), builtinAbs},
            {"round", pythonSignature({"round", {{"number", nullptr}, {"ndigits", none()}}, false}), builtinRound},
        },
        noAttributes);
    return table;
}

const MethodTable* functionTableOf(const std::string& module)
{
    if (module == "torch")
        return &torchFunctionTable();
    if (module == "torch.nn.functional")
        return &functionalTable();
    if (module == "torch.cuda")
        return &cudaFunctionTable();
    return nullptr;
}

ValuePtr Interpreter::callFunction(const std::string& name, const Args& args)
{
    const Namespace ns = namespaceOf(name);
    if (!ns.table || !ns.table->find(ns.function))
        unsupported("'" + name + "'");
    return ns.table->call(*this, namespaceValue(ns.module.empty() ? "builtins" : ns.module), ns.function, args);
}

}  // namespace mx::stmt
