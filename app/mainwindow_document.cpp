// MainWindow's document half: what the window does while a job runs, and the lifetime of the open
// model (unsaved edits asked about before it is replaced or the window closes).
#include "app/document.h"
#include "app/editactions.h"
#include "app/mainwindow.h"
#include "items/listingmodel.h"
#include "items/moduletreemodel.h"
#include "widgets/consolewidget.h"
#include "widgets/entrydetails.h"
#include "widgets/moduletreeview.h"

#include <QApplication>
#include <QCloseEvent>
#include <QFileInfo>
#include <QFileDialog>
#include <QLabel>
#include <QMessageBox>
#include <QStatusBar>
#include <QUndoView>

namespace mx {

void MainWindow::onBusyChanged(bool busy)
{
    // While a job runs the model is neither edited nor read here: the views show what they
    // copied, and what would edit the model waits.
    treeModel_->setReadsAllowed(!busy);
    for (ListingModel* m : listingModels_)
        m->setReadsAllowed(!busy);
    if (editActions_)  // a state_dict file has no module to edit (statements are refused)
        editActions_->setEnabled(!busy && !document_->source().fromStateDict);
    if (historyView_)
        historyView_->setEnabled(!busy);
    inspectCurrent();  // cleared while busy, read again after
    if (busy)
        statusBar()->showMessage(document_->busyReason().section(QLatin1String(": "), 1));
    else
        statusBar()->clearMessage();
}

bool MainWindow::exportSessionWithDialog()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export session as Python"), QStringLiteral("session.py"), tr("Python script (*.py)"));
    if (path.isEmpty())
        return false;
    QString error;
    if (!exportSessionTo(path, &error)) {
        QMessageBox::critical(this, tr("Export Session as Python"),
                              tr("The session was not exported: %1.\nAn existing file was left as "
                                 "it was.").arg(error));
        return false;
    }
    return true;
}

bool MainWindow::settleUnsavedEdits()
{
    if (!document_->isModified())
        return true;
    int answer;
    if (unsavedPrompt_) {
        answer = unsavedPrompt_();
    } else {
        QMessageBox box(QMessageBox::Warning, tr("Unsaved edits"),
                        tr("The model has edits that are not saved."),
                        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
        box.setInformativeText(
            savePath_.isEmpty()
                ? tr("Save them as a Python script (File → Export Session as Python) before the "
                     "model is replaced?")
                : tr("Save them to %1 before the model is replaced?").arg(QFileInfo(savePath_).fileName()));
        box.setDefaultButton(QMessageBox::Save);
        answer = box.exec();
    }
    if (answer == QMessageBox::Save && !savePath_.isEmpty()) {
        // Saved here and now: the model is about to be replaced or the window closed.
        QApplication::setOverrideCursor(Qt::WaitCursor);
        QString error;
        const bool saved = document_->saveNow(savePath_, static_cast<SaveFormat>(saveFormat_), &error);
        QApplication::restoreOverrideCursor();
        if (!saved)
            reportError(tr("Save"), tr("The model was not saved: %1\nAn existing file was left as "
                                       "it was.").arg(error));
        return saved;
    }
    if (answer == QMessageBox::Save)
        return exportSessionWithDialog();
    return answer == QMessageBox::Discard;
}

void MainWindow::openExampleAsked(const QString& name)
{
    if (!settleUnsavedEdits()) {
        // Cancelled: the Examples menu goes back to the open model.
        for (QAction* a : findChildren<QAction*>())
            if (a->objectName() == document_->exampleName())
                a->setChecked(true);
        return;
    }
    statusBar()->showMessage(tr("Building %1…").arg(name));
    document_->requestExample(name);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (settleUnsavedEdits()) {
        saveWindowSettings();
        event->accept();
    }
    else
        event->ignore();
}

}  // namespace mx
