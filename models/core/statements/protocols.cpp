// Python's protocols: truth, iteration, len() and __index__.
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

// ---- protocols ---------------------------------------------------------------------------------

bool Interpreter::truthy(const Value& v)
{
    switch (v.kind) {
    case Value::Kind::None: return false;
    case Value::Kind::Bool: return v.b;
    case Value::Kind::Int: return v.i != 0;
    case Value::Kind::Float: return v.f != 0;
    case Value::Kind::Str: return !v.s.empty();
    case Value::Kind::List:
    case Value::Kind::Tuple: return !v.items.empty();
    case Value::Kind::Dict: return !v.keys.empty();
    case Value::Kind::DictView: return !v.receiver->keys.empty();
    case Value::Kind::Size: return !v.dims.empty();
    case Value::Kind::Range: return v.step > 0 ? v.start < v.stop : v.start > v.stop;
    case Value::Kind::Tensor: {
        const int64_t n = v.tensor.numel();
        if (n == 0)
            throw PythonError("RuntimeError", "Boolean value of Tensor with no values is ambiguous");
        if (n > 1)
            throw PythonError("RuntimeError",
                              "Boolean value of Tensor with more than one value is ambiguous");
        const tensors::Scalar s = tensors::item(v.tensor);
        return s.kind == tensors::Scalar::Kind::Bool ? s.b
               : s.kind == tensors::Scalar::Kind::Int ? s.i != 0
                                                      : s.f != 0;
    }
    case Value::Kind::Module: {
        ModuleNode& node = resolveModule(v.module);
        return (!isIndexedContainer(node.typeName()) && node.typeName() != "ModuleDict") ||
               !node.childSlots().empty();
    }
    default: return true;
    }
}

ValuePtr Interpreter::iterate(const ValuePtr& v)
{
    switch (v->kind) {
    case Value::Kind::Iterator: return v;
    case Value::Kind::List: {
        auto pos = std::make_shared<size_t>(0);
        return iteratorValue("list_iterator", "", [v, pos]() -> ValuePtr {
            return *pos < v->items.size() ? v->items[(*pos)++] : nullptr;
        });
    }
    case Value::Kind::Range: {
        auto next = std::make_shared<int64_t>(v->start);
        auto left = std::make_shared<int64_t>(rangeLength(*v));
        const int64_t step = v->step;
        return iteratorValue("range_iterator", "", [next, left, step]() -> ValuePtr {
            if (*left <= 0)
                return nullptr;
            --*left;
            const int64_t value = *next;
            *next += step;
            return integer(value);
        });
    }
    case Value::Kind::Tuple:
    case Value::Kind::Size:
    case Value::Kind::Str: {
        auto items = std::make_shared<std::vector<ValuePtr>>(toVector(v));
        auto pos = std::make_shared<size_t>(0);
        const std::string type = v->kind == Value::Kind::Str ? "str_ascii_iterator" : "tuple_iterator";
        return iteratorValue(type, "", [items, pos]() -> ValuePtr {
            return *pos < items->size() ? (*items)[(*pos)++] : nullptr;
        });
    }
    case Value::Kind::Dict:
    case Value::Kind::DictView: {
        const ValuePtr dict = v->kind == Value::Kind::Dict ? v : v->receiver;
        const std::string view = v->kind == Value::Kind::Dict ? "keys" : v->s;
        auto pos = std::make_shared<size_t>(0);
        const uint64_t version = dict->version;  // bumped when keys come or go, not for new values
        const size_t size = dict->keys.size();
        // CPython's OrderedDict iterator holds the next key: once it handed out the last one, it
        // is done whatever happens to the dict; a dict's iterator checks the size every time.
        auto more = std::make_shared<bool>(size > 0);
        const std::string type = std::string(dict->ordered ? "odict_" : "dict_") +
                                 (view == "keys" ? "keyiterator" : view == "values" ? "valueiterator" : "itemiterator");
        return iteratorValue(type, "", [dict, view, pos, version, size, more]() -> ValuePtr {
            if (dict->ordered && !*more)
                return nullptr;
            if (dict->version != version) {
                if (dict->ordered)
                    throw PythonError("RuntimeError", "OrderedDict mutated during iteration");
                if (dict->keys.size() != size)
                    throw PythonError("RuntimeError", "dictionary changed size during iteration");
                unsupported("replacing a dict's keys while iterating over it");
            }
            if (*pos >= dict->keys.size())
                return nullptr;
            const size_t k = (*pos)++;
            *more = *pos < dict->keys.size();
            if (view == "keys")
                return dict->keys[k];
            if (view == "values")
                return dict->items[k];
            return tupleValue({dict->keys[k], dict->items[k]});
        });
    }
    case Value::Kind::Tensor: {
        const std::vector<int64_t> shape = v->tensor.shape();
        if (shape.empty())
            typeError("iteration over a 0-d tensor");
        auto pos = std::make_shared<int64_t>(0);
        const TensorRef t = v->tensor;
        const int64_t n = shape[0];
        return iteratorValue("iterator", "", [t, pos, n]() -> ValuePtr {
            if (*pos >= n)
                return nullptr;
            tensors::Index ix;
            ix.i = (*pos)++;
            return tensorValue(tensors::index(t, {ix}));
        });
    }
    case Value::Kind::Module: {
        ModuleNode& node = resolveModule(v->module);
        const bool dict = node.typeName() == "ModuleDict";  // iterates over its keys
        if (!isIndexedContainer(node.typeName()) && !dict)
            typeError("'" + node.typeName() + "' object is not iterable");
        std::vector<ValuePtr> children;
        for (const ChildSlot& slot : node.childSlots())
            children.push_back(dict          ? str(slot.name)
                               : slot.module ? moduleValue(childRef(v->module, slot.name, slot.module.get()))
                                             : none());
        auto items = std::make_shared<std::vector<ValuePtr>>(std::move(children));
        auto pos = std::make_shared<size_t>(0);
        return iteratorValue("odict_valueiterator", "", [items, pos]() -> ValuePtr {
            return *pos < items->size() ? (*items)[(*pos)++] : nullptr;
        });
    }
    case Value::Kind::Opaque:  // load_state_dict's namedtuple unpacks
        if (v->s == "_IncompatibleKeys")
            return iterate(tupleValue(v->items));
        [[fallthrough]];
    default: typeError("'" + typeShortName(*v) + "' object is not iterable");
    }
}

