#include "app/mainwindow.h"

#include "app/document.h"
#include "app/editactions.h"
#include "app/language.h"
#include "app/preferences.h"
#include "core/examples.h"
#include "core/modeldocument.h"
#include "items/entrytext.h"
#include "items/forwardrunner.h"
#include "items/listingmodel.h"
#include "items/moduletreemodel.h"
#include "widgets/entrydetails.h"
#include "widgets/elidinglabel.h"
#include "widgets/forwardpanel.h"
#include "widgets/latencychart.h"
#include "widgets/listingpanel.h"
#include "widgets/moduletreeview.h"
#include "widgets/trainpanel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QUndoStack>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

// Q_INIT_RESOURCE must run outside any namespace; the .qrc lives in this static library.
static void initResources() { Q_INIT_RESOURCE(resources); }

namespace mx {

MainWindow::MainWindow(Document* document, QWidget* parent)
    : QMainWindow(parent),
      document_(document),
      treeModel_(new ModuleTreeModel(this)),
      treeView_(new ModuleTreeView),
      listingPanel_(new ListingPanel),
      details_(new EntryDetails),
      forwardPanel_(new ForwardPanel),
      summary_(new ElidedLineLabel)
{
    initResources();
    setWindowIcon(QIcon(QStringLiteral(":/icons/module-explorer.svg")));
    treeView_->setModel(treeModel_);
    for (Listing l : {Listing::StateDict, Listing::NamedParameters, Listing::NamedBuffers,
                      Listing::Parameters, Listing::Buffers, Listing::NamedModules}) {
        auto* model = new ListingModel(l, this);
        listingModels_.push_back(model);
        listingPanel_->addListing(QString::fromLatin1(listingName(l)) + QStringLiteral("()"), model);
    }

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(treeView_, 1);
    leftLayout->addWidget(details_);
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(left);
    splitter->addWidget(listingPanel_);
    // The listing gets nearly half: its key, shape, kind and dtype columns fit at 1280×720.
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({820, 680});
    setCentralWidget(splitter);
    statusBar()->addWidget(summary_, 1);

    connect(treeView_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { onTreeCurrentChanged(current); });
    connect(listingPanel_, &ListingPanel::rowSelected, this, &MainWindow::onListingRowSelected);
    connect(document_, &Document::modelReplaced, this, &MainWindow::showModel);
    connect(document_, &Document::busyChanged, this, &MainWindow::onBusyChanged);
    treeModel_->setDocument(document_->model());
    for (ListingModel* m : listingModels_)
        m->setDocument(document_->model());

    buildForwardDock();
    buildEditing();
    buildTrainDock();  // a tab beside Console, Forward and History
    buildGraphDock();  // a tab beside them too (mainwindow_graph.cpp)
    buildMenus();
    resize(1500, 1000);
    restoreWindowSettings();
    showModel();
}

MainWindow::~MainWindow()
{
    treeModel_->setDocument(nullptr);
    for (ListingModel* m : listingModels_)
        m->setDocument(nullptr);
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    buildFileMenu(file);
    exportAction_ = file->addAction(tr("&Export Session as Python…"), this,
                                    [this] { exportSessionWithDialog(); });
    buildTutorialAction(file);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    // Undo/redo go through the document, which refuses them while a statement or forward runs.
    undoAction_ = edit->addAction(tr("&Undo"), document_, &Document::undo);
    undoAction_->setShortcut(QKeySequence::Undo);
    redoAction_ = edit->addAction(tr("&Redo"), document_, &Document::redo);
    redoAction_->setShortcuts({QKeySequence::Redo, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)});
    auto updateHistoryActions = [this] {
        const QUndoStack* stack = document_->undoStack();
        undoAction_->setEnabled(document_->canUndo());
        undoAction_->setText(stack->canUndo() ? tr("&Undo %1").arg(stack->undoText()) : tr("&Undo"));
        redoAction_->setEnabled(document_->canRedo());
        redoAction_->setText(stack->canRedo() ? tr("&Redo %1").arg(stack->redoText()) : tr("&Redo"));
    };
    connect(document_, &Document::historyChanged, this, updateHistoryActions);
    connect(document_, &Document::busyChanged, this, updateHistoryActions);
    updateHistoryActions();
    edit->addSeparator();
    editActions_->addTo(edit);
    edit->addSeparator();
    buildExportActions(file, edit);
    buildFilter(edit);
    edit->addSeparator();
    QAction* preferences = edit->addAction(tr("&Preferences…"), this, [this] { editPreferences(this); });
    preferences->setMenuRole(QAction::PreferencesRole);
    preferences->setShortcut(QKeySequence::Preferences);

