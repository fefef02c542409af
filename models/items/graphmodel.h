#pragma once

#include "core/forwardgraph.h"
#include "items/graphlayout.h"

#include <QHash>
#include <QObject>
#include <QPainterPath>
#include <QRectF>
#include <QSet>
#include <QString>
#include <QVector>

#include <functional>

namespace mx {
class ModuleNode;

/**
 * The Graph dock's data: the open model's forward graph at the chosen expansion, the output
 * shapes of the last forward, and graphviz's layout of it, ready to draw (Qt types only).
 * Reads the model only in refresh(), and only when the read check allows it.
 */
class GraphModel : public QObject {
    Q_OBJECT

public:
    /** One box to draw: a graph node or an unused module. */
    struct Box {
        enum class Kind { Input, Output, Module, Op, Unused };
        Kind kind = Kind::Op;
        int node = -1;      // index into graph().nodes (-1 for Unused)
        QString path;       // module path (Module, Unused); "" otherwise
        QString title;      // the path, the op or "input" / "output"
        QString subtitle;   // the type name
        QString shape;      // the output shape after a forward ("" when unknown)
        bool expandable = false;
        QRectF rect;
    };
    /** A frame: an expanded container or the group of unused modules. */
    struct Frame {
        QString path;   // the container ("" for the unused group)
        QString label;
        QRectF rect;
        QPointF labelPos;
        bool unusedGroup = false;
    };

    explicit GraphModel(QObject* parent = nullptr);
    ~GraphModel() override;

    /** The model to show (nullptr: none); collapses to the top level and marks it stale. */
    void setModel(const ModuleNode* model);
    const ModuleNode* model() const { return model_; }
    /** Whether the model may be read now (no job owns it); refresh() waits while it says no. */
    void setReadCheck(std::function<bool()> check) { readCheck_ = std::move(check); }
    /** Marks the graph stale (after an edit) and rebuilds it at once if reads are allowed. */
    void refresh();
    /** Rebuilds if a refresh() had to wait. */
    void refreshIfPending();
    bool pending() const { return pending_; }
    /** Marks the graph stale without rebuilding (the next refresh() or refreshIfPending() does). */
    void markStale() { pending_ = true; }

    /** Output shapes of the last forward: module path -> "torch.Size([...])"; "" is the output. */
    void setOutputShapes(const QHash<QString, QString>& shapes);
    void clearOutputShapes() { setOutputShapes({}); }

    bool isExpanded(const QString& path) const;
    /** Shows a container's own forward in its place (true) or one box for it (false). */
    void setExpanded(const QString& path, bool expanded);
    void expandAll();
    void collapseAll();
    /** Expands exactly these containers. */
    void setExpansion(const GraphExpansion& expansion);
    const GraphExpansion& expansion() const { return expansion_; }

    const ForwardGraph& graph() const { return graph_; }
    const QVector<Box>& boxes() const { return boxes_; }
    const QVector<QPainterPath>& edgePaths() const { return layout_.edges; }
    const QVector<QPolygonF>& arrowHeads() const { return layout_.arrows; }
    /** Each edge as (from box, to box). */
    const QVector<std::pair<int, int>>& edges() const { return edges_; }
    const QVector<Frame>& frames() const { return frames_; }
    QRectF bounds() const { return layout_.bounds; }
    /** The graph's message (a forward that returns None or does not compile) or a layout error. */
    QString message() const;
    /** The box index of a module path's first call, or of an unused module; -1 when none. */
    int boxForPath(const QString& path) const;
    /** Milliseconds the last refresh spent building the graph and laying it out. */
    double buildMs() const { return buildMs_; }
    double layoutMs() const { return layoutMs_; }

Q_SIGNALS:
    /** The graph, its expansion, its shapes or its layout changed. */
    void changed();

private:
    void rebuild();
    void relayout();

    const ModuleNode* model_ = nullptr;
    std::function<bool()> readCheck_;
    bool pending_ = false;
    GraphExpansion expansion_;
    ForwardGraph graph_;
    QHash<QString, QString> unusedTypes_;
    QHash<QString, QString> shapes_;
    QVector<Box> boxes_;
    QVector<std::pair<int, int>> edges_;
    QVector<Frame> frames_;
    GraphLayoutResult layout_;
    double buildMs_ = 0;
    double layoutMs_ = 0;
};

/** "torch.Size([64, 10])" -> "[64, 10]"; anything else unchanged. */
QString compactShape(const QString& shape);

}  // namespace mx
