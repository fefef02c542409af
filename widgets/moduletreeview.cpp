#include "widgets/moduletreeview.h"

#include "items/moduletreemodel.h"
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
    for (int r = 0; r < model()->rowCount(rootRow); ++r)
        expand(model()->index(r, 0, rootRow));
    for (int c = 0; c < model()->columnCount(); ++c)
        resizeColumnToContents(c);
}

}  // namespace mx
