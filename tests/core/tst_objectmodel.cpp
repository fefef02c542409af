// The console's Python object model (issue 10) against real PyTorch 1.13: every case of
// tests/fixtures/objectmodel/<area>.json (made by make_objectmodel_reference.py from
// cases_<area>.py) is replayed through a StatementSession on its example model and counted
// matched (every step as Python), refused (an honest NotImplementedError where Python answered)
// or wrong (anything else). A wrong case fails, and so does a refused one the issue requires.

#include "consolereference.h"

#include "core/examples.h"
#include "core/modulenode.h"
#include "core/resourcebudget.h"
#include "core/statements/statementsession.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>
#include <QStringList>
#include <QTest>

#include <exception>
#include <memory>
#include <string>

using namespace mx;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }


// One case of an area's fixture: its area, name, example, steps and whether the issue requires it.
struct ReferenceCase {
    QString area;
    QJsonObject json;
    QString name() const { return json[QStringLiteral("name")].toString(); }
    QString rowName() const { return area + QLatin1Char('/') + name(); }
    bool required() const { return json[QStringLiteral("required")].toBool(); }
};

QString fixturesDir() { return QStringLiteral(MX_FIXTURES_DIR "/objectmodel"); }

QList<ReferenceCase> loadCases()
{
    QList<ReferenceCase> cases;
    const QDir dir(fixturesDir());
    for (const QString& file : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QString area = file.chopped(5);
        const QJsonObject ref = QJsonDocument::fromJson(f.readAll()).object();
        for (const QJsonValue c : ref[QStringLiteral("cases")].toArray())
            cases.append({area, c.toObject()});
    }
    return cases;
}

enum class Verdict { Matched, Refused, Wrong };

// How a case came out, and for a wrong or refused one the step that decided it.
struct Outcome {
    Verdict verdict = Verdict::Matched;
    QString detail;
};

bool isRefusal(const StatementResult& r)
{
    return !r.ok && q(r.error).startsWith(QStringLiteral("NotImplementedError: ")) &&
           q(r.error).endsWith(QStringLiteral(" is not supported by Module Explorer's console"));
}


Outcome replay(const ReferenceCase& c)
{
    std::unique_ptr<ModuleNode> model;
    try {
        model = buildExample(c.json[QStringLiteral("example")].toString().toStdString());
    } catch (const std::exception& e) {
        return {Verdict::Wrong, QStringLiteral("building the example threw: ") + e.what()};
    }
    if (!model)
        return {Verdict::Wrong, QStringLiteral("unknown example")};
    StatementSession session(*model);
    int index = 0;
    for (const QJsonValue stepValue : c.json[QStringLiteral("steps")].toArray()) {
        ++index;
        const QJsonObject step = stepValue.toObject();
        const QString source = step[QStringLiteral("source")].toString();
        const QString where = QStringLiteral("step %1 >>> %2\n").arg(index).arg(source);
        StatementResult r;
        try {
            r = session.run(source.toStdString());
        } catch (const std::exception& e) {  // the console crashed: not Python's answer
            return {Verdict::Wrong, where + QStringLiteral("exception escaped: ") + e.what()};
        }
        if (isRefusal(r) && step[QStringLiteral("error")].toString().isEmpty())
            return {Verdict::Refused, where + q(r.error)};
        const QString differences =
            consolereference::stepDifferences(r, step, step[QStringLiteral("output")].toString());
        if (!differences.isEmpty())
            return {Verdict::Wrong, where + differences};
    }
    return {};
}

// Outcomes by row name, so the summary reuses what the per-case rows computed.
QMap<QString, Outcome>& outcomeCache()
{
    static QMap<QString, Outcome> cache;
    return cache;
}

Outcome outcomeOf(const ReferenceCase& c)
{
    auto& cache = outcomeCache();
    const auto found = cache.constFind(c.rowName());
    if (found != cache.constEnd())
        return *found;
    return cache[c.rowName()] = replay(c);
}

// Matched / refused / wrong counts of one area (or of all).
struct Counts {
    int matched = 0;
    int refused = 0;
    int wrong = 0;
    void add(Verdict v) { ++(v == Verdict::Matched ? matched : v == Verdict::Refused ? refused : wrong); }
    QString text(const QString& label) const
    {
        return QStringLiteral("%1: %2 cases: %3 matched, %4 refused, %5 wrong")
            .arg(label).arg(matched + refused + wrong).arg(matched).arg(refused).arg(wrong);
    }
};

}  // namespace

class ObjectModelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // A fixed budget, so MemoryError lines read the same on every machine (as tst_statements).
    void initTestCase() { mx::setMemoryBudgetBytes(uint64_t(1) << 30); }
    void caseMatchesPyTorch_data();
    void caseMatchesPyTorch();
    void summary();
};

void ObjectModelTest::caseMatchesPyTorch_data()
{
    QTest::addColumn<QString>("row");
    const QList<ReferenceCase> cases = loadCases();
    QVERIFY2(!cases.isEmpty(), "no cases in tests/fixtures/objectmodel/*.json");
    for (const ReferenceCase& c : cases)
        QTest::newRow(qPrintable(c.rowName())) << c.rowName();
}

// One case, step by step: wrong fails; refused fails only where the issue requires the behaviour.
void ObjectModelTest::caseMatchesPyTorch()
{
    QFETCH(QString, row);
    for (const ReferenceCase& c : loadCases()) {
        if (c.rowName() != row)
            continue;
        const Outcome o = outcomeOf(c);
        if (o.verdict == Verdict::Wrong)
            QFAIL(qPrintable(QStringLiteral("wrong answer at %1").arg(o.detail)));
        if (o.verdict == Verdict::Refused && c.required())
            QFAIL(qPrintable(QStringLiteral("required, but refused at %1").arg(o.detail)));
        if (o.verdict == Verdict::Refused)
            qInfo("refused at %s", qPrintable(o.detail));
        return;
    }
    QFAIL("case not found");
}

// Per-area and total counts of matched / refused / wrong cases.
void ObjectModelTest::summary()
{
    const QList<ReferenceCase> cases = loadCases();
    QVERIFY(!cases.isEmpty());
    QMap<QString, Counts> byArea;
    Counts total;
    for (const ReferenceCase& c : cases) {
        const Verdict v = outcomeOf(c).verdict;
        byArea[c.area].add(v);
        total.add(v);
    }
    for (auto it = byArea.constBegin(); it != byArea.constEnd(); ++it)
        qInfo("%s", qPrintable(it.value().text(QStringLiteral("objectmodel/") + it.key())));
    qInfo("%s", qPrintable(total.text(QStringLiteral("objectmodel"))));
}

QTEST_GUILESS_MAIN(ObjectModelTest)
#include "tst_objectmodel.moc"