    QMenu* examplesMenu = menuBar()->addMenu(tr("&Examples"));
    auto* group = new QActionGroup(this);
    for (const ExampleInfo& e : examples()) {
        QAction* a = examplesMenu->addAction(exampleText(e.title));
        a->setObjectName(QString::fromStdString(e.name));
        a->setToolTip(exampleText(e.description));
        a->setStatusTip(exampleText(e.description));
        a->setCheckable(true);
        a->setChecked(QString::fromStdString(e.name) == document_->exampleName());
        group->addAction(a);
        const QString name = QString::fromStdString(e.name);
        connect(a, &QAction::triggered, this, [this, name] {
            openExampleAsked(name);
        });
    }

    QMenu* view = menuBar()->addMenu(tr("&View"));
    buildViewMenu(view);
    view->addSeparator();
    view->addAction(tr("&Expand All"), treeView_, &QTreeView::expandAll);
    view->addAction(tr("&Collapse to Top Level"), treeView_, [this] {
        treeView_->collapseAll();
        treeView_->expandTopLevels();
    });

    view->addSeparator();
    for (const char* dock : {"consoleDock", "historyDock", "forwardDock", "graphDock", "trainDock", "inspectorDock"})
        view->addAction(findChild<QDockWidget*>(QString::fromLatin1(dock))->toggleViewAction());
    addResetLayoutAction(view);
    view->addSeparator();
    buildLanguageMenu(view);

    buildHelpMenu(menuBar()->addMenu(tr("&Help")));
}

QDockWidget* MainWindow::addBottomDock(const QString& title, const QString& objectName, QWidget* widget)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(widget);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                      QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    return dock;
}

void MainWindow::buildForwardDock()
{
    addBottomDock(tr("Forward"), QStringLiteral("forwardDock"), forwardPanel_);
    forwardPanel_->setCudaAvailability(ForwardRunner::cudaAvailable(),
                                       ForwardRunner::cudaUnavailableReason());

    ForwardRunner* runner = document_->forwardRunner();
    connect(forwardPanel_, &ForwardPanel::runRequested, this, [this](const ForwardRequest& r) {
        treeModel_->setForwardTrace({}, {});
        forwardPanel_->setRunning(document_->startForward(r));
    });
    connect(forwardPanel_, &ForwardPanel::sweepRequested, this,
            [this](const ForwardRequest& r, const QVector<int>& batches) {
                forwardPanel_->chart()->clearDevice(r.device);
                forwardPanel_->setRunning(document_->startSweep(r, batches));
            });
    connect(forwardPanel_, &ForwardPanel::cancelRequested, runner, &ForwardRunner::cancel);
    connect(runner, &ForwardRunner::progress, this, [this](int done, int total) {
        if (!training_)
            forwardPanel_->setProgress(done, total);
    });
    connect(runner, &ForwardRunner::finished, this, &MainWindow::showForwardReport);
    connect(runner, &ForwardRunner::sweepPoint, forwardPanel_, &ForwardPanel::addLatencyPoint);
    connect(runner, &ForwardRunner::sweepFinished, this, [this](bool cancelled, const QString& error) {
        forwardPanel_->setRunning(false);
        forwardPanel_->showSweepFinished(cancelled, error);
    });
}

