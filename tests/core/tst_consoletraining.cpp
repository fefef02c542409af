// What training does to state, through the console: calling the model, losses, backward, .grad,
// requires_grad_, train()/eval(), torch.optim.SGD / Adam print what real PyTorch 1.13 prints
// (tests/fixtures/console_training_reference.json, made by
// tests/fixtures/make_console_training_reference.py); a failing statement leaves the model's
// values, grads and flags as they were; views are told when tensors changed in place.

#include "consolereference.h"

#include "core/examples.h"
#include "core/formatting.h"
#include "core/listings.h"
#include "core/modeldocument.h"
#include "core/modulenode.h"
#include "core/resourcebudget.h"
#include "core/statements/statementsession.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringList>
#include <QTest>

#include <memory>
#include <string>

using namespace mx;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }


QJsonObject loadReference()
{
    QFile file(QStringLiteral(MX_FIXTURES_DIR "/console_training_reference.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// What training can change in the model: every parameter's and buffer's values, its grad and
// requires_grad, and every module's train/eval flag.
QStringList trainingState(const ModuleNode& root)
{
    QStringList out;
    auto text = [](const TensorRef& t) {
        return t.isNone() ? QStringLiteral("None") : q(pythonFloat(t.sum()));
    };
    for (const ListingEntry& e : namedParameters(root))
        out << q(e.name) + QStringLiteral(" sum=") + text(e.tensor) + QStringLiteral(" grad=") +
                   text(e.tensor.gradient()) + (e.tensor.requiresGrad() ? " requires_grad" : "");
    for (const ListingEntry& e : namedBuffers(root))
        out << q(e.name) + QStringLiteral(" sum=") + text(e.tensor);
    for (const NamedModule& m : namedModules(root))
        out << q("module '" + m.name + "'") + (m.module->isTraining() ? " train" : " eval");
    return out;
}

const char* const kData = "torch.manual_seed(0)\nx = torch.randn(4, 3, 8, 8)\ny = torch.randint(0, 10, (4,))";

}  // namespace

class ConsoleTrainingTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Room for the tutorial's Model A (its two 25088x1024 layers), its grads and momentum.
    void initTestCase() { mx::setMemoryBudgetBytes(uint64_t(4) << 30); }
    void matchesPythonReference_data();
    void matchesPythonReference();
    void failingStatement_putsValuesGradsAndFlagsBack_data();
    void failingStatement_putsValuesGradsAndFlagsBack();
    void failingStatement_leavesConsoleModuleFlags();
    void inPlaceChanges_areReportedToTheDocument();
    void timeLimitDuringTraining_changesNothing();
    void forwardPastMemoryBudget_raisesMemoryError();
    void hostileInput_raisesPythonErrors_data();
    void hostileInput_raisesPythonErrors();
    void completions_listTrainingNames();
};

void ConsoleTrainingTest::matchesPythonReference_data()
{
    QTest::addColumn<QString>("name");
    const QJsonObject ref = loadReference();
    QVERIFY2(!ref.isEmpty(), "console_training_reference.json missing");
    for (const QJsonValue c : ref[QStringLiteral("cases")].toArray()) {
        const QString name = c[QStringLiteral("name")].toString();
        QTest::newRow(qPrintable(name)) << name;
    }
}

// Every case, step by step: output (addresses masked) and error line as Python's; a step that
// fails leaves the model's training state exactly as it was.
void ConsoleTrainingTest::matchesPythonReference()
{
    QFETCH(QString, name);
    QJsonObject testCase;
    for (const QJsonValue c : loadReference()[QStringLiteral("cases")].toArray())
        if (c[QStringLiteral("name")].toString() == name)
            testCase = c.toObject();
    auto model = buildExample(testCase[QStringLiteral("example")].toString().toStdString());
    StatementSession session(*model);
    QStringList mismatches;
    for (const QJsonValue stepValue : testCase[QStringLiteral("steps")].toArray()) {
        const QJsonObject step = stepValue.toObject();
        const QString source = step[QStringLiteral("source")].toString();
        const QString expectedError = step[QStringLiteral("error")].toString();
        // (Summing Model A's tensors takes a while: only around the steps Python fails.)
        const QStringList before = expectedError.isEmpty() ? QStringList() : trainingState(*model);
        const StatementResult r = session.run(source.toStdString());
        QStringList problems;
        if (consolereference::masked(q(r.output)) != consolereference::masked(step[QStringLiteral("output")].toString()))
            problems << QStringLiteral("output:\n%1\nexpected:\n%2")
                            .arg(q(r.output), step[QStringLiteral("output")].toString());
        if (q(r.error) != expectedError)
            problems << QStringLiteral("error: %1\nexpected: %2").arg(q(r.error), expectedError);
        if (!expectedError.isEmpty() && r.errorLine != step[QStringLiteral("line")].toInt())
            problems << QStringLiteral("line %1").arg(r.errorLine);
        if (!expectedError.isEmpty() && r.statementsRun == 0 && trainingState(*model) != before)
            problems << QStringLiteral("the failing statement changed the model");
        if (!problems.isEmpty())
            mismatches << QStringLiteral(">>> %1\n%2").arg(source, problems.join('\n'));
    }
    if (!mismatches.isEmpty())
        QFAIL(qPrintable(QStringLiteral("%1 of the steps differ from Python:\n\n%2")
                             .arg(mismatches.size())
                             .arg(mismatches.join(QStringLiteral("\n\n")))));
}

void ConsoleTrainingTest::failingStatement_putsValuesGradsAndFlagsBack_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("failing");
    const QString train = QStringLiteral(
        "opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)\n"
        "loss = nn.functional.cross_entropy(model(x), y)\nloss.backward()\nopt.step()\n");
    // One compound statement each: its parts before the error ran, and must be put back.
    QTest::newRow("step then error") << train << "if True:\n    opt.step()\n    1/0\n";
    QTest::newRow("step in a loop then error")
        << train << "for i in range(3):\n    opt.step()\nelse:\n    model.nothing\n";
    QTest::newRow("first backward then error")
        << QString() << "if True:\n    nn.functional.cross_entropy(model(x), y).backward()\n    1/0\n";
    QTest::newRow("backward accumulating then error")
        << train << "if True:\n    nn.functional.cross_entropy(model(x), y).backward()\n    1/0\n";
    QTest::newRow("zero_grad then error")
        << train << "if True:\n    opt.zero_grad()\n    model.zero_grad(True)\n    1/0\n";
    QTest::newRow("train-mode forward then error")
        << QString() << "for i in range(2):\n    model(x)\nelse:\n    1/0\n";
    QTest::newRow("eval then error")
        << QString() << "if True:\n    model.eval()\n    model.features.train()\n    1/0\n";
    QTest::newRow("requires_grad_ then error")
        << QString() << "if True:\n    model.features.requires_grad_(False)\n"
                        "    model.classifier[1].bias.requires_grad_(False)\n    1/0\n";
    QTest::newRow("new module trained then error")
        << QString() << "if True:\n    model.extra = nn.Linear(3, 2)\n    model.extra.eval()\n"
                        "    model.eval()\n    1/0\n";
    QTest::newRow("flags of a submodule and the model then error")
        << QStringLiteral("model.eval()\nmodel.features.train()\n")
        << "if True:\n    model.features.eval()\n    model.train()\n    1/0\n";
    QTest::newRow("adam first step then error")
        << QString() << "opt = torch.optim.Adam(model.parameters())\n"
                        "if True:\n    nn.functional.cross_entropy(model(x), y).backward()\n"
                        "    opt.step()\n    1/0\n";
}