ValuePtr Interpreter::nextItem(const ValuePtr& iterator)
{
    countSteps(1);
    return iterator->iterator->next();
}

std::vector<ValuePtr> Interpreter::toVector(const ValuePtr& v)
{
    switch (v->kind) {
    case Value::Kind::List:
    case Value::Kind::Tuple: return v->items;
    case Value::Kind::Size: {
        std::vector<ValuePtr> out;
        for (int64_t d : v->dims)
            out.push_back(integer(d));
        return out;
    }
    case Value::Kind::Str: return codePoints(v->s);
    case Value::Kind::Range: {
        if (static_cast<uint64_t>(rangeLength(*v)) > kMaxSteps)
            unsupported("ranges of more than " + std::to_string(kMaxSteps) + " items");
        std::vector<ValuePtr> out;
        if (v->step > 0)
            for (int64_t k = v->start; k < v->stop; k += v->step)
                out.push_back(integer(k));
        else
            for (int64_t k = v->start; k > v->stop; k += v->step)
                out.push_back(integer(k));
        return out;
    }
    default: {
        std::vector<ValuePtr> out;
        const ValuePtr it = iterate(v);
        while (const ValuePtr item = nextItem(it))
            out.push_back(item);
        return out;
    }
    }
}

int64_t Interpreter::len(const ValuePtr& v)
{
    switch (v->kind) {
    case Value::Kind::Str: return static_cast<int64_t>(utf8Length(v->s));
    case Value::Kind::List:
    case Value::Kind::Tuple: return static_cast<int64_t>(v->items.size());
    case Value::Kind::Dict: return static_cast<int64_t>(v->keys.size());
    case Value::Kind::DictView: return static_cast<int64_t>(v->receiver->keys.size());
    case Value::Kind::Size: return static_cast<int64_t>(v->dims.size());
    case Value::Kind::Range: return rangeLength(*v);
    case Value::Kind::Tensor: {
        const std::vector<int64_t> shape = v->tensor.shape();
        if (shape.empty())
            typeError("len() of a 0-d tensor");
        return shape[0];
    }
    case Value::Kind::Module: {
        ModuleNode& node = resolveModule(v->module);
        if (isIndexedContainer(node.typeName()) || node.typeName() == "ModuleDict")
            return static_cast<int64_t>(node.childSlots().size());
        typeError("object of type '" + node.typeName() + "' has no len()");
    }
    default: typeError("object of type '" + typeShortName(*v) + "' has no len()");
    }
}

int64_t Interpreter::indexValue(const ValuePtr& v, const std::string& what)
{
    if (isIntLike(*v))
        return intOf(*v);
    if (v->kind == Value::Kind::Tensor && v->tensor.numel() == 1 && !tensors::isFloatingPoint(v->tensor)) {
        const tensors::Scalar s = tensors::item(v->tensor);
        if (s.kind == tensors::Scalar::Kind::Int)
            return s.i;
    }
    if (what == "slice indices")
        typeError("slice indices must be integers or None or have an __index__ method");
    typeError("'" + typeShortName(*v) + "' object cannot be interpreted as an integer");
}

}  // namespace mx::stmt
