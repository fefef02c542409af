// The tensor statistics core (core/tensorstats.h, core/tensorslice.h) against real PyTorch:
// tests/fixtures/stats/stats_cases.pt holds small tensors of every kind (NaN, infinities, ints,
// bools, a 0-d, an empty and a transposed view) and stats_reference.json what torch 1.13 says of
// each (made by make_stats_reference.py; no Python runs here). Counts and torch.histc's bins must
// be equal exactly; min/max exactly; mean/std/norm to 1e-5 (float32) or 1e-12 (float64, ints).
// Also the tutorial's Model A / Model B tensors, the LibTorch baseline, difference statistics,
// cancel, and the 2-D slices and reduced grids the heatmap shows.

#include "../statsreference.h"
#include "core/examples.h"
#include "core/listings.h"
#include "core/modelfile.h"
#include "core/modulenode.h"
#include "core/tensorlookup.h"
#include "core/tensorslice.h"
#include "core/tensorstats.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <atomic>
#include <cmath>
#include <limits>
#include <memory>

using namespace mx;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

QString statsFixture(const QString& name)
{
    return QStringLiteral(MX_FIXTURES_DIR "/stats/") + name;
}


QString show(double v)
{
    return QString::number(v, 'g', 17);
}

QString showShape(const std::vector<int64_t>& shape)
{
    QStringList parts;
    for (int64_t d : shape)
        parts << QString::number(d);
    return QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
}

