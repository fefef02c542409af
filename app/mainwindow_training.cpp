// MainWindow's Train dock: optimizer steps on the forward runner's thread; afterwards the tree
// and the listings mark what each tensor did, and gradients / optimizer state go to the Inspector.

#include "app/mainwindow.h"

#include "app/document.h"
#include "items/forwardrunner.h"
#include "items/listingmodel.h"
#include "items/moduletreemodel.h"
#include "widgets/entrydetails.h"
#include "widgets/forwardpanel.h"
#include "widgets/moduletreeview.h"
#include "widgets/trainpanel.h"

#include <QDockWidget>

namespace mx {

void MainWindow::buildTrainDock()
{
    trainPanel_ = new TrainPanel;
    QDockWidget* dock = addBottomDock(tr("Train"), QStringLiteral("trainDock"), trainPanel_);
    if (auto* console = findChild<QDockWidget*>(QStringLiteral("consoleDock"))) {
        tabifyDockWidget(console, dock);
        console->raise();  // the console stays in front; Train is one tab away
    }

    trainPanel_->setCudaAvailability(ForwardRunner::cudaAvailable(), ForwardRunner::cudaUnavailableReason());
    ForwardRunner* runner = document_->forwardRunner();
    connect(trainPanel_, &TrainPanel::runRequested, this, [this](const TrainRequest& r) {
        clearTrainingMarks();
        training_ = document_->startTraining(r);
        trainPanel_->setRunning(training_);
    });
    connect(trainPanel_, &TrainPanel::cancelRequested, runner, &ForwardRunner::cancel);
    connect(runner, &ForwardRunner::progress, this, [this](int done, int total) {
        if (training_)
            trainPanel_->setProgress(done, total);
    });
    connect(runner, &ForwardRunner::trainingFinished, this, &MainWindow::showTrainReport);
    connect(trainPanel_, &TrainPanel::inspectRequested, this,
            [this](const QString& name, const TensorRef& tensor) {
                // While a job owns the model the Inspector waits and shows it when the job ends.
                consoleResult_ = tensor;  // shown until the tree's current entry changes
                consoleResultName_ = name;
                inspectCurrent();
            });
    // Marks describe one run on this model: any edit or another model makes them stale.
    connect(document_, &Document::modelEdited, this, &MainWindow::clearTrainingMarks);
    connect(document_, &Document::modelReplaced, this, &MainWindow::clearTrainingMarks);
    connect(document_, &Document::statementFinished, this,
            [this](const QString&, const StatementOutcome& outcome) {
                if (outcome.tensorsChanged)  // opt.step() in the console moved values again
                    clearTrainingMarks();
            });
}

void MainWindow::showTrainReport(const TrainReport& report)
{
    training_ = false;
    trainPanel_->showReport(report);
    const QHash<QString, TrainingMark> marks = trainingMarks(report);
    treeModel_->setTrainingMarks(marks);
    for (ListingModel* m : listingModels_)
        m->setTrainingMarks(marks);
    details_->showEntry(treeView_->currentIndex());
    inspectCurrent();  // the values shown moved
}

void MainWindow::clearTrainingMarks()
{
    treeModel_->setTrainingMarks({});
    for (ListingModel* m : listingModels_)
        m->setTrainingMarks({});
}

}  // namespace mx
