// The console language (models/core/statements): statements run against the tutorial's models
// print what real PyTorch 1.13 prints (tests/fixtures/statements_reference.json, made by
// tests/fixtures/make_statements_reference.py), change the model through the semantics layer
// with undoable edits, and leave the model untouched when they fail.

#include "consolereference.h"

#include "core/examples.h"
#include "core/formatting.h"
#include "core/listings.h"
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
#include <vector>

using namespace mx;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

// Everything observable about a model: every module's entries (kind, shape, dtype, sum,
// requires_grad), plain attributes, children (None included), flags, repr and the listings.
QStringList snapshot(const ModuleNode& root)
{
    QStringList out;
    auto tensorText = [](const TensorRef& t) {
        if (t.isNone())
            return QStringLiteral("None");
        return q(torchSize(t.shape()) + " " + t.dtypeName() + (t.requiresGrad() ? " grad" : "") +
                 " sum=" + pythonFloat(t.sum()));
    };
    for (const NamedModule& m : namedModules(root)) {
        const ModuleNode& n = *m.module;
        out << q("module '" + m.name + "' " + n.typeName() + "(" + n.extraRepr() + ")" +
                 (n.isTraining() ? " train" : " eval"));
        for (const TensorSlot& s : n.parameters())
            out << q("  param " + s.name + " ") + tensorText(s.tensor);
        for (const TensorSlot& s : n.buffers())
            out << q("  " + std::string(kindName(s.kind)) + " " + s.name + " ") + tensorText(s.tensor);
        for (const PlainAttribute& a : n.plainAttributes())
            out << q("  attr " + a.name + " " + a.typeName() + " ") +
                       (a.isTensor ? tensorText(a.tensor) : q(a.value.repr()));
        for (const ChildSlot& c : n.childSlots())
            out << q("  child " + c.name + (c.module ? "" : " None"));
    }
    for (const ListingEntry& e : stateDict(root))
        out << q("state_dict " + e.name);
    for (const ListingEntry& e : namedParameters(root))
        out << q("named_parameters " + e.name);
    for (const ListingEntry& e : namedBuffers(root))
        out << q("named_buffers " + e.name);
    out << q(root.repr()).split('\n');
    return out;
}


