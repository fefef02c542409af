// The forward runner against real PyTorch 1.13 (tests/fixtures/reference.json, "forward"):
// output and per-submodule shapes, error text, Dropout and BatchNorm in train vs eval, cancel, CUDA.

#include "core/examples.h"
#include "core/forward.h"
#include "core/listings.h"
#include "core/modulenode.h"
#include "core/resourcebudget.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

using namespace mx;

namespace {

QJsonObject forwardReference(const QString& key)
{
    QFile f(QStringLiteral(MX_FIXTURES_DIR "/reference.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object()[QStringLiteral("forward")].toObject()[key].toObject();
}

std::vector<int64_t> shapeOf(const QJsonValue& v)
{
    std::vector<int64_t> out;
    for (const QJsonValue& d : v.toArray())
        out.push_back(d.toInteger());
    return out;
}

ForwardOptions options(std::vector<int64_t> shape, bool train = false, int repeats = 1)
{
    ForwardOptions o;
    o.inputShape = std::move(shape);
    o.train = train;
    o.repeats = repeats;
    o.warmup = 0;
    return o;
}

// Everything state_dict holds, as (key, float64 sum): equal before and after means unchanged.
std::vector<std::pair<std::string, double>> stateSums(const ModuleNode& m)
{
    std::vector<std::pair<std::string, double>> out;
    for (const ListingEntry& e : stateDict(m))
        out.emplace_back(e.name, e.tensor.sum());
    return out;
}

bool close(double a, double b) { return std::abs(a - b) <= 1e-4 * std::abs(b) + 1e-6; }

constexpr uint64_t MiB = 1024 * 1024;

// The process's peak resident memory (VmHWM), reset first when `reset`: Linux's clear_refs "5".
// 0 when the kernel does not tell.
uint64_t peakResidentBytes(bool reset = false)
{
    if (reset)
        std::ofstream("/proc/self/clear_refs") << "5";
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stoull(line.substr(6)) * 1024;
    return 0;
}

// Every module's training flag, in named_modules() order.
std::vector<bool> trainingFlags(const ModuleNode& m)
{
    std::vector<bool> out;
    for (const NamedModule& n : namedModules(m))
        out.push_back(n.module->isTraining());
    return out;
}

/** Sets the memory budget for one test and restores the default after it. */
struct BudgetScope {
    explicit BudgetScope(uint64_t bytes) { setMemoryBudgetBytes(bytes); }
    ~BudgetScope() { setMemoryBudgetBytes(0); }
};

}  // namespace

/** runForward on the examples, compared with what PyTorch's forward hooks saw. */
class ForwardTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { modelA = buildExample("state-dict-demo"); }

    void modelA_batch64_outputAndTraceMatchPyTorch()
    {
        const QJsonObject ref = forwardReference(QStringLiteral("state-dict-demo"));
        QVERIFY(!ref.isEmpty());
        const ForwardResult r = runForward(*modelA, options({64, 1, 28, 28}, false, 2));
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.outputShape, shapeOf(ref["output_shape"]));
        const QJsonArray trace = ref["trace"].toArray();
        QCOMPARE(r.trace.size(), size_t(trace.size()));
        for (int i = 0; i < trace.size(); ++i) {
            QCOMPARE(QString::fromStdString(r.trace[i].module), trace[i]["module"].toString());
            QCOMPARE(r.trace[i].outputShape, shapeOf(trace[i]["output_shape"]));
        }
        std::vector<std::string> expectedNotCalled;
        for (const QJsonValue& v : ref["not_called"].toArray())
            expectedNotCalled.push_back(v.toString().toStdString());
        QCOMPARE(uncalledModules(*modelA, r), expectedNotCalled);  // layer4cxq1..5
        QCOMPARE(r.timesMs.size(), size_t(2));
        QVERIFY(r.minMs > 0 && r.minMs <= r.medianMs && r.medianMs <= r.maxMs);
    }

    void modelA_eval_givesEqualOutputsOnTwoRuns()
    {
        const ForwardResult a = runForward(*modelA, options({2, 1, 28, 28}));
        const ForwardResult b = runForward(*modelA, options({2, 1, 28, 28}));
        QVERIFY(a.ok && b.ok);
        QCOMPARE(a.outputSum, b.outputSum);
        QCOMPARE(a.preview, b.preview);
    }

    void modelA_train_dropoutGivesDifferentOutputs()
    {
        const ForwardResult a = runForward(*modelA, options({2, 1, 28, 28}, true));
        const ForwardResult b = runForward(*modelA, options({2, 1, 28, 28}, true));
        QVERIFY(a.ok && b.ok);
        QVERIFY(a.outputSum != b.outputSum);
    }

