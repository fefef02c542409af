// Issue 11 in the window: File → Open on a .py runs it off the GUI thread (the console shows what
// it printed; Stop interrupts it), its model opens with the class in the tree and the title, a
// failing script keeps the open model, several models are chosen from, and a console paste that
// rebinds `model` switches the window to the new module with a fresh history.
#include "app/document.h"
#include "app/mainwindow.h"
#include "items/moduletreemodel.h"
#include "widgets/consolewidget.h"
#include "widgets/forwardpanel.h"

#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace mx;

namespace {

const char* const kScript =
    "import torch\n"
    "import torch.nn as nn\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(2, 3)\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
    "model = Net()\n"
    "print('made', type(model).__name__)\n";

}  // namespace

class ScriptOpenTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("Module Explorer Tests"));
        QSettings().clear();
        QVERIFY(document.openExample(QStringLiteral("buffer-demo")));
        window = std::make_unique<MainWindow>(&document);
        window->setErrorReporter([this](const QString&, const QString& message) { errors << message; });
        window->setUnsavedPrompt([] { return int(QMessageBox::Discard); });
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    }

    void openingAScript_showsItsOutputAndItsModel()
    {
        QSignalSpy opened(&document, &Document::fileOpened);
        window->openFileAsked(write("net.py", kScript));
        QVERIFY(opened.wait(60000));
        QCOMPARE(window->treeModel()->index(0, ModuleTreeModel::Kind).data().toString(), QStringLiteral("Net"));
        QVERIFY2(window->windowTitle().startsWith(QStringLiteral("net.py (Net)")), qPrintable(window->windowTitle()));
        const QString transcript = window->console()->transcript();
        QVERIFY2(transcript.contains(QStringLiteral("made Net")), qPrintable(transcript));
        QCOMPARE(document.undoStack()->count(), 0);
        // The console goes on in the script's session.
        QTRY_VERIFY(!document.isBusy());  // the Forward dock's check of the new model
        QSignalSpy finished(&document, &Document::statementFinished);
        window->runInConsole(QStringLiteral("print(Net().fc.out_features)"));
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.last().at(1).value<StatementOutcome>().output, QStringLiteral("3\n"));
    }

    void aForwardThatDoesNotCompile_opensAnyway_andTheForwardDockSaysWhy()
    {
        QSignalSpy opened(&document, &Document::fileOpened);
        window->openFileAsked(write("badforward.py",
                                    "import torch.nn as nn\n"
                                    "class Broken(nn.Module):\n"
                                    "    def __init__(self):\n"
                                    "        super().__init__()\n"
                                    "        self.fc = nn.Linear(2, 3)\n"
                                    "    def forward(self, x):\n"
                                    "        return x.no_such_method(lambda q: q)\n"
                                    "model = Broken()\n"));
        QVERIFY(opened.wait(60000));
        QCOMPARE(window->treeModel()->index(0, ModuleTreeModel::Kind).data().toString(), QStringLiteral("Broken"));
        auto* reason = window->forwardPanel()->findChild<QLabel*>(QStringLiteral("forwardError"));
        QVERIFY(reason);
        QTRY_VERIFY_WITH_TIMEOUT(!reason->text().isEmpty(), 30000);
        QTRY_VERIFY(!document.isBusy());
    }

    void aFailingScript_keepsTheModel_andSaysWhereItStopped()
    {
        errors.clear();
        QSignalSpy failed(&document, &Document::fileOpenFailed);
        window->openFileAsked(write("bad.py", "import torch\nprint('first')\nx = undefined_name\nprint('never')\n"));
        QVERIFY(failed.wait(60000));
        QCOMPARE(window->treeModel()->index(0, ModuleTreeModel::Kind).data().toString(), QStringLiteral("Broken"));
        QCOMPARE(errors.size(), 1);
        const QString transcript = window->console()->transcript();
        QVERIFY2(transcript.contains(QStringLiteral("first")), qPrintable(transcript));
        QVERIFY2(transcript.contains(QStringLiteral("line 3")), qPrintable(transcript));
        QVERIFY2(transcript.contains(QStringLiteral("NameError")), qPrintable(transcript));
        QVERIFY2(transcript.contains(QStringLiteral("Stopped at line 3; line 4 did not run.")), qPrintable(transcript));
    }

    void aScriptWithoutModules_saysSo()
    {
        errors.clear();
        QSignalSpy failed(&document, &Document::fileOpenFailed);
        window->openFileAsked(write("plain.py", "x = 1\n"));
        QVERIFY(failed.wait(60000));
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.front().contains(QStringLiteral("the script made no nn.Module")), qPrintable(errors.front()));
        QCOMPARE(window->treeModel()->index(0, ModuleTreeModel::Kind).data().toString(), QStringLiteral("Broken"));
    }

    void severalModels_areChosenFrom_theOneNamedModelOffered()
    {
        QStringList offered;
        int offeredDefault = -1;
        document.setModelChooser([&](const QStringList& variables, const QStringList&, int defaultIndex) {
            offered = variables;
            offeredDefault = defaultIndex;
            return static_cast<int>(variables.indexOf(QStringLiteral("small")));
        });
        QSignalSpy opened(&document, &Document::fileOpened);
        window->openFileAsked(write("two.py", QByteArray(kScript) + "small = nn.Linear(1, 1)\nbig = Net()\n"));
        QVERIFY(opened.wait(60000));
        QCOMPARE(offered.size(), 3);
        QCOMPARE(offered.at(offeredDefault), QStringLiteral("model"));  // as the tutorial names it
        QCOMPARE(window->treeModel()->index(0, ModuleTreeModel::Kind).data().toString(), QStringLiteral("Linear"));
    }

    void anEndlessScript_isStoppedFromTheConsole_andTheModelStays()
    {
        QSignalSpy failed(&document, &Document::fileOpenFailed);
        QSignalSpy started(&document, &Document::scriptStarted);
        window->openFileAsked(write("loop.py", "while True:\n    pass\n"));
        QVERIFY(started.count() == 1 || started.wait(10000));
        QTest::qWait(300);  // the GUI keeps running meanwhile
        QVERIFY(window->console()->isRunning());
        Q_EMIT window->console()->interruptRequested();
        QVERIFY(failed.wait(30000));
        QVERIFY(failed.last().at(2).toBool());  // cancelled
        QVERIFY(!window->console()->isRunning());
        QCOMPARE(window->treeModel()->index(0, ModuleTreeModel::Kind).data().toString(), QStringLiteral("Linear"));
    }

    void aPastedScript_switchesTheWindowToItsModel()
    {
        QVERIFY(document.openExample(QStringLiteral("buffer-demo")));
        QSignalSpy finished(&document, &Document::statementFinished);
        QSignalSpy replaced(&document, &Document::modelReplaced);
        window->runInConsole(QStringLiteral("model.register_buffer('before', torch.zeros(1))"));
        QVERIFY(finished.wait(30000));
        QCOMPARE(document.undoStack()->count(), 1);
        window->runInConsole(QString::fromLatin1(kScript) + QStringLiteral("model.fc.bias\n"));
        QVERIFY(replaced.count() > 0 || replaced.wait(30000));
        QCOMPARE(window->treeModel()->index(0, ModuleTreeModel::Kind).data().toString(), QStringLiteral("Net"));
        QCOMPARE(document.undoStack()->count(), 0);
        QVERIFY2(window->windowTitle().startsWith(QStringLiteral("Net (from the console)")),
                 qPrintable(window->windowTitle()));
        const QString transcript = window->console()->transcript();
        QVERIFY2(transcript.contains(QStringLiteral("model is now the Net built on line 9")), qPrintable(transcript));
        QVERIFY(document.exportPython().contains(QStringLiteral("register_buffer('before'")));
    }

private:
    QString write(const char* name, const QByteArray& source)
    {
        const QString path = dir.filePath(QString::fromLatin1(name));
        QFile f(path);
        if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            f.write(source);
        return path;
    }

    QTemporaryDir dir;
    Document document;
    std::unique_ptr<MainWindow> window;
    QStringList errors;
};

QTEST_MAIN(ScriptOpenTest)
#include "tst_scriptopen.moc"