QJsonObject loadReference()
{
    QFile file(QStringLiteral(MX_FIXTURES_DIR "/statements_reference.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QStringList readLines(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    QStringList lines = QString::fromUtf8(file.readAll()).split('\n');
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

}  // namespace

class StatementsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // A fixed budget, so the MemoryError lines below read the same on every machine.
    void initTestCase() { mx::setMemoryBudgetBytes(uint64_t(1) << 30); }
    void matchesPythonReference_data();
    void matchesPythonReference();
    void tutorialSecondExperiment_printsTutorialOutput();
    void tutorialModifications_recordUndoableEdits();
    void everyFixtureError_leavesModelUnchanged();
    void failingStatementWithSeveralMutations_revertsAll();
    void layerAttributeAssignment_changesPrintAndForward_undoable();
    void containerAndModuleStateChanges_undoAndRevertOnFailure();
    void multiLinePaste_stopsAtFirstFailingStatement();
    void unsupportedPython_reportsNotImplemented_data();
    void unsupportedPython_reportsNotImplemented();
    void syntaxErrors_reportLineAndColumn_data();
    void syntaxErrors_reportLineAndColumn();
    void localModule_followsItIntoTheModel();
    void staleModuleReference_isReportedNotCrashed();
    void listingIteratedWhileModelChanges_isRefused();
    void completions_listSupportedNamesAndMethods();
    void needsMoreInput_detectsUnfinishedStatements();
    void promptsInPastedSessions_areStripped();
    void longLoops_areCapped();
    void hostileInput_neverCrashes_data();
    void hostileInput_neverCrashes();
};

void StatementsTest::matchesPythonReference_data()
{
    QTest::addColumn<QString>("name");
    const QJsonObject ref = loadReference();
    QVERIFY2(!ref.isEmpty(), "statements_reference.json missing");
    for (const QJsonValue c : ref[QStringLiteral("cases")].toArray()) {
        const QString name = c[QStringLiteral("name")].toString();
        QTest::newRow(qPrintable(name)) << name;
    }
}

// Every case of the fixture, step by step: output (addresses masked) and error line as Python's.
void StatementsTest::matchesPythonReference()
{
    QFETCH(QString, name);
    const QJsonObject ref = loadReference();
    QJsonObject testCase;
    for (const QJsonValue c : ref[QStringLiteral("cases")].toArray())
        if (c[QStringLiteral("name")].toString() == name)
            testCase = c.toObject();
    auto model = buildExample(testCase[QStringLiteral("example")].toString().toStdString());
    // The fixture comes from a CPU-only PyTorch; a CUDA build of the app answers differently.
    QString cuda;
    {
        auto probe = buildExample("buffer-demo");
        StatementSession probeSession(*probe);
        cuda = q(probeSession.run("torch.cuda.is_available()").output).trimmed();
    }
    StatementSession session(*model);
    QStringList mismatches;
    for (const QJsonValue stepValue : testCase[QStringLiteral("steps")].toArray()) {
        const QJsonObject step = stepValue.toObject();
        const QString source = step[QStringLiteral("source")].toString();
        const StatementResult r = session.run(source.toStdString());
        const QString expectedOutput = step[QStringLiteral("output")].toString().replace(
            QStringLiteral("cuda(GPU)是否可用: False"), QStringLiteral("cuda(GPU)是否可用: ") + cuda);
        const QString problems = consolereference::stepDifferences(r, step, expectedOutput);
        if (!problems.isEmpty())
            mismatches << QStringLiteral(">>> %1\n%2").arg(source, problems);
    }
    if (!mismatches.isEmpty())
        QFAIL(qPrintable(QStringLiteral("%1 of the steps differ from Python:\n\n%2")
                             .arg(mismatches.size())
                             .arg(mismatches.join(QStringLiteral("\n\n")))));
}

// The tutorial's second experiment as typed, compared with what the tutorial itself printed.
void StatementsTest::tutorialSecondExperiment_printsTutorialOutput()
{
    auto model = buildExample("buffer-demo");
    StatementSession session(*model);
    const struct {
        const char* loop;
        const char* file;
    } loops[] = {
        {"for name, buf in model.named_buffers():\n    print(name,'-->',buf.shape)\n", "named_buffers"},
        {"for name, param in model.named_parameters():\n    print(name,'-->',param.shape)\n",
         "named_parameters"},
        {"for buf in model.buffers():\n    print(buf.shape)\n", "buffers"},
        {"for param in model.parameters():\n    print(param.shape)\n", "parameters"},
        {"for k, v in model.state_dict().items():\n    print(k, '-->', v.shape)\n", "state_dict"},
    };
    for (const char* phase : {"before", "after"}) {
        if (QByteArray(phase) == "after") {
            const StatementResult m = session.run(
                "model.attribute_buffer_out = torch.randn(10,10)\n"
                "register_buffer_out_temp = torch.randn(15,15)\n"
                "model.register_buffer('register_buffer_out', register_buffer_out_temp)\n");
            QVERIFY2(m.ok, m.error.c_str());
            QCOMPARE(m.output, std::string());
        }
        for (const auto& l : loops) {
            const StatementResult r = session.run(l.loop);
            QVERIFY2(r.ok, r.error.c_str());
            QStringList lines = q(r.output).split('\n');
            QCOMPARE(lines.takeLast(), QString());
            QCOMPARE(lines, readLines(QStringLiteral(MX_FIXTURES_DIR "/tutorial/model_b_%1_%2.txt")
                                          .arg(QLatin1String(phase), QLatin1String(l.file))));
        }
    }
    const StatementResult header = session.run("print('模型初始化以及修改之后'.center(100,\"-\"))");
    QCOMPARE(q(header.output),
             QStringLiteral("--------------------------------------------模型初始化以及修改之后"
                            "---------------------------------------------\n"));
}

void StatementsTest::tutorialModifications_recordUndoableEdits()
{
    auto model = buildExample("buffer-demo");
    const QStringList before = snapshot(*model);
    StatementSession session(*model);
    StatementResult r = session.run(
        "model.attribute_buffer_out = torch.randn(10,10)\n"
        "register_buffer_out_temp = torch.randn(15,15)\n"
        "model.register_buffer('register_buffer_out', register_buffer_out_temp)\n"
        "self.attribute4cxq = nn.Parameter(torch.tensor(20200910.0))\n"
        "model.head = nn.Linear(4, 2)\n"
        "del model.attribute_buffer_in\n");
    QVERIFY2(r.ok, r.error.c_str());
    QCOMPARE(r.statementsRun, 6);
    QCOMPARE(r.edits.size(), size_t(5));  // the local assignment is no model edit
    const QStringList after = snapshot(*model);
    QVERIFY(after != before);
    QVERIFY(after.contains(QStringLiteral("state_dict head.weight")));
    for (auto it = r.edits.rbegin(); it != r.edits.rend(); ++it)
        it->revert();
    QCOMPARE(snapshot(*model), before);
    for (Edit& e : r.edits)
        e.apply();
    QCOMPARE(snapshot(*model), after);
    // The console keeps working on the redone model; the local `head` module is reachable again.
    r = session.run("model.head.weight.shape");
    QVERIFY2(r.ok, r.error.c_str());
    QCOMPARE(r.output, std::string("torch.Size([2, 4])\n"));
}

// Every failing step of the fixture's error case leaves the model exactly as it was.
void StatementsTest::everyFixtureError_leavesModelUnchanged()
{
    const QJsonObject ref = loadReference();
    for (const QJsonValue c : ref[QStringLiteral("cases")].toArray()) {
        auto model = buildExample(c[QStringLiteral("example")].toString().toStdString());
        StatementSession session(*model);
        for (const QJsonValue stepValue : c[QStringLiteral("steps")].toArray()) {
            const QJsonObject step = stepValue.toObject();
            const QString source = step[QStringLiteral("source")].toString();
            const bool fails = !step[QStringLiteral("error")].toString().isEmpty();
            const bool singleStatement = !source.contains('\n') && !source.contains(';');
            const QStringList before = snapshot(*model);
            const StatementResult r = session.run(source.toStdString());
            if (fails && singleStatement) {
                QVERIFY2(!r.ok, qPrintable(source));
                QVERIFY2(r.edits.empty(), qPrintable(source));
                QVERIFY2(snapshot(*model) == before, qPrintable(source));
            }
        }
    }
}

void StatementsTest::layerAttributeAssignment_changesPrintAndForward_undoable()
{
    auto model = buildExample("buffer-demo");
    const QStringList before = snapshot(*model);
    StatementSession session(*model);
    const std::string shape = "model.conv1(torch.ones(1, 1, 8, 8)).shape";
    QCOMPARE(session.run(shape).output, std::string("torch.Size([1, 64, 8, 8])\n"));
    StatementResult r = session.run("model.conv1[0].stride = 2");
    QVERIFY(r.ok);
    QCOMPARE(r.edits.size(), size_t(1));
    QCOMPARE(session.run("print(model.conv1[0])").output,
             std::string("Conv2d(1, 64, kernel_size=(3, 3), stride=2, padding=(1, 1))\n"));
    QCOMPARE(session.run(shape).output, std::string("torch.Size([1, 64, 4, 4])\n"));
    r.edits[0].revert();  // undo: the old value, print and forward come back
    QCOMPARE(snapshot(*model), before);
    QCOMPARE(session.run(shape).output, std::string("torch.Size([1, 64, 8, 8])\n"));
    r.edits[0].apply();  // redo
    QCOMPARE(session.run(shape).output, std::string("torch.Size([1, 64, 4, 4])\n"));
    r.edits[0].revert();

    // A statement that fails after changing a layer leaves it as it was.
    r = session.run("setattr(model.conv1[0], 'padding', 0) or model.conv1[0].nope()");
    QVERIFY(!r.ok);
    QVERIFY(r.edits.empty());
    QCOMPARE(snapshot(*model), before);
    QCOMPARE(session.run(shape).output, std::string("torch.Size([1, 64, 8, 8])\n"));
    // Deleting the bias: print raises as Python's does; undo brings print back.
    r = session.run("del model.conv1[0].bias");
    QVERIFY(r.ok);
    QCOMPARE(session.run("print(model)").error,
             std::string("AttributeError: 'Conv2d' object has no attribute 'bias'"));
    r.edits[0].revert();
    QCOMPARE(snapshot(*model), before);
}

void StatementsTest::failingStatementWithSeveralMutations_revertsAll()
{
    auto model = buildExample("buffer-demo");
    const QStringList before = snapshot(*model);
    StatementSession session(*model);
    // Chained assignment: the first target is set, the second raises (weight is a parameter).
    StatementResult r = session.run("model.ok_attr = model.conv1[0].weight = torch.ones(1)");
    QVERIFY(!r.ok);
    QCOMPARE(r.error, std::string("TypeError: cannot assign 'torch.FloatTensor' as parameter 'weight' "
                                  "(torch.nn.Parameter or None expected)"));
    QVERIFY(r.edits.empty());
    QCOMPARE(snapshot(*model), before);
    // A loop registering buffers fails on its third name: the first two are reverted too.
    r = session.run("for n in ['a', 'b', 'c.d']:\n    model.register_buffer(n, torch.ones(1))\n");
    QVERIFY(!r.ok);
    QCOMPARE(r.error, std::string("KeyError: 'buffer name can\\'t contain \".\"'"));
    QCOMPARE(snapshot(*model), before);
    QCOMPARE(session.run("hasattr(model, 'a')").output, std::string("False\n"));
    // Deleting a child then failing restores the child (and its subtree) in place.
    r = session.run("del model.conv1; model.register_buffer('x', 5)");
    QVERIFY(!r.ok);
    QCOMPARE(r.statementsRun, 1);  // `;` separates statements, as in Python
    QCOMPARE(r.edits.size(), size_t(1));
    r.edits[0].revert();
    QCOMPARE(snapshot(*model), before);
    r = session.run("setattr(model, 'tmp', 1) or model.add_module('bad.name', nn.ReLU())");
    QVERIFY(!r.ok);
    QCOMPARE(snapshot(*model), before);
}

// Container operations, dtype conversion, load_state_dict and the training flag: each run is
// undone by reverting its edits, and a failing statement takes all of them back.
void StatementsTest::containerAndModuleStateChanges_undoAndRevertOnFailure()
{
    auto model = buildExample("buffer-demo");
    const QStringList before = snapshot(*model);
    StatementSession session(*model);
    for (const char* source :
         {"model.conv1.insert(1, nn.Identity())", "model.conv1.pop(0)", "del model.conv1[0:1]",
          "model.conv1 += nn.Sequential(nn.ReLU(), nn.Identity())", "model.half()",
          "model.load_state_dict({k: v * 0 for k, v in model.state_dict().items()})",
          "model.heads = nn.ModuleDict({'a': nn.ReLU()}); model.heads.clear()"}) {
        StatementResult r = session.run(source);
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY2(!r.edits.empty(), source);
        const QStringList after = snapshot(*model);
        QVERIFY2(after != before, source);
        for (auto it = r.edits.rbegin(); it != r.edits.rend(); ++it)
            it->revert();
        QVERIFY2(snapshot(*model) == before, source);
        for (Edit& e : r.edits)
            e.apply();
        QVERIFY2(snapshot(*model) == after, source);
        for (auto it = r.edits.rbegin(); it != r.edits.rend(); ++it)
            it->revert();
    }
    // One statement that changes the model and then fails: the model is as it was (flags
    // included).
    for (const char* source :
         {"if True:\n    model.conv1.insert(0, nn.ReLU())\n    model.conv1.insert(0, 5)\n",
          "if True:\n    model.double()\n    model.to(torch.int64)\n",
          "if True:\n    model.training = False\n    model.conv1[0].training = False\n    model.train(3)\n",
          "if True:\n    model.load_state_dict(model.state_dict())\n    model.conv1.pop(7)\n"}) {
        const StatementResult r = session.run(source);
        QVERIFY2(!r.ok, source);
        QVERIFY2(r.edits.empty(), source);
        QVERIFY2(snapshot(*model) == before, source);
    }
}

void StatementsTest::multiLinePaste_stopsAtFirstFailingStatement()
{
    auto model = buildExample("buffer-demo");
    StatementSession session(*model);
    const StatementResult r = session.run("model.a = 1\nprint('one')\nmodel.b = undefined\nmodel.c = 3\nprint('two')\n");
    QVERIFY(!r.ok);
    QCOMPARE(r.output, std::string("one\n"));
    QCOMPARE(r.error, std::string("NameError: name 'undefined' is not defined"));
    QCOMPARE(r.errorLine, 3);
    QCOMPARE(r.errorColumn, -1);
    QCOMPARE(r.statementsRun, 2);
    QCOMPARE(r.edits.size(), size_t(1));
    QCOMPARE(session.run("hasattr(model, 'a'), hasattr(model, 'b'), hasattr(model, 'c')").output,
             std::string("(True, False, False)\n"));
}

void StatementsTest::unsupportedPython_reportsNotImplemented_data()
{
    QTest::addColumn<QString>("source");
    const char* const sources[] = {
        "class Config:\n    pass\n",
        "class Wide(nn.Linear):\n    pass\n",
        "def f(*args):\n    return args\nf(1)\n",
        "def outer():\n    def inner():\n        pass\nouter()\n",
        "with open('f') as fh:\n    pass\n",
        "try:\n    pass\nexcept Exception:\n    pass\n",
        "fs = [lambda: i for i in range(3)]",
        "def scale(k):\n    return lambda x: x * k\nscale(2)\n",
        "model.cuda()",
        "model.conv1[0].weight[[0, 1]] = 1",
        "model.conv1[0].weight.grad = None",
        "model.register_buffer_in &= 1",
        "model.notes = [1, 2]",
        "model.conv1[0].reset_parameters = 3",
        "nn.Conv2d(1, 2, 3, padding=[1, 1, 1])",
        "model.register_forward_hook(print)",
        "model._forward_hooks",
        "import numpy as np",
        "{1, 2}",
        "2 ** 100",
        "1j",
        "nn.Conv2d(1, 2, 3, padding='same')",
        "nn.Linear(2, 2, dtype=torch.float64)",
        "nn.Tanh()",
        "torch.randn(2, device='cuda')",
        "torch.cat([torch.ones(1)])",
        "model.a = model",
        "model.conv1.up = model",
        "model.conv1[0].add_module('up', model.conv1)",
        "model.s = nn.Sequential(model)",
        "model.conv1[0][0]",
        "'%(a)s' % {'a': 3}",
        "exec('1')",
        "print(1, file=None) or open('f')",
    };
    for (const char* s : sources)
        QTest::newRow(s) << QString::fromUtf8(s);
}

void StatementsTest::unsupportedPython_reportsNotImplemented()
{
    QFETCH(QString, source);
    auto model = buildExample("buffer-demo");
    const QStringList before = snapshot(*model);
    StatementSession session(*model);
    const StatementResult r = session.run(source.toStdString());
    QVERIFY(!r.ok);
    const QString error = q(r.error);
    if (source == QLatin1String("model.conv1[0][0]")) {  // not unsupported: Python's TypeError
        QCOMPARE(error, QStringLiteral("TypeError: 'Conv2d' object is not subscriptable"));
        return;
    }
    QVERIFY2(error.startsWith(QLatin1String("NotImplementedError: ")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("Module Explorer")), qPrintable(error));
    QVERIFY(r.edits.empty());
    QCOMPARE(snapshot(*model), before);
}

void StatementsTest::syntaxErrors_reportLineAndColumn_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::newRow("dangling =") << "model.x = " << "SyntaxError: invalid syntax" << 1 << 11;
    QTest::newRow("double dot") << "model..x" << "SyntaxError: invalid syntax" << 1 << 7;
    QTest::newRow("never closed") << "model.x = torch.randn(10,10"
                                  << "SyntaxError: '(' was never closed" << 1 << 22;
    QTest::newRow("missing comma") << "model.register_buffer('a' torch.ones(1))"
                                   << "SyntaxError: invalid syntax. Perhaps you forgot a comma?" << 1 << 23;
    QTest::newRow("second line") << "model.a = 1\nmodel.b = = 2" << "SyntaxError: invalid syntax" << 2 << 11;
    QTest::newRow("full-width paren") << "print（1）"
                                      << "SyntaxError: invalid character '（' (U+FF08)" << 1 << 6;
    QTest::newRow("unindent") << "for x in y:\n    print(x)\n  print(2)"
                              << "IndentationError: unindent does not match any outer indentation level"
                              << 3 << 11;
    QTest::newRow("expected block") << "for name in model.buffers():\nprint(name)"
                                    << "IndentationError: expected an indented block after 'for' "
                                       "statement on line 2"
                                    << 2 << 1;
}

