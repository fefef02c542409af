#pragma once

#include <QWidget>

class QLabel;
class QToolBar;

namespace mx {
class GraphModel;
class GraphScene;
class GraphView;

/**
 * The Graph dock: the forward's dataflow graph (GraphView over a GraphModel) with a toolbar —
 * Expand all, Collapse, Fit, Export (PNG 1×/2×/3×, SVG, PDF) — and the graph's message line
 * (a forward that returns None or does not compile). Selecting a module's box emits
 * moduleSelected; selectModule() selects one from outside.
 */
class GraphPanel : public QWidget {
    Q_OBJECT

public:
    explicit GraphPanel(GraphModel* model, QWidget* parent = nullptr);

    GraphModel* graphModel() const { return model_; }
    GraphScene* scene() const { return scene_; }
    GraphView* view() const { return view_; }
    /** Writes the graph to `path` (.png at `scale`, .svg, .pdf) atomically; false with `error`. */
    bool exportTo(const QString& path, double scale, QString* error);

public Q_SLOTS:
    /** Selects (and shows) the box of a module path, without emitting moduleSelected. */
    void selectModule(const QString& path);

Q_SIGNALS:
    void moduleSelected(const QString& path);

private:
    void onGraphChanged();
    void exportInteractively(const QString& format, double scale);

    GraphModel* model_;
    GraphScene* scene_;
    GraphView* view_;
    QToolBar* toolbar_;
    QLabel* message_;
};

}  // namespace mx
