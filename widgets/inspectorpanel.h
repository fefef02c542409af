#pragma once

#include "core/tensorref.h"
#include "widgets/plotexport.h"

#include <QWidget>

#include <vector>

class QCheckBox;
class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableView;
class QToolButton;

namespace mx {
class ElidingLabel;
class HistogramPlot;
class TensorInspector;
class TensorPlot;
class TensorValuesModel;
struct Inspection;

/**
 * The Inspector dock: the selected tensor's statistics, its histogram, its default plot
 * (value, line, heatmap or kernel grid), a lazy values table over any 2-D slice, and the
 * difference from a pinned tensor. The numbers are computed off the GUI thread by a
 * TensorInspector; each plot exports to PNG (1×/2×/3×), SVG and PDF or the clipboard.
 */
class InspectorPanel : public QWidget {
    Q_OBJECT
public:
    enum Tab { HistogramTab, PlotTab, ValuesTab, CompareTab };

    explicit InspectorPanel(QWidget* parent = nullptr);

    /** Inspects `tensor` shown as `name` (the dotted path); the old job is cancelled. */
    void inspect(const QString& name, const TensorRef& tensor);
    /** Shows no tensor, saying why ("Select a parameter…", "'x' was deleted"). */
    void showNothing(const QString& reason);
    /** false while a job may change tensors on another thread: nothing is read, the panel says so. */
    void setReadsAllowed(bool allowed);

    TensorInspector* inspector() const { return inspector_; }
    TensorValuesModel* valuesModel() const { return values_; }
    QTableView* valuesView() const { return table_; }
    HistogramPlot* histogram() const { return histogram_; }
    HistogramPlot* differenceHistogram() const { return difference_; }
    TensorPlot* tensorPlot() const { return plot_; }
    QTabWidget* tabs() const { return tabs_; }
    QString statsText() const;
    QString compareText() const;
    QString title() const;

    /** Exports the current tab's plot (Histogram, Plot or Compare) to `path` (.png/.svg/.pdf) at
     *  its on-screen size (or `size` when valid) and `scale`; false with one line in `error`. */
    bool exportCurrentPlot(const QString& path, double scale, QString* error, QSize size = {});
    /** Copies the values table's selection as tab-separated text. */
    void copySelectedValues();

private:
    void onFinished(const Inspection& inspection);
    void rebuildSliceControls(const std::vector<int64_t>& shape);
    void sliceChanged();
    std::vector<int64_t> sliceIndices() const;  // the slice boxes' values
    void updatePinButton();
    void exportWithDialog(double scale, const QString& format);
    void copyPlot();
    bool plotPainterFor(int tab, PlotPainter* painter, QSize* size) const;

    TensorInspector* inspector_;
    TensorValuesModel* values_;
    ElidingLabel* title_;
    QProgressBar* busy_;
    QSpinBox* bins_;
    QCheckBox* log_;
    QPushButton* pin_;
    QToolButton* export_;
    QWidget* sliceBox_;
    QHBoxLayout* sliceLayout_;
    std::vector<QSpinBox*> sliceSpins_;
    QLabel* stats_;
    QTabWidget* tabs_;
    HistogramPlot* histogram_;
    TensorPlot* plot_;
    QTableView* table_;
    QLabel* compare_;
    HistogramPlot* difference_;
};

}  // namespace mx