void StatementsTest::syntaxErrors_reportLineAndColumn()
{
    QFETCH(QString, source);
    QFETCH(QString, error);
    QFETCH(int, line);
    QFETCH(int, column);
    auto model = buildExample("buffer-demo");
    StatementSession session(*model);
    // Nothing of a source with a syntax error runs, not even the statements before the error.
    const StatementResult r = session.run("model.before = 1\n" + source.toStdString());
    QVERIFY(!r.ok);
    QCOMPARE(q(r.error), error);
    QCOMPARE(r.errorLine, line + 1);
    QCOMPARE(r.errorColumn, column);
    QCOMPARE(r.statementsRun, 0);
    QCOMPARE(session.run("hasattr(model, 'before')").output, std::string("False\n"));
}

void StatementsTest::localModule_followsItIntoTheModel()
{
    auto model = buildExample("buffer-demo");
    StatementSession session(*model);
    StatementResult r = session.run("lin = nn.Linear(3, 2)\nseq = nn.Sequential(lin, nn.ReLU())\n"
                                    "model.block = seq\nlin is model.block[0], seq is model.block\n");
    QVERIFY2(r.ok, r.error.c_str());
    QCOMPARE(r.output, std::string("(True, True)\n"));
    r = session.run("lin.register_buffer('mark', torch.ones(1))\nmodel.state_dict().keys()");
    QVERIFY2(r.ok, r.error.c_str());
    QCOMPARE(r.output, std::string("odict_keys(['register_buffer_in', 'conv1.0.weight', 'conv1.0.bias', "
                                   "'block.0.weight', 'block.0.bias', 'block.0.mark'])\n"));
    // Registered again, it is shared: the same module under both names, as in Python.
    r = session.run("model.again = lin\nlin is model.again, model.again is model.block[0]\n"
                    "[k for k in model.state_dict() if 'mark' in k]");
    QVERIFY2(r.ok, r.error.c_str());
    QCOMPARE(r.output, std::string("(True, True)\n['block.0.mark', 'again.mark']\n"));
}

