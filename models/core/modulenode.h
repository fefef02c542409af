#pragma once

#include "core/tensorref.h"

#include <memory>
#include <string>
#include <vector>

namespace mx {

struct ForwardPlan;

/** How a tensor hangs off a module, which decides whether state_dict() sees it. */
enum class EntryKind { Parameter, Buffer, NonPersistentBuffer, Attribute };

/** The word PyTorch users know for a kind: "parameter", "buffer", "non-persistent buffer", "attribute". */
const char* kindName(EntryKind kind);

/** One named tensor slot of a module: a parameter, a buffer or a plain tensor attribute. */
struct TensorSlot {
    std::string name;
    TensorRef tensor;  // may be None (a parameter or buffer registered as None)
    EntryKind kind;
};

/**
 * One nn.Module as eager Python sees it: parameters and buffers in registration order (buffers
 * with their persistent flag), plain tensor attributes, and named children. Mirrors every change
 * into a torch::jit::Module of its own class type, which runs forward and can be saved.
 */
class ModuleNode {
public:
    explicit ModuleNode(std::string typeName, std::string extraRepr = {});
    ~ModuleNode();
    ModuleNode(const ModuleNode&) = delete;
    ModuleNode& operator=(const ModuleNode&) = delete;

    const std::string& typeName() const { return typeName_; }
    const std::string& extraRepr() const { return extraRepr_; }
    /** "Conv2d(1, 64, kernel_size=(3, 3), ...)" for a leaf; the bare type name for a container. */
    std::string headline() const;
    /** repr(module) exactly as PyTorch prints it. */
    std::string repr() const;

    const std::vector<TensorSlot>& parameters() const { return parameters_; }
    const std::vector<TensorSlot>& buffers() const { return buffers_; }
    const std::vector<TensorSlot>& tensorAttributes() const { return attributes_; }

    size_t childCount() const { return children_.size(); }
    const std::string& childName(size_t i) const { return children_[i].name; }
    ModuleNode& child(size_t i) const { return *children_[i].module; }
    const ModuleNode* findChild(const std::string& name) const;
    ModuleNode* parent() const { return parent_; }
    /** Position among the parent's children (0 for the root). */
    size_t indexInParent() const { return indexInParent_; }
    bool isTraining() const { return training_; }

    void registerParameter(const std::string& name, const TensorRef& tensor);
    void registerBuffer(const std::string& name, const TensorRef& tensor, bool persistent = true);
    void setTensorAttribute(const std::string& name, const TensorRef& tensor);
    ModuleNode& addModule(const std::string& name, std::unique_ptr<ModuleNode> child);
    /** Compiles `source` (TorchScript "def forward(self, x): ...") as this module's forward. */
    void defineForward(const std::string& source);
    /** The forward as steps over children (see core/forwardplan.h); compiles it as forward too. */
    void setForwardPlan(std::shared_ptr<const ForwardPlan> plan);
    /** nullptr for a leaf layer, whose compiled forward is atomic. */
    const ForwardPlan* forwardPlan() const { return forwardPlan_.get(); }
    /** module.train(on) / module.eval(): sets the flag on this module and every descendant. */
    void train(bool on);

    struct Runtime;  // the jit module; defined in core/moduleruntime.h for core .cpp files
    Runtime& runtime() const { return *runtime_; }

private:
    struct Child {
        std::string name;
        std::unique_ptr<ModuleNode> module;
    };

    std::string typeName_;
    std::string extraRepr_;
    std::vector<TensorSlot> parameters_;
    std::vector<TensorSlot> buffers_;
    std::vector<TensorSlot> attributes_;
    std::vector<Child> children_;
    ModuleNode* parent_ = nullptr;
    size_t indexInParent_ = 0;
    bool training_ = true;
    std::shared_ptr<const ForwardPlan> forwardPlan_;
    std::unique_ptr<Runtime> runtime_;
};

}  // namespace mx
