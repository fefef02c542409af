#pragma once

#include "core/attributevalue.h"
#include "core/edit.h"
#include "core/nameindex.h"
#include "core/tensorref.h"

#include <array>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace mx {

struct ForwardPlan;
struct LayerClass;
struct ScriptArchive;
struct TensorState;
struct ScriptGlobals;

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

/** One plain attribute (an instance __dict__ entry a user set): a tensor or a Python value. */
struct PlainAttribute {
    std::string name;
    bool isTensor = false;
    TensorRef tensor;   // when isTensor
    PythonValue value;  // otherwise (None included)
    /** torch.typename of the value: "torch.FloatTensor", "int", "NoneType", ... */
    std::string typeName() const { return isTensor ? tensorTypeName(tensor) : value.typeName(); }
};

/** One entry of _modules: a child, or nullptr for a child set to None. A module may be the child
 *  of several slots (`model.a = model.conv1`): each slot shares ownership of it. */
struct ChildSlot {
    std::string name;
    std::shared_ptr<ModuleNode> module;
};

/**
 * What `module.name` finds, in Python's lookup order: plain attributes, nn.Module's own members,
 * then _parameters, _buffers, _modules (Module.__getattr__).
 */
struct AttributeLookup {
    enum class Source { Attribute, ModuleMember, Parameter, Buffer, Module };
    Source source;
    size_t index = 0;  // in plainAttributes(), parameters(), buffers() or childSlots()
    TensorRef tensor;                    // a parameter, buffer or tensor attribute (None when None)
    PythonValue value;                   // a plain non-tensor value; `training` for that member
    const ModuleNode* module = nullptr;  // a child (nullptr when None)
    std::string typeName;                // torch.typename(value); "" for nn.Module's methods
};

/** One attribute of the jit mirror, in its slot order (see ModuleNode::runtimeView). */
struct RuntimeSlot {
    std::string name;
    std::string type;  // TorchScript type: "Tensor", "NoneType", "int", "__torch__.explorer.Linear"
    bool isParameter;
    bool isBuffer;
};

/** The jit mirror of one module in torch-free terms, as the jit module itself reports it. */
struct RuntimeView {
    std::vector<RuntimeSlot> slots;          // every attribute but `training`
    std::vector<std::string> parameters;     // jit named_parameters(recurse=false)
    std::vector<std::string> buffers;        // jit named_buffers(recurse=false)
    std::vector<std::string> children;       // jit named_children()
    bool hasForward = false;
};

/**
 * One nn.Module as eager Python sees it: parameters and buffers in registration order (buffers
 * with their persistent flag), plain attributes, and named children. Mutations follow
 * torch/nn/modules/module.py (PyTorch 1.13) and are mirrored into a torch::jit::Module of its own
 * class type, which runs forward and can be saved. Each mutation costs O(1) amortized: name
 * lookups are hashed, and the jit mirror is only marked stale; it is brought up to date (and
 * invalidated forwards recompiled) the next time it is needed, by prepareForward().
 */
class ModuleNode : public std::enable_shared_from_this<ModuleNode> {
public:
    /** The most (module, name) visits state_dict() may make once modules are shared. */
    static constexpr size_t kMaxModuleVisits = 100000;

    explicit ModuleNode(std::string typeName, std::string extraRepr = {});
    ~ModuleNode();
    ModuleNode(const ModuleNode&) = delete;
    ModuleNode& operator=(const ModuleNode&) = delete;

    const std::string& typeName() const { return typeName_; }
    /**
     * extra_repr(): for a layer the factories built, computed from its current attributes as its
     * class's extra_repr does in PyTorch 1.13, throwing PythonError where Python raises
     * (`del conv.bias` -> AttributeError); otherwise the text the module was made with.
     */
    std::string extraRepr() const;
    /** The layer class whose forward and extra_repr follow this module's attributes, if any. */
    const LayerClass* layerClass() const { return layerClass_; }
    /**
     * A module loaded from a TorchScript file: Python sees a RecursiveScriptModule whose
     * original_name is typeName() (its extraRepr() is "original_name=Conv2d"), and forward is the
     * file's compiled code.
     */
    bool isScripted() const { return scripted_; }
    /** type(module).__name__ in Python: "RecursiveScriptModule" for a scripted module. */
    std::string pythonClassName() const
    {
        return isScripted() ? std::string("RecursiveScriptModule") : typeName_;
    }
    /** A module of a tree grouped from a state_dict's dotted keys (typeName() is ""): no type. */
    bool isStateDictGroup() const { return typeName_.empty(); }
    /** A state_dict group's keys in the file's order, when grouping by prefix changed it (the
     *  root's own keys come first in a module tree); state_dict() lists them in this order. */
    const std::vector<std::string>& fileKeyOrder() const { return fileKeyOrder_; }
    void setFileKeyOrder(std::vector<std::string> keys) { fileKeyOrder_ = std::move(keys); }
    /** A scripted module's class, demangled ("__torch__.torchvision.models.resnet.BasicBlock");
     *  "" for the modules the app builds. */
    const std::string& qualifiedName() const { return qualifiedName_; }
    /** "Conv2d(1, 64, kernel_size=(3, 3), ...)" for a leaf; the bare type name for a container.
     *  Never throws: an extra_repr that raises shows as "Conv2d(<TypeError: ...>)". */
    std::string headline() const;
    /** repr(module) exactly as PyTorch prints it (a child set to None prints as "(name): None");
     *  throws PythonError where Python's raises (a layer's extra_repr). */
    std::string repr() const;
    /** repr() for views: what repr() raises, as "<TypeError: ...>", instead of throwing. */
    std::string displayRepr() const;