void StatementsTest::staleModuleReference_isReportedNotCrashed()
{
    auto model = buildExample("buffer-demo");
    StatementSession session(*model);
    StatementResult r = session.run("c = model.conv1\ndel model.conv1\n");
    QVERIFY2(r.ok, r.error.c_str());
    r = session.run("c");
    QVERIFY(!r.ok);
    QVERIFY2(q(r.error).startsWith(QLatin1String("NotImplementedError: using a module object that is no "
                                                 "longer part of the model")),
             r.error.c_str());
    // Undoing the deletion (as the app's undo stack does) brings the very same module back.
    r.edits.clear();
    StatementResult del = session.run("model.conv1 = nn.ReLU()");
    QVERIFY2(del.ok, del.error.c_str());
    QVERIFY(!session.run("c[0]").ok);
    // A module whose assignment failed stays the console's own, as in Python.
    r = session.run("m = nn.ReLU()\nmodel.forward = m\n");
    QVERIFY(!r.ok);
    r = session.run("m");
    QVERIFY2(r.ok, r.error.c_str());
    QCOMPARE(r.output, std::string("ReLU()\n"));
    // A module kept under a second name outlives the deletion of its first one.
    r = session.run("model.conv1 = nn.Sequential(nn.ReLU())\nc = model.conv1\nmodel.keep = c\n"
                    "del model.conv1\nc is model.keep, c");
    QVERIFY2(r.ok, r.error.c_str());
    QCOMPARE(r.output, std::string("(True, Sequential(\n  (0): ReLU()\n))\n"));
}

