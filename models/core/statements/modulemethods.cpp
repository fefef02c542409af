// nn.Module's methods and the torch.nn layer constructors, as the console runs them.
#include "core/statements/interpreter.h"

#include "core/formatting.h"
#include "core/forwardplan.h"
#include "core/layers.h"
#include "core/listings.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/statements/tensorops.h"

#include <unordered_set>
#include <algorithm>
#include <cmath>
#include <functional>
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

// Python's `int` check for layer arguments: a real int (bool is printed differently by PyTorch).
int64_t intArgument(const ValuePtr& v, const std::string& what)
{
    if (v->kind != Value::Kind::Int)
        unsupported(what + " given as " + typeShortName(*v));
    return v->i;
}

std::string shapeText(const std::vector<int64_t>& dims) { return bracketList(dims); }

// torch.empty(size) as the layers call it: the TypeError and RuntimeError Python reports.
void checkEmpty(const std::vector<ValuePtr>& size)
{
    for (size_t k = 0; k < size.size(); ++k)
        if (size[k]->kind != Value::Kind::Int)
            typeError("empty(): argument 'size' must be tuple of SymInts, but found element of type " +
                      typeShortName(*size[k]) + " at pos " + std::to_string(k + 1));
    std::vector<int64_t> dims;
    for (const ValuePtr& v : size)
        dims.push_back(v->i);
    double elements = 1;
    for (int64_t d : dims) {
        if (d < 0)
            throw PythonError("RuntimeError", "Trying to create tensor with negative dimension " +
                                                  std::to_string(d) + ": " + shapeText(dims));
        elements *= static_cast<double>(d);
    }
    if (elements > 1e8)
        unsupported("layers with more than 100000000 weights");
}

// nn.modules.utils._pair
std::vector<ValuePtr> pairOf(const ValuePtr& v, Interpreter& in)
{
    if (v->kind == Value::Kind::Tuple || v->kind == Value::Kind::List || v->kind == Value::Kind::Size) {
        std::vector<ValuePtr> items = in.toVector(v);
        if (items.size() != 2)
            unsupported("Conv2d arguments that are not pairs");
        return items;
    }
    return {v, v};
}

bool isNumeric(const Value& v)
{
    return v.kind == Value::Kind::Int || v.kind == Value::Kind::Float || v.kind == Value::Kind::Bool;
}

}  // namespace

