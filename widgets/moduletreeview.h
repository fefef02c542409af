#pragma once

#include <QTreeView>

namespace mx {

/**
 * The module tree: uniform rows for large models, kind badges, columns sized to their content up
 * to about 60 characters (longer names are elided in the middle, whole in the tooltip).
 */
class ModuleTreeView : public QTreeView {
    Q_OBJECT
public:
    explicit ModuleTreeView(QWidget* parent = nullptr);

    void setModel(QAbstractItemModel* model) override;
    /** Expands the model row and, up to about 1,000 rows, its direct children; fits the columns. */
    void expandTopLevels();

    /** Fits every column to its content (capped at about 60 characters). */
    void fitColumns();

protected:
    int sizeHintForColumn(int column) const override;
    void changeEvent(QEvent* event) override;  // a zoom refits the columns
};

}  // namespace mx
