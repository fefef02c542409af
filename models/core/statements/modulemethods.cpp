// nn.Module's methods, one function each, bound in the nn.Module table; the tables of the layer
// classes (their own members refused) and of each module class; the torch.nn layer constructors.
#include "core/statements/methodtable.h"

#include "core/formatting.h"
#include "core/forwardplan.h"
#include "core/layers.h"
#include "core/listings.h"
#include "core/moduleclassnames.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/statements/layerconstructors.h"
#include "core/statements/pythonnames.h"
#include "core/statements/tensorops.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>

namespace mx::stmt {

namespace {

ValuePtr owned(std::shared_ptr<ModuleNode> node)
{
    auto holder = std::make_shared<ModuleHolder>();
    const ModuleNode* p = node.get();
    holder->owned = std::move(node);
    return moduleValue({holder, {}, p, holder->owned});
}

}  // namespace

ValuePtr Interpreter::constructLayer(const std::string& layer, const Args& args)
{
    if (std::unique_ptr<ModuleNode> built = buildTorchLayer(*this, layer, args))
        return owned(std::move(built));
    if (layer == "Sequential") {
        for (const auto& [k, v] : args.keywords)
            typeError("Sequential.__init__() got an unexpected keyword argument '" + k + "'");
        std::vector<std::pair<std::string, ValuePtr>> entries;
        const auto& pos = args.positional;
        if (pos.size() == 1 && pos[0]->kind == Value::Kind::Dict && pos[0]->ordered) {
            for (size_t k = 0; k < pos[0]->keys.size(); ++k)
                entries.emplace_back("", pos[0]->items[k]);
        } else {
            for (size_t k = 0; k < pos.size(); ++k)
                entries.emplace_back(std::to_string(k), pos[k]);
        }
        // Validate everything first (add_module's checks, in its order), then take the modules.
        for (size_t k = 0; k < entries.size(); ++k) {
            const ValuePtr& m = entries[k].second;
            if (m->kind == Value::Kind::None)
                unsupported("None entries in nn.Sequential");
            if (m->kind != Value::Kind::Module)
                typeError(torchTypeName(*m) + " is not a Module subclass");
            if (entries[k].first.empty()) {
                const ValuePtr& key = pos[0]->keys[k];
                if (key->kind != Value::Kind::Str)
                    typeError("module name should be a string. Got " + torchTypeName(*key));
                const std::string& name = key->s;
                const std::vector<std::string>& members = moduleMemberNames();
                if (std::binary_search(members.begin(), members.end(), name))
                    throw PythonError("KeyError", "attribute '" + name + "' already exists");
                if (name.find('.') != std::string::npos)
                    throw PythonError("KeyError", "module name can't contain \".\", got: " + name);
                if (name.empty())
                    throw PythonError("KeyError", "module name can't be empty string \"\"");
                entries[k].first = name;
            }
        }
        // Modules already in the model, or put in twice, are shared (`nn.Sequential(m, m)`).
        std::vector<std::shared_ptr<ModuleNode>> modules;
        for (const auto& [name, m] : entries) {
            std::shared_ptr<ModuleNode> module = sharedModule(m->module);
            if (!module)
                unsupported("putting the model itself into nn.Sequential");
            modules.push_back(std::move(module));
        }
        auto seq = std::make_shared<ModuleNode>("Sequential");
        for (size_t k = 0; k < entries.size(); ++k)
            seq->addModuleChecked(entries[k].first, AttributeValue::module(modules[k]));
        seq->setForwardPlan(ForwardPlan::sequential());
        const ValuePtr result = owned(std::move(seq));
        for (const auto& [name, m] : entries) {
            if (isUnattached(m->module)) {  // found through the Sequential from now on
                m->module.holder->owned.reset();
                m->module.holder->movedTo = result->module.holder;
                m->module.holder->movedPath = {name};
            }
        }
        return result;
    }
    if (layer == "ModuleList" || layer == "ModuleDict")
        return constructContainer(layer, args);
    if (layer == "Identity") {  // Identity(*args, **kwargs): the arguments are ignored
        auto node = std::make_unique<ModuleNode>("Identity");
        node->defineForward("def forward(self, input):\n    return input\n");
        return owned(std::move(node));
    }
    if (layer == "Module") {
        bindArguments({"Module.__init__", {}}, args);
        return owned(std::make_unique<ModuleNode>("Module"));
    }
    unsupported("nn." + layer);
}

// ---- nn.Module's methods ------------------------------------------------------------------------

void Interpreter::recordModuleChange(const std::function<Edit()>& mutation)
{
    try {
        record(mutation());
    } catch (const UnsupportedError& e) {
        throw PythonError("NotImplementedError", e.what());
    }
}

namespace {

ValuePtr registerBuffer(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const std::vector<ValuePtr>& a = args.positional;  // name, tensor, persistent
    ModuleNode& node = resolveModule(self->module);
    const bool persistent = in.truthy(*a[2]);
    in.recordModuleChange([&] {
        return node.registerBufferChecked(in.toAttributeValue(a[0], false), in.toAttributeValue(a[1], false),
                                          persistent);
    });
    return none();
}

ValuePtr registerParameter(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const std::vector<ValuePtr>& a = args.positional;  // name, param
    ModuleNode& node = resolveModule(self->module);
    in.recordModuleChange([&] {
        return node.registerParameterChecked(in.toAttributeValue(a[0], false), in.toAttributeValue(a[1], false));
    });
    return none();
}

// add_module and register_module: the same function in 1.13.
ValuePtr addModule(Interpreter& in, const ValuePtr& self, const Args& args)
{
    in.addChildModule(self, args.positional[0], args.positional[1]);
    return none();
}

[[noreturn]] void noAttribute(const ValuePtr& module, const std::string& what)
{
    throw PythonError("AttributeError", resolveModule(module->module).typeName() + " has no attribute `" + what + "`");
}

std::string targetOf(const std::string& method, const ValuePtr& target)
{
    if (target->kind != Value::Kind::Str)
        unsupported(method + "() with a non-str target");
    return target->s;
}

// get_submodule(target): each dotted item an attribute that is an nn.Module.
ValuePtr submodule(Interpreter& in, const ValuePtr& self, const std::string& path)
{
    ValuePtr mod = self;
    if (path.empty())
        return mod;
    size_t start = 0;
    while (true) {
        const size_t dot = path.find('.', start);
        const std::string item = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!in.hasAttribute(mod, item))
            noAttribute(mod, item);
        mod = in.getAttribute(mod, item);
        if (mod->kind != Value::Kind::Module)
            throw PythonError("AttributeError", "`" + item + "` is not an nn.Module");
        if (dot == std::string::npos)
            return mod;
        start = dot + 1;
    }
}

ValuePtr getSubmodule(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return submodule(in, self, targetOf("get_submodule", args.positional[0]));
}

// get_parameter / get_buffer: the module holding the target, and the target's last name.
std::pair<ValuePtr, std::string> holderOf(Interpreter& in, const ValuePtr& self, const std::string& target)
{
    const size_t dot = target.rfind('.');
    const ValuePtr mod = submodule(in, self, dot == std::string::npos ? "" : target.substr(0, dot));
    const std::string leaf = dot == std::string::npos ? target : target.substr(dot + 1);
    if (!in.hasAttribute(mod, leaf))
        noAttribute(mod, leaf);
    return {mod, leaf};
}

ValuePtr getParameter(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const auto [mod, leaf] = holderOf(in, self, targetOf("get_parameter", args.positional[0]));
    const ValuePtr v = in.getAttribute(mod, leaf);
    if (v->kind != Value::Kind::Tensor || !v->isParameter)
        throw PythonError("AttributeError", "`" + leaf + "` is not an nn.Parameter");
    return v;
}

ValuePtr getBuffer(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const auto [mod, leaf] = holderOf(in, self, targetOf("get_buffer", args.positional[0]));
    const ValuePtr v = in.getAttribute(mod, leaf);
    const auto& buffers = resolveModule(mod->module).buffers();
    if (std::none_of(buffers.begin(), buffers.end(), [&](const TensorSlot& s) { return s.name == leaf; }))
        throw PythonError("AttributeError", "`" + leaf + "` is not a buffer");
    return v;
}

ValuePtr extraRepr(Interpreter&, const ValuePtr& self, const Args&)
{
    return str(resolveModule(self->module).extraRepr());
}

ValuePtr getName(Interpreter&, const ValuePtr& self, const Args&)
{
    return str(resolveModule(self->module).pythonClassName());
}

// dir(nn.Module): its methods and class attributes.
bool moduleMembers(const std::string& name) { return nnModuleMembers().contains(name); }

ArgumentCheck signature(const std::string& name, std::vector<Signature::Param> params = {})
{
    return pythonSignature({"Module." + name, std::move(params)});
}

}  // namespace

