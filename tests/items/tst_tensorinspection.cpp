// The Inspector's models: TensorValuesModel (a lazy table over a 2-D slice) under Qt's model
// conformance checks, its cell text and copied text; TensorInspector's job (a newer request or a
// clear wins, pin and compare, deletion while running); runInspection (the path the GUI and
// --stats/--plot share) against the Python reference tests/fixtures/stats/stats_reference.json;
// and the label/value rows (statsRows, pythonFloat).

#include "../statsreference.h"
#include "core/examples.h"
#include "core/listings.h"
#include "core/modulenode.h"
#include "core/tensorfactory.h"
#include "core/tensorlookup.h"
#include "core/tensorslice.h"
#include "core/tensorstats.h"
#include "items/entrytext.h"
#include "items/statsrows.h"
#include "items/tensorinspector.h"
#include "items/tensorvaluesmodel.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

using namespace mx;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();


QString show(double v) { return QString::number(v, 'g', 17); }

QString cellText(double v, bool integral) { return QString::fromStdString(formatTensorValue(v, integral)); }

/** Waits (events processed) until `inspector` has no job, then lets queued results land. */
bool waitUntilIdle(TensorInspector& inspector, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (inspector.isRunning() && clock.elapsed() < timeoutMs)
        QTest::qWait(20);
    QTest::qWait(100);
    return !inspector.isRunning();
}

}  // namespace

class TensorInspectionTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ModuleNode> modelA_;
    QJsonObject reference_;

    TensorRef modelATensor(const char* name)
    {
        NamedTensor found;
        if (!findNamedTensor(*modelA_, name, &found))
            return {};
        return found.tensor;
    }

    // Every cell of `model` shows formatTensorValue of the element `expected[r * cols + c]`.
    static void compareCells(const TensorValuesModel& model, const std::vector<double>& expected)
    {
        const int rows = model.rowCount(), cols = model.columnCount();
        QCOMPARE(static_cast<size_t>(rows) * cols, expected.size());
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c)
                QCOMPARE(model.data(model.index(r, c)).toString(),
                         cellText(expected[static_cast<size_t>(r) * cols + c], false));
    }

