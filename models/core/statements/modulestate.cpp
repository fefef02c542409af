// nn.Module's methods that change a module's state as a whole, in the console (PyTorch 1.13's
// torch/nn/modules/module.py): `module.training = flag`, apply(fn), half() / float() / double()
// / to(...), load_state_dict(state_dict, strict), and the read-only _parameters / _buffers /
// _modules views. Tensor changes are recorded as edits of the entries holding them, so undo
// puts them back.

#include "core/statements/methodtable.h"

#include "core/listings.h"
#include "core/loadstatedict.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/statements/tensorops.h"
#include "core/tensorfactory.h"

#include <algorithm>
#include <functional>
#include <unordered_set>

namespace mx::stmt {

// ---- module.training = flag ----------------------------------------------------------------------

void Interpreter::setTrainingAttribute(const ValuePtr& module, const ValuePtr& value)
{
    // Module.__setattr__ puts it in the instance's __dict__: this module only, not its children.
    if (value->kind != Value::Kind::Bool)
        unsupported("setting Module.training to a " + typeShortName(*value));
    ModuleNode& node = resolveModule(module->module);
    keepTrainingFlags(node);
    node.setTrainingFlag(value->b);
    tensorsChanged_ = true;
}

// ---- apply(fn) ---------------------------------------------------------------------------------

ValuePtr Interpreter::applyToModules(const ValuePtr& module, const ValuePtr& fn)
{
    // for module in self.children(): module.apply(fn); fn(self); return self
    ModuleNode& node = resolveModule(module->module);
    std::vector<ValuePtr> children;
    std::unordered_set<const ModuleNode*> seen;  // children() yields a shared module once
    for (const ChildSlot& c : node.childSlots())
        if (c.module && (c.module->isScripted() || seen.insert(c.module.get()).second))
            children.push_back(moduleValue(childRef(module->module, c.name, c.module.get())));
    const std::vector<ChildSlot> slotsBefore = node.childSlots();
    for (const ValuePtr& child : children) {
        applyToModules(child, fn);
        // Python walks self.children() lazily: a changed _modules would change what it visits.
        const std::vector<ChildSlot>& now = resolveModule(module->module).childSlots();
        const bool same = now.size() == slotsBefore.size() &&
                          std::equal(now.begin(), now.end(), slotsBefore.begin(), [](const ChildSlot& a, const ChildSlot& b) {
                              return a.name == b.name && a.module == b.module;
                          });
        if (!same)
            unsupported("changing a module's children from the function given to Module.apply()");
    }
    Args args;
    args.positional.push_back(module);
    call(fn, args);
    return module;
}

// ---- half(), float(), double(), to(...) -----------------------------------------------------------

namespace {

bool isFloatDtype(const std::string& dtype)
{
    return dtype == "float16" || dtype == "float32" || dtype == "float64" || dtype == "bfloat16";
}

}  // namespace

void Interpreter::convertModuleDtype(const ValuePtr& module, const std::string& dtype)
{
    // Module._apply(fn): parameters keep their object (param.data = fn(param)); buffers are
    // replaced by fn(buf) (self._buffers[key] = ...); only floating-point tensors convert.
    ModuleNode& root = resolveModule(module->module);
    std::unordered_set<const ModuleNode*> seen;
    std::vector<ModuleNode*> modules;
    std::function<void(ModuleNode&)> collect = [&](ModuleNode& n) {
        if (!seen.insert(&n).second)
            return;
        modules.push_back(&n);
        for (const ChildSlot& c : n.childSlots())
            if (c.module)
                collect(*c.module);
    };
    collect(root);
    for (ModuleNode* n : modules) {
        if (n->isScripted())
            unsupported("changing the dtype of a TorchScript module");
        for (const TensorSlot& p : n->parameters())
            if (!p.tensor.isNone() && !p.tensor.gradient().isNone() && tensors::isFloatingPoint(p.tensor) &&
                p.tensor.dtypeName() != dtype)
                unsupported("changing the dtype of parameters that have a .grad");
    }
    for (ModuleNode* n : modules) {
        for (size_t i = 0; i < n->parameters().size(); ++i) {
            const TensorRef p = n->parameters()[i].tensor;
            if (p.isNone() || !tensors::isFloatingPoint(p) || p.dtypeName() == dtype)
                continue;  // (a parameter two modules share converts once)
            TensorState state{TensorState::Kind::Data,
                              tensors::toDtype(tensors::unary("detach", p), dtype), p.requiresGrad()};
            exchangeTensorState(p, state);  // p now holds the converted data; state the old one
            record(n->tensorChanged(Section::Parameters, i, std::move(state)));
        }
        const std::vector<TensorSlot> buffers = n->buffers();
        for (const TensorSlot& b : buffers) {
            if (b.tensor.isNone() || !tensors::isFloatingPoint(b.tensor) || b.tensor.dtypeName() == dtype)
                continue;
            const TensorRef converted = tensors::toDtype(b.tensor, dtype);
            try {
                record(n->setAttr(b.name, AttributeValue::tensor(converted)));
            } catch (const UnsupportedError& e) {
                throw PythonError("NotImplementedError", e.what());
            }
        }
    }
    tensorsChanged_ = true;
}

// ---- load_state_dict ---------------------------------------------------------------------------

void Interpreter::copyIntoModel(ModuleNode& root, const std::vector<PlannedCopy>& copies)
{
    // param.copy_(input_param) under no_grad, each an undoable edit of the entry holding it.
    struct Holder {
        ModuleNode* node;
        Section section;
        size_t index;
    };
    std::unordered_map<const void*, Holder> holders;
    std::unordered_set<const ModuleNode*> seen;
    std::function<void(ModuleNode&)> collect = [&](ModuleNode& n) {
        if (!seen.insert(&n).second)
            return;
        for (size_t i = 0; i < n.parameters().size(); ++i)
            holders.emplace(n.parameters()[i].tensor.identity(), Holder{&n, Section::Parameters, i});
        for (size_t i = 0; i < n.buffers().size(); ++i)
            holders.emplace(n.buffers()[i].tensor.identity(), Holder{&n, Section::Buffers, i});
        for (const ChildSlot& c : n.childSlots())
            if (c.module)
                collect(*c.module);
    };
    collect(root);
    for (const PlannedCopy& c : copies) {
        const auto it = holders.find(c.target.identity());
        if (it == holders.end())
            unsupported("load_state_dict() into a tensor the app cannot place");
        TensorState state{TensorState::Kind::Values, c.source, c.target.requiresGrad()};
        try {
            exchangeTensorState(c.target, state);  // the target holds the source's values now
        } catch (const std::exception& e) {
            throw PythonError("RuntimeError", e.what());
        }
        record(it->second.node->tensorChanged(it->second.section, it->second.index, std::move(state)));
    }
    tensorsChanged_ = true;
}

// ---- the methods ------------------------------------------------------------------------------------

namespace {

ValuePtr moduleTo(Interpreter& in, const ValuePtr& module, const Args& args)
{
    // torch._C._nn._parse_to: to(device=None, dtype=None, non_blocking=False), to(dtype),
    // to(tensor), to(device, dtype).
    std::string device, dtype;
    auto take = [&](const ValuePtr& v, const std::string& keyword) {
        if ((keyword.empty() || keyword == "device") && (v->kind == Value::Kind::Str || v->kind == Value::Kind::Device))
            device = v->s;
        else if ((keyword.empty() || keyword == "dtype") && v->kind == Value::Kind::Dtype)
            dtype = v->s;
        else if (keyword.empty() && v->kind == Value::Kind::Tensor) {
            device = v->tensor.deviceName();
            dtype = v->tensor.dtypeName();
        } else if (v->kind != Value::Kind::None || keyword.empty())
            unsupported("Module.to() with these arguments");
    };
    if (args.positional.size() > 2)
        unsupported("Module.to() with more than two positional arguments");
    for (const ValuePtr& v : args.positional)
        take(v, "");
    for (const auto& [k, v] : args.keywords) {
        if (k == "non_blocking")
            continue;
        if (k != "device" && k != "dtype")
            unsupported("Module.to(" + k + "=...)");
        take(v, k);
    }
    if (!device.empty() && device != "cpu")
        unsupported("moving a model to '" + device + "' (the console runs on the CPU)");
    if (!dtype.empty()) {
        if (!isFloatDtype(dtype))
            typeError("nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch." +
                      dtype);
        in.convertModuleDtype(module, dtype);
    }
    return module;
}

ValuePtr loadStateDict(Interpreter& in, const ValuePtr& module, const Args& args)
{
    const ValuePtr& sd = args.positional[0];  // state_dict, strict
    if (sd->kind != Value::Kind::Dict)  // isinstance(state_dict, Mapping)
        typeError("Expected state_dict to be dict-like, got <class '" + typeQualName(*sd) + "'>.");
    ModuleNode& node = resolveModule(module->module);
    StateDictInput input;
    for (size_t k = 0; k < sd->keys.size(); ++k) {
        if (sd->keys[k]->kind != Value::Kind::Str || sd->items[k]->kind != Value::Kind::Tensor)
            unsupported("load_state_dict() of a dict with other than str keys and tensor values");
        input.entries.emplace_back(sd->keys[k]->s, sd->items[k]->tensor);
    }
    // Whether a missing num_batches_tracked is added (BatchNorm's hook) depends on the dict's
    // _metadata, which the console does not follow: that case is refused.
    for (const ListingEntry& e : stateDict(node))
        if (e.kind == EntryKind::Buffer && e.name.size() >= 19 &&
            e.name.compare(e.name.size() - 19, 19, "num_batches_tracked") == 0 &&
            std::none_of(input.entries.begin(), input.entries.end(),
                         [&](const auto& entry) { return entry.first == e.name; }))
            unsupported("load_state_dict() of a dict without '" + e.name + "' (it depends on the dict's _metadata)");
    input.versions.emplace();
    LoadStateDictReport report;
    try {
        report = planLoadStateDict(node, input, in.truthy(*args.positional[1]));
    } catch (const std::runtime_error& e) {
        throw ConsoleError(e.what());
    }
    if (report.failed())
        throw ConsoleError(report.error());
    in.copyIntoModel(node, report.copies);
    auto result = std::make_shared<Value>();
    result->kind = Value::Kind::Opaque;
    result->s = "_IncompatibleKeys";
    result->repr = report.result();
    std::vector<ValuePtr> missing, unexpected;
    for (const std::string& key : report.missing)
        missing.push_back(str(key));
    for (const std::string& key : report.unexpected)
        unexpected.push_back(str(key));
    result->items = {listValue(std::move(missing)), listValue(std::move(unexpected))};
    return result;
}

ValuePtr applyFn(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return in.applyToModules(self, args.positional[0]);
}

template <const char* Dtype>
ValuePtr convertTo(Interpreter& in, const ValuePtr& self, const Args&)
{
    in.convertModuleDtype(self, Dtype);
    return self;
}

constexpr char kFloat16[] = "float16";
constexpr char kFloat32[] = "float32";
constexpr char kFloat64[] = "float64";

}  // namespace

// module.cpu(): module.to('cpu'), which the console's CPU tensors already are.
ValuePtr moduleCpu(Interpreter& in, const ValuePtr& module, const Args&)
{
    Args toCpu;
    toCpu.positional.push_back(str("cpu"));
    return moduleTo(in, module, toCpu);
}

std::vector<MethodEntry> moduleStateEntries()
{
    return {
        {"apply", pythonSignature({"Module.apply", {{"fn", nullptr}}}), applyFn},
        {"half", pythonSignature({"Module.half", {}}), convertTo<kFloat16>},
        {"float", pythonSignature({"Module.float", {}}), convertTo<kFloat32>},
        {"double", pythonSignature({"Module.double", {}}), convertTo<kFloat64>},
        {"to", ownCheck(), moduleTo},
        {"cpu", pythonSignature({"Module.cpu", {}}), moduleCpu},
        {"load_state_dict",
         pythonSignature({"Module.load_state_dict", {{"state_dict", nullptr}, {"strict", boolean(true)}}}),
         loadStateDict},
    };
}

// ---- _parameters, _buffers, _modules -----------------------------------------------------------------

void refuseViewChange(const Value& dict)
{
    if (!dict.viewOf.empty())
        unsupported("changing nn.Module's " + dict.viewOf + " OrderedDict directly");
}

namespace {

// Fills `view` with what the module's _parameters / _buffers / _modules hold now.
void fillView(Value& view, const ValuePtr& module, const ModuleNode& node, const std::string& name,
              Interpreter& in)
{
    const std::vector<ValuePtr> before = std::move(view.keys);
    view.keys.clear();
    view.items.clear();
    const auto keysChanged = [&] {  // iterating it then raises, as an OrderedDict's iteration does
        const bool same = before.size() == view.keys.size() &&
                          std::equal(before.begin(), before.end(), view.keys.begin(),
                                     [](const ValuePtr& a, const ValuePtr& b) { return a->s == b->s; });
        if (!same)
            ++view.version;
    };
    if (name == "_modules") {
        for (const ChildSlot& slot : node.childSlots()) {
            view.keys.push_back(str(slot.name));
            view.items.push_back(in.containerEntry(module, slot));
        }
        keysChanged();
        return;
    }
    const bool parameters = name == "_parameters";
    for (const TensorSlot& slot : parameters ? node.parameters() : node.buffers()) {
        view.keys.push_back(str(slot.name));
        view.items.push_back(slot.tensor.isNone() ? none() : tensorValue(slot.tensor, parameters));
    }
    keysChanged();
}

}  // namespace

// module._parameters is one OrderedDict object for the module's life, which its mutations change:
// the console hands out one view per (module, name) and refreshes the live ones after each change.
ValuePtr Interpreter::moduleNamespaceView(const ValuePtr& module, const std::string& name)
{
    ModuleNode& node = resolveModule(module->module);
    if (node.isScripted())  // a RecursiveScriptModule wraps them in its own classes
        unsupported("reading " + name + " of a TorchScript module");
    for (const LiveView& live : liveViews_)
        if (liveViewNode(live) == &node && live.name == name)
            if (ValuePtr view = live.view.lock()) {
                fillView(*view, module, node, name, *this);
                return view;
            }
    const ValuePtr view = dictValue(true);
    view->viewOf = name;
    fillView(*view, module, node, name, *this);
    LiveView live{view, nullptr, node.weak_from_this(), module, name};
    if (&node == model_)
        live.root = model_;
    liveViews_.push_back(std::move(live));
    return view;
}

const ModuleNode* Interpreter::liveViewNode(const LiveView& live) const
{
    if (live.root)
        return live.root == model_ ? live.root : nullptr;  // (a rebound `model` ends it)
    return live.node.lock().get();  // still held by the model or a console variable
}

void Interpreter::refreshModuleViews()
{
    liveViews_.erase(std::remove_if(liveViews_.begin(), liveViews_.end(),
                                    [&](const LiveView& v) { return v.view.expired() || !liveViewNode(v); }),
                     liveViews_.end());
    for (const LiveView& live : liveViews_) {
        const ValuePtr view = live.view.lock();
        const std::shared_ptr<const ModuleNode> held = live.node.lock();  // kept while it is filled
        const ModuleNode* node = liveViewNode(live);
        if (view && node)  // a module no longer reachable keeps the dict as it last was
            fillView(*view, live.module, *node, live.name, *this);
    }
}

}  // namespace mx::stmt
