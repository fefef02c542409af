// The Qt-free document: history as data (undo, redo, a new statement dropping undone entries), the
// typed change records observers get (and their inverses on undo), the export log, unsaved edits,
// a .py script's model adopted with its session, and a console paste that rebinds `model`.

#include "core/examples.h"
#include "core/listings.h"
#include "core/modeldocument.h"
#include "core/modulenode.h"
#include "core/pythonscript.h"
#include "core/statements/statementsession.h"

#include <QTest>

#include <chrono>
#include <thread>

using namespace mx;

namespace {

// A student's script: a class, a seed, two top-level names besides the model.
const char* const kScript =
    "import torch\n"
    "import torch.nn as nn\n"
    "torch.manual_seed(seed=20200910)\n"
    "class Net(nn.Module):\n"
    "    def __init__(self, width=3):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(2, width)\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
    "net = Net()\n"
    "width = 7\n"
    "print('made', type(net))\n";

std::vector<std::string> stateDictKeys(const ModuleNode& root)
{
    std::vector<std::string> keys;
    for (const ListingEntry& e : stateDict(root))
        keys.push_back(e.name);
    return keys;
}

}  // namespace

class DocumentTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        doc = std::make_unique<ModelDocument>();
        heard.clear();
        doc->subscribe([this](const DocumentChange& c) { heard.push_back(c); });
        doc->replaceModel(buildExample("buffer-demo"), "buffer-demo");
        doc->deliverChanges();
        heard.clear();
    }

    void changes_waitForDeliver_thenComeInOrder()
    {
        QVERIFY(doc->run("model.register_buffer('b', torch.zeros(2))").ok);
        QVERIFY(heard.empty());  // a worker's job: nothing reaches observers until delivered
        doc->deliverChanges();
        QCOMPARE(heard.size(), size_t(1));
        const DocumentChange& c = heard[0];
        QCOMPARE(int(c.kind), int(DocumentChange::Kind::Edited));
        QCOMPARE(c.records.size(), size_t(1));
        QCOMPARE(c.records[0].module, doc->root());
        QCOMPARE(int(c.records[0].change.kind), int(Edit::Change::Kind::Insert));
        QCOMPARE(int(c.records[0].change.section), int(Section::Buffers));
        QCOMPARE(c.records[0].change.index, size_t(1));  // after register_buffer_in
        QCOMPARE(int(c.records[0].change.after), int(Edit::Change::Value::Tensor));
    }

    void undo_sendsTheInverseSteps_lastFirst()
    {
        // Replacing a plain tensor attribute by a buffer: remove from __dict__, then insert.
        QVERIFY(doc->run("model.register_buffer('attribute_buffer_in', None)").ok == false);
        QVERIFY(doc->run("del model.attribute_buffer_in\nmodel.t = torch.ones(1)\nmodel.t = None").ok);
        doc->deliverChanges();
        const std::vector<ChangeRecord> done = heard.back().records;
        QVERIFY(done.size() >= 3);
        heard.clear();
        doc->undo();
        doc->deliverChanges();
        const std::vector<ChangeRecord>& undone = heard.back().records;
        QCOMPARE(undone.size(), done.size());
        for (size_t i = 0; i < done.size(); ++i) {
            const Edit::Change& d = done[done.size() - 1 - i].change;
            const Edit::Change& u = undone[i].change;
            QCOMPARE(u.index, d.index);
            QCOMPARE(int(u.before), int(d.after));
            QCOMPARE(int(u.after), int(d.before));
            if (d.kind == Edit::Change::Kind::Insert)
                QCOMPARE(int(u.kind), int(Edit::Change::Kind::Remove));
        }
        // The last step done (t = None: a Tensor replaced by None) is the first undone.
        QCOMPARE(int(undone[0].change.kind), int(Edit::Change::Kind::Replace));
        QCOMPARE(int(undone[0].change.after), int(Edit::Change::Value::Tensor));
    }

    void history_undoRedo_andANewStatementDropsUndoneEntries()
    {
        const std::vector<std::string> before = stateDictKeys(*doc->root());
        QVERIFY(doc->run("model.register_buffer('a', torch.zeros(1))").ok);
        QVERIFY(doc->run("model.register_buffer('b', torch.zeros(1))").ok);
        QCOMPARE(doc->historySize(), size_t(2));
        doc->undo();
        doc->undo();
        QCOMPARE(stateDictKeys(*doc->root()), before);
        QVERIFY(doc->canRedo());
        doc->redo();
        QCOMPARE(doc->historyIndex(), size_t(1));
        QVERIFY(doc->run("model.register_buffer('c', torch.zeros(1))").ok);
        QCOMPARE(doc->historySize(), size_t(2));  // 'b' is gone for good
        QVERIFY(!doc->canRedo());
        QCOMPARE(doc->historySource(1), std::string("model.register_buffer('c', torch.zeros(1))"));
    }

    void queries_andFailures_makeNoHistoryEntry()
    {
        QVERIFY(doc->run("x = 3").ok);
        QVERIFY(doc->run("print(model)").ok);
        QVERIFY(!doc->run("model.register_buffer('a.b', torch.zeros(1))").ok);
        QCOMPARE(doc->historySize(), size_t(0));
        QVERIFY(!doc->isModified());
    }

    void exportLog_afterRunUndoRunUndoRun_listsOnlyTheLast()
    {
        QVERIFY(doc->run("model.register_buffer('a', torch.zeros(1))").ok);
        doc->undo();
        QVERIFY(doc->run("model.register_buffer('b', torch.zeros(1))").ok);
        doc->undo();
        QVERIFY(doc->run("model.register_buffer('c', torch.zeros(1))").ok);
        QVERIFY(doc->run("y = 1").ok);
        const std::vector<std::string> s = doc->effectiveStatements();
        QCOMPARE(s, (std::vector<std::string>{"model.register_buffer('c', torch.zeros(1))", "y = 1"}));
        QVERIFY(doc->exportPython().find("'a'") == std::string::npos);
        QVERIFY(doc->exportPython().find("'b'") == std::string::npos);
    }

    void failingBlock_keepsTheStatementsBeforeIt()
    {
        const StatementResult r = doc->run("model.register_buffer('a', torch.zeros(1))\nmodel.x = = 2");
        QVERIFY(!r.ok);  // a syntax error runs nothing at all
        QCOMPARE(doc->historySize(), size_t(0));
        const StatementResult r2 =
            doc->run("model.register_buffer('a', torch.zeros(1))\nmodel.register_buffer('a.b', None)");
        QVERIFY(!r2.ok);
        QCOMPARE(doc->historySize(), size_t(1));
        QCOMPARE(doc->historySource(0), std::string("model.register_buffer('a', torch.zeros(1))"));
    }

    void modified_followsTheSavedPoint()
    {
        QVERIFY(!doc->isModified());
        QVERIFY(doc->run("model.register_buffer('a', torch.zeros(1))").ok);
        QVERIFY(doc->isModified());
        doc->markSaved();
        QVERIFY(!doc->isModified());
        doc->undo();
        QVERIFY(doc->isModified());
        doc->redo();
        QVERIFY(!doc->isModified());
        doc->undo();
        QVERIFY(doc->run("model.register_buffer('b', torch.zeros(1))").ok);  // the saved entry is gone
        QVERIFY(doc->isModified());
        doc->undo();
        QVERIFY(doc->isModified());
    }

    void replaceModel_tellsObserversBeforeAndAfter_andClearsHistory()
    {
        QVERIFY(doc->run("model.register_buffer('a', torch.zeros(1))").ok);
        doc->deliverChanges();
        heard.clear();
        const ModuleNode* old = doc->root();
        bool oldAliveWhenTold = false;
        const int h = doc->subscribe([&](const DocumentChange& c) {
            if (c.kind == DocumentChange::Kind::AboutToReplaceModel)
                oldAliveWhenTold = doc->root() == old && !old->typeName().empty();
        });
        doc->replaceModel(buildExample("state-dict-demo"), "state-dict-demo");
        doc->deliverChanges();
        doc->unsubscribe(h);
        QVERIFY(oldAliveWhenTold);
        QCOMPARE(heard.size(), size_t(2));
        QCOMPARE(int(heard[0].kind), int(DocumentChange::Kind::AboutToReplaceModel));
        QCOMPARE(int(heard[1].kind), int(DocumentChange::Kind::ModelReplaced));
        QCOMPARE(doc->historySize(), size_t(0));
        QCOMPARE(stateDictKeys(*doc->root()).size(), size_t(16));
        QVERIFY(doc->effectiveStatements().empty());
    }

    void check_changesNothing()
    {
        const std::vector<std::string> before = stateDictKeys(*doc->root());
        QCOMPARE(doc->check("model.register_buffer('a', torch.randn(3))"), std::string());
        QCOMPARE(doc->check("model.register_buffer('a.b', torch.randn(3))"),
                 std::string("KeyError: 'buffer name can\\'t contain \".\"'"));
        QCOMPARE(stateDictKeys(*doc->root()), before);
        QCOMPARE(doc->historySize(), size_t(0));
    }

    void interruptFromAnotherThread_stopsTheStatement_andRevertsItsEdits()
    {
        const std::vector<std::string> before = stateDictKeys(*doc->root());
        std::thread stopper([this] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            doc->requestInterrupt();
        });
        const auto start = std::chrono::steady_clock::now();
        const StatementResult r = doc->run(
            "for i in range(10**12):\n    if i == 0:\n        model.register_buffer('early', torch.zeros(1))\n");
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        stopper.join();
        QVERIFY(!r.ok);
        QCOMPARE(r.error, std::string("KeyboardInterrupt"));
        QVERIFY2(seconds < 10, std::to_string(seconds).c_str());
        QCOMPARE(stateDictKeys(*doc->root()), before);
        QCOMPARE(doc->historySize(), size_t(0));
        QVERIFY(doc->run("model.register_buffer('after', torch.zeros(1))").ok);  // a later run is not stopped
        QCOMPARE(doc->historySize(), size_t(1));
    }

    void adoptScript_opensTheScriptsModel_withItsClassesAndVariables()
    {
        PythonScript script;
        QVERIFY2(script.run(kScript), script.result().error.c_str());
        QCOMPARE(script.models().size(), size_t(1));
        const ModuleNode* old = doc->root();
        bool oldAliveWhenTold = false;
        doc->subscribe([&](const DocumentChange& c) {
            if (c.kind == DocumentChange::Kind::AboutToReplaceModel)
                oldAliveWhenTold = doc->root() == old && old->typeName() == "Model";
        });
        doc->adoptScript(script, 0, "net.py");
        doc->deliverChanges();
        QVERIFY(oldAliveWhenTold);
        QCOMPARE(heard.size(), size_t(2));
        QCOMPARE(int(heard[1].kind), int(DocumentChange::Kind::ModelReplaced));
        QCOMPARE(doc->root()->typeName(), std::string("Net"));
        QCOMPARE(doc->scriptClassName(), std::string("Net"));
        QCOMPARE(stateDictKeys(*doc->root()), (std::vector<std::string>{"fc.weight", "fc.bias"}));
        QCOMPARE(doc->historySize(), size_t(0));
        QVERIFY(!doc->isModified());
        // The console keeps the script's names: its variables, its class, `model` bound.
        StatementResult r = doc->run("print(width, type(model).__name__)");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.output, std::string("7 Net\n"));
        r = doc->run("model.extra = Net(4).fc");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(doc->historySize(), size_t(1));
        QVERIFY(doc->canUndo());
        // Export: the script as opened, `model = net` (the session says `model`), the statement.
        const std::string exported = doc->exportPython();
        QVERIFY(exported.find(kScript) != std::string::npos);
        const size_t alias = exported.find("model = net\n");
        QVERIFY(alias != std::string::npos);
        QVERIFY(exported.find("model.extra = Net(4).fc", alias) != std::string::npos);
    }

    void replaceModel_afterAScript_exportsTheExampleAgain()
    {
        PythonScript script;
        QVERIFY(script.run(kScript));
        doc->adoptScript(script, 0, "net.py");
        doc->replaceModel(buildExample("buffer-demo"), "buffer-demo");
        QCOMPARE(doc->scriptClassName(), std::string());
        QVERIFY(doc->exportPython().find("class Net") == std::string::npos);
        QVERIFY(doc->exportPython().find("register_buffer_in_temp") != std::string::npos);
    }

    void consolePasteRebindingModel_isAdoptedOnTheCallersThread_withAFreshHistory()
    {
        QVERIFY(doc->run("model.register_buffer('kept', torch.zeros(1))").ok);
        QCOMPARE(doc->historySize(), size_t(1));
        doc->deliverChanges();
        heard.clear();
        const ModuleNode* old = doc->root();
        const std::string paste =
            "class Net(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.fc = nn.Linear(2, 3)\n"
            "\n"
            "model = Net()\n"
            "model.register_buffer('b', torch.ones(2))\n";
        const StatementResult r = doc->run(paste);
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY(r.replacementModel != nullptr);
        // Queued, not applied: the job may have run on a worker.
        QVERIFY(doc->hasConsoleModel());
        QCOMPARE(doc->root(), old);
        QVERIFY(heard.empty());
        QVERIFY(doc->adoptConsoleModel());
        doc->deliverChanges();
        QCOMPARE(heard.size(), size_t(2));
        QCOMPARE(int(heard[0].kind), int(DocumentChange::Kind::AboutToReplaceModel));
        QCOMPARE(int(heard[1].kind), int(DocumentChange::Kind::ModelReplaced));
        QCOMPARE(doc->root()->typeName(), std::string("Net"));
        QCOMPARE(doc->scriptClassName(), std::string("Net"));
        QCOMPARE(stateDictKeys(*doc->root()), (std::vector<std::string>{"b", "fc.weight", "fc.bias"}));
        QCOMPARE(doc->historySize(), size_t(0));
        QVERIFY(!doc->canUndo());
        QVERIFY(!doc->adoptConsoleModel());  // once
        // The same session goes on: the class is known, `model` is the new module.
        const StatementResult after = doc->run("print(type(model).__name__, isinstance(Net(), nn.Module))");
        QVERIFY2(after.ok, after.error.c_str());
        QCOMPARE(after.output, std::string("Net True\n"));
        // Export replays everything: the example, the statement before, the paste, and on.
        const std::string exported = doc->exportPython();
        const size_t before = exported.find("register_buffer('kept'");
        const size_t pasted = exported.find("model = Net()");
        QVERIFY(before != std::string::npos && pasted != std::string::npos && before < pasted);
    }

    void failedScript_opensNothing_andTheDocumentStays()
    {
        PythonScript script;
        QVERIFY(!script.run("import torch\nx = 1\nraise ValueError('no')\nprint(x)\n"));
        QCOMPARE(script.result().errorLine, 3);
        QVERIFY(script.models().empty());
        QCOMPARE(doc->root()->typeName(), std::string("Model"));
        QVERIFY(doc->run("print(model.register_buffer_in.shape)").ok);
    }

private:
    std::unique_ptr<ModelDocument> doc;
    std::vector<DocumentChange> heard;
};

QTEST_APPLESS_MAIN(DocumentTest)
#include "tst_document.moc"
