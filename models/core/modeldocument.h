#pragma once

#include "core/edit.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mx {

class ModuleNode;
class PythonScript;
class StatementSession;
class ValueEdit;
struct LoadStateDictReport;
struct StateDictInput;
struct StatementResult;

/** One step applied to one module, as it happened (undo sends the inverse steps, last first). */
struct ChangeRecord {
    const ModuleNode* module = nullptr;
    Edit::Change change;
};

/** What a document's observers hear, in the order things happened. */
struct DocumentChange {
    enum class Kind {
        AboutToReplaceModel,  // drop every pointer into the old model now
        ModelReplaced,        // a new model (or none) is open
        Edited,               // `records` changed the model (a statement, an undo or a redo)
        TensorsChanged,       // values or devices changed in place (a forward pass): re-read them
    };
    Kind kind = Kind::Edited;
    std::vector<ChangeRecord> records;  // Edited only

    /** The distinct modules `records` touch, in first-touch order. */
    std::vector<const ModuleNode*> modules() const;
};

/**
 * The open model, Qt-free: the model itself, the console session that edits it, the undo history
 * of those edits (as data: one entry per statement that changed the model) and the statements log
 * that Export Session as Python writes. Every change is queued as a typed DocumentChange and sent
 * to the observers only by deliverChanges(), so a job may run on a worker thread while the
 * observers (item models) live on the GUI thread: the caller runs jobs one at a time, keeps the
 * observers' thread away from the model while one runs, and delivers on that thread afterwards.
 */
class ModelDocument {
public:
    using Observer = std::function<void(const DocumentChange&)>;

    ModelDocument();
    ~ModelDocument();
    ModelDocument(const ModelDocument&) = delete;
    ModelDocument& operator=(const ModelDocument&) = delete;

    /** Adds an observer; returns a handle for unsubscribe(). */
    int subscribe(Observer observer);
    void unsubscribe(int handle);
    /** Sends the queued changes to the observers, in order, and clears the queue. */
    void deliverChanges();
    /** Changes are queued that the observers have not been sent yet; while they handle one,
     *  true exactly when more follow it. */
    bool hasUndeliveredChanges() const { return !queued_.empty(); }

    // ---- the model -------------------------------------------------------------------------
    /** Replaces the model (nullptr: none), clearing history and log. `name` is the example's.
     *  (A std::unique_ptr converts; the root is shared because a script's session holds it too.) */
    void replaceModel(std::shared_ptr<ModuleNode> root, std::string name);
    /**
     * Opens the model a .py script made: script.models()[modelIndex]'s module becomes the root
     * and the script's session (its classes, functions and variables) the console's, `model`
     * bound to it; history and log start empty and exportPython() writes the script's source
     * first. Call once, after a successful script.run(). Throws (std::out_of_range for a bad index)
     *  before anything changes.
     */
    void adoptScript(PythonScript& script, size_t modelIndex, std::string name);
    const ModuleNode* root() const { return root_.get(); }
    ModuleNode* mutableRoot() { return root_.get(); }
    /** The class name of a model a script (or a console paste) made, "" for an example or a file. */
    const std::string& scriptClassName() const { return scriptClass_; }
    /** The .py text the model was opened from ("" unless adoptScript()). */
    const std::string& scriptSource() const { return scriptSource_; }
    /** The example the model was built from ("" for none). */
    const std::string& modelName() const { return name_; }
    /** Edits since the model was opened or last saved (the history is not at its saved point). */
    bool isModified() const;
    void markSaved();
    /** Queues TensorsChanged (after a forward moved or updated tensors in place). */
    void noteTensorsChanged();

