#include "core/modulenode.h"

#include "core/forwardplan.h"
#include "core/moduleruntime.h"
#include "core/tensoraccess.h"

#include <array>

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

// The jit attributes of each Section (by its index), in eager order. None parameters and buffers
// become NoneType attributes flagged as such (as torch.jit.script makes them), None children and
// plain values other than int/float/str/bool/None have no jit counterpart.
std::array<std::vector<WantedSlot>, 4> wantedSlots(const ModuleNode& node)
{
    std::array<std::vector<WantedSlot>, 4> out;
    auto tensorSlot = [](const std::string& name, const TensorRef& t, bool param) {
        const at::Tensor& tensor = TensorAccess::tensor(t);
        return WantedSlot{name,
                          tensor.defined() ? c10::TypePtr(c10::TensorType::get())
                                           : c10::TypePtr(c10::NoneType::get()),
                          tensor.defined() ? c10::IValue(tensor) : c10::IValue(), param, !param};
    };
    for (const TensorSlot& p : node.parameters())
        out[static_cast<int>(Section::Parameters)].push_back(tensorSlot(p.name, p.tensor, true));
    for (const TensorSlot& b : node.buffers())
        out[static_cast<int>(Section::Buffers)].push_back(tensorSlot(b.name, b.tensor, false));
    for (const PlainAttribute& a : node.plainAttributes()) {
        auto& list = out[static_cast<int>(Section::Attributes)];
        if (a.isTensor) {
            list.push_back({a.name, c10::TensorType::get(), TensorAccess::tensor(a.tensor)});
            continue;
        }
        const PythonValue& v = a.value;
        switch (v.kind()) {
        case PythonValue::Kind::None: list.push_back({a.name, c10::NoneType::get(), {}}); break;
        case PythonValue::Kind::Bool:
            list.push_back({a.name, c10::BoolType::get(), v.boolValue()});
            break;
        case PythonValue::Kind::Int:
            list.push_back({a.name, c10::IntType::get(), v.intValue()});
            break;
        case PythonValue::Kind::Float:
            list.push_back({a.name, c10::FloatType::get(), v.floatValue()});
            break;
        case PythonValue::Kind::Str:
            list.push_back({a.name, c10::StringType::get(), v.stringValue()});
            break;
        case PythonValue::Kind::Other: break;
        }
    }
    for (const ChildSlot& c : node.childSlots()) {
        if (!c.module)
            continue;
        const torch::jit::Module& child = c.module->runtime().module;
        out[static_cast<int>(Section::Modules)].push_back({c.name, child.type(), child._ivalue()});
    }
    return out;
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
    if (type.getAttributeName(slot) != wanted.name ||
        type.is_parameter(slot) != wanted.isParameter || type.is_buffer(slot) != wanted.isBuffer)
        return false;
    const c10::TypePtr& have = type.getAttribute(slot);
    if (have->kind() == c10::TypeKind::ClassType || wanted.type->kind() == c10::TypeKind::ClassType)
        return have.get() == wanted.type.get();  // each module instance has its own class type
    return *have == *wanted.type;
}

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
    : typeName_(std::move(typeName)),
      extraRepr_(std::move(extraRepr)),
      runtime_(std::make_unique<Runtime>(Runtime{torch::jit::Module(
          c10::QualifiedName("__torch__.explorer." + typeName_), sharedCompilationUnit(),
          /*shouldMangle=*/true)}))
{
    // Module::train() expects every module to carry the attribute Python's scripted modules have.
    runtime_->module.register_attribute("training", c10::BoolType::get(), true);
}

ModuleNode::~ModuleNode() = default;

std::string ModuleNode::headline() const
{
    return children_.empty() ? typeName_ + "(" + extraRepr_ + ")" : typeName_;
}

