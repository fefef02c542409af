// The methods of list, tuple and torch.Size: one function per method, bound in their tables.
#include "core/statements/methodtable.h"

#include "core/pythonerror.h"
#include "core/statements/budget.h"
#include "core/statements/pythonnames.h"

#include <algorithm>

namespace mx::stmt {

namespace {

// index() of a list or tuple: the start and end arguments are not modelled.
void noStartEnd(const ValuePtr& self, const Args& args)
{
    if (args.positional.size() > 1)
        unsupported(typeShortName(*self) + ".index() with start and end arguments");
}

// The position of the first item equal to `item`, or -1.
int64_t position(const std::vector<ValuePtr>& items, const Value& item)
{
    for (size_t k = 0; k < items.size(); ++k)
        if (equal(*items[k], item))
            return static_cast<int64_t>(k);
    return -1;
}

ValuePtr occurrences(const std::vector<ValuePtr>& items, const Value& item)
{
    return integer(std::count_if(items.begin(), items.end(), [&](const ValuePtr& i) { return equal(*i, item); }));
}

// ---- list ----------------------------------------------------------------------------------------

ValuePtr listAppend(Interpreter&, const ValuePtr& self, const Args& args)
{
    self->items.push_back(args.positional[0]);
    return none();
}

ValuePtr listExtend(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const std::vector<ValuePtr> added = in.toVector(args.positional[0]);
    in.countSteps(added.size());  // x.extend(x) in a loop doubles: bounded by the step budget
    reserveBytes(saturatingMul(self->items.size() + added.size(), sizeof(ValuePtr)), "a list");
    self->items.insert(self->items.end(), added.begin(), added.end());
    return none();
}

ValuePtr listPop(Interpreter& in, const ValuePtr& self, const Args& args)
{
    std::vector<ValuePtr>& items = self->items;
    if (items.empty())
        throw PythonError("IndexError", "pop from empty list");
    int64_t k = args.positional.empty() ? -1 : in.indexValue(args.positional[0], "");
    const int64_t n = static_cast<int64_t>(items.size());
    if (k < 0)
        k += n;
    if (k < 0 || k >= n)
        throw PythonError("IndexError", "pop index out of range");
    const ValuePtr out = items[static_cast<size_t>(k)];
    items.erase(items.begin() + k);
    return out;
}

ValuePtr listInsert(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const int64_t n = static_cast<int64_t>(self->items.size());
    int64_t k = in.indexValue(args.positional[0], "");
    if (k < 0)
        k = std::max<int64_t>(0, k + n);
    self->items.insert(self->items.begin() + std::min(k, n), args.positional[1]);
    return none();
}

ValuePtr listRemove(Interpreter&, const ValuePtr& self, const Args& args)
{
    const int64_t k = position(self->items, *args.positional[0]);
    if (k < 0)
        throw PythonError("ValueError", "list.remove(x): x not in list");
    self->items.erase(self->items.begin() + k);
    return none();
}

ValuePtr listIndex(Interpreter&, const ValuePtr& self, const Args& args)
{
    noStartEnd(self, args);
    const int64_t k = position(self->items, *args.positional[0]);
    if (k < 0)
        throw PythonError("ValueError", repr(*args.positional[0]) + " is not in list");
    return integer(k);
}

ValuePtr listCount(Interpreter&, const ValuePtr& self, const Args& args)
{
    return occurrences(self->items, *args.positional[0]);
}

ValuePtr listClear(Interpreter&, const ValuePtr& self, const Args&)
{
    self->items.clear();
    return none();
}

ValuePtr listCopy(Interpreter&, const ValuePtr& self, const Args&) { return listValue(self->items); }

ValuePtr listReverse(Interpreter&, const ValuePtr& self, const Args&)
{
    std::reverse(self->items.begin(), self->items.end());
    return none();
}

// sort(*, key=None, reverse=False), as sorted() sorts.
ValuePtr listSort(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const Args sortArgs{{self}, {{"key", args.positional[0]}, {"reverse", args.positional[1]}}};
    self->items = in.callFunction("sorted", sortArgs)->items;
    return none();
}

// ---- tuple and torch.Size ------------------------------------------------------------------------

ValuePtr tupleIndex(Interpreter& in, const ValuePtr& self, const Args& args)
{
    noStartEnd(self, args);
    const int64_t k = position(in.toVector(self), *args.positional[0]);
    if (k < 0)
        throw PythonError("ValueError", "tuple.index(x): x not in tuple");
    return integer(k);
}

ValuePtr tupleCount(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return occurrences(in.toVector(self), *args.positional[0]);
}

ValuePtr sizeNumel(Interpreter&, const ValuePtr& self, const Args&)
{
    int64_t n = 1;
    for (int64_t d : self->dims)
        n *= d;
    return integer(n);
}

bool sizeMembers(const std::string& name) { return tupleMembers(name) || name == "numel"; }

}  // namespace

const MethodTable& listMethodTable()
{
    static const MethodTable table("list",
        {{"append", oneArg(), listAppend},
         {"extend", oneArg(), listExtend},
         {"pop", positionalArgs(0, 1), listPop},
         {"insert", positionalArgs(2, 2), listInsert},
         {"remove", oneArg(), listRemove},
         {"index", positionalArgs(1, 3), listIndex},
         {"count", oneArg(), listCount},
         {"clear", noArgs(), listClear},
         {"copy", noArgs(), listCopy},
         {"reverse", noArgs(), listReverse},
         {"sort", keywordArgs({"sort", {{"key", none(), true}, {"reverse", boolean(false), true}}, false}), listSort}},
        listMembers);
    return table;
}

const MethodTable& tupleMethodTable()
{
    static const MethodTable table("tuple",
        {{"index", positionalArgs(1, 3), tupleIndex},
         {"count", oneArg(), tupleCount}},
        tupleMembers);
    return table;
}

const MethodTable& sizeMethodTable()
{
    static const MethodTable table("Size", {{"numel", noArgs(), sizeNumel}}, sizeMembers, &tupleMethodTable());
    return table;
}

}  // namespace mx::stmt
