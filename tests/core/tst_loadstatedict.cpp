// model.load_state_dict(sd, strict) against real PyTorch 1.13
// (tests/fixtures/files/load/load_reference.json, made by make_load_state_dict_reference.py):
// the RuntimeError text or the returned _IncompatibleKeys, the values after a load, nothing
// changed by a failed one, and undo/redo of a load as one document step.
#include "core/examples.h"
#include "core/listings.h"
#include "core/loadstatedict.h"
#include "core/statements/statementsession.h"
#include "core/modeldocument.h"
#include "core/modelfile.h"
#include "core/modulenode.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <cmath>

using namespace mx;

namespace {

const QString kLoadDir = QStringLiteral(MX_FIXTURES_DIR "/files/load/");

QJsonArray cases()
{
    QFile f(kLoadDir + QStringLiteral("load_reference.json"));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read load_reference.json");
    return QJsonDocument::fromJson(f.readAll()).object()[QStringLiteral("cases")].toArray();
}

std::vector<double> sums(const ModuleNode& root)
{
    std::vector<double> out;
    for (const ListingEntry& e : stateDict(root))
        out.push_back(e.tensor.sum());
    return out;
}

}  // namespace

class LoadStateDictTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesPyTorch_data()
    {
        QTest::addColumn<QJsonObject>("c");
        for (const QJsonValue& v : cases()) {
            const QJsonObject c = v.toObject();
            const QString name = c[QStringLiteral("file")].toString() + QLatin1Char(' ') +
                                 c[QStringLiteral("example")].toString() +
                                 (c[QStringLiteral("strict")].toBool() ? QStringLiteral(" strict")
                                                                       : QStringLiteral(" non-strict")) +
                                 (c[QStringLiteral("prepare")].toString().isEmpty()
                                      ? QString()
                                      : QStringLiteral(" after ") + c[QStringLiteral("prepare")].toString());
            QTest::newRow(qPrintable(name)) << c;
        }
    }

    void matchesPyTorch()
    {
        QFETCH(QJsonObject, c);
        std::unique_ptr<ModuleNode> model = buildExample(c[QStringLiteral("example")].toString().toStdString());
        if (const QString prepare = c[QStringLiteral("prepare")].toString(); !prepare.isEmpty()) {
            StatementSession session(*model);  // e.g. model.a = model.conv1 (a shared module)
            const StatementResult r = session.run(prepare.toStdString());
            QVERIFY2(r.ok, r.error.c_str());
        }
        const OpenedModel file = openModelFile((kLoadDir + c[QStringLiteral("file")].toString()).toStdString());
        const std::vector<double> before = sums(*model);
        const LoadStateDictReport report =
            planLoadStateDict(*model, stateDictInputOf(file), c[QStringLiteral("strict")].toBool());
        if (c.contains(QStringLiteral("error"))) {
            // The reference's classes are ModelA/ModelB; the app's, like the tutorial's, Model.
            QString expected = c[QStringLiteral("error")].toString();
            expected.replace(QRegularExpression(QStringLiteral("for Model[AB]:")), QStringLiteral("for Model:"));
            QVERIFY(report.failed());
            QCOMPARE(QString::fromStdString(report.error()), expected);
            QCOMPARE(sums(*model), before);  // planning changes nothing
            return;
        }
        QVERIFY2(!report.failed(), report.error().c_str());
        QCOMPARE(QString::fromStdString(report.result()), c[QStringLiteral("result")].toString());
        ValueEdit::apply(report.copies);
        const QJsonArray expectedSums = c[QStringLiteral("sums")].toArray();
        const std::vector<ListingEntry> after = stateDict(*model);
        QCOMPARE(static_cast<qsizetype>(after.size()), expectedSums.size());
        for (qsizetype i = 0; i < expectedSums.size(); ++i) {
            const QJsonArray row = expectedSums[i].toArray();
            QCOMPARE(QString::fromStdString(after[static_cast<size_t>(i)].name), row[0].toString());
            const double want = row[1].toDouble(), got = after[static_cast<size_t>(i)].tensor.sum();
            QVERIFY2(std::abs(got - want) <= 1e-6 * std::max(1.0, std::abs(want)),
                     qPrintable(row[0].toString() + QStringLiteral(": %1 vs %2").arg(got).arg(want)));
        }
    }

    void loadIsOneUndoableStepThatKeepsTensorIdentity()
    {
        ModelDocument doc;
        doc.replaceModel(buildExample("batchnorm-demo"), "batchnorm-demo");
        const void* weight = stateDict(*doc.root()).front().tensor.identity();
        const std::vector<double> before = sums(*doc.root());
        const OpenedModel file = openModelFile((kLoadDir + QStringLiteral("batchnorm_changed.pt")).toStdString());
        const LoadStateDictReport report =
            doc.loadStateDict(stateDictInputOf(file), true, "model.load_state_dict(torch.load('x'))");
        QVERIFY(!report.failed());
        QCOMPARE(doc.historySize(), size_t(1));
        QVERIFY(doc.isModified());
        const std::vector<double> after = sums(*doc.root());
        QVERIFY(after != before);
        QCOMPARE(stateDict(*doc.root()).front().tensor.identity(), weight);  // copied in place
        doc.undo();
        QCOMPARE(sums(*doc.root()), before);
        doc.redo();
        QCOMPARE(sums(*doc.root()), after);
        QCOMPARE(doc.effectiveStatements().back(), std::string("model.load_state_dict(torch.load('x'))"));
    }

    void failedStrictLoadChangesNothingAndAddsNoStep()
    {
        ModelDocument doc;
        doc.replaceModel(buildExample("batchnorm-demo"), "batchnorm-demo");
        const std::vector<double> before = sums(*doc.root());
        const OpenedModel file = openModelFile((kLoadDir + QStringLiteral("batchnorm_wrong_shapes.pt")).toStdString());
        const LoadStateDictReport report = doc.loadStateDict(stateDictInputOf(file), false, "x");
        QVERIFY(report.failed());
        QCOMPARE(report.mismatched.size(), size_t(2));
        QCOMPARE(sums(*doc.root()), before);
        QCOMPARE(doc.historySize(), size_t(0));
        QVERIFY(!doc.isModified());
    }

    void aStateDictTreeCannotLoad()
    {
        const OpenedModel tree = openModelFile((kLoadDir + QStringLiteral("model_b.pt")).toStdString());
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, planLoadStateDict(*tree.root, stateDictInputOf(tree), true));
    }
};

QTEST_GUILESS_MAIN(LoadStateDictTest)
#include "tst_loadstatedict.moc"
