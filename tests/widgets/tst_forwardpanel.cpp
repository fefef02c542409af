// The Forward dock in the main window: runs, the shape trace in the tree, errors, None, CUDA state.
#include "app/document.h"
#include "app/mainwindow.h"
#include "items/forwardrunner.h"
#include "items/moduletreemodel.h"
#include "widgets/forwardpanel.h"
#include "widgets/latencychart.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QStandardItemModel>
#include <QtTest>

using namespace mx;

/** Drives the Forward panel as a user would: type a shape, press Run, read the tree. */
class ForwardPanelTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        window = std::make_unique<MainWindow>(&document);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    }
    void cleanup()
    {
        saveScreenshot(QTest::currentTestFunction());
        window.reset();
    }

    void run_modelA_showsEachSubmodulesOutputInTheTree()
    {
        QVERIFY(document.openExample(QStringLiteral("state-dict-demo")));
        QCOMPARE(field<QLineEdit>("inputShape")->text(), QStringLiteral("64x1x28x28"));
        field<QLineEdit>("inputShape")->setText(QStringLiteral("2x1x28x28"));
        runAndWait();
        QVERIFY(field<QLabel>("forwardOutput")->text().contains(QStringLiteral("torch.Size([2, 10])")));
        ModuleTreeModel* tree = window->treeModel();
        const QModelIndex model = tree->index(0, 0);
        QCOMPARE(tree->index(4, ModuleTreeModel::Shape, model).data().toString(),
                 QStringLiteral("→ torch.Size([2, 128, 14, 14])"));  // conv1
        QCOMPARE(tree->index(5, ModuleTreeModel::Shape, model).data().toString(),
                 QStringLiteral("→ torch.Size([2, 10])"));  // dense
        QCOMPARE(tree->index(6, ModuleTreeModel::Shape, model).data().toString(),
                 QStringLiteral("not called"));  // layer4cxq1
        QCOMPARE(tree->index(0, ModuleTreeModel::Shape).data().toString(),
                 QStringLiteral("→ torch.Size([2, 10])"));  // the model itself
    }

    void run_shapeMismatch_showsPyTorchsErrorAndKeepsModel()
    {
        QVERIFY(document.openExample(QStringLiteral("state-dict-demo")));
        field<QLineEdit>("inputShape")->setText(QStringLiteral("1x1x32x32"));
        runAndWait();
        QCOMPARE(field<QLabel>("forwardError")->text(),
                 QStringLiteral("RuntimeError: shape '[-1, 25088]' is invalid for input of size 32768"));
        QCOMPARE(window->treeModel()->rowCount(window->treeModel()->index(0, 0)), 11);
    }

    void run_modelB_saysForwardReturnedNone()
    {
        QVERIFY(document.openExample(QStringLiteral("buffer-demo")));
        field<QLineEdit>("inputShape")->setText(QStringLiteral("2x1x28x28"));
        runAndWait();
        QVERIFY(field<QLabel>("forwardOutput")->text().contains(QStringLiteral("returned None")));
    }

    void run_batchNormInTrainMode_updatesRunningStatsShownInTree()
    {
        QVERIFY(document.openExample(QStringLiteral("batchnorm-demo")));
        ModuleTreeModel* tree = window->treeModel();
        const QModelIndex bn = tree->index(1, 0, tree->index(0, 0, tree->index(0, 0)));  // features.1
        const QModelIndex count = tree->index(4, 0, bn);
        QCOMPARE(count.data(ModuleTreeModel::PathRole).toString(),
                 QStringLiteral("features.1.num_batches_tracked"));
        QVERIFY(count.data(ModuleTreeModel::ValuePreviewRole).toString().startsWith(QStringLiteral("sum 0 ")));
        runAndWait();  // eval: unchanged
        QVERIFY(count.data(ModuleTreeModel::ValuePreviewRole).toString().startsWith(QStringLiteral("sum 0 ")));
        field<QComboBox>("mode")->setCurrentText(QStringLiteral("train"));
        field<QSpinBox>("repeatsSpin")->setValue(1);
        runAndWait();  // one traced + one warm-up + one timed forward
        QVERIFY2(count.data(ModuleTreeModel::ValuePreviewRole).toString().startsWith(QStringLiteral("sum 3 ")),
                 qPrintable(count.data(ModuleTreeModel::ValuePreviewRole).toString()));
    }

    void latencySweep_plotsEveryBatchAndExportsPngSvgPdf()
    {
        QVERIFY(document.openExample(QStringLiteral("batchnorm-demo")));
        QSignalSpy done(document.forwardRunner(), &ForwardRunner::sweepFinished);
        window->forwardPanel()->findChild<QPushButton*>(QStringLiteral("latencySweep"))->click();
        QVERIFY(done.wait(120000));
        LatencyChart* chart = window->forwardPanel()->chart();
        QCOMPARE(chart->pointCount(QStringLiteral("cpu")), int(ForwardPanel::sweepBatches().size()));
        QTemporaryDir dir;
        for (const char* suffix : {"png", "svg", "pdf"}) {
            const QString path = dir.filePath(QStringLiteral("latency.") + QLatin1String(suffix));
            QVERIFY2(chart->exportTo(path), suffix);
            QVERIFY(QFileInfo(path).size() > 500);
        }
        QVERIFY(!chart->exportTo(dir.filePath(QStringLiteral("latency.bmpx"))));
        const QByteArray shots = qgetenv("MX_SCREENSHOT_DIR");
        if (!shots.isEmpty())
            chart->exportTo(QString::fromLocal8Bit(shots) + QStringLiteral("/latency.png"));
    }

    void invalidShape_disablesRun()
    {
        field<QLineEdit>("inputShape")->setText(QStringLiteral("64x0x28"));
        QVERIFY(!field<QPushButton>("runForward")->isEnabled());
        field<QLineEdit>("inputShape")->setText(QStringLiteral("64x1x28x28"));
        QVERIFY(field<QPushButton>("runForward")->isEnabled());
    }

    void cudaChoice_reflectsAvailability()
    {
        auto* device = field<QComboBox>("device");
        auto* items = qobject_cast<QStandardItemModel*>(device->model());
        QCOMPARE(items->item(1)->text(), QStringLiteral("cuda"));
        QCOMPARE(items->item(1)->isEnabled(), ForwardRunner::cudaAvailable());
        if (!ForwardRunner::cudaAvailable())
            QVERIFY(items->item(1)->toolTip().contains(QStringLiteral("CUDA is unavailable")));
    }

private:
    template <typename W>
    W* field(const char* name)
    {
        W* w = window->forwardPanel()->findChild<W*>(QString::fromLatin1(name));
        if (!w)
            qFatal("no widget %s", name);
        return w;
    }

    void runAndWait()
    {
        QSignalSpy finished(document.forwardRunner(), &ForwardRunner::finished);
        auto* run = field<QPushButton>("runForward");
        QVERIFY(run->isEnabled());
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(field<QPushButton>("cancelForward")->isEnabled());
        QVERIFY(finished.wait(120000));
        QVERIFY(run->isEnabled());
    }

    void saveScreenshot(const char* name)
    {
        const QByteArray dir = qgetenv("MX_SCREENSHOT_DIR");
        if (!dir.isEmpty() && window)
            window->grab().save(QString::fromLocal8Bit(dir) + QLatin1Char('/') +
                                QString::fromLatin1(name) + QStringLiteral(".png"));
    }

    Document document;
    std::unique_ptr<MainWindow> window;
};

QTEST_MAIN(ForwardPanelTest)
#include "tst_forwardpanel.moc"
