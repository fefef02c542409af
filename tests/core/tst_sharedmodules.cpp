// One module under several names (issue 9, section 1), at the core: what the tree holds, undo and
// redo of sharing, deleting and re-keying, the jit mirror's forward, and files saved and reopened.
// What the console prints for the same statements is compared with real PyTorch 1.13 in
// tst_statements (cases shared_submodules and sequential_delitem of statements_reference.json).

#include "core/examples.h"
#include "core/forward.h"
#include "core/listings.h"
#include "core/modelfile.h"
#include "core/modulenode.h"
#include "core/statements/statementsession.h"
#include "listingnames.h"

#include <torch/script.h>

#include <QTemporaryDir>
#include <QtTest>

#include <string>
#include <vector>

using namespace mx;

namespace {

QStringList moduleNames(const ModuleNode& root)
{
    QStringList out;
    for (const NamedModule& m : namedModules(root))
        out << QString::fromStdString(m.name);
    return out;
}

QStringList childNames(const ModuleNode& node)
{
    QStringList out;
    for (const ChildSlot& c : node.childSlots())
        out << QString::fromStdString(c.name);
    return out;
}

// Runs statements that must succeed; their edits, applied.
std::vector<Edit> run(StatementSession& session, const char* source)
{
    StatementResult r = session.run(source);
    if (!r.ok)
        qFatal("%s: %s", source, r.error.c_str());
    return std::move(r.edits);
}

void revertAll(std::vector<Edit>& edits)
{
    for (auto it = edits.rbegin(); it != edits.rend(); ++it)
        it->revert();
}

void applyAll(std::vector<Edit>& edits)
{
    for (Edit& e : edits)
        e.apply();
}

ForwardResult forwardOf(ModuleNode& model)
{
    ForwardOptions o;
    o.inputShape = {1, 1, 28, 28};
    o.fill = InputFill::Ramp;
    o.warmup = 0;
    return runForward(model, o);
}

}  // namespace

class SharedModulesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oneModuleUnderTwoNames_isOneNodeWithTwoParents()
    {
        auto model = buildExample("buffer-demo");
        StatementSession session(*model);
        const QStringList before = listingNames(stateDict(*model));
        std::vector<Edit> edits = run(session, "model.a = model.conv1");
        ModuleNode* conv1 = model->findChild("conv1");
        QCOMPARE(model->findChild("a"), conv1);
        QCOMPARE(conv1->parents().size(), size_t(2));
        QCOMPARE(listingNames(stateDict(*model)),
                 before + QStringList({"a.0.weight", "a.0.bias"}));
        QCOMPARE(moduleNames(*model), QStringList({"", "conv1", "conv1.0", "conv1.1"}));
        QCOMPARE(listingNames(namedParameters(*model)), QStringList({"conv1.0.weight", "conv1.0.bias"}));

        // An edit through one name is seen through the other.
        std::vector<Edit> mark = run(session, "model.a[0].register_buffer('mark', torch.ones(2))");
        QVERIFY(listingNames(stateDict(*model)).contains(QStringLiteral("conv1.0.mark")));
        QVERIFY(listingNames(stateDict(*model)).contains(QStringLiteral("a.0.mark")));

        // Undo takes the buffer from both names, then the second name; redo brings both back.
        revertAll(mark);
        revertAll(edits);
        QCOMPARE(listingNames(stateDict(*model)), before);
        QCOMPARE(conv1->parents().size(), size_t(1));
        applyAll(edits);
        applyAll(mark);
        QCOMPARE(listingNames(stateDict(*model)), before + QStringList({"conv1.0.mark", "a.0.weight",
                                                                "a.0.bias", "a.0.mark"}));
    }

    void deletingTheFirstName_leavesTheModuleUnderTheOther()
    {
        auto model = buildExample("buffer-demo");
        StatementSession session(*model);
        run(session, "model.a = model.conv1");
        const ModuleNode* conv1 = model->findChild("conv1");
        std::vector<Edit> del = run(session, "del model.conv1");
        QCOMPARE(model->findChild("a"), conv1);
        QCOMPARE(conv1->parents().size(), size_t(1));
        QCOMPARE(moduleNames(*model), QStringList({"", "a", "a.0", "a.1"}));
        revertAll(del);
        QCOMPARE(childNames(*model), QStringList({"conv1", "a"}));
        QCOMPARE(model->findChild("conv1"), conv1);
        QCOMPARE(moduleNames(*model), QStringList({"", "conv1", "conv1.0", "conv1.1"}));
    }

    void aModuleInsideItself_isRefusedAndChangesNothing()
    {
        auto model = buildExample("state-dict-demo");
        StatementSession session(*model);
        run(session, "model.a = model.conv1");
        const std::string repr = model->repr();
        for (const char* source : {"model.me = model", "model.conv1.up = model.conv1",
                                   "model.conv1[0].add_module('up', model.conv1)",
                                   "model.conv1[0].back = model.a",
                                   "model.a.x = nn.Sequential(model.conv1)"}) {
            const StatementResult r = session.run(source);
            QVERIFY2(!r.ok, source);
            QVERIFY2(r.error.rfind("NotImplementedError: ", 0) == 0, r.error.c_str());
            QVERIFY2(r.edits.empty(), source);
            QCOMPARE(model->repr(), repr);
        }
    }

    void sharingThatMultipliesNamesPastTheBudget_isRefused()
    {
        // Each level doubles the names below it: 2^40 state_dict visits are never walked.
        auto model = buildExample("buffer-demo");
        StatementSession session(*model);
        const StatementResult r = session.run(
            "s = nn.Sequential(nn.ReLU())\nfor i in range(40):\n    s = nn.Sequential(s, s)\n");
        QVERIFY(!r.ok);
        QVERIFY2(r.error.find("visits more than 100000 modules") != std::string::npos, r.error.c_str());
        // 2^10 names are fine.
        QVERIFY(session.run("s = nn.Sequential(nn.ReLU())\nfor i in range(10):\n    s = nn.Sequential(s, s)\n"
                            "model.s = s\nlen(model.state_dict())").ok);
        QCOMPARE(static_cast<int>(namedModules(*model, {}, false).size()), 4 + (3 * 1024 - 1));
        QCOMPARE(static_cast<int>(namedModules(*model).size()), 4 + 11 + 1);  // 11 Sequentials, 1 ReLU
    }

    void sequentialDelitem_rekeysAndUndoBringsTheNamesBack()
    {
        auto model = buildExample("state-dict-demo");
        StatementSession session(*model);
        ModuleNode& conv1 = *model->findChild("conv1");
        std::vector<const ModuleNode*> before;
        for (const ChildSlot& c : conv1.childSlots())
            before.push_back(c.module.get());
        std::vector<Edit> del = run(session, "del model.conv1[1]");
        QCOMPARE(del.size(), size_t(1));  // one undo step
        QCOMPARE(childNames(conv1), QStringList({"0", "1", "2", "3"}));
        QCOMPARE(conv1.findChild("1"), before[2]);
        QCOMPARE(listingNames(stateDict(*model)).filter(QStringLiteral("conv1.")),
                 QStringList({"conv1.0.weight", "conv1.0.bias", "conv1.1.weight", "conv1.1.bias"}));
        revertAll(del);
        QCOMPARE(childNames(conv1), QStringList({"0", "1", "2", "3", "4"}));
        for (size_t i = 0; i < before.size(); ++i)
            QCOMPARE(conv1.childSlots()[i].module.get(), before[i]);
        applyAll(del);
        QCOMPARE(conv1.findChild("1"), before[2]);
    }

    void sequentialForward_followsItsChildren()
    {
        // Model A ends in Linear(1024, 10): some outputs are negative until a ReLU is appended;
        // deleting it again gives the first output back exactly.
        auto model = buildExample("state-dict-demo");
        StatementSession session(*model);
        const ForwardResult first = forwardOf(*model);
        QVERIFY2(first.ok, first.error.c_str());
        QVERIFY(std::any_of(first.preview.begin(), first.preview.end(), [](double v) { return v < 0; }));
        std::vector<Edit> append = run(session, "model.dense.append(nn.ReLU())");
        const ForwardResult relu = forwardOf(*model);
        QVERIFY2(relu.ok, relu.error.c_str());
        QVERIFY(std::all_of(relu.preview.begin(), relu.preview.end(), [](double v) { return v >= 0; }));
        run(session, "del model.dense[4]");
        const ForwardResult back = forwardOf(*model);
        QVERIFY2(back.ok, back.error.c_str());
        QCOMPARE(back.outputSum, first.outputSum);
        // A Sequential holding one module twice runs it under both names (ReLU after a max-pool
        // of ReLU outputs changes nothing).
        run(session, "model.conv1.append(model.conv1[1])");
        QCOMPARE(model->findChild("conv1")->findChild("5"), model->findChild("conv1")->findChild("1"));
        const ForwardResult twice = forwardOf(*model);
        QVERIFY2(twice.ok, twice.error.c_str());
        QCOMPARE(twice.outputSum, first.outputSum);
        QCOMPARE(twice.trace.size(), first.trace.size() + 1);
    }

    void sharedModulesSurviveSavingAndReopening()
    {
        auto model = buildExample("state-dict-demo");
        StatementSession session(*model);
        run(session, "model.a = model.conv1\nmodel.add_module('c0', model.conv1[0])");
        const QStringList expected = listingNames(stateDict(*model));
        const ForwardResult before = forwardOf(*model);
        QVERIFY2(before.ok, before.error.c_str());
        QTemporaryDir dir;
        const std::string scripted = dir.filePath(QStringLiteral("shared.pt")).toStdString();
        saveModelFile(*model, scripted, SaveFormat::TorchScript);
        OpenedModel opened = openModelFile(scripted);
        QCOMPARE(listingNames(stateDict(*opened.root)), expected);
        // As torch.jit.script does, the archive holds a module object per name, sharing their
        // tensors: Python's named_modules() then lists both names, named_parameters() one.
        const ModuleNode& a = *opened.root->findChild("a");
        QCOMPARE(a.findChild("0")->parameters()[0].tensor.identity(),
                 opened.root->findChild("conv1")->findChild("0")->parameters()[0].tensor.identity());
        QVERIFY(moduleNames(*opened.root).contains(QStringLiteral("a.0")));
        QCOMPARE(listingNames(namedParameters(*opened.root)), listingNames(namedParameters(*model)));
        const ForwardResult after = forwardOf(*opened.root);
        QVERIFY2(after.ok, after.error.c_str());
        QCOMPARE(after.outputSum, before.outputSum);

        const std::string sd = dir.filePath(QStringLiteral("shared.sd.pt")).toStdString();
        saveModelFile(*model, sd, SaveFormat::StateDict);
        QCOMPARE(listingNames(stateDict(*openModelFile(sd).root)), expected);
    }

    void anArchiveHoldingOneModuleObjectTwice_opensAsOneSharedNode()
    {
        // torch.jit.script never writes this, but a C++ jit::Module can register one object
        // under two names, and torch.jit.load keeps it one object.
        torch::jit::Module child("__torch__.Child");
        child.register_attribute("training", c10::BoolType::get(), true);
        child.register_parameter("w", torch::ones({2}), false);
        torch::jit::Module parent("__torch__.Parent");
        parent.register_attribute("training", c10::BoolType::get(), true);
        parent.register_module("x", child);
        parent.register_module("y", child);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("alias.pt")).toStdString();
        parent.save(path);
        const OpenedModel opened = openModelFile(path);
        QCOMPARE(opened.root->findChild("x"), opened.root->findChild("y"));
        QCOMPARE(opened.root->findChild("x")->parents().size(), size_t(2));
        QCOMPARE(listingNames(stateDict(*opened.root)), QStringList({"x.w", "y.w"}));
    }
};

QTEST_GUILESS_MAIN(SharedModulesTest)
#include "tst_sharedmodules.moc"
