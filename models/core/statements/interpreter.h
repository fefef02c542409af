#pragma once
// Private to models/core/statements: runs parsed console statements against a ModuleNode.

#include "core/attributevalue.h"
#include "core/edit.h"
#include "core/statements/ast.h"
#include "core/statements/trainingops.h"
#include "core/statements/userclasses.h"
#include "core/statements/value.h"

#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mx {
class ModuleNode;
struct ChildSlot;
struct PlannedCopy;
}

namespace mx::stmt {

/** The arguments of one call. */
struct Args {
    std::vector<ValuePtr> positional;
    std::vector<std::pair<std::string, ValuePtr>> keywords;
};

/** A Python function's parameters, for binding arguments with CPython 3.11's TypeErrors. */
struct Signature {
    struct Param {
        std::string name;
        ValuePtr defaultValue;  // nullptr: required
        bool keywordOnly = false;
    };
    std::string qualName;  // "Linear.__init__", "Module.register_buffer"
    std::vector<Param> params;
    bool countsSelf = true;  // methods: the counts in messages include self
};

/** Binds `args` to `sig` (defaults filled in), or throws the TypeError Python would. */
std::vector<ValuePtr> bindArguments(const Signature& sig, const Args& args);

/** An error whose what() is exactly Python's last traceback line, for lines PythonError cannot
 *  word (e.g. "KeyError: 5", "StopIteration"). */
class ConsoleError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/** TypeError(message). */
[[noreturn]] void typeError(const std::string& message);

/** A tensor element (Tensor.item()) as a console bool, int or float. */
ValuePtr scalarValue(const tensors::Scalar& s);

/** NotImplementedError("<what> is not supported by Module Explorer's console"). */
[[noreturn]] void unsupported(const std::string& what);

/** TypeError "<fn>() received an invalid combination of arguments - got (...), but expected one
 *  of: ..." for torch's factory `fn` ("randn", "randint", ...) (torchparser.cpp). */
[[noreturn]] void invalidCombination(const std::string& fn, const Args& args);
/** The type name torch's argument parser prints for a value ("Tensor", "Parameter", "torch.Size"). */
std::string parserTypeName(const Value& v);

/** The keyword arguments torch's factories share: dtype, requires_grad, device, generator. */
struct FactoryOptions {
    std::string dtype;
    bool requiresGrad = false;
};
/** Reads them (keywords in `consumed` are the caller's); TypeError or NotImplementedError as torch. */
FactoryOptions factoryOptions(const std::string& fn, const Args& args, bool generator,
                              const std::set<std::string>& consumed);

/** A plain value of the semantics layer (an attribute's, an optimizer's hyper-parameter) as a
 *  console value; Other kinds become Opaque values that show their repr (attributes.cpp). */
ValuePtr fromPython(const PythonValue& p);

/** The names an optimizer binds (optimizerobjects.cpp), for attribute lookup and completion. */
const std::set<std::string>& optimizerMethods();  // step, zero_grad, state_dict
/** NotImplementedError when `dict` is a module's _parameters / _buffers / _modules view
 *  (modulestate.cpp): changing it would bypass the module's checks. */
void refuseViewChange(const Value& dict);
/** Sequential and ModuleList: indexed by position, iterated over their modules. */
bool isIndexedContainer(const std::string& typeName);

struct TensorChanges;  // the model's tensors by storage, for in-place edits (tensorinplace.cpp)

/** Executes console statements with Python's semantics over the model bound as `model`/`self`. */
class Interpreter {
public:
    explicit Interpreter(ModuleNode& model);
    /** A script's interpreter: no model bound; expression statements are not echoed. */
    Interpreter();

    /** The parsed source the next statements come from: defs keep it alive and TorchScript
     *  compiles forward bodies from its text. */
    void setProgram(std::shared_ptr<const ParseResult> program, std::shared_ptr<const std::string> source);
    /** The module `model` / `self` name (nullptr before a script binds one). */
    ModuleNode* model() const { return model_; }
    /** Binds `model` / `self` to `model`, which the caller owns (the console's open model; a
     *  dry run puts it back after a statement rebound them). */
    void restoreModel(ModuleNode& model);
    /** Binds `model` / `self` to the module value of top-level `variable`; echo turns on. */
    void bindModel(const std::string& variable);
    /** A module the running statements bound to `model` at top level (console mode), once. */
    std::shared_ptr<ModuleNode> takeReplacement() { return std::exchange(replacement_, nullptr); }
    /** The line of the innermost statement that ran last (the failing one after an error). */
    int currentLine() const { return currentLine_; }
    /** The top-level names bound to modules, in the order of their last binding. */
    std::vector<std::pair<std::string, ValuePtr>> moduleGlobals() const;

