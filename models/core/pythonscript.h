#pragma once

#include "core/statements/statementsession.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mx {

class ModuleNode;

/** A module a script's top level left bound to a name (`model = Model()`). */
struct ScriptModel {
    std::string variable;   // "model"
    std::string className;  // type(model).__name__: "Model"
    std::shared_ptr<ModuleNode> module;
};

/**
 * Runs a .py file's text the way `python3 script.py` runs it, in the console's interpreter:
 * a fresh session with nothing bound but the builtins (no `model` until the script makes one),
 * `class ...(nn.Module)` definitions whose __init__ runs through the interpreter and whose
 * forward is compiled by TorchScript, top-level statements whose printed output is collected.
 * Nothing reaches the file system or the network (`import os`, `open`, `__import__` refused).
 *
 * Use on one thread; requestInterrupt() may be called from any thread while run() runs.
 */
class PythonScript {
public:
    PythonScript();
    ~PythonScript();
    PythonScript(const PythonScript&) = delete;
    PythonScript& operator=(const PythonScript&) = delete;

    /** Each top-level statement may run this long (CLI --timeout); 0 (default): no limit. */
    void setTimeLimit(double seconds);
    /** Thread-safe: the running script stops with KeyboardInterrupt at its next step. */
    void requestInterrupt();
    /** Called on the running thread before and after each top-level statement (the CLI's
     *  watchdog times each one); either may be empty. */
    void setStatementHooks(std::function<void()> starting, std::function<void()> finished);

    /**
     * Runs the whole script (statements run in order; the first error stops it, as Python's
     * traceback would). Returns result().ok. The result's output is everything the script
     * printed (REPL echo of expression statements is NOT added: a script prints only what it
     * prints), error / errorLine as Python's last traceback line and its line.
     */
    bool run(const std::string& source);

    const StatementResult& result() const { return result_; }
    const std::string& source() const { return source_; }

    /**
     * The modules bound to top-level names when the script ended, one per distinct module, in
     * the order of their last binding, except that the one named `model` comes last: the last
     * one is the default document. Empty when the script failed or made no module.
     */
    std::vector<ScriptModel> models() const;

    /**
     * The session the script ran in (its classes, functions and variables kept), with
     * `model` / `self` bound to models()[index].module: ready to be the open document's console.
     * Call once, after a successful run().
     */
    std::unique_ptr<StatementSession> takeSession(size_t modelIndex);

private:
    std::unique_ptr<StatementSession> session_;
    StatementResult result_;
    std::string source_;
};

}  // namespace mx