ValuePtr Interpreter::constructLayer(const std::string& layer, const Args& args)
{
    auto noDeviceDtype = [&](const ValuePtr& device, const ValuePtr& dtype) {
        if (device->kind != Value::Kind::None || dtype->kind != Value::Kind::None)
            unsupported("device= and dtype= arguments of nn." + layer);
    };
    if (layer == "Linear") {
        const std::vector<ValuePtr> a = bindArguments(
            {"Linear.__init__", {{"in_features", nullptr}, {"out_features", nullptr},
                                 {"bias", boolean(true)}, {"device", none()}, {"dtype", none()}}},
            args);
        noDeviceDtype(a[3], a[4]);
        for (int k = 0; k < 2; ++k)
            if (a[k]->kind == Value::Kind::Bool)
                unsupported("Linear sizes given as bool");
        checkEmpty({a[1], a[0]});
        return owned(makeLinear(a[0]->i, a[1]->i, truthy(*a[2])));
    }
    if (layer == "Conv2d") {
        const std::vector<ValuePtr> a = bindArguments(
            {"Conv2d.__init__",
             {{"in_channels", nullptr}, {"out_channels", nullptr}, {"kernel_size", nullptr},
              {"stride", integer(1)}, {"padding", integer(0)}, {"dilation", integer(1)},
              {"groups", integer(1)}, {"bias", boolean(true)}, {"padding_mode", str("zeros")},
              {"device", none()}, {"dtype", none()}}},
            args);
        noDeviceDtype(a[9], a[10]);
        for (int k = 0; k < 2; ++k)
            if (!isNumeric(*a[k]) || a[k]->kind == Value::Kind::Bool)
                unsupported("Conv2d channels given as " + typeShortName(*a[k]));
        const int64_t groups = intArgument(a[6], "Conv2d groups");
        if (groups <= 0)
            throw PythonError("ValueError", "groups must be a positive integer");
        auto divisible = [&](const ValuePtr& v) {
            if (v->kind == Value::Kind::Int)
                return v->i % groups == 0;
            return std::fmod(v->f, static_cast<double>(groups)) == 0;
        };
        if (!divisible(a[0]))
            throw PythonError("ValueError", "in_channels must be divisible by groups");
        if (!divisible(a[1]))
            throw PythonError("ValueError", "out_channels must be divisible by groups");
        if (a[4]->kind == Value::Kind::Str)
            unsupported("string padding ('same', 'valid') in Conv2d");
        if (a[8]->kind != Value::Kind::Str)
            unsupported("Conv2d padding_mode given as " + typeShortName(*a[8]));
        const std::string mode = a[8]->s;
        if (mode != "zeros" && mode != "reflect" && mode != "replicate" && mode != "circular")
            throw PythonError("ValueError",
                              "padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, "
                              "but got padding_mode='" + mode + "'");
        if (mode != "zeros")
            unsupported("Conv2d padding_mode='" + mode + "'");
        const std::vector<ValuePtr> kernel = pairOf(a[2], *this);
        ValuePtr inPerGroup = a[0]->kind == Value::Kind::Int ? integer(a[0]->i / groups)
                                                             : floating(std::floor(a[0]->f / groups));
        checkEmpty({a[1], inPerGroup, kernel[0], kernel[1]});
        Conv2dOptions o;
        o.inChannels = a[0]->i;
        o.outChannels = a[1]->i;
        o.kernelSize = {kernel[0]->i, kernel[1]->i};
        auto pairInts = [&](const ValuePtr& v, const std::string& what) {
            const std::vector<ValuePtr> p = pairOf(v, *this);
            return std::vector<int64_t>{intArgument(p[0], what), intArgument(p[1], what)};
        };
        o.stride = pairInts(a[3], "Conv2d stride");
        o.padding = pairInts(a[4], "Conv2d padding");
        o.dilation = pairInts(a[5], "Conv2d dilation");
        o.groups = groups;
        o.bias = truthy(*a[7]);
        return owned(makeConv2d(o));
    }
    if (layer == "ReLU") {
        const std::vector<ValuePtr> a =
            bindArguments({"ReLU.__init__", {{"inplace", boolean(false)}}}, args);
        if (truthy(*a[0]))
            unsupported("ReLU(inplace=True)");
        return owned(makeReLU());
    }
    if (layer == "MaxPool2d") {
        const std::vector<ValuePtr> a = bindArguments(
            {"_MaxPoolNd.__init__",
             {{"kernel_size", nullptr}, {"stride", none()}, {"padding", integer(0)},
              {"dilation", integer(1)}, {"return_indices", boolean(false)},
              {"ceil_mode", boolean(false)}}},
            args);
        const int64_t kernel = intArgument(a[0], "MaxPool2d kernel_size");
        int64_t stride = 0;
        if (a[1]->kind != Value::Kind::None) {
            stride = intArgument(a[1], "MaxPool2d stride");
            if (stride == 0)
                unsupported("MaxPool2d(stride=0)");
        }
        const int64_t padding = intArgument(a[2], "MaxPool2d padding");
        const int64_t dilation = intArgument(a[3], "MaxPool2d dilation");
        if (truthy(*a[4]))
            unsupported("MaxPool2d(return_indices=True)");
        if (a[5]->kind != Value::Kind::Bool)
            unsupported("MaxPool2d ceil_mode given as " + typeShortName(*a[5]));
        return owned(makeMaxPool2d(kernel, stride, padding, dilation, a[5]->b));
    }
    if (layer == "Dropout") {
        const std::vector<ValuePtr> a = bindArguments(
            {"_DropoutNd.__init__", {{"p", floating(0.5)}, {"inplace", boolean(false)}}}, args);
        const ValuePtr& p = a[0];
        if (p->kind != Value::Kind::Float && p->kind != Value::Kind::Int)
            unsupported("Dropout p given as " + typeShortName(*p));
        const double value = p->kind == Value::Kind::Int ? static_cast<double>(p->i) : p->f;
        if (value < 0 || value > 1)
            throw PythonError("ValueError",
                              "dropout probability has to be between 0 and 1, but got " + toStr(*p));
        if (truthy(*a[1]))
            unsupported("Dropout(inplace=True)");
        if (p->kind == Value::Kind::Float)
            return owned(makeDropout(value));
        // An int p prints as an int: Dropout(p=1, inplace=False).
        auto node = std::make_unique<ModuleNode>("Dropout", "p=" + std::to_string(p->i) + ", inplace=False");
        node->defineForward("def forward(self, x):\n    return torch.dropout(x, " + pythonFloat(value) +
                            ", self.training)\n");
        return owned(std::move(node));
    }
    if (layer == "BatchNorm2d") {
        const std::vector<ValuePtr> a = bindArguments(
            {"_BatchNorm.__init__",
             {{"num_features", nullptr}, {"eps", floating(1e-5)}, {"momentum", floating(0.1)},
              {"affine", boolean(true)}, {"track_running_stats", boolean(true)},
              {"device", none()}, {"dtype", none()}}},
            args);
        noDeviceDtype(a[5], a[6]);
        if (a[0]->kind != Value::Kind::Int)
            unsupported("BatchNorm2d num_features given as " + typeShortName(*a[0]));
        if (a[1]->kind != Value::Kind::Float)
            unsupported("BatchNorm2d eps given as " + typeShortName(*a[1]));
        if (a[2]->kind != Value::Kind::Float)
            unsupported("BatchNorm2d momentum given as " + typeShortName(*a[2]));
        if (a[3]->kind != Value::Kind::Bool || a[4]->kind != Value::Kind::Bool)
            unsupported("BatchNorm2d flags given as non-bool values");
        if (a[3]->b || a[4]->b)
            checkEmpty({a[0]});
        BatchNorm2dOptions o;
        o.numFeatures = a[0]->i;
        o.eps = a[1]->f;
        o.momentum = a[2]->f;
        o.affine = a[3]->b;
        o.trackRunningStats = a[4]->b;
        return owned(makeBatchNorm2d(o));
    }
    if (layer == "Flatten") {
        const std::vector<ValuePtr> a = bindArguments(
            {"Flatten.__init__", {{"start_dim", integer(1)}, {"end_dim", integer(-1)}}}, args);
        return owned(makeFlatten(intArgument(a[0], "Flatten start_dim"),
                                 intArgument(a[1], "Flatten end_dim")));
    }
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
    if (layer == "Module") {
        bindArguments({"Module.__init__", {}}, args);
        return owned(std::make_unique<ModuleNode>("Module"));
    }
    unsupported("nn." + layer);
}