    /** Runs one top-level statement; throws PythonError. Output and edits accumulate. */
    void execute(const Stmt& statement);
    /** Evaluates an expression without side effects on the model, for completion: names,
     *  attributes and constant subscripts only; nullptr when it would need more. */
    ValuePtr evaluateQuietly(const Expr& e);

    /** A flag another thread may set: the running statement then raises KeyboardInterrupt at
     *  its next statement or loop step. */
    void setInterruptFlag(const std::atomic<bool>* flag) { interrupt_ = flag; }
    /** Each top-level statement may run `seconds` (0: no limit); past it, TimeoutError. */
    void setTimeLimit(double seconds) { timeLimitSeconds_ = seconds; }

    std::string takeOutput() { return std::exchange(output_, {}); }
    /** The last tensor an expression statement echoed since the last call (None if none). */
    TensorRef takeEchoedTensor() { return std::exchange(echoedTensor_, TensorRef()); }
    /** The edits since the last call that changed the model (edits of modules it does not
     *  hold, such as a function's temporary modules, are dropped: nothing can undo into them). */
    std::vector<Edit> takeEdits();
    /** Whether statements changed tensors in place (values, grads, requires_grad, running stats,
     *  train/eval flags) since the last call. */
    bool takeTensorsChanged() { return std::exchange(tensorsChanged_, false); }
    /** Reverts and drops the edits made since the last takeEdits(). */
    void rollback();

    /** Names the console knows at top level (variables and builtins), for completion. */
    std::vector<std::string> globalNames() const;
    /** Attribute names of a value the console supports, for completion. */
    std::vector<std::string> attributeNames(const Value& v) const;

private:
    enum class Flow { Normal, Break, Continue, Return };

    // statements (interpreter.cpp)
    Flow exec(const Stmt& s);
    Flow execBlock(const std::vector<StmtPtr>& body);
    void assign(const Expr& target, const ValuePtr& value);
    void deleteTarget(const Expr& target);
    void import(const Stmt& s);

