// MainWindow's editing half: the console and history docks, the edit actions on the tree, and
// how edits reach the views (incrementally, with the new entry scrolled into view).
#include "app/consolecontroller.h"
#include "app/document.h"
#include "app/editactions.h"
#include "app/mainwindow.h"
#include "items/listingmodel.h"
#include "items/moduletreemodel.h"
#include "items/tensorvariant.h"
#include "widgets/atomicsave.h"
#include "widgets/consolewidget.h"
#include "widgets/entrydetails.h"
#include "widgets/listingpanel.h"
#include "widgets/moduletreeview.h"

#include <QDockWidget>
#include <QFile>
#include <QSaveFile>
#include <QIODevice>
#include <QMenu>
#include <QToolBar>
#include <QUndoStack>
#include <QUndoView>

namespace mx {

void MainWindow::buildEditing()
{
    console_ = new ConsoleWidget;
    consoleController_ = new ConsoleController(document_, console_, this);
    auto* consoleDock = new QDockWidget(tr("Console"), this);
    consoleDock->setObjectName(QStringLiteral("consoleDock"));
    consoleDock->setWidget(console_);
    addDockWidget(Qt::BottomDockWidgetArea, consoleDock);

    auto* history = new QUndoView(document_->undoStack());
    history->setEmptyLabel(tr("<the example as built>"));
    historyView_ = history;
    auto* historyDock = new QDockWidget(tr("History"), this);
    historyDock->setObjectName(QStringLiteral("historyDock"));
    historyDock->setWidget(history);
    addDockWidget(Qt::BottomDockWidgetArea, historyDock);

    buildInspectorDock();  // split beside the console before the console gets its tabs
    auto* forwardDock = findChild<QDockWidget*>(QStringLiteral("forwardDock"));
    tabifyDockWidget(consoleDock, forwardDock);
    tabifyDockWidget(consoleDock, historyDock);
    consoleDock->raise();

    editActions_ = new EditActions(document_, this,
                                   [this](const QString& statement) { consoleController_->run(statement); });
    auto* toolbar = addToolBar(tr("Edit"));
    toolbar->setObjectName(QStringLiteral("editToolbar"));
    toolbar->addAction(editActions_->addParameter());
    toolbar->addAction(editActions_->registerBuffer());
    toolbar->addAction(editActions_->setAttribute());
    toolbar->addAction(editActions_->addSubmodule());
    toolbar->addAction(editActions_->rename());
    toolbar->addAction(editActions_->remove());
    treeView_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(treeView_, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex index = treeView_->indexAt(pos);
        if (!index.isValid())
            return;
        treeView_->setCurrentIndex(index);
        QMenu menu;
        editActions_->addTo(&menu);
        const QVariant grad = index.siblingAtColumn(0).data(ModuleTreeModel::GradientRole);
        if (grad.isValid()) {  // a parameter after a backward (the Train dock, loss.backward())
            const QString name = index.siblingAtColumn(0).data(ModuleTreeModel::PathRole).toString();
            menu.addSeparator();
            menu.addAction(tr("Inspect %1.grad").arg(name), this, [this, name, grad] {
                consoleResult_ = grad.value<TensorRef>();
                consoleResultName_ = name + QStringLiteral(".grad");
                inspectCurrent();
            });
        }
        menu.exec(treeView_->viewport()->mapToGlobal(pos));
    });

    connect(document_, &Document::modelEdited, this, &MainWindow::onModelEdited);
    connect(treeModel_, &ModuleTreeModel::rowsInsertedByEdit, this,
            [this](const QModelIndex& parent, int first) {
                const QModelIndex added = treeModel_->index(first, 0, parent);
                treeView_->expand(parent);
                treeView_->setCurrentIndex(added);
                treeView_->scrollTo(added);
            });
    connect(listingPanel_, &ListingPanel::showBeforeToggled, this, [this](bool before) {
        for (ListingModel* m : listingModels_)
            m->setShowBefore(before);
    });
    connect(listingPanel_, &ListingPanel::currentListingChanged, this, [this](int tab) {
        // Hidden listings refresh when shown: an edit on a big model updates one table.
        for (int i = 0; i < static_cast<int>(listingModels_.size()); ++i)
            listingModels_[i]->setActive(i == tab);
    });
    for (int i = 1; i < static_cast<int>(listingModels_.size()); ++i)
        listingModels_[i]->setActive(false);
}

void MainWindow::onModelEdited()
{
    treeModel_->setForwardTrace({}, {});  // an edit makes the last forward trace stale
    updateSummary();
    details_->showEntry(treeView_->currentIndex());
    inspectCurrent();
    treeView_->resizeColumnToContents(ModuleTreeModel::Name);
    treeView_->resizeColumnToContents(ModuleTreeModel::Kind);  // a "shared with" badge is wide
    treeView_->resizeColumnToContents(ModuleTreeModel::Shape);
}

bool MainWindow::exportSessionTo(const QString& path, QString* error)
{
    const QByteArray script = document_->exportPython().toUtf8();
    if (!saveAtomically(
        path, [&](QIODevice& device) { return device.write(script) == script.size(); }, error))
        return false;
    document_->markSaved();
    return true;
}

}  // namespace mx