// ---- nn.Module's methods ------------------------------------------------------------------------

ValuePtr Interpreter::callModuleMethod(const ValuePtr& module, const std::string& name, const Args& args)
{
    if (trainingModuleMethods().count(name))
        return callTrainingModuleMethod(module, name, args);
    ModuleNode& node = resolveModule(module->module);
    auto mutate = [&](auto&& f) {
        try {
            record(f());
        } catch (const UnsupportedError& e) {
            throw PythonError("NotImplementedError", e.what());
        }
    };
    if (name == "register_buffer") {
        const std::vector<ValuePtr> a = bindArguments(
            {"Module.register_buffer", {{"name", nullptr}, {"tensor", nullptr}, {"persistent", boolean(true)}}},
            args);
        const bool persistent = truthy(*a[2]);
        mutate([&] {
            return node.registerBufferChecked(toAttributeValue(a[0], false), toAttributeValue(a[1], false),
                                              persistent);
        });
        return none();
    }
    if (name == "register_parameter") {
        const std::vector<ValuePtr> a = bindArguments(
            {"Module.register_parameter", {{"name", nullptr}, {"param", nullptr}}}, args);
        mutate([&] {
            return node.registerParameterChecked(toAttributeValue(a[0], false), toAttributeValue(a[1], false));
        });
        return none();
    }
    if (moduleContainerMethods(node.typeName()).count(name))
        return callModuleContainerMethod(module, name, args);
    if (name == "add_module" || name == "register_module") {
        const std::vector<ValuePtr> a =
            bindArguments({"Module." + name, {{"name", nullptr}, {"module", nullptr}}}, args);
        addChildModule(module, a[0], a[1]);
        return none();
    }
    if (name == "state_dict") {
        if (!args.positional.empty())
            unsupported("positional arguments to state_dict() (deprecated)");
        std::string prefix;
        bool keepVars = false;
        for (const auto& [k, v] : args.keywords) {
            if (k == "destination") {
                if (v->kind != Value::Kind::None)
                    unsupported("state_dict(destination=...)");
            } else if (k == "prefix") {
                if (v->kind != Value::Kind::Str)
                    unsupported("a non-str state_dict prefix");
                prefix = v->s;
            } else if (k == "keep_vars") {
                keepVars = truthy(*v);
            } else {
                typeError("Module.state_dict() got an unexpected keyword argument '" + k + "'");
            }
        }
        ValuePtr d = dictValue(true);
        for (const ListingEntry& e : stateDict(node, prefix)) {
            d->keys.push_back(str(e.name));
            d->items.push_back(keepVars ? tensorValue(e.tensor, e.kind == EntryKind::Parameter)
                                        : tensorValue(tensors::unary("detach", e.tensor)));
        }
        return d;
    }
    if (name == "named_parameters" || name == "parameters" || name == "named_buffers" ||
        name == "buffers" || name == "named_children" || name == "children" ||
        name == "named_modules" || name == "modules")
        return listing(module, name, args);
    if (name == "get_submodule" || name == "get_parameter" || name == "get_buffer") {
        const std::vector<ValuePtr> a = bindArguments({"Module." + name, {{"target", nullptr}}}, args);
        if (a[0]->kind != Value::Kind::Str)
            unsupported(name + "() with a non-str target");
        const std::string target = a[0]->s;
        auto submodule = [&](const std::string& path) {
            ValuePtr mod = module;
            if (path.empty())
                return mod;
            size_t start = 0;
            while (true) {
                const size_t dot = path.find('.', start);
                const std::string item = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
                if (!hasAttribute(mod, item))
                    throw PythonError("AttributeError", resolveModule(mod->module).typeName() +
                                                            " has no attribute `" + item + "`");
                mod = getAttribute(mod, item);
                if (mod->kind != Value::Kind::Module)
                    throw PythonError("AttributeError", "`" + item + "` is not an nn.Module");
                if (dot == std::string::npos)
                    return mod;
                start = dot + 1;
            }
        };
        if (name == "get_submodule")
            return submodule(target);
        const size_t dot = target.rfind('.');
        const std::string path = dot == std::string::npos ? "" : target.substr(0, dot);
        const std::string leaf = dot == std::string::npos ? target : target.substr(dot + 1);
        const ValuePtr mod = submodule(path);
        if (!hasAttribute(mod, leaf))
            throw PythonError("AttributeError",
                              resolveModule(mod->module).typeName() + " has no attribute `" + leaf + "`");
        const ValuePtr v = getAttribute(mod, leaf);
        if (name == "get_parameter") {
            if (v->kind != Value::Kind::Tensor || !v->isParameter)
                throw PythonError("AttributeError", "`" + leaf + "` is not an nn.Parameter");
            return v;
        }
        const auto& buffers = resolveModule(mod->module).buffers();
        if (std::none_of(buffers.begin(), buffers.end(), [&](const TensorSlot& s) { return s.name == leaf; }))
            throw PythonError("AttributeError", "`" + leaf + "` is not a buffer");
        return v;
    }
    if (name == "extra_repr" || name == "_get_name") {
        bindArguments({"Module." + name, {}}, args);
        return str(name == "extra_repr" ? node.extraRepr() : node.pythonClassName());
    }
    unsupported("Module." + name + "()");
}

