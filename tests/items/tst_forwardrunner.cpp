// ForwardRunner: forward passes off the GUI thread, with progress, cancel and a live event loop.

#include "core/examples.h"
#include "core/modulenode.h"
#include "items/forwardrunner.h"

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
