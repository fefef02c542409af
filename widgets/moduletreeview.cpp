#include "widgets/moduletreeview.h"

#include "items/moduletreemodel.h"
#include "widgets/elision.h"
#include "widgets/kindbadgedelegate.h"

#include <QEvent>
#include <QAbstractItemDelegate>

#include <algorithm>
#include <functional>
#include <QHeaderView>

namespace mx {

ModuleTreeView::ModuleTreeView(QWidget* parent) : QTreeView(parent)
{
    setUniformRowHeights(true);  // keeps huge models cheap to lay out
    setAlternatingRowColors(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setItemDelegate(new ReadableTextDelegate(this));  // marks stay readable in the dark theme
    setItemDelegateForColumn(ModuleTreeModel::Kind, new KindBadgeDelegate(this));
    header()->setStretchLastSection(false);
    setObjectName(QStringLiteral("moduleTree"));
    setTextElideMode(Qt::ElideMiddle);
    new ElidedCellToolTips(this);
}

int ModuleTreeView::sizeHintForColumn(int column) const
{
    // QTreeView measures only the rows in the viewport; a name scrolled out of view must fit
    // too, so every expanded row is measured (up to a few thousand, for large models).
    int width = QTreeView::sizeHintForColumn(column);
    if (model() && model()->hasChildren(rootIndex())) {
        QStyleOptionViewItem option;
        initViewItemOption(&option);
        int budget = 3000;
        std::function<void(const QModelIndex&, int)> walk = [&](const QModelIndex& parent, int depth) {
            for (int r = 0; r < model()->rowCount(parent) && budget > 0; ++r, --budget) {
                const QModelIndex index = model()->index(r, column, parent);
                int w = itemDelegateForIndex(index)->sizeHint(option, index).width();
                if (column == 0)
                    w += indentation() * (depth + (rootIsDecorated() ? 1 : 0));
                width = std::max(width, w);
                const QModelIndex first = model()->index(r, 0, parent);
                if (isExpanded(first))
                    walk(first, depth + 1);
            }
        };
        walk(rootIndex(), 0);
    }
    return qMin(width, maxFittedColumnWidth(fontMetrics()));
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
    fitColumns();
}

void ModuleTreeView::fitColumns()
{
    if (!model())
        return;
    doItemsLayout();  // row heights and widths measured with the current font
    for (int c = 0; c < model()->columnCount(); ++c)
        resizeColumnToContents(c);
}

void ModuleTreeView::changeEvent(QEvent* event)
{
    QTreeView::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        QFont f = header()->font();  // the header has a class font: give it the zoomed size
        f.setPointSizeF(font().pointSizeF());
        header()->setFont(f);
        fitColumns();
    }
}

}  // namespace mx
