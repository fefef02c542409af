#pragma once

#include "app/document.h"

#include <iosfwd>
#include <memory>
#include <string>

namespace mx {

class ModuleNode;
class StatementSession;
struct CommandLine;

/** What running FILE.py left for the rest of the command line. */
struct ScriptBatch {
    std::shared_ptr<ModuleNode> root;            // the chosen model (null with --run and none)
    std::unique_ptr<StatementSession> session;   // the script's session, `model` bound to root
    std::string source;                          // the script as read, for --export-python
    std::string variable;                        // the name root was bound to
};

/**
 * Runs cl.file (a .py) headless as `python3 FILE` would: what it prints goes to `out` (to `err`
 * with --json, which keeps stdout JSON), each top-level statement limited by --timeout. Then
 * picks the model --model-var names (default: the one bound last). Returns the exit status:
 * 0, 1 when the script failed (Python's `File "FILE", line N` and error line on `err`) or made no
 * module while one is needed, 2 for a --model-var that names no module.
 */
int runScriptBatch(const CommandLine& cl, ScriptBatch* batch, std::ostream& out, std::ostream& err);

/** The window's chooser for --model-var NAME: picks the module bound to NAME (-1: none is). */
Document::ModelChooser modelChooserFor(const std::string& variable);

}  // namespace mx