    // expressions (interpreter.cpp)
    ValuePtr eval(const Expr& e);
    ValuePtr evalName(const std::string& name);
    ValuePtr evalCall(const Expr& e);
    ValuePtr evalComprehension(const Expr& e);
    ValuePtr evalFString(const Expr& e);
    /** `format % values` (percentformat.cpp). */
    ValuePtr percentFormat(const std::string& format, const ValuePtr& values);
    ValuePtr unaryOp(const std::string& op, const ValuePtr& a);
    bool contains(const ValuePtr& container, const ValuePtr& item);
    size_t listAssignmentIndex(const Value& list, const ValuePtr& index, const char* sliceWhat);
    void delItem(const ValuePtr& obj, const ValuePtr& index);

public:
    /** module(x) and module.forward(x): runs the compiled forward with autograd (consoletraining.cpp). */
    ValuePtr callModule(const ValuePtr& module, const Args& args);
    /** What an in-place change touches (tensorinplace.cpp). */
    enum class TensorChange { Flag, Values, Data };  // requires_grad; add_, fill_, ...; t.data = u
    /** Runs `change` on t; when the model holds t (or t is a view of a tensor it holds), what undo
     *  needs is kept first (once per tensor and statement) and the undoable edit recorded. */
    void changeTensor(const TensorRef& t, TensorChange what, const std::function<void()>& change);
    // protocols shared by the builtins (interpreter.cpp)
    bool truthy(const Value& v);
    ValuePtr iterate(const ValuePtr& v);           // iter(v)
    ValuePtr nextItem(const ValuePtr& iterator);   // next(it) or nullptr
    std::vector<ValuePtr> toVector(const ValuePtr& v);
    int64_t len(const ValuePtr& v);
    int64_t indexValue(const ValuePtr& v, const std::string& what);  // operator.index
    /** Counts `n` steps against the statement's step budget (NotImplementedError past it) and
     *  checks for an interrupt, a time-out and values past the memory budget. */
    void countSteps(uint64_t n);
    ValuePtr call(const ValuePtr& f, const Args& args);
    // what the method tables' functions use (methodtable.h)
    ValuePtr getAttribute(const ValuePtr& obj, const std::string& name);            // attributes.cpp
    ValuePtr subscript(const ValuePtr& obj, const ValuePtr& index);                 // interpreter.cpp
    void setItem(const ValuePtr& obj, const ValuePtr& index, const ValuePtr& value);
    std::string formatField(const ValuePtr& value, const std::string& spec);
    ValuePtr callFunction(const std::string& name, const Args& args);               // pybuiltins.cpp
    ValuePtr construct(const std::string& className, const Args& args);             // builtins.cpp
    ValuePtr callMethod(const ValuePtr& receiver, const std::string& name, const Args& args);  // builtins.cpp
    ValuePtr print(const Args& args);
    ValuePtr dir(const Args& args);                                                 // dirbuiltin.cpp
    bool hasAttribute(const ValuePtr& obj, const std::string& name);                // attributes.cpp
    void setAttribute(const ValuePtr& obj, const std::string& name, const ValuePtr& value);
    void deleteAttribute(const ValuePtr& obj, const std::string& name);
    ValuePtr binaryOp(const std::string& op, const ValuePtr& a, const ValuePtr& b);  // operators.cpp
    ValuePtr compare(const std::string& op, const ValuePtr& a, const ValuePtr& b);
    /** The class a module value was made from, or nullptr for the app's own modules. */
    std::shared_ptr<UserClass> classOf(const Value& module) const;
    // what the tensor table's functions use (consoletraining.cpp, tensorinplace.cpp)
    /** t.backward(retain_graph=): the grads it changes kept for rollback first. */
    void backward(const TensorRef& t, bool retainGraph);
    /** t.requires_grad_(flag): an undoable edit for the model's tensors. */
    void setRequiresGrad(const TensorRef& t, bool flag);
    /** t.<op>_(operands) (tensors::inPlace), an undoable edit for the model's tensors; returns t. */
    ValuePtr changeInPlace(const ValuePtr& t, const std::string& op, const std::vector<tensors::Operand>& operands,
                           const std::string& roundingMode = {});
    // what the module tables' functions use (modulemethods.cpp, modulelistings.cpp, modulestate.cpp,
    // containers.cpp, consoletraining.cpp)
    /** Runs a checked mutation of a module and records its undoable edit; the semantics layer's
     *  refusal (UnsupportedError) becomes NotImplementedError. */
    void recordModuleChange(const std::function<Edit()>& mutation);
    /** The value as `module.name = value` hands it to the semantics layer. */
    AttributeValue toAttributeValue(const ValuePtr& v, bool forModuleSlot);  // attributes.cpp
    ModuleRef childRef(const ModuleRef& parent, const std::string& name, const ModuleNode* child) const;
    /** A Module.<method>() generator: yields what `collect` finds when first advanced;
     *  NotImplementedError when the model changed between two items. */
    ValuePtr moduleGenerator(const ValuePtr& module, const std::string& method,
                             std::function<std::vector<ValuePtr>(Interpreter&, const ModuleRef&)> collect);
    /** container.add_module(key, module), recorded (containers.cpp). */
    void addChildModule(const ValuePtr& container, const ValuePtr& key, const ValuePtr& module);
    ValuePtr containerEntry(const ValuePtr& container, const ChildSlot& slot);
    std::vector<ValuePtr> modulesToAdd(const ValuePtr& container, const ValuePtr& modules);
    ValuePtr popContainerItem(const ValuePtr& container, const ValuePtr& key);
    void insertIntoContainer(const ValuePtr& container, const ValuePtr& index, const ValuePtr& module);
    ValuePtr applyToModules(const ValuePtr& module, const ValuePtr& fn);               // modulestate.cpp
    void convertModuleDtype(const ValuePtr& module, const std::string& dtype);
    /** load_state_dict's copies, each an undoable edit of the entry holding its target. */
    void copyIntoModel(ModuleNode& root, const std::vector<PlannedCopy>& copies);
    /** module.train(mode): the flags of its subtree kept for rollback first (consoletraining.cpp). */
    void trainModules(const ValuePtr& module, bool mode);
    /** Module.zero_grad: the grads kept for rollback first. */
    void zeroGrads(std::vector<TensorRef> params, bool setToNone);

private:
    // user functions and classes (userclasses.cpp, userinstances.cpp)
    ValuePtr makeLambda(const Expr& e);
    ValuePtr makeFunction(const Stmt& def, const std::string& qualPrefix,
                          const std::shared_ptr<UserClass>& owner);
    void defineClass(const Stmt& def);
    ValuePtr callUserFunction(const std::shared_ptr<UserFunction>& fn, const Args& args);
    ValuePtr instantiate(const std::shared_ptr<UserClass>& cls, const Args& args);
    ValuePtr makeSuper(const Args& args);
    void moduleInit(const ValuePtr& self, const Args& args);
    /** A user class's method or class attribute reached through an instance or the class
     *  (nullptr when the class chain does not define `name`). */
    ValuePtr userMember(const ValuePtr& obj, const std::string& name);
    /** Compiles the class's forward (and the methods it calls) with TorchScript on `node`. */
    void compileUserForward(ModuleNode& node, const UserClass& cls);
    /** After a top-level constant a forward reads was rebound: every live instance's forward. */
    void recompileUserForwards();
    std::map<std::string, ValuePtr>& currentScope();
    /** Whether a console statement's top-level `name` is `model` / `self`, the open model. */
    bool namesOpenModel(const std::string& name) const
    {
        return frames_.empty() && modelValue_ && (name == "model" || name == "self");
    }
    /** Binds a name in the running function's (or class body's) scope, else at top level. */
    void bindName(const std::string& name, const ValuePtr& value);
    /** A name bound in the running function's scope (nullptr when it is not a local;
     *  UnboundLocalError when the function binds it but has not yet). */
    ValuePtr lookupLocal(const std::string& name);
    /** type(value): the user class for its instances, else the class by name. */
    ValuePtr typeOf(const ValuePtr& value) const;
    /** Whether Module.__init__ has not yet run on this module (its class's __init__ runs). */
    bool beforeModuleInit(const Value& module) const;
    /** nn.ModuleList / nn.ModuleDict made in the console (containers.cpp). */
    ValuePtr constructContainer(const std::string& cls, const Args& args);
    /** container[index], container[index] = module, del container[index] and pop for
     *  nn.Sequential / nn.ModuleList / nn.ModuleDict (containers.cpp; any other module: the
     *  TypeError Python raises). */
    ValuePtr containerItem(const ValuePtr& container, const ValuePtr& index);
    void setContainerItem(const ValuePtr& container, const ValuePtr& index, const ValuePtr& module);
    void deleteContainerItem(const ValuePtr& container, const ValuePtr& index);
    /** `a + b`, `a * b` (and `+=`, `*=` when inPlace) where a container takes part; nullptr
     *  when the module operand defines no such operator. */
    ValuePtr containerOperator(const std::string& op, const ValuePtr& a, const ValuePtr& b, bool inPlace);
    size_t containerPosition(const ModuleNode& node, const ValuePtr& index);
    std::vector<size_t> slicePositions(const ValuePtr& slice, size_t size);
    // whole-module state (modulestate.cpp)
    /** module.training = flag: this module's flag only, as Python sets it. */
    void setTrainingAttribute(const ValuePtr& module, const ValuePtr& value);
    /** module._parameters / _buffers / _modules: a read-only OrderedDict of what it holds, the
     *  same object each time while it lives, kept up to date by refreshModuleViews(). */
    ValuePtr moduleNamespaceView(const ValuePtr& module, const std::string& name);
    /** Re-reads every live _parameters / _buffers / _modules view (after a model change). */
    void refreshModuleViews();
    struct LiveView {
        std::weak_ptr<Value> view;
        const ModuleNode* root = nullptr;        // the session's model, which no shared_ptr holds
        std::weak_ptr<const ModuleNode> node;    // any other module
        ValuePtr module;  // the module value the view was read from (its children's paths)
        std::string name;
    };
    std::vector<LiveView> liveViews_;
    /** The module a live view reads; nullptr once it is gone. */
    const ModuleNode* liveViewNode(const LiveView& live) const;
    /** Puts the module value bound to `model` at top level in place of the open model. */
    void replaceModel(const ValuePtr& value, const std::string& name);