std::string ModuleNode::repr() const
{
    // torch.nn.Module.__repr__ in PyTorch 1.13.
    std::vector<std::string> lines;
    if (!extraRepr_.empty()) {
        size_t start = 0;
        while (start <= extraRepr_.size()) {
            size_t end = extraRepr_.find('\n', start);
            if (end == std::string::npos)
                end = extraRepr_.size();
            lines.push_back(extraRepr_.substr(start, end - start));
            start = end + 1;
        }
    }
    for (const ChildSlot& c : children_)
        lines.push_back("(" + c.name + "): " +
                        (c.module ? addIndent(c.module->repr(), 2) : std::string("None")));
    std::string main = typeName_ + "(";
    if (!lines.empty()) {
        if (extraRepr_.find('\n') == std::string::npos && children_.empty()) {
            main += extraRepr_;
        } else {
            main += "\n  ";
            for (size_t i = 0; i < lines.size(); ++i)
                main += (i ? "\n  " : "") + lines[i];
            main += "\n";
        }
    }
    return main + ")";
}

void ModuleNode::defineForward(const std::string& source)
{
    forwardSource_ = source;
    forwardError_.clear();
    torch::jit::Module& module = runtime_->module;
    removeForward(module);
    try {
        module.define(source);
    } catch (...) {
        removeForward(module);  // define() leaves a half-made method behind
        throw;
    }
}

void ModuleNode::recompileForward()
{
    if (forwardSource_.empty())
        return;
    try {
        defineForward(forwardSource_);
    } catch (const c10::Error& e) {
        forwardError_ = e.what_without_backtrace();
    } catch (const std::exception& e) {
        forwardError_ = e.what();
    }
}

void ModuleNode::syncRuntime()
{
    torch::jit::Module& module = runtime_->module;
    const c10::ClassTypePtr type = module.type();
    const std::array<std::vector<WantedSlot>, 4> wanted = wantedSlots(*this);
    std::array<std::vector<size_t>, 4> have;  // jit slot indices, per section
    for (size_t i = 0; i < type->numAttributes(); ++i)
        if (const int s = sectionOf(*type, i); s >= 0)
            have[s].push_back(i);

    // Keep each section's longest prefix that already matches; drop the rest and append the
    // wanted tail, so every section keeps the eager order (which save() and state_dict follow).
    std::array<size_t, 4> keep{};
    std::vector<std::string> doomed;
    for (size_t s = 0; s < 4; ++s) {
        size_t k = 0;
        while (k < have[s].size() && k < wanted[s].size() &&
               matches(*type, have[s][k], wanted[s][k]))
            ++k;
        keep[s] = k;
        for (size_t j = k; j < have[s].size(); ++j)
            doomed.push_back(type->getAttributeName(have[s][j]));
    }
    for (const std::string& name : doomed) {
        module._ivalue()->unsafeRemoveSlot(type->getAttributeSlot(name));
        type->unsafeRemoveAttribute(name);
    }
    for (size_t s = 0; s < 4; ++s) {
        for (size_t j = 0; j < wanted[s].size(); ++j) {
            const WantedSlot& w = wanted[s][j];
            if (j < keep[s])
                module._ivalue()->setAttr(w.name, w.value);
            else
                module.register_attribute(w.name, w.type, w.value, w.isParameter, w.isBuffer);
        }
    }
    // Compiled code addresses attributes by slot index: once slots moved, recompile this
    // module's forward and every ancestor's (their executors may have inlined ours). A forward
    // that failed to compile (an attribute it uses was missing) is retried after any change.
    bool changed = !doomed.empty();
    for (size_t s = 0; s < 4; ++s)
        changed |= keep[s] < wanted[s].size();
    for (ModuleNode* node = this; node && changed; node = node->parent_)
        if (!doomed.empty() || !node->forwardError_.empty())
            node->recompileForward();
}

RuntimeView ModuleNode::runtimeView() const
{
    const torch::jit::Module& module = runtime_->module;
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
    defineForward(plan->torchScript());
    forwardPlan_ = std::move(plan);
}

void ModuleNode::train(bool on)
{
    runtime_->module.train(on);  // recursive over the jit children
    std::vector<ModuleNode*> stack{this};
    while (!stack.empty()) {
        ModuleNode* node = stack.back();
        stack.pop_back();
        node->training_ = on;
        for (const ChildSlot& c : node->children_)
            if (c.module)
                stack.push_back(c.module.get());
    }
}

}  // namespace mx
