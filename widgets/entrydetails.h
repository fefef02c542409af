#pragma once

#include <QLabel>

class QModelIndex;

namespace mx {

/** A short paragraph under the tree: the selected entry's path and why it is (not) in state_dict. */
class EntryDetails : public QLabel {
    Q_OBJECT
public:
    explicit EntryDetails(QWidget* parent = nullptr);
    /** Shows the entry at a ModuleTreeModel index (nothing for an invalid index). */
    void showEntry(const QModelIndex& index);
};

}  // namespace mx
