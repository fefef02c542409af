// Modules made from user classes: instantiation, Module.__init__, members, the forward compile.

#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/scriptglobals.h"
#include "core/statements/ast.h"
#include "core/statements/interpreter.h"
#include "core/statements/userclasses.h"

#include <algorithm>
#include <regex>
#include <stdexcept>

namespace mx::stmt {

namespace {

// The entry of `instances` for `node`: nullptr when there is none, or when the entry is one a
// module since freed left at the same address.
template <typename Instances>
auto findInstance(Instances& instances, const ModuleNode* node) -> decltype(&instances.begin()->second)
{
    const auto it = instances.find(node);
    return it == instances.end() || it->second.node.lock().get() != node ? nullptr : &it->second;
}

}  // namespace

Interpreter::Instance* Interpreter::instanceOf(const Value& v)
{
    return v.kind == Value::Kind::Module ? findInstance(instances_, &resolveModule(v.module)) : nullptr;
}

const Interpreter::Instance* Interpreter::instanceOf(const Value& v) const
{
    return v.kind == Value::Kind::Module ? findInstance(instances_, &resolveModule(v.module)) : nullptr;
}

std::shared_ptr<UserClass> Interpreter::classOf(const Value& v) const
{
    const Instance* instance = instanceOf(v);
    return instance ? instance->cls : nullptr;
}

ValuePtr Interpreter::typeOf(const ValuePtr& value) const
{
    ValuePtr type = classValue(typeQualName(*value));
    type->userClass = classOf(*value);
    return type;
}

bool Interpreter::beforeModuleInit(const Value& v) const
{
    const Instance* instance = instanceOf(v);
    return instance && !instance->initialized;
}

ValuePtr Interpreter::instantiate(const std::shared_ptr<UserClass>& cls, const Args& args)
{
    auto node = std::make_shared<ModuleNode>(cls->name);
    auto holder = std::make_shared<ModuleHolder>();
    holder->owned = node;
    const ValuePtr self = moduleValue({holder, {}, node.get(), node});
    for (auto it = instances_.begin(); it != instances_.end();)  // forget the freed ones
        it = it->second.node.expired() ? instances_.erase(it) : std::next(it);
    instances_[node.get()] = Instance{node, cls, false};
    try {
        const ValuePtr init = cls->find("__init__");
        if (!init) {
            moduleInit(self, args);
        } else if (init->kind == Value::Kind::Function && init->function) {
            Args withSelf = args;
            withSelf.positional.insert(withSelf.positional.begin(), self);
            const ValuePtr returned = callUserFunction(init->function, withSelf);
            if (returned->kind != Value::Kind::None)
                typeError("__init__() should return None, not '" + typeShortName(*returned) + "'");
        } else {
            typeError("'" + typeShortName(*init) + "' object is not callable");
        }
        if (!instanceOf(*self)->initialized)
            unsupported("a module class whose __init__ does not call super().__init__()");
    } catch (...) {
        instances_.erase(node.get());
        throw;
    }
    compileUserForward(*node, *cls);
    return self;
}

void Interpreter::moduleInit(const ValuePtr& self, const Args& args)
{
    bindArguments({"Module.__init__", {}}, args);
    if (self->kind != Value::Kind::Module)
        typeError("descriptor '__init__' requires a 'Module' object but received a '" +
                  typeShortName(*self) + "'");
    Instance* instance = instanceOf(*self);
    if (!instance)
        unsupported("calling Module.__init__() on a module the console did not make from a class");
    if (instance->initialized)
        unsupported("calling Module.__init__() a second time (it would empty the module)");
    instance->initialized = true;
}

ValuePtr Interpreter::userMember(const ValuePtr& obj, const std::string& name)
{
    auto bound = [&](const ValuePtr& self, const ValuePtr& member) {
        if (member->kind != Value::Kind::Function || !member->function)
            return member;  // a class attribute
        ValuePtr m = methodValue(self, name);
        m->function = member->function;
        return m;
    };
    if (obj->kind == Value::Kind::Module) {
        const std::shared_ptr<UserClass> cls = classOf(*obj);
        if (!cls || name == "forward")  // forward runs as TorchScript compiled it
            return nullptr;
        const ValuePtr member = cls->find(name);
        return member ? bound(obj, member) : nullptr;
    }
    if (obj->kind == Value::Kind::Class && obj->userClass) {
        if (const ValuePtr member = obj->userClass->find(name))
            return member;
        if (name == "__name__")
            return str(obj->userClass->name);
        if (name == "__init__")
            return functionValue("torch.nn.modules.module.Module.__init__");
        return nullptr;
    }
    if (obj->kind == Value::Kind::Class && obj->s == "torch.nn.modules.module.Module" && name == "__init__")
        return functionValue("torch.nn.modules.module.Module.__init__");
    if (obj->kind == Value::Kind::Opaque && obj->s == "super") {
        const UserClass* start = obj->userClass->base.get();
        if (start) {
            if (const ValuePtr member = start->find(name))
                return bound(obj->receiver, member);
        }
        if (name == "__init__")
            return methodValue(obj->receiver, "__init__");  // Module.__init__, bound
        unsupported("super()." + name);
    }
    return nullptr;
}

void Interpreter::compileUserForward(ModuleNode& node, const UserClass& cls)
{
    const ValuePtr forward = cls.find("forward");
    if (!forward) {
        node.declareNoForward();  // nn.Module's own forward: calling it raises, as in Python
        return;
    }
    if (forward->kind != Value::Kind::Function || !forward->function)
        return;
    // forward and the methods it calls (`self.name(`), found through the class chain.
    static const std::regex call(R"(\bself\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*\()");
    static const std::regex print(R"((^|[^.\w])print\s*\()");
    std::vector<const UserFunction*> methods{forward->function.get()};
    for (size_t k = 0; k < methods.size(); ++k) {
        const UserFunction& fn = *methods[k];
        for (size_t n = 0; n < fn.lines.size(); ++n) {
            const std::string code = fn.lines[n].substr(0, fn.lines[n].find('#'));
            if (std::regex_search(code, print)) {
                node.declareForwardUnavailable(
                    "NotImplementedError: print() on line " + std::to_string(fn.def->pos.line + static_cast<int>(n)) +
                    " inside " + fn.qualName +
                    " is not supported by Module Explorer's console (TorchScript, which runs forward "
                    "here, prints values differently from Python)");
                return;
            }
            for (std::sregex_iterator it(code.begin(), code.end(), call), end; it != end; ++it) {
                const std::string name = (*it)[1];
                const ValuePtr m = name == "__init__" ? nullptr : cls.find(name);
                if (m && m->kind == Value::Kind::Function && m->function &&
                    std::find(methods.begin(), methods.end(), m->function.get()) == methods.end())
                    methods.push_back(m->function.get());
            }
        }
    }
    // Each method at its own lines (empty lines before), so TorchScript's line numbers are the
    // script's.
    std::sort(methods.begin(), methods.end(), [](const UserFunction* a, const UserFunction* b) {
        return a->def->pos.line < b->def->pos.line;
    });
    std::string source;
    int line = 1;  // the line `source` is at
    for (const UserFunction* fn : methods) {
        for (; line < fn->def->pos.line; ++line)
            source += "\n";
        for (const std::string& text : fn->lines) {
            source += text + "\n";
            ++line;
        }
    }
    // Only the names the methods mention: a forward reads a top-level constant as eager Python
    // reads it, so rebinding one (bindName) compiles the forwards again with its new value.
    std::set<std::string> mentioned;
    static const std::regex identifier(R"([A-Za-z_][A-Za-z0-9_]*)");
    for (std::sregex_iterator it(source.begin(), source.end(), identifier), end; it != end; ++it)
        mentioned.insert(it->str());
    ScriptGlobals globals;
    for (const auto& [name, value] : globals_) {
        if (!mentioned.count(name))
            continue;
        switch (value->kind) {
        case Value::Kind::Namespace: globals.modules[name] = value->s; continue;
        case Value::Kind::Bool: globals.constants[name] = PythonValue::boolean(value->b); break;
        case Value::Kind::Int: globals.constants[name] = PythonValue::integer(value->i); break;
        case Value::Kind::Float: globals.constants[name] = PythonValue::floating(value->f); break;
        case Value::Kind::Str: globals.constants[name] = PythonValue::string(value->s); break;
        default: continue;  // not a constant a compiled forward can read
        }
        capturedConstants_.insert(name);
    }
    node.defineScriptForward(source, globals);
}

void Interpreter::recompileUserForwards()
{
    for (auto& [address, instance] : instances_) {
        const std::shared_ptr<const ModuleNode> node = instance.node.lock();
        if (node && instance.initialized)
            compileUserForward(const_cast<ModuleNode&>(*node), *instance.cls);
    }
}

std::vector<std::pair<std::string, ValuePtr>> Interpreter::moduleGlobals() const
{
    std::vector<std::pair<std::string, ValuePtr>> out;
    for (const std::string& name : bindingOrder_) {
        const auto it = globals_.find(name);
        if (it == globals_.end() || it->second->kind != Value::Kind::Module ||
            (name == "self" && it->second == modelValue_))
            continue;
        const Value& v = *it->second;
        const bool root = v.module.path.empty() && !v.module.holder->movedTo;
        if (!root)
            continue;
        const ModuleNode* node = &resolveModule(v.module);
        auto same = std::find_if(out.begin(), out.end(), [&](const auto& entry) {
            return &resolveModule(entry.second->module) == node;
        });
        if (same != out.end())
            out.erase(same);  // the later binding counts
        out.emplace_back(name, it->second);
    }
    return out;
}

void Interpreter::bindModel(const std::string& variable)
{
    const auto it = globals_.find(variable);
    if (it == globals_.end() || it->second->kind != Value::Kind::Module)
        throw std::invalid_argument("'" + variable + "' is not a module");
    const ValuePtr value = it->second;
    ModuleNode& node = resolveModule(value->module);
    model_ = &node;
    modelValue_ = value;
    modelHolder_ = value->module.holder;
    modelHolder_->root = &node;  // the open model from now on (the holder keeps it alive)
    globals_["model"] = value;
    globals_["self"] = value;
    echo_ = true;
}

void Interpreter::restoreModel(ModuleNode& model)
{
    model_ = &model;
    modelHolder_ = std::make_shared<ModuleHolder>();
    modelHolder_->root = &model;
    modelValue_ = moduleValue({modelHolder_, {}, &model});
    globals_["model"] = modelValue_;
    globals_["self"] = modelValue_;
    replacement_.reset();
}

void Interpreter::replaceModel(const ValuePtr& value, const std::string& name)
{
    if (value->kind != Value::Kind::Module || !isUnattached(value->module))
        unsupported("rebinding '" + name + "' to anything but a newly made module (it is the open model)");
    // Values that named the old model through its holder now say it is gone, not dangle.
    modelHolder_->root = nullptr;
    ModuleNode& node = resolveModule(value->module);
    replacement_ = value->module.holder->owned;
    model_ = &node;
    modelValue_ = value;
    modelHolder_ = value->module.holder;
    modelHolder_->root = &node;
    globals_["model"] = value;
    globals_["self"] = value;
}

}  // namespace mx::stmt