// A failing statement changes nothing in the model, even after it stepped, ran backward, ran a
// train-mode forward or flipped flags.
void ConsoleTrainingTest::failingStatement_putsValuesGradsAndFlagsBack()
{
    QFETCH(QString, setup);
    QFETCH(QString, failing);
    auto model = buildExample("batchnorm-demo");
    StatementSession session(*model);
    QVERIFY(session.run(kData).ok);
    if (!setup.isEmpty()) {
        const StatementResult r = session.run(setup.toStdString());
        QVERIFY2(r.ok, r.error.c_str());
    }
    const QStringList before = trainingState(*model);
    const std::string repr = model->repr();
    const StatementResult r = session.run(failing.toStdString());
    QVERIFY(!r.ok);
    QCOMPARE(trainingState(*model), before);
    QCOMPARE(model->repr(), repr);
}

// Modules made in the console get their flags back too, when a statement that changed them fails.
void ConsoleTrainingTest::failingStatement_leavesConsoleModuleFlags()
{
    auto model = buildExample("batchnorm-demo");
    StatementSession session(*model);
    QVERIFY(session.run("model.eval()\nm = nn.Linear(2, 2)\nk = nn.Sequential(nn.Linear(2, 2)).eval()").ok);
    QVERIFY(!session.run("if True:\n    m.eval()\n    k.train()\n    k[0].eval()\n    model.train()\n"
                         "    1/0\n").ok);
    const StatementResult r = session.run("print(m.training, k.training, k[0].training, model.training)");
    QVERIFY2(r.ok, r.error.c_str());
    QCOMPARE(q(r.output), QStringLiteral("True False False False\n"));
}

