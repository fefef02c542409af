// MainWindow's File → Tutorial…: the tutorial's experiments one statement at a time, in a dock
// beside the tree so that the tree, the listings and the console stay in view while it plays.
#include "app/consolecontroller.h"
#include "app/document.h"
#include "app/mainwindow.h"
#include "app/tutorialplayer.h"
#include "app/tutorialsteps.h"
#include "items/moduletreemodel.h"
#include "widgets/listingpanel.h"
#include "widgets/moduletreeview.h"
#include "widgets/tutorialpanel.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QStatusBar>

namespace mx {

namespace {

/** The tree row whose dotted path is `path` ("" is the model's row), or an invalid index. */
QModelIndex rowForPath(const QAbstractItemModel* tree, const QString& path)
{
    QModelIndex at = tree->index(0, 0);
    while (at.isValid() && at.data(ModuleTreeModel::PathRole).toString() != path) {
        QModelIndex below;
        for (int r = 0; r < tree->rowCount(at) && !below.isValid(); ++r) {
            const QModelIndex child = tree->index(r, 0, at);
            const QString childPath = child.data(ModuleTreeModel::PathRole).toString();
            if (childPath == path || path.startsWith(childPath + QLatin1Char('.')))
                below = child;
        }
        at = below;
    }
    return at;
}

}  // namespace

void MainWindow::buildTutorialAction(QMenu* file)
{
    tutorialPanel_ = new TutorialPanel;
    tutorialPlayer_ = new TutorialPlayer(
        document_, [this](const QString& statement) { consoleController_->run(statement); }, this);
    tutorialPlayer_->setReplaceCheck([this] { return settleUnsavedEdits(); });
    tutorialPanel_->setSteps(tutorialPlayer_->count(), [](int step) {
        const TutorialStep& s = tutorialSteps()[size_t(step)];
        return TutorialPanel::StepText{s.heading(), s.statementText(), s.explanation()};
    });

    // A dock on the right rather than a dialog: nothing covers the tree, the listings or the
    // console, and a teacher can float it onto a second screen.
    tutorialDock_ = new QDockWidget(tr("Tutorial"), this);
    tutorialDock_->setObjectName(QStringLiteral("tutorialDock"));
    tutorialDock_->setWidget(tutorialPanel_);
    tutorialDock_->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                               QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::RightDockWidgetArea, tutorialDock_);
    // Full height on the right (the bottom docks end beside it): its explanation is never
    // squeezed under the console. By default only the tutorial docks there, so nothing else moves.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    tutorialDock_->hide();

    connect(tutorialPanel_, &TutorialPanel::nextRequested, tutorialPlayer_, &TutorialPlayer::next);
    connect(tutorialPanel_, &TutorialPanel::backRequested, tutorialPlayer_, &TutorialPlayer::back);
    connect(tutorialPanel_, &TutorialPanel::restartRequested, tutorialPlayer_, &TutorialPlayer::restart);
    connect(tutorialPlayer_, &TutorialPlayer::stepShown, this, &MainWindow::showTutorialStep);
    connect(tutorialPlayer_, &TutorialPlayer::stateChanged, this, &MainWindow::updateTutorialNavigation);
    connect(tutorialPlayer_, &TutorialPlayer::failed, this, [this](int step, const QString& error) {
        tutorialPanel_->setStatus(tr("Step %1 did not run: %2").arg(step + 1).arg(error), true);
    });

    QAction* action = file->addAction(tr("&Tutorial…"), this, &MainWindow::openTutorial);
    action->setObjectName(QStringLiteral("tutorialAction"));
    action->setStatusTip(tr("Play the tutorial's experiments one statement at a time"));
    updateTutorialNavigation();
}

void MainWindow::openTutorial()
{
    if (!tutorialDock_->isVisible()) {
        tutorialDock_->show();
        resizeDocks({tutorialDock_}, {width() / 4},
                    Qt::Horizontal);
    }
    tutorialDock_->raise();
    tutorialPanel_->setFocus();
    if (tutorialPlayer_->inSync() || tutorialPlayer_->isBusy())
        return;  // still where the tutorial left it (or on its way there)
    // Replacing a model with edits asks first (Save / Discard / Cancel), as the Examples menu does.
    if (!tutorialPlayer_->restart())
        tutorialPanel_->setStatus(document_->isBusy() ? document_->busyReason().section(QLatin1String(": "), 1)
                                                      : QString());
}

void MainWindow::showTutorialStep(int step)
{
    tutorialPanel_->setStatus(QString());
    tutorialPanel_->showStep(step);
    const TutorialStep& s = tutorialSteps()[size_t(step)];
    if (s.listing >= 0 && s.listing < listingPanel_->listingCount())
        listingPanel_->setCurrentListing(s.listing);
    if (s.focus) {  // select what the step is about: the listings follow the tree
        const QModelIndex row = rowForPath(treeModel_, QString::fromUtf8(s.focus));
        if (row.isValid()) {
            treeView_->expand(row.parent());
            treeView_->setCurrentIndex(row);
            treeView_->scrollTo(row);
        }
    }
}

void MainWindow::updateTutorialNavigation()
{
    const bool busy = tutorialPlayer_->isBusy();
    tutorialPanel_->setNavigation(tutorialPlayer_->canBack(), tutorialPlayer_->canNext(), !busy);
    if (busy && tutorialPlayer_->current() < 0 && tutorialPanel_->shownStep() < 0)
        tutorialPanel_->setStatus(tr("Opening the tutorial's model…"));
}

}  // namespace mx
