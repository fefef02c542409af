#include "app/consolecontroller.h"

#include "app/document.h"
#include "widgets/consolewidget.h"

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
        const ModelSource& source = document_->source();
        if (source.path.empty())
            console_->showNote(tr("# new model: the example '%1' is bound to `model` (and `self`)")
                                   .arg(document_->exampleName()));
        else if (source.fromStateDict)
            console_->showNote(tr("# opened %1 (%2): a state_dict, shown as a tree; statements "
                                  "need a module")
                                   .arg(document_->exampleName(), QString::fromStdString(source.kindName)));
        else
            console_->showNote(tr("# opened %1 (%2): its modules are bound to `model` (and `self`)")
                                   .arg(document_->exampleName(), QString::fromStdString(source.kindName)));
    });
    connect(document_, &Document::statementFinished, this,
            [this](const QString& source, const StatementOutcome& r) {
                console_->setRunning(false);
                lastIndex_ = document_->undoStack()->index();
                console_->showResult(source, r.output, r.ok ? QString() : r.error, r.errorLine,
                                     r.errorColumn);
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

void ConsoleController::run(const QString& source)
{
    console_->setRunning(true);
    document_->runStatement(source);  // statementFinished reports it, also when refused
}

}  // namespace mx
