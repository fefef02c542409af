// nn.Sequential, nn.ModuleList and nn.ModuleDict in the console, as PyTorch 1.13's
// torch/nn/modules/container.py has them: construction, their own methods, indexing, slicing,
// item assignment and deletion, `+`, `+=` and `*`. Every change goes through the module's
// checked mutations (setattr, add_module, delattr), so it is one undoable edit or more.

#include "core/forwardplan.h"
#include "core/layers.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/statements/methodtable.h"

#include <algorithm>

namespace mx::stmt {

namespace {

bool isIntIndex(const Value& v) { return v.kind == Value::Kind::Int || v.kind == Value::Kind::Bool; }

int64_t intIndex(const Value& v) { return v.kind == Value::Kind::Bool ? (v.b ? 1 : 0) : v.i; }

// TorchScript's containers (a RecursiveScriptModule) have their own, narrower methods.
void refuseScripted(const ModuleNode& node, const std::string& what)
{
    if (node.isScripted())
        unsupported(what + " on a TorchScript " + node.typeName());
}

// A module no module holds any more (popped out of a container): the console owns it now.
ValuePtr detachedModule(std::shared_ptr<ModuleNode> node)
{
    auto holder = std::make_shared<ModuleHolder>();
    const ModuleNode* p = node.get();
    holder->owned = std::move(node);
    return moduleValue({holder, {}, p, holder->owned});
}

// "<class 'list'>", as str(type(x)) prints in container.py's messages.
std::string classText(const Value& v) { return "<class '" + typeQualName(v) + "'>"; }

}  // namespace

bool isIndexedContainer(const std::string& typeName)
{
    return typeName == "Sequential" || typeName == "ModuleList";
}

void Interpreter::addChildModule(const ValuePtr& container, const ValuePtr& key, const ValuePtr& module)
{
    ModuleNode& node = resolveModule(container->module);
    AttributeValue nameValue = toAttributeValue(key, false);
    AttributeValue moduleValue = toAttributeValue(module, module->kind == Value::Kind::Module);
    try {
        record(node.addModuleChecked(nameValue, std::move(moduleValue)));
    } catch (const UnsupportedError& e) {
        throw PythonError("NotImplementedError", e.what());
    }
    if (key->kind == Value::Kind::Str)
        attached(module, container->module, key->s);
}

ValuePtr Interpreter::constructContainer(const std::string& cls, const Args& args)
{
    const std::vector<ValuePtr> a = bindArguments({cls + ".__init__", {{"modules", none()}}}, args);
    auto holder = std::make_shared<ModuleHolder>();
    // As the factories make them: no forward ("Module [ModuleList] is missing ... forward").
    holder->owned = cls == "ModuleList" ? std::shared_ptr<ModuleNode>(makeModuleList({}))
                                        : std::shared_ptr<ModuleNode>(makeModuleDict({}));
    const ValuePtr container = moduleValue({holder, {}, holder->owned.get(), holder->owned});
    if (a[0]->kind != Value::Kind::None) {
        Args one;
        one.positional.push_back(a[0]);
        moduleClassTable(cls).call(*this, container, cls == "ModuleList" ? "extend" : "update", one);
    }
    return container;
}

// ---- helpers -----------------------------------------------------------------------------------

ValuePtr Interpreter::containerEntry(const ValuePtr& container, const ChildSlot& slot)
{
    return slot.module ? moduleValue(childRef(container->module, slot.name, slot.module.get())) : none();
}

std::vector<size_t> Interpreter::slicePositions(const ValuePtr& slice, size_t size)
{
    std::vector<ValuePtr> all;
    all.reserve(size);
    for (size_t k = 0; k < size; ++k)
        all.push_back(integer(static_cast<int64_t>(k)));
    const ValuePtr chosen = subscript(listValue(std::move(all)), slice);
    std::vector<size_t> out;
    for (const ValuePtr& k : chosen->items)
        out.push_back(static_cast<size_t>(k->i));
    return out;
}

size_t Interpreter::containerPosition(const ModuleNode& node, const ValuePtr& index)
{
    // Sequential._get_item_by_idx and ModuleList._get_abs_string_index: operator.index, then
    // the same IndexError.
    const int64_t size = static_cast<int64_t>(node.childSlots().size());
    const int64_t k = indexValue(index, "index");
    if (!(-size <= k && k < size))
        throw PythonError("IndexError", "index " + std::to_string(k) + " is out of range");
    return static_cast<size_t>(k < 0 ? k + size : k);
}

// The modules an iterable yields, as `for module in modules` would. A container extended with
// itself changes its OrderedDict while iterating it: past one entry, Python adds one module and
// then raises, which a failing console statement (taken back whole) cannot reproduce.
std::vector<ValuePtr> Interpreter::modulesToAdd(const ValuePtr& container, const ValuePtr& modules)
{
    if (modules->kind == Value::Kind::Module && modules->module.expected == container->module.expected &&
        resolveModule(container->module).childSlots().size() > 1)
        unsupported("extending a container of several modules with itself");
    return toVector(modules);
}

// ---- container[index] --------------------------------------------------------------------------

ValuePtr Interpreter::containerItem(const ValuePtr& container, const ValuePtr& index)
{
    ModuleNode& node = resolveModule(container->module);
    const std::vector<ChildSlot>& slots = node.childSlots();
    if (node.typeName() == "ModuleDict") {
        for (const ChildSlot& slot : slots)
            if (index->kind == Value::Kind::Str && slot.name == index->s)
                return containerEntry(container, slot);
        if (!hashable(*index))
            typeError("unhashable type: '" + typeShortName(*index) + "'");
        if (index->kind == Value::Kind::Str)
            throw PythonError("KeyError", index->s);
        throw ConsoleError("KeyError: " + repr(*index));
    }
    if (!isIndexedContainer(node.typeName()))
        typeError("'" + node.typeName() + "' object is not subscriptable");
    if (index->kind != Value::Kind::Slice)
        return containerEntry(container, slots[containerPosition(node, index)]);
    refuseScripted(node, "slicing");
    const std::vector<size_t> positions = slicePositions(index, slots.size());
    if (node.typeName() == "ModuleList") {  // self.__class__(list(self._modules.values())[idx])
        std::vector<ValuePtr> modules;
        for (size_t k : positions)
            modules.push_back(containerEntry(container, slots[k]));
        Args args;
        args.positional.push_back(listValue(std::move(modules)));
        return constructContainer("ModuleList", args);
    }
    // self.__class__(OrderedDict(list(self._modules.items())[idx])): the keys stay.
    const ValuePtr entries = dictValue(true);
    for (size_t k : positions) {
        entries->keys.push_back(str(slots[k].name));
        entries->items.push_back(containerEntry(container, slots[k]));
    }
    Args args;
    args.positional.push_back(entries);
    return constructLayer("Sequential", args);
}

// ---- container[index] = module ------------------------------------------------------------------

void Interpreter::setContainerItem(const ValuePtr& container, const ValuePtr& index, const ValuePtr& module)
{
    ModuleNode& node = resolveModule(container->module);
    if (node.typeName() == "ModuleDict") {  // self.add_module(key, module)
        addChildModule(container, index, module);
        return;
    }
    if (!isIndexedContainer(node.typeName()))
        typeError("'" + node.typeName() + "' object does not support item assignment");
    if (index->kind == Value::Kind::Slice)
        unsupported("assigning to a slice of nn." + node.typeName());
    const size_t k = containerPosition(node, index);
    // ModuleList: setattr(self, str(idx), module); Sequential: setattr(self, key, module).
    const std::string key = node.typeName() == "ModuleList" ? std::to_string(k) : node.childSlots()[k].name;
    setAttribute(container, key, module);
}

// ---- del container[index] ----------------------------------------------------------------------

void Interpreter::deleteContainerItem(const ValuePtr& container, const ValuePtr& index)
{
    ModuleNode& node = resolveModule(container->module);
    if (node.typeName() == "ModuleDict") {  // del self._modules[key]
        const std::vector<ChildSlot>& slots = node.childSlots();
        const bool present = index->kind == Value::Kind::Str &&
                             std::any_of(slots.begin(), slots.end(),
                                         [&](const ChildSlot& slot) { return slot.name == index->s; });
        if (!present) {
            if (!hashable(*index))
                typeError("unhashable type: '" + typeShortName(*index) + "'");
            if (index->kind == Value::Kind::Str)
                throw PythonError("KeyError", index->s);
            throw ConsoleError("KeyError: " + repr(*index));
        }
        deleteAttribute(container, index->s);
        return;
    }
    if (!isIndexedContainer(node.typeName()))
        typeError("'" + node.typeName() + "' object doesn't support item deletion");
    // __delitem__ in 1.13 (both classes): delattr of the key(s), then `self._modules` rebuilt
    // with keys "0", "1", ... in order. One edit: undo brings back the names and the modules.
    std::vector<size_t> doomed = index->kind == Value::Kind::Slice
                                     ? slicePositions(index, node.childSlots().size())
                                     : std::vector<size_t>{containerPosition(node, index)};
    record(node.deleteChildrenRenumbered(std::move(doomed)));
}

// ---- methods -----------------------------------------------------------------------------------

ValuePtr Interpreter::popContainerItem(const ValuePtr& container, const ValuePtr& key)
{
    // v = self[key]; del self[key]; return v
    refuseScripted(resolveModule(container->module), "pop()");
    const ValuePtr v = containerItem(container, key);
    std::shared_ptr<ModuleNode> module;
    if (v->kind == Value::Kind::Module)
        module = sharedModule(v->module);
    deleteContainerItem(container, key);
    if (!module || isUnattached(v->module))
        return v;
    try {
        resolveModule(v->module);  // still in the model (under another name, or shared)
        return v;
    } catch (const PythonError&) {
        return detachedModule(std::move(module));
    }
}

void Interpreter::insertIntoContainer(const ValuePtr& container, const ValuePtr& indexValue,
                                      const ValuePtr& module)
{
    ModuleNode& node = resolveModule(container->module);
    refuseScripted(node, "insert()");
    const bool sequential = node.typeName() == "Sequential";
    const int64_t n = static_cast<int64_t>(node.childSlots().size());
    if (sequential && module->kind != Value::Kind::Module)
        throw PythonError("AssertionError", "module should be of type: <class 'torch.nn.modules.module.Module'>");
    if (!isIntIndex(*indexValue))
        unsupported(node.typeName() + ".insert() with a " + typeShortName(*indexValue) + " index");
    int64_t index = intIndex(*indexValue);
    if (sequential) {
        if (!(-n <= index && index <= n))
            throw PythonError("IndexError", "Index out of range: " + std::to_string(index));
        if (index < 0)
            index += n;
    } else {
        // ModuleList.insert puts anything into _modules, and a negative index or one past the end
        // leaves it with keys out of order: only what keeps it a list is done.
        if (module->kind != Value::Kind::Module)
            unsupported("ModuleList.insert() of a " + typeShortName(*module));
        if (index < 0 || index > n)
            unsupported("ModuleList.insert() at an index outside 0..len(list)");
    }
    // for i in range(n, index, -1): self._modules[str(i)] = self._modules[str(i - 1)]
    for (int64_t i = n; i > index; --i) {
        const std::string from = std::to_string(i - 1);
        const ModuleNode* source = nullptr;
        bool found = false;
        for (const ChildSlot& slot : node.childSlots())
            if (slot.name == from) {
                source = slot.module.get();
                found = true;
            }
        if (!found)
            throw PythonError("KeyError", from);
        setAttribute(container, std::to_string(i),
                     source ? moduleValue(childRef(container->module, from, source)) : none());
    }
    setAttribute(container, std::to_string(index), module);
}

namespace {

size_t childCount(const ValuePtr& container) { return resolveModule(container->module).childSlots().size(); }

// Sequential.append, ModuleList.append: self.add_module(str(len(self)), module); return self.
ValuePtr append(Interpreter& in, const ValuePtr& self, const Args& args)
{
    in.addChildModule(self, str(std::to_string(childCount(self))), args.positional[0]);
    return self;
}

ValuePtr appendEach(Interpreter& in, const ValuePtr& self, const std::vector<ValuePtr>& modules)
{
    for (const ValuePtr& m : modules)
        in.addChildModule(self, str(std::to_string(childCount(self))), m);
    return self;
}

ValuePtr sequentialExtend(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return appendEach(in, self, in.modulesToAdd(self, args.positional[0]));
}

ValuePtr moduleListExtend(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const ValuePtr& modules = args.positional[0];
    std::vector<ValuePtr> added;
    try {
        added = in.modulesToAdd(self, modules);
    } catch (const PythonError& e) {
        if (e.type() != "TypeError" || std::string(e.what()).find("not iterable") == std::string::npos)
            throw;
        typeError("ModuleList.extend should be called with an iterable, but got " + typeShortName(*modules));
    }
    return appendEach(in, self, added);
}

ValuePtr sequentialInsert(Interpreter& in, const ValuePtr& self, const Args& args)
{
    in.insertIntoContainer(self, args.positional[0], args.positional[1]);
    return self;
}

ValuePtr moduleListInsert(Interpreter& in, const ValuePtr& self, const Args& args)
{
    in.insertIntoContainer(self, args.positional[0], args.positional[1]);
    return none();
}

ValuePtr pop(Interpreter& in, const ValuePtr& self, const Args& args) { return in.popContainerItem(self, args.positional[0]); }

// ModuleDict.clear: self._modules.clear(), the last key first.
ValuePtr clear(Interpreter& in, const ValuePtr& self, const Args&)
{
    refuseScripted(resolveModule(self->module), "clear()");
    std::vector<std::string> keys;
    for (const ChildSlot& slot : resolveModule(self->module).childSlots())
        keys.push_back(slot.name);
    for (auto it = keys.rbegin(); it != keys.rend(); ++it)
        in.deleteAttribute(self, *it);
    return none();
}

// ModuleDict.update(modules): a mapping, another ModuleDict, or an iterable of key/value pairs.
ValuePtr update(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const ValuePtr& m = args.positional[0];
    if (m->kind == Value::Kind::Dict) {
        for (size_t k = 0; k < m->keys.size(); ++k)
            in.addChildModule(self, m->keys[k], m->items[k]);
        return none();
    }
    if (m->kind == Value::Kind::Module && resolveModule(m->module).typeName() == "ModuleDict") {
        std::vector<std::pair<std::string, ValuePtr>> entries;
        for (const ChildSlot& slot : resolveModule(m->module).childSlots())
            entries.emplace_back(slot.name, in.containerEntry(m, slot));
        for (const auto& [key, module] : entries)
            in.addChildModule(self, str(key), module);
        return none();
    }
    if (m->kind != Value::Kind::List && m->kind != Value::Kind::Tuple && m->kind != Value::Kind::Iterator)
        typeError("ModuleDict.update should be called with an iterable of key/value pairs, but got " +
                  typeShortName(*m));
    const std::vector<ValuePtr> pairs = in.toVector(m);
    for (size_t k = 0; k < pairs.size(); ++k) {
        const std::vector<ValuePtr> kv = pairs[k]->kind == Value::Kind::List || pairs[k]->kind == Value::Kind::Tuple
                                             ? pairs[k]->items
                                             : std::vector<ValuePtr>{};
        if (kv.size() != 2)
            throw PythonError("ValueError", "ModuleDict update sequence element #" + std::to_string(k) +
                                                " has length " + std::to_string(kv.size()) + "; 2 is required");
        in.addChildModule(self, kv[0], kv[1]);
    }
    return none();
}

// keys(), values(), items(): the OrderedDict's view, as 1.13 returns: it prints as
// odict_keys([...]) and iterates.
ValuePtr modulesView(Interpreter& in, const ValuePtr& self, const std::string& which)
{
    const ValuePtr dict = dictValue(true);
    for (const ChildSlot& slot : resolveModule(self->module).childSlots()) {
        dict->keys.push_back(str(slot.name));
        dict->items.push_back(in.containerEntry(self, slot));
    }
    auto view = std::make_shared<Value>();
    view->kind = Value::Kind::DictView;
    view->receiver = dict;
    view->s = which;
    return view;
}

ValuePtr keys(Interpreter& in, const ValuePtr& self, const Args&) { return modulesView(in, self, "keys"); }
ValuePtr values(Interpreter& in, const ValuePtr& self, const Args&) { return modulesView(in, self, "values"); }
ValuePtr items(Interpreter& in, const ValuePtr& self, const Args&) { return modulesView(in, self, "items"); }

ArgumentCheck signature(const std::string& qualName, std::vector<Signature::Param> params = {})
{
    return pythonSignature({qualName, std::move(params)});
}

}  // namespace

std::vector<MethodEntry> sequentialEntries()
{
    return {
        {"append", signature("Sequential.append", {{"module", nullptr}}), append},
        {"extend", signature("Sequential.extend", {{"sequential", nullptr}}), sequentialExtend},
        {"insert", signature("Sequential.insert", {{"index", nullptr}, {"module", nullptr}}), sequentialInsert},
        {"pop", signature("Sequential.pop", {{"key", nullptr}}), pop},
    };
}

std::vector<MethodEntry> moduleListEntries()
{
    return {
        {"append", signature("ModuleList.append", {{"module", nullptr}}), append},
        {"extend", signature("ModuleList.extend", {{"modules", nullptr}}), moduleListExtend},
        {"insert", signature("ModuleList.insert", {{"index", nullptr}, {"module", nullptr}}), moduleListInsert},
        {"pop", signature("ModuleList.pop", {{"key", nullptr}}), pop},
    };
}

std::vector<MethodEntry> moduleDictEntries()
{
    return {
        {"keys", signature("ModuleDict.keys"), keys},
        {"items", signature("ModuleDict.items"), items},
        {"values", signature("ModuleDict.values"), values},
        {"update", signature("ModuleDict.update", {{"modules", nullptr}}), update},
        {"pop", signature("ModuleDict.pop", {{"key", nullptr}}), pop},
        {"clear", signature("ModuleDict.clear"), clear},
    };
}

// ---- operators ---------------------------------------------------------------------------------

ValuePtr Interpreter::containerOperator(const std::string& op, const ValuePtr& a, const ValuePtr& b,
                                        bool inPlace)
{
    if (a->kind != Value::Kind::Module) {
        // int * Sequential: Sequential.__rmul__
        if (op == "*" && b->kind == Value::Kind::Module && resolveModule(b->module).typeName() == "Sequential" &&
            !classOf(*b))
            return containerOperator(op, b, a, false);
        return nullptr;
    }
    const std::string type = resolveModule(a->module).typeName();
    if (classOf(*a) || !isIndexedContainer(type) || (op != "+" && op != "*"))
        return nullptr;
    refuseScripted(resolveModule(a->module), "'" + op + "'");
    const bool sequential = type == "Sequential";
    if (op == "*") {
        if (!sequential)
            return nullptr;
        if (!isIntIndex(*b))
            typeError("unsupported operand type(s) for *: " + classText(*a) + " and " + classText(*b));
        const int64_t times = intIndex(*b);
        if (times <= 0)
            throw PythonError("ValueError", "Non-positive multiplication factor " + toStr(*b) + " for " +
                                                classText(*a));
        if (times > 10000)
            unsupported("repeating an nn.Sequential more than 10000 times");
        const std::vector<ValuePtr> once = toVector(a);
        std::vector<ValuePtr> repeated;
        for (int64_t k = 0; k < times; ++k)
            repeated.insert(repeated.end(), once.begin(), once.end());
        if (!inPlace) {
            Args args;
            args.positional = std::move(repeated);
            return constructLayer("Sequential", args);
        }
        // __imul__: self.add_module(str(i + offset), self._modules[str(i)])
        for (size_t k = once.size(); k < repeated.size(); ++k)
            addChildModule(a, str(std::to_string(k)), repeated[k]);
        return a;
    }
    if (sequential) {
        if (b->kind != Value::Kind::Module || resolveModule(b->module).typeName() != "Sequential")
            throw PythonError("ValueError", "add operator supports only objects of Sequential class, but " +
                                                classText(*b) + " is given.");
        if (inPlace) {  // __iadd__: self.add_module(str(i + offset), module)
            const std::vector<ValuePtr> modules = modulesToAdd(a, b);
            const int64_t offset = static_cast<int64_t>(resolveModule(a->module).childSlots().size());
            for (size_t k = 0; k < modules.size(); ++k)
                addChildModule(a, str(std::to_string(offset + static_cast<int64_t>(k))), modules[k]);
            return a;
        }
        std::vector<ValuePtr> modules = toVector(a);
        const std::vector<ValuePtr> more = toVector(b);
        modules.insert(modules.end(), more.begin(), more.end());
        Args args;
        args.positional = std::move(modules);
        return constructLayer("Sequential", args);
    }
    if (inPlace) {  // ModuleList.__iadd__ is extend
        Args args;
        args.positional.push_back(b);
        return moduleClassTable("ModuleList").call(*this, a, "extend", args);
    }
    std::vector<ValuePtr> modules = toVector(a);  // ModuleList(chain(self, other))
    const std::vector<ValuePtr> more = toVector(b);
    modules.insert(modules.end(), more.begin(), more.end());
    Args args;
    args.positional.push_back(listValue(std::move(modules)));
    return constructContainer("ModuleList", args);
}

}  // namespace mx::stmt
