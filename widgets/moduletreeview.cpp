#include "widgets/moduletreeview.h"

#include "items/moduletreemodel.h"
#include "widgets/elision.h"
#include "widgets/kindbadgedelegate.h"

#include <QHeaderView>

namespace mx {

ModuleTreeView::ModuleTreeView(QWidget* parent) : QTreeView(parent)
{
    setUniformRowHeights(true);  // keeps huge models cheap to lay out
    setAlternatingRowColors(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setItemDelegateForColumn(ModuleTreeModel::Kind, new KindBadgeDelegate(this));
    header()->setStretchLastSection(false);
    setObjectName(QStringLiteral("moduleTree"));
    setTextElideMode(Qt::ElideMiddle);
    new ElidedCellToolTips(this);
}

int ModuleTreeView::sizeHintForColumn(int column) const
{
    return qMin(QTreeView::sizeHintForColumn(column), maxFittedColumnWidth(fontMetrics()));
}

void ModuleTreeView::setModel(QAbstractItemModel* model)
{
    QTreeView::setModel(model);
    if (model)
        connect(model, &QAbstractItemModel::modelReset, this, &ModuleTreeView::expandTopLevels);
    expandTopLevels();
}

void ModuleTreeView::expandTopLevels()
{
    if (!model() || model()->rowCount() == 0)
        return;
    const QModelIndex rootRow = model()->index(0, 0);
    expand(rootRow);
    // Open the model's direct submodules while the tree stays short enough to read (and to lay
    // out quickly after each edit); big models open one level only.
    constexpr int kMaxAutoExpandedRows = 1000;
    int shown = model()->rowCount(rootRow);
    for (int r = 0; r < model()->rowCount(rootRow); ++r) {
        const QModelIndex child = model()->index(r, 0, rootRow);
        shown += model()->rowCount(child);
        if (shown > kMaxAutoExpandedRows)
            break;
        expand(child);
    }
    for (int c = 0; c < model()->columnCount(); ++c)
        resizeColumnToContents(c);
}

}  // namespace mx
