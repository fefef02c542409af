#pragma once

#include "core/modelfile.h"

#include "core/tensorref.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <atomic>
#include <functional>
#include <memory>

class QThread;
class QUndoStack;

namespace mx {
class ForwardRunner;
class ModelDocument;
class ModuleNode;
class PythonScript;
struct ForwardRequest;
struct StatementResult;
struct TrainRequest;

/** What File → Load state_dict into Model… did, for its report dialog and the tree. */
struct LoadOutcome {
    QString error;       // PyTorch's RuntimeError (nothing was copied), or why the file failed
    QString result;      // repr of load_state_dict's return value when it succeeded
    QString statement;   // the Python line it stands for
    bool strict = true;
    QStringList missing, unexpected, mismatched, loaded;
};

/** What running console text produced, for the console to show. */
struct StatementOutcome {
    bool ok = false;
    QString output;        // what Python would have printed
    QString error;         // Python's last traceback line
    int errorLine = 0;     // 1-based line of a syntax error in the source
    int errorColumn = 0;   // 1-based column of a syntax error (0: none)
    /** A statement that ends in a tensor expression (`model.conv1[0].weight`): the tensor, for
     *  the Inspector, and the expression's text. */
    TensorRef resultTensor;
    QString resultExpression;
    /** Values, grads or flags changed in place (opt.step(), loss.backward(), requires_grad_). */
    bool tensorsChanged = false;
    /** How many lines the source had; lines unrunFrom..sourceLines did not run (0: none). */
    int sourceLines = 0;
    int unrunFrom = 0;
    /** The run rebound `model` to another module (a pasted `model = Model()`): the document
     *  switches to it right after statementFinished (modelReplaced, origin() Console). */
    bool replacedModel = false;
    /** The run was a .py script's (requestFile on a .py): stopped by the user. */
    bool cancelled = false;
};

/** The console's view of a StatementResult (edits and tensors stay in the core). */
StatementOutcome outcomeOf(const StatementResult& result);

/**
 * The GUI's side of the open model: owns the Qt-free ModelDocument and runs its long jobs
 * (console statements, dialog checks, building an example) on one worker thread, one job at a
 * time, while forward passes run on the ForwardRunner's thread. While any job runs the document
 * is busy: the model is neither edited nor read on the GUI thread (views show what they copied),
 * and when it ends the document's change records are delivered here. Its QUndoStack mirrors the
 * document's history for the History dock and the Undo/Redo actions.
 */
class Document : public QObject {
    Q_OBJECT
public:
    explicit Document(QObject* parent = nullptr);
    ~Document() override;

    /** The Qt-free document, for item models to subscribe to. */
    ModelDocument* model() const { return core_.get(); }
    const ModuleNode* root() const;
    const QString& exampleName() const { return exampleName_; }
    /** The example's input shape, e.g. 64x1x28x28 for Model A as the tutorial's comments say. */
    QVector<qint64> defaultInputShape() const;

    /** Builds an example here and now (tests, start-up): a running forward pass is cancelled
     *  and waited for. False (model kept) for an unknown name or while a statement runs. */
    bool openExample(const QString& name, QString* error = nullptr);
    /** Builds an example on the worker and opens it when built: a running job is stopped first
     *  and its late results are dropped. Does not ask about unsaved edits (the window does). */
    void requestExample(const QString& name);
    /**
     * Opens a TorchScript, torch.save or safetensors file on the worker: fileProgress() reports
     * it, cancelOpen() stops it, and fileOpened() or fileOpenFailed() ends it (the open model is
     * kept on failure). A running job is stopped first. Does not ask about unsaved edits.
     * A .py file is run as a script instead (scriptStarted(), then scriptFinished() with what it
     * printed; cancelOpen() and interrupt() stop it); the model it bound last (or the one the
     * chooser picks) opens with the script's session as the console's.
     */
    void requestFile(const QString& path);
    /** Whether requestFile() runs `path` as a Python script: it ends in .py (any case). */
    static bool isPythonScript(const QString& path);
    /** Stops a requestFile() at its next step; the open model is kept. */
    void cancelOpen();
    /** Where the open model came from (path "" for an example; kindName "Python script" for a
     *  .py file). */
    const ModelSource& source() const { return source_; }
    /** How the open model was made. */
    enum class Origin { Example, File, Script, Console };
    Origin origin() const { return origin_; }
    /** The class a script (or a console paste) made the model from, e.g. "Model"; "" otherwise. */
    QString modelClassName() const;
    /** After a console replacement: the line of the pasted block that bound `model` (0: unknown). */
    int consoleModelLine() const { return consoleModelLine_; }
    /**
     * How the user picks one of several models a script made: the names they are bound to and
     * their classes, `defaultIndex` the one bound last; returns an index, or -1 to open none.
     * The window shows a list dialog; tests and --model-var set their own. Without a chooser
     * the default is taken.
     */
    using ModelChooser = std::function<int(const QStringList& variables, const QStringList& classes,
                                           int defaultIndex)>;
    void setModelChooser(ModelChooser chooser) { chooser_ = std::move(chooser); }
    /** model.load_state_dict(FILE's state_dict, strict) on the worker, one undoable step;
     *  loadFinished() reports it. Refused (false) while busy or without a model. */
    bool requestLoadStateDict(const QString& path, bool strict);
    /** Saves the model on the worker; saveFinished() reports it. Refused while busy. */
    bool requestSave(const QString& path, SaveFormat format);
    /** Saves here and now (tests); false with the reason on failure. */
    bool saveNow(const QString& path, SaveFormat format, QString* error = nullptr);
    /** Edits since the model was opened or last exported. */
    bool isModified() const;
    void markSaved();