    void run_restoresTheModelsTrainEvalFlag()
    {
        QVERIFY(modelA->isTraining());  // a fresh module trains, as in Python
        QVERIFY(runForward(*modelA, options({1, 1, 28, 28}, false)).ok);
        QVERIFY(modelA->isTraining());
        QVERIFY(modelA->child(1).child(2).isTraining());
    }

    void shapeMismatch_reportsPyTorchsErrorAndLeavesModelUnchanged()
    {
        const QJsonObject ref = forwardReference(QStringLiteral("state-dict-demo mismatch"));
        const auto before = stateSums(*modelA);
        const ForwardResult r = runForward(*modelA, options({1, 1, 32, 32}));
        QVERIFY(!r.ok);
        QCOMPARE(QString::fromStdString(r.error), ref["error"].toString());
        QCOMPARE(stateSums(*modelA), before);
        QCOMPARE(stateDict(*modelA).size(), size_t(16));
    }

    void modelB_forwardReturnsNone()
    {
        auto modelB = buildExample("buffer-demo");
        const ForwardResult r = runForward(*modelB, options({2, 1, 28, 28}));
        QVERIFY(r.ok);
        QVERIFY(r.returnedNone);
        QVERIFY(r.outputShape.empty());
        QVERIFY(r.trace.empty());
        QCOMPARE(uncalledModules(*modelB, r), (std::vector<std::string>{"conv1", "conv1.0", "conv1.1"}));
    }

    void batchNorm_runningStatsChangeOnlyInTrainMode()
    {
        auto bn = buildExample("batchnorm-demo");
        const auto initial = stateSums(*bn);
        const ForwardResult eval = runForward(*bn, options({4, 3, 8, 8}, false));
        QVERIFY(eval.ok);
        QCOMPARE(stateSums(*bn), initial);  // eval: running stats used, not updated
        QVERIFY(eval.changedTensors.empty());

        ForwardOptions train = options({4, 3, 8, 8}, true, 0);  // exactly one forward call
        const ForwardResult r = runForward(*bn, train);
        QVERIFY(r.ok);
        QCOMPARE(r.changedTensors, (std::vector<std::string>{
            "features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked"}));
        const QJsonObject after = forwardReference(QStringLiteral("batchnorm-demo train"))["buffers_after"].toObject();
        QCOMPARE(after.size(), 3);
        for (const ListingEntry& b : namedBuffers(*bn)) {
            const double want = after[QString::fromStdString(b.name)].toDouble();
            QVERIFY2(close(b.tensor.sum(), want),
                     qPrintable(QStringLiteral("%1: %2 vs %3").arg(QString::fromStdString(b.name))
                                    .arg(b.tensor.sum(), 0, 'g', 10).arg(want, 0, 'g', 10)));
        }
    }

    // One click is one batch: in train mode forward runs once whatever the repeat count, so
    // num_batches_tracked goes up by exactly 1 (it went up by 12 with Repeat = 10 before).
    void trainMode_callsForwardExactlyOnce()
    {
        auto bn = buildExample("batchnorm-demo");
        ForwardOptions train = options({4, 3, 8, 8}, true, 10);
        train.warmup = 1;
        const ForwardResult r = runForward(*bn, train);
        QVERIFY(r.ok);
        QCOMPARE(r.forwardCalls, 1);
        QCOMPARE(r.timesMs.size(), size_t(1));
        double tracked = -1;
        for (const ListingEntry& b : namedBuffers(*bn))
            if (b.name == "features.1.num_batches_tracked")
                tracked = b.tensor.sum();
        QCOMPARE(tracked, 1.0);
        ForwardOptions eval = options({4, 3, 8, 8}, false, 10);
        eval.warmup = 1;
        QCOMPARE(runForward(*bn, eval).forwardCalls, 12);  // traced + warm-up + 10 timed
    }

    void cancel_stopsBeforeTheNextRun()
    {
        int calls = 0;
        const ForwardResult r = runForward(*modelA, options({1, 1, 28, 28}, false, 100),
                                           [&](int, int) { return ++calls < 3; });
        QVERIFY(r.cancelled);
        QVERIFY(!r.ok);
        QCOMPARE(calls, 3);
        QVERIFY(r.timesMs.size() < 100);
    }

