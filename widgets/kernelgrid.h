#pragma once

#include "core/tensorref.h"

#include <QWidget>

class QLabel;
class QPaintDevice;
class QToolButton;

namespace mx {

/**
 * A 4-D convolution weight [out, in, kh, kw] as a grid of kernel images: one row per output
 * channel and one column per input channel (a single input channel, or more than 16, wrap the
 * kernels in the columns that make them largest). Paged at 256 kernels; each cell's tooltip lists its values. Colours: a diverging
 * palette centred on 0 over the whole tensor's largest magnitude, so kernels compare.
 */
class KernelGrid : public QWidget {
    Q_OBJECT
public:
    explicit KernelGrid(QWidget* parent = nullptr);

    /** Shows `weight` (4-D, on the CPU); `magnitude` is max |value| (the colour scale's end). */
    void setWeight(const TensorRef& weight, double magnitude, const QString& title);
    void clear();
    int pageCount() const;
    int page() const { return page_; }
    void setPage(int page);
    /** The kernel under a point of the drawing (out, in), or (-1, -1). */
    QPair<int, int> kernelAt(const QPoint& point) const;
    /** "kernel [3, 0] (out 3, in 0):" and its kh x kw values. */
    QString kernelText(int out, int in) const;
    /** Paints the current page at `size` (for exports). */
    bool paint(QPaintDevice* device, QSize size) const;

    static constexpr int kKernelsPerPage = 256;

private:
    struct Layout {
        int columns = 0, rows = 0;
        double cell = 0, gap = 0, left = 0, top = 0;
    };
    Layout layoutFor(QSize size) const;
    void draw(QPainter& painter, QSize size) const;
    int firstKernel() const { return page_ * kKernelsPerPage; }
    int kernelsOnPage() const;
    void updatePager();

    TensorRef weight_;
    std::vector<int64_t> shape_;
    double magnitude_ = 1;
    QString title_;
    int page_ = 0;
    QWidget* canvas_;
    QLabel* pageLabel_;
    QToolButton* previous_;
    QToolButton* next_;
};

}  // namespace mx