    // ---- the console -----------------------------------------------------------------------
    /**
     * Runs console text against the model (`model`, alias `self`). When statements changed the
     * model, they become one history entry (dropping undone entries, as an undo stack does) and
     * their records are queued. A failing statement changes nothing; the ones before it stay, as
     * in Python's REPL. Returns what StatementSession::run returned (edits moved into history).
     */
    StatementResult run(const std::string& source);
    /** Dry run for dialogs: Python's error line, or "" when `source` would succeed. The model,
     *  the history and the random number generator are left as they were. */
    std::string check(const std::string& source);
    /** Thread-safe: the running statement stops with KeyboardInterrupt, changing nothing. */
    void requestInterrupt();
    /** The console session (completion, limits); nullptr while no model is open. */
    StatementSession* session() const { return session_.get(); }
    /**
     * A run() rebound `model` to another module (a pasted script's `model = Model()`): the
     * session already works on it. The caller applies it with adoptConsoleModel() on the
     * observers' thread once the job has ended (run() may run on a worker).
     */
    bool hasConsoleModel() const { return consoleModel_ != nullptr; }
    /**
     * Makes that module the root, keeping the session: observers hear AboutToReplaceModel while
     * the old root is alive, then ModelReplaced. History starts anew (nothing before can be
     * undone); the log keeps the effective statements, so exportPython() writes what was opened,
     * the statements before the paste, the pasted block (class and rebinding) and what follows.
     * Returns false when there was none.
     */
    bool adoptConsoleModel();

    /**
     * model.load_state_dict(input, strict): plans it (core/loadstatedict.h) and, unless Python
     * would raise, copies the values in place as one history entry (`statement` is its text,
     * e.g. "model.load_state_dict(torch.load('w.pt'))"), queueing TensorsChanged. When Python
     * would raise, nothing is copied (PyTorch copies the entries before the error; the app keeps
     * the model as it was) and the report says why. A state_dict tree cannot load (no module).
     */
    LoadStateDictReport loadStateDict(const StateDictInput& input, bool strict,
                                      const std::string& statement);
    // ---- history ----------------------------------------------------------------------------
    /** Entries [0, historyIndex()) are applied; the rest are undone and can be redone. */
    size_t historySize() const;
    size_t historyIndex() const { return index_; }
    /** The statement that made entry `i`. */
    const std::string& historySource(size_t i) const;
    bool canUndo() const { return index_ > 0; }
    bool canRedo() const;
    /** Reverts the last applied entry (queues the inverse records). */
    void undo();
    /** Applies the first undone entry again. */
    void redo();

    /** Every statement that ran without error, less those whose history entry is undone or gone. */
    std::vector<std::string> effectiveStatements() const;
    /** File → Export Session as Python: the example's class (or the script as opened), then
     *  effectiveStatements(). */
    std::string exportPython() const;

private:
    /** One statement that changed the model: its source and its applied (or undone) edits. */
    struct HistoryEntry {
        uint64_t id;
        std::string source;
        std::vector<Edit> edits;
        std::shared_ptr<ValueEdit> values;  // a load_state_dict's copies (edits empty then)
    };
    struct LoggedStatement {
        std::string source;
        uint64_t historyId;  // 0: changed nothing (queries, local variables)
    };

    void queueEdits(const std::vector<Edit>& edits, bool reverted);
    /** Appends an applied history entry (dropping the undone ones) and logs its statement. */
    void pushHistory(const std::string& source, std::vector<Edit> edits,
                     std::shared_ptr<ValueEdit> values);

    /** Clears history and saved point (the log is the caller's). Queues ModelReplaced. */
    void startNewHistory();

    std::shared_ptr<ModuleNode> root_;
    std::unique_ptr<StatementSession> session_;
    std::string name_;
    std::string scriptSource_;   // the .py text as opened ("" for an example or a file)
    std::string scriptVariable_; // the name its model was bound to ("model")
    std::string scriptClass_;    // type(model).__name__ for a script's or a console's model
    std::shared_ptr<ModuleNode> consoleModel_;  // a run()'s replacementModel, not yet adopted
    std::vector<HistoryEntry> history_;
    size_t index_ = 0;
    uint64_t nextId_ = 1;
    uint64_t savedId_ = 0;  // id of the last applied entry when saved (0: the model as opened)
    bool savedPointGone_ = false;
    std::vector<LoggedStatement> log_;
    std::vector<DocumentChange> queued_;
    std::vector<std::pair<int, Observer>> observers_;
    int nextObserver_ = 1;
};

}  // namespace mx
