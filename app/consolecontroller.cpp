#include "app/consolecontroller.h"

#include "app/document.h"
#include "widgets/consolewidget.h"

#include <QUndoStack>

namespace mx {

ConsoleController::ConsoleController(Document* document, ConsoleWidget* console, QObject* parent)
    : QObject(parent), document_(document), console_(console)
{
    connect(console_, &ConsoleWidget::submitted, this, &ConsoleController::run);
    console_->input()->setCompletionProvider(
        [this](const QString& before) { return document_->completions(before); });
    console_->input()->setContinuationCheck(&Document::needsMoreInput);
    connect(document_, &Document::modelReplaced, this, [this] {
        console_->showNote(tr("# new model: the example '%1' is bound to `model` (and `self`)")
                               .arg(document_->exampleName()));
    });
    connect(document_->undoStack(), &QUndoStack::indexChanged, this, [this] {
        // Undo/redo from the menu: say so in the transcript, like a statement would.
        const QUndoStack* stack = document_->undoStack();
        if (stack->index() < lastIndex_)
            console_->showNote(tr("# undone: %1").arg(stack->text(stack->index())));
        else if (stack->index() > lastIndex_ && !running_)
            console_->showNote(tr("# redone: %1").arg(stack->text(stack->index() - 1)));
        lastIndex_ = stack->index();
    });
}

void ConsoleController::run(const QString& source)
{
    running_ = true;
    const StatementOutcome r = document_->runStatement(source);
    running_ = false;
    lastIndex_ = document_->undoStack()->index();
    console_->showResult(source, r.output, r.ok ? QString() : r.error, r.errorLine, r.errorColumn);
}

}  // namespace mx