    // training (consoletraining.cpp, optimizerobjects.cpp)
    ValuePtr constructOptimizer(const std::string& cls, const Args& args);
    ValuePtr callOptimizerMethod(const ValuePtr& opt, const std::string& name, const Args& args);
    ValuePtr optimizerAttribute(const ValuePtr& opt, const std::string& name);
    /** Keeps the train/eval flags of `node`'s subtree for rollback (before train()/eval()). */
    void keepTrainingFlags(ModuleNode& node);
    /** Puts back what the failing statement changed in place (flags, values, grads). */
    void restoreTrainingState();

    // attributes (attributes.cpp)
    ValuePtr moduleAttribute(const ValuePtr& module, const std::string& name);
    ValuePtr tensorAttribute(const ValuePtr& t, const std::string& name);
    ValuePtr namespaceAttribute(const ValuePtr& ns, const std::string& name);
    /** After a mutation took a console-created module: records where it went. */
    void attached(const ValuePtr& v, const ModuleRef& parent, const std::string& name);
    void record(Edit edit);

    // calls (builtins.cpp, modulemethods.cpp)
    ValuePtr constructLayer(const std::string& layer, const Args& args);
    std::vector<std::string> moduleDir(const ValuePtr& module);

    // in-place tensor changes (tensorinplace.cpp)
    /** `t op= rhs` for a tensor t: Tensor.__iadd__ and the like change t in place, return t. */
    ValuePtr augmentedTensorAssign(const std::string& op, const ValuePtr& t, const ValuePtr& rhs);
    /** t[index] = value (Tensor.__setitem__ with basic indexing). */
    void setTensorItem(const ValuePtr& t, const ValuePtr& index, const ValuePtr& value);
    /** t.data = value, t.requires_grad = value. */
    void setTensorAttribute(const ValuePtr& t, const std::string& name, const ValuePtr& value);
    /** requires_grad = flag on t, an undoable edit for the model's tensors (requires_grad_, the
     *  attribute, Module.requires_grad_). */
    void setRequiresGradFlag(const TensorRef& t, bool flag);
    /** After the edits were taken or rolled back: the next change keeps its tensor again. */
    void forgetTensorChanges();

