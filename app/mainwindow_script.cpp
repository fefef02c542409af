// MainWindow's .py half: running a script opened from File → Open (the console shows it running
// and what it printed), choosing among the models it made, and the Forward dock's note when the
// model's forward did not compile.
#include "app/document.h"
#include "app/mainwindow.h"

#include "widgets/forwardpanel.h"

#include <QFileInfo>
#include <QInputDialog>
#include <QPointer>
#include <QStatusBar>

namespace mx {

void MainWindow::buildScriptSupport()
{
    document_->setModelChooser([this](const QStringList& variables, const QStringList& classes,
                                      int defaultIndex) {
        QStringList labels;
        for (int i = 0; i < variables.size(); ++i)
            labels << tr("%1 (%2)").arg(variables[i], classes.value(i));
        bool ok = false;
        const QString chosen = QInputDialog::getItem(
            this, tr("Open a model"),
            tr("The script made several models. Which one should open?"), labels, defaultIndex,
            /*editable=*/false, &ok);
        return ok ? static_cast<int>(labels.indexOf(chosen)) : -1;
    });
    connect(document_, &Document::scriptStarted, this, [this](const QString& path) {
        statusBar()->showMessage(tr("Running %1… (Stop or Esc in the console interrupts it)")
                                     .arg(QFileInfo(path).fileName()));
    });
    connect(document_, &Document::scriptFinished, this, [this] { statusBar()->clearMessage(); });
}

void MainWindow::openScriptAsked(const QString& path)
{
    // No modal progress dialog: it would block the console's Stop button while the script runs.
    document_->requestFile(path);
}

void MainWindow::showForwardAvailability()
{
    document_->checkForwardInBackground([window = QPointer<MainWindow>(this)](const QString& reason) {
        if (window && !reason.isEmpty())
            window->forwardPanel_->showForwardUnavailable(reason);
    });
}

}  // namespace mx
