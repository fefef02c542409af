// The forward's dataflow graph against real PyTorch 1.13 (tests/fixtures/graph/graph_reference.json,
// made by make_graph_reference.py from torch.jit.script(m).graph and forward hooks): nodes, edges,
// unused modules, expansion of containers, Model B's None, broken forwards, console edits.

#include "../graphreference.h"
#include "core/examples.h"
#include "core/forwardgraph.h"
#include "core/layers.h"
#include "core/modelfile.h"
#include "core/modulenode.h"
#include "core/statements/statementsession.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace mx;

namespace {

// A node as the reference names it: "input", "output", a module path or an op name.
QString label(const GraphNode& n)
{
    switch (n.kind) {
    case GraphNode::Kind::Input: return QStringLiteral("input");
    case GraphNode::Kind::Output: return QStringLiteral("output");
    case GraphNode::Kind::Module: return QString::fromStdString(n.path);
    case GraphNode::Kind::Op: return QString::fromStdString(n.op);
    }
    return {};
}

QStringList labels(const ForwardGraph& g)
{
    QStringList out;
    for (const GraphNode& n : g.nodes)
        out << label(n);
    return out;
}

QList<QPair<int, int>> edges(const ForwardGraph& g)
{
    QList<QPair<int, int>> out;
    for (const auto& e : g.edges)
        out << qMakePair(e.first, e.second);
    return out;
}

QList<QPair<int, int>> referenceEdges(const QJsonObject& ref)
{
    QList<QPair<int, int>> out;
    for (const QJsonValue& v : ref[QStringLiteral("edges")].toArray())
        out << qMakePair(v.toArray()[0].toInt(), v.toArray()[1].toInt());
    return out;
}

QStringList strings(const std::vector<std::string>& v)
{
    QStringList out;
    for (const std::string& s : v)
        out << QString::fromStdString(s);
    return out;
}

// The module nodes of a fully expanded graph: the leaves in the order they run.
QStringList leafOrder(const ForwardGraph& g)
{
    QStringList out;
    for (const GraphNode& n : g.nodes)
        if (n.kind == GraphNode::Kind::Module)
            out << QString::fromStdString(n.path);
    return out;
}

GraphExpansion all()
{
    GraphExpansion e;
    e.all = true;
    return e;
}

// The reference's Residual: conv (Sequential) and bn, then relu(x + y); `spare` never called.
std::unique_ptr<ModuleNode> buildResidual()
{
    auto model = std::make_unique<ModuleNode>("Residual");
    Conv2dOptions conv;
    conv.inChannels = 4;
    conv.outChannels = 4;
    conv.padding = {1, 1};
    std::vector<std::unique_ptr<ModuleNode>> layers;
    layers.push_back(makeConv2d(conv));
    layers.push_back(makeReLU());
    model->addModule("conv", makeSequential(std::move(layers)));
    BatchNorm2dOptions bn;
    bn.numFeatures = 4;
    model->addModule("bn", makeBatchNorm2d(bn));
    model->addModule("spare", makeLinear(2, 2));
    model->defineForward("def forward(self, x):\n"
                         "    y = self.conv.forward(x)\n"
                         "    y = self.bn.forward(y)\n"
                         "    return torch.relu(x + y)\n");
    return model;
}

void checkAgainstReference(const ModuleNode& model, const QString& key)
{
    const QJsonObject ref = mxtest::graphReference(key);
    QVERIFY(!ref.isEmpty());
    const ForwardGraph top = buildForwardGraph(model);
    QCOMPARE(QString::fromStdString(top.message).contains(QLatin1String("compile")), false);
    QCOMPARE(labels(top), mxtest::graphNodeLabels(ref[QStringLiteral("nodes")].toArray()));
    QCOMPARE(edges(top), referenceEdges(ref));
    QCOMPARE(strings(top.unused), mxtest::jsonStrings(ref[QStringLiteral("unused")]));
    const ForwardGraph full = buildForwardGraph(model, all());
    QCOMPARE(leafOrder(full), mxtest::jsonStrings(ref[QStringLiteral("leaf_order")]));
    QCOMPARE(strings(full.unused), mxtest::jsonStrings(ref[QStringLiteral("unused")]));
}

}  // namespace

