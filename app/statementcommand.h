#pragma once

#include "core/edit.h"

#include <QUndoCommand>

#include <vector>

namespace mx {
class Document;

/**
 * One console statement that changed the model, on the document's undo stack: undo reverts its
 * edits last to first, redo applies them again — exact order and values, no snapshots.
 */
class StatementCommand : public QUndoCommand {
public:
    StatementCommand(Document* document, QString source, std::vector<Edit> edits);

    const QString& source() const { return source_; }
    void undo() override;
    void redo() override;

private:
    Document* document_;
    QString source_;
    std::vector<Edit> edits_;
    bool applied_ = true;  // pushed after the statement already ran
};

}  // namespace mx
