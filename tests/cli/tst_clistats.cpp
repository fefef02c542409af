// --stats NAME [--bins N] [--json] and --plot NAME --output FILE [--size WxH]: build/bin/
// module-explorer run as a process, its numbers held to tests/fixtures/stats/stats_reference.json
// (what PyTorch 1.13 says: torch.histc's counts exactly), its usage errors (exit 2, one line), the
// plot files read back (PNG by QImage, SVG by QSvgRenderer, PDF's page box) and a failed write
// that leaves the old file.
#include "../statsreference.h"
#include "apprun.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>

#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

const QString kStatsFile = QStringLiteral(MX_FIXTURES_DIR "/stats/stats_cases.pt");


/** The app writes a non-finite value as one of Python's float() strings. */
bool sameNonFinite(const QJsonValue& got, double want)
{
    if (!got.isString())
        return false;
    const double g = mxtest::jsonNumber(got);
    return std::isnan(want) ? std::isnan(g) : g == want;
}

QString show(double v) { return QString::number(v, 'g', 17); }

/** Lines of stderr that are not empty. */
QStringList errLines(const Run& r) { return r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts); }

QString describe(const Run& r)
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3").arg(r.exitCode).arg(r.out.left(2000), r.err);
}

}  // namespace

class CliStatsTest : public QObject {
    Q_OBJECT

    QJsonObject reference_;
    // Qt warns on stderr ("QStandardPaths: XDG_RUNTIME_DIR not set") when the platform starts
    // without one; --plot starts a QApplication, so the runs get a private one.
    QTemporaryDir runtimeDir_;