const MethodTable& moduleMethodTable()
{
    static const MethodTable table = [] {
        std::vector<MethodEntry> entries{
            {"register_buffer",
             signature("register_buffer", {{"name", nullptr}, {"tensor", nullptr}, {"persistent", boolean(true)}}),
             registerBuffer},
            {"register_parameter", signature("register_parameter", {{"name", nullptr}, {"param", nullptr}}),
             registerParameter},
            {"add_module", signature("add_module", {{"name", nullptr}, {"module", nullptr}}), addModule},
            {"register_module", signature("register_module", {{"name", nullptr}, {"module", nullptr}}), addModule},
            {"get_submodule", signature("get_submodule", {{"target", nullptr}}), getSubmodule},
            {"get_parameter", signature("get_parameter", {{"target", nullptr}}), getParameter},
            {"get_buffer", signature("get_buffer", {{"target", nullptr}}), getBuffer},
            {"extra_repr", signature("extra_repr"), extraRepr},
            {"_get_name", signature("_get_name"), getName}};
        for (std::vector<MethodEntry> more : {moduleListingEntries(), moduleStateEntries(), trainingModuleEntries()})
            entries.insert(entries.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
        return MethodTable("Module", std::move(entries), moduleMembers);
    }();
    return table;
}

// ---- the tables of the module classes ------------------------------------------------------------

namespace {

// dir(ClassName): what the torch.nn class adds to dir(nn.Module), and nn.Module's.
template <const char* ClassName>
bool classMembers(const std::string& name)
{
    return moduleMembers(name) || moduleClassAdds(ClassName, name);
}

constexpr char kConv2d[] = "Conv2d";
constexpr char kLinear[] = "Linear";
constexpr char kReLU[] = "ReLU";
constexpr char kMaxPool2d[] = "MaxPool2d";
constexpr char kDropout[] = "Dropout";
constexpr char kBatchNorm2d[] = "BatchNorm2d";
constexpr char kFlatten[] = "Flatten";
constexpr char kSequential[] = "Sequential";
constexpr char kModuleList[] = "ModuleList";
constexpr char kModuleDict[] = "ModuleDict";

// The containers add their methods; the layer classes the app builds have none of their own
// yet (reset_parameters, ... are refused).
std::map<std::string, MethodTable> classTables()
{
    std::map<std::string, MethodTable> out;
    const auto add = [&](const char* name, std::vector<MethodEntry> entries, bool (*members)(const std::string&)) {
        out.emplace(name, MethodTable(name, std::move(entries), members, &moduleMethodTable()));
    };
    add(kSequential, sequentialEntries(), classMembers<kSequential>);
    add(kModuleList, moduleListEntries(), classMembers<kModuleList>);
    add(kModuleDict, moduleDictEntries(), classMembers<kModuleDict>);
    add(kConv2d, layerResetEntries(kConv2d), classMembers<kConv2d>);
    add(kLinear, layerResetEntries(kLinear), classMembers<kLinear>);
    add(kReLU, {}, classMembers<kReLU>);
    add(kMaxPool2d, {}, classMembers<kMaxPool2d>);
    add(kDropout, {}, classMembers<kDropout>);
    add(kBatchNorm2d, layerResetEntries(kBatchNorm2d), classMembers<kBatchNorm2d>);
    add(kFlatten, {}, classMembers<kFlatten>);
    return out;
}

}  // namespace

const MethodTable& moduleClassTable(const std::string& typeName)
{
    static const std::map<std::string, MethodTable> tables = classTables();
    const auto it = tables.find(typeName);
    return it == tables.end() ? moduleMethodTable() : it->second;
}

ValuePtr moduleClassMember(const ValuePtr& module, const std::string& name)
{
    const MethodTable& table = *methodTableFor(*module);
    if (table.find(name))
        return methodValue(module, name);
    if (moduleMethodTable().inPython(name))
        unsupported("Module." + name);
    if (table.inPython(name))
        unsupported(table.typeName() + "." + name);
    return nullptr;
}

}  // namespace mx::stmt