void StatementsTest::listingIteratedWhileModelChanges_isRefused()
{
    auto model = buildExample("buffer-demo");
    const QStringList before = snapshot(*model);
    StatementSession session(*model);
    StatementResult r = session.run(
        "for name, buf in model.named_buffers():\n    model.register_buffer(name + '_copy', buf)\n");
    QVERIFY(!r.ok);
    QVERIFY2(q(r.error).startsWith(QLatin1String("NotImplementedError:")), r.error.c_str());
    QCOMPARE(snapshot(*model), before);
    // Iterating a state_dict() (a copy) while changing the model is fine, as in Python.
    r = session.run("for k, v in model.state_dict().items():\n    setattr(model, k.replace('.', '_') + '_seen', True)\n");
    QVERIFY2(r.ok, r.error.c_str());
    QCOMPARE(r.edits.size(), size_t(3));
}

void StatementsTest::completions_listSupportedNamesAndMethods()
{
    auto model = buildExample("buffer-demo");
    StatementSession session(*model);
    QVERIFY(session.run("model.register_buffer('register_buffer_out', torch.randn(15,15))").ok);
    auto list = [&](const char* text) {
        QStringList out;
        for (const std::string& s : session.completions(text))
            out << q(s);
        return out;
    };
    QCOMPARE(list("model.reg"),
             QStringList({"register_buffer", "register_buffer_in", "register_buffer_out",
                          "register_module", "register_parameter"}));
    QVERIFY(!list("model.reg").contains(QStringLiteral("register_forward_hook")));
    QCOMPARE(list("model.conv1[0].w"), QStringList({"weight"}));
    QCOMPARE(list("print(model.conv1[0].b"), QStringList({"bias", "buffers"}));
    QCOMPARE(list("x = self.attr"), QStringList({"attribute_buffer_in"}));
    QCOMPARE(list("mod"), QStringList({"model", "modules"}).mid(0, 1));
    QVERIFY(list("model.attribute_buffer_in.sh").contains(QStringLiteral("shape")));
    QCOMPARE(list("torch.ra"), QStringList({"rand", "rand_like", "randint", "randn", "randn_like"}));
    QCOMPARE(list("torch.nn.functional."), QStringList({"cross_entropy", "l1_loss", "mse_loss"}));
    QCOMPARE(list("torch.cuda."), QStringList({"is_available"}));
    QCOMPARE(list("di"), QStringList({"dict", "dir"}));  // dir() works, so it completes
    QCOMPARE(list("nn.Co"), QStringList({"Conv2d"}));
    QCOMPARE(list("torch.nn.Seq"), QStringList({"Sequential"}));
    QVERIFY(list("model.state_dict().k").isEmpty());  // completion never calls anything
    QVERIFY(list("print('model.").isEmpty());          // inside a string
    QVERIFY(list("model._").contains(QStringLiteral("_get_name")));
    QVERIFY(!list("model.").contains(QStringLiteral("_get_name")));
    QVERIFY(session.run("my_tensor = torch.ones(2)").ok);
    QCOMPARE(list("my_"), QStringList({"my_tensor"}));
    QVERIFY(list("my_tensor.").contains(QStringLiteral("numel")));
}

