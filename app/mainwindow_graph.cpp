// MainWindow's Graph dock: the forward's dataflow graph, rebuilt after edits and model changes
// (only while no job owns the model, and only while the dock is shown), with the last forward's
// output shapes, and its selection kept in step with the tree's.

#include "app/mainwindow.h"

#include "app/document.h"
#include "core/formatting.h"
#include "core/modulenode.h"
#include "items/entrylocation.h"
#include "items/forwardrunner.h"
#include "items/forwardtypes.h"
#include "items/graphmodel.h"
#include "items/moduletreemodel.h"
#include "widgets/graphpanel.h"
#include "widgets/moduletreeview.h"

#include <QDockWidget>
#include <QPointer>
#include <QItemSelectionModel>

namespace mx {

void MainWindow::buildGraphDock()
{
    graphModel_ = new GraphModel(this);
    graphPanel_ = new GraphPanel(graphModel_);
    QDockWidget* dock = addBottomDock(tr("Graph"), QStringLiteral("graphDock"), graphPanel_);
    // One tab beside Console, Forward, History and Train; the console stays in front.
    if (auto* console = findChild<QDockWidget*>(QStringLiteral("consoleDock"))) {
        tabifyDockWidget(console, dock);
        console->raise();
    }
    // Read the model only when no job owns it and someone looks at the graph, and only once the
    // worker has prepared its forward: the first time, a TorchScript file's compiled code is
    // loaded there (resnet18: 0.2-0.5 s), never on this thread.
    // A tab behind another one is "visible" to Qt; only its visible region tells it is covered.
    auto shown = [dock] { return dock->isVisible() && !dock->visibleRegion().isEmpty(); };
    graphModel_->setReadCheck([this, dock, shown] {
        if (!treeModel_->readsAllowed() || !shown())
            return false;
        if (graphReadyFor_ == document_->root())
            return true;
        if (!graphPreparing_) {
            graphPreparing_ = true;
            QMetaObject::invokeMethod(this, [this, shown] {  // not inside the refresh that asked
                // Still wanted? A dock is briefly visible while the window first lays out its tabs.
                if (!shown() || !treeModel_->readsAllowed()) {
                    graphPreparing_ = false;
                    return;
                }
                // The document outlives this window: its answer may come after the window went.
                document_->prepareForwardInBackground([window = QPointer<MainWindow>(this)](bool sameModel) {
                    if (window)
                        window->graphForwardPrepared(sameModel);
                });
            }, Qt::QueuedConnection);
        }
        return false;
    });
    // The graph model never keeps a pointer to a root the document has let go: a change notice
    // that comes while the model is being replaced finds the new root here first.
    auto sameModel = [this] {
        if (graphModel_->model() == document_->root())
            return true;
        graphModel_->setModel(document_->root());
        return false;
    };
    connect(dock, &QDockWidget::visibilityChanged, graphModel_, [this, sameModel](bool visible) {
        if (visible && sameModel())  // once the tab's new geometry is in place
            QMetaObject::invokeMethod(graphModel_, &GraphModel::refreshIfPending, Qt::QueuedConnection);
    });
    connect(document_, &Document::modelReplaced, graphModel_, [this] {
        graphReadyFor_ = nullptr;
        graphModel_->setModel(document_->root());
    });
    connect(document_, &Document::modelEdited, graphModel_, [this, sameModel] {
        if (!sameModel())
            return;
        graphModel_->markStale();
        graphModel_->clearOutputShapes();  // the last forward's shapes may no longer hold
        graphModel_->refresh();
    });
    connect(document_, &Document::busyChanged, graphModel_, [this, sameModel](bool busy) {
        if (!busy && sameModel())
            graphModel_->refreshIfPending();
    });
    connect(document_->forwardRunner(), &ForwardRunner::finished, graphModel_,
            [this](const ForwardReport& report) {
                QHash<QString, QString> shapes;
                if (report.ok) {
                    shapes.insert(QString(), report.outputShape);
                    for (const ForwardTraceRow& row : report.trace)
                        shapes.insert(row.module, row.shape);
                }
                graphModel_->setOutputShapes(shapes);
            });

    // Selection both ways: a module's box <-> its row in the tree.
    connect(graphPanel_, &GraphPanel::moduleSelected, this, [this](const QString& path) {
        const ModuleNode* node = document_->root();
        for (const std::string& part : dottedParts(path.toStdString()))
            node = node ? node->findChild(part) : nullptr;
        if (!node)
            return;
        EntryLocation location;
        location.module = node;
        const QModelIndex index = treeModel_->indexFor(location);
        if (!index.isValid())
            return;
        treeView_->setCurrentIndex(index);
        treeView_->scrollTo(index);
    });
    connect(treeView_->selectionModel(), &QItemSelectionModel::currentChanged, graphPanel_,
            [this](const QModelIndex& current) {
                QModelIndex row = current.sibling(current.row(), 0);
                // A tensor entry selects the module it belongs to.
                while (row.isValid() && row.data(ModuleTreeModel::EntryKindRole).toInt() >= 0)
                    row = row.parent();
                if (row.isValid())
                    graphPanel_->selectModule(row.data(ModuleTreeModel::PathRole).toString());
            });
    graphModel_->setModel(document_->root());
}

void MainWindow::graphForwardPrepared(bool sameModel)
{
    graphPreparing_ = false;
    if (!sameModel)
        return;  // busy, or another model: its own refresh asks again
    graphReadyFor_ = document_->root();
    graphModel_->refreshIfPending();
}

}  // namespace mx