    const std::vector<TensorSlot>& parameters() const { return parameters_; }
    const std::vector<TensorSlot>& buffers() const { return buffers_; }
    /** The plain attributes holding tensors, in plainAttributes() order. */
    const std::vector<TensorSlot>& tensorAttributes() const { return tensorAttributes_; }
    /** Every plain attribute (tensors and Python values) in assignment order, like __dict__. */
    const std::vector<PlainAttribute>& plainAttributes() const { return plain_; }

    // Children that are modules (not None), in _modules order.
    size_t childCount() const { return live_.size(); }
    const std::string& childName(size_t i) const { return children_[live_[i]].name; }
    ModuleNode& child(size_t i) const { return *children_[live_[i]].module; }
    const ModuleNode* findChild(const std::string& name) const;
    ModuleNode* findChild(const std::string& name);
    /** Every _modules entry, None included. */
    const std::vector<ChildSlot>& childSlots() const { return children_; }
    /** The module whose _modules first took this one (nullptr for the root or a detached module). */
    ModuleNode* parent() const { return parents_.empty() ? nullptr : parents_.front(); }
    /** Every module holding this one in its _modules, once per slot, in the order they took it
     *  (a module shared under two names has two entries). */
    const std::vector<ModuleNode*>& parents() const { return parents_; }
    /** Whether `other` is this module or one of its descendants (through any of its children). */
    bool contains(const ModuleNode& other) const;
    /** Calls visit(module) for this module and every module above it, once each: a shared
     *  module's paths up through each of its parents. */
    template <typename Visit>
    void forEachAncestor(Visit visit) const
    {
        std::vector<const ModuleNode*> stack{this};
        std::unordered_set<const ModuleNode*> seen;
        while (!stack.empty()) {
            const ModuleNode* node = stack.back();
            stack.pop_back();
            if (!seen.insert(node).second)
                continue;
            visit(*node);
            stack.insert(stack.end(), node->parents_.begin(), node->parents_.end());
        }
    }
    bool isTraining() const { return training_; }

    // ---- Python's mutations (PyTorch 1.13's torch/nn/modules/module.py) ----------------------
    // Each validates fully first: on error it throws PythonError (worded as Python's traceback's
    // last line) or UnsupportedError and leaves the module, its tensors and its jit mirror exactly
    // as they were. On success it returns the applied Edit that undoes/redoes it.
    // UnsupportedError: assigning or deleting one of nn.Module's own members (setAttr("forward"),
    // delAttr("training")), which Python would allow by shadowing them.

    /** module.name = value (Module.__setattr__). */
    Edit setAttr(const std::string& name, AttributeValue value);
    /** module.register_buffer(name, tensor, persistent); a non-str name raises TypeError. */
    Edit registerBufferChecked(const AttributeValue& name, AttributeValue tensor,
                               bool persistent = true);
    Edit registerBufferChecked(const std::string& name, AttributeValue tensor,
                               bool persistent = true);
    /** module.register_parameter(name, param). */
    Edit registerParameterChecked(const AttributeValue& name, AttributeValue param);
    Edit registerParameterChecked(const std::string& name, AttributeValue param);
    /** module.add_module(name, module). */
    Edit addModuleChecked(const AttributeValue& name, AttributeValue module);
    Edit addModuleChecked(const std::string& name, AttributeValue module);
    /** del module.name (Module.__delattr__). */
    Edit delAttr(const std::string& name);
    /**
     * nn.Sequential.__delitem__ (PyTorch 1.13): deletes the _modules entries at these positions
     * of childSlots(), then re-keys the rest "0", "1", ... in order. Positions must be valid.
     */
    Edit deleteChildrenRenumbered(std::vector<size_t> positions);
    /**
     * An in-place change (t.add_(1), t.data = u, t.requires_grad_(False)) that already happened
     * to the tensor of `section`'s entry `index` (a parameter, a buffer or a plain attribute):
     * `before` is what it overwrote (core/tensorfactory.h). Returns the applied Edit whose undo
     * puts `before` back into the same tensor object and whose redo does the change again; its
     * one step is a Replace of that entry by itself, so views read the entry again.
     */
    Edit tensorChanged(Section section, size_t index, TensorState before);
    /** module.name (normal lookup, then Module.__getattr__); AttributeError when absent. */
    AttributeLookup getAttr(const std::string& name) const;
    /** hasattr(module, name). */
    bool hasAttr(const std::string& name) const;