// opt.step(), backward, requires_grad_, train()/eval() and a train-mode forward tell the views to
// re-read values (TensorsChanged); queries and eval-mode forwards do not.
void ConsoleTrainingTest::inPlaceChanges_areReportedToTheDocument()
{
    auto model = buildExample("batchnorm-demo");
    StatementSession session(*model);
    QVERIFY(session.run(kData).ok);
    auto changed = [&](const char* source) {
        const StatementResult r = session.run(source);
        if (!r.ok)
            qWarning("%s: %s", source, r.error.c_str());
        return r.ok && r.tensorsChanged;
    };
    QVERIFY(changed("out = model(x)"));  // BatchNorm's running stats (train mode)
    QVERIFY(changed("model.eval()"));
    QVERIFY(!changed("out = model(x)"));
    QVERIFY(!changed("loss = nn.functional.cross_entropy(out, y)"));
    QVERIFY(!changed("opt = torch.optim.SGD(model.parameters(), lr=0.1)"));
    QVERIFY(changed("loss.backward()"));
    QVERIFY(!changed("model.features[0].weight.grad.sum()"));
    QVERIFY(changed("opt.step()"));
    QVERIFY(changed("opt.zero_grad()"));
    QVERIFY(changed("model.classifier.requires_grad_(False)"));
    QVERIFY(!changed("print(model.features[0].weight.requires_grad)"));
    const StatementResult failed = session.run("if True:\n    model.train()\n    1/0\n");
    QVERIFY(!failed.ok);
    QVERIFY(!failed.tensorsChanged);
    QVERIFY(!model->isTraining());

    // The document queues TensorsChanged for such a statement, as it does for a forward pass.
    ModelDocument document;
    document.replaceModel(buildExample("batchnorm-demo"), "batchnorm-demo");
    std::vector<DocumentChange::Kind> kinds;
    document.subscribe([&](const DocumentChange& c) { kinds.push_back(c.kind); });
    document.deliverChanges();
    kinds.clear();
    QVERIFY(document.run(kData).ok);
    QVERIFY(document.run("model.features[0].weight.requires_grad_(False)").ok);
    document.deliverChanges();
    // A flag of a model tensor is also an undoable edit: its entry is read again.
    QCOMPARE(kinds, (std::vector<DocumentChange::Kind>{DocumentChange::Kind::TensorsChanged,
                                                       DocumentChange::Kind::Edited}));
}

// A statement stopped by its time limit in the middle of training changes nothing.
void ConsoleTrainingTest::timeLimitDuringTraining_changesNothing()
{
    auto model = buildExample("batchnorm-demo");
    StatementSession session(*model);
    QVERIFY(session.run(kData).ok);
    QVERIFY(session.run("opt = torch.optim.Adam(model.parameters(), lr=0.01)").ok);
    const QStringList before = trainingState(*model);
    session.setTimeLimit(0.3);
    const StatementResult r = session.run(
        "for i in range(1000000):\n"
        "    opt.zero_grad()\n"
        "    nn.functional.cross_entropy(model(x), y).backward()\n"
        "    opt.step()\n");
    QVERIFY(!r.ok);
    QVERIFY2(r.error.rfind("TimeoutError: ", 0) == 0, r.error.c_str());
    QCOMPARE(trainingState(*model), before);
}

