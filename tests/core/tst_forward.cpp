// The forward runner against real PyTorch 1.13 (tests/fixtures/reference.json, "forward"):
// output and per-submodule shapes, error text, Dropout and BatchNorm in train vs eval, cancel, CUDA.

#include "core/examples.h"
#include "core/forward.h"
#include "core/listings.h"
#include "core/modulenode.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

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
        QVERIFY(runForward(*bn, options({4, 3, 8, 8}, false)).ok);
        QCOMPARE(stateSums(*bn), initial);  // eval: running stats used, not updated

        ForwardOptions train = options({4, 3, 8, 8}, true, 0);  // exactly one forward call
        const ForwardResult r = runForward(*bn, train);
        QVERIFY(r.ok);
        const QJsonObject after = forwardReference(QStringLiteral("batchnorm-demo train"))["buffers_after"].toObject();
        QCOMPARE(after.size(), 3);
        for (const ListingEntry& b : namedBuffers(*bn)) {
            const double want = after[QString::fromStdString(b.name)].toDouble();
            QVERIFY2(close(b.tensor.sum(), want),
                     qPrintable(QStringLiteral("%1: %2 vs %3").arg(QString::fromStdString(b.name))
                                    .arg(b.tensor.sum(), 0, 'g', 10).arg(want, 0, 'g', 10)));
        }
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
