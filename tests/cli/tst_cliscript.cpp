// `module-explorer SCRIPT.py ...`: the script runs first and prints what it prints, then its model
// is what --print, --exec and --export-python work on; --model-var, --run, --timeout, and the
// one-line refusals (exit 1 for a failing script, 2 for a usage error).
#include "apprun.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

// Two models: `model` (Model, bound last) and `net` (Net).
const char* const kTwoModels =
    "import torch\n"
    "import torch.nn as nn\n"
    "torch.manual_seed(seed=20200910)\n"
    "\n"
    "class Net(nn.Module):\n"
    "    def __init__(self, width=4):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(2, width)\n"
    "\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
    "\n"
    "class Model(torch.nn.Module):\n"
    "    def __init__(self):\n"
    "        super(Model, self).__init__()\n"
    "        self.block = Net(3)\n"
    "        self.register_buffer('steps', torch.zeros(1))\n"
    "\n"
    "    def forward(self, x):\n"
    "        return self.block(x)\n"
    "\n"
    "net = Net()\n"
    "model = Model()\n"
    "print('built', type(model))\n"
    "greeting = 'hello'\n";

}  // namespace

class CliScriptTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void printStateDict_afterWhatTheScriptPrinted()
    {
        const Run r = runApp({script("two.py", kTwoModels), "--print", "state_dict"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        QCOMPARE(r.out, QStringLiteral("built <class '__main__.Model'>\n"
                                       "steps --> torch.Size([1])\n"
                                       "block.fc.weight --> torch.Size([3, 2])\n"
                                       "block.fc.bias --> torch.Size([3])\n"));
    }

    void modelVar_picksAnotherModel_andAnUnknownNameIsAUsageError()
    {
        const QString path = script("two.py", kTwoModels);
        Run r = runApp({path, "--model-var", "net", "--print", "state_dict"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.endsWith(QStringLiteral("fc.weight --> torch.Size([4, 2])\n"
                                               "fc.bias --> torch.Size([4])\n")),
                 qPrintable(r.out));
        r = runApp({path, "--model-var", "greeting", "--print", "state_dict"});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
        QVERIFY2(r.err.contains(QStringLiteral("'greeting'")) && r.err.contains(QStringLiteral("net, model")),
                 qPrintable(r.err));
    }

    void execRunsInTheScriptsSession_andExportWritesTheScriptFirst()
    {
        const QString path = script("two.py", kTwoModels);
        const QString exported = dir.filePath(QStringLiteral("session.py"));
        const Run r = runApp({path, "--model-var", "net", "--exec", "print(greeting, type(Net(5)).__name__)",
                              "--exec", "model.extra = Net(1)", "--export-python", exported});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.endsWith(QStringLiteral("hello Net\n")), qPrintable(r.out));
        QFile f(exported);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        QVERIFY(text.contains(QString::fromUtf8(kTwoModels)));
        QVERIFY(text.indexOf(QStringLiteral("model = net\n")) < text.indexOf(QStringLiteral("model.extra = Net(1)")));
    }

    void run_printsLikePython_withoutNeedingAModel()
    {
        const Run r = runApp({script("hello.py", "for i in range(3):\n    print(i, '-' * i)\n"), "--run"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("0 \n1 -\n2 --\n"));
        QVERIFY(r.err.isEmpty());
        const Run both = runApp({script("hello.py", "print(1)\n"), "--run", "--print", "state_dict"});
        QCOMPARE(both.exitCode, 2);
        const Run notPy = runApp({"--run"});
        QCOMPARE(notPy.exitCode, 2);
        QVERIFY2(notPy.err.contains(QStringLiteral(".py")), qPrintable(notPy.err));
    }

    void failingScript_exits1_withPythonsErrorLineAndItsLine()
    {
        const Run r = runApp({script("bad.py", "import torch\nx = 1\nprint('before')\ny = x + undefined_name\nprint('after')\n"),
                              "--print", "state_dict"});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.out, QStringLiteral("before\n"));  // what ran printed; nothing after the error
        QVERIFY2(r.err.contains(QStringLiteral("line 4")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("NameError: name 'undefined_name' is not defined")), qPrintable(r.err));
        const Run syntax = runApp({script("syntax.py", "x = (1,\nprint(x\n"), "--run"});
        QCOMPARE(syntax.exitCode, 1);
        QVERIFY2(syntax.err.contains(QStringLiteral("SyntaxError")), qPrintable(syntax.err));
    }

    void scriptWithoutAModule_exits1_whenAModelIsNeeded()
    {
        const Run r = runApp({script("plain.py", "x = 3\nprint(x)\n"), "--print", "state_dict"});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.out, QStringLiteral("3\n"));
        QVERIFY2(r.err.contains(QStringLiteral("the script made no nn.Module")), qPrintable(r.err));
    }

    void timeout_stopsAnEndlessTopLevelLoop()
    {
        QElapsedTimer clock;
        clock.start();
        const Run r = runApp({script("loop.py", "print('start')\nwhile True:\n    pass\nprint('never')\n"),
                              "--timeout", "1", "--run"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(clock.elapsed() < 30000, "the loop was not stopped");
        QCOMPARE(r.out, QStringLiteral("start\n"));
        QVERIFY2(r.err.contains(QStringLiteral("TimeoutError")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QRegularExpression(QStringLiteral("line [23]\n"))), qPrintable(r.err));
    }

    void fileSystemAndImportsAreRefused()
    {
        for (const char* source : {"import os\nos.remove('x')\n", "open('/etc/passwd').read()\n",
                                   "__import__('subprocess')\n"}) {
            const Run r = runApp({script("hostile.py", source), "--run"});
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains(QStringLiteral("line 1")), qPrintable(r.err));
            QVERIFY2(r.err.contains(QStringLiteral("Error")), qPrintable(r.err));
        }
    }

private:
    QString script(const char* name, const char* source)
    {
        const QString path = dir.filePath(QString::fromLatin1(name));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        f.write(source);
        return path;
    }

    QTemporaryDir dir;
};

QTEST_GUILESS_MAIN(CliScriptTest)
#include "tst_cliscript.moc"