// Activations and saved tensors count against the memory budget like any console tensor.
void ConsoleTrainingTest::forwardPastMemoryBudget_raisesMemoryError()
{
    auto model = buildExample("batchnorm-demo");
    StatementSession session(*model);
    QVERIFY(session.run("x = torch.randn(512, 3, 8, 8)").ok);
    const QStringList before = trainingState(*model);
    setMemoryBudgetBytes(liveTensorBytes() + (1 << 20));
    const StatementResult r = session.run("out = model(x)");
    setMemoryBudgetBytes(uint64_t(4) << 30);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.rfind("MemoryError: ", 0) == 0, r.error.c_str());
    QCOMPARE(trainingState(*model), before);
    QVERIFY(session.run("out = model(x)").ok);
}

void ConsoleTrainingTest::hostileInput_raisesPythonErrors_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("error");  // the start of the error line
    QTest::newRow("huge randint") << "torch.randint(0, 2, (10**6, 10**6))" << "MemoryError: ";
    QTest::newRow("model on itself") << "model(model)" << "NotImplementedError: ";
    QTest::newRow("model on a list") << "model([1, 2])" << "NotImplementedError: ";
    QTest::newRow("backward of an int tensor") << "torch.ones(2, dtype=torch.int64).sum().backward()"
                                               << "RuntimeError: element 0 of tensors does not require grad";
    QTest::newRow("optimizer over a buffer") << "opt = torch.optim.SGD(model.buffers(), lr=0.1)\nopt.step()"
                                             << "";
    QTest::newRow("optimizer over ints") << "torch.optim.SGD([torch.ones(2, dtype=torch.int64)], lr=1)"
                                         << "";
    QTest::newRow("nan lr") << "torch.optim.SGD(model.parameters(), lr=float('nan'))" << "";
    QTest::newRow("inf lr step")
        << "opt = torch.optim.SGD(model.parameters(), lr=float('inf'))\n"
           "nn.functional.cross_entropy(model(torch.randn(2, 3, 8, 8)), torch.tensor([1, 2])).backward()\n"
           "opt.step()" << "";
}

// Whatever the statement, a Python error line (or success) and never a crash.
void ConsoleTrainingTest::hostileInput_raisesPythonErrors()
{
    QFETCH(QString, source);
    QFETCH(QString, error);
    auto model = buildExample("batchnorm-demo");
    StatementSession session(*model);
    const StatementResult r = session.run(source.toStdString());
    if (error.isEmpty())
        QVERIFY2(r.ok, r.error.c_str());
    else
        QVERIFY2(q(r.error).startsWith(error), r.error.c_str());
}

void ConsoleTrainingTest::completions_listTrainingNames()
{
    auto model = buildExample("batchnorm-demo");
    StatementSession session(*model);
    QVERIFY(session.run("opt = torch.optim.SGD(model.parameters(), lr=0.1)").ok);
    auto list = [&](const char* text) {
        QStringList out;
        for (const std::string& s : session.completions(text))
            out << q(s);
        return out;
    };
    QCOMPARE(list("model.tr"), QStringList({"train", "training"}));
    QCOMPARE(list("model.ze"), QStringList({"zero_grad"}));
    QVERIFY(list("model.re").contains(QStringLiteral("requires_grad_")));
    QVERIFY(list("model.features[0].weight.").contains(QStringLiteral("grad")));
    QVERIFY(list("model.features[0].weight.").contains(QStringLiteral("backward")));
    QCOMPARE(list("opt."), QStringList({"state_dict", "step", "zero_grad"}));
    QCOMPARE(list("torch.optim."), QStringList({"Adam", "SGD"}));
    QCOMPARE(list("nn.functional.m"), QStringList({"mse_loss"}));
    QVERIFY(list("torch.ra").contains(QStringLiteral("randint")));
}

QTEST_GUILESS_MAIN(ConsoleTrainingTest)
#include "tst_consoletraining.moc"