void MainWindow::showForwardReport(const ForwardReport& report)
{
    forwardPanel_->setRunning(false);
    forwardPanel_->showReport(report);
    QHash<QString, QString> outputs;
    if (report.ok) {
        outputs.insert(QString(), report.outputShape);
        for (const ForwardTraceRow& row : report.trace)
            outputs.insert(row.module, row.shape);
    }
    const QStringList notCalled = report.ok ? report.notCalled : QStringList();
    // Values (BatchNorm's running stats in train mode) and devices may have changed.
    treeModel_->setForwardTrace(outputs, QSet<QString>(notCalled.begin(), notCalled.end()));
    treeView_->resizeColumnToContents(ModuleTreeModel::Shape);
    details_->showEntry(treeView_->currentIndex());
    inspectCurrent();  // train mode moves BatchNorm's running stats
}


void MainWindow::showModel()
{
    const ModuleNode* root = document_->root();
    updateTitle();
    for (QAction* a : findChildren<QAction*>())
        if (a->objectName() == document_->exampleName())
            a->setChecked(true);
    forwardPanel_->reset(document_->exampleName(), document_->defaultInputShape());
    trainPanel_->reset(document_->defaultInputShape());
    if (!root) {
        summary_->clear();
        return;
    }
    updateSummary();
    details_->showEntry({});
    inspected_ = QPersistentModelIndex();
    inspectedName_.clear();
    deletedNote_.clear();
    consoleResult_ = TensorRef();
    inspectCurrent();  // a new model: nothing of the old one stays shown
}

void MainWindow::updateSummary()
{
    if (!document_->root()) {
        summary_->clear();
        return;
    }
    const QModelIndex rootRow = treeModel_->index(0, ModuleTreeModel::Numel);
    const ModelSource& source = document_->source();
    if (!source.fromStateDict) {
        summary_->setText(tr("%1 keys in state_dict · %2 · %3 submodules")
                              .arg(listingModels_[0]->rowCount())
                              .arg(rootRow.data().toString())
                              .arg(listingModels_.back()->rowCount() - 1));
    } else {
        // What the file held besides the tree: a checkpoint's other entries, __metadata__, notes.
        QStringList parts{tr("%1 keys in the %2's state_dict")
                              .arg(listingModels_[0]->rowCount())
                              .arg(QString::fromStdString(source.kindName))};
        QStringList details;
        for (const auto& [key, what] : source.topLevel)
            details << QStringLiteral("%1: %2").arg(QString::fromStdString(key), QString::fromStdString(what));
        for (const auto& [key, value] : source.metadata)
            details << QStringLiteral("__metadata__ %1 = %2").arg(QString::fromStdString(key), QString::fromStdString(value));
        for (const std::string& note : source.notes)
            details << QString::fromStdString(note);
        if (!details.isEmpty())
            parts << details.join(QStringLiteral(" · "));
        summary_->setText(parts.join(QStringLiteral(" · ")));
        summary_->setToolTip(details.join(QLatin1Char('\n')));
    }
}

void MainWindow::onTreeCurrentChanged(const QModelIndex& current)
{
    if (editActions_)
        editActions_->setCurrent(current);
    details_->showEntry(current);
    consoleResult_ = TensorRef();  // the tree's entry again
    // After the change that moved the current row (a deletion) has been applied.
    QMetaObject::invokeMethod(this, [this] { inspectCurrent(); }, Qt::QueuedConnection);
    if (syncing_)
        return;
    syncing_ = true;
    const EntryLocation location = treeModel_->locationOf(current);
    for (int tab = 0; tab < static_cast<int>(listingModels_.size()); ++tab)
        listingPanel_->showRow(tab, listingModels_[tab]->rowOf(location));
    syncing_ = false;
}

void MainWindow::onListingRowSelected(int tab, int row)
{
    if (syncing_)
        return;
    syncing_ = true;
    const QModelIndex index = treeModel_->indexFor(listingModels_[tab]->locationOf(row));
    treeView_->setCurrentIndex(index);
    treeView_->scrollTo(index);
    details_->showEntry(index);
    syncing_ = false;
}

}  // namespace mx