ValuePtr Interpreter::listing(const ValuePtr& module, const std::string& name, const Args& args)
{
    std::string prefix;
    bool recurse = true;
    bool removeDuplicate = true;
    if (name == "named_parameters" || name == "named_buffers") {
        const std::vector<ValuePtr> a = bindArguments(
            {"Module." + name, {{"prefix", str("")}, {"recurse", boolean(true)}}}, args);
        if (a[0]->kind != Value::Kind::Str)
            unsupported("a non-str prefix");
        prefix = a[0]->s;
        recurse = truthy(*a[1]);
    } else if (name == "parameters" || name == "buffers") {
        const std::vector<ValuePtr> a = bindArguments({"Module." + name, {{"recurse", boolean(true)}}}, args);
        recurse = truthy(*a[0]);
    } else if (name == "named_modules") {
        const std::vector<ValuePtr> a = bindArguments(
            {"Module.named_modules",
             {{"memo", none()}, {"prefix", str("")}, {"remove_duplicate", boolean(true)}}},
            args);
        if (a[0]->kind != Value::Kind::None)
            unsupported("named_modules(memo=...)");
        if (a[1]->kind != Value::Kind::Str)
            unsupported("a non-str prefix");
        prefix = a[1]->s;
        removeDuplicate = truthy(*a[2]);
    } else {
        bindArguments({"Module." + name, {}}, args);
    }
    struct State {
        std::vector<ValuePtr> items;
        size_t pos = 0;
        bool started = false;
        uint64_t version = 0;
    };
    auto state = std::make_shared<State>();
    const ModuleRef ref = module->module;
    return iteratorValue("generator", "Module." + name, [this, state, ref, name, prefix, recurse, removeDuplicate]() -> ValuePtr {
        if (!state->started) {
            state->started = true;
            state->version = version_;
            ModuleNode& node = resolveModule(ref);
            const bool named = name.rfind("named_", 0) == 0;
            if (name == "named_parameters" || name == "parameters" || name == "named_buffers" ||
                name == "buffers") {
                const bool params = name.find("parameters") != std::string::npos;
                const std::vector<ListingEntry> entries =
                    params ? namedParameters(node, prefix, recurse) : namedBuffers(node, prefix, recurse);
                for (const ListingEntry& e : entries) {
                    const ValuePtr t = tensorValue(e.tensor, e.kind == EntryKind::Parameter);
                    state->items.push_back(named ? tupleValue({str(e.name), t}) : t);
                }
            } else if (name == "named_children" || name == "children") {
                // Module.named_children: a module held under two names is yielded once.
                std::unordered_set<const ModuleNode*> memo;
                for (const ChildSlot& c : node.childSlots()) {
                    if (!c.module || (!c.module->isScripted() && !memo.insert(c.module.get()).second))
                        continue;
                    const ValuePtr m = moduleValue(childRef(ref, c.name, c.module.get()));
                    state->items.push_back(named ? tupleValue({str(c.name), m}) : m);
                }
            } else {  // named_modules, modules
                // With remove_duplicate (the default), a module met again is skipped with its
                // subtree: the first name wins.
                std::unordered_set<const ModuleNode*> memo;
                std::function<void(const ModuleRef&, const ModuleNode&, const std::string&)> walk =
                    [&](const ModuleRef& r, const ModuleNode& n, const std::string& path) {
                        if (removeDuplicate && !n.isScripted() && !memo.insert(&n).second)
                            return;
                        const ValuePtr m = moduleValue(r);
                        state->items.push_back(named ? tupleValue({str(path), m}) : m);
                        for (const ChildSlot& c : n.childSlots())
                            if (c.module)
                                walk(childRef(r, c.name, c.module.get()), *c.module,
                                     path.empty() ? c.name : path + "." + c.name);
                    };
                walk(ref, node, prefix);
            }
        } else if (state->version != version_) {
            // Python's generator would walk the changed dicts (or raise "OrderedDict mutated
            // during iteration"); the console does not guess which.
            unsupported("changing the model while iterating over Module." + name + "()");
        }
        return state->pos < state->items.size() ? state->items[state->pos++] : nullptr;
    });
}

}  // namespace mx::stmt
