// The methods of dict, OrderedDict and the dict views: one function per method, bound in their tables.
#include "core/statements/methodtable.h"

#include "core/pythonerror.h"
#include "core/statements/pythonnames.h"

namespace mx::stmt {

namespace {

// The default of OrderedDict.pop / setdefault when the call gives none.
const ValuePtr& notGiven()
{
    static const ValuePtr marker = std::make_shared<Value>();
    return marker;
}

// The index of `key` in the dict, or -1.
int64_t keyIndex(const Value& dict, const Value& key)
{
    for (size_t k = 0; k < dict.keys.size(); ++k)
        if (equal(*dict.keys[k], key))
            return static_cast<int64_t>(k);
    return -1;
}

[[noreturn]] void keyError(const Value& key)
{
    if (key.kind == Value::Kind::Str)
        throw PythonError("KeyError", key.s);
    throw ConsoleError("KeyError: " + repr(key));
}

ValuePtr view(const ValuePtr& self, const char* which)
{
    auto v = std::make_shared<Value>();
    v->kind = Value::Kind::DictView;
    v->receiver = self;
    v->s = which;
    return v;
}

ValuePtr dictKeys(Interpreter&, const ValuePtr& self, const Args&) { return view(self, "keys"); }
ValuePtr dictValues(Interpreter&, const ValuePtr& self, const Args&) { return view(self, "values"); }
ValuePtr dictItems(Interpreter&, const ValuePtr& self, const Args&) { return view(self, "items"); }

ValuePtr dictGet(Interpreter&, const ValuePtr& self, const Args& args)
{
    const auto& pos = args.positional;
    const int64_t k = keyIndex(*self, *pos[0]);
    if (k >= 0)
        return self->items[static_cast<size_t>(k)];
    return pos.size() == 2 ? pos[1] : none();
}

// pop(key[, default]): `fallback` is nullptr or notGiven() when the call gave no default.
ValuePtr popKey(const ValuePtr& self, const ValuePtr& key, const ValuePtr& fallback)
{
    Value& d = *self;
    const int64_t k = keyIndex(d, *key);
    if (k < 0) {
        if (!fallback || fallback == notGiven())
            keyError(*key);
        return fallback;
    }
    const ValuePtr out = d.items[static_cast<size_t>(k)];
    d.keys.erase(d.keys.begin() + k);
    d.items.erase(d.items.begin() + k);
    ++d.version;
    return out;
}

ValuePtr dictPop(Interpreter&, const ValuePtr& self, const Args& args)
{
    const auto& pos = args.positional;
    return popKey(self, pos[0], pos.size() == 2 ? pos[1] : nullptr);
}

ValuePtr dictSetdefault(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const auto& pos = args.positional;
    const int64_t k = keyIndex(*self, *pos[0]);
    if (k >= 0)
        return self->items[static_cast<size_t>(k)];
    const ValuePtr fallback = pos.size() == 2 && pos[1] != notGiven() ? pos[1] : none();
    in.setItem(self, pos[0], fallback);
    return fallback;
}

// update([other], **kwargs), its argument count already checked.
ValuePtr mergeInto(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const ValuePtr other = in.construct("dict", args);
    for (size_t k = 0; k < other->keys.size(); ++k)
        in.setItem(self, other->keys[k], other->items[k]);
    return none();
}

ValuePtr dictUpdate(Interpreter& in, const ValuePtr& self, const Args& args)
{
    if (args.positional.size() > 1)
        typeError("update expected at most 1 argument, got " + std::to_string(args.positional.size()));
    return mergeInto(in, self, args);
}

ValuePtr dictCopy(Interpreter&, const ValuePtr& self, const Args&)
{
    ValuePtr d = dictValue(self->ordered);
    d->keys = self->keys;
    d->items = self->items;
    return d;
}

ValuePtr dictClear(Interpreter&, const ValuePtr& self, const Args&)
{
    self->keys.clear();
    self->items.clear();
    ++self->version;
    return none();
}

// ---- OrderedDict's own versions (keyword arguments, its own messages) --------------------------

ValuePtr orderedPop(Interpreter&, const ValuePtr& self, const Args& args)
{
    return popKey(self, args.positional[0], args.positional[1]);
}

ValuePtr orderedUpdate(Interpreter& in, const ValuePtr& self, const Args& args)
{
    if (args.positional.size() > 1)
        typeError("update() takes at most 1 positional argument (" + std::to_string(args.positional.size()) + " given)");
    return mergeInto(in, self, args);
}

bool orderedDictMembers(const std::string& name) { return dictMembers(name) || name == "move_to_end"; }

bool keysViewMembers(const std::string& name) { return name == "isdisjoint" || name == "mapping"; }
bool valuesViewMembers(const std::string& name) { return name == "mapping"; }

}  // namespace

const MethodTable& dictMethodTable()
{
    static const MethodTable table("dict",
        {{"keys", noArgs(), dictKeys},
         {"values", noArgs(), dictValues},
         {"items", noArgs(), dictItems},
         {"get", positionalArgs(1, 2), dictGet},
         {"pop", positionalArgs(1, 2), dictPop},
         {"setdefault", positionalArgs(1, 2), dictSetdefault},
         {"update", ownCheck(), dictUpdate},
         {"copy", noArgs(), dictCopy},
         {"clear", noArgs(), dictClear}},
        dictMembers);
    return table;
}

const MethodTable& orderedDictMethodTable()
{
    static const MethodTable table("OrderedDict",
        {{"keys", noArgs(), dictKeys},
         {"values", noArgs(), dictValues},
         {"items", noArgs(), dictItems},
         {"pop", keywordArgs({"pop", {{"key", nullptr}, {"default", notGiven()}}, false}), orderedPop},
         {"setdefault", keywordArgs({"setdefault", {{"key", nullptr}, {"default", none()}}, false}), dictSetdefault},
         {"update", ownCheck(), orderedUpdate},
         {"copy", noArgs(), dictCopy},
         {"clear", noArgs(), dictClear}},
        orderedDictMembers, &dictMethodTable());
    return table;
}

const MethodTable& dictViewMethodTable(const std::string& which)
{
    static const MethodTable keys("dict_keys", {}, keysViewMembers);
    static const MethodTable values("dict_values", {}, valuesViewMembers);
    static const MethodTable items("dict_items", {}, keysViewMembers);
    return which == "keys" ? keys : which == "values" ? values : items;
}

}  // namespace mx::stmt
