#include "core/modulenode.h"

#include "core/forwardplan.h"
#include "core/layers.h"
#include "core/moduleruntime.h"
#include "core/pythonerror.h"
#include "core/scriptcompile.h"
#include "core/scriptglobals.h"
#include "core/tensoraccess.h"

#include <torch/csrc/jit/frontend/resolver.h>
#include <torch/csrc/jit/frontend/sugared_value.h>

#include <algorithm>
#include <array>
#include <set>
#include <stdexcept>
#include <utility>

namespace mx {

namespace {

std::shared_ptr<torch::jit::CompilationUnit> sharedCompilationUnit()
{
    static auto unit = std::make_shared<torch::jit::CompilationUnit>();
    return unit;
}

// Python's torch.nn.modules.module._addindent.
std::string addIndent(const std::string& text, int spaces)
{
    std::string out;
    const std::string pad(spaces, ' ');
    for (char c : text) {
        out += c;
        if (c == '\n')
            out += pad;
    }
    return out;
}

// One attribute the jit module should have, as the slots say.
struct WantedSlot {
    std::string name;
    c10::TypePtr type;
    c10::IValue value;
    bool isParameter = false;
    bool isBuffer = false;
};

WantedSlot tensorSlot(const TensorSlot& slot, bool parameter)
{
    const at::Tensor& tensor = TensorAccess::tensor(slot.tensor);
    if (!tensor.defined())
        return {slot.name, c10::NoneType::get(), {}, parameter, !parameter};
    return {slot.name, c10::TensorType::get(), tensor, parameter, !parameter};
}

// Whether a plain attribute has a jit counterpart: tensors and int/float/str/bool/None do.
bool mirrored(const PlainAttribute& a)
{
    return a.isTensor || a.value.kind() != PythonValue::Kind::Other;
}

// The jit attribute that entry `index` of `section` becomes, or false when it has none. None
// parameters and buffers become NoneType attributes flagged as such (as torch.jit.script makes
// them); None children and plain values other than int/float/str/bool/None have no counterpart.
bool wantedSlot(const ModuleNode& node, Section section, size_t index, WantedSlot& out)
{
    switch (section) {
    case Section::Parameters: out = tensorSlot(node.parameters()[index], true); return true;
    case Section::Buffers: out = tensorSlot(node.buffers()[index], false); return true;
    case Section::Attributes: {
        const PlainAttribute& a = node.plainAttributes()[index];
        if (a.isTensor) {
            out = {a.name, c10::TensorType::get(), TensorAccess::tensor(a.tensor)};
            return true;
        }
        const PythonValue& v = a.value;
        switch (v.kind()) {
        case PythonValue::Kind::None: out = {a.name, c10::NoneType::get(), {}}; return true;
        case PythonValue::Kind::Bool: out = {a.name, c10::BoolType::get(), v.boolValue()}; return true;
        case PythonValue::Kind::Int: out = {a.name, c10::IntType::get(), v.intValue()}; return true;
        case PythonValue::Kind::Float:
            out = {a.name, c10::FloatType::get(), v.floatValue()};
            return true;
        case PythonValue::Kind::Str:
            out = {a.name, c10::StringType::get(), v.stringValue()};
            return true;
        case PythonValue::Kind::Other: return false;
        }
        return false;
    }
    case Section::Modules: {
        const ChildSlot& c = node.childSlots()[index];
        if (!c.module)
            return false;
        // Its runtime is current already: a module's children are prepared before itself.
        const torch::jit::Module& child = c.module->runtime().module;
        out = {c.name, child.type(), child._ivalue()};
        return true;
    }
    }
    return false;
}

size_t sectionSize(const ModuleNode& node, Section section)
{
    switch (section) {
    case Section::Parameters: return node.parameters().size();
    case Section::Buffers: return node.buffers().size();
    case Section::Attributes: return node.plainAttributes().size();
    case Section::Modules: return node.childSlots().size();
    }
    return 0;
}

// Which Section (as an index) the jit attribute at `slot` mirrors; -1 for `training`.
int sectionOf(const c10::ClassType& type, size_t slot)
{
    if (type.is_parameter(slot))
        return static_cast<int>(Section::Parameters);
    if (type.is_buffer(slot))
        return static_cast<int>(Section::Buffers);
    const c10::TypePtr& t = type.getAttribute(slot);
    if (const auto cls = t->cast<c10::ClassType>(); cls && cls->is_module())
        return static_cast<int>(Section::Modules);
    if (slot == 0 && type.getAttributeName(slot) == "training")
        return -1;
    return static_cast<int>(Section::Attributes);
}

bool matches(const c10::ClassType& type, size_t slot, const WantedSlot& wanted)
{
    if (type.is_parameter(slot) != wanted.isParameter || type.is_buffer(slot) != wanted.isBuffer ||
        type.getAttributes()[slot].getName() != wanted.name)
        return false;
    const c10::TypePtr& have = type.getAttribute(slot);
    if (have->kind() == c10::TypeKind::ClassType || wanted.type->kind() == c10::TypeKind::ClassType)
        return have.get() == wanted.type.get();  // each module instance has its own class type
    return *have == *wanted.type;
}

// What a forward's source may name beyond TorchScript's builtins: torch, and the exceptions a
// layer's forward raises as Python's would (see core/layerrepr.cpp).
struct ForwardResolver : torch::jit::Resolver {
    std::shared_ptr<torch::jit::SugaredValue> resolveValue(const std::string& name,
                                                           torch::jit::GraphFunction&,
                                                           const torch::jit::SourceRange&) override
    {
        if (name == "torch")
            return std::make_shared<torch::jit::BuiltinModule>("aten");
        static const std::set<std::string> exceptions{
            "ValueError", "TypeError", "AttributeError", "KeyError", "NotImplementedError",
            "RuntimeError"};
        if (exceptions.count(name))
            return std::make_shared<torch::jit::ExceptionValue>(name);
        return nullptr;
    }
    c10::TypePtr resolveType(const std::string&, const torch::jit::SourceRange&) override
    {
        return nullptr;
    }
};

// Removes the forward method from the module's class type and from the compilation unit.
void removeForward(torch::jit::Module& module)
{
    const c10::ClassTypePtr type = module.type();
    if (torch::jit::Function* forward = type->findMethod("forward")) {
        const c10::QualifiedName name = forward->qualname();
        type->unsafeRemoveMethod("forward");
        type->compilation_unit()->unsafeRemoveMethod(name);
    }
}

}  // namespace

const char* kindName(EntryKind kind)
{
    switch (kind) {
    case EntryKind::Parameter: return "parameter";
    case EntryKind::Buffer: return "buffer";
    case EntryKind::NonPersistentBuffer: return "non-persistent buffer";
    case EntryKind::Attribute: return "attribute";
    }
    return "?";
}

ModuleNode::ModuleNode(std::string typeName, std::string extraRepr)
    : typeName_(std::move(typeName)), extraRepr_(std::move(extraRepr))
{
}

ModuleNode::Runtime& ModuleNode::mirror() const
{
    // Made on first use: a file's modules may never need theirs (opening resnet18 stays cheap).
    if (!runtime_) {
        runtime_ = std::make_unique<Runtime>(Runtime{torch::jit::Module(
            c10::QualifiedName("__torch__.explorer." +
                               (typeName_.empty() ? std::string("StateDictGroup") : typeName_)),
            sharedCompilationUnit(), /*shouldMangle=*/true)});
        // Module::train() expects every module to carry the attribute Python's scripted modules have.
        runtime_->module.register_attribute("training", c10::BoolType::get(), training_);
    }
    return *runtime_;
}

ModuleNode::~ModuleNode() = default;

std::string ModuleNode::extraRepr() const
{
    return layerClass_ ? layerClass_->extraRepr(*this) : extraRepr_;
}

std::string ModuleNode::headline() const
{
    if (isStateDictGroup())
        return parents_.empty() ? std::string("from a state_dict: no module types") : std::string();
    if (isScripted())
        return typeName_ + " (TorchScript)";
    if (!children_.empty())
        return typeName_;
    try {
        return typeName_ + "(" + extraRepr() + ")";
    } catch (const std::exception& e) {
        return typeName_ + "(<" + e.what() + ">)";
    }
}

std::string ModuleNode::displayRepr() const
{
    try {
        return repr();
    } catch (const std::exception& e) {
        return "<" + std::string(e.what()) + ">";
    }
}

std::string ModuleNode::repr() const
{
    // torch.nn.Module.__repr__ in PyTorch 1.13.
    const std::string extra = extraRepr();
    std::vector<std::string> lines;
    if (!extra.empty()) {
        size_t start = 0;
        while (start <= extra.size()) {
            size_t end = extra.find('\n', start);
            if (end == std::string::npos)
                end = extra.size();
            lines.push_back(extra.substr(start, end - start));
            start = end + 1;
        }
    }
    for (const ChildSlot& c : children_)
        lines.push_back("(" + c.name + "): " +
                        (c.module ? addIndent(c.module->repr(), 2) : std::string("None")));
    std::string main = pythonClassName() + "(";
    if (!lines.empty()) {
        if (extra.find('\n') == std::string::npos && children_.empty()) {
            main += extra;
        } else {
            main += "\n  ";
            for (size_t i = 0; i < lines.size(); ++i)
                main += (i ? "\n  " : "") + lines[i];
            main += "\n";
        }
    }
    return main + ")";
}

// ---- the jit mirror -----------------------------------------------------------------------
// Edits only call markStale(); prepareForward() later walks the stale subtree children first,
// applies each module's stale entries to its jit module (syncMirror) and recompiles the forwards
// that this invalidated. Compiled code addresses attributes by slot index, so a forward must be
// recompiled once a jit attribute it may use is removed or retyped, in its module or below it
// (executors may have inlined the children's code); appended attributes move no slot.

void ModuleNode::markStale(Section section, size_t index)
{
    size_t& from = staleFrom_[static_cast<size_t>(section)];
    from = std::min(from, index);
    mirrorStale_ = true;
    markSubtreeStale();
    if (layerClass_ && section != Section::Modules)
        layerSourceStale_ = true;  // its forward follows its attributes (see prepareForward)
    if (section == Section::Modules && ((forwardPlan_ && forwardPlan_->callsEveryChild) ||
                                        typeName_ == "ModuleList" || typeName_ == "ModuleDict")) {
        // nn.Sequential's forward follows its children; the forwards above may have inlined it.
        // A script forward above a container unrolled its loops over the children it had.
        forEachAncestor([](const ModuleNode& node) { node.forwardStale_ = true; });
    }
}

void ModuleNode::markSubtreeStale() const
{
    // A stale module's ancestors are all marked already, so this stops at marked ones. A shared
    // module has several parents: each path up is marked.
    std::vector<const ModuleNode*> stack{this};
    while (!stack.empty()) {
        const ModuleNode* node = stack.back();
        stack.pop_back();
        if (node->subtreeStale_)
            continue;
        node->subtreeStale_ = true;
        stack.insert(stack.end(), node->parents_.begin(), node->parents_.end());
    }
}

void ModuleNode::prepareForward() const
{
    if (!subtreeStale_)
        return;
    syncChildrenAndMirror();
    if (std::exchange(layerSourceStale_, false) &&
        layerClass_->forwardSource(*this) != forwardSource_)
        forwardStale_ = true;
    if (forwardStale_)
        recompileForward();
    if (scripted_)
        selectRuntime();
    subtreeStale_ = false;
}

void ModuleNode::syncChildrenAndMirror() const
{
    for (const ChildSlot& c : children_)
        if (c.module)
            c.module->prepareForward();
    syncMirror();
}

ModuleNode::Runtime& ModuleNode::runtime() const
{
    prepareForward();
    return fileRuntimeActive_ ? fileRuntime() : mirror();
}

const std::string& ModuleNode::forwardError() const
{
    prepareForward();
    return forwardError_;
}

size_t ModuleNode::jitPosition(Section section, size_t index) const
{
    switch (section) {
    case Section::Parameters:
    case Section::Buffers: return index;
    case Section::Modules:
        return static_cast<size_t>(std::lower_bound(live_.begin(), live_.end(), index) -
                                   live_.begin());
    case Section::Attributes: {
        return static_cast<size_t>(
            std::count_if(plain_.begin(), plain_.begin() + static_cast<long>(index), mirrored));
    }
    }
    return 0;
}

void ModuleNode::rescanJitSlots() const
{
    const c10::ClassType& type = *mirror().module.type();
    for (std::vector<size_t>& slots : jitSlots_)
        slots.clear();
    for (size_t i = 0; i < type.numAttributes(); ++i)
        if (const int s = sectionOf(type, i); s >= 0)
            jitSlots_[static_cast<size_t>(s)].push_back(i);
}

void ModuleNode::syncMirror() const
{
    if (!mirrorStale_)
        return;
    mirrorStale_ = false;
    torch::jit::Module& module = mirror().module;
    const c10::ClassTypePtr type = module.type();

    // Per section, the entries before staleFrom_ match their jit attributes. From there, keep the
    // attributes that still match (their values refreshed), drop the rest and append the wanted
    // tail, so every section keeps the eager order (which save() and state_dict follow).
    std::vector<size_t> doomed;
    std::vector<std::pair<size_t, WantedSlot>> appended;  // (section, slot)
    for (size_t s = 0; s < 4; ++s) {
        const size_t from = std::exchange(staleFrom_[s], kNothingStale);
        if (from == kNothingStale)
            continue;
        const Section section = static_cast<Section>(s);
        const std::vector<size_t>& have = jitSlots_[s];
        size_t j = jitPosition(section, from);
        bool matching = true;
        WantedSlot wanted;
        for (size_t i = from; i < sectionSize(*this, section); ++i) {
            if (!wantedSlot(*this, section, i, wanted))
                continue;
            if (matching && j < have.size() && matches(*type, have[j], wanted)) {
                module._ivalue()->setSlot(have[j++], std::move(wanted.value));
                continue;
            }
            matching = false;
            appended.emplace_back(s, std::move(wanted));
        }
        doomed.insert(doomed.end(), have.begin() + static_cast<long>(j), have.end());
    }
    if (!doomed.empty()) {
        std::sort(doomed.rbegin(), doomed.rend());  // last slot first: the others stay put
        for (const size_t slot : doomed) {
            const std::string name = type->getAttributeName(slot);
            module._ivalue()->unsafeRemoveSlot(slot);
            type->unsafeRemoveAttribute(name);
        }
        rescanJitSlots();
    }
    for (auto& [s, w] : appended) {
        const size_t slot = type->addAttribute(w.name, w.type, w.isParameter, w.isBuffer);
        module._ivalue()->setSlot(slot, std::move(w.value));
        jitSlots_[s].push_back(slot);
    }
    // Slots moved: recompile this forward and every ancestor's. A forward that failed to compile
    // (an attribute it uses was missing) is retried after any change.
    if (doomed.empty() && appended.empty())
        return;
    forEachAncestor([&doomed](const ModuleNode& node) {
        if (!doomed.empty() || !node.forwardError_.empty()) {
            node.forwardStale_ = true;
            node.markSubtreeStale();
        }
    });
}

void ModuleNode::compileForward(const std::string& source) const
{
    torch::jit::Module& module = mirror().module;
    removeForward(module);
    removeScriptMethods(module, std::exchange(scriptMethods_, {}));
    if (scriptGlobals_) {
        scriptMethods_ = compileScriptMethods(*this, module, source, *scriptGlobals_);
        if (!module.find_method("forward"))
            throw std::runtime_error("NotImplementedError: Module [" + typeName_ +
                                     "] is missing the required \"forward\" function");
        return;
    }
    try {
        static const auto resolver = std::make_shared<ForwardResolver>();
        module.define(source, resolver);
    } catch (...) {
        removeForward(module);  // define() leaves a half-made method behind
        throw;
    }
}

void ModuleNode::defineForward(const std::string& source)
{
    syncChildrenAndMirror();
    scriptGlobals_.reset();
    forwardSource_ = source;
    forwardError_.clear();
    forwardStale_ = false;
    subtreeStale_ = false;  // (a throw below leaves no forward, as it always did)
    compileForward(source);
}

bool ModuleNode::defineScriptForward(const std::string& source, const ScriptGlobals& globals)
{
    syncChildrenAndMirror();
    forwardPlan_.reset();  // the class's own forward, not nn.Sequential's
    scriptGlobals_ = std::make_shared<const ScriptGlobals>(globals);
    forwardSource_ = source;
    forwardError_.clear();
    forwardStale_ = false;
    subtreeStale_ = false;
    try {
        compileForward(source);
    } catch (const std::exception& e) {
        forwardError_ = e.what();
    }
    return forwardError_.empty();
}

void ModuleNode::defineLayerForward(const LayerClass& layerClass)
{
    layerClass_ = &layerClass;
    defineForward(layerClass.forwardSource(*this));
}

void ModuleNode::declareForwardUnavailable(std::string reason) { forwardError_ = std::move(reason); }

void ModuleNode::declareNoForward()
{
    forwardError_ = "NotImplementedError: Module [" + typeName_ +
                    "] is missing the required \"forward\" function";
}

const ForwardPlan* ModuleNode::forwardPlan() const
{
    if (!forwardPlan_ || !forwardPlan_->callsEveryChild)
        return forwardPlan_.get();
    childrenPlan_ = std::make_shared<ForwardPlan>();
    for (const ChildSlot& c : children_)
        childrenPlan_->call(c.name);
    return childrenPlan_.get();
}

void ModuleNode::recompileForward() const
{
    forwardStale_ = false;
    if (forwardPlan_ && forwardPlan_->callsEveryChild)
        forwardSource_ = forwardPlan()->torchScript();
    if (layerClass_) {
        // A layer's forward follows its attributes; the forwards above it may have inlined it.
        std::string source = layerClass_->forwardSource(*this);
        if (source != forwardSource_)
            for (ModuleNode* parent : parents_)
                parent->forEachAncestor([](const ModuleNode& node) { node.forwardStale_ = true; });
        forwardSource_ = std::move(source);
    }
    if (forwardSource_.empty())
        return;
    forwardError_.clear();
    try {
        compileForward(forwardSource_);
    } catch (const c10::Error& e) {
        forwardError_ = e.what_without_backtrace();
    } catch (const std::exception& e) {
        forwardError_ = e.what();
    }
}

RuntimeView ModuleNode::runtimeView() const
{
    const torch::jit::Module& module = runtime().module;
    const c10::ClassTypePtr type = module.type();
    RuntimeView view;
    for (size_t i = 0; i < type->numAttributes(); ++i) {
        if (sectionOf(*type, i) < 0)
            continue;
        view.slots.push_back({type->getAttributeName(i), type->getAttribute(i)->annotation_str(),
                              type->is_parameter(i), type->is_buffer(i)});
    }
    for (const auto& p : module.named_parameters(/*recurse=*/false))
        view.parameters.push_back(p.name);
    for (const auto& b : module.named_buffers(/*recurse=*/false))
        view.buffers.push_back(b.name);
    for (const auto& c : module.named_children())
        view.children.push_back(c.name);
    view.hasForward = module.find_method("forward").has_value();
    return view;
}

void ModuleNode::setForwardPlan(std::shared_ptr<const ForwardPlan> plan)
{
    std::shared_ptr<const ForwardPlan> previous = std::exchange(forwardPlan_, std::move(plan));
    try {
        defineForward(forwardPlan()->torchScript());
    } catch (...) {
        forwardPlan_ = std::move(previous);
        throw;
    }
}

void ModuleNode::setTrainingFlag(bool on)
{
    training_ = on;
    if (runtime_)  // (a mirror made later starts with training_)
        runtime_->module._ivalue()->setAttr("training", on);  // slot 0, never stale
    if (fileRuntime_ && fileRuntime_->module.hasattr("training"))
        fileRuntime_->module._ivalue()->setAttr("training", on);  // (else set on load)
}

void ModuleNode::train(bool on)
{
    std::vector<ModuleNode*> stack{this};
    while (!stack.empty()) {
        ModuleNode* node = stack.back();
        stack.pop_back();
        node->setTrainingFlag(on);
        for (const ChildSlot& c : node->children_)
            if (c.module)
                stack.push_back(c.module.get());
    }
}

}  // namespace mx