void StatementsTest::needsMoreInput_detectsUnfinishedStatements()
{
    QVERIFY(StatementSession::needsMoreInput("for name, buf in model.named_buffers():"));
    QVERIFY(StatementSession::needsMoreInput("for name, buf in model.named_buffers():\n    print(name)"));
    QVERIFY(!StatementSession::needsMoreInput("for name, buf in model.named_buffers():\n    print(name)\n\n"));
    QVERIFY(StatementSession::needsMoreInput("model.x = torch.randn(3,"));
    QVERIFY(StatementSession::needsMoreInput("x = '''abc"));
    QVERIFY(StatementSession::needsMoreInput("x = 1 + \\"));
    QVERIFY(!StatementSession::needsMoreInput("model.x = torch.randn(3, 4)"));
    QVERIFY(StatementSession::needsMoreInput("model.x = ("));
    QVERIFY(!StatementSession::needsMoreInput("model.x = )"));
    // As in Python's interactive interpreter, a compound statement waits for an empty line.
    QVERIFY(StatementSession::needsMoreInput("for name in model.buffers(): print(name)"));
    QVERIFY(!StatementSession::needsMoreInput("for name in model.buffers(): print(name)\n\n"));
}

void StatementsTest::promptsInPastedSessions_areStripped()
{
    auto model = buildExample("buffer-demo");
    StatementSession session(*model);
    const StatementResult r = session.run(">>> for k in model.state_dict():\n...     print(k)\n... \n>>> len(model.state_dict())\n");
    QVERIFY2(r.ok, r.error.c_str());
    QCOMPARE(r.output, std::string("register_buffer_in\nconv1.0.weight\nconv1.0.bias\n3\n"));
}

