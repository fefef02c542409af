#pragma once

#include <QTreeView>

namespace mx {

/** The module tree: uniform rows for large models, kind badges, columns sized to their content. */
class ModuleTreeView : public QTreeView {
    Q_OBJECT
public:
    explicit ModuleTreeView(QWidget* parent = nullptr);

    void setModel(QAbstractItemModel* model) override;
    /** Expands the model row and, up to about 1,000 rows, its direct children; fits the columns. */
    void expandTopLevels();
};

}  // namespace mx
