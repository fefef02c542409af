// Each built-in example is written twice, side by side in models/core/examples.cpp: as the Python
// class File > Export Python writes and as the C++ builder the app runs. Running the Python text
// through the app's own script runner must build the very same model: the same repr, entries,
// shapes, dtypes, values (same seed, same draws), plain attributes and forward output.

#include "core/examples.h"
#include "core/formatting.h"
#include "core/forward.h"
#include "core/listings.h"
#include "core/modulenode.h"
#include "core/pythonscript.h"
#include "core/sessionexport.h"

#include <QStringList>
#include <QTest>

#include <cmath>

using namespace mx;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

// What a user sees of a model: its print(), every state_dict entry with its values' sum, the
// named buffers and every module's plain attributes.
QStringList describe(const ModuleNode& root)
{
    QStringList out = q(root.repr()).split('\n');
    for (const ListingEntry& e : stateDict(root))
        out << q(e.name + " " + torchSize(e.tensor.shape()) + " " + e.tensor.dtypeName() +
                 (e.tensor.requiresGrad() ? " grad" : "") + " sum=" + pythonFloat(e.tensor.sum()));
    for (const ListingEntry& e : namedBuffers(root))
        out << q("buffer " + e.name);
    for (const NamedModule& m : namedModules(root))
        for (const PlainAttribute& a : m.module->plainAttributes())
            out << q("attribute " + m.name + "." + a.name + " " + a.typeName());
    return out;
}

ForwardResult forwardOn(ModuleNode& m, std::vector<int64_t> shape)
{
    shape[0] = 2;  // a small batch is enough to tell two forwards apart
    ForwardOptions o;
    o.inputShape = shape;
    o.fill = InputFill::Randn;
    o.seed = 0;
    o.noGrad = true;
    o.warmup = 0;
    o.repeats = 1;
    return runForward(m, o);
}

}  // namespace

class ExamplesTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pythonText_buildsTheSameModel_data();
    void pythonText_buildsTheSameModel();
};

void ExamplesTest::pythonText_buildsTheSameModel_data()
{
    QTest::addColumn<QString>("name");
    for (const ExampleInfo& e : examples())
        QTest::newRow(e.name.c_str()) << q(e.name);
}

void ExamplesTest::pythonText_buildsTheSameModel()
{
    QFETCH(QString, name);
    const ExampleInfo* info = findExample(name.toStdString());
    QVERIFY(info);
    auto built = buildExample(info->name);

    PythonScript script;
    QVERIFY2(script.run(examplePythonSource(info->name)), script.result().error.c_str());
    const std::vector<ScriptModel> models = script.models();
    QVERIFY(!models.empty());
    QCOMPARE(models.back().variable, std::string("model"));
    QCOMPARE(models.back().className, info->pythonClassName);
    ModuleNode& fromPython = *models.back().module;

    QCOMPARE(describe(fromPython), describe(*built));

    const ForwardResult a = forwardOn(*built, info->inputShape);
    const ForwardResult b = forwardOn(fromPython, info->inputShape);
    QVERIFY2(a.ok && b.ok, (a.error + " / " + b.error).c_str());
    QCOMPARE(b.returnedNone, a.returnedNone);
    QCOMPARE(b.outputShape, a.outputShape);
    QVERIFY2(std::abs(b.outputSum - a.outputSum) <= 1e-5 * (1 + std::abs(a.outputSum)),
             qPrintable(QStringLiteral("%1 vs %2").arg(b.outputSum, 0, 'g', 12).arg(a.outputSum, 0, 'g', 12)));
}

QTEST_GUILESS_MAIN(ExamplesTest)
#include "tst_examples.moc"
