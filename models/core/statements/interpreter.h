#pragma once
// Private to models/core/statements: runs parsed console statements against a ModuleNode.

#include "core/attributevalue.h"
#include "core/edit.h"
#include "core/statements/ast.h"
#include "core/statements/trainingops.h"
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

/** Executes console statements with Python's semantics over the model bound as `model`/`self`. */
class Interpreter {
public:
    explicit Interpreter(ModuleNode& model);

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
    std::vector<Edit> takeEdits() { return std::exchange(edits_, {}); }
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
    enum class Flow { Normal, Break, Continue };

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

    ModuleNode& model_;
    std::shared_ptr<ModuleHolder> modelHolder_;
    ValuePtr modelValue_;
    std::map<std::string, ValuePtr> globals_;
    std::string output_;
    TensorRef echoedTensor_;
    std::vector<Edit> edits_;
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
