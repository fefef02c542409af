#pragma once

#include <QPainterPath>
#include <QPolygonF>
#include <QRectF>
#include <QString>
#include <QVector>

#include <utility>

namespace mx {

/** What to lay out: boxes of given sizes, directed edges, nested labelled clusters. */
struct GraphLayoutInput {
    struct Node {
        QSizeF size;       // points
        int cluster = -1;  // index into clusters, -1: none
    };
    struct Cluster {
        QString label;
        int parent = -1;  // enclosing cluster, -1: top level; parents come before children
    };
    QVector<Node> nodes;
    QVector<std::pair<int, int>> edges;  // node indices
    QVector<Cluster> clusters;
    /** Rows of nodes kept side by side in this order, each row below the previous one (a grid
     *  for nodes without edges, such as unused modules). */
    QVector<QVector<int>> rows;
};

/** Where graphviz's dot put everything, in scene coordinates (y grows downwards). */
struct GraphLayoutResult {
    QVector<QRectF> nodes;
    QVector<QPainterPath> edges;   // the spline, one per input edge
    QVector<QPolygonF> arrows;     // the arrow head at the edge's end (may be empty)
    QVector<QRectF> clusters;
    QVector<QPointF> clusterLabels;  // where dot put each cluster's label (its centre)
    QRectF bounds;
    QString error;  // "" when laid out
};

/**
 * Lays `input` out top to bottom with graphviz's dot (libgvc / libcgraph). Thread-safe: calls
 * into graphviz are serialized. Never throws; an error leaves a message and no positions.
 */
GraphLayoutResult layoutGraph(const GraphLayoutInput& input);

}  // namespace mx