/** Checks buildForwardGraph against graphs and hook orders PyTorch reported. */
class TestForwardGraph : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tutorialModelA_matchesScriptedGraph()
    {
        auto model = buildExample("state-dict-demo");
        checkAgainstReference(*model, QStringLiteral("state-dict-demo"));
        const ForwardGraph g = buildForwardGraph(*model);
        QVERIFY(g.find("conv1") && g.find("conv1")->expandable);
        QCOMPARE(QString::fromStdString(g.find("conv1")->type), QStringLiteral("Sequential"));
        QVERIFY(g.message.empty());
    }

    void expandOneContainer_substitutesItsForward()
    {
        auto model = buildExample("state-dict-demo");
        GraphExpansion e;
        e.paths = {"conv1"};
        const ForwardGraph g = buildForwardGraph(*model, e);
        QCOMPARE(labels(g), QStringList({"input", "conv1.0", "conv1.1", "conv1.2", "conv1.3",
                                         "conv1.4", "view", "dense", "output"}));
        const QList<QPair<int, int>> chain{{0, 1}, {1, 2}, {2, 3}, {3, 4},
                                           {4, 5}, {5, 6}, {6, 7}, {7, 8}};
        QCOMPARE(edges(g), chain);
        QCOMPARE(g.groups.size(), size_t(1));
        QCOMPARE(QString::fromStdString(g.groups[0].path), QStringLiteral("conv1"));
        QCOMPARE(QString::fromStdString(g.nodes[1].group), QStringLiteral("conv1"));
        QCOMPARE(QString::fromStdString(g.nodes[6].group), QString());
        QCOMPARE(QString::fromStdString(g.nodes[1].type), QStringLiteral("Conv2d"));
        QVERIFY(!g.nodes[1].expandable);
        QCOMPARE(strings(expandablePaths(*model)), QStringList({"conv1", "dense"}));
    }

    void modelB_returnsNone_givesEndpointsAndMessage()
    {
        auto model = buildExample("buffer-demo");
        checkAgainstReference(*model, QStringLiteral("buffer-demo"));
        const ForwardGraph g = buildForwardGraph(*model, all());
        QVERIFY(g.returnsNone);
        QVERIFY(QString::fromStdString(g.message).contains(QLatin1String("None")));
        QCOMPARE(g.nodes.size(), size_t(2));
        QVERIFY(g.edges.empty());
    }

    void batchNormExample_matchesScriptedGraph()
    {
        auto model = buildExample("batchnorm-demo");
        checkAgainstReference(*model, QStringLiteral("batchnorm-demo"));
    }

    void residualModel_joinsBothBranches()
    {
        auto model = buildResidual();
        checkAgainstReference(*model, QStringLiteral("residual"));
    }

    void squeezenetScriptFile_matchesTorchvision()
    {
        OpenedModel opened =
            openModelFile(MX_FIXTURES_DIR "/files/models/squeezenet.script.pt");
        checkAgainstReference(*opened.root, QStringLiteral("squeezenet"));
        const ForwardGraph full = buildForwardGraph(*opened.root, all());
        // Fire: cat([expand1x1_activation, expand3x3_activation]) has both as inputs.
        int cat = -1;
        for (const GraphNode& n : full.nodes)
            if (n.op == "cat" && n.group == "features.3")
                cat = n.id;
        QVERIFY(cat >= 0);
        int inputs = 0;
        for (const auto& e : full.edges)
            inputs += e.second == cat;
        QCOMPARE(inputs, 2);
        QVERIFY(full.moduleCount() > 40);
    }

    void consoleEdits_changeTheGraph()
    {
        auto model = buildExample("state-dict-demo");
        StatementSession session(*model);
        for (const char* line : {"model.head = nn.Sequential(nn.Linear(10, 4), nn.ReLU())",
                                 "model.conv1.append(nn.ReLU())"}) {
            const StatementResult r = session.run(line);
            QVERIFY2(r.ok, r.error.c_str());
        }
        checkAgainstReference(*model, QStringLiteral("console"));
        // The console's Sequential has a forward of its own: Linear then ReLU.
        const ForwardGraph head = buildForwardGraph(*model->findChild("head"));
        QCOMPARE(labels(head), QStringList({"input", "0", "1", "output"}));
        const QList<QPair<int, int>> chain{{0, 1}, {1, 2}, {2, 3}};
        QCOMPARE(edges(head), chain);
    }

    void forwardThatDoesNotCompile_givesMessageNotCrash()
    {
        auto model = buildExample("state-dict-demo");
        // Model A's forward calls conv1; a layer put in its place breaks view's shape only at
        // run time, but deleting dense breaks the compile.
        StatementSession session(*model);
        QVERIFY(session.run("del model.dense").ok);
        const ForwardGraph g = buildForwardGraph(*model, all());
        QCOMPARE(g.nodes.size(), size_t(2));
        QVERIFY(g.edges.empty());
        QVERIFY2(QString::fromStdString(g.message).contains(QLatin1String("forward")),
                 g.message.c_str());
        QVERIFY(g.unused.empty());
    }

    void leafLayer_graphIsOneOp()
    {
        auto relu = makeReLU();
        const ForwardGraph g = buildForwardGraph(*relu, all());
        QCOMPARE(g.nodes.front().kind, GraphNode::Kind::Input);
        QCOMPARE(g.nodes.back().kind, GraphNode::Kind::Output);
        QCOMPARE(g.moduleCount(), 0);
        QVERIFY(g.nodes.size() >= 3);
    }
};

QTEST_GUILESS_MAIN(TestForwardGraph)
#include "tst_forwardgraph.moc"
