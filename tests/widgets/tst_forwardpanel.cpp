// The Forward dock in the main window: runs, the shape trace in the tree, errors, None, CUDA state.
#include "app/document.h"
#include "app/mainwindow.h"
#include "core/resourcebudget.h"
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
        QVERIFY(!field<QSpinBox>("repeatsSpin")->isEnabled());  // repeats are eval-only
        QVERIFY(!window->forwardPanel()->findChild<QPushButton*>(QStringLiteral("latencySweep"))->isEnabled());
        runAndWait();  // train mode: exactly one forward call, whatever Repeat says (10)
        QVERIFY2(count.data(ModuleTreeModel::ValuePreviewRole).toString().startsWith(QStringLiteral("sum 1 ")),
                 qPrintable(count.data(ModuleTreeModel::ValuePreviewRole).toString()));
        QVERIFY(field<QLabel>("forwardOutput")->text().contains(QStringLiteral("called <b>once</b>")));
        runAndWait();  // one more click, one more batch
        QVERIFY2(count.data(ModuleTreeModel::ValuePreviewRole).toString().startsWith(QStringLiteral("sum 2 ")),
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

    void latencySweep_chartIsTitledWithTheModelAndInput_andExportsCarryIt()
    {
        QVERIFY(document.openExample(QStringLiteral("batchnorm-demo")));
        QSignalSpy done(document.forwardRunner(), &ForwardRunner::sweepFinished);
        field<QPushButton>("latencySweep")->click();
        QVERIFY(done.wait(120000));
        LatencyChart* chart = window->forwardPanel()->chart();
        QCOMPARE(chart->title(), QStringLiteral("batchnorm-demo · input N×3×8×8 float32 · eval, no_grad"));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("latency.svg"));
        QVERIFY(chart->exportTo(path));
        QFile svg(path);
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(svg.readAll()).contains(QStringLiteral("batchnorm-demo")));

        // Another input on the same chart would mix two measurements: the chart starts over.
        // (Train mode offers no sweep: every call would move BatchNorm's running stats.)
        field<QComboBox>("mode")->setCurrentText(QStringLiteral("train"));
        QVERIFY(!field<QPushButton>("latencySweep")->isEnabled());
        field<QComboBox>("mode")->setCurrentText(QStringLiteral("eval"));
        field<QLineEdit>("inputShape")->setText(QStringLiteral("4x3x16x16"));
        field<QPushButton>("latencySweep")->click();
        QCOMPARE(chart->pointCount(QStringLiteral("cpu")), 0);
        QCOMPARE(chart->title(), QStringLiteral("batchnorm-demo · input N×3×16×16 float32 · eval, no_grad"));
        QVERIFY(done.wait(120000));
    }

    void reset_clearsResultErrorAndChart()
    {
        QVERIFY(document.openExample(QStringLiteral("batchnorm-demo")));
        QSignalSpy done(document.forwardRunner(), &ForwardRunner::sweepFinished);
        field<QPushButton>("latencySweep")->click();
        QVERIFY(done.wait(120000));
        field<QLineEdit>("inputShape")->setText(QStringLiteral("2x5x8x8"));  // a channel mismatch
        runAndWait();
        QVERIFY(!field<QLabel>("forwardError")->text().isEmpty());
        ForwardPanel* panel = window->forwardPanel();
        QVERIFY(panel->chart()->pointCount(QStringLiteral("cpu")) > 0);

        panel->reset(QStringLiteral("buffer-demo"), {64, 1, 28, 28});
        QCOMPARE(panel->chart()->pointCount(QStringLiteral("cpu")), 0);
        QCOMPARE(panel->chart()->title(), QString());
        QVERIFY(field<QLabel>("forwardError")->text().isEmpty());
        QVERIFY(field<QLabel>("forwardOutput")->text().startsWith(QStringLiteral("Run forward to see")));
        QCOMPARE(field<QLineEdit>("inputShape")->text(), QStringLiteral("64x1x28x28"));
        QVERIFY(field<QPushButton>("runForward")->isEnabled());
    }

    void switchingModelsDuringASweep_dropsTheOldModelsCurve()
    {
        QVERIFY(document.openExample(QStringLiteral("state-dict-demo")));
        ForwardRunner* runner = document.forwardRunner();
        QSignalSpy points(runner, &ForwardRunner::sweepPoint);
        QSignalSpy done(runner, &ForwardRunner::sweepFinished);
        field<QPushButton>("latencySweep")->click();
        QVERIFY(points.wait(120000));  // Model A's curve has begun
        LatencyChart* chart = window->forwardPanel()->chart();
        QVERIFY(chart->pointCount(QStringLiteral("cpu")) >= 1);

        QVERIFY(document.openExample(QStringLiteral("buffer-demo")));
        QCOMPARE(chart->pointCount(QStringLiteral("cpu")), 0);
        QCOMPARE(chart->title(), QString());
        const int seen = points.count();
        QTest::qWait(1000);  // late results of the old job would land now
        QCOMPARE(points.count(), seen);
        QCOMPARE(done.count(), 0);
        QCOMPARE(chart->pointCount(QStringLiteral("cpu")), 0);
        QVERIFY(field<QPushButton>("runForward")->isEnabled());  // not stuck "running"
        QVERIFY(!field<QPushButton>("cancelForward")->isEnabled());
    }

    void shapeAndBatchBox_refuseWhatPassesTheMemoryBudget()
    {
        struct BudgetScope {
            BudgetScope() { setMemoryBudgetBytes(256 * 1024 * 1024); }
            ~BudgetScope() { setMemoryBudgetBytes(0); }
        } budget;
        QVERIFY(document.openExample(QStringLiteral("state-dict-demo")));
        auto* shape = field<QLineEdit>("inputShape");
        auto* batch = window->forwardPanel()->findChild<QSpinBox*>();
        auto* check = field<QLabel>("forwardInputCheck");
        QCOMPARE(batch->maximum(), 256 * 1024 * 1024 / (784 * 4));  // the input alone
        shape->setText(QStringLiteral("100000x1x28x28"));
        QVERIFY(!field<QPushButton>("runForward")->isEnabled());
        QVERIFY(check->isVisibleTo(window.get()));
        QVERIFY2(check->text().startsWith(QStringLiteral("MemoryError: the input alone needs 299.1 MiB")),
                 qPrintable(check->text()));

        // A run teaches the panel what a sample costs on this model: the box and field follow.
        shape->setText(QStringLiteral("64x1x28x28"));
        QVERIFY(field<QPushButton>("runForward")->isEnabled());
        field<QSpinBox>("repeatsSpin")->setValue(1);
        runAndWait();
        QVERIFY2(batch->maximum() > 64 && batch->maximum() < 1000, qPrintable(QString::number(batch->maximum())));
        shape->setText(QStringLiteral("20000x1x28x28"));
        QVERIFY(!field<QPushButton>("runForward")->isEnabled());
        QVERIFY2(check->text().startsWith(QStringLiteral("MemoryError: a batch of 20000 is past Module Explorer's memory budget of 256 MiB")),
                 qPrintable(check->text()));
        QCOMPARE(batch->value(), batch->maximum());
        setMemoryBudgetBytes(0);  // Preferences changed the budget
        shape->setText(QStringLiteral("20001x1x28x28"));  // another budget: that estimate no longer applies
        QVERIFY2(check->text().isEmpty(), qPrintable(check->text()));
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