    void cuda_withoutGpu_isReportedNotCrashed()
    {
        if (cudaAvailable())
            QSKIP("a GPU is present: covered by cuda_forward_movesParametersAndBuffersOnly");
        QVERIFY(!cudaUnavailableReason().empty());
        ForwardOptions o = options({1, 1, 28, 28});
        o.device = "cuda";
        const auto before = stateSums(*modelA);
        const ForwardResult r = runForward(*modelA, o);
        QVERIFY(!r.ok);
        QVERIFY(QString::fromStdString(r.error).startsWith(QStringLiteral("RuntimeError: CUDA is not available")));
        QCOMPARE(stateSums(*modelA), before);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, moveToDevice(*modelA, "cuda"));
    }

    void cuda_forward_movesParametersAndBuffersOnly()
    {
        if (!cudaAvailable())
            QSKIP("no CUDA: LibTorch without CUDA or no GPU");
        auto modelB = buildExample("buffer-demo");
        ForwardOptions o = options({2, 1, 28, 28});
        o.device = "cuda";
        QVERIFY(runForward(*modelB, o).ok);
        QCOMPARE(modelB->buffers()[0].tensor.deviceName(), std::string("cuda:0"));
        QCOMPARE(modelB->child(0).child(0).parameters()[0].tensor.deviceName(), std::string("cuda:0"));
        QCOMPARE(modelB->tensorAttributes()[0].tensor.deviceName(), std::string("cpu"));  // plain attribute stays
        const ForwardResult a = runForward(*modelA, [] {
            ForwardOptions c = options({64, 1, 28, 28}, false, 3);
            c.device = "cuda";
            return c;
        }());
        QVERIFY2(a.ok, a.error.c_str());
        QCOMPARE(a.outputShape, (std::vector<int64_t>{64, 10}));
        moveToDevice(*modelA, "cpu");
        QCOMPARE(modelA->parameters()[0].tensor.deviceName(), std::string("cpu"));
    }

    void overBudget_20000x1x28x28_isRefusedBeforeAllocating()
    {
        const BudgetScope budget(256 * MiB);
        const auto before = stateSums(*modelA);
        const auto flags = trainingFlags(*modelA);
        const uint64_t rssBefore = peakResidentBytes(/*reset=*/true);
        const ForwardResult r = runForward(*modelA, options({20000, 1, 28, 28}));
        const uint64_t rssPeak = peakResidentBytes();
        QVERIFY(!r.ok && r.refused && !r.cancelled);
        QVERIFY2(QString::fromStdString(r.error).startsWith(
                     QStringLiteral("MemoryError: this forward pass needs about ")),
                 r.error.c_str());
        QVERIFY2(QString::fromStdString(r.error).contains(
                     QStringLiteral("(input 59.8 MiB + activations ")), r.error.c_str());
        QVERIFY(QString::fromStdString(r.error).endsWith(
            QStringLiteral("more than Module Explorer's memory budget of 256 MiB (Preferences / --memory-budget)")));
        QVERIFY(r.error.find('\n') == std::string::npos);
        // conv1.2's input and output alone are 20000 x (64 + 128) x 28 x 28 x 4 bytes = 11.2 GiB.
        QVERIFY(r.estimatedPeakBytes > 11 * 1024 * MiB);
        QVERIFY(r.trace.empty() && r.timesMs.empty());
        QCOMPARE(stateSums(*modelA), before);
        QCOMPARE(trainingFlags(*modelA), flags);
        QVERIFY(r.changedTensors.empty() && !r.movedDevice);
        QCOMPARE(r.deviceAfter, std::string("cpu"));
        if (rssBefore && rssPeak)
            QVERIFY2(rssPeak < rssBefore + 64 * MiB,
                     qPrintable(QStringLiteral("peak RSS grew %1 MiB").arg((rssPeak - rssBefore) / MiB)));
        qInfo("20000x1x28x28 on Model A: %s", r.error.c_str());
    }

    void inputAlone_overflow_andZeroDims_areRefusedWithoutAPass()
    {
        const BudgetScope budget(256 * MiB);
        const ForwardResult big = runForward(*modelA, options({100000, 1, 28, 28}));
        QVERIFY(big.refused);
        QCOMPARE(QString::fromStdString(big.error),
                 QStringLiteral("MemoryError: the input alone needs 299.1 MiB (torch.Size([100000, 1, 28, 28]), "
                                "float32), more than Module Explorer's memory budget of 256 MiB "
                                "(Preferences / --memory-budget)"));
        const ForwardResult overflow = runForward(*modelA, options({999999999, 999999999, 999999999}));
        QVERIFY(!overflow.ok && !overflow.refused);
        QCOMPARE(QString::fromStdString(overflow.error),  // PyTorch's text for torch.empty(...)
                 QStringLiteral("RuntimeError: Storage size calculation overflowed with sizes=[999999999, 999999999, 999999999]"));
        QCOMPARE(checkForwardInput({int64_t(1) << 61}, "float32"),
                 std::string("RuntimeError: Storage size calculation overflowed with sizes=[2305843009213693952]"));
        QCOMPARE(checkForwardInput({-1, 2}, "float32"),
                 std::string("RuntimeError: Trying to create tensor with negative dimension -1: [-1, 2]"));
        QVERIFY(!checkForwardInput({64, 0, 28}, "float32").empty());
        QVERIFY(!checkForwardInput({}, "float32").empty());
        uint64_t bytes = 0;
        QCOMPARE(checkForwardInput({64, 1, 28, 28}, "float64", &bytes), std::string());
        QCOMPARE(bytes, uint64_t(64 * 784 * 8));
    }

    void underBudget_runs_andTheEstimateCoversWhatThePassAllocated()
    {
        const BudgetScope budget(256 * MiB);
        for (bool noGrad : {true, false}) {
            ForwardOptions o = options({64, 1, 28, 28});
            o.noGrad = noGrad;
            const ForwardResult r = runForward(*modelA, o);
            QVERIFY2(r.ok, r.error.c_str());
            QVERIFY(r.estimate.measured);
            QVERIFY(r.estimatedPeakBytes > 0 && r.measuredPeakBytes > 0);
            qInfo("Model A batch 64 %s: estimated %.1f MiB, the traced pass allocated at most %.1f MiB",
                  noGrad ? "no_grad" : "with grad", r.estimatedPeakBytes / double(MiB),
                  r.measuredPeakBytes / double(MiB));
            QVERIFY(r.measuredPeakBytes <= r.estimatedPeakBytes * 1.05);
            QVERIFY(r.estimatedPeakBytes <= r.measuredPeakBytes * 2);
        }
        // The same estimate answers for other batches; 256 MiB holds a few hundred samples.
        const ForwardResult r = runForward(*modelA, options({64, 1, 28, 28}));
        const int64_t largest = r.estimate.largestBatchWithin(256 * MiB);
        QVERIFY2(largest > 64 && largest < 1000, qPrintable(QString::number(largest)));
        QVERIFY(memoryRefusal(r.estimate, largest).empty());
        QVERIFY(!memoryRefusal(r.estimate, largest + 1).empty());
    }

    void smallBatchOverBudget_isStoppedAtTheNextSubmodule()
    {
        const BudgetScope budget(16 * MiB);  // batch 3: no trial passes, the run itself is metered
        const auto before = stateSums(*modelA);
        const ForwardResult r = runForward(*modelA, options({3, 1, 112, 112}));
        QVERIFY(r.refused && !r.ok);
        QVERIFY2(QString::fromStdString(r.error).startsWith(
                     QStringLiteral("MemoryError: this forward pass passed Module Explorer's memory budget of 16 MiB in conv1.")),
                 r.error.c_str());
        QVERIFY(r.error.find("was stopped there") != std::string::npos);
        QCOMPARE(stateSums(*modelA), before);
        QVERIFY(modelA->isTraining());
    }

    void cancelFromAnotherThread_stopsInsideThePass_andLeavesTheModel()
    {
        const auto before = stateSums(*modelA);
        const auto flags = trainingFlags(*modelA);
        ForwardOptions o = options({1024, 1, 28, 28}, false, 5);
        const MemoryEstimate estimate = estimateForwardMemory(*modelA, o);
        QVERIFY(estimate.measured);
        QCOMPARE(stateSums(*modelA), before);  // the trial passes change nothing
        QCOMPARE(trainingFlags(*modelA), flags);
        std::atomic<bool> cancel{false};
        ForwardControl control;
        control.cancelled = [&] { return cancel.load(); };
        control.estimate = &estimate;  // straight into the traced pass
        std::chrono::steady_clock::time_point cancelledAt;
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            cancelledAt = std::chrono::steady_clock::now();
            cancel = true;
        });
        const ForwardResult r = runForward(*modelA, o, control);
        const auto ended = std::chrono::steady_clock::now();
        canceller.join();
        const double latencyMs = std::chrono::duration<double, std::milli>(ended - cancelledAt).count();
        qInfo("Model A batch 1024: cancel took effect %.0f ms after it was asked, %zu submodules had returned",
              latencyMs, r.trace.size());
        QVERIFY(r.cancelled && !r.ok && r.error.empty());
        QVERIFY(r.trace.size() < 11);  // the traced pass did not finish
        QVERIFY(r.timesMs.empty());
        QVERIFY(latencyMs < 60000);
        QCOMPARE(stateSums(*modelA), before);
        QCOMPARE(trainingFlags(*modelA), flags);
    }

    void parseShape_acceptsSizesJoinedByX()
    {
        std::vector<int64_t> shape;
        QVERIFY(parseShape("64x1x28x28", &shape));
        QCOMPARE(shape, (std::vector<int64_t>{64, 1, 28, 28}));
        QVERIFY(parseShape("7", &shape));
        for (const char* bad : {"", "x", "64x", "x64", "64x0x2", "-1x2", "64,1", "2xx3", "1e3", "99999999999x1"})
            QVERIFY2(!parseShape(bad, &shape), bad);
    }

private:
    std::unique_ptr<ModuleNode> modelA;
};

QTEST_GUILESS_MAIN(ForwardTest)
#include "tst_forward.moc"
