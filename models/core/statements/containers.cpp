// nn.ModuleList and nn.ModuleDict in the console: construction and their own methods (PyTorch
// 1.13's torch/nn/modules/container.py); indexing, len, iteration and `in` are in interpreter.cpp.

#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/statements/interpreter.h"

namespace mx::stmt {

const std::set<std::string>& moduleContainerMethods(const std::string& typeName)
{
    static const std::set<std::string> none;
    static const std::set<std::string> sequential{"append"};
    static const std::set<std::string> list{"append", "extend", "insert"};
    static const std::set<std::string> dict{"keys", "items", "values", "update", "pop", "clear"};
    if (typeName == "Sequential")
        return sequential;
    if (typeName == "ModuleList")
        return list;
    if (typeName == "ModuleDict")
        return dict;
    return none;
}

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
    holder->owned = std::make_shared<ModuleNode>(cls);
    const ValuePtr container = moduleValue({holder, {}, holder->owned.get(), holder->owned});
    if (a[0]->kind != Value::Kind::None) {
        Args one;
        one.positional.push_back(a[0]);
        callModuleContainerMethod(container, cls == "ModuleList" ? "extend" : "update", one);
    }
    return container;
}

ValuePtr Interpreter::callModuleContainerMethod(const ValuePtr& container, const std::string& name,
                                                const Args& args)
{
    ModuleNode& node = resolveModule(container->module);
    const std::string& type = node.typeName();
    auto count = [&] { return static_cast<int64_t>(node.childSlots().size()); };
    if (name == "append") {
        const auto a = bindArguments({type + ".append", {{"module", nullptr}}}, args);
        addChildModule(container, str(std::to_string(count())), a[0]);
        return container;
    }
    if (name == "extend") {
        const auto a = bindArguments({"ModuleList.extend", {{"modules", nullptr}}}, args);
        if (a[0]->kind != Value::Kind::List && a[0]->kind != Value::Kind::Tuple &&
            a[0]->kind != Value::Kind::Iterator && a[0]->kind != Value::Kind::Module)
            typeError("ModuleList.extend should be called with an iterable, but got " + typeShortName(*a[0]));
        const std::vector<ValuePtr> modules = toVector(a[0]);
        const int64_t offset = count();
        for (size_t k = 0; k < modules.size(); ++k)
            addChildModule(container, str(std::to_string(offset + static_cast<int64_t>(k))), modules[k]);
        return container;
    }
    if (name == "update") {
        const auto a = bindArguments({"ModuleDict.update", {{"modules", nullptr}}}, args);
        const ValuePtr& m = a[0];
        if (m->kind == Value::Kind::Dict) {
            for (size_t k = 0; k < m->keys.size(); ++k)
                addChildModule(container, m->keys[k], m->items[k]);
            return none();
        }
        if (m->kind == Value::Kind::Module && resolveModule(m->module).typeName() == "ModuleDict") {
            ModuleNode& other = resolveModule(m->module);
            for (const ChildSlot& slot : other.childSlots())
                addChildModule(container, str(slot.name),
                               moduleValue(childRef(m->module, slot.name, slot.module.get())));
            return none();
        }
        if (m->kind != Value::Kind::List && m->kind != Value::Kind::Tuple && m->kind != Value::Kind::Iterator)
            typeError("ModuleDict.update should be called with an iterable of key/value pairs, but got " +
                      typeShortName(*m));
        const std::vector<ValuePtr> pairs = toVector(m);
        for (size_t k = 0; k < pairs.size(); ++k) {
            const std::vector<ValuePtr> kv =
                pairs[k]->kind == Value::Kind::List || pairs[k]->kind == Value::Kind::Tuple
                    ? pairs[k]->items
                    : std::vector<ValuePtr>{};
            if (kv.size() != 2)
                throw PythonError("ValueError", "ModuleDict update sequence element #" + std::to_string(k) +
                                                    " has length " + std::to_string(kv.size()) + "; 2 is required");
            addChildModule(container, kv[0], kv[1]);
        }
        return none();
    }
    if (name == "keys" || name == "values" || name == "items") {
        bindArguments({"ModuleDict." + name, {}}, args);
        // The OrderedDict's view, as 1.13 returns: it prints as odict_keys([...]) and iterates.
        const ValuePtr dict = dictValue(true);
        for (const ChildSlot& slot : node.childSlots()) {
            dict->keys.push_back(str(slot.name));
            dict->items.push_back(slot.module ? moduleValue(childRef(container->module, slot.name, slot.module.get()))
                                              : none());
        }
        auto view = std::make_shared<Value>();
        view->kind = Value::Kind::DictView;
        view->receiver = dict;
        view->s = name;
        return view;
    }
    unsupported(type + "." + name + "()");
}

}  // namespace mx::stmt
