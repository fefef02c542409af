#include "core/modulenode.h"

#include "core/forwardplan.h"
#include "core/moduleruntime.h"
#include "core/tensoraccess.h"

#include <algorithm>

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
    for (const Child& c : children_)
        lines.push_back("(" + c.name + "): " + addIndent(c.module->repr(), 2));
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

const ModuleNode* ModuleNode::findChild(const std::string& name) const
{
    auto it = std::find_if(children_.begin(), children_.end(),
                           [&](const Child& c) { return c.name == name; });
    return it == children_.end() ? nullptr : it->module.get();
}

void ModuleNode::registerParameter(const std::string& name, const TensorRef& tensor)
{
    const at::Tensor& t = TensorAccess::tensor(tensor);
    if (t.defined())
        runtime_->module.register_parameter(name, t, /*is_buffer=*/false);
    parameters_.push_back({name, tensor, EntryKind::Parameter});
}

void ModuleNode::registerBuffer(const std::string& name, const TensorRef& tensor, bool persistent)
{
    const at::Tensor& t = TensorAccess::tensor(tensor);
    if (t.defined())
        runtime_->module.register_buffer(name, t);
    buffers_.push_back(
        {name, tensor, persistent ? EntryKind::Buffer : EntryKind::NonPersistentBuffer});
}

void ModuleNode::setTensorAttribute(const std::string& name, const TensorRef& tensor)
{
    const at::Tensor& t = TensorAccess::tensor(tensor);
    runtime_->module.register_attribute(name, c10::TensorType::get(), t);
    attributes_.push_back({name, tensor, EntryKind::Attribute});
}

ModuleNode& ModuleNode::addModule(const std::string& name, std::unique_ptr<ModuleNode> child)
{
    runtime_->module.register_module(name, child->runtime_->module);
    child->parent_ = this;
    child->indexInParent_ = children_.size();
    children_.push_back({name, std::move(child)});
    return *children_.back().module;
}

void ModuleNode::defineForward(const std::string& source)
{
    runtime_->module.define(source);
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
        for (Child& c : node->children_)
            stack.push_back(c.module.get());
    }
}

}  // namespace mx
