#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>
#include <vector>

class QUndoStack;

namespace mx {
class Edit;
class ForwardRunner;
class ModuleNode;
class StatementSession;
}  // namespace mx

// Signals carry module pointers; views never dereference them beyond the core's API.
Q_DECLARE_OPAQUE_POINTER(const mx::ModuleNode*)

namespace mx {

/** What running console text produced, for the console to show. */
struct StatementOutcome {
    bool ok = false;
    QString output;        // what Python would have printed
    QString error;         // Python's last traceback line
    int errorLine = 0;     // 1-based line of a syntax error in the source
    int errorColumn = 0;   // 1-based column of a syntax error (0: none)
};

/**
 * The open model, the example it came from, the console session that edits it and the undo
 * stack of those edits. Views hear about replacements and edits through signals.
 */
class Document : public QObject {
    Q_OBJECT
public:
    explicit Document(QObject* parent = nullptr);
    ~Document() override;

    /** Replaces the model with a freshly built example. False (model kept) for an unknown name. */
    bool openExample(const QString& name, QString* error = nullptr);
    const ModuleNode* root() const { return root_.get(); }
    const QString& exampleName() const { return exampleName_; }
    /** For jobs that run the model (forward); views use root(). */
    ModuleNode* mutableRoot() { return root_.get(); }
    /** Runs forward passes of this document's model off the GUI thread. */
    ForwardRunner* forwardRunner() const { return forwardRunner_; }
    /** The example's input shape, e.g. 64x1x28x28 for Model A as the tutorial's comments say. */
    QVector<qint64> defaultInputShape() const;

    /**
     * Runs console text against the model (`model`, alias `self`). Statements that change the
     * model become one undoable command; a failing statement changes nothing.
     */
    StatementOutcome runStatement(const QString& source);
    /** Dry run for dialogs: Python's error line, or "" when `source` would succeed. Changes nothing. */
    QString checkStatement(const QString& source);
    /** Whether console text is an unfinished statement (an open block or bracket). */
    static bool needsMoreInput(const QString& source);
    /** Names and methods that complete the text before the cursor. */
    QStringList completions(const QString& textBeforeCursor) const;

    QUndoStack* undoStack() const { return undoStack_; }
    /**
     * The statements that made the session what it is now, in order: every statement that ran
     * without error, less those whose edits are undone.
     */
    QStringList effectiveStatements() const;
    /** File → Export session as Python: the example's class, then effectiveStatements(). */
    QString exportPython() const;

    /** Called by undo/redo commands after they reverted or re-applied edits. */
    void announceEdits(const std::vector<Edit>& edits);

Q_SIGNALS:
    /** The model is about to be replaced: views must drop their pointers into it. */
    void aboutToReplaceModel();
    void modelReplaced();
    /** These modules' own entries or children changed (an edit, undo or redo). */
    void modelEdited(const QVector<const mx::ModuleNode*>& modules);

private:
    QString busyReason() const;

    ForwardRunner* forwardRunner_;
    QUndoStack* undoStack_;
    std::unique_ptr<ModuleNode> root_;
    std::unique_ptr<StatementSession> session_;
    QString exampleName_;
    /** Every statement that ran; `command` is its undo command (nullptr: it changed no module). */
    struct LoggedStatement {
        QString source;
        const void* command;
        int commandIndex;
    };
    std::vector<LoggedStatement> log_;
};

}  // namespace mx