    // ---- Builders for layers and examples: the checked mutations, edits discarded -------------
    void registerParameter(const std::string& name, const TensorRef& tensor);
    void registerBuffer(const std::string& name, const TensorRef& tensor, bool persistent = true);
    void setTensorAttribute(const std::string& name, const TensorRef& tensor);
    ModuleNode& addModule(const std::string& name, std::unique_ptr<ModuleNode> child);

    /**
     * Compiles `source` (TorchScript "def forward(self, x): ...") as this module's forward,
     * replacing an earlier one; throws when it does not compile. The source is kept: once
     * mutations remove or retype a jit attribute, this module's forward and its ancestors' are
     * recompiled by the next prepareForward(), so no compiled code keeps stale attribute slots.
     */
    void defineForward(const std::string& source);
    /**
     * Compiles a user class's methods (`def forward(self, x): ...` and the helpers it calls,
     * TorchScript text whose line N is line N of the user's file) on this module's jit mirror,
     * the way Python's torch.jit.script does (module containers iterate unrolled; `globals`
     * name torch, F, math and the script's constants; see core/scriptcompile.h), replacing an
     * earlier forward. Kept like defineForward's source and recompiled after mutations with
     * the same globals. Returns false when it does not compile (or defines no forward):
     * forwardError() then says why ("RuntimeError: ... line N ..."), no method of the source is
     * left half-defined, and the module otherwise works as before.
     */
    bool defineScriptForward(const std::string& source, const ScriptGlobals& globals);
    /** Makes this module a layer of `layerClass`: its forward is compiled from the class's
     *  forwardSource() now and again whenever its attributes, parameters or buffers change. */
    void defineLayerForward(const LayerClass& layerClass);
    /** A module without forward (nn.ModuleList, nn.ModuleDict): forwardError() says what
     *  calling it raises in PyTorch ("NotImplementedError: Module [ModuleList] is missing ..."). */
    void declareNoForward();
    /** A module whose forward the app will not run (its class's forward prints, which
     *  TorchScript words differently from Python): forwardError() is `reason`. No forward was
     *  compiled on it. */
    void declareForwardUnavailable(std::string reason);
    /**
     * Makes this subtree's jit mirror current: applies the mutations made since the last call
     * (jit attributes added, removed, retyped or re-valued) and recompiles every forward they
     * invalidated, recording failures in forwardError(); a forward that failed is retried after
     * any change below it. Cheap when nothing changed. Anything that uses the jit module calls
     * it first (runtime(), runtimeView(), forwardError(), runForward). The mirror is a cache of
     * the eager state, hence const; like a mutation, never call it concurrently with any other
     * use of the same model.
     */
    void prepareForward() const;
    /** Why the last recompilation of forward failed ("" when forward compiled); prepares first. */
    const std::string& forwardError() const;
    /** The forward as steps over children (see core/forwardplan.h); compiles it as forward too. */
    void setForwardPlan(std::shared_ptr<const ForwardPlan> plan);
    /** nullptr for a leaf layer, whose compiled forward is atomic. nn.Sequential's plan lists
     *  its children as they are now (valid until the next call). */
    const ForwardPlan* forwardPlan() const;
    /** module.train(on) / module.eval(): sets the flag on this module and every descendant. */
    void train(bool on);
    /** module.training = on: this module's flag only (its children keep theirs). */
    void setTrainingFlag(bool on);

    struct Runtime;  // the jit module; defined in core/moduleruntime.h for core .cpp files
    /** The jit module, made current first (prepareForward()). */
    Runtime& runtime() const;
    /** This module's jit mirror as the jit module reports it (after prepareForward()). */
    RuntimeView runtimeView() const;

private:
    friend class Edit;
    friend struct ScriptImport;
    friend struct ArchiveImporter;

