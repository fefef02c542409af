#include "items/graphlayout.h"

// graphviz's C headers define many macros (ND_coord, TRUE, ...): they stay in this file.
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <QLineF>

#include <cmath>
#include <mutex>
#include <string>

namespace mx {

namespace {

std::mutex& graphvizMutex()
{
    static std::mutex m;
    return m;
}

/** One graphviz context for the process (loading its plugins costs time); used under the mutex. */
GVC_t* context()
{
    static GVC_t* gvc = gvContext();
    return gvc;
}

void set(void* object, const char* name, const std::string& value)
{
    agsafeset(object, const_cast<char*>(name), const_cast<char*>(value.c_str()),
              const_cast<char*>(""));
}

std::string inches(double points) { return std::to_string(points / 72.0); }

/** Owns an Agraph_t and its layout. */
class Graph {
public:
    Graph() : g_(agopen(const_cast<char*>("forward"), Agdirected, nullptr)) {}
    ~Graph()
    {
        if (laidOut_)
            gvFreeLayout(context(), g_);
        agclose(g_);
    }
    Graph(const Graph&) = delete;
    Graph& operator=(const Graph&) = delete;
    Agraph_t* get() const { return g_; }
    bool layout()
    {
        laidOut_ = gvLayout(context(), g_, "dot") == 0;
        return laidOut_;
    }

private:
    Agraph_t* g_;
    bool laidOut_ = false;
};

QPolygonF arrowHead(const QPointF& from, const QPointF& tip)
{
    const QLineF line(tip, from);
    if (line.length() < 0.01)
        return {};
    const QPointF u = (from - tip) / line.length();
    const QPointF n(-u.y(), u.x());
    const double length = line.length();
    const double half = length * 0.35;
    return QPolygonF({tip, tip + u * length + n * half, tip + u * length - n * half});
}

}  // namespace

GraphLayoutResult layoutGraph(const GraphLayoutInput& input)
{
    GraphLayoutResult result;
    std::lock_guard<std::mutex> lock(graphvizMutex());
    if (!context()) {
        result.error = QStringLiteral("graphviz could not start");
        return result;
    }
    Graph graph;
    Agraph_t* g = graph.get();
    set(g, "rankdir", "TB");
    set(g, "nodesep", "0.3");
    set(g, "ranksep", "0.35");
    set(g, "fontsize", "11");
    std::vector<Agraph_t*> clusters;
    for (int i = 0; i < input.clusters.size(); ++i) {
        const GraphLayoutInput::Cluster& c = input.clusters[i];
        Agraph_t* parent = c.parent >= 0 && c.parent < i ? clusters[c.parent] : g;
        const std::string name = "cluster_" + std::to_string(i);
        Agraph_t* sg = agsubg(parent, const_cast<char*>(name.c_str()), 1);
        set(sg, "label", c.label.toStdString());
        set(sg, "labeljust", "l");
        // dot measures labels with its own font metrics: a wide face leaves room for the view's.
        set(sg, "fontname", "Courier-Bold");
        set(sg, "fontsize", "11");
        set(sg, "margin", "10");
        clusters.push_back(sg);
    }
    std::vector<Agnode_t*> nodes;
    for (int i = 0; i < input.nodes.size(); ++i) {
        const GraphLayoutInput::Node& n = input.nodes[i];
        const std::string name = "n" + std::to_string(i);
        Agnode_t* node = agnode(g, const_cast<char*>(name.c_str()), 1);
        set(node, "shape", "box");
        set(node, "fixedsize", "true");
        set(node, "label", "");
        set(node, "width", inches(n.size.width()));
        set(node, "height", inches(n.size.height()));
        if (n.cluster >= 0 && n.cluster < int(clusters.size()))
            agsubnode(clusters[n.cluster], node, 1);
        nodes.push_back(node);
    }
    std::vector<Agedge_t*> edges;
    for (const auto& e : input.edges) {
        if (e.first < 0 || e.second < 0 || e.first >= int(nodes.size()) ||
            e.second >= int(nodes.size())) {
            edges.push_back(nullptr);
            continue;
        }
        Agedge_t* edge = agedge(g, nodes[e.first], nodes[e.second], nullptr, 1);
        set(edge, "arrowsize", "0.7");
        edges.push_back(edge);
    }
    for (int r = 0; r < input.rows.size(); ++r) {
        const QVector<int>& row = input.rows[r];
        if (row.isEmpty() || row[0] < 0 || row[0] >= int(nodes.size()))
            continue;
        const int cluster = input.nodes[row[0]].cluster;
        Agraph_t* parent = cluster >= 0 && cluster < int(clusters.size()) ? clusters[cluster] : g;
        const std::string name = "row_" + std::to_string(r);
        Agraph_t* rank = agsubg(parent, const_cast<char*>(name.c_str()), 1);
        set(rank, "rank", "same");
        for (int i = 0; i < row.size(); ++i) {
            if (row[i] < 0 || row[i] >= int(nodes.size()))
                continue;
            agsubnode(rank, nodes[row[i]], 1);
            if (i > 0 && row[i - 1] >= 0 && row[i - 1] < int(nodes.size())) {  // keeps the order
                Agedge_t* e = agedge(rank, nodes[row[i - 1]], nodes[row[i]], nullptr, 1);
                set(e, "style", "invis");
            }
        }
        const QVector<int>& above = r > 0 ? input.rows[r - 1] : QVector<int>();
        if (!above.isEmpty() && above[0] >= 0 && above[0] < int(nodes.size())) {
            Agedge_t* e = agedge(g, nodes[above[0]], nodes[row[0]], nullptr, 1);
            set(e, "style", "invis");
        }
    }
    if (!graph.layout()) {
        result.error = QStringLiteral("graphviz's dot could not lay the graph out");
        return result;
    }
    const boxf bb = GD_bb(g);
    const double top = bb.UR.y;
    auto point = [top](const pointf& p) { return QPointF(p.x, top - p.y); };
    result.bounds = QRectF(QPointF(bb.LL.x, 0), QPointF(bb.UR.x, top - bb.LL.y));
    for (Agnode_t* node : nodes) {
        const QPointF c = point(ND_coord(node));
        const double w = ND_width(node) * 72.0, h = ND_height(node) * 72.0;
        result.nodes.push_back(QRectF(c.x() - w / 2, c.y() - h / 2, w, h));
    }
    for (Agedge_t* edge : edges) {
        QPainterPath path;
        QPolygonF arrow;
        const splines* spl = edge ? ED_spl(edge) : nullptr;
        if (spl && spl->size > 0) {
            const bezier& bz = spl->list[0];
            if (bz.size > 0) {
                path.moveTo(point(bz.list[0]));
                for (int i = 1; i + 2 < bz.size; i += 3)
                    path.cubicTo(point(bz.list[i]), point(bz.list[i + 1]), point(bz.list[i + 2]));
                if (bz.eflag)
                    arrow = arrowHead(point(bz.list[bz.size - 1]), point(bz.ep));
            }
        }
        result.edges.push_back(path);
        result.arrows.push_back(arrow);
    }
    for (Agraph_t* sg : clusters) {
        const boxf cb = GD_bb(sg);
        result.clusters.push_back(QRectF(point(cb.LL), point(cb.UR)).normalized());
        const textlabel_t* label = GD_label(sg);
        result.clusterLabels.push_back(label ? point(label->pos) : QPointF());
    }
    return result;
}

}  // namespace mx
