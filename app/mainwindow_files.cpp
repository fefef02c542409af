// MainWindow's files half: File → Open…, Open Recent, drag and drop, Save, Save As…, the window
// title with its modified mark, and the progress dialog of a long open.
#include "app/document.h"
#include "app/language.h"
#include "app/loadreportdialog.h"
#include "app/mainwindow.h"

#include "items/moduletreemodel.h"
#include "core/examples.h"
#include "widgets/moduletreeview.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressDialog>
#include <QSettings>
#include <QStatusBar>

namespace mx {

namespace {

constexpr int kMaxRecentFiles = 8;
const char* const kRecentKey = "files/recent";

// Save As… offers one filter per format; the chosen filter picks the format, not the extension.
struct SaveFilter {
    SaveFormat format;
    const char* filter;
    const char* suffix;
};
const SaveFilter kSaveFilters[] = {
    {SaveFormat::TorchScript, QT_TRANSLATE_NOOP("mx::MainWindow", "TorchScript archive (*.pt *.pth)"), "pt"},
    {SaveFormat::StateDict, QT_TRANSLATE_NOOP("mx::MainWindow", "state_dict, torch.save (*.pt *.pth)"), "pth"},
    {SaveFormat::Safetensors, QT_TRANSLATE_NOOP("mx::MainWindow", "safetensors (*.safetensors)"), "safetensors"},
};

// What an opened file saves back as: its own format (a state_dict file stays a state_dict).
SaveFormat formatForSource(const ModelSource& source)
{
    if (source.kindName == "safetensors file")
        return SaveFormat::Safetensors;
    if (source.kindName == "torch.save file")
        return SaveFormat::StateDict;
    return SaveFormat::TorchScript;
}

}  // namespace

void MainWindow::buildFileMenu(QMenu* file)
{
    setAcceptDrops(true);
    QAction* open = file->addAction(tr("&Open…"), this, [this] { openFileWithDialog(); });
    open->setShortcut(QKeySequence::Open);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addSeparator();
    loadAction_ = file->addAction(tr("&Load state_dict into Model…"), this,
                                  [this] { loadStateDictWithDialog(); });
    file->addSeparator();
    saveAction_ = file->addAction(tr("&Save"), this, [this] { saveToCurrentFile(); });
    saveAction_->setShortcut(QKeySequence::Save);
    saveAsAction_ = file->addAction(tr("Save &As…"), this, [this] { saveAsWithDialog(); });
    saveAsAction_->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    buildScriptSupport();

    connect(document_, &Document::fileProgress, this, [this](double fraction) {
        if (openProgress_)
            openProgress_->setValue(static_cast<int>(fraction * 100));
    });
    connect(document_, &Document::fileOpened, this, [this](const QString& path) {
        closeOpenProgress();
        // Save never writes a model over the student's .py: it asks where (Save As).
        savePath_ = Document::isPythonScript(path) ? QString() : path;
        saveFormat_ = static_cast<int>(formatForSource(document_->source()));
        rememberRecentFile(path);
        updateTitle();
        treeView_->expandTopLevels();
        statusBar()->clearMessage();  // the summary says what the file held
        if (Document::isPythonScript(path))
            showForwardAvailability();
    });
    connect(document_, &Document::fileOpenFailed, this, &MainWindow::onFileOpenFailed);
    connect(document_, &Document::saveFinished, this, &MainWindow::onSaveFinished);
    connect(document_, &Document::loadFinished, this, &MainWindow::onLoadFinished);
    connect(document_, &Document::modelEdited, this, &MainWindow::updateTitle);
    connect(document_, &Document::historyChanged, this, &MainWindow::updateTitle);
    connect(document_, &Document::modelReplaced, this, [this] {
        if (document_->source().path.empty())
            savePath_.clear();  // an example: Save asks where
        exportAction_->setEnabled(document_->origin() != Document::Origin::File);
        onBusyChanged(document_->isBusy());
        loadAction_->setEnabled(!document_->source().fromStateDict);
    });
}

void MainWindow::updateTitle()
{
    const ModelSource& source = document_->source();
    QString name;
    if (document_->origin() == Document::Origin::Script) {
        name = tr("%1 (%2)").arg(QFileInfo(QString::fromStdString(source.path)).fileName(),
                                 document_->modelClassName());
    } else if (document_->origin() == Document::Origin::Console) {
        name = tr("%1 (from the console)").arg(document_->modelClassName());
    } else if (!source.path.empty()) {
        name = QFileInfo(QString::fromStdString(source.path)).fileName();
    } else if (const ExampleInfo* info = findExample(document_->exampleName().toStdString())) {
        name = exampleText(info->title);
    }
    setWindowTitle(name.isEmpty() ? QStringLiteral("Module Explorer")
                                  : name + QStringLiteral("[*] — Module Explorer"));
    setWindowModified(document_->isModified());
}

void MainWindow::reportError(const QString& title, const QString& message)
{
    if (errorReporter_) {
        errorReporter_(title, message);
        return;
    }
    QMessageBox::critical(this, title, message);
}

void MainWindow::openFileWithDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open a model"), QString(),
        tr("PyTorch files (*.pt *.pth *.bin *.ckpt *.safetensors *.json);;Python scripts (*.py);;"
           "All files (*)"));
    if (!path.isEmpty())
        openFileAsked(path);
}