void StatementsTest::longLoops_areCapped()
{
    auto model = buildExample("buffer-demo");
    StatementSession session(*model);
    StatementResult r = session.run("n = 0\nfor i in range(10**12):\n    n += 1\n");
    QVERIFY(!r.ok);
    QVERIFY2(q(r.error).startsWith(QLatin1String("NotImplementedError: running more than")), r.error.c_str());
    r = session.run("len(range(10**12))");
    QVERIFY2(r.ok, r.error.c_str());
    QCOMPARE(r.output, std::string("1000000000000\n"));
}

void StatementsTest::hostileInput_neverCrashes_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QString>("expected");  // output, or the error line's start
    QTest::newRow("nested brackets") << QByteArray(300, '(') + QByteArray(300, ')')
                                     << "SyntaxError: too many nested parentheses";
    QTest::newRow("unary chain") << QByteArray(5000, '-') + "1"
                                 << "RecursionError: maximum recursion depth exceeded during compilation";
    QTest::newRow("long sum") << "x = 1" + QByteArray("+1").repeated(100000)
                              << "RecursionError: maximum recursion depth exceeded during compilation";
    QTest::newRow("attribute chain") << "model" + QByteArray(".a").repeated(5000)
                                     << "RecursionError: maximum recursion depth exceeded during compilation";
    QTest::newRow("self-containing list") << QByteArray("l = []\nl.append(l)\nl") << "[[...]]\n";
    QTest::newRow("self-containing dict") << QByteArray("d = {}\nd['d'] = d\nd") << "{'d': {...}}\n";
    QTest::newRow("deep list")
        << QByteArray("l = []\nfor i in range(100000):\n    l = [l]\n\nl")
        << "RecursionError: maximum recursion depth exceeded while getting the repr of an object";
    QTest::newRow("deep list freed") << QByteArray("l = []\nfor i in range(200000):\n    l = [l]\n\nl = 0\nl")
                                     << "0\n";
    QTest::newRow("deep shared list freed") << QByteArray("a = []\nfor i in range(300000):\n    a = [a, a]\n\na = 0\na")
                                            << "0\n";
    QTest::newRow("split into millions") << QByteArray("('ab' * 2**26).split('a')") << "MemoryError: ";
    QTest::newRow("extend doubling") << QByteArray("x = [0]\nfor i in range(64):\n    x.extend(x)\n")
                                     << "NotImplementedError: running more than 50000000 steps in one statement";
    QTest::newRow("huge tensor") << QByteArray("torch.randn(100000, 100000)")
                                 << "MemoryError: a tensor of 37.3 GiB would take Module Explorer past its memory budget of 1 GiB (";
    QTest::newRow("huge arange") << QByteArray("torch.arange(10**12)") << "MemoryError: a tensor of 7.3 TiB";
    QTest::newRow("overflowing shape") << QByteArray("torch.zeros(2**31, 2**31, 2**31)")
                                       << "RuntimeError: Storage size calculation overflowed with sizes=[2147483648, 2147483648, 2147483648]";
    QTest::newRow("negative dim first") << QByteArray("torch.zeros(10**12, -1)")
                                        << "RuntimeError: Trying to create tensor with negative dimension -1: [1000000000000, -1]";
    QTest::newRow("broadcast past budget") << QByteArray("torch.randn(30000, 1) * torch.randn(30000)")
                                           << "MemoryError: a tensor of 3.4 GiB";
    QTest::newRow("buffers accumulate past budget")
        << QByteArray("for i in range(40):\n    model.register_buffer('b' + str(i), torch.zeros(10**8))\n")
        << "MemoryError: a tensor of 381.5 MiB";
    QTest::newRow("under budget runs") << QByteArray("t = torch.zeros(2 * 10**8, dtype=torch.uint8)\nt.numel()")
                                       << "200000000\n";
    QTest::newRow("power by squaring") << QByteArray("(-1) ** 10**12, 3 ** 39, 0 ** 10**15, 1 ** 10**18")
                                       << "(1, 4052555153018976267, 0, 1)\n";
    QTest::newRow("power overflow") << QByteArray("2 ** 10**12") << "NotImplementedError: integer arithmetic beyond 64 bits";
    QTest::newRow("center") << QByteArray("'a'.center(10**12)") << "MemoryError: a string of 931.3 GiB";
    QTest::newRow("ljust") << QByteArray("'a'.ljust(3*10**9)") << "MemoryError: a string of 2.8 GiB";
    QTest::newRow("zfill") << QByteArray("'a'.zfill(3*10**9)") << "MemoryError: a string of 2.8 GiB";
    QTest::newRow("format width") << QByteArray("'{:99999999999}'.format(1.0)") << "MemoryError: a string of 93.1 GiB";
    QTest::newRow("format precision steps") << QByteArray("'{:.999999999e}'.format(1.0)")
                                            << "NotImplementedError: running more than 50000000 steps in one statement";
    QTest::newRow("format precision too big") << QByteArray("'{:.9999999999e}'.format(1.0)")
                                              << "ValueError: precision too big";
    QTest::newRow("format digits") << QByteArray("f'{1.0:99999999999999999999999}'")
                                   << "ValueError: Too many decimal digits in format string";
    QTest::newRow("long precision runs") << QByteArray("len('{:.5000f}'.format(1/3)), '{:.3000e}'.format(1.0)[-8:]")
                                         << "(5002, '0000e+00')\n";
    QTest::newRow("repeat overflows") << QByteArray("'aaaa' * 2**62") << "OverflowError: repeated string is too long";
    QTest::newRow("repeat past budget") << QByteArray("'a' * 2**62") << "MemoryError: a string of 4 EiB";
    QTest::newRow("join") << QByteArray("''.join(['a' * 2**27] * 100)") << "MemoryError: a string of 12.5 GiB";
    QTest::newRow("doubling") << QByteArray("x = 'a' * 2**20\nfor i in range(40):\n    x = x + x\n")
                              << "MemoryError: a string of 1 GiB";
    QTest::newRow("replace") << QByteArray("('a' * 2**27).replace('a', 'a' * 100)") << "MemoryError: a string of 12.5 GiB";
    QTest::newRow("long string indexed") << QByteArray("s = 'a' * 10**8 + 'bc'\ns[5] + s[-3:] + 'h\u00e9llo'[1] + 'h\u00e9llo'[::-2]")
                                         << "'aabcéolh'\n";
    QTest::newRow("list doubling") << QByteArray("x = [0]\nfor i in range(40):\n    x = x + x\n")
                                   << "NotImplementedError: sequences of more than 2000000 items";
    QTest::newRow("values pile up") << QByteArray("x = []\nfor i in range(2000000):\n    x.append([i * 2, i * 3, i * 5])\n")
                                    << "MemoryError: the values this statement made of";
    QTest::newRow("printed output") << QByteArray("for i in range(20):\n    print('a' * 10**8)\n")
                                    << "MemoryError: the printed output of";
    QTest::newRow("recursive list to tensor") << QByteArray("x = []\nx.append(x)\ntorch.tensor(x)")
                                              << "ValueError: too many dimensions 'list'";
    QTest::newRow("giant nested list to tensor") << QByteArray("torch.tensor([[0] * 2000000] * 2000000)")
                                                 << "MemoryError: a tensor's data of 116.4 TiB";
    QTest::newRow("huge layer") << QByteArray("nn.Linear(100000, 100000)")
                                << "NotImplementedError: layers with more than";
    QTest::newRow("huge string") << QByteArray("'x' * 10**10") << "MemoryError: a string of 9.3 GiB";
    QTest::newRow("huge list") << QByteArray("[0] * 10**9") << "NotImplementedError: sequences of more";
    QByteArray deep;
    for (int i = 0; i < 101; ++i)
        deep += QByteArray(i * 4, ' ') + "if True:\n";
    deep += QByteArray(101 * 4, ' ') + "pass\n";
    QTest::newRow("deep indentation") << deep << "IndentationError: too many levels of indentation";
    QTest::newRow("invalid utf-8") << QByteArray("x = '\xff'")
                                   << "SyntaxError: (unicode error) 'utf-8' codec can't decode byte 0xff";
    QTest::newRow("null byte") << QByteArray("x = 1\0", 6) << "SyntaxError: source code cannot contain null bytes";
    QTest::newRow("empty") << QByteArray("") << "";
    QTest::newRow("blank and comments") << QByteArray("\n   \n# just a comment\n\t\n") << "";
    QTest::newRow("crlf") << QByteArray("x = 1\r\nif x:\r\n    print('crlf')\r\n") << "crlf\n";
    QTest::newRow("backslash continuation") << QByteArray("x = 1 + \\\n    2\nx") << "3\n";
    QTest::newRow("model rebinding") << QByteArray("model = 5") << "NotImplementedError: rebinding 'model'";
    QTest::newRow("self is model") << QByteArray("self is model") << "True\n";
    QTest::newRow("int overflow") << QByteArray("9223372036854775807 + 1")
                                  << "NotImplementedError: integer arithmetic beyond 64 bits";
    QTest::newRow("generator exhausted") << QByteArray("g = model.buffers()\nlist(g)\nlist(g)")
                                         << "[tensor(";
}

void StatementsTest::hostileInput_neverCrashes()
{
    QFETCH(QByteArray, source);
    QFETCH(QString, expected);
    auto model = buildExample("buffer-demo");
    const QStringList before = snapshot(*model);
    StatementSession session(*model);
    const StatementResult r = session.run(source.toStdString());
    if (r.ok)
        QVERIFY2(q(r.output).startsWith(expected) || q(r.output).endsWith(expected), r.output.c_str());
    else
        QVERIFY2(q(r.error).startsWith(expected), r.error.c_str());
    QCOMPARE(snapshot(*model), before);
}

QTEST_GUILESS_MAIN(StatementsTest)
#include "tst_statements.moc"
