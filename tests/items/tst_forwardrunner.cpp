// ForwardRunner: forward passes off the GUI thread, with progress, cancel and a live event loop.

#include "core/examples.h"
#include "core/listings.h"
#include "core/modulenode.h"
#include "core/resourcebudget.h"
#include "items/forwardrunner.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace mx;

namespace {
ForwardRequest modelARequest(int repeats)
{
    ForwardRequest r;
    r.inputShape = {64, 1, 28, 28};
    r.repeats = repeats;
    return r;
}

// Everything state_dict holds, as (key, float64 sum): equal before and after means unchanged.
std::vector<std::pair<std::string, double>> stateSums(const ModuleNode& m)
{
    std::vector<std::pair<std::string, double>> out;
    for (const ListingEntry& e : stateDict(m))
        out.emplace_back(e.name, e.tensor.sum());
    return out;
}

/** Sets the memory budget for one test and restores the default after it. */
struct BudgetScope {
    explicit BudgetScope(uint64_t bytes) { setMemoryBudgetBytes(bytes); }
    ~BudgetScope() { setMemoryBudgetBytes(0); }
};

// Waits (events processed) until the runner's worker has stopped, then lets queued signals land.
bool waitUntilIdle(ForwardRunner& runner, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (runner.isRunning() && clock.elapsed() < timeoutMs)
        QTest::qWait(20);
    QTest::qWait(200);
    return !runner.isRunning();
}
}  // namespace