void MainWindow::openFileAsked(const QString& path)
{
    if (!settleUnsavedEdits())
        return;
    closeOpenProgress();
    if (Document::isPythonScript(path)) {
        openScriptAsked(path);
        return;
    }
    statusBar()->showMessage(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    openProgress_ = new QProgressDialog(tr("Opening %1…").arg(QFileInfo(path).fileName()),
                                        tr("Cancel"), 0, 100, this);
    openProgress_->setWindowModality(Qt::WindowModal);
    openProgress_->setMinimumDuration(400);  // quick opens never flash a dialog
    connect(openProgress_, &QProgressDialog::canceled, document_, &Document::cancelOpen);
    document_->requestFile(path);
}

void MainWindow::closeOpenProgress()
{
    // Later, not now: a modal dialog's setValue() processes events, and the open may end (and
    // get here) inside it.
    if (QProgressDialog* dialog = std::exchange(openProgress_, nullptr)) {
        dialog->hide();
        dialog->deleteLater();
    }
}

void MainWindow::onFileOpenFailed(const QString& path, const QString& error, bool cancelled)
{
    closeOpenProgress();
    statusBar()->clearMessage();
    if (cancelled) {
        statusBar()->showMessage(tr("Opening %1 was cancelled").arg(QFileInfo(path).fileName()), 5000);
        return;
    }
    if (Document::isPythonScript(path)) {
        reportError(tr("Open"), tr("%1 opened no model: %2\nThe open model stays; the console "
                                   "shows what the script printed.")
                                    .arg(QFileInfo(path).fileName(), error));
        return;
    }
    reportError(tr("Open"), error);
}

QStringList MainWindow::recentFiles() const
{
    return QSettings().value(QLatin1String(kRecentKey)).toStringList();
}

void MainWindow::rememberRecentFile(const QString& path)
{
    QStringList files = recentFiles();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    QSettings().setValue(QLatin1String(kRecentKey), files);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    recentMenu_->clear();
    const QStringList files = recentFiles();
    for (int i = 0; i < files.size(); ++i) {
        const QString path = files[i];
        QAction* a = recentMenu_->addAction(
            QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()), this,
            [this, path] { openFileAsked(path); });
        a->setToolTip(path);
        a->setStatusTip(path);
    }
    recentMenu_->setEnabled(!files.isEmpty());
    if (!files.isEmpty()) {
        recentMenu_->addSeparator();
        recentMenu_->addAction(tr("&Clear Menu"), this, [this] {
            QSettings().remove(QLatin1String(kRecentKey));
            rebuildRecentMenu();
        });
    }
}

bool MainWindow::saveToCurrentFile()
{
    if (savePath_.isEmpty())
        return saveAsWithDialog();
    if (!document_->requestSave(savePath_, static_cast<SaveFormat>(saveFormat_))) {
        reportError(tr("Save"), document_->busyReason());
        return false;
    }
    statusBar()->showMessage(tr("Saving %1…").arg(QFileInfo(savePath_).fileName()));
    return true;
}

bool MainWindow::saveAsWithDialog()
{
    QStringList filters;
    for (const SaveFilter& f : kSaveFilters)
        filters << tr(f.filter);
    QString selected = filters[saveFormat_];
    const QString start = savePath_.isEmpty() ? QStringLiteral("model.pt") : savePath_;
    QString path = QFileDialog::getSaveFileName(this, tr("Save the model"), start,
                                                filters.join(QStringLiteral(";;")), &selected);
    if (path.isEmpty())
        return false;
    const int index = std::max<int>(0, static_cast<int>(filters.indexOf(selected)));
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1Char('.') + QLatin1String(kSaveFilters[index].suffix);
    savePath_ = path;
    saveFormat_ = static_cast<int>(kSaveFilters[index].format);
    return saveToCurrentFile();
}

void MainWindow::loadStateDictWithDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Load a state_dict into the model"), QString(),
        tr("PyTorch files (*.pt *.pth *.bin *.ckpt *.safetensors *.json);;All files (*)"));
    if (path.isEmpty())
        return;
    if (!document_->requestLoadStateDict(path, /*strict=*/true))
        reportError(tr("Load state_dict"), document_->busyReason());
    else
        statusBar()->showMessage(tr("Loading %1…").arg(QFileInfo(path).fileName()));
}

void MainWindow::onLoadFinished(const QString& path, const LoadOutcome& outcome)
{
    statusBar()->clearMessage();
    QHash<QString, QString> status;
    for (const QString& k : outcome.loaded)
        status.insert(k, QStringLiteral("loaded"));
    for (const QString& k : outcome.missing)
        status.insert(k, QStringLiteral("missing"));
    for (const QString& k : outcome.mismatched)
        status.insert(k, QStringLiteral("mismatched"));
    treeModel_->setLoadHighlights(status);
    bool retry = false;
    if (loadReporter_) {
        retry = loadReporter_(path, outcome);
    } else {
        LoadReportDialog dialog(path, outcome, this);
        dialog.exec();
        retry = dialog.retryNonStrict();
    }
    if (retry)
        document_->requestLoadStateDict(path, /*strict=*/false);
}

void MainWindow::onSaveFinished(const QString& path, const QString& error)
{
    if (!error.isEmpty()) {
        statusBar()->clearMessage();
        reportError(tr("Save"), tr("The model was not saved: %1\nAn existing file was left as it was.")
                                    .arg(error));
        return;
    }
    rememberRecentFile(path);
    updateTitle();
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 5000);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.front().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() != 1 || !urls.front().isLocalFile())
        return;
    event->acceptProposedAction();
    openFileAsked(urls.front().toLocalFile());
}

}  // namespace mx
