// The window's files: open off the GUI thread (tree, listings and title follow), a bad file
// reported with the model kept, Save As round trip with the modified mark, Open Recent.
#include "app/document.h"
#include "app/mainwindow.h"
#include "items/moduletreemodel.h"
#include "widgets/listingpanel.h"

#include <QFile>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace mx;

namespace {

QString model(const QString& name)
{
    return QStringLiteral(MX_FIXTURES_DIR "/files/models/") + name;
}

}  // namespace

class MainWindowFilesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("Module Explorer Tests"));
        QSettings().clear();
        QVERIFY(document.openExample(QStringLiteral("buffer-demo")));
        window = std::make_unique<MainWindow>(&document);
        window->setErrorReporter([this](const QString&, const QString& message) { errors << message; });
        window->setUnsavedPrompt([] { return int(QMessageBox::Discard); });
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    }

    void openingAFileShowsItsTreeAndTitle()
    {
        QSignalSpy opened(&document, &Document::fileOpened);
        window->openFileAsked(model(QStringLiteral("squeezenet.script.pt")));
        QVERIFY(opened.wait(60000));
        QCOMPARE(window->listingPanel()->view(0)->model()->rowCount(), 52);
        const QModelIndex root = window->treeModel()->index(0, 0);
        QCOMPARE(window->treeModel()->index(0, ModuleTreeModel::Kind).data().toString(),
                 QStringLiteral("SqueezeNet"));
        QVERIFY(window->treeModel()->index(0, 0, root).isValid());
        QVERIFY(window->windowTitle().startsWith(QStringLiteral("squeezenet.script.pt")));
        QCOMPARE(window->recentFiles().value(0), model(QStringLiteral("squeezenet.script.pt")));
    }

    void aBadFileIsReportedAndTheModelStays()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("notes.pt"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a model\n");
        f.close();
        errors.clear();
        QSignalSpy failed(&document, &Document::fileOpenFailed);
        window->openFileAsked(path);
        QVERIFY(failed.wait(30000));
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.front().contains(QStringLiteral("it starts with text")), qPrintable(errors.front()));
        QCOMPARE(window->listingPanel()->view(0)->model()->rowCount(), 52);  // squeezenet still open
    }

    void aStateDictFileIsMarkedAsSuch()
    {
        QSignalSpy opened(&document, &Document::fileOpened);
        window->openFileAsked(model(QStringLiteral("containers.state_dict.pt")));
        QVERIFY(opened.wait(60000));
        QVERIFY(document.source().fromStateDict);
        const QModelIndex root = window->treeModel()->index(0, 0);
        QCOMPARE(window->treeModel()->index(0, ModuleTreeModel::Summary).data().toString(),
                 QStringLiteral("from a state_dict: no module types"));
        // The first module row's first entry says what it is.
        QModelIndex group = window->treeModel()->index(0, 0, root);
        while (window->treeModel()->rowCount(group) > 0)
            group = window->treeModel()->index(0, 0, group);
        QCOMPARE(window->treeModel()->index(group.row(), ModuleTreeModel::Kind, group.parent()).data().toString(),
                 QStringLiteral("state_dict entry"));
    }

    void saveRoundTripsAndClearsTheModifiedMark()
    {
        QVERIFY(document.openExample(QStringLiteral("buffer-demo")));
        QVERIFY(document.runStatementNow(QStringLiteral("model.register_buffer('b', torch.zeros(2))")).ok);
        QVERIFY(document.isModified());
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("saved.pt"));
        QSignalSpy saved(&document, &Document::saveFinished);
        QVERIFY(document.requestSave(path, SaveFormat::TorchScript));
        QVERIFY(saved.wait(60000));
        QCOMPARE(saved.front().at(1).toString(), QString());
        QVERIFY(!document.isModified());
        QSignalSpy opened(&document, &Document::fileOpened);
        window->openFileAsked(path);
        QVERIFY(opened.wait(60000));
        QCOMPARE(window->listingPanel()->view(0)->model()->rowCount(), 4);  // conv1 x2, 2 buffers
    }

    void loadStateDictReportsAndHighlightsAndUndoes()
    {
        QVERIFY(document.openExample(QStringLiteral("batchnorm-demo")));
        QList<LoadOutcome> reports;
        window->setLoadReporter([&reports](const QString&, const LoadOutcome& o) {
            reports << o;
            return o.strict && !o.error.isEmpty();  // retry a failed strict load non-strictly
        });
        QSignalSpy finished(&document, &Document::loadFinished);
        const QString file = QStringLiteral(MX_FIXTURES_DIR "/files/load/batchnorm_metadata_missing_batches.pt");
        QVERIFY(document.requestLoadStateDict(file, true));
        QTRY_COMPARE_WITH_TIMEOUT(reports.size(), 2, 30000);
        QVERIFY(reports[0].error.startsWith(QStringLiteral("RuntimeError: Error(s) in loading state_dict for BatchNormDemo:")));
        QCOMPARE(reports[0].missing, QStringList{QStringLiteral("features.1.num_batches_tracked")});
        QCOMPARE(reports[1].result, QStringLiteral("_IncompatibleKeys(missing_keys=['features.1.num_batches_tracked'], unexpected_keys=[])"));
        QCOMPARE(reports[1].loaded.size(), 8);
        QVERIFY(document.isModified());
        QCOMPARE(document.undoStack()->count(), 1);
        // The tree tints what was loaded and what was missing.
        ModuleTreeModel* tree = window->treeModel();
        const QModelIndex root = tree->index(0, 0);
        QModelIndex features;
        for (int r = 0; r < tree->rowCount(root); ++r)
            if (tree->index(r, 0, root).data().toString() == QLatin1String("features"))
                features = tree->index(r, 0, root);
        QVERIFY(features.isValid());
        QModelIndex bn;
        for (int r = 0; r < tree->rowCount(features); ++r)
            if (tree->index(r, 0, features).data().toString() == QLatin1String("1"))
                bn = tree->index(r, 0, features);
        QVERIFY(bn.isValid());
        bool sawMissing = false, sawLoaded = false;
        for (int r = 0; r < tree->rowCount(bn); ++r) {
            const QString tip = tree->index(r, 0, bn).data(Qt::ToolTipRole).toString();
            sawMissing = sawMissing || tip == QLatin1String("load_state_dict: missing");
            sawLoaded = sawLoaded || tip == QLatin1String("load_state_dict: loaded");
        }
        QVERIFY(sawMissing && sawLoaded);
        document.undo();
        QVERIFY(!document.isModified());
    }

private:
    Document document;
    std::unique_ptr<MainWindow> window;
    QStringList errors;
};

QTEST_MAIN(MainWindowFilesTest)
#include "tst_mainwindowfiles.moc"