private Q_SLOTS:
    void initTestCase()
    {
        reference_ = mxtest::loadStatsReference();
        QVERIFY(!reference_[QStringLiteral("state-dict-demo")].toObject().isEmpty());
        modelA_ = buildExample("state-dict-demo");
        QVERIFY(modelA_);
    }

    // ---- TensorValuesModel ---------------------------------------------------------------

    // A 2-D, a 1-D, a 0-d, a 4-D slice, None and a switch between them, all under the tester
    // (which checks every signal of each reset); the cells show the elements themselves.
    void valuesModel_conformsForEveryShape()
    {
        TensorValuesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);

        const TensorRef t2 = randn({5, 7});
        model.setTensor(t2);
        QVERIFY(model.error().isEmpty());
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), 7);
        compareCells(model, t2.firstValues(35));
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("0"));  // 0-based
        QCOMPARE(model.headerData(6, Qt::Horizontal).toString(), QStringLiteral("6"));
        QCOMPARE(model.headerData(4, Qt::Vertical).toString(), QStringLiteral("4"));
        QVERIFY(!model.data(model.index(0, 0), Qt::ToolTipRole).toString().isEmpty());

        const TensorRef t1 = randn({9});  // one row
        model.setTensor(t1);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.columnCount(), 9);
        compareCells(model, t1.firstValues(9));

        const TensorRef t0 = modelATensor("attribute4cxq");  // 0-d: one cell
        QVERIFY(!t0.isNone());
        QVERIFY(t0.shape().empty());
        model.setTensor(t0);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.columnCount(), 1);
        QCOMPARE(model.data(model.index(0, 0)).toString(), QStringLiteral("2.02009e+07"));

        // conv1.0.weight [64, 1, 3, 3] at [5, 0]: the elements 45..53 of the flattened tensor
        const TensorRef t4 = modelATensor("conv1.0.weight");
        QCOMPARE(t4.shape(), (std::vector<int64_t>{64, 1, 3, 3}));
        model.setTensor(t4, {5, 0});
        QVERIFY2(model.error().isEmpty(), qPrintable(model.error()));
        QCOMPARE(model.fixed(), (std::vector<int64_t>{5, 0}));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), 3);
        const std::vector<double> flat = t4.firstValues(6 * 9);
        compareCells(model, std::vector<double>(flat.begin() + 45, flat.begin() + 54));

        // a fixed index out of range or of the wrong count: no cells, a reason
        model.setTensor(t4, {64, 0});
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.error().isEmpty());
        model.setTensor(t4, {});
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.error().isEmpty());

        model.setTensor(TensorRef());  // None
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), 0);
        QVERIFY(!model.error().isEmpty());

        model.setTensor(zeros({3, 0}));  // empty: no cells
        QCOMPARE(model.rowCount() * model.columnCount(), 0);

        // switching back and forth, then clear()
        model.setTensor(t2);
        QCOMPARE(model.rowCount(), 5);
        model.setTensor(t4, {63, 0});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.data(model.index(2, 2)).toString(),
                 cellText(t4.firstValues(64 * 9).back(), false));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    // setTensor is a reset (views re-read everything), not a silent swap.
    void valuesModel_setTensorResets()
    {
        TensorValuesModel model;
        QSignalSpy aboutToReset(&model, &QAbstractItemModel::modelAboutToBeReset);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setTensor(randn({2, 2}));
        model.setTensor(randn({4}));
        QCOMPARE(aboutToReset.count(), 2);
        QCOMPARE(reset.count(), 2);
    }

    // A 2x2 block: one line per row, tab-separated, every value at full precision (reads back to
    // the same float32; the cells' 6 digits would not).
    void valuesModel_copyText_block()
    {
        TensorValuesModel model;
        const TensorRef t = randn({4, 5});
        model.setTensor(t);
        const std::vector<double> v = t.firstValues(20);
        const QModelIndexList cells{model.index(1, 2), model.index(1, 3), model.index(2, 2), model.index(2, 3)};
        QString error;
        const QString text = model.copyText(cells, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(text.endsWith(QLatin1Char('\n')));
        const QStringList lines = text.chopped(1).split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 2);
        for (int r = 0; r < 2; ++r) {
            const QStringList fields = lines[r].split(QLatin1Char('\t'));
            QCOMPARE(fields.size(), 2);
            for (int c = 0; c < 2; ++c) {
                const double want = v[static_cast<size_t>(r + 1) * 5 + (c + 2)];
                bool ok = false;
                const double got = fields[c].toDouble(&ok);
                QVERIFY2(ok, qPrintable(fields[c]));
                QVERIFY2(static_cast<float>(got) == static_cast<float>(want),
                         qPrintable(QStringLiteral("%1 reads back as %2, the element is %3")
                                        .arg(fields[c], show(got), show(want))));
            }
        }
        // the order in which cells were selected does not matter
        const QModelIndexList reversed{cells[3], cells[2], cells[1], cells[0]};
        QCOMPARE(model.copyText(reversed), text);
    }

    // A selection that is not a rectangle: its bounding box, the unselected cells as empty
    // fields (so columns stay aligned when pasted).
    void valuesModel_copyText_nonRectangularLeavesEmptyFields()
    {
        TensorValuesModel model;
        const TensorRef t = randn({4, 5});
        model.setTensor(t);
        const QModelIndexList cells{model.index(0, 0), model.index(1, 2), model.index(2, 1)};
        const QString text = model.copyText(cells);
        const QStringList lines = text.chopped(1).split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 3);
        QStringList rows[3];
        for (int r = 0; r < 3; ++r) {
            rows[r] = lines[r].split(QLatin1Char('\t'));
            QCOMPARE(rows[r].size(), 3);  // columns 0..2
        }
        const std::vector<double> v = t.firstValues(20);
        auto readsBack = [&v](const QString& field, int r, int c) {
            return !field.isEmpty() && static_cast<float>(field.toDouble()) == static_cast<float>(v[r * 5 + c]);
        };
        QVERIFY(readsBack(rows[0][0], 0, 0));
        QVERIFY(rows[0][1].isEmpty() && rows[0][2].isEmpty());
        QVERIFY(rows[1][0].isEmpty() && rows[1][1].isEmpty());
        QVERIFY(readsBack(rows[1][2], 1, 2));
        QVERIFY(rows[2][0].isEmpty() && rows[2][2].isEmpty());
        QVERIFY(readsBack(rows[2][1], 2, 1));
        QCOMPARE(lines[1], QLatin1String("\t\t") + rows[1][2]);
    }

    // More than kMaxCopyCells in the bounding box: refused with a reason; exactly that many: copied.
    void valuesModel_copyText_refusesTooManyCells()
    {
        TensorValuesModel model;
        const TensorRef big = zeros({1001, 1000});
        model.setTensor(big);
        QString error;
        QVERIFY(model.copyText({model.index(0, 0), model.index(1000, 999)}, &error).isEmpty());
        QVERIFY(!error.isEmpty());
        QVERIFY2(error.contains(QStringLiteral("1001000")) || error.contains(QStringLiteral("1,001,000")),
                 qPrintable(error));

        error.clear();
        const QString text = model.copyText({model.index(0, 0), model.index(999, 999)}, &error);  // 1e6
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(TensorValuesModel::kMaxCopyCells, qint64(1000000));
        QCOMPARE(text.count(QLatin1Char('\n')), 1000);
        QVERIFY(text.startsWith(QStringLiteral("0\t\t")));
        QVERIFY(text.endsWith(QStringLiteral("\t\t0\n")));

        // the 25.7M-element weight: corner to corner is refused without reading it
        const TensorRef huge = modelATensor("dense.0.weight");
        model.setTensor(huge);
        error.clear();
        QVERIFY(model.copyText({model.index(0, 0), model.index(1023, 25087)}, &error).isEmpty());
        QVERIFY(!error.isEmpty());
    }

    // While a job may write the tensor, no cell is read: "…" (and a refresh is announced).
    void valuesModel_readsNotAllowedShowsEllipsis()
    {
        TensorValuesModel model;
        const TensorRef t = randn({3, 3});
        model.setTensor(t);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setReadsAllowed(false);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.data(model.index(1, 1)).toString(), QStringLiteral("…"));
        QVERIFY(model.copyText({model.index(1, 1)}).isEmpty());
        model.setReadsAllowed(true);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(model.data(model.index(1, 1)).toString(), cellText(t.firstValues(5)[4], false));
    }

    // dense.0.weight (1024 x 25088 = 25.7M elements): the table's size at once, and a far cell
    // read on its own.
    void valuesModel_hugeTensorIsLazy()
    {
        const TensorRef huge = modelATensor("dense.0.weight");
        QCOMPARE(huge.shape(), (std::vector<int64_t>{1024, 25088}));
        QCOMPARE(huge.numel(), int64_t(25690112));
        TensorValuesModel model;
        QElapsedTimer clock;
        clock.start();
        model.setTensor(huge);
        QCOMPARE(model.rowCount(), 1024);
        QCOMPARE(model.columnCount(), 25088);
        const QString far = model.data(model.index(1023, 25087)).toString();
        const QString near = model.data(model.index(0, 1)).toString();
        const qint64 ms = clock.elapsed();
        const TensorSlice slice(huge, {});
        QCOMPARE(far, cellText(slice.value(1023, 25087), false));
        QCOMPARE(near, cellText(huge.firstValues(2)[1], false));
        QVERIFY(!far.isEmpty() && far != QStringLiteral("nan"));
        QVERIFY2(ms < 1000, qPrintable(QStringLiteral("%1 ms to show one cell").arg(ms)));
    }

    // ---- TensorInspector -----------------------------------------------------------------

    // A second inspect() while the first (25.7M elements) runs: one finished signal, the second's.
    void inspector_newerRequestWins()
    {
        TensorInspector inspector;
        QSignalSpy started(&inspector, &TensorInspector::started);
        QSignalSpy finished(&inspector, &TensorInspector::finished);
        QVERIFY(finished.isValid());
        inspector.inspect(QStringLiteral("dense.0.weight"), modelATensor("dense.0.weight"));
        QVERIFY(inspector.isRunning());
        const quint64 first = inspector.generation();
        inspector.inspect(QStringLiteral("dense.3.bias"), modelATensor("dense.3.bias"));
        QCOMPARE(inspector.generation(), first + 1);
        QCOMPARE(started.count(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QTest::qWait(1000);  // the first job, cancelled or late, must not deliver
        QCOMPARE(finished.count(), 1);
        const Inspection got = qvariant_cast<Inspection>(finished.at(0).at(0));
        QCOMPARE(got.name, QStringLiteral("dense.3.bias"));
        QCOMPARE(got.generation, inspector.generation());
        QCOMPARE(got.stats.numel, int64_t(10));
        QCOMPARE(inspector.last().name, QStringLiteral("dense.3.bias"));
        QVERIFY(!inspector.isRunning());
    }

    // clear() while a job runs: cleared arrives, finished never does; the generation moves on.
    void inspector_clearWhileRunning()
    {
        TensorInspector inspector;
        QSignalSpy finished(&inspector, &TensorInspector::finished);
        QSignalSpy cleared(&inspector, &TensorInspector::cleared);
        const quint64 g0 = inspector.generation();
        inspector.inspect(QStringLiteral("dense.0.weight"), modelATensor("dense.0.weight"));
        QCOMPARE(inspector.generation(), g0 + 1);
        QVERIFY(inspector.isRunning());
        inspector.clear(QStringLiteral("nothing selected"));
        QCOMPARE(inspector.generation(), g0 + 2);
        QVERIFY(!inspector.isRunning());
        QCOMPARE(cleared.count(), 1);
        QCOMPARE(cleared.at(0).at(0).toString(), QStringLiteral("nothing selected"));
        QVERIFY(inspector.tensor().isNone());
        QVERIFY(inspector.name().isEmpty());
        QTest::qWait(1500);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(inspector.last().generation, quint64(0));

        // and it inspects again afterwards
        inspector.inspect(QStringLiteral("dense.3.bias"), modelATensor("dense.3.bias"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QCOMPARE(inspector.generation(), g0 + 3);
    }

    // Pinned, then the same tensor: compared, every element of the difference is zero.
    void inspector_pinThenSameTensorCompares()
    {
        TensorInspector inspector;
        QSignalSpy finished(&inspector, &TensorInspector::finished);
        QSignalSpy pinChanged(&inspector, &TensorInspector::pinChanged);
        const TensorRef w = modelATensor("dense.3.weight");
        QString error;
        QVERIFY(!inspector.pin(&error));  // nothing to pin yet
        QVERIFY(!error.isEmpty());
        inspector.inspect(QStringLiteral("dense.3.weight"), w);
        QVERIFY(waitUntilIdle(inspector, 30000));
        error.clear();
        QVERIFY2(inspector.pin(&error), qPrintable(error));
        QVERIFY(inspector.hasPin());
        QCOMPARE(inspector.pinnedName(), QStringLiteral("dense.3.weight"));
        QCOMPARE(pinChanged.count(), 1);
        QVERIFY(waitUntilIdle(inspector, 30000));
        finished.clear();
        inspector.inspect(QStringLiteral("dense.3.weight"), w);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        const Inspection r = qvariant_cast<Inspection>(finished.at(0).at(0));
        QVERIFY(r.compared);
        QVERIFY(r.compareNote.isEmpty());
        QVERIFY(r.difference.ok());
        QCOMPARE(r.difference.numel, w.numel());
        QCOMPARE(r.difference.zeros, w.numel());
        QCOMPARE(r.difference.min, 0.0);
        QCOMPARE(r.difference.max, 0.0);
        QCOMPARE(r.difference.norm, 0.0);

        inspector.unpin();
        QVERIFY(!inspector.hasPin());
        QCOMPARE(pinChanged.count(), 2);
        QVERIFY(waitUntilIdle(inspector, 30000));
        QVERIFY(!inspector.last().compared);
        QVERIFY(inspector.last().compareNote.isEmpty());
    }

    // Pinned, then a tensor of another shape: no comparison, and the note names the pinned one.
    void inspector_pinThenOtherShapeExplains()
    {
        TensorInspector inspector;
        QSignalSpy finished(&inspector, &TensorInspector::finished);
        inspector.inspect(QStringLiteral("dense.3.weight"), modelATensor("dense.3.weight"));
        QVERIFY(waitUntilIdle(inspector, 30000));
        QString error;
        QVERIFY2(inspector.pin(&error), qPrintable(error));
        QVERIFY(waitUntilIdle(inspector, 30000));
        finished.clear();
        inspector.inspect(QStringLiteral("dense.3.bias"), modelATensor("dense.3.bias"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        const Inspection r = qvariant_cast<Inspection>(finished.at(0).at(0));
        QCOMPARE(r.name, QStringLiteral("dense.3.bias"));
        QVERIFY(!r.compared);
        QVERIFY2(r.compareNote.contains(QStringLiteral("dense.3.weight")), qPrintable(r.compareNote));
        QVERIFY(r.stats.ok());
    }

    // A new bin count or slice runs the current request again; bins are clamped to 1..10000.
    void inspector_binsAndSliceRefresh()
    {
        TensorInspector inspector;
        QSignalSpy finished(&inspector, &TensorInspector::finished);
        inspector.inspect(QStringLiteral("conv1.0.weight"), modelATensor("conv1.0.weight"), {3, 0});
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QCOMPARE(inspector.last().stats.histogram.counts.size(), size_t(100));
        QCOMPARE(inspector.slice(), (std::vector<int64_t>{3, 0}));
        inspector.setBins(7);
        QCOMPARE(inspector.bins(), 7);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
        QCOMPARE(inspector.last().stats.histogram.counts.size(), size_t(7));
        inspector.setSlice({9, 0});
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 30000);
        QCOMPARE(inspector.last().slice, (std::vector<int64_t>{9, 0}));
        inspector.setBins(0);  // clamped to 1
        QCOMPARE(inspector.bins(), 1);
        inspector.setBins(kMaxHistogramBins + 1);
        QCOMPARE(inspector.bins(), kMaxHistogramBins);
        QVERIFY(waitUntilIdle(inspector, 30000));
    }

    // Deleting an inspector right after inspect() (its job on a worker) neither crashes nor
    // delivers anything later.
    void inspector_deleteWhileRunning()
    {
        for (int i = 0; i < 3; ++i) {
            auto* inspector = new TensorInspector;
            int delivered = 0;
            connect(inspector, &TensorInspector::finished, this, [&delivered] { ++delivered; });
            inspector->inspect(QStringLiteral("dense.0.weight"), modelATensor("dense.0.weight"));
            QVERIFY(inspector->isRunning());
            delete inspector;
            QTest::qWait(300);
            QCOMPARE(delivered, 0);
        }
        // with a parent, deleted by the event loop
        auto* parent = new QObject;
        auto* inspector = new TensorInspector(parent);
        inspector->inspect(QStringLiteral("layer4cxq4.weight"), modelATensor("layer4cxq4.weight"));
        parent->deleteLater();
        QTest::qWait(300);
    }

    // ---- runInspection -------------------------------------------------------------------

    // Every Model A state_dict key through runInspection: torch.histc's counts exactly, min/max
    // exactly, mean/std/norm to 1e-5 relative.
    void runInspection_modelAMatchesReference_data()
    {
        QTest::addColumn<QString>("key");
        const QJsonObject ref = reference_[QStringLiteral("state-dict-demo")].toObject();
        QCOMPARE(ref.size(), 16);
        for (auto it = ref.begin(); it != ref.end(); ++it)
            QTest::newRow(qPrintable(it.key())) << it.key();
    }
    void runInspection_modelAMatchesReference()
    {
        QFETCH(QString, key);
        const QJsonObject ref = reference_[QStringLiteral("state-dict-demo")].toObject()[key].toObject();
        const ListingEntry* entry = nullptr;
        const std::vector<ListingEntry> entries = stateDict(*modelA_);
        for (const ListingEntry& e : entries)
            if (QString::fromStdString(e.name) == key)
                entry = &e;
        QVERIFY2(entry, qPrintable(key + QStringLiteral(" is not in the app's state_dict")));

        InspectionRequest request;
        request.name = key;
        request.tensor = entry->tensor;
        const size_t dims = entry->tensor.shape().size();
        request.slice.assign(dims > 2 ? dims - 2 : 0, 0);
        const Inspection r = runInspection(request);
        QCOMPARE(r.name, key);
        const TensorStats& s = r.stats;
        QVERIFY(s.ok());
        QVERIFY(!r.compared);

        std::vector<int64_t> shape;
        for (const QJsonValue& v : ref[QStringLiteral("shape")].toArray())
            shape.push_back(v.toInteger());
        QCOMPARE(s.shape, shape);
        QCOMPARE(QString::fromStdString(s.dtype), ref[QStringLiteral("dtype")].toString());
        QCOMPARE(s.numel, ref[QStringLiteral("numel")].toInteger());
        for (const auto& [name, got] : {std::pair<const char*, double>{"min", s.min}, {"max", s.max}}) {
            const double want = mxtest::jsonNumber(ref[QLatin1String(name)]);
            QVERIFY2(mxtest::sameValue(got, want), qPrintable(QStringLiteral("%1 %2, torch %3")
                                                              .arg(QLatin1String(name), show(got), show(want))));
        }
        for (const auto& [name, got] :
             {std::pair<const char*, double>{"mean", s.mean}, {"std", s.std}, {"norm", s.norm}}) {
            const double want = mxtest::jsonNumber(ref[QLatin1String(name)]);
            QVERIFY2(mxtest::closeRelative(got, want, 1e-5), qPrintable(QStringLiteral("%1 %2, torch %3")
                                                               .arg(QLatin1String(name), show(got), show(want))));
        }
        QCOMPARE(s.zeros, ref[QStringLiteral("zeros")].toInteger());
        QCOMPARE(s.nan, ref[QStringLiteral("nan")].toInteger());
        QCOMPARE(s.posinf, ref[QStringLiteral("posinf")].toInteger());
        QCOMPARE(s.neginf, ref[QStringLiteral("neginf")].toInteger());

        const QJsonObject h = ref[QStringLiteral("histograms")].toObject()[QStringLiteral("100")].toObject();
        const QJsonArray counts = h[QStringLiteral("counts")].toArray();
        QCOMPARE(s.histogram.counts.size(), size_t(100));
        QCOMPARE(s.histogram.edges.size(), size_t(101));
        for (int k = 0; k < 100; ++k)
            QVERIFY2(s.histogram.counts[k] == counts[k].toInteger(),
                     qPrintable(QStringLiteral("bin %1: %2, torch.histc %3")
                                    .arg(k)
                                    .arg(s.histogram.counts[k])
                                    .arg(counts[k].toInteger())));
        QCOMPARE(s.histogram.edges.front(), mxtest::jsonNumber(h[QStringLiteral("low")]));
        QCOMPARE(s.histogram.edges.back(), mxtest::jsonNumber(h[QStringLiteral("high")]));

        // the plot's grid: 0-d has none; everything else a grid of its (first) 2-D slice
        QCOMPARE(r.hasGrid, !shape.empty());
        if (!shape.empty()) {
            const int64_t cols = shape.back(), rows = shape.size() >= 2 ? shape[shape.size() - 2] : 1;
            QCOMPARE(r.gridRows, rows);
            QCOMPARE(r.gridCols, cols);
            QVERIFY(r.grid.cols <= 1024 && r.grid.rows <= 512);
        }
    }

    // dense.3.weight (10 x 1024) into 100 columns: 11 elements a cell (94 cells), one row a row;
    // the cells' means, mins and maxes are their blocks'.
    void runInspection_gridReducesColumns()
    {
        const TensorRef w = modelATensor("dense.3.weight");
        QCOMPARE(w.shape(), (std::vector<int64_t>{10, 1024}));
        InspectionRequest request;
        request.name = QStringLiteral("dense.3.weight");
        request.tensor = w;
        request.gridCols = 100;
        const Inspection r = runInspection(request);
        QVERIFY(r.hasGrid);
        QCOMPARE(r.grid.colStep, int64_t(11));
        QCOMPARE(r.grid.rowStep, int64_t(1));
        QCOMPARE(r.grid.rows, int64_t(10));
        QCOMPARE(r.grid.cols, int64_t(94));  // ceil(1024 / 11)
        QCOMPARE(r.gridRows, int64_t(10));
        QCOMPARE(r.gridCols, int64_t(1024));
        QCOMPARE(r.grid.mean.size(), size_t(940));
        const std::vector<double> v = w.firstValues(10240);
        for (int64_t row : {int64_t(0), int64_t(9)}) {
            for (int64_t cell : {int64_t(0), int64_t(50), int64_t(93)}) {  // the last holds 1024 - 93*11 = 1
                double sum = 0, lo = kInf, hi = -kInf;
                int n = 0;
                for (int64_t c = cell * 11; c < std::min<int64_t>((cell + 1) * 11, 1024); ++c, ++n) {
                    const double x = v[row * 1024 + c];
                    sum += x;
                    lo = std::min(lo, x);
                    hi = std::max(hi, x);
                }
                const size_t i = static_cast<size_t>(row * 94 + cell);
                QVERIFY(std::abs(r.grid.mean[i] - sum / n) <= 1e-6);
                QCOMPARE(double(r.grid.min[i]), lo);
                QCOMPARE(double(r.grid.max[i]), hi);
            }
        }
    }

    // A pinned tensor of the same shape in the request: the difference; another: the note.
    void runInspection_comparesWithPinned()
    {
        const TensorRef a = randn({50, 40}), b = randn({50, 40});
        InspectionRequest request;
        request.name = QStringLiteral("a");
        request.tensor = a;
        request.pinned = b;
        request.pinnedName = QStringLiteral("b");
        Inspection r = runInspection(request);
        QVERIFY(r.compared);
        QCOMPARE(r.difference.numel, int64_t(2000));
        request.pinned = randn({40, 50});
        r = runInspection(request);
        QVERIFY(!r.compared);
        QVERIFY(r.compareNote.contains(QStringLiteral("'b'")));
    }

    // ---- statsRows / pythonFloat ---------------------------------------------------------

    void statsRows_zeroDimShowsItsValueAsPython()
    {
        const TensorStats s = computeTensorStats(modelATensor("attribute4cxq"), 100);
        const QList<QPair<QString, QString>> rows = statsRows(s);
        QStringList labels;
        QString value;
        for (const auto& [label, text] : rows) {
            labels << label;
            if (label == QLatin1String("value"))
                value = text;
        }
        QCOMPARE(value, QStringLiteral("20200910.0"));
        QCOMPARE(rows.at(0), qMakePair(QStringLiteral("shape"), QStringLiteral("torch.Size([])")));
        QCOMPARE(rows.at(1).second, QStringLiteral("float32"));
        QVERIFY2(labels.contains(QStringLiteral("min")) && labels.contains(QStringLiteral("L2 norm")),
                 qPrintable(labels.join(QLatin1Char(','))));

        // other tensors have no value row
        for (const auto& [label, text] : statsRows(computeTensorStats(modelATensor("dense.3.bias"), 100)))
            QVERIFY(label != QLatin1String("value"));
    }

    void pythonFloat_writesAsPythonRepr()
    {
        QCOMPARE(pythonFloat(0.1, false), QStringLiteral("0.1"));
        QCOMPARE(pythonFloat(1e-7, false), QStringLiteral("1e-07"));
        QCOMPARE(pythonFloat(1e16, false), QStringLiteral("1e+16"));
        QCOMPARE(pythonFloat(-0.5, true), QStringLiteral("-0.5"));
        QCOMPARE(pythonFloat(kNaN, false), QStringLiteral("nan"));
        QCOMPARE(pythonFloat(kNaN, true), QStringLiteral("nan"));
        QCOMPARE(pythonFloat(20200910.0, true), QStringLiteral("20200910.0"));
        QCOMPARE(pythonFloat(0.1f, true), QStringLiteral("0.1"));  // float32's shortest digits
        QCOMPARE(pythonFloat(kInf, false), QStringLiteral("inf"));
        QCOMPARE(pythonFloat(-kInf, false), QStringLiteral("-inf"));
        QCOMPARE(pythonFloat(1.0, false), QStringLiteral("1.0"));
        QCOMPARE(pythonFloat(123.25, false), QStringLiteral("123.25"));
        QCOMPARE(pythonFloat(1e-4, false), QStringLiteral("0.0001"));
        QCOMPARE(pythonFloat(1e15, false), QStringLiteral("1000000000000000.0"));
        QCOMPARE(pythonFloat(1.5e-10, false), QStringLiteral("1.5e-10"));
    }

    void statsRows_emptyTensorSaysSo()
    {
        const TensorStats s = computeTensorStats(zeros({0, 3}), 100);
        QCOMPARE(s.state, TensorStats::State::Empty);
        const QList<QPair<QString, QString>> rows = statsRows(s);
        QCOMPARE(rows.at(0).second, QStringLiteral("torch.Size([0, 3])"));
        bool saysEmpty = false;
        for (const auto& [label, text] : rows) {
            QVERIFY(label != QLatin1String("min"));  // no statistics of nothing
            saysEmpty |= text.contains(QStringLiteral("empty"));
        }
        QVERIFY(saysEmpty);
    }

    void statNumber_andTorchSize()
    {
        QCOMPARE(entrytext::shape({64, 1, 3, 3}), QStringLiteral("torch.Size([64, 1, 3, 3])"));
        QCOMPARE(statNumber(3, true), QStringLiteral("3"));
        QCOMPARE(statNumber(kNaN, false), QStringLiteral("nan"));
        QCOMPARE(statNumber(1.0 / 3, false), QStringLiteral("0.33333333"));
    }
};

QTEST_MAIN(TensorInspectionTest)
#include "tst_tensorinspection.moc"
