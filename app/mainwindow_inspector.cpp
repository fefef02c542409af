// MainWindow's Inspector dock: the tree's current tensor entry is inspected (statistics,
// histogram, plots, values) off the GUI thread, again after edits, forwards and jobs.

#include "app/mainwindow.h"

#include "app/document.h"

#include "items/moduletreemodel.h"
#include "items/tensorvariant.h"
#include "widgets/inspectorpanel.h"
#include "widgets/moduletreeview.h"

#include <QDockWidget>

namespace mx {

void MainWindow::buildInspectorDock()
{
    inspectorPanel_ = new InspectorPanel;
    QDockWidget* dock = addBottomDock(tr("Inspector"), QStringLiteral("inspectorDock"), inspectorPanel_);
    // Beside the console: a student types on the left and sees the tensor on the right.
    if (auto* console = findChild<QDockWidget*>(QStringLiteral("consoleDock")))
        splitDockWidget(console, dock, Qt::Horizontal);
    resizeDocks({dock}, {720}, Qt::Horizontal);
    resizeDocks({dock}, {360}, Qt::Vertical);  // room for a histogram under the tree
    // A console statement that ends in a tensor expression shows that tensor.
    connect(document_, &Document::statementFinished, this,
            [this](const QString&, const StatementOutcome& outcome) {
                if (!outcome.ok || outcome.resultTensor.isNone())
                    return;
                consoleResult_ = outcome.resultTensor;
                consoleResultName_ = outcome.resultExpression;
                inspectCurrent();
            });
}

void MainWindow::inspectCurrent()
{
    if (!inspectorPanel_)
        return;
    if (!treeModel_->readsAllowed()) {
        inspectorPanel_->setReadsAllowed(false);
        return;
    }
    inspectorPanel_->setReadsAllowed(true);
    if (!consoleResult_.isNone()) {
        inspectorPanel_->inspect(consoleResultName_, consoleResult_);
        return;
    }
    const QModelIndex current = treeView_->currentIndex();
    const QModelIndex row = current.sibling(current.row(), ModuleTreeModel::Name);
    // The entry shown was deleted: say so, rather than follow the row the view moved to; the
    // note stays until another row becomes current.
    if (!inspectedName_.isEmpty() && !inspected_.isValid()) {
        deletedNote_ = tr("'%1' was deleted.").arg(inspectedName_);
        currentAtDeletion_ = row;
        inspectedName_.clear();
    }
    if (!deletedNote_.isEmpty() && row == QModelIndex(currentAtDeletion_)) {
        inspectorPanel_->showNothing(deletedNote_);
        return;
    }
    deletedNote_.clear();
    const bool isTensor = row.isValid() && row.data(ModuleTreeModel::EntryKindRole).toInt() >= 0;
    if (!isTensor) {
        inspected_ = QPersistentModelIndex();
        inspectedName_.clear();
        inspectorPanel_->showNothing(tr("Select a parameter, buffer or tensor attribute to inspect it."));
        return;
    }
    QString name = row.data(ModuleTreeModel::PathRole).toString();
    if (name.isEmpty())
        name = row.data(Qt::DisplayRole).toString();
    const QVariant tensor = row.data(ModuleTreeModel::TensorRole);
    inspected_ = row;
    inspectedName_ = name;
    if (!tensor.isValid()) {
        inspectorPanel_->showNothing(tr("'%1' is None: it holds no values.").arg(name));
        return;
    }
    inspectorPanel_->inspect(name, tensor.value<TensorRef>());
}

}  // namespace mx