    ModuleNode* model_ = nullptr;
    std::shared_ptr<ModuleHolder> modelHolder_;
    bool echo_ = true;  // the console echoes expression values; a script does not
    std::shared_ptr<ModuleNode> replacement_;
    int currentLine_ = 0;
    std::shared_ptr<const ParseResult> program_;
    std::shared_ptr<const std::string> programSource_;
    /** One running call of a user function (or a class body): its local names. */
    struct Frame {
        std::map<std::string, ValuePtr> locals;
        std::shared_ptr<UserFunction> function;  // nullptr: a class body
        std::vector<std::string> order;          // a class body's names in binding order
    };
    std::vector<Frame> frames_;
    /** The variables of the comprehensions being evaluated, innermost last (lambdas check them). */
    std::vector<std::set<std::string>> comprehensionNames_;
    std::shared_ptr<UserClass> classBeingDefined_;  // while its body runs
    /** A function call's or class body's scope: pushes its frame (and the class being defined,
     *  nullptr for a call), and takes both back on leaving, by return or by exception. */
    struct FrameScope {
        FrameScope(Interpreter& in, Frame frame, std::shared_ptr<UserClass> cls);
        ~FrameScope();
        FrameScope(const FrameScope&) = delete;
        FrameScope& operator=(const FrameScope&) = delete;
        Interpreter& in;
        std::shared_ptr<UserClass> outer;
    };
    ValuePtr returnValue_;
    /** Modules made from user classes: their class, and whether Module.__init__ ran yet. */
    struct Instance {
        std::weak_ptr<const ModuleNode> node;
        std::shared_ptr<UserClass> cls;
        bool initialized = false;
    };
    std::map<const ModuleNode*, Instance> instances_;
    /** The entry of the user-class instance a module value names (nullptr for other values). */
    Instance* instanceOf(const Value& v);
    const Instance* instanceOf(const Value& v) const;
    std::set<std::string> capturedConstants_;  // top-level names some compiled forward reads
    /** Top-level names in the order of their last binding (for a script's models). */
    std::vector<std::string> bindingOrder_;
    ValuePtr modelValue_;
    std::map<std::string, ValuePtr> globals_;
    std::string output_;
    TensorRef echoedTensor_;
    std::vector<Edit> edits_;
    std::vector<std::shared_ptr<ModuleNode>> editTargets_;  // keeps edited modules alive for rollback
    uint64_t version_ = 0;  // bumped by every model mutation
    uint64_t steps_ = 0;    // loop steps of the current statement (capped)
    const std::atomic<bool>* interrupt_ = nullptr;
    double timeLimitSeconds_ = 0;
    std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
    uint64_t valueBytesAtStart_ = 0;  // liveValueBytes() when the statement began
    training::TensorJournal journal_;  // tensors the running statement changed in place
    std::shared_ptr<TensorChanges> tensorChanges_;  // tensorinplace.cpp
    /** The train/eval flags the running statement changed: the model itself (never freed) or a
     *  module that may be gone by rollback (weak), and its flag before. */
    struct KeptFlag {
        ModuleNode* root;
        std::weak_ptr<ModuleNode> module;
        bool training;
    };
    std::vector<KeptFlag> keptFlags_;
    bool tensorsChanged_ = false;
    void checkInterrupt() const;
    void appendOutput(const std::string& text);
    ValuePtr stringItem(const std::string& s, const ValuePtr& index, bool isSlice);
    // Immutable non-tensor values assigned as module attributes (tuples, torch.Size, dtypes):
    // the semantics layer keeps their repr; reading the attribute back gives the value itself.
    std::map<std::pair<const ModuleNode*, std::string>, ValuePtr> keptValues_;
};

}  // namespace mx::stmt
