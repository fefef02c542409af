// obj[index], obj[index] = value and del obj[index] for strings, lists, tuples, dicts and tensors.
#include "core/statements/interpreter.h"

#include "core/formatting.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/resourcebudget.h"
#include "core/statements/budget.h"
#include "core/statements/interpreterhelpers.h"
#include "core/statements/tensorops.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <set>
#include <string_view>

namespace mx::stmt {

// ---- subscripts --------------------------------------------------------------------------------

// s[index] and s[slice] by byte offsets: no value per character, so long strings index cheaply.
ValuePtr Interpreter::stringItem(const std::string& s, const ValuePtr& index, bool isSlice)
{
    const bool ascii = std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    std::vector<size_t> offsets;  // of each character, then the end (non-ASCII only)
    if (!ascii) {
        reserveBytes(saturatingMul(s.size(), sizeof(size_t)), "the characters of a string");
        for (size_t i = 0; i < s.size();) {
            offsets.push_back(i);
            decodeUtf8(s, i);
        }
        offsets.push_back(s.size());
    }
    const int64_t n = ascii ? static_cast<int64_t>(s.size()) : static_cast<int64_t>(offsets.size()) - 1;
    auto character = [&](int64_t k) {
        const size_t from = ascii ? static_cast<size_t>(k) : offsets[static_cast<size_t>(k)];
        const size_t to = ascii ? from + 1 : offsets[static_cast<size_t>(k) + 1];
        return std::string_view(s).substr(from, to - from);
    };
    if (isSlice) {
        int64_t start, stop, step;
        sliceIndices(*index, n, start, stop, step, *this);
        const int64_t count = step > 0 ? (start < stop ? (stop - start - 1) / step + 1 : 0)
                                       : (start > stop ? (start - stop - 1) / (-step) + 1 : 0);
        reserveBytes(saturatingMul(static_cast<uint64_t>(count), 4));
        std::string out;
        for (int64_t k = 0, at = start; k < count; ++k, at += step)
            out += character(at);
        return str(std::move(out));
    }
    if (!isIntLike(*index) && index->kind != Value::Kind::Tensor)
        typeError("string indices must be integers or slices, not " + typeShortName(*index));
    int64_t k = indexValue(index, "string indices");
    if (k < 0)
        k += n;
    if (k < 0 || k >= n)
        throw PythonError("IndexError", "string index out of range");
    return str(std::string(character(k)));
}

ValuePtr Interpreter::subscript(const ValuePtr& obj, const ValuePtr& index)
{
    const Value& o = *obj;
    const bool isSlice = index->kind == Value::Kind::Slice;
    auto sequenceItem = [&](const std::vector<ValuePtr>& items, const std::string& what) -> ValuePtr {
        if (isSlice) {
            int64_t start, stop, step;
            sliceIndices(*index, static_cast<int64_t>(items.size()), start, stop, step, *this);
            return listValue(sliced(items, start, stop, step));
        }
        if (!isIntLike(*index) && index->kind != Value::Kind::Tensor)
            typeError(what + " indices must be integers or slices, not " + typeShortName(*index));
        int64_t k = indexValue(index, what + " indices");
        const int64_t n = static_cast<int64_t>(items.size());
        if (k < 0)
            k += n;
        if (k < 0 || k >= n)
            throw PythonError("IndexError", what + " index out of range");
        return items[static_cast<size_t>(k)];
    };
    switch (o.kind) {
    case Value::Kind::List: return sequenceItem(o.items, "list");
    case Value::Kind::Tuple: {
        ValuePtr r = sequenceItem(o.items, "tuple");
        return isSlice ? tupleValue(r->items) : r;
    }
    case Value::Kind::Size: {
        ValuePtr r = sequenceItem(toVector(obj), "tuple");
        if (!isSlice)
            return r;
        std::vector<int64_t> dims;
        for (const ValuePtr& v : r->items)
            dims.push_back(v->i);
        return sizeValue(dims);
    }
    case Value::Kind::Str: return stringItem(o.s, index, isSlice);
    case Value::Kind::Range: {
        std::vector<ValuePtr> items = toVector(obj);
        ValuePtr r = sequenceItem(items, "range object");
        if (isSlice)
            unsupported("slicing a range");
        return r;
    }
    case Value::Kind::Dict:
        if (!hashable(*index))
            typeError("unhashable type: '" + typeShortName(*index) + "'");
        for (size_t k = 0; k < o.keys.size(); ++k)
            if (equal(*o.keys[k], *index))
                return o.items[k];
        if (index->kind == Value::Kind::Str)
            throw PythonError("KeyError", index->s);
        throw ConsoleError("KeyError: " + repr(*index));
    case Value::Kind::Tensor: {
        std::vector<tensors::Index> list;
        const std::vector<ValuePtr> parts =
            index->kind == Value::Kind::Tuple ? index->items : std::vector<ValuePtr>{index};
        for (const ValuePtr& p : parts) {
            tensors::Index ix;
            if (p->kind == Value::Kind::Int) {
                ix.i = p->i;
            } else if (p->kind == Value::Kind::Bool) {
                ix.kind = tensors::Index::Kind::Bool;
                ix.i = p->b;
            } else if (p->kind == Value::Kind::None) {
                ix.kind = tensors::Index::Kind::None;
            } else if (p->kind == Value::Kind::Ellipsis) {
                ix.kind = tensors::Index::Kind::Ellipsis;
            } else if (p->kind == Value::Kind::Slice) {
                ix.kind = tensors::Index::Kind::Slice;
                if ((ix.hasStart = p->items[0]->kind != Value::Kind::None))
                    ix.start = indexValue(p->items[0], "slice indices");
                if ((ix.hasStop = p->items[1]->kind != Value::Kind::None))
                    ix.stop = indexValue(p->items[1], "slice indices");
                if ((ix.hasStep = p->items[2]->kind != Value::Kind::None))
                    ix.step = indexValue(p->items[2], "slice indices");
            } else {
                unsupported("indexing a tensor with " + typeShortName(*p) + " values");
            }
            list.push_back(ix);
        }
        return tensorValue(tensors::index(o.tensor, list));
    }
    case Value::Kind::Module: return containerItem(obj, index);
    default:
        typeError("'" + typeShortName(o) + "' object is not subscriptable");
    }
}

// `list[i] = v` and `del list[i]`: the position i names (negative counts from the end), or
// Python's TypeError / IndexError; slices are not supported (`sliceWhat` says which use).
size_t Interpreter::listAssignmentIndex(const Value& list, const ValuePtr& index, const char* sliceWhat)
{
    if (index->kind == Value::Kind::Slice)
        unsupported(sliceWhat);
    if (!isIntLike(*index))
        typeError("list indices must be integers or slices, not " + typeShortName(*index));
    int64_t k = intOf(*index);
    const int64_t n = static_cast<int64_t>(list.items.size());
    if (k < 0)
        k += n;
    if (k < 0 || k >= n)
        throw PythonError("IndexError", "list assignment index out of range");
    return static_cast<size_t>(k);
}

void Interpreter::setItem(const ValuePtr& obj, const ValuePtr& index, const ValuePtr& value)
{
    Value& o = *obj;
    switch (o.kind) {
    case Value::Kind::List: {
        o.items[listAssignmentIndex(o, index, "slice assignment")] = value;
        return;
    }
    case Value::Kind::Dict:
        refuseViewChange(o);
        if (!hashable(*index))
            typeError("unhashable type: '" + typeShortName(*index) + "'");
        for (size_t k = 0; k < o.keys.size(); ++k)
            if (equal(*o.keys[k], *index)) {
                o.items[k] = value;
                return;
            }
        o.keys.push_back(index);
        o.items.push_back(value);
        ++o.version;
        return;
    case Value::Kind::Module: setContainerItem(obj, index, value); return;
    case Value::Kind::Tensor: setTensorItem(obj, index, value); return;
    default: typeError("'" + typeShortName(o) + "' object does not support item assignment");
    }
}

void Interpreter::delItem(const ValuePtr& obj, const ValuePtr& index)
{
    Value& o = *obj;
    switch (o.kind) {
    case Value::Kind::List: {
        o.items.erase(o.items.begin() + long(listAssignmentIndex(o, index, "deleting a slice")));
        return;
    }
    case Value::Kind::Dict:
        refuseViewChange(o);
        for (size_t k = 0; k < o.keys.size(); ++k)
            if (equal(*o.keys[k], *index)) {
                o.keys.erase(o.keys.begin() + static_cast<long>(k));
                o.items.erase(o.items.begin() + static_cast<long>(k));
                ++o.version;
                return;
            }
        if (index->kind == Value::Kind::Str)
            throw PythonError("KeyError", index->s);
        throw ConsoleError("KeyError: " + repr(*index));
    case Value::Kind::Module: deleteContainerItem(obj, index); return;
    default: typeError("'" + typeShortName(o) + "' object doesn't support item deletion");
    }
}

}  // namespace mx::stmt
