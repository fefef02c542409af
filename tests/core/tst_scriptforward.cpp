// A user class's `def forward(self, x)` compiled by TorchScript (issue 11) against real PyTorch
// 1.13 (tests/fixtures/scriptforward/scriptforward_reference.json, made by
// make_scriptforward_reference.py): F.* calls, helper methods, nn.ModuleList / nn.ModuleDict
// loops and indexing, script constants, `pass`, compile errors with the file's line number, and
// recompilation after the children change.

#include "core/forward.h"
#include "core/layers.h"
#include "core/listings.h"
#include "core/modulenode.h"
#include "core/runtime.h"
#include "core/scriptglobals.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace mx;

namespace {

QJsonObject reference()
{
    QFile f(QStringLiteral(MX_FIXTURES_DIR "/scriptforward/scriptforward_reference.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

ScriptGlobals scriptGlobals()
{
    ScriptGlobals g;
    g.modules = {{"torch", "torch"}, {"nn", "torch.nn"}, {"F", "torch.nn.functional"},
                 {"math", "math"}};
    g.constants = {{"SCALE", PythonValue::floating(0.5)}, {"MODE", PythonValue::string("sum")}};
    return g;
}

// The script's text as the lead's reader hands it over: `blankLines` empty lines first, so that
// line numbers are the .py file's.
std::string script(const std::string& body, int blankLines = 0)
{
    return std::string(static_cast<size_t>(blankLines), '\n') + body;
}

ForwardResult run(ModuleNode& model, std::vector<int64_t> shape)
{
    ForwardOptions o;
    o.inputShape = std::move(shape);
    o.seed = 7;  // torch.randn(shape, generator=torch.Generator().manual_seed(7))
    o.warmup = 0;
    o.repeats = 1;
    return runForward(model, o);
}

bool close(double a, double b) { return std::abs(a - b) <= 1e-5 * std::abs(b) + 1e-5; }

// The output equals PyTorch's: shape, sum and first values.
void compareWith(const ForwardResult& r, const QJsonObject& ref)
{
    QVERIFY2(r.ok, r.error.c_str());
    QVERIFY(!ref.isEmpty());
    std::vector<int64_t> shape;
    for (const QJsonValue& d : ref[QStringLiteral("shape")].toArray())
        shape.push_back(d.toInteger());
    QCOMPARE(r.outputShape, shape);
    QVERIFY2(close(r.outputSum, ref[QStringLiteral("sum")].toDouble()),
             qPrintable(QString::number(r.outputSum, 'g', 10)));
    const QJsonArray first = ref[QStringLiteral("first")].toArray();
    QVERIFY(r.preview.size() >= static_cast<size_t>(first.size()));
    for (int i = 0; i < first.size(); ++i)
        QVERIFY2(close(r.preview[static_cast<size_t>(i)], first[i].toDouble()),
                 qPrintable(QStringLiteral("value %1: %2").arg(i).arg(r.preview[static_cast<size_t>(i)])));
}

std::unique_ptr<ModuleNode> makeLayers()  // Layers() after torch.manual_seed(3)
{
    manualSeed(3);
    auto model = std::make_unique<ModuleNode>("Layers");
    std::vector<std::unique_ptr<ModuleNode>> layers;
    layers.push_back(makeLinear(4, 4));
    layers.push_back(makeReLU());
    layers.push_back(makeLinear(4, 4));
    model->addModule("layers", makeModuleList(std::move(layers)));
    model->addModule("head", makeLinear(4, 2));
    return model;
}

const char* const kLayersForward = "def forward(self, x):\n"
                                   "    for layer in self.layers:\n"
                                   "        x = layer(x)\n"
                                   "    x = x + self.layers[-1](x) * len(self.layers)\n"
                                   "    return self.head(x)\n";

}  // namespace

class ScriptForwardTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { ref = reference(); QVERIFY(!ref.isEmpty()); }

    void functionalCalls_computeWhatPyTorchComputes()
    {
        manualSeed(1);
        ModuleNode model("Plain");
        model.addModule("fc1", makeLinear(12, 8));
        model.addModule("fc2", makeLinear(8, 3));
        QVERIFY2(model.defineScriptForward(
                     script("def forward(self, x):\n"
                            "    x = torch.flatten(x, 1)\n"
                            "    x = F.relu(self.fc1(x))\n"
                            "    x = x.view(-1, 4, 2)\n"
                            "    return F.log_softmax(self.fc2(x.view(x.size(0), -1)), dim=1)\n"),
                     scriptGlobals()),
                 model.forwardError().c_str());
        compareWith(run(model, {2, 3, 4}), ref[QStringLiteral("plain")].toObject());
    }

    void residualWithHelperMethod_matchesPyTorch()
    {
        manualSeed(2);
        ModuleNode model("Residual");
        model.addModule("fc", makeLinear(4, 4));
        model.addModule("act", makeReLU());
        QVERIFY2(model.defineScriptForward(script("def _shortcut(self, x):\n"
                                                  "    return x * 2.0\n"
                                                  "\n"
                                                  "def forward(self, x):\n"
                                                  "    return self.act(self.fc(x) + self._shortcut(x))\n",
                                                  5),
                                           scriptGlobals()),
                 model.forwardError().c_str());
        compareWith(run(model, {3, 4}), ref[QStringLiteral("residual")].toObject());
    }

    void moduleListLoop_lenAndNegativeIndex_matchPyTorch()
    {
        auto model = makeLayers();
        QVERIFY2(model->defineScriptForward(kLayersForward, scriptGlobals()),
                 model->forwardError().c_str());
        compareWith(run(*model, {3, 4}), ref[QStringLiteral("layers")].toObject());
    }

    void enumerateAndZip_overModuleLists()
    {
        manualSeed(4);
        ModuleNode model("Enumerated");
        std::vector<std::unique_ptr<ModuleNode>> layers;
        layers.push_back(makeLinear(4, 4));
        layers.push_back(makeLinear(4, 4));
        model.addModule("layers", makeModuleList(std::move(layers)));
        std::vector<std::unique_ptr<ModuleNode>> gates;
        gates.push_back(makeReLU());
        gates.push_back(makeReLU());
        model.addModule("gates", makeModuleList(std::move(gates)));
        QVERIFY2(model.defineScriptForward("def forward(self, x):\n"
                                           "    for i, layer in enumerate(self.layers):\n"
                                           "        x = layer(x) * (i + 1)\n"
                                           "    for layer, gate in zip(self.layers, self.gates):\n"
                                           "        x = gate(layer(x))\n"
                                           "    return x\n",
                                           scriptGlobals()),
                 model.forwardError().c_str());
        compareWith(run(model, {3, 4}), ref[QStringLiteral("enumerate")].toObject());
    }

    void moduleDict_itemsKeysValuesAndStringIndex()
    {
        manualSeed(5);
        ModuleNode model("Heads");
        std::vector<std::pair<std::string, std::unique_ptr<ModuleNode>>> heads;
        heads.emplace_back("b", makeLinear(4, 2));
        heads.emplace_back("a", makeLinear(4, 3));
        model.addModule("heads", makeModuleDict(std::move(heads)));
        QVERIFY2(model.defineScriptForward("def forward(self, x):\n"
                                           "    ys = []\n"
                                           "    for k, m in self.heads.items():\n"
                                           "        ys.append(m(x))\n"
                                           "    n = 0\n"
                                           "    for k in self.heads.keys():\n"
                                           "        n += len(k)\n"
                                           "    for m in self.heads.values():\n"
                                           "        ys.append(m(x) * n)\n"
                                           "    return torch.cat(ys, dim=1) + self.heads['a'](x).sum()\n",
                                           scriptGlobals()),
                 model.forwardError().c_str());
        compareWith(run(model, {3, 4}), ref[QStringLiteral("heads")].toObject());
    }

    void scriptConstants_areReadAsEagerPythonReadsThem()
    {
        manualSeed(6);
        ModuleNode model("Constant");
        model.addModule("fc", makeLinear(4, 2));
        QVERIFY2(model.defineScriptForward("def forward(self, x):\n"
                                           "    if MODE == 'sum':\n"
                                           "        return self.fc(x) * SCALE\n"
                                           "    return self.fc(x)\n",
                                           scriptGlobals()),
                 model.forwardError().c_str());
        compareWith(run(model, {3, 4}), ref[QStringLiteral("constant")].toObject());
    }

    void passForward_returnsNone()
    {
        QVERIFY(ref[QStringLiteral("none")].toObject()[QStringLiteral("none")].toBool());
        manualSeed(6);
        ModuleNode model("Nothing");
        model.addModule("fc", makeLinear(4, 2));
        QVERIFY(model.defineScriptForward("def forward(self, x):\n    pass\n", scriptGlobals()));
        const ForwardResult r = run(model, {3, 4});
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY(r.returnedNone);
    }

    void compileError_saysTheFileLine_andLeavesNoMethodBehind()
    {
        manualSeed(6);
        ModuleNode model("Broken");
        model.addModule("fc", makeLinear(4, 2));
        const std::string before = model.repr();
        // Lines 10-11: a helper that compiles; line 14: a name that does not exist.
        const bool ok = model.defineScriptForward(script("def _helper(self, x):\n"
                                                         "    return x\n"
                                                         "\n"
                                                         "def forward(self, x):\n"
                                                         "    x = self._helper(self.fc(x))\n"
                                                         "    return undefined_thing(x)\n",
                                                         9),
                                                  scriptGlobals());
        QVERIFY(!ok);
        const std::string error = model.forwardError();
        QVERIFY2(error.rfind("RuntimeError: ", 0) == 0, error.c_str());
        QVERIFY2(error.find("undefined value undefined_thing") != std::string::npos, error.c_str());
        QVERIFY2(error.find("line 15") != std::string::npos, error.c_str());
        QVERIFY(!model.runtimeView().hasForward);
        const ForwardResult r = run(model, {3, 4});
        QVERIFY(!r.ok);
        QVERIFY2(r.error.find("undefined_thing") != std::string::npos, r.error.c_str());

        // The module itself still works: same repr and state_dict, and the helper is gone (a
        // forward calling it does not compile), so nothing half-defined remains.
        QCOMPARE(model.repr(), before);
        QCOMPARE(stateDict(model).size(), size_t(2));
        QVERIFY(!model.defineScriptForward("def forward(self, x):\n    return self._helper(x)\n",
                                           scriptGlobals()));
        QVERIFY2(model.forwardError().find("_helper") != std::string::npos,
                 model.forwardError().c_str());
        // Fixing the script compiles it (no "already defined" leftovers) and forward runs.
        QVERIFY2(model.defineScriptForward("def _helper(self, x):\n    return x\n"
                                           "def forward(self, x):\n    return self._helper(self.fc(x))\n",
                                           scriptGlobals()),
                 model.forwardError().c_str());
        QVERIFY(run(model, {3, 4}).ok);
    }

    void brokenHelper_leavesNoForward()
    {
        ModuleNode model("BrokenHelper");
        model.addModule("fc", makeLinear(4, 2));
        QVERIFY(model.defineScriptForward("def forward(self, x):\n    return self.fc(x)\n",
                                          scriptGlobals()));
        QVERIFY(!model.defineScriptForward("def forward(self, x):\n    return self._h(x)\n"
                                           "def _h(self, x):\n    return x + self.nothing\n",
                                           scriptGlobals()));
        QVERIFY2(model.forwardError().find("line 4") != std::string::npos,
                 model.forwardError().c_str());
        QVERIFY(!model.runtimeView().hasForward);
    }

    void containerErrors_areTorchScriptsWords()
    {
        manualSeed(6);
        ModuleNode model("Misuse");
        model.addModule("fc", makeLinear(4, 2));
        std::vector<std::unique_ptr<ModuleNode>> one;
        one.push_back(makeReLU());
        model.addModule("layers", makeModuleList(std::move(one)));
        struct Case {
            const char* body;
            const char* says;
        };
        const Case cases[] = {
            {"    for m in self.fc:\n        x = m(x)\n    return x\n", "can be used as an iterable"},
            {"    return self.layers[3](x)\n", "Index 3 out of range of length 1"},
            {"    return self.layers(x)\n", "has no attribute 'forward'"},
            {"    return self.fc[0](x)\n", "subscriptable"},
            {"    return F.pad(x, [1, 1])\n", "torch.nn.functional.pad is not supported"},
            {"    return F.max_pool2d(x, 2, return_indices=True)\n", "return_indices"},
            {"    return nn.ReLU()(x)\n", "torch.nn.ReLU cannot be used in forward"},
        };
        for (const Case& c : cases) {
            QVERIFY2(!model.defineScriptForward(std::string("def forward(self, x):\n") + c.body,
                                                scriptGlobals()),
                     c.body);
            QVERIFY2(model.forwardError().find(c.says) != std::string::npos,
                     model.forwardError().c_str());
            QVERIFY2(model.forwardError().find("line 2") != std::string::npos,
                     model.forwardError().c_str());
        }
    }

    void functionalDropout_followsPythonsTrainingArgument()
    {
        // F.dropout(x, 0.5, training=False) is the identity in Python; aten::dropout's third
        // argument is `train`, so a wrong mapping would drop values here.
        ModuleNode model("Drop");
        QVERIFY2(model.defineScriptForward(
                     "def forward(self, x):\n    return F.dropout(x, 0.5, training=False) - x\n",
                     scriptGlobals()),
                 model.forwardError().c_str());
        ForwardOptions o;
        o.inputShape = {4, 50};
        o.fill = InputFill::Ones;
        o.train = true;
        ForwardResult r = runForward(model, o);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.outputSum, 0.0);
        // Python's default is training=True: about half the ones are dropped, the rest doubled.
        QVERIFY(model.defineScriptForward("def forward(self, x):\n    return F.dropout(x)\n",
                                          scriptGlobals()));
        r = runForward(model, o);
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY(r.outputSum != 200.0);
        QVERIFY(!model.defineScriptForward("def forward(self, x):\n    return F.dropout(x, train=True)\n",
                                           scriptGlobals()));
    }

    void childrenChanged_recompilesTheUnrolledLoop()
    {
        auto model = makeLayers();
        QVERIFY(model->defineScriptForward(kLayersForward, scriptGlobals()));
        compareWith(run(*model, {3, 4}), ref[QStringLiteral("layers")].toObject());
        // model.layers[1] = nn.Linear(4, 4) after torch.manual_seed(11); model.layers.append(nn.ReLU())
        ModuleNode& layers = *model->findChild("layers");
        manualSeed(11);
        layers.setAttr("1", AttributeValue::module(makeLinear(4, 4)));
        layers.addModuleChecked("3", AttributeValue::module(makeReLU()));
        compareWith(run(*model, {3, 4}), ref[QStringLiteral("layers_mutated")].toObject());
        QVERIFY(model->forwardError().empty());
        // Removing what forward uses disables it with TorchScript's reason; undo brings it back.
        Edit removal = model->delAttr("head");
        QVERIFY2(model->forwardError().find("head") != std::string::npos,
                 model->forwardError().c_str());
        QVERIFY(!run(*model, {3, 4}).ok);
        removal.revert();
        compareWith(run(*model, {3, 4}), ref[QStringLiteral("layers_mutated")].toObject());
    }

    void containers_printAndRefuseCallsAsPyTorch()
    {
        manualSeed(0);
        std::vector<std::unique_ptr<ModuleNode>> list;
        list.push_back(makeLinear(2, 2));
        list.push_back(makeLinear(2, 2));
        list.push_back(makeReLU());
        auto moduleList = makeModuleList(std::move(list));
        QCOMPARE(QString::fromStdString(moduleList->repr()), ref[QStringLiteral("repr_list")].toString());
        std::vector<std::pair<std::string, std::unique_ptr<ModuleNode>>> dict;
        dict.emplace_back("b", makeLinear(2, 3));
        dict.emplace_back("a", makeReLU());
        auto moduleDict = makeModuleDict(std::move(dict));
        QCOMPARE(QString::fromStdString(moduleDict->repr()), ref[QStringLiteral("repr_dict")].toString());
        QCOMPARE(makeModuleList({})->repr(), std::string("ModuleList()"));

        const ForwardResult r = run(*moduleList, {2});
        QVERIFY(!r.ok);
        QCOMPARE(QString::fromStdString(r.error), ref[QStringLiteral("call_list")].toString());
        QVERIFY(!run(*moduleDict, {2}).ok);
        QVERIFY(moduleClassAdds("ModuleList", "append"));
        QVERIFY(moduleClassAdds("ModuleDict", "items"));
        QVERIFY(!moduleClassAdds("ModuleList", "items"));
    }

private:
    QJsonObject ref;
};

QTEST_GUILESS_MAIN(ScriptForwardTest)
#include "tst_scriptforward.moc"