    // ---- jobs ----------------------------------------------------------------------------
    bool isBusy() const;
    /** Why edits are refused now ("" when they are not): a statement or forward is running. */
    QString busyReason() const;
    /** Runs console text on the worker; statementFinished() reports it. Refused (false, with
     *  statementFinished carrying the reason) while busy. */
    bool runStatement(const QString& source);
    /** Stops the running statement at its next step (KeyboardInterrupt; it changes nothing). */
    void interrupt();
    /** Dry run on the worker for dialogs; `done` gets Python's error line or "" (it is not called
     *  when the model was replaced meanwhile). Queued behind a running job. */
    void checkStatement(const QString& source, std::function<void(const QString&)> done);
    /**
     * Brings the model's compiled forward up to date on the worker (a TorchScript file's code is
     * loaded there the first time, which takes resnet18 0.2-0.5 s), then calls `done` on this
     * thread: with true when the same model is still open. The document is busy meanwhile.
     * Refused (done(false) at once) while busy or without a model.
     */
    void prepareForwardInBackground(std::function<void(bool sameModel)> done);
    /** Why the model has no forward (TorchScript's message for a script's forward that did not
     *  compile), found on the worker; `done` gets it ("" when forward is available) unless the
     *  model was replaced meanwhile or the document was busy. */
    void checkForwardInBackground(std::function<void(const QString& reason)> done);
    /** Runs a statement synchronously on the calling thread (CLI-style; tests). */
    StatementOutcome runStatementNow(const QString& source);

    /** Forward passes of this model, off the GUI thread. */
    ForwardRunner* forwardRunner() const { return forwardRunner_; }
    bool startForward(const ForwardRequest& request);
    bool startSweep(const ForwardRequest& request, const QVector<int>& batches);
    /** Training steps on the forward runner's thread (ForwardRunner::trainingFinished reports). */
    bool startTraining(const TrainRequest& request);

    /** Whether console text is an unfinished statement (an open block or bracket). */
    static bool needsMoreInput(const QString& source);
    /** Names and methods that complete the text before the cursor (none while busy). */
    QStringList completions(const QString& textBeforeCursor) const;

    // ---- history -------------------------------------------------------------------------
    QUndoStack* undoStack() const { return undoStack_; }
    bool canUndo() const;
    bool canRedo() const;
    void undo();
    void redo();
    /** Every statement that ran without error, less those whose edits are undone. */
    QStringList effectiveStatements() const;
    /** File → Export session as Python: the example's class, then effectiveStatements(). */
    QString exportPython() const;

Q_SIGNALS:
    /** A job started (true) or every job ended (false). Views stop reading the model while busy. */
    void busyChanged(bool busy);
    /** A statement from runStatement() ended (also when refused or interrupted). */
    void statementFinished(const QString& source, const mx::StatementOutcome& outcome);
    /** The model was replaced; views other than the item models reset here. */
    void modelReplaced();
    /** The model changed (a statement, undo or redo) after the item models applied it. */
    void modelEdited();
    /** Undo/redo availability changed. */
    void historyChanged();
    /** A .py file started running on the worker (the console shows it as running). */
    void scriptStarted(const QString& path);
    /** The script ended: what it printed, and Python's error line if it failed (cancelled when
     *  stopped). fileOpened() or fileOpenFailed() follows. */
    void scriptFinished(const QString& path, const mx::StatementOutcome& outcome);
    /** A requestFile() advanced (0..1). */
    void fileProgress(double fraction);
    /** A requestFile() ended: opened (the model is replaced), failed or cancelled. */
    void fileOpened(const QString& path);
    void fileOpenFailed(const QString& path, const QString& error, bool cancelled);
    /** A requestLoadStateDict() ended. */
    void loadFinished(const QString& path, const mx::LoadOutcome& outcome);
    /** A requestSave() ended; `error` is empty on success. */
    void saveFinished(const QString& path, const QString& error);

private:
    class UndoCommand;
    void post(std::function<void()> job);
    void beginJob();
    void endJob();
    void finishStatement(quint64 generation, const QString& source, StatementOutcome outcome,
                         bool changedModel);
    LoadOutcome loadStateDictHere(const QString& path, bool strict);
    void replaceModel(std::unique_ptr<ModuleNode> root, const QString& name,
                      ModelSource source = {});
    void afterForward();
    void deliver();
    // .py scripts and console replacements (documentscript.cpp).
    void startScript(const QString& path, quint64 generation);
    void openScriptModels(const QString& path, const std::shared_ptr<PythonScript>& script);
    void adoptConsoleModel(const QString& source);
    /** What replaceModel() does around the core's replacement: drops late results, clears the
     *  undo stack, delivers, and tells the views. */
    void replaceWith(const std::function<void()>& coreReplacement, const QString& name);

    std::unique_ptr<ModelDocument> core_;
    QThread* worker_;
    QObject* workerContext_;  // lives on worker_: jobs are queued to it
    ForwardRunner* forwardRunner_;
    QUndoStack* undoStack_;
    QString exampleName_;
    int jobs_ = 0;              // queued or running worker jobs
    bool forwardRunning_ = false;
    std::atomic<quint64> generation_{0};  // bumped when the model is replaced: late results are dropped
    QString pendingExample_;    // opened when the running jobs have ended
    QString pendingFile_;       // likewise
    ModelSource source_;
    std::shared_ptr<std::atomic<bool>> openCancelled_;  // of the running requestFile()
    bool applyingHistory_ = false;
    Origin origin_ = Origin::Example;
    int consoleModelLine_ = 0;
    ModelChooser chooser_;
    std::shared_ptr<PythonScript> runningScript_;  // the .py running on the worker, for interrupt()
};

}  // namespace mx

Q_DECLARE_METATYPE(mx::StatementOutcome)
Q_DECLARE_METATYPE(mx::LoadOutcome)
