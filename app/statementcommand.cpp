#include "app/statementcommand.h"

#include "app/document.h"

namespace mx {

namespace {
QString commandText(const QString& source)
{
    QString first = source.section(QLatin1Char('\n'), 0, 0).trimmed();
    if (source.contains(QLatin1Char('\n')))
        first += QStringLiteral(" …");
    return first.size() > 80 ? first.left(79) + QStringLiteral("…") : first;
}
}  // namespace

StatementCommand::StatementCommand(Document* document, QString source, std::vector<Edit> edits)
    : QUndoCommand(commandText(source)), document_(document), source_(std::move(source)),
      edits_(std::move(edits))
{
}

void StatementCommand::undo()
{
    for (auto it = edits_.rbegin(); it != edits_.rend(); ++it)
        it->revert();
    applied_ = false;
    document_->announceEdits(edits_);
}

void StatementCommand::redo()
{
    if (applied_)
        return;  // QUndoStack::push calls redo(); the statement has already run
    for (Edit& e : edits_)
        e.apply();
    applied_ = true;
    document_->announceEdits(edits_);
}

}  // namespace mx
