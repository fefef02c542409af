#include "app/cligraph.h"

#include "app/commandline.h"
#include "core/forwardgraph.h"
#include "core/modulenode.h"
#include "items/graphmodel.h"
#include "widgets/graphview.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <ostream>

namespace mx {

namespace {

const char* kindName(GraphNode::Kind kind)
{
    switch (kind) {
    case GraphNode::Kind::Input: return "input";
    case GraphNode::Kind::Output: return "output";
    case GraphNode::Kind::Module: return "module";
    case GraphNode::Kind::Op: return "op";
    }
    return "";
}

QJsonObject graphJson(const ForwardGraph& g)
{
    QJsonArray nodes, edges, unused;
    for (const GraphNode& n : g.nodes) {
        QJsonObject o{{"id", n.id},
                      {"kind", kindName(n.kind)},
                      {"path", QString::fromStdString(n.path)},
                      {"type", QString::fromStdString(n.type)},
                      {"op", QString::fromStdString(n.op)},
                      {"group", QString::fromStdString(n.group)}};
        if (n.kind == GraphNode::Kind::Module)
            o[QStringLiteral("expandable")] = n.expandable;
        nodes.append(o);
    }
    for (const auto& e : g.edges)
        edges.append(QJsonArray{e.first, e.second});
    for (const std::string& u : g.unused)
        unused.append(QString::fromStdString(u));
    QJsonObject o{{"nodes", nodes}, {"edges", edges}, {"unused", unused}};
    if (!g.message.empty())
        o[QStringLiteral("message")] = QString::fromStdString(g.message);
    return o;
}

void printGraphText(const ForwardGraph& g, const ModuleNode& model, std::ostream& out)
{
    out << "nodes (" << g.nodes.size() << ", in execution order):\n";
    for (const GraphNode& n : g.nodes) {
        out << "  " << n.id << "  ";
        switch (n.kind) {
        case GraphNode::Kind::Input: out << "input  " << n.op << ": " << n.type; break;
        case GraphNode::Kind::Output: out << "output " << n.type; break;
        case GraphNode::Kind::Module:
            out << "module " << n.path << "  " << n.type << (n.expandable ? "  [+]" : "");
            break;
        case GraphNode::Kind::Op: out << "op     " << n.op << "  (" << n.type << ")"; break;
        }
        if (!n.group.empty())
            out << "  in " << n.group;
        out << "\n";
    }
    out << "edges (" << g.edges.size() << "):\n";
    for (const auto& e : g.edges)
        out << "  " << e.first << " -> " << e.second << "\n";
    out << "not used by forward (" << g.unused.size() << "):\n";
    for (const std::string& path : g.unused) {
        const ModuleNode* m = &model;
        size_t start = 0;
        while (m && start <= path.size()) {
            const size_t dot = path.find('.', start);
            m = m->findChild(path.substr(start, dot - start));
            start = dot == std::string::npos ? path.size() + 1 : dot + 1;
        }
        out << "  " << path << (m ? "  " + m->typeName() : std::string()) << "\n";
    }
    if (!g.message.empty())
        out << "note: " << g.message << "\n";
}

std::vector<std::string> splitPaths(const std::string& text)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t comma = text.find(',', start);
        out.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

}  // namespace

bool checkGraphOptions(const CommandLine& cl, const std::set<std::string>& seen, std::string* error)
{
    if (!cl.graph) {
        if (seen.count("--expand")) {
            *error = "option '--expand' needs --graph";
            return false;
        }
        return true;
    }
    if (!cl.prints.empty() || !cl.forwardShape.empty() || !cl.statsName.empty() ||
        !cl.plotName.empty() || cl.trainSteps) {
        *error = "--graph cannot be combined with --print, --forward, --stats, --plot or --train";
        return false;
    }
    if (!cl.graphExpand.empty()) {
        for (const std::string& p : splitPaths(cl.graphExpand)) {
            if (p.empty() || p.front() == '.' || p.back() == '.' || p.find("..") != std::string::npos) {
                *error = "bad --expand value '" + cl.graphExpand +
                         "': expected all or comma-separated module paths such as conv1,dense";
                return false;
            }
        }
    }
    if (cl.json && !cl.plotOutput.empty()) {
        *error = "--graph --output writes an image; --json prints the graph instead, give one of them";
        return false;
    }
    return true;
}

int runGraphBatch(const CommandLine& cl, const ModuleNode& model, std::ostream& out, std::ostream& err)
{
    GraphExpansion expansion;
    if (cl.graphExpand == "all") {
        expansion.all = true;
    } else if (!cl.graphExpand.empty()) {
        const std::vector<std::string> containers = expandablePaths(model);
        for (const std::string& p : splitPaths(cl.graphExpand)) {
            if (std::find(containers.begin(), containers.end(), p) == containers.end()) {
                std::string list;
                for (const std::string& c : containers)
                    list += (list.empty() ? "" : ", ") + c;
                err << "module-explorer: cannot expand '" << p
                    << "': it is no container the forward calls ("
                    << (list.empty() ? std::string("this model has none") : "containers: " + list) << ")\n";
                return 2;
            }
            expansion.paths.insert(p);
        }
    }
    if (cl.plotOutput.empty()) {
        const ForwardGraph g = buildForwardGraph(model, expansion);
        if (cl.json)
            out << QJsonDocument(graphJson(g)).toJson(QJsonDocument::Indented).toStdString();
        else
            printGraphText(g, model, out);
        return 0;
    }
    // Rendering needs Qt's widgets (a scene), never a window: the offscreen platform will do.
    std::unique_ptr<QApplication> app;
    static int argc = 1;
    static char name[] = "module-explorer";
    static char* argv[] = {name, nullptr};
    if (!QCoreApplication::instance()) {
        if (!std::getenv("QT_QPA_PLATFORM"))
            ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
        // Qt's own notes (no XDG_RUNTIME_DIR) are not this program's output.
        qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
            if (type == QtCriticalMsg || type == QtFatalMsg)
                fprintf(stderr, "module-explorer: %s\n", message.toLocal8Bit().constData());
        });
        app = std::make_unique<QApplication>(argc, argv);
    }
    GraphModel graphModel;
    graphModel.setModel(&model);
    graphModel.setExpansion(expansion);
    GraphScene scene(&graphModel);
    const QSize size = cl.graphSizeGiven ? QSize(cl.plotWidth, cl.plotHeight) : QSize();
    QString error;
    if (!exportGraph(scene, QString::fromStdString(cl.plotOutput), size, 1.0, &error)) {
        err << "module-explorer: " << error.toStdString() << "\n";
        return 1;
    }
    if (!graphModel.message().isEmpty())
        err << "module-explorer: note: " << graphModel.message().toStdString() << "\n";
    return 0;
}

}  // namespace mx
