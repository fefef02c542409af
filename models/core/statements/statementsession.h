#pragma once

#include "core/edit.h"
#include "core/tensorref.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mx {

class ModuleNode;

namespace stmt {
class Interpreter;
}

/** What running console input did: Python's output, the error if any, and the applied edits. */
struct StatementResult {
    bool ok = true;
    /** What Python would print: print() output and the echo of expression values (REPL-style). */
    std::string output;
    /** Python's last traceback line, e.g. "AttributeError: 'Model' object has no attribute 'x'",
     *  "SyntaxError: invalid syntax", "NotImplementedError: ... is not supported by Module
     *  Explorer's console"; "" when ok. */
    std::string error;
    /** 1-based line of the error in the source (the failing statement's first line); -1 if ok. */
    int errorLine = -1;
    /** 1-based column of a syntax error (Python's caret); -1 otherwise. */
    int errorColumn = -1;
    /** The model edits of the statements that succeeded, in order (applied), for undo. */
    std::vector<Edit> edits;
    /** The statements changed tensors in place (an optimizer step, backward's grads,
     *  requires_grad_, a train-mode forward's running statistics, train()/eval()): views must
     *  re-read values and flags (ModelDocument queues TensorsChanged). Not undoable. */
    bool tensorsChanged = false;
    /** How many top-level statements ran successfully. */
    int statementsRun = 0;
    /** When the last top-level statement was an expression whose value is a tensor (a console
     *  result such as `model.conv1[0].weight`): that tensor and the expression's text. */
    TensorRef resultTensor;
    std::string resultExpression;
    /** The source's last line with text on it (its line count, trailing blank lines aside). */
    int sourceLines = 0;
    /** When a block stopped part-way: the first line of the first top-level statement that did
     *  not run (lines unrunFrom..sourceLines did not run); 0 when none was left. */
    int unrunFrom = 0;
    /**
     * The statements rebound `model` (or `self`) to another module at top level, e.g. a pasted
     * script's `model = Model()`: the session now works on this module (it holds it), and the
     * caller should make it the open document (ModelDocument adopts it; history starts anew).
     * The statements after the rebinding ran against it. nullptr when nothing was rebound.
     */
    std::shared_ptr<ModuleNode> replacementModel;
};

/**
 * The console language: a small subset of Python run against the open model, bound as `model`
 * (alias `self`), with `torch` and `nn` imported. Statements see each other's variables. A
 * statement that fails changes nothing in the model (its edits are reverted); running stops there.
 */
class StatementSession {
public:
    explicit StatementSession(ModuleNode& model);
    /** A session with no model bound (a .py script's: `model` is an ordinary name until the
     *  script binds it); expression statements are not echoed, as a script's are not. */
    StatementSession();
    ~StatementSession();
    StatementSession(const StatementSession&) = delete;
    StatementSession& operator=(const StatementSession&) = delete;

    /** Runs one or many lines (a pasted block works; ">>> " / "... " prompts are stripped). */
    StatementResult run(const std::string& source);

    /** The module `model` / `self` name now (nullptr in a script session before bindModel). */
    ModuleNode* model() const { return model_; }
    /** Binds `model` / `self` to the module the top-level name `variable` holds (after a script
     *  ran); from now on the session is a console session over it (expressions echo). The
     *  session keeps the module alive. Throws std::invalid_argument when `variable` is not a
     *  module at top level. */
    void bindModel(const std::string& variable);
    /** The top-level names bound to modules no module holds, one per module, in the order of
     *  their last binding (a script's models: the last is the one it made last). */
    std::vector<std::pair<std::string, std::shared_ptr<ModuleNode>>> moduleGlobals() const;
    /** Binds `model` / `self` to `model` again (after a dry run rebound them). */
    void restoreModel(ModuleNode& model);

    /** Completions for the word before the cursor: attribute names after a '.', else names. */
    std::vector<std::string> completions(const std::string& textBeforeCursor) const;

    /** Whether `source` is an unfinished statement: an open bracket or triple-quoted string, a
     *  trailing backslash, or a compound statement (for/if...) not yet ended by an empty line. */
    static bool needsMoreInput(const std::string& source);

    /** Thread-safe: the running (or next) run() stops with KeyboardInterrupt, changing nothing. */
    void requestInterrupt();

    /** A time limit for each top-level statement (CLI --timeout); 0 (the default) is none. A
     *  statement still running past it raises "TimeoutError: ..." at its next step and changes
     *  nothing. One long LibTorch operation ends only when it returns. */
    void setTimeLimit(double seconds);

    /** Called on the running thread before and after each top-level statement (the CLI's
     *  watchdog times each one); either may be empty. */
    void setStatementHooks(std::function<void()> starting, std::function<void()> finished);

private:
    ModuleNode* model_ = nullptr;
    std::unique_ptr<stmt::Interpreter> interpreter_;
    std::atomic<bool> interruptRequested_{false};
    std::function<void()> statementStarting_;
    std::function<void()> statementFinished_;
};

}  // namespace mx
