#include "items/graphmodel.h"

#include "core/formatting.h"
#include "core/modulenode.h"

#include <QElapsedTimer>

#include <algorithm>

namespace mx {

namespace {

const ModuleNode* moduleAt(const ModuleNode& root, const std::string& path)
{
    const ModuleNode* node = &root;
    for (const std::string& part : dottedParts(path))
        node = node ? node->findChild(part) : nullptr;
    return node;
}

// Box sizes from the text they hold (the view draws it at this scale): an estimate that needs
// no font, so headless layout and the GUI agree.
constexpr double kCharWidth = 6.6;
constexpr double kLineHeight = 15.0;

QSizeF boxSize(const GraphModel::Box& box)
{
    int chars = std::max(box.title.size() + (box.expandable ? 3 : 0), box.subtitle.size());
    chars = std::max<int>(chars, box.shape.size());
    int lines = 1 + !box.subtitle.isEmpty() + !box.shape.isEmpty();
    const bool small = box.kind == GraphModel::Box::Kind::Op;
    return QSizeF(std::max(small ? 44.0 : 70.0, chars * kCharWidth + 18.0),
                  lines * kLineHeight + (small ? 6.0 : 10.0));
}

}  // namespace

QString compactShape(const QString& shape)
{
    if (shape.startsWith(QLatin1String("torch.Size(")) && shape.endsWith(QLatin1Char(')')))
        return shape.mid(11, shape.size() - 12);
    return shape;
}

GraphModel::GraphModel(QObject* parent) : QObject(parent) {}
GraphModel::~GraphModel() = default;

void GraphModel::setModel(const ModuleNode* model)
{
    model_ = model;
    expansion_ = {};
    shapes_.clear();
    refresh();
}

void GraphModel::refresh()
{
    pending_ = true;
    if (readCheck_ && !readCheck_())
        return;
    rebuild();
}

void GraphModel::refreshIfPending()
{
    if (pending_)
        refresh();
}

void GraphModel::setOutputShapes(const QHash<QString, QString>& shapes)
{
    shapes_ = shapes;
    if (!pending_)
        relayout();
}

bool GraphModel::isExpanded(const QString& path) const
{
    return expansion_.expanded(path.toStdString());
}

void GraphModel::setExpanded(const QString& path, bool expanded)
{
    const std::string p = path.toStdString();
    if (expansion_.all && !expanded) {  // "all but this one": list every container instead
        expansion_.all = false;
        for (const GraphGroup& g : graph_.groups)
            expansion_.paths.insert(g.path);
    }
    if (expanded) {
        expansion_.paths.insert(p);
    } else {
        // Collapsing a container collapses what is inside it too.
        for (auto it = expansion_.paths.begin(); it != expansion_.paths.end();)
            it = (*it == p || it->rfind(p + ".", 0) == 0) ? expansion_.paths.erase(it) : ++it;
    }
    refresh();
}

void GraphModel::expandAll()
{
    expansion_.all = true;
    refresh();
}

void GraphModel::collapseAll()
{
    expansion_ = {};
    refresh();
}

void GraphModel::setExpansion(const GraphExpansion& expansion)
{
    expansion_ = expansion;
    refresh();
}

QString GraphModel::message() const
{
    if (!layout_.error.isEmpty())
        return layout_.error;
    return QString::fromStdString(graph_.message);
}

int GraphModel::boxForPath(const QString& path) const
{
    for (int i = 0; i < boxes_.size(); ++i)
        if ((boxes_[i].kind == Box::Kind::Module || boxes_[i].kind == Box::Kind::Unused) &&
            boxes_[i].path == path)
            return i;
    return -1;
}

void GraphModel::rebuild()
{
    pending_ = false;
    QElapsedTimer timer;
    timer.start();
    graph_ = model_ ? buildForwardGraph(*model_, expansion_) : ForwardGraph{};
    unusedTypes_.clear();
    if (model_)
        for (const std::string& path : graph_.unused)
            if (const ModuleNode* m = moduleAt(*model_, path))
                unusedTypes_.insert(QString::fromStdString(path), QString::fromStdString(m->typeName()));
    buildMs_ = timer.nsecsElapsed() / 1e6;
    relayout();
}

void GraphModel::relayout()
{
    QElapsedTimer timer;
    timer.start();
    boxes_.clear();
    edges_.clear();
    frames_.clear();
    GraphLayoutInput in;
    QHash<QString, int> clusterOf;
    for (const GraphGroup& g : graph_.groups) {
        const QString path = QString::fromStdString(g.path);
        const int parent = clusterOf.value(QString::fromStdString(g.parent), -1);
        clusterOf.insert(path, in.clusters.size());
        in.clusters.push_back({QStringLiteral("\u2212 ") + path + QStringLiteral(" (") +
                                   QString::fromStdString(g.type) + QLatin1Char(')'),
                               parent});
        frames_.push_back({path, in.clusters.back().label, {}, {}, false});
    }
    const int unusedCluster = graph_.unused.empty() ? -1 : in.clusters.size();
    if (unusedCluster >= 0) {
        in.clusters.push_back({tr("not used by forward"), -1});
        frames_.push_back({QString(), in.clusters.back().label, {}, {}, true});
    }
    for (const GraphNode& n : graph_.nodes) {
        Box box;
        box.node = n.id;
        box.expandable = n.expandable;
        switch (n.kind) {
        case GraphNode::Kind::Input:
            box.kind = Box::Kind::Input;
            box.title = QString::fromStdString(n.op);
            box.subtitle = QString::fromStdString(n.type);
            break;
        case GraphNode::Kind::Output:
            box.kind = Box::Kind::Output;
            box.title = QStringLiteral("output");
            box.subtitle = graph_.returnsNone ? QStringLiteral("None") : QString();
            box.shape = compactShape(shapes_.value(QString()));
            break;
        case GraphNode::Kind::Module:
            box.kind = Box::Kind::Module;
            box.path = QString::fromStdString(n.path);
            // Inside an expanded container its name is enough; the frame says whose it is.
            box.title = n.group.empty() ? box.path : box.path.mid(int(n.group.size()) + 1);
            box.subtitle = QString::fromStdString(n.type);
            box.shape = compactShape(shapes_.value(box.path));
            break;
        case GraphNode::Kind::Op:
            box.kind = Box::Kind::Op;
            box.title = QString::fromStdString(n.op);
            break;
        }
        boxes_.push_back(box);
        in.nodes.push_back({boxSize(box), clusterOf.value(QString::fromStdString(n.group), -1)});
    }
    constexpr int kUnusedPerRow = 5;
    for (const std::string& path : graph_.unused) {
        if ((boxes_.size() - graph_.nodes.size()) % kUnusedPerRow == 0)
            in.rows.push_back({});
        in.rows.back().push_back(boxes_.size());
        Box box;
        box.kind = Box::Kind::Unused;
        box.path = QString::fromStdString(path);
        box.title = box.path;
        box.subtitle = unusedTypes_.value(box.path);
        boxes_.push_back(box);
        in.nodes.push_back({boxSize(box), unusedCluster});
    }
    for (const auto& e : graph_.edges) {
        edges_.push_back(e);
        in.edges.push_back(e);
    }
    layout_ = layoutGraph(in);
    for (int i = 0; i < boxes_.size() && i < layout_.nodes.size(); ++i)
        boxes_[i].rect = layout_.nodes[i];
    for (int i = 0; i < frames_.size() && i < layout_.clusters.size(); ++i) {
        frames_[i].rect = layout_.clusters[i];
        frames_[i].labelPos = layout_.clusterLabels[i];
    }
    layoutMs_ = timer.nsecsElapsed() / 1e6;
    Q_EMIT changed();
}

}  // namespace mx
