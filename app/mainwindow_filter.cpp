// MainWindow's filter box over the tree and the listings (Edit → Find…, F3, Shift+F3).
#include "app/mainwindow.h"

#include "items/listingmodel.h"
#include "items/moduletreemodel.h"
#include "widgets/listingpanel.h"
#include "widgets/moduletreeview.h"
#include "widgets/rowfilter.h"

#include <QAction>
#include <QLayout>
#include <QMenu>
#include <QTableView>

namespace mx {

namespace {

bool contains(const QString& haystack, const QString& needle)
{
    return haystack.contains(needle, Qt::CaseInsensitive);
}

// A module's kind word: English as the badges' words are, and the translated word.
bool moduleWordMatches(const QString& needle)
{
    return contains(QStringLiteral("module"), needle) ||
           contains(MainWindow::tr("module", "the kind of a module row, for the filter"), needle);
}

/**
 * A tree row's name matches: its own name, or for a dotted text ("dense.0") its dotted path ending
 * in the text (not the rows below it: they show as its subtree). A module found by its name is
 * shown with its whole subtree.
 */
bool treeNameMatches(const QModelIndex& row, const QString& needle)
{
    const QString name = row.data().toString();
    if (contains(name, needle))
        return true;
    if (!needle.contains(QLatin1Char('.')))
        return false;
    const QString path = row.data(ModuleTreeModel::PathRole).toString();
    const qsizetype at = path.lastIndexOf(needle, -1, Qt::CaseInsensitive);
    return at >= 0 && at + needle.size() > path.size() - name.size();
}

/** A tree row matches by its name, its kind (the badge's words; a module's type and the word
 *  "module") or its shape as shown. */
bool treeRowMatches(const QModelIndex& row, const QString& needle)
{
    if (treeNameMatches(row, needle))
        return true;
    if (contains(row.siblingAtColumn(ModuleTreeModel::Kind).data().toString(), needle) ||
        contains(row.siblingAtColumn(ModuleTreeModel::Shape).data().toString(), needle))
        return true;
    return row.data(ModuleTreeModel::EntryKindRole).toInt() == -1 && moduleWordMatches(needle);
}

// The columns a listing shows of name, shape and kind (not dtype, not "after training").
RowFilter::Matcher listingMatcher(Listing listing)
{
    switch (listing) {
    case Listing::Parameters:
    case Listing::Buffers:
        return RowFilter::columnsMatcher({0, 1});  // shape, kind
    case Listing::NamedModules: {
        RowFilter::Matcher columns = RowFilter::columnsMatcher({0, 1});  // name, module
        return [columns](const QModelIndex& row, const QString& needle) {
            return columns(row, needle) || moduleWordMatches(needle);
        };
    }
    default: return RowFilter::columnsMatcher({0, 1, 2});  // name, shape, kind
    }
}

}  // namespace

void MainWindow::buildFilter(QMenu* edit)
{
    rowFilter_ = new RowFilter;
    rowFilter_->setTreeView(treeView_, treeRowMatches, treeNameMatches);
    for (int tab = 0; tab < listingPanel_->listingCount(); ++tab)
        rowFilter_->addTableView(listingPanel_->view(tab),
                                 QString::fromLatin1(listingName(listingModels_[size_t(tab)]->listing())) +
                                     QStringLiteral("()"),
                                 listingMatcher(listingModels_[size_t(tab)]->listing()));
    // Above the tree, in the splitter's left pane.
    if (auto* layout = qobject_cast<QBoxLayout*>(treeView_->parentWidget()->layout()))
        layout->insertWidget(0, rowFilter_);

    QAction* find = edit->addAction(tr("&Find…"), rowFilter_, &RowFilter::focusBox);
    find->setObjectName(QStringLiteral("findAction"));
    find->setShortcut(QKeySequence::Find);
    QAction* next = edit->addAction(tr("Find &Next"), rowFilter_, &RowFilter::findNext);
    next->setObjectName(QStringLiteral("findNextAction"));
    next->setShortcut(QKeySequence::FindNext);
    QAction* previous = edit->addAction(tr("Find &Previous"), rowFilter_, &RowFilter::findPrevious);
    previous->setObjectName(QStringLiteral("findPreviousAction"));
    previous->setShortcut(QKeySequence::FindPrevious);
}

}  // namespace mx