/** Runs forward jobs on the tutorial's Model A and watches the GUI thread stay responsive. */
class ForwardRunnerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { model = buildExample("state-dict-demo"); }

    void run_reportsOutputTraceAndNotCalledModules()
    {
        ForwardRunner runner;
        QSignalSpy finished(&runner, &ForwardRunner::finished);
        QSignalSpy progress(&runner, &ForwardRunner::progress);
        QVERIFY(runner.start(model.get(), modelARequest(2)));
        QVERIFY(finished.wait(60000));
        const auto report = finished.at(0).at(0).value<ForwardReport>();
        QVERIFY2(report.ok, qPrintable(report.error));
        QCOMPARE(report.outputShape, QStringLiteral("torch.Size([64, 10])"));
        QCOMPARE(report.trace[5].module, QStringLiteral("conv1"));
        QCOMPARE(report.trace[5].shape, QStringLiteral("torch.Size([64, 128, 14, 14])"));
        QCOMPARE(report.notCalled.first(), QStringLiteral("layer4cxq1"));
        QCOMPARE(report.runs, 2);
        QVERIFY(progress.count() >= 2);
        // What the GUI needs afterwards comes in the report, never from the model.
        QCOMPARE(report.jobId, runner.currentJobId());
        QCOMPARE(report.request.inputShape, modelARequest(2).inputShape);
        QCOMPARE(report.deviceAfter, QStringLiteral("cpu"));
        QVERIFY(!report.movedDevice);
        QVERIFY(report.changedTensors.isEmpty());  // eval mode
        QVERIFY(report.estimatedPeakBytes >= report.measuredPeakBytes);
        QVERIFY(report.largestBatch > 64);
    }

    void cancelInsideAPass_modelA_batch4096_endsSoon_andLeavesTheModel()
    {
        const auto before = stateSums(*model);
        ForwardRequest r = modelARequest(3);
        r.inputShape = {4096, 1, 28, 28};
        for (int waitMs : {50, 1500}) {
            ForwardRunner runner;
            QSignalSpy finished(&runner, &ForwardRunner::finished);
            QVERIFY(runner.start(model.get(), r));
            QTest::qWait(waitMs);
            QElapsedTimer sinceCancel;
            sinceCancel.start();
            runner.cancel();
            QVERIFY(finished.wait(120000));
            const auto report = finished.at(0).at(0).value<ForwardReport>();
            qInfo("Model A batch 4096, cancelled %d ms after start: finished %lld ms after Cancel "
                  "(%d submodules had returned)",
                  waitMs, sinceCancel.elapsed(), int(report.trace.size()));
            QVERIFY(report.cancelled && !report.ok);
            QCOMPARE(report.runs, 0);
            QVERIFY(model->isTraining());  // restored: the run was in eval mode
            QCOMPARE(stateSums(*model), before);
        }
    }

    void invalidate_dropsEverySignalOfTheOldJob()
    {
        ForwardRunner runner;
        QSignalSpy points(&runner, &ForwardRunner::sweepPoint);
        QSignalSpy done(&runner, &ForwardRunner::sweepFinished);
        QSignalSpy progress(&runner, &ForwardRunner::progress);
        QVERIFY(runner.startSweep(model.get(), modelARequest(1), {1, 2, 4, 8, 16, 32, 64, 128}));
        const quint64 oldJob = runner.currentJobId();
        QVERIFY(points.wait(60000));
        runner.invalidate();
        QCOMPARE(runner.currentJobId(), quint64(0));
        const int pointsBefore = points.count();
        const int progressBefore = progress.count();
        QVERIFY(waitUntilIdle(runner, 120000));
        QCOMPARE(points.count(), pointsBefore);  // nothing of the old job lands any more
        QCOMPARE(progress.count(), progressBefore);
        QCOMPARE(done.count(), 0);
        for (const QList<QVariant>& p : points)
            QCOMPARE(p.at(0).value<LatencyPoint>().jobId, oldJob);

        // The next job's results do arrive, with its own id.
        QSignalSpy finished(&runner, &ForwardRunner::finished);
        QVERIFY(runner.start(model.get(), modelARequest(1)));
        QVERIFY(runner.currentJobId() > oldJob);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.at(0).at(0).value<ForwardReport>().jobId, runner.currentJobId());
    }

    void stopAndWait_leavesNoLateFinished()
    {
        ForwardRunner runner;
        QSignalSpy finished(&runner, &ForwardRunner::finished);
        QVERIFY(runner.start(model.get(), modelARequest(1000)));
        QTest::qWait(300);
        runner.stopAndWait();  // what Document does before it replaces the model
        QVERIFY(!runner.isRunning());
        QTest::qWait(200);
        QCOMPARE(finished.count(), 0);
    }

    void sweep_skipsBatchSizesPastTheBudget()
    {
        const BudgetScope budget(64 * 1024 * 1024);
        ForwardRunner runner;
        QSignalSpy points(&runner, &ForwardRunner::sweepPoint);
        QSignalSpy done(&runner, &ForwardRunner::sweepFinished);
        QVERIFY(runner.startSweep(model.get(), modelARequest(1), {1, 2, 16, 4096}));
        QVERIFY(done.wait(120000));
        QCOMPARE(points.count(), 4);
        for (int i = 0; i < 3; ++i) {
            const auto p = points.at(i).at(0).value<LatencyPoint>();
            QVERIFY2(p.skipped.isEmpty(), qPrintable(p.skipped));
            QVERIFY(p.medianMs > 0);
        }
        const auto over = points.at(3).at(0).value<LatencyPoint>();
        QCOMPARE(over.batch, 4096);
        QVERIFY2(over.skipped.startsWith(QStringLiteral("MemoryError: this forward pass needs about ")),
                 qPrintable(over.skipped));
        QCOMPARE(done.at(0).at(0).toBool(), false);
        QCOMPARE(done.at(0).at(1).toString(), QString());
    }

    void checkInput_refusesWhatTheJobWouldRefuse()
    {
        const BudgetScope budget(256 * 1024 * 1024);
        ForwardRequest r = modelARequest(1);
        QCOMPARE(ForwardRunner::checkInput(r), QString());
        r.inputShape = {100000, 1, 28, 28};
        QVERIFY(ForwardRunner::checkInput(r).startsWith(QStringLiteral("MemoryError: the input alone needs")));
        QCOMPARE(ForwardRunner::largestBatchForInput(r), qint64(256 * 1024 * 1024 / (784 * 4)));
        r.dtype = QStringLiteral("float64");
        QCOMPARE(ForwardRunner::largestBatchForInput(r), qint64(256 * 1024 * 1024 / (784 * 8)));
    }

    void longRun_keepsEventLoopResponsive_andCancelStopsIt()
    {
        ForwardRunner runner;
        QSignalSpy finished(&runner, &ForwardRunner::finished);
        int ticks = 0;
        QTimer timer;
        connect(&timer, &QTimer::timeout, this, [&] { ++ticks; });
        timer.start(10);
        QVERIFY(runner.start(model.get(), modelARequest(1000)));  // minutes of work
        QTest::qWait(1500);
        QVERIFY(runner.isRunning());
        QVERIFY2(ticks >= 20, qPrintable(QStringLiteral("only %1 timer ticks in 1.5 s").arg(ticks)));
        QVERIFY(!runner.start(model.get(), modelARequest(1)));  // one job at a time
        runner.cancel();
        QVERIFY(finished.wait(30000));
        QVERIFY(finished.at(0).at(0).value<ForwardReport>().cancelled);
    }

    void shapeMismatch_reportsErrorLine()
    {
        ForwardRunner runner;
        QSignalSpy finished(&runner, &ForwardRunner::finished);
        ForwardRequest r = modelARequest(1);
        r.inputShape = {1, 1, 32, 32};
        QVERIFY(runner.start(model.get(), r));
        QVERIFY(finished.wait(60000));
        const auto report = finished.at(0).at(0).value<ForwardReport>();
        QVERIFY(!report.ok);
        QCOMPARE(report.error,
                 QStringLiteral("RuntimeError: shape '[-1, 25088]' is invalid for input of size 32768"));
    }

    void sweep_emitsOnePointPerBatchSize()
    {
        ForwardRunner runner;
        QSignalSpy points(&runner, &ForwardRunner::sweepPoint);
        QSignalSpy done(&runner, &ForwardRunner::sweepFinished);
        ForwardRequest r = modelARequest(1);
        QVERIFY(runner.startSweep(model.get(), r, {1, 2, 4}));
        QVERIFY(done.wait(60000));
        QCOMPARE(points.count(), 3);
        QCOMPARE(points.at(2).at(0).value<LatencyPoint>().batch, 4);
        QVERIFY(points.at(2).at(0).value<LatencyPoint>().medianMs > 0);
        QCOMPARE(done.at(0).at(0).toBool(), false);
    }

private:
    std::unique_ptr<ModuleNode> model;
};

QTEST_GUILESS_MAIN(ForwardRunnerTest)
#include "tst_forwardrunner.moc"