/** Differences between the app's statistics and Python's reference entry, one line each. */
QStringList compareStats(const TensorStats& s, const QJsonObject& ref, int bins)
{
    QStringList errors;
    auto expect = [&errors](bool ok, const QString& what) {
        if (!ok)
            errors << what;
    };
    std::vector<int64_t> shape;
    for (const QJsonValue& v : ref[QStringLiteral("shape")].toArray())
        shape.push_back(v.toInteger());
    const QString dtype = ref[QStringLiteral("dtype")].toString();
    const int64_t numel = ref[QStringLiteral("numel")].toInteger();
    expect(s.shape == shape, QStringLiteral("shape %1, torch %2").arg(showShape(s.shape), showShape(shape)));
    expect(QString::fromStdString(s.dtype) == dtype,
           QStringLiteral("dtype %1, torch %2").arg(QString::fromStdString(s.dtype), dtype));
    expect(s.numel == numel, QStringLiteral("numel %1, torch %2").arg(s.numel).arg(numel));
    expect(s.integral == ref[QStringLiteral("integral")].toBool(),
           QStringLiteral("integral %1").arg(s.integral));
    if (numel == 0) {
        expect(s.state == TensorStats::State::Empty, QStringLiteral("state is not Empty"));
        return errors;
    }
    if (s.state != TensorStats::State::Ok) {
        errors << QStringLiteral("state %1 (%2)")
                      .arg(static_cast<int>(s.state))
                      .arg(QString::fromStdString(s.message));
        return errors;
    }
    const double rel = dtype == QLatin1String("float32") ? 1e-5 : 1e-12;
    auto exact = [&](const char* name, double got) {
        const double want = mxtest::jsonNumber(ref[QLatin1String(name)]);
        expect(mxtest::sameValue(got, want), QStringLiteral("%1 %2, torch %3").arg(QLatin1String(name), show(got), show(want)));
    };
    auto near = [&](const char* name, double got) {
        const double want = mxtest::jsonNumber(ref[QLatin1String(name)]);
        expect(mxtest::closeRelative(got, want, rel),
               QStringLiteral("%1 %2, torch %3 (relative tolerance %4)")
                   .arg(QLatin1String(name), show(got), show(want))
                   .arg(rel));
    };
    auto count = [&](const char* name, int64_t got) {
        const int64_t want = ref[QLatin1String(name)].toInteger(-1);
        expect(got == want, QStringLiteral("%1 count %2, torch %3").arg(QLatin1String(name)).arg(got).arg(want));
    };
    exact("min", s.min);
    exact("max", s.max);
    near("mean", s.mean);
    near("std", s.std);
    near("norm", s.norm);
    count("zeros", s.zeros);
    count("nan", s.nan);
    count("posinf", s.posinf);
    count("neginf", s.neginf);

    const QJsonValue hv = ref[QStringLiteral("histograms")].toObject()[QString::number(bins)];
    const Histogram& h = s.histogram;
    if (hv.isUndefined()) {
        errors << QStringLiteral("no reference for %1 bins").arg(bins);
        return errors;
    }
    if (hv.isNull()) {  // no finite value
        expect(h.counts.empty() && h.edges.empty() && h.counted == 0,
               QStringLiteral("a histogram of %1 bins where there is no finite value").arg(h.counts.size()));
        return errors;
    }
    const QJsonObject href = hv.toObject();
    const QJsonArray counts = href[QStringLiteral("counts")].toArray();
    const QJsonArray edges = href[QStringLiteral("edges")].toArray();
    if (static_cast<qsizetype>(h.counts.size()) != counts.size() ||
        static_cast<qsizetype>(h.edges.size()) != edges.size()) {
        errors << QStringLiteral("%1 bins and %2 edges, torch %3 and %4")
                      .arg(h.counts.size())
                      .arg(h.edges.size())
                      .arg(counts.size())
                      .arg(edges.size());
        return errors;
    }
    for (qsizetype k = 0; k < counts.size(); ++k) {
        const int64_t want = counts[k].toInteger();
        const int64_t got = h.counts[static_cast<size_t>(k)];
        expect(got == want, QStringLiteral("histc bin %1 of %2 [%3, %4): %5, torch.histc %6")
                                .arg(k)
                                .arg(bins)
                                .arg(show(mxtest::jsonNumber(edges[k])), show(mxtest::jsonNumber(edges[k + 1])))
                                .arg(got)
                                .arg(want));
    }
    expect(h.counted == href[QStringLiteral("counted")].toInteger(),
           QStringLiteral("counted %1, torch %2").arg(h.counted).arg(href[QStringLiteral("counted")].toInteger()));
    const double low = mxtest::jsonNumber(href[QStringLiteral("low")]), high = mxtest::jsonNumber(href[QStringLiteral("high")]);
    expect(h.edges.front() == low, QStringLiteral("first edge %1, histc %2").arg(show(h.edges.front()), show(low)));
    expect(h.edges.back() == high, QStringLiteral("last edge %1, histc %2").arg(show(h.edges.back()), show(high)));
    for (qsizetype k = 0; k < edges.size(); ++k) {
        const double want = mxtest::jsonNumber(edges[k]), got = h.edges[static_cast<size_t>(k)];
        expect(std::abs(got - want) <= 1e-5 * std::max(std::abs(want), high - low),
               QStringLiteral("edge %1: %2, torch %3").arg(k).arg(show(got), show(want)));
    }
    return errors;
}

QString describe(const QString& what, const QStringList& errors)
{
    return what + QStringLiteral(":\n  ") + errors.join(QStringLiteral("\n  "));
}

}  // namespace

class TensorStatsTest : public QObject {
    Q_OBJECT

    OpenedModel cases_;
    std::unique_ptr<ModuleNode> modelA_, modelB_;
    QJsonObject reference_;

    TensorRef caseTensor(const QString& name)
    {
        NamedTensor found;
        if (!findNamedTensor(*cases_.root, name.toStdString(), &found))
            return {};
        return found.tensor;
    }

    QJsonObject caseReference(const QString& name) const
    {
        return reference_[QStringLiteral("cases")].toObject()[name].toObject();
    }

private Q_SLOTS:
    void initTestCase()
    {
        reference_ = mxtest::loadStatsReference();
        QVERIFY(!reference_[QStringLiteral("cases")].toObject().isEmpty());
        cases_ = openModelFile(statsFixture(QStringLiteral("stats_cases.pt")).toStdString());
        QVERIFY(cases_.root);
        modelA_ = buildExample("state-dict-demo");
        modelB_ = buildExample("buffer-demo");
    }

