#pragma once

#include "core/edit.h"
#include "core/tensorref.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
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
};

/**
 * The console language: a small subset of Python run against the open model, bound as `model`
 * (alias `self`), with `torch` and `nn` imported. Statements see each other's variables. A
 * statement that fails changes nothing in the model (its edits are reverted); running stops there.
 */
class StatementSession {
public:
    explicit StatementSession(ModuleNode& model);
    ~StatementSession();
    StatementSession(const StatementSession&) = delete;
    StatementSession& operator=(const StatementSession&) = delete;

    /** Runs one or many lines (a pasted block works; ">>> " / "... " prompts are stripped). */
    StatementResult run(const std::string& source);

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
    ModuleNode& model_;
    std::unique_ptr<stmt::Interpreter> interpreter_;
    std::atomic<bool> interruptRequested_{false};
    std::function<void()> statementStarting_;
    std::function<void()> statementFinished_;
};

}  // namespace mx