    Edit makeEdit();
    /** Moves one entry in or out (or swaps it), keeping every index exact; marks the mirror stale. */
    void applyStep(Edit::Step& step, bool forward);
    void insertChild(size_t index, ChildSlot slot);
    void replaceChild(size_t index, ChildSlot& held);
    ChildSlot takeChild(size_t index);
    void attachLiveChild(size_t index);
    void detachLiveChild(size_t index);
    void insertAttribute(size_t index, PlainAttribute attribute);
    void replaceAttribute(size_t index, PlainAttribute& held);
    PlainAttribute takeAttribute(size_t index);
    void addTensorAttribute(size_t plainIndex);
    void dropTensorAttribute(const std::string& name);
    /** Records that the jit counterparts of `section`'s entries from `index` on may differ. */
    void markStale(Section section, size_t index);
    /** Marks this module and its ancestors as having something stale below them. */
    void markSubtreeStale() const;
    /** Brings the children's subtrees and this module's jit attributes up to date. */
    void syncChildrenAndMirror() const;
    /** Applies the stale entries to the jit module; marks the forwards this invalidates. */
    void syncMirror() const;
    /** Position in jitSlots_[section] of the first jit counterpart of the entries from `index` on. */
    size_t jitPosition(Section section, size_t index) const;
    void rescanJitSlots() const;
    /** Recompiles forward from its kept source, recording a failure in forwardError_. */
    void recompileForward() const;
    void compileForward(const std::string& source) const;
    /**
     * For a scripted module: runs the file's own jit module (values refreshed from the eager
     * state) while the eager state still has the file's attribute layout, else the app's mirror,
     * which has no forward (forwardError() says why). Tells the parent when this changes.
     */
    void selectRuntime() const;
    /** The app's own jit mirror (made on first use). */
    Runtime& mirror() const;
    /** A scripted module's jit module as the file has it, loading the archive on first use
     *  (throws std::runtime_error when it cannot be loaded). */
    Runtime& fileRuntime() const;
    bool fileLayoutMatches() const;
    /** Refuses putting this module or an ancestor of it into its own _modules (a cycle), and
     *  sharing that makes state_dict() visit more than kMaxModuleVisits modules. */
    void checkCanHold(const AttributeValue& value) const;
    void checkReservedForSetattr(const std::string& name, const AttributeValue& value) const;
    long indexOf(Section section, const std::string& name) const;

    std::string typeName_;
    std::string extraRepr_;
    const LayerClass* layerClass_ = nullptr;
    std::vector<TensorSlot> parameters_;
    std::vector<TensorSlot> buffers_;
    std::vector<PlainAttribute> plain_;
    std::vector<TensorSlot> tensorAttributes_;  // derived from plain_
    std::vector<ChildSlot> children_;
    std::vector<size_t> live_;                  // indices of non-None children_, ascending
    std::array<NameIndex, 4> names_;            // per Section: name -> position
    NameIndex tensorAttributeNames_;            // name -> position in tensorAttributes_
    std::vector<ModuleNode*> parents_;  // one entry per _modules slot holding this module
    bool training_ = true;
    mutable std::string forwardSource_;  // nn.Sequential's follows its children
    std::shared_ptr<const ScriptGlobals> scriptGlobals_;  // set: forwardSource_ is a user's script
    mutable std::vector<std::string> scriptMethods_;      // the methods it compiled last
    std::shared_ptr<const ForwardPlan> forwardPlan_;
    mutable std::shared_ptr<ForwardPlan> childrenPlan_;  // forwardPlan_ spelled out (Sequential)
    mutable std::unique_ptr<Runtime> runtime_;  // the app's mirror, made by mirror()
    std::string qualifiedName_;
    std::vector<std::string> fileKeyOrder_;
    bool scripted_ = false;
    /** Scripted modules: the jit module as loaded; made on first use from archive_ when the tree
     *  was read without torch::jit::load (see fileRuntime()). */
    mutable std::unique_ptr<Runtime> fileRuntime_;
    std::shared_ptr<ScriptArchive> archive_;
    std::string archivePath_;  // this module's dotted path in archive_'s module
    mutable bool fileRuntimeActive_ = false;
    std::vector<std::string> fileNonPersistent_;  // plain jit attributes that are these buffers

    // The jit mirror's bookkeeping (a cache of the eager state above, updated by prepareForward).
    static constexpr size_t kNothingStale = static_cast<size_t>(-1);
    mutable std::array<size_t, 4> staleFrom_{kNothingStale, kNothingStale, kNothingStale,
                                             kNothingStale};  // per Section: first stale entry
    mutable std::array<std::vector<size_t>, 4> jitSlots_;  // per Section: its jit slots, in order
    mutable bool mirrorStale_ = false;   // some staleFrom_ is set
    mutable bool forwardStale_ = false;  // forward must be recompiled
    mutable bool layerSourceStale_ = false;  // a layer's attributes changed: its source may too
    mutable bool subtreeStale_ = false;  // this or a descendant has something stale
    mutable std::string forwardError_;
};

/** dir(torch.nn.Module()) in PyTorch 1.13: the names hasattr() finds on every module (sorted). */
const std::vector<std::string>& moduleMemberNames();
/** The instance attributes every nn.Module has (vars(nn.Module())), with torch.typename of each. */
const std::vector<std::pair<std::string, std::string>>& moduleInstanceAttributes();

}  // namespace mx