    // Every tensor torch.save wrote is read with its shape and dtype, the transposed view too.
    void everyCaseOpens()
    {
        const QJsonObject cases = reference_[QStringLiteral("cases")].toObject();
        for (auto it = cases.begin(); it != cases.end(); ++it) {
            const TensorRef t = caseTensor(it.key());
            QVERIFY2(!t.isNone(), qPrintable(it.key() + QStringLiteral(" is not in stats_cases.pt")));
            std::vector<int64_t> shape;
            for (const QJsonValue& v : it.value().toObject()[QStringLiteral("shape")].toArray())
                shape.push_back(v.toInteger());
            QCOMPARE(t.shape(), shape);
            QCOMPARE(QString::fromStdString(t.dtypeName()), it.value().toObject()[QStringLiteral("dtype")].toString());
        }
    }

    // Each case, 100 and 7 bins: the numbers torch gives, torch.histc's counts exactly.
    void casesMatchTorch_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("bins");
        const QJsonObject cases = reference_[QStringLiteral("cases")].toObject();
        for (const QJsonValue& b : reference_[QStringLiteral("bins")].toArray())
            for (auto it = cases.begin(); it != cases.end(); ++it)
                QTest::addRow("%s/%d", qPrintable(it.key()), b.toInt()) << it.key() << b.toInt();
    }
    void casesMatchTorch()
    {
        QFETCH(QString, name);
        QFETCH(int, bins);
        const TensorRef t = caseTensor(name);
        QVERIFY(!t.isNone());
        const QStringList errors = compareStats(computeTensorStats(t, bins), caseReference(name), bins);
        QVERIFY2(errors.isEmpty(), qPrintable(describe(name, errors)));
    }

    // The tutorial's Model A, every state_dict tensor (two of 25.7M elements: several blocks).
    void stateDictDemoMatchesTorch_data()
    {
        QTest::addColumn<QString>("key");
        const QJsonObject ref = reference_[QStringLiteral("state-dict-demo")].toObject();
        for (auto it = ref.begin(); it != ref.end(); ++it)
            QTest::newRow(qPrintable(it.key())) << it.key();
    }
    void stateDictDemoMatchesTorch()
    {
        QFETCH(QString, key);
        const std::vector<ListingEntry> entries = tensorListing(*modelA_, Listing::StateDict);
        const ListingEntry* entry = nullptr;
        for (const ListingEntry& e : entries)
            if (QString::fromStdString(e.name) == key)
                entry = &e;
        QVERIFY2(entry, qPrintable(key + QStringLiteral(" is not in the app's state_dict")));
        const QJsonObject ref = reference_[QStringLiteral("state-dict-demo")].toObject()[key].toObject();
        const QStringList errors = compareStats(computeTensorStats(entry->tensor, 100), ref, 100);
        QVERIFY2(errors.isEmpty(), qPrintable(describe(key, errors)));
    }
    void stateDictDemoKeys()
    {
        QStringList app, python;
        for (const ListingEntry& e : tensorListing(*modelA_, Listing::StateDict))
            app << QString::fromStdString(e.name);
        const QJsonObject ref = reference_[QStringLiteral("state-dict-demo")].toObject();
        for (auto it = ref.begin(); it != ref.end(); ++it)
            python << it.key();
        app.sort();
        python.sort();  // QJsonObject keeps keys sorted, not in file order
        QCOMPARE(app, python);
    }

    // Model B's registered buffer and its plain tensor attribute, found by the names users type.
    void bufferDemoMatchesTorch_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("register_buffer_in") << QStringLiteral("register_buffer_in");
        QTest::newRow("attribute_buffer_in") << QStringLiteral("attribute_buffer_in");
    }
    void bufferDemoMatchesTorch()
    {
        QFETCH(QString, name);
        NamedTensor found;
        QVERIFY(findNamedTensor(*modelB_, name.toStdString(), &found));
        const QJsonObject ref = reference_[QStringLiteral("buffer-demo")].toObject()[name].toObject();
        QVERIFY(!ref.isEmpty());
        const QStringList errors = compareStats(computeTensorStats(found.tensor, 100), ref, 100);
        QVERIFY2(errors.isEmpty(), qPrintable(describe(name, errors)));
    }

    // after - before, element-wise, as torch subtracts float32.
    void differenceMatchesTorch_data()
    {
        QTest::addColumn<int>("bins");
        QTest::newRow("100") << 100;
        QTest::newRow("7") << 7;
    }
    void differenceMatchesTorch()
    {
        QFETCH(int, bins);
        const TensorStats s = computeDifferenceStats(caseTensor(QStringLiteral("normal_after")),
                                                     caseTensor(QStringLiteral("normal")), bins);
        const QJsonObject ref =
            reference_[QStringLiteral("differences")].toObject()[QStringLiteral("normal_after - normal")].toObject();
        const QStringList errors = compareStats(s, ref, bins);
        QVERIFY2(errors.isEmpty(), qPrintable(describe(QStringLiteral("normal_after - normal"), errors)));
    }

    void emptyTensor()
    {
        const TensorStats s = computeTensorStats(caseTensor(QStringLiteral("empty")), 100);
        QCOMPARE(s.state, TensorStats::State::Empty);
        QCOMPARE(s.numel, int64_t(0));
        QCOMPARE(s.shape, std::vector<int64_t>{0});
        QVERIFY(s.histogram.counts.empty());
        QCOMPARE(torchOpsStats(caseTensor(QStringLiteral("empty")), 100).state, TensorStats::State::Empty);
    }

    void noneTensor()
    {
        const TensorStats s = computeTensorStats(TensorRef(), 100);
        QCOMPARE(s.state, TensorStats::State::Unsupported);
        QVERIFY(!s.message.empty());
    }

    // Model A's attribute4cxq = nn.Parameter(torch.tensor(20200910.0)): the one value, exactly.
    void zeroDimValue()
    {
        NamedTensor found;
        QVERIFY(findNamedTensor(*modelA_, "attribute4cxq", &found));
        const TensorStats s = computeTensorStats(found.tensor, 100);
        QVERIFY(s.ok());
        QVERIFY(s.shape.empty());
        QCOMPARE(s.numel, int64_t(1));
        QCOMPARE(s.value(), 20200910.0);
        QVERIFY(std::isnan(s.std));  // torch.std of one element
        QCOMPARE(formatTensorValue(s.value(), /*integral=*/true), std::string("20200910"));
        const TensorStats fromFile = computeTensorStats(caseTensor(QStringLiteral("zero_d")), 7);
        QCOMPARE(fromFile.value(), 20200910.0);
    }

    void integralFlag()
    {
        QVERIFY(computeTensorStats(caseTensor(QStringLiteral("ints")), 100).integral);
        QVERIFY(computeTensorStats(caseTensor(QStringLiteral("bools")), 100).integral);
        QVERIFY(computeTensorStats(caseTensor(QStringLiteral("uint8")), 100).integral);
        QVERIFY(!computeTensorStats(caseTensor(QStringLiteral("normal")), 100).integral);
        QVERIFY(!computeTensorStats(caseTensor(QStringLiteral("float64")), 100).integral);
        QVERIFY(TensorSlice(caseTensor(QStringLiteral("ints")), {}).integral());
        QVERIFY(!TensorSlice(caseTensor(QStringLiteral("normal")), {}).integral());
    }

    // The bin count is clamped to 1..kMaxHistogramBins.
    void binsClamped()
    {
        const TensorRef t = caseTensor(QStringLiteral("normal"));
        const TensorStats one = computeTensorStats(t, 0);
        QCOMPARE(one.histogram.counts.size(), size_t(1));
        QCOMPARE(one.histogram.counts[0], int64_t(5000));
        const TensorStats most = computeTensorStats(t, kMaxHistogramBins * 2);
        QCOMPARE(most.histogram.counts.size(), size_t(kMaxHistogramBins));
        QCOMPARE(most.histogram.counted, int64_t(5000));
    }

    // The fused passes give what the chain of LibTorch calls gives.
    void matchesTorchOpsBaseline_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : {"normal", "normal2d", "uniform", "float64", "strided", "with_nan", "with_inf"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }
    void matchesTorchOpsBaseline()
    {
        QFETCH(QString, name);
        const TensorRef t = caseTensor(name);
        const TensorStats a = computeTensorStats(t, 100);
        const TensorStats b = torchOpsStats(t, 100);
        QVERIFY(a.ok());
        QVERIFY(b.ok());
        QCOMPARE(a.shape, b.shape);
        QCOMPARE(a.dtype, b.dtype);
        QCOMPARE(a.numel, b.numel);
        QVERIFY2(mxtest::sameValue(a.min, b.min), qPrintable(show(a.min) + QStringLiteral(" vs ") + show(b.min)));
        QVERIFY2(mxtest::sameValue(a.max, b.max), qPrintable(show(a.max) + QStringLiteral(" vs ") + show(b.max)));
        // torch reduces float32 in float32: good to about 1e-6 of the spread
        const double scale = std::isfinite(b.std) ? std::max(std::abs(b.mean), b.std) : 1.0;
        auto closeTo = [&](double x, double y, double tolerance) {
            if (std::isnan(x) || std::isnan(y) || std::isinf(x) || std::isinf(y))
                return mxtest::sameValue(x, y);
            return std::abs(x - y) <= tolerance;
        };
        QVERIFY2(closeTo(a.mean, b.mean, 1e-5 * scale), qPrintable(show(a.mean) + QStringLiteral(" vs ") + show(b.mean)));
        QVERIFY2(closeTo(a.std, b.std, 1e-5 * scale), qPrintable(show(a.std) + QStringLiteral(" vs ") + show(b.std)));
        QVERIFY2(closeTo(a.norm, b.norm, 1e-5 * std::abs(b.norm)), qPrintable(show(a.norm) + QStringLiteral(" vs ") + show(b.norm)));
        QCOMPARE(a.zeros, b.zeros);
        QCOMPARE(a.nan, b.nan);
        QCOMPARE(a.posinf, b.posinf);
        QCOMPARE(a.neginf, b.neginf);
        QCOMPARE(a.histogram.counts, b.histogram.counts);
        QCOMPARE(a.histogram.counted, b.histogram.counted);
        QCOMPARE(a.histogram.edges.size(), b.histogram.edges.size());
        const double width = b.histogram.edges.back() - b.histogram.edges.front();
        for (size_t k = 0; k < a.histogram.edges.size(); ++k)
            QVERIFY2(std::abs(a.histogram.edges[k] - b.histogram.edges[k]) <=
                         1e-5 * std::max(std::abs(b.histogram.edges[k]), width),
                     qPrintable(QStringLiteral("edge %1: %2 vs %3").arg(k).arg(show(a.histogram.edges[k]), show(b.histogram.edges[k]))));
    }

    // A tensor against itself, and against its pinned copy (contiguous and strided): all zeros.
    void differenceOfSameValuesIsZero_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("snapshot");
        QTest::newRow("normal vs itself") << QStringLiteral("normal") << false;
        QTest::newRow("normal vs snapshot") << QStringLiteral("normal") << true;
        QTest::newRow("strided vs snapshot") << QStringLiteral("strided") << true;
        QTest::newRow("ints vs snapshot") << QStringLiteral("ints") << true;
    }
    void differenceOfSameValuesIsZero()
    {
        QFETCH(QString, name);
        QFETCH(bool, snapshot);
        const TensorRef t = caseTensor(name);
        TensorRef before = t;
        if (snapshot) {
            std::string error;
            before = snapshotTensor(t, &error);
            QVERIFY2(!before.isNone(), error.c_str());
            QVERIFY(before.identity() != t.identity());
            QCOMPARE(before.shape(), t.shape());
            QCOMPARE(before.sum(), t.sum());
        }
        const TensorStats s = computeDifferenceStats(t, before, 100);
        QVERIFY2(s.ok(), s.message.c_str());
        QCOMPARE(s.numel, t.numel());
        QCOMPARE(s.zeros, t.numel());
        QCOMPARE(s.min, 0.0);
        QCOMPARE(s.max, 0.0);
        QCOMPARE(s.mean, 0.0);
        QCOMPARE(s.std, 0.0);
        QCOMPARE(s.norm, 0.0);
        // histc of all zeros: the range widens to [-1, 1] and every value lands in the middle bin
        QCOMPARE(s.histogram.edges.front(), -1.0);
        QCOMPARE(s.histogram.edges.back(), 1.0);
        QCOMPARE(s.histogram.counts[50], t.numel());
        QCOMPARE(s.histogram.counted, t.numel());
    }

    void differenceOfDifferentShapes()
    {
        const TensorStats s = computeDifferenceStats(caseTensor(QStringLiteral("normal2d")),
                                                     caseTensor(QStringLiteral("strided")), 100);
        QCOMPARE(s.state, TensorStats::State::Unsupported);
        const QString message = QString::fromStdString(s.message);
        QVERIFY2(message.contains(QLatin1String("[40, 50]")) && message.contains(QLatin1String("[40, 30]")),
                 qPrintable(message));
        const TensorStats dtypes = computeDifferenceStats(caseTensor(QStringLiteral("ints")),
                                                          caseTensor(QStringLiteral("uint8")), 100);
        QCOMPARE(dtypes.state, TensorStats::State::Unsupported);
        QVERIFY2(QString::fromStdString(dtypes.message).contains(QLatin1String("int64")), dtypes.message.c_str());
    }

    void cancelled()
    {
        const std::atomic<bool> cancel{true};
        QCOMPARE(computeTensorStats(caseTensor(QStringLiteral("normal")), 100, &cancel).state,
                 TensorStats::State::Cancelled);
        QCOMPARE(computeTensorStats(caseTensor(QStringLiteral("strided")), 100, &cancel).state,
                 TensorStats::State::Cancelled);
        NamedTensor big;
        QVERIFY(findNamedTensor(*modelA_, "dense.0.weight", &big));
        QCOMPARE(computeTensorStats(big.tensor, 100, &cancel).state, TensorStats::State::Cancelled);
        QCOMPARE(computeDifferenceStats(caseTensor(QStringLiteral("normal")), caseTensor(QStringLiteral("normal")),
                                        100, &cancel).state,
                 TensorStats::State::Cancelled);
        const std::atomic<bool> goOn{false};
        QVERIFY(computeTensorStats(caseTensor(QStringLiteral("normal")), 100, &goOn).ok());
    }

    // TensorSlice reads the 2-D data as Python indexes it, a transposed view too.
    void sliceValues_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::newRow("normal2d") << QStringLiteral("normal2d") << 40 << 50;
        QTest::newRow("strided") << QStringLiteral("strided") << 40 << 30;
    }
    void sliceValues()
    {
        QFETCH(QString, name);
        QFETCH(int, rows);
        QFETCH(int, cols);
        const TensorSlice slice(caseTensor(name), {});
        QVERIFY2(slice.valid(), slice.error().c_str());
        QCOMPARE(slice.rows(), int64_t(rows));
        QCOMPARE(slice.cols(), int64_t(cols));
        const QJsonObject ref = reference_[QStringLiteral("slices")].toObject()[name].toObject();
        const QJsonArray samples = ref[QStringLiteral("samples")].toArray();
        QVERIFY(!samples.isEmpty());
        for (const QJsonValue& v : samples) {
            const QJsonArray s = v.toArray();
            const int64_t r = s[0].toInteger(), c = s[1].toInteger();
            QVERIFY2(slice.value(r, c) == mxtest::jsonNumber(s[2]),
                     qPrintable(QStringLiteral("%1[%2][%3] = %4, torch %5")
                                    .arg(name)
                                    .arg(r)
                                    .arg(c)
                                    .arg(show(slice.value(r, c)), show(mxtest::jsonNumber(s[2])))));
        }
        QVERIFY(std::isnan(slice.value(rows, 0)));
        QVERIFY(std::isnan(slice.value(0, cols)));
        QVERIFY(std::isnan(slice.value(-1, 0)));
    }

    // Leading dimensions fixed at an index: Model A's attribute4hh (3, 4, 5, 6)[2][3].
    void sliceOfFourDims()
    {
        NamedTensor found;
        QVERIFY(findNamedTensor(*modelA_, "attribute4hh", &found));
        const std::vector<double> flat = found.tensor.firstValues(found.tensor.numel());
        QCOMPARE(flat.size(), size_t(360));
        const TensorSlice slice(found.tensor, {2, 3});
        QVERIFY2(slice.valid(), slice.error().c_str());
        QCOMPARE(slice.rows(), int64_t(5));
        QCOMPARE(slice.cols(), int64_t(6));
        for (int64_t r = 0; r < 5; ++r)
            for (int64_t c = 0; c < 6; ++c)
                QCOMPARE(slice.value(r, c), flat[static_cast<size_t>(((2 * 4 + 3) * 5 + r) * 6 + c)]);
    }

    void sliceOneAndZeroDims()
    {
        const TensorSlice row(caseTensor(QStringLiteral("normal")), {});
        QVERIFY(row.valid());
        QCOMPARE(row.rows(), int64_t(1));
        QCOMPARE(row.cols(), int64_t(5000));
        const std::vector<double> first = caseTensor(QStringLiteral("normal")).firstValues(3);
        QCOMPARE(row.value(0, 2), first[2]);
        const TensorSlice cell(caseTensor(QStringLiteral("zero_d")), {});
        QVERIFY(cell.valid());
        QCOMPARE(cell.rows(), int64_t(1));
        QCOMPARE(cell.cols(), int64_t(1));
        QCOMPARE(cell.value(0, 0), 20200910.0);
        const TensorSlice bools(caseTensor(QStringLiteral("bools")), {});
        const std::vector<double> firstBools = caseTensor(QStringLiteral("bools")).firstValues(10);
        for (int64_t c = 0; c < 10; ++c) {
            QCOMPARE(bools.value(0, c), firstBools[static_cast<size_t>(c)]);
            QVERIFY(bools.value(0, c) == 0.0 || bools.value(0, c) == 1.0);
        }
    }

    void sliceErrors()
    {
        NamedTensor found;
        QVERIFY(findNamedTensor(*modelA_, "attribute4hh", &found));
        const TensorSlice outOfRange(found.tensor, {3, 0});
        QVERIFY(!outOfRange.valid());
        QVERIFY2(QString::fromStdString(outOfRange.error()).contains(QLatin1String("out of range")),
                 outOfRange.error().c_str());
        QVERIFY(std::isnan(outOfRange.value(0, 0)));
        QVERIFY(!TensorSlice(found.tensor, {0, 4}).valid());
        QVERIFY(!TensorSlice(found.tensor, {-1, 0}).valid());
        QVERIFY(!TensorSlice(found.tensor, {0}).valid());  // one index for two leading dims
        QVERIFY(!TensorSlice(caseTensor(QStringLiteral("normal2d")), {0}).valid());
        QVERIFY(!TensorSlice(TensorRef(), {}).valid());
        QVERIFY(TensorSlice(found.tensor, {2, 3}).valid());
    }

    // 40x50 into at most 8x10 cells: 5x5 blocks; means are the blocks' means.
    void reduceSliceBlocks_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("rowStep");
        QTest::addColumn<int>("colStep");
        QTest::newRow("normal2d") << QStringLiteral("normal2d") << 5 << 5;
        QTest::newRow("strided") << QStringLiteral("strided") << 5 << 3;
    }
    void reduceSliceBlocks()
    {
        QFETCH(QString, name);
        QFETCH(int, rowStep);
        QFETCH(int, colStep);
        const QJsonObject ref = reference_[QStringLiteral("slices")].toObject()[name].toObject();
        const TensorSlice slice(caseTensor(name), {});
        QVERIFY(slice.valid());
        const ReducedGrid g = reduceSlice(slice, ref[QStringLiteral("max_rows")].toInteger(),
                                          ref[QStringLiteral("max_cols")].toInteger());
        QVERIFY(!g.cancelled);
        QCOMPARE(g.rowStep, int64_t(rowStep));
        QCOMPARE(g.colStep, int64_t(colStep));
        QCOMPARE(g.rowStep, ref[QStringLiteral("row_step")].toInteger());
        QCOMPARE(g.colStep, ref[QStringLiteral("col_step")].toInteger());
        QCOMPARE(g.rows, ref[QStringLiteral("rows")].toInteger());
        QCOMPARE(g.cols, ref[QStringLiteral("cols")].toInteger());
        const QJsonArray mean = ref[QStringLiteral("mean")].toArray();
        const QJsonArray lo = ref[QStringLiteral("min")].toArray();
        const QJsonArray hi = ref[QStringLiteral("max")].toArray();
        QCOMPARE(static_cast<qsizetype>(g.mean.size()), mean.size());
        for (int64_t cr = 0; cr < g.rows; ++cr) {
            for (int64_t cc = 0; cc < g.cols; ++cc) {
                const size_t i = static_cast<size_t>(cr * g.cols + cc);
                // the block's mean from the slice's own values
                double sum = 0, mn = kInf, mx = -kInf;
                for (int64_t r = cr * rowStep; r < (cr + 1) * rowStep; ++r)
                    for (int64_t c = cc * colStep; c < (cc + 1) * colStep; ++c) {
                        sum += slice.value(r, c);
                        mn = std::min(mn, slice.value(r, c));
                        mx = std::max(mx, slice.value(r, c));
                    }
                const float blockMean = static_cast<float>(sum / (rowStep * colStep));
                QCOMPARE(g.mean[i], blockMean);
                QVERIFY2(std::abs(g.mean[i] - mxtest::jsonNumber(mean[static_cast<qsizetype>(i)])) <= 1e-6,
                         qPrintable(QStringLiteral("cell (%1, %2) mean %3, torch %4")
                                        .arg(cr)
                                        .arg(cc)
                                        .arg(show(g.mean[i]), show(mxtest::jsonNumber(mean[static_cast<qsizetype>(i)])))));
                QCOMPARE(static_cast<double>(g.min[i]), mn);
                QCOMPARE(static_cast<double>(g.max[i]), mx);
                QCOMPARE(static_cast<double>(g.min[i]), mxtest::jsonNumber(lo[static_cast<qsizetype>(i)]));
                QCOMPARE(static_cast<double>(g.max[i]), mxtest::jsonNumber(hi[static_cast<qsizetype>(i)]));
            }
        }
    }

    void reduceSliceSmallAndCancelled()
    {
        const TensorSlice slice(caseTensor(QStringLiteral("normal2d")), {});
        const ReducedGrid whole = reduceSlice(slice, 100, 100);  // one element per cell
        QCOMPARE(whole.rowStep, int64_t(1));
        QCOMPARE(whole.colStep, int64_t(1));
        QCOMPARE(whole.rows, int64_t(40));
        QCOMPARE(whole.cols, int64_t(50));
        QCOMPARE(static_cast<double>(whole.mean[3 * 50 + 7]), slice.value(3, 7));
        const std::atomic<bool> cancel{true};
        QVERIFY(reduceSlice(slice, 8, 10, &cancel).cancelled);
    }

    void formatValues()
    {
        QCOMPARE(formatTensorValue(kNaN, false), std::string("nan"));
        QCOMPARE(formatTensorValue(kInf, false), std::string("inf"));
        QCOMPARE(formatTensorValue(-kInf, false), std::string("-inf"));
        QCOMPARE(formatTensorValue(kNaN, true), std::string("nan"));
        QCOMPARE(formatTensorValue(20200910.0, true), std::string("20200910"));
        QCOMPARE(formatTensorValue(-50.0, true), std::string("-50"));
        QCOMPARE(formatTensorValue(0.123456789, false), std::string("0.123457"));
        QCOMPARE(formatTensorValue(-1.5e-7, false), std::string("-1.5e-07"));
        QCOMPARE(formatTensorValue(2.0, false), std::string("2"));
    }
};

QTEST_GUILESS_MAIN(TensorStatsTest)
#include "tst_tensorstats.moc"
