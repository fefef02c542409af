// Pasting a script into the console of an open model (issue 11): classes and functions defined
// in the console, `model = Model()` replacing the open model, blocks that stop part-way, and the
// values that named the old model. What Python prints for the same scripts is checked against
// real PyTorch by tst_pythonscript; here the console must print the same plus the REPL's echo.

#include "core/examples.h"
#include "core/modulenode.h"
#include "core/pythonscript.h"
#include "core/statements/statementsession.h"

#include <QFile>
#include <QtTest>

using namespace mx;

namespace {

std::string readScript(const char* name)
{
    QFile f(QStringLiteral(MX_FIXTURES_DIR "/scripts/") + QString::fromUtf8(name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().toStdString();
}

std::string scriptOutput(const std::string& source)
{
    PythonScript script;
    script.run(source);
    return script.result().output;
}

}  // namespace

class ConsoleScriptsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void wholeTutorialScript_pastedInTheConsole_replacesTheModel();
    void classFirst_thenTheRestOfTheScript();
    void classDefinedInTheConsole_buildsDetachedModulesToo();
    void blockStoppingPartWay_saysWhereItStopped();
    void oldModelValues_sayTheyAreGone_afterReplacement();
    void rebindingModelToAChild_isRefused();
    void failingConstructor_leavesTheOpenModel();
    void printInForward_isRefusedNotMisprinted();
    void classWithoutForward_raisesPyTorchsError();
};

void ConsoleScriptsTest::wholeTutorialScript_pastedInTheConsole_replacesTheModel()
{
    const std::string source = readScript("tutorial_buffers.py");
    QVERIFY(!source.empty());
    auto open = buildExample("state-dict-demo");
    StatementSession session(*open);
    const StatementResult r = session.run(source);
    QVERIFY2(r.ok, r.error.c_str());
    QVERIFY(r.replacementModel);
    QCOMPARE(session.model(), r.replacementModel.get());
    QCOMPARE(r.replacementModel->typeName(), std::string("Model"));
    // The REPL echoes torch.manual_seed's Generator, then prints what the script prints.
    const std::string echo = "<torch._C.Generator object at 0x";
    QVERIFY2(r.output.rfind(echo, 0) == 0, r.output.c_str());
    const std::string rest = r.output.substr(r.output.find('\n') + 1);
    QCOMPARE(rest, scriptOutput(source));
    // The statements after `model = Model()` ran against the new model.
    const StatementResult keys = session.run("print(list(model.state_dict().keys()))");
    QCOMPARE(keys.output, std::string("['register_buffer_in', 'register_buffer_out', 'conv1.0.weight', "
                                      "'conv1.0.bias']\n"));
    QCOMPARE(session.run("type(model)").output, std::string("<class '__main__.Model'>\n"));
    // The open model the paste replaced was not touched.
    QVERIFY(!open->hasAttr("register_buffer_out"));
}

void ConsoleScriptsTest::classFirst_thenTheRestOfTheScript()
{
    const std::string source = readScript("tutorial_buffers.py");
    const size_t firstPrint = source.find("print('cuda");
    QVERIFY(firstPrint != std::string::npos);
    auto open = buildExample("buffer-demo");
    StatementSession session(*open);
    const StatementResult head = session.run(source.substr(0, firstPrint));
    QVERIFY2(head.ok, head.error.c_str());
    QVERIFY(!head.replacementModel);  // only the class (and the seed) so far
    const StatementResult tail = session.run(source.substr(firstPrint));
    QVERIFY2(tail.ok, tail.error.c_str());
    QVERIFY(tail.replacementModel);
    QCOMPARE(tail.output, scriptOutput(source));
}

void ConsoleScriptsTest::classDefinedInTheConsole_buildsDetachedModulesToo()
{
    auto open = buildExample("buffer-demo");
    StatementSession session(*open);
    StatementResult r = session.run(
        "class Block(nn.Module):\n"
        "    def __init__(self, n=3):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(n, n)\n"
        "    def forward(self, x):\n"
        "        return torch.relu(self.fc(x)) + x\n"
        "\n"
        "model.extra = Block(2)\n"
        "print(model.extra)\n"
        "print(model.extra(torch.ones(1, 2)).shape)\n");
    QVERIFY2(r.ok, r.error.c_str());
    QVERIFY(!r.replacementModel);
    QCOMPARE(r.output, std::string("Block(\n  (fc): Linear(in_features=2, out_features=2, bias=True)\n)\n"
                                   "torch.Size([1, 2])\n"));
    QVERIFY(open->findChild("extra"));
    QCOMPARE(open->findChild("extra")->typeName(), std::string("Block"));
    // Undoing the statement (its edits reverted, last first) takes the module out again.
    QVERIFY(!r.edits.empty());
    std::vector<Edit> edits = std::move(r.edits);
    for (auto it = edits.rbegin(); it != edits.rend(); ++it)
        it->revert();
    QVERIFY(!open->findChild("extra"));
}

void ConsoleScriptsTest::blockStoppingPartWay_saysWhereItStopped()
{
    auto open = buildExample("buffer-demo");
    StatementSession session(*open);
    const StatementResult r = session.run("print('a')\nclass C(nn.Module):\n    def __init__(self):\n"
                                          "        super().__init__()\n        self.w = undefined_name\n"
                                          "m = C()\nprint('b')\nprint('c')\n");
    QVERIFY(!r.ok);
    QCOMPARE(r.output, std::string("a\n"));
    QCOMPARE(r.error, std::string("NameError: name 'undefined_name' is not defined"));
    QCOMPARE(r.errorLine, 5);  // the line inside __init__, as the traceback's last entry says
    QCOMPARE(r.sourceLines, 8);
    QCOMPARE(r.unrunFrom, 7);  // print('b') and print('c') did not run
    QCOMPARE(r.statementsRun, 2);
}

void ConsoleScriptsTest::oldModelValues_sayTheyAreGone_afterReplacement()
{
    auto open = buildExample("buffer-demo");
    StatementSession session(*open);
    QVERIFY(session.run("c = model.conv1\nclass M(nn.Module):\n    def __init__(self):\n"
                        "        super().__init__()\n\nmodel = M()\n")
                .ok);
    open.reset();  // the document closed the old model
    const StatementResult r = session.run("c");
    QVERIFY(!r.ok);
    QVERIFY2(r.error.rfind("NotImplementedError: using a module object that is no longer part of the model", 0) == 0,
             r.error.c_str());
}

void ConsoleScriptsTest::rebindingModelToAChild_isRefused()
{
    auto open = buildExample("buffer-demo");
    StatementSession session(*open);
    const StatementResult r = session.run("model = model.conv1");
    QVERIFY(!r.ok);
    QVERIFY2(r.error.find("is not supported by Module Explorer's console") != std::string::npos, r.error.c_str());
    QVERIFY(!r.replacementModel);
    QCOMPARE(session.model(), open.get());
}

void ConsoleScriptsTest::failingConstructor_leavesTheOpenModel()
{
    auto open = buildExample("buffer-demo");
    StatementSession session(*open);
    const StatementResult r = session.run("class Bad(nn.Module):\n    def __init__(self):\n"
                                          "        super().__init__()\n        self.fc = nn.Linear(2, 2)\n"
                                          "        self.fc2 = nn.Linear(-1, 2)\n\nmodel = Bad()\n");
    QVERIFY(!r.ok);
    QCOMPARE(r.errorLine, 5);
    QVERIFY2(r.error.rfind("RuntimeError: Trying to create tensor with negative dimension -1", 0) == 0,
             r.error.c_str());
    QVERIFY(!r.replacementModel);
    QCOMPARE(session.model(), open.get());
    QCOMPARE(session.run("type(model).__name__").output, std::string("'Model'\n"));
}

void ConsoleScriptsTest::printInForward_isRefusedNotMisprinted()
{
    // TorchScript would print x.shape as [1, 2], Python as torch.Size([1, 2]): refused instead.
    auto open = buildExample("buffer-demo");
    StatementSession session(*open);
    const StatementResult r = session.run("class P(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                                          "        self.fc = nn.Linear(2, 2)\n    def forward(self, x):\n"
                                          "        print('shape', x.shape)\n        return self.fc(x)\n\n"
                                          "p = P()\np(torch.ones(1, 2))\n");
    QVERIFY(!r.ok);
    QCOMPARE(r.errorLine, 10);
    QVERIFY2(r.error.rfind("NotImplementedError: print() on line 6 inside P.forward is not supported", 0) == 0,
             r.error.c_str());
    QCOMPARE(r.output, std::string());
}

void ConsoleScriptsTest::classWithoutForward_raisesPyTorchsError()
{
    auto open = buildExample("buffer-demo");
    StatementSession session(*open);
    const StatementResult r = session.run("class N(nn.Module):\n    def __init__(self):\n        super().__init__()\n\n"
                                          "N()(torch.ones(1))\n");
    QVERIFY(!r.ok);
    QCOMPARE(r.error, std::string("NotImplementedError: Module [N] is missing the required \"forward\" function"));
}

QTEST_GUILESS_MAIN(ConsoleScriptsTest)
#include "tst_consolescripts.moc"
