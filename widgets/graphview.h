#pragma once

#include <QGraphicsScene>
#include <QGraphicsView>
#include <QSize>
#include <QString>

namespace mx {
class GraphModel;

/** The forward graph drawn as boxes, spline edges and frames, rebuilt whenever the model changes. */
class GraphScene : public QGraphicsScene {
    Q_OBJECT

public:
    explicit GraphScene(GraphModel* model, QObject* parent = nullptr);
    GraphModel* graphModel() const { return model_; }
    /** The module path of the selected box ("" when none or not a module). */
    QString selectedPath() const;
    /** Selects the box of `path` (its first call), or nothing; emits no moduleSelected. */
    bool selectPath(const QString& path);
    /** How many boxes are drawn (graph nodes and unused modules). */
    int boxCount() const { return boxCount_; }
    /** Renders the whole graph onto `device` at `size` (white background, aspect ratio kept). */
    bool paintTo(QPaintDevice* device, QSize size);
    /** The graph's natural export size in points (its bounds plus a margin). */
    QSize naturalSize() const;

    /** Called by a box's +/- or double-click. */
    void toggle(const QString& path);

Q_SIGNALS:
    /** The user selected the box of a module (not emitted by selectPath). */
    void moduleSelected(const QString& path);

private:
    void rebuild();
    void onSelectionChanged();

    GraphModel* model_;
    int boxCount_ = 0;
    bool selecting_ = false;
};

/** A zoomable, pannable view on a GraphScene: wheel with Ctrl zooms, Fit shows it all, + and -
 *  expand the selected container or fold the one around the selection. */
class GraphView : public QGraphicsView {
    Q_OBJECT

public:
    explicit GraphView(GraphScene* scene, QWidget* parent = nullptr);
    /** Shows the whole graph (a tall one at its width, from the top) and keeps doing so after
     *  rebuilds and resizes until the user zooms. */
    void fit();
    /** Centres on the box of `path` at the current zoom. */
    void reveal(const QString& path);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitNow();

    GraphScene* scene_;
    bool autoFit_ = true;
    QSize fittedFor_;  // the frame's inside at the last fit
};

/** Writes the scene to `path` (.png at `scale` 1–3, .svg or .pdf) atomically, at `size` points
 *  (empty: the natural size). False with one line in `error`. */
bool exportGraph(GraphScene& scene, const QString& path, QSize size, double scale, QString* error);

}  // namespace mx