    QProcessEnvironment environment(bool withPlatform) const
    {
        QProcessEnvironment env = batchEnvironment();
        if (!withPlatform)  // as a user runs it: the app picks the offscreen platform itself
            env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDir_.path());
        return env;
    }

    Run app(const QStringList& args, rlim_t fileSizeLimit = RLIM_INFINITY) const
    {
        return runProcess(QStringLiteral(MX_BINARY_DIR "/bin/module-explorer"), args, environment(true),
                          fileSizeLimit);
    }

    Run plotApp(const QStringList& args, rlim_t fileSizeLimit = RLIM_INFINITY) const
    {
        return runProcess(QStringLiteral(MX_BINARY_DIR "/bin/module-explorer"), args, environment(false),
                          fileSizeLimit);
    }

    /** `--stats` as JSON: the object, after checking the run succeeded quietly. */
    QJsonObject statsJson(const QStringList& args, bool* ok) const
    {
        *ok = false;
        const Run r = app(args);
        if (r.exitCode != 0 || !r.err.isEmpty()) {
            qWarning("%s", qPrintable(describe(r)));
            return {};
        }
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            qWarning("not a JSON object (%s): %s", qPrintable(error.errorString()), qPrintable(r.out.left(500)));
            return {};
        }
        *ok = true;
        return doc.object();
    }

    /** Differences between the app's --json object and a reference entry, one line each. */
    static QStringList compare(const QJsonObject& got, const QJsonObject& ref, int bins)
    {
        QStringList errors;
        auto expect = [&errors](bool ok, const QString& what) {
            if (!ok)
                errors << what;
        };
        expect(got[QStringLiteral("shape")].toArray() == ref[QStringLiteral("shape")].toArray(),
               QStringLiteral("shape differs"));
        expect(got[QStringLiteral("dtype")].toString() == ref[QStringLiteral("dtype")].toString(),
               QStringLiteral("dtype %1").arg(got[QStringLiteral("dtype")].toString()));
        expect(got[QStringLiteral("numel")].toInteger(-1) == ref[QStringLiteral("numel")].toInteger(),
               QStringLiteral("numel %1").arg(got[QStringLiteral("numel")].toInteger(-1)));
        if (ref[QStringLiteral("numel")].toInteger() == 0)
            return errors;
        for (const char* name : {"min", "max"}) {  // exactly (JSON doubles round-trip)
            const double g = mxtest::jsonNumber(got[QLatin1String(name)]), w = mxtest::jsonNumber(ref[QLatin1String(name)]);
            const bool same = (std::isnan(w) || std::isinf(w)) ? sameNonFinite(got[QLatin1String(name)], w) : g == w;
            expect(same, QStringLiteral("%1 %2, torch %3").arg(QLatin1String(name), show(g), show(w)));
        }
        for (const char* name : {"mean", "std", "norm"}) {  // 1e-5 relative (float32 data)
            const double g = mxtest::jsonNumber(got[QLatin1String(name)]), w = mxtest::jsonNumber(ref[QLatin1String(name)]);
            const bool same = (std::isnan(w) || std::isinf(w))
                                  ? sameNonFinite(got[QLatin1String(name)], w)
                                  : std::abs(g - w) <= 1e-5 * std::max(std::abs(w), 1e-300);
            expect(same, QStringLiteral("%1 %2, torch %3").arg(QLatin1String(name), show(g), show(w)));
        }
        for (const char* name : {"zeros", "nan", "posinf", "neginf"})
            expect(got[QLatin1String(name)].toInteger(-1) == ref[QLatin1String(name)].toInteger(),
                   QStringLiteral("%1 count %2, torch %3")
                       .arg(QLatin1String(name))
                       .arg(got[QLatin1String(name)].toInteger(-1))
                       .arg(ref[QLatin1String(name)].toInteger()));

        const QJsonValue hv = ref[QStringLiteral("histograms")].toObject()[QString::number(bins)];
        const QJsonObject h = got[QStringLiteral("histogram")].toObject();
        const QJsonArray counts = h[QStringLiteral("counts")].toArray(), edges = h[QStringLiteral("edges")].toArray();
        if (hv.isUndefined()) {
            errors << QStringLiteral("the reference has no %1-bin histogram").arg(bins);
            return errors;
        }
        if (hv.isNull()) {  // no finite value
            expect(counts.isEmpty() && edges.isEmpty(), QStringLiteral("a histogram without finite values"));
            return errors;
        }
        const QJsonObject want = hv.toObject();
        const QJsonArray wantCounts = want[QStringLiteral("counts")].toArray();
        const QJsonArray wantEdges = want[QStringLiteral("edges")].toArray();
        if (counts.size() != bins || edges.size() != bins + 1) {
            errors << QStringLiteral("%1 counts and %2 edges for %3 bins").arg(counts.size()).arg(edges.size()).arg(bins);
            return errors;
        }
        for (int k = 0; k < bins; ++k)
            expect(counts[k].toInteger(-1) == wantCounts[k].toInteger(),
                   QStringLiteral("bin %1 of %2: %3, torch.histc %4")
                       .arg(k)
                       .arg(bins)
                       .arg(counts[k].toInteger(-1))
                       .arg(wantCounts[k].toInteger()));
        const double low = mxtest::jsonNumber(want[QStringLiteral("low")]), high = mxtest::jsonNumber(want[QStringLiteral("high")]);
        expect(edges[0].toDouble() == low, QStringLiteral("first edge %1, histc %2").arg(show(edges[0].toDouble()), show(low)));
        expect(edges[bins].toDouble() == high,
               QStringLiteral("last edge %1, histc %2").arg(show(edges[bins].toDouble()), show(high)));
        for (int k = 0; k <= bins; ++k) {
            const double g = edges[k].toDouble(), w = mxtest::jsonNumber(wantEdges[k]);
            expect(std::abs(g - w) <= 1e-5 * std::max(std::abs(w), high - low),
                   QStringLiteral("edge %1: %2, torch %3").arg(k).arg(show(g), show(w)));
        }
        return errors;
    }

    static QString keySet(const QJsonObject& o) { return QStringList(o.keys()).join(QLatin1Char(',')); }

    /** A failed --plot write: exit 1, one "cannot write" line, `path` still holds `old` and is
     *  the only entry of its folder (no temporary file left). */
    static void expectOldFileKept(const Run& r, const QString& path, const QByteArray& old)
    {
        QVERIFY2(r.exitCode == 1, qPrintable(describe(r)));
        const QStringList lines = errLines(r);
        QVERIFY2(lines.size() == 1, qPrintable(r.err));
        QVERIFY2(lines[0].startsWith(QStringLiteral("module-explorer: cannot write")), qPrintable(lines[0]));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), old);
        const QFileInfo info(path);
        QCOMPARE(info.dir().entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden),
                 QStringList{info.fileName()});
    }

