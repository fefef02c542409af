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
 *  of: ..." for torch's factory `fn` ("randn", "randint", ...) (builtins.cpp). */
[[noreturn]] void invalidCombination(const std::string& fn, const Args& args);

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

/** The names the training part of the console binds (consoletraining.cpp, optimizerobjects.cpp),
 *  for attribute lookup and completion. */
const std::set<std::string>& trainingTensorMethods();  // backward, requires_grad_, ...
const std::set<std::string>& trainingModuleMethods();  // train, eval, zero_grad, requires_grad_
const std::set<std::string>& functionalNames();        // cross_entropy, mse_loss, l1_loss
const std::set<std::string>& optimizerMethods();       // step, zero_grad, state_dict

/** The methods nn.Sequential, nn.ModuleList and nn.ModuleDict add to nn.Module (containers.cpp). */
const std::set<std::string>& moduleContainerMethods(const std::string& typeName);
/** A built layer's constructor attribute (`fc.in_features`), or nullptr (layerattributes.cpp). */
ValuePtr layerAttribute(const ModuleNode& node, const std::string& name);
/** Sequential and ModuleList: indexed by position, iterated over their modules. */
bool isIndexedContainer(const std::string& typeName);

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
    std::string formatField(const ValuePtr& value, const std::string& spec);
    /** `format % values` (percentformat.cpp). */
    ValuePtr percentFormat(const std::string& format, const ValuePtr& values);
    ValuePtr binaryOp(const std::string& op, const ValuePtr& a, const ValuePtr& b);
    ValuePtr unaryOp(const std::string& op, const ValuePtr& a);
    ValuePtr compare(const std::string& op, const ValuePtr& a, const ValuePtr& b);
    bool contains(const ValuePtr& container, const ValuePtr& item);
    ValuePtr subscript(const ValuePtr& obj, const ValuePtr& index);
    void setItem(const ValuePtr& obj, const ValuePtr& index, const ValuePtr& value);
    size_t listAssignmentIndex(const Value& list, const ValuePtr& index, const char* sliceWhat);
    void delItem(const ValuePtr& obj, const ValuePtr& index);

public:
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

private:
    // user functions and classes (userclasses.cpp, userinstances.cpp)
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
    /** The class a module value was made from, or nullptr for the app's own modules. */
    std::shared_ptr<UserClass> classOf(const Value& module) const;
    /** type(value): the user class for its instances, else the class by name. */
    ValuePtr typeOf(const ValuePtr& value) const;
    /** Whether Module.__init__ has not yet run on this module (its class's __init__ runs). */
    bool beforeModuleInit(const Value& module) const;
    /** nn.ModuleList / nn.ModuleDict made in the console, and their methods (containers.cpp). */
    ValuePtr constructContainer(const std::string& cls, const Args& args);
    ValuePtr callModuleContainerMethod(const ValuePtr& container, const std::string& name, const Args& args);
    /** container.add_module(key, module), recorded. */
    void addChildModule(const ValuePtr& container, const ValuePtr& key, const ValuePtr& module);
    /** Puts the module value bound to `model` at top level in place of the open model. */
    void replaceModel(const ValuePtr& value, const std::string& name);

    // training (consoletraining.cpp, optimizerobjects.cpp)
    ValuePtr callModule(const ValuePtr& module, const Args& args);
    /** torch.nn.functional.* losses and torch.randint. */
    ValuePtr callTrainingFunction(const std::string& name, const Args& args);
    ValuePtr callTrainingTensorMethod(const ValuePtr& t, const std::string& name, const Args& args);
    ValuePtr callTrainingModuleMethod(const ValuePtr& module, const std::string& name, const Args& args);
    ValuePtr constructOptimizer(const std::string& cls, const Args& args);
    ValuePtr callOptimizerMethod(const ValuePtr& opt, const std::string& name, const Args& args);
    ValuePtr optimizerAttribute(const ValuePtr& opt, const std::string& name);
    /** Keeps the train/eval flags of `node`'s subtree for rollback (before train()/eval()). */
    void keepTrainingFlags(ModuleNode& node);
    /** Puts back what the failing statement changed in place (flags, values, grads). */
    void restoreTrainingState();

    // attributes (attributes.cpp)
    ValuePtr getAttribute(const ValuePtr& obj, const std::string& name);
    void setAttribute(const ValuePtr& obj, const std::string& name, const ValuePtr& value);
    void deleteAttribute(const ValuePtr& obj, const std::string& name);
    bool hasAttribute(const ValuePtr& obj, const std::string& name);
    ValuePtr moduleAttribute(const ValuePtr& module, const std::string& name);
    ValuePtr tensorAttribute(const ValuePtr& t, const std::string& name);
    ValuePtr namespaceAttribute(const ValuePtr& ns, const std::string& name);
    /** The value as `module.name = value` hands it to the semantics layer. */
    AttributeValue toAttributeValue(const ValuePtr& v, bool forModuleSlot);
    /** After a mutation took a console-created module: records where it went. */
    void attached(const ValuePtr& v, const ModuleRef& parent, const std::string& name);
    void record(Edit edit);
    ModuleRef childRef(const ModuleRef& parent, const std::string& name, const ModuleNode* child) const;

    // calls (builtins.cpp, modulemethods.cpp)
    ValuePtr callFunction(const std::string& name, const Args& args);
    ValuePtr callMethod(const ValuePtr& receiver, const std::string& name, const Args& args);
    ValuePtr callModuleMethod(const ValuePtr& module, const std::string& name, const Args& args);
    ValuePtr callTensorMethod(const ValuePtr& t, const std::string& name, const Args& args);
    ValuePtr callStrMethod(const ValuePtr& s, const std::string& name, const Args& args);
    ValuePtr callContainerMethod(const ValuePtr& c, const std::string& name, const Args& args);
    ValuePtr construct(const std::string& className, const Args& args);
    ValuePtr constructLayer(const std::string& layer, const Args& args);
    ValuePtr print(const Args& args);
    ValuePtr tensorFactory(const std::string& name, const Args& args);
    ValuePtr listing(const ValuePtr& module, const std::string& name, const Args& args);

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
