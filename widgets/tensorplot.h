#pragma once

#include "items/tensorinspector.h"

#include <QStackedWidget>

class QLabel;
class QPaintDevice;

namespace mx {
class HeatmapPlot;
class KernelGrid;

/**
 * A tensor's default plot, by its shape: the value of a 0-d tensor, a line for 1-D, a heatmap of
 * the chosen 2-D slice for 2-D and more, a kernel grid for 4-D convolution weights; a message
 * for what has no plot (empty, values on a GPU).
 */
class TensorPlot : public QStackedWidget {
    Q_OBJECT
public:
    enum class Kind { Message, Value, Line, Heatmap, Kernels };

    explicit TensorPlot(QWidget* parent = nullptr);

    /** Shows the plot of a finished inspection of `tensor`. */
    void showInspection(const Inspection& inspection, const TensorRef& tensor);
    void showMessage(const QString& message);
    Kind kind() const { return kind_; }
    /** Paints what is shown at `size` (for exports). */
    bool paint(QPaintDevice* device, QSize size) const;
    HeatmapPlot* heatmap() const { return heatmap_; }
    KernelGrid* kernels() const { return kernels_; }

    /** The default plot of a tensor of this shape (what --plot draws). */
    static Kind kindFor(const std::vector<int64_t>& shape, bool readable);

private:
    Kind kind_ = Kind::Message;
    QLabel* message_;
    QLabel* value_;
    HeatmapPlot* heatmap_;
    KernelGrid* kernels_;
};

}  // namespace mx