private Q_SLOTS:
    void initTestCase()
    {
        reference_ = mxtest::loadStatsReference();
        QVERIFY(!reference_[QStringLiteral("state-dict-demo")].toObject().isEmpty());
        QVERIFY(runtimeDir_.isValid());
        QFile::setPermissions(runtimeDir_.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }

    // ---- --stats --json --------------------------------------------------------------------

    // Every Model A state_dict key (two of 25.7M elements) and Model B's buffer and plain
    // attribute: the documented keys, and PyTorch's numbers (torch.histc's counts exactly).
    void statsJson_matchesReference_data()
    {
        QTest::addColumn<QString>("example");
        QTest::addColumn<QString>("name");
        const QJsonObject a = reference_[QStringLiteral("state-dict-demo")].toObject();
        QCOMPARE(a.size(), 16);
        for (const QString& key : a.keys())
            QTest::addRow("state-dict-demo/%s", qPrintable(key)) << QStringLiteral("state-dict-demo") << key;
        for (const char* name : {"attribute_buffer_in", "register_buffer_in"})
            QTest::addRow("buffer-demo/%s", name) << QStringLiteral("buffer-demo") << QString::fromLatin1(name);
    }
    void statsJson_matchesReference()
    {
        QFETCH(QString, example);
        QFETCH(QString, name);
        bool ok = false;
        const QJsonObject got = statsJson({"--example", example, "--stats", name, "--json"}, &ok);
        QVERIFY(ok);

        static const QSet<QString> required{"name", "shape", "dtype", "numel", "min", "max", "mean",
                                            "std", "norm", "zeros", "nan", "posinf", "neginf",
                                            "histogram", "elapsed_ms"};
        static const QSet<QString> allowed{"device", "bytes", "note"};
        const QStringList keyList = got.keys();
        const QSet<QString> keys(keyList.begin(), keyList.end());
        QVERIFY2(keys.contains(required), qPrintable(keySet(got)));
        QVERIFY2((keys - required - allowed).isEmpty(), qPrintable(keySet(got)));
        QCOMPARE(QStringList(got[QStringLiteral("histogram")].toObject().keys()),
                 (QStringList{"counts", "edges"}));
        QCOMPARE(got[QStringLiteral("name")].toString(), name);
        QCOMPARE(got[QStringLiteral("device")].toString(), QStringLiteral("cpu"));
        QCOMPARE(got[QStringLiteral("bytes")].toInteger(), got[QStringLiteral("numel")].toInteger() * 4);
        QVERIFY(got[QStringLiteral("elapsed_ms")].isDouble());
        QVERIFY(got[QStringLiteral("elapsed_ms")].toDouble() >= 0);

        const QJsonObject ref = reference_[example].toObject()[name].toObject();
        QVERIFY(!ref.isEmpty());
        const QStringList errors = compare(got, ref, 100);
        QVERIFY2(errors.isEmpty(), qPrintable(name + QStringLiteral(":\n  ") + errors.join(QStringLiteral("\n  "))));

        const QJsonArray edges = got[QStringLiteral("histogram")].toObject()[QStringLiteral("edges")].toArray();
        QCOMPARE(edges.size(), 101);
        const double min = got[QStringLiteral("min")].toDouble(), max = got[QStringLiteral("max")].toDouble();
        if (min != max) {  // the outer edges are the extremes themselves
            QCOMPARE(edges[0].toDouble(), min);
            QCOMPARE(edges[100].toDouble(), max);
        }
        qint64 counted = 0;
        for (const QJsonValue& c : got[QStringLiteral("histogram")].toObject()[QStringLiteral("counts")].toArray())
            counted += c.toInteger();
        QCOMPARE(counted, got[QStringLiteral("numel")].toInteger());  // all finite here
    }

    // The 0-d attribute4cxq: one value, its histogram widened by one each side as histc does.
    void statsJson_zeroDim()
    {
        bool ok = false;
        const QJsonObject got = statsJson({"--stats", "attribute4cxq", "--json"}, &ok);
        QVERIFY(ok);
        QCOMPARE(got[QStringLiteral("shape")].toArray(), QJsonArray());
        QCOMPARE(got[QStringLiteral("numel")].toInteger(), qint64(1));
        QCOMPARE(got[QStringLiteral("min")].toDouble(), 20200910.0);
        QCOMPARE(got[QStringLiteral("max")].toDouble(), 20200910.0);
        QCOMPARE(got[QStringLiteral("mean")].toDouble(), 20200910.0);
        QCOMPARE(got[QStringLiteral("std")].toString(), QStringLiteral("NaN"));  // torch.std of one element
        const QJsonObject h = got[QStringLiteral("histogram")].toObject();
        QCOMPARE(h[QStringLiteral("edges")].toArray().size(), 101);
        QVERIFY(h[QStringLiteral("edges")].toArray().first().toDouble() < 20200910.0);
        QVERIFY(h[QStringLiteral("edges")].toArray().last().toDouble() > 20200910.0);
    }

    // dense.0.weight, 25.7M elements: the time of the passes is reported (and is not zero).
    void statsJson_largeTensorReportsElapsed()
    {
        bool ok = false;
        const QJsonObject got = statsJson({"--stats", "dense.0.weight", "--json"}, &ok);
        QVERIFY(ok);
        QCOMPARE(got[QStringLiteral("numel")].toInteger(), qint64(25690112));
        QCOMPARE(got[QStringLiteral("shape")].toArray(), (QJsonArray{1024, 25088}));
        QVERIFY2(got[QStringLiteral("elapsed_ms")].toDouble() > 0,
                 qPrintable(QString::number(got[QStringLiteral("elapsed_ms")].toDouble())));
    }

    // --bins 7 on every case of stats_cases.pt opened as FILE (NaN, infinities, ints, bools, a
    // 0-d, an empty tensor, a transposed view): torch.histc(t, 7)'s counts exactly.
    void statsJson_bins7MatchesHistc_data()
    {
        QTest::addColumn<QString>("name");
        const QJsonObject cases = reference_[QStringLiteral("cases")].toObject();
        QVERIFY(cases.size() >= 19);
        for (const QString& name : cases.keys())
            QTest::newRow(qPrintable(name)) << name;
    }
    void statsJson_bins7MatchesHistc()
    {
        QFETCH(QString, name);
        bool ok = false;
        const QJsonObject got = statsJson({kStatsFile, "--stats", name, "--bins", "7", "--json"}, &ok);
        QVERIFY(ok);
        const QJsonObject ref = reference_[QStringLiteral("cases")].toObject()[name].toObject();
        const QStringList errors = compare(got, ref, 7);
        QVERIFY2(errors.isEmpty(), qPrintable(name + QStringLiteral(":\n  ") + errors.join(QStringLiteral("\n  "))));
        if (ref[QStringLiteral("numel")].toInteger() == 0)
            QVERIFY(got.contains(QStringLiteral("note")));
    }

    // --bins 7 on Model A's tensors (the reference holds only 100 bins for them): 7 counts over
    // every value, the outer edges at min and max, equal widths.
    void statsJson_bins7ModelA_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : {"conv1.0.weight", "dense.3.weight", "dense.3.bias", "dense.0.weight"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }
    void statsJson_bins7ModelA()
    {
        QFETCH(QString, name);
        bool ok = false;
        const QJsonObject got = statsJson({"--stats", name, "--bins", "7", "--json"}, &ok);
        QVERIFY(ok);
        const QJsonObject ref = reference_[QStringLiteral("state-dict-demo")].toObject()[name].toObject();
        const QJsonObject h = got[QStringLiteral("histogram")].toObject();
        const QJsonArray counts = h[QStringLiteral("counts")].toArray(), edges = h[QStringLiteral("edges")].toArray();
        QCOMPARE(counts.size(), 7);
        QCOMPARE(edges.size(), 8);
        qint64 counted = 0;
        for (const QJsonValue& c : counts)
            counted += c.toInteger();
        QCOMPARE(counted, ref[QStringLiteral("numel")].toInteger());
        QCOMPARE(edges[0].toDouble(), mxtest::jsonNumber(ref[QStringLiteral("min")]));
        QCOMPARE(edges[7].toDouble(), mxtest::jsonNumber(ref[QStringLiteral("max")]));
        const double width = (edges[7].toDouble() - edges[0].toDouble()) / 7;
        for (int k = 0; k < 7; ++k)
            QVERIFY(std::abs(edges[k + 1].toDouble() - edges[k].toDouble() - width) <= 1e-6 * width);
        // the statistics do not depend on the bin count
        QCOMPARE(got[QStringLiteral("min")].toDouble(), mxtest::jsonNumber(ref[QStringLiteral("min")]));
        QCOMPARE(got[QStringLiteral("zeros")].toInteger(), ref[QStringLiteral("zeros")].toInteger());
    }

    // ---- --stats as text ---------------------------------------------------------------------

    void statsText_zeroDimValueAndHistogram()
    {
        const Run r = app({"--stats", "attribute4cxq"});
        QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), qPrintable(describe(r)));
        QVERIFY2(r.out.startsWith(QStringLiteral("attribute4cxq\n")), qPrintable(r.out.left(200)));
        QVERIFY2(r.out.contains(QStringLiteral("  value: 20200910.0\n")), qPrintable(r.out.left(500)));
        QVERIFY(r.out.contains(QStringLiteral("  shape: torch.Size([])\n")));
        QVERIFY(r.out.contains(QStringLiteral("  min: 20200910.0\n")));
        QVERIFY(r.out.contains(QStringLiteral("  histogram (100 bins, torch.histc's edges):\n")));
        static const QRegularExpression bin(QStringLiteral("^    \\[\\S+, \\S+[)\\]]  (\\d+)$"));
        int bins = 0;
        qint64 counted = 0;
        for (const QString& line : r.out.split(QLatin1Char('\n'))) {
            const QRegularExpressionMatch m = bin.match(line);
            if (m.hasMatch()) {
                ++bins;
                counted += m.captured(1).toLongLong();
            }
        }
        QCOMPARE(bins, 100);
        QCOMPARE(counted, qint64(1));
        QVERIFY(r.out.contains(QStringLiteral("  elapsed: ")));
    }

    // The text's bin lines carry torch.histc's counts, in order; the last bin is closed.
    void statsText_histogramLinesMatchReference()
    {
        const Run r = app({"--stats", "conv1.0.weight"});
        QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), qPrintable(describe(r)));
        QVERIFY(r.out.contains(QStringLiteral("  shape: torch.Size([64, 1, 3, 3])\n")));
        QVERIFY(r.out.contains(QStringLiteral("  numel: 576\n")));
        QVERIFY(!r.out.contains(QStringLiteral("  value: ")));
        static const QRegularExpression bin(QStringLiteral("^    \\[\\S+, \\S+([)\\]])  (\\d+)$"));
        QList<qint64> counts;
        QStringList closers;
        for (const QString& line : r.out.split(QLatin1Char('\n'))) {
            const QRegularExpressionMatch m = bin.match(line);
            if (m.hasMatch()) {
                closers << m.captured(1);
                counts << m.captured(2).toLongLong();
            }
        }
        QCOMPARE(counts.size(), 100);
        const QJsonArray want = reference_[QStringLiteral("state-dict-demo")]
                                    .toObject()[QStringLiteral("conv1.0.weight")]
                                    .toObject()[QStringLiteral("histograms")]
                                    .toObject()[QStringLiteral("100")]
                                    .toObject()[QStringLiteral("counts")]
                                    .toArray();
        for (int k = 0; k < 100; ++k)
            QCOMPARE(counts[k], want[k].toInteger());
        QCOMPARE(closers.count(QStringLiteral("]")), 1);
        QCOMPARE(closers.last(), QStringLiteral("]"));
    }

    // ---- usage errors ----------------------------------------------------------------------

    void unknownNameExits2WithOneLine()
    {
        const Run r = app({"--stats", "nope"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
        const QStringList lines = errLines(r);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].startsWith(QStringLiteral("module-explorer: ")) && lines[0].contains(QStringLiteral("'nope'")),
                 qPrintable(lines[0]));

        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("nope.png"));
        const Run p = plotApp({"--plot", "nope", "--output", out});
        QCOMPARE(p.exitCode, 2);
        QCOMPARE(errLines(p).size(), 1);
        QVERIFY2(errLines(p)[0].contains(QStringLiteral("'nope'")), qPrintable(p.err));
        QVERIFY(!QFile::exists(out));
    }

    void refusals_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("--bins 0") << QStringList{"--stats", "conv1.0.weight", "--bins", "0"};
        QTest::newRow("--bins 10001") << QStringList{"--stats", "conv1.0.weight", "--bins", "10001"};
        QTest::newRow("--bins x") << QStringList{"--stats", "conv1.0.weight", "--bins", "x"};
        QTest::newRow("--bins -1") << QStringList{"--stats", "conv1.0.weight", "--bins", "-1"};
        QTest::newRow("--bins 1.5") << QStringList{"--stats", "conv1.0.weight", "--bins", "1.5"};
        QTest::newRow("--bins without value") << QStringList{"--stats", "conv1.0.weight", "--bins"};
        QTest::newRow("--bins alone") << QStringList{"--bins", "5"};
        QTest::newRow("--plot without --output") << QStringList{"--plot", "X"};
        QTest::newRow("--output without --plot") << QStringList{"--output", "f.png"};
        QTest::newRow("--output with --stats") << QStringList{"--stats", "conv1.0.weight", "--output", "f.png"};
        QTest::newRow("--size 10x10") << QStringList{"--size", "10x10"};
        QTest::newRow("--size 800") << QStringList{"--size", "800"};
        QTest::newRow("--plot --size 10x10")
            << QStringList{"--plot", "conv1.0.weight", "--output", "f.png", "--size", "10x10"};
        QTest::newRow("--plot --size 800")
            << QStringList{"--plot", "conv1.0.weight", "--output", "f.png", "--size", "800"};
        QTest::newRow("--plot --size 8001x100")
            << QStringList{"--plot", "conv1.0.weight", "--output", "f.png", "--size", "8001x100"};
        QTest::newRow(".gif") << QStringList{"--plot", "conv1.0.weight", "--output", "f.gif"};
        QTest::newRow("no suffix") << QStringList{"--plot", "conv1.0.weight", "--output", "f"};
        QTest::newRow("--stats --print") << QStringList{"--stats", "a", "--print", "state_dict"};
        QTest::newRow("--stats --forward") << QStringList{"--stats", "conv1.0.weight", "--forward", "1x1x28x28"};
        QTest::newRow("--plot --json") << QStringList{"--plot", "conv1.0.weight", "--output", "f.png", "--json"};
        QTest::newRow("--stats without name") << QStringList{"--stats"};
    }
    // Each exits 2 before doing anything: no output, one line on stderr, no file written.
    void refusals()
    {
        QFETCH(QStringList, args);
        QTemporaryDir dir;
        for (QString& a : args)  // relative file names land in a scratch folder
            if (a.startsWith(QStringLiteral("f.")) || a == QLatin1String("f"))
                a = dir.filePath(a);
        const Run r = plotApp(args);
        QVERIFY2(r.exitCode == 2, qPrintable(describe(r)));
        QVERIFY(r.out.isEmpty());
        const QStringList lines = errLines(r);
        QVERIFY2(lines.size() == 1, qPrintable(r.err));
        QVERIFY2(lines[0].startsWith(QStringLiteral("module-explorer: ")), qPrintable(lines[0]));
        QVERIFY(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden).isEmpty());
    }

    // ---- tensors made by --exec -----------------------------------------------------------

    // A non-persistent buffer: not in state_dict, found by its named_buffers name.
    void statsOfNonPersistentBuffer()
    {
        const QString exec = QStringLiteral("model.register_buffer('nb', torch.zeros(3), persistent=False)");
        const Run listing = app({"--exec", exec, "--print", "state_dict"});
        QCOMPARE(listing.exitCode, 0);
        QVERIFY(!listing.out.contains(QStringLiteral("nb")));
        bool ok = false;
        const QJsonObject got = statsJson({"--exec", exec, "--stats", "nb", "--json"}, &ok);
        QVERIFY(ok);
        QCOMPARE(got[QStringLiteral("name")].toString(), QStringLiteral("nb"));
        QCOMPARE(got[QStringLiteral("shape")].toArray(), QJsonArray{3});
        QCOMPARE(got[QStringLiteral("zeros")].toInteger(), qint64(3));
        QCOMPARE(got[QStringLiteral("min")].toDouble(), 0.0);
        QCOMPARE(got[QStringLiteral("max")].toDouble(), 0.0);
        QCOMPARE(got[QStringLiteral("norm")].toDouble(), 0.0);
    }

    // A plain tensor attribute set by the console.
    void statsOfPlainAttribute()
    {
        bool ok = false;
        const QJsonObject got =
            statsJson({"--exec", "model.t = torch.full((2,2), 2.5)", "--stats", "t", "--json"}, &ok);
        QVERIFY(ok);
        QCOMPARE(got[QStringLiteral("shape")].toArray(), (QJsonArray{2, 2}));
        QCOMPARE(got[QStringLiteral("min")].toDouble(), 2.5);
        QCOMPARE(got[QStringLiteral("max")].toDouble(), 2.5);
        QCOMPARE(got[QStringLiteral("mean")].toDouble(), 2.5);
        QCOMPARE(got[QStringLiteral("std")].toDouble(), 0.0);
        QCOMPARE(got[QStringLiteral("norm")].toDouble(), 5.0);
        const QJsonObject h = got[QStringLiteral("histogram")].toObject();
        QCOMPARE(h[QStringLiteral("edges")].toArray().first().toDouble(), 1.5);  // histc widens by 1
        QCOMPARE(h[QStringLiteral("edges")].toArray().last().toDouble(), 3.5);
        qint64 counted = 0;
        for (const QJsonValue& c : h[QStringLiteral("counts")].toArray())
            counted += c.toInteger();
        QCOMPARE(counted, qint64(4));
    }

    // An empty tensor: numbers null, a note.
    // A transposed view of the 25.7 M-element weight is read in place through its strides, in
    // many parallel blocks: the same values, so the same counts and extremes as the original.
    void stridedViewHasTheOriginalsStatistics()
    {
        bool ok = false;
        const QJsonObject original = statsJson({"--stats", "dense.0.weight", "--json"}, &ok);
        QVERIFY(ok);
        const QJsonObject view = statsJson(
            {"--exec", "model.tt = model.dense[0].weight.t()", "--stats", "tt", "--json"}, &ok);
        QVERIFY(ok);
        QCOMPARE(view[QStringLiteral("shape")].toArray(), (QJsonArray{25088, 1024}));
        for (const char* key : {"min", "max", "zeros", "nan", "posinf", "neginf", "numel"})
            QCOMPARE(view[QLatin1String(key)], original[QLatin1String(key)]);
        QCOMPARE(view[QStringLiteral("histogram")].toObject()[QStringLiteral("counts")],
                 original[QStringLiteral("histogram")].toObject()[QStringLiteral("counts")]);
        for (const char* key : {"mean", "std", "norm"}) {
            const double a = view[QLatin1String(key)].toDouble(), b = original[QLatin1String(key)].toDouble();
            QVERIFY2(std::abs(a - b) <= 1e-6 * std::abs(b), key);
        }
    }

    void statsOfEmptyTensor()
    {
        bool ok = false;
        const QJsonObject got = statsJson({"--exec", "model.e = torch.zeros(0)", "--stats", "e", "--json"}, &ok);
        QVERIFY(ok);
        QCOMPARE(got[QStringLiteral("numel")].toInteger(), qint64(0));
        QVERIFY(got[QStringLiteral("min")].isNull());
        QVERIFY(got[QStringLiteral("note")].toString().contains(QStringLiteral("empty")));
        QVERIFY(got[QStringLiteral("histogram")].toObject()[QStringLiteral("counts")].toArray().isEmpty());
    }

    // ---- --plot ------------------------------------------------------------------------------

    void plotWritesEveryFormat_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("suffix");
        // a kernel grid, a heatmap, a line and a single value
        for (const char* name : {"conv1.0.weight", "dense.3.weight", "dense.3.bias", "attribute4cxq"})
            for (const char* suffix : {"png", "svg", "pdf"})
                QTest::addRow("%s.%s", name, suffix) << QString::fromLatin1(name) << QString::fromLatin1(suffix);
    }
    // 640x480 without a display (QT_QPA_PLATFORM unset: the app picks offscreen itself).
    void plotWritesEveryFormat()
    {
        QFETCH(QString, name);
        QFETCH(QString, suffix);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("plot.") + suffix);
        const Run r = plotApp({"--plot", name, "--output", path, "--size", "640x480"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QVERIFY(QFileInfo(path).size() > 0);
        QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("plot.") + suffix});  // no temporary left behind
        if (suffix == QLatin1String("png")) {
            QImage image;
            QVERIFY(image.load(path, "PNG"));
            QCOMPARE(image.size(), QSize(640, 480));
            const QRgb corner = image.pixel(0, 0);
            bool drawn = false;  // something besides the background
            for (int y = 0; y < image.height() && !drawn; y += 3)
                for (int x = 0; x < image.width() && !drawn; x += 3)
                    drawn = image.pixel(x, y) != corner;
            QVERIFY(drawn);
        } else if (suffix == QLatin1String("svg")) {
            QSvgRenderer svg(path);
            QVERIFY(svg.isValid());
            QCOMPARE(svg.defaultSize(), QSize(640, 480));
            QCOMPARE(svg.viewBox(), QRect(0, 0, 640, 480));
        } else {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            QVERIFY(bytes.startsWith("%PDF"));
            // QPdfWriter at 72 dpi: one point per pixel; it writes "/MediaBox [0 0 640.000000 480.000000]"
            static const QRegularExpression box(QStringLiteral("/MediaBox \\[0 0 640(\\.0+)? 480(\\.0+)?\\]"));
            QVERIFY2(box.match(QString::fromLatin1(bytes)).hasMatch(), "no 640 x 480 point page box");
        }
    }

    // The default size is 800x500; a large tensor plots too (reduced to the plot's cells).
    void plotDefaultSizeAndLargeTensor()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("dense0.png"));
        const Run r = plotApp({"--plot", "dense.0.weight", "--output", path});
        QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), qPrintable(describe(r)));
        QImage image;
        QVERIFY(image.load(path));
        QCOMPARE(image.size(), QSize(800, 500));
        const QString upper = dir.filePath(QStringLiteral("UPPER.PNG"));  // suffixes are case-blind
        const Run u = plotApp({"--plot", "dense.3.bias", "--output", upper, "--bins", "7"});
        QVERIFY2(u.exitCode == 0, qPrintable(describe(u)));
        QVERIFY(image.load(upper, "PNG"));
    }

    // ---- failed writes -------------------------------------------------------------------

    // The folder is read-only: exit 1, one line, the old file's bytes intact. As root chmod does
    // not stop a write, so then the path's parent is a regular file instead.
    void failedWriteKeepsOldFile_readOnlyFolder()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("ro"));
        QVERIFY(QDir().mkpath(folder));
        const QString path = folder + QStringLiteral("/plot.png");
        const QByteArray old("old bytes, not a PNG\n");
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(old), old.size());
        }
        QCOMPARE(::chmod(QFile::encodeName(folder).constData(), 0555), 0);
        const bool writable = ::access(QFile::encodeName(folder).constData(), W_OK) == 0;
        if (writable) {
            ::chmod(QFile::encodeName(folder).constData(), 0755);
            qInfo("running as root: chmod 0555 does not stop writes; writing below a regular file");
            const QString afile = dir.filePath(QStringLiteral("afile"));
            QFile f(afile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.close();
            const QString target = afile + QStringLiteral("/x.png");
            const Run r = plotApp({"--plot", "conv1.0.weight", "--output", target});
            QVERIFY2(r.exitCode == 1, qPrintable(describe(r)));
            QVERIFY(r.out.isEmpty());
            const QStringList lines = errLines(r);
            QVERIFY2(lines.size() == 1, qPrintable(r.err));
            QVERIFY2(lines[0].startsWith(QStringLiteral("module-explorer: cannot write")), qPrintable(lines[0]));
            QVERIFY2(lines[0].contains(target), qPrintable(lines[0]));
            QCOMPARE(QFileInfo(afile).size(), qint64(0));
            return;
        }
        const Run r = plotApp({"--plot", "conv1.0.weight", "--output", path});
        ::chmod(QFile::encodeName(folder).constData(), 0755);
        expectOldFileKept(r, path, old);
    }

    // A write that fails part way (RLIMIT_FSIZE: EFBIG past 4 KiB; works as root too): exit 1,
    // one line, the old file's bytes intact and no temporary left, for each format.
    void failedWriteKeepsOldFile_fileTooLarge_data()
    {
        QTest::addColumn<QString>("suffix");
        for (const char* suffix : {"png", "svg", "pdf"})
            QTest::newRow(suffix) << QString::fromLatin1(suffix);
    }
    void failedWriteKeepsOldFile_fileTooLarge()
    {
        QFETCH(QString, suffix);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("plot.") + suffix);
        const QByteArray old("old bytes\n");
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(old), old.size());
        }
        const Run r = plotApp({"--plot", "conv1.0.weight", "--output", path, "--size", "640x480"}, 4096);
        expectOldFileKept(r, path, old);
    }
};

QTEST_MAIN(CliStatsTest)
#include "tst_clistats.moc"
