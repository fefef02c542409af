#include "app/consolecontroller.h"

#include "app/document.h"
#include "widgets/consolewidget.h"

#include <QFileInfo>
#include <QUndoStack>

namespace mx {

ConsoleController::ConsoleController(Document* document, ConsoleWidget* console, QObject* parent)
    : QObject(parent), document_(document), console_(console)
{
    connect(console_, &ConsoleWidget::submitted, this, &ConsoleController::run);
    connect(console_, &ConsoleWidget::interruptRequested, document_, &Document::interrupt);
    connect(console_->input(), &ConsoleInput::undoRequested, document_, &Document::undo);
    connect(console_->input(), &ConsoleInput::redoRequested, document_, &Document::redo);
    console_->input()->setCompletionProvider(
        [this](const QString& before) { return document_->completions(before); });
    console_->input()->setContinuationCheck(&Document::needsMoreInput);
    connect(document_, &Document::modelReplaced, this, [this] {
        console_->setRunning(false);
        lastIndex_ = 0;
        console_->showNote(replacedNote());
    });
    connect(document_, &Document::statementFinished, this,
            [this](const QString& source, const StatementOutcome& r) {
                console_->setRunning(false);
                lastIndex_ = document_->undoStack()->index();
                console_->showResult(source, r.output, r.ok ? QString() : r.error, r.errorLine,
                                     r.errorColumn);
                noteSkippedLines(r);
            });
    // A .py file runs like a long statement: Stop and Esc interrupt it, its output is shown.
    connect(document_, &Document::scriptStarted, this, [this](const QString& path) {
        console_->showNote(tr("# running %1 …").arg(QFileInfo(path).fileName()));
        console_->setRunning(true);
    });
    connect(document_, &Document::scriptFinished, this,
            [this](const QString& path, const StatementOutcome& r) {
                console_->setRunning(false);
                QString error = r.ok ? QString() : r.error;
                if (!r.ok && r.errorLine > 0)  // as Python's traceback ends
                    error = QStringLiteral("  File \"%1\", line %2\n%3")
                                .arg(QFileInfo(path).fileName())
                                .arg(r.errorLine)
                                .arg(error);
                console_->showOutput(r.output, error);
                noteSkippedLines(r);
                if (!r.ok)
                    console_->showNote(r.cancelled ? tr("# %1 was stopped; the open model stays")
                                                         .arg(QFileInfo(path).fileName())
                                                   : tr("# %1 failed; the open model stays")
                                                         .arg(QFileInfo(path).fileName()));
            });
    connect(document_->undoStack(), &QUndoStack::indexChanged, this, [this] {
        // Undo/redo from the menu: say so in the transcript, like a statement would.
        const QUndoStack* stack = document_->undoStack();
        if (console_->isRunning() || stack->count() == 0) {
            lastIndex_ = stack->index();
            return;  // the running statement's own entry (or a new model)
        }
        if (stack->index() < lastIndex_)
            console_->showNote(tr("# undone: %1").arg(stack->text(stack->index())));
        else if (stack->index() > lastIndex_)
            console_->showNote(tr("# redone: %1").arg(stack->text(stack->index() - 1)));
        lastIndex_ = stack->index();
    });
}

QString ConsoleController::replacedNote() const
{
    const ModelSource& source = document_->source();
    switch (document_->origin()) {
    case Document::Origin::Example:
        return tr("# new model: the example '%1' is bound to `model` (and `self`)")
            .arg(document_->exampleName());
    case Document::Origin::File:
        if (source.fromStateDict)
            return tr("# opened %1 (%2): a state_dict, shown as a tree; statements need a module")
                .arg(document_->exampleName(), QString::fromStdString(source.kindName));
        return tr("# opened %1 (%2): its modules are bound to `model` (and `self`)")
            .arg(document_->exampleName(), QString::fromStdString(source.kindName));
    case Document::Origin::Script:
        return tr("# opened %1: its %2 is bound to `model` (and `self`); the script's classes and "
                  "variables are defined here too")
            .arg(document_->exampleName(), document_->modelClassName());
    case Document::Origin::Console:
        if (document_->consoleModelLine() > 0)
            return tr("# model is now the %1 built on line %2 (the previous model was closed; "
                      "undo starts again from here)")
                .arg(document_->modelClassName())
                .arg(document_->consoleModelLine());
        return tr("# model is now a new %1 (the previous model was closed; undo starts again "
                  "from here)")
            .arg(document_->modelClassName());
    }
    return {};
}

void ConsoleController::noteSkippedLines(const StatementOutcome& r)
{
    // A block that stopped part-way says so: the statements after the failing one did not run.
    if (r.ok || r.errorLine <= 0 || r.unrunFrom <= 0 || r.sourceLines < r.unrunFrom)
        return;
    if (r.sourceLines == r.unrunFrom)
        console_->showNote(tr("# Stopped at line %1; line %2 did not run.")
                               .arg(r.errorLine)
                               .arg(r.sourceLines));
    else
        console_->showNote(tr("# Stopped at line %1; lines %2–%3 did not run.")
                               .arg(r.errorLine)
                               .arg(r.unrunFrom)
                               .arg(r.sourceLines));
}

void ConsoleController::run(const QString& source)
{
    console_->setRunning(true);
    document_->runStatement(source);  // statementFinished reports it, also when refused
}

}  // namespace mx
