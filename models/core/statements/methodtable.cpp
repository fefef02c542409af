// Method tables: lookup, argument checks in CPython's words, and the table of each value's type.
#include "core/statements/methodtable.h"

#include "core/modulenode.h"
#include "core/pythonerror.h"

#include <algorithm>
#include <set>

namespace mx::stmt {

namespace {

std::string arguments(size_t n) { return std::to_string(n) + (n == 1 ? " argument" : " arguments"); }

void noKeywords(const std::string& qualName, const Args& args)
{
    if (!args.keywords.empty())
        typeError(qualName + "() takes no keyword arguments");
}

// Argument Clinic's _PyArg_CheckPositional.
void checkPositional(const std::string& name, size_t least, size_t most, size_t given)
{
    if (given < least)
        typeError(name + " expected " + (least == most ? "" : "at least ") + arguments(least) + ", got " +
                  std::to_string(given));
    if (given > most)
        typeError(name + " expected " + (least == most ? "" : "at most ") + arguments(most) + ", got " +
                  std::to_string(given));
}

// PyArg_ParseTuple's count messages.
void checkTuple(const std::string& name, size_t least, size_t most, size_t given)
{
    if (given < least || given > most)
        typeError(name + "() takes " + (least == most ? "exactly " : given < least ? "at least " : "at most ") +
                  arguments(given < least ? least : most) + " (" + std::to_string(given) + " given)");
}

// Argument Clinic's _PyArg_UnpackKeywords: the bound values in parameter order.
std::vector<ValuePtr> bindClinicKeywords(const Signature& sig, const Args& args)
{
    const std::string& name = sig.qualName;
    size_t positionalParams = 0;
    for (const Signature::Param& p : sig.params)
        if (!p.keywordOnly)
            ++positionalParams;
    if (args.positional.size() > positionalParams)
        typeError(positionalParams == 0 ? name + "() takes no positional arguments"
                                        : name + "() takes at most " + arguments(positionalParams) + " (" +
                                              std::to_string(args.positional.size()) + " given)");
    std::vector<ValuePtr> bound(sig.params.size());
    std::copy(args.positional.begin(), args.positional.end(), bound.begin());
    for (const auto& [key, value] : args.keywords) {
        size_t k = 0;
        while (k < sig.params.size() && sig.params[k].name != key)
            ++k;
        if (k == sig.params.size())
            typeError("'" + key + "' is an invalid keyword argument for " + name + "()");
        if (bound[k])
            typeError("argument for " + name + "() given by name ('" + key + "') and position (" +
                      std::to_string(k + 1) + ")");
        bound[k] = value;
    }
    for (size_t k = 0; k < bound.size(); ++k) {
        if (bound[k])
            continue;
        if (!sig.params[k].defaultValue)
            typeError(name + "() missing required argument '" + sig.params[k].name + "' (pos " +
                      std::to_string(k + 1) + ")");
        bound[k] = sig.params[k].defaultValue;
    }
    return bound;
}

}  // namespace

MethodTable::MethodTable(std::string typeName, std::vector<MethodEntry> entries,
                         bool (*inPython)(const std::string&), const MethodTable* base)
    : typeName_(std::move(typeName)), entries_(std::move(entries)), inPython_(inPython), base_(base)
{
}

const MethodTable* MethodTable::owner(const std::string& name) const
{
    for (const MethodTable* t = this; t; t = t->base_)
        for (const MethodEntry& e : t->entries_)
            if (e.name == name)
                return t;
    return nullptr;
}

const MethodEntry* MethodTable::find(const std::string& name) const
{
    if (const MethodTable* t = owner(name))
        for (const MethodEntry& e : t->entries_)
            if (e.name == name)
                return &e;
    return nullptr;
}

std::vector<std::string> MethodTable::names() const
{
    std::set<std::string> names;
    for (const MethodTable* t = this; t; t = t->base_)
        for (const MethodEntry& e : t->entries_)
            names.insert(e.name);
    return {names.begin(), names.end()};
}

ValuePtr MethodTable::attribute(const ValuePtr& self, const std::string& name) const
{
    if (find(name))
        return methodValue(self, name);
    if (inPython_(name))
        unsupported(typeShortName(*self) + "." + name);
    throw PythonError("AttributeError", "'" + typeShortName(*self) + "' object has no attribute '" + name + "'");
}

ValuePtr MethodTable::call(Interpreter& in, const ValuePtr& self, const std::string& name, const Args& args) const
{
    const MethodTable* defining = owner(name);
    if (!defining)
        unsupported(typeShortName(*self) + "." + name + "()");
    const MethodEntry& entry = *find(name);
    const ArgumentCheck& check = entry.check;
    // A table of functions has no type name: CPython names a builtin function alone.
    const std::string qualName = defining->typeName_.empty() ? name : defining->typeName_ + "." + name;
    const size_t given = args.positional.size();
    switch (check.convention) {
    case ArgumentCheck::Convention::NoArgs:
        noKeywords(qualName, args);
        if (given != 0)
            typeError(qualName + "() takes no arguments (" + std::to_string(given) + " given)");
        break;
    case ArgumentCheck::Convention::One:
        noKeywords(qualName, args);
        if (given != 1)
            typeError(qualName + "() takes exactly one argument (" + std::to_string(given) + " given)");
        break;
    case ArgumentCheck::Convention::Positional:
        noKeywords(qualName, args);
        checkPositional(name, check.least, check.most, given);
        break;
    case ArgumentCheck::Convention::Tuple:
        noKeywords(qualName, args);
        checkTuple(name, check.least, check.most, given);
        break;
    case ArgumentCheck::Convention::Keywords:
        return entry.call(in, self, Args{bindClinicKeywords(check.signature, args), {}});
    case ArgumentCheck::Convention::PythonSignature:
        return entry.call(in, self, Args{bindArguments(check.signature, args), {}});
    case ArgumentCheck::Convention::Own: break;
    }
    return entry.call(in, self, args);
}

const MethodTable* methodTableFor(const Value& v)
{
    switch (v.kind) {
    case Value::Kind::Str: return &strMethodTable();
    case Value::Kind::List: return &listMethodTable();
    case Value::Kind::Tuple: return &tupleMethodTable();
    case Value::Kind::Size: return &sizeMethodTable();
    case Value::Kind::Dict: return v.ordered ? &orderedDictMethodTable() : &dictMethodTable();
    case Value::Kind::DictView: return &dictViewMethodTable(v.s);
    case Value::Kind::Tensor: return &tensorMethodTable();
    case Value::Kind::Module: return &moduleClassTable(resolveModule(v.module).typeName());
    default: return nullptr;
    }
}

}  // namespace mx::stmt
