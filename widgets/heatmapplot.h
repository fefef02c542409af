#pragma once

#include "core/tensorslice.h"

#include <QWidget>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QPaintDevice;

namespace mx {

/**
 * A 2-D slice as a heatmap (QCPColorMap) with a colour scale; zoom with the wheel, pan by
 * dragging. The slice comes already reduced to screen resolution: each cell is the mean of a
 * block of elements (the tooltip gives the block's index range, mean, min and max). Signed data
 * gets a diverging palette centred on 0.
 */
class HeatmapPlot : public QWidget {
    Q_OBJECT
public:
    explicit HeatmapPlot(QWidget* parent = nullptr);

    /** Shows `grid`, a reduction of a rows x cols slice, titled `title`. */
    void setGrid(const ReducedGrid& grid, int64_t rows, int64_t cols, const QString& title);
    /** For a 1-D tensor: the values as a line (the block mean), with the min-max band when
     *  several elements share a pixel. */
    void setLine(const ReducedGrid& grid, int64_t count, const QString& title);
    /** "[rows 0–3, cols 14–27] mean … min … max …" for the cell under a pixel ("" if none). */
    QString cellTextAt(const QPoint& pixel) const;
    bool paint(QPaintDevice* device, QSize size);
    QCustomPlot* plot() const { return plot_; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    /** Font (zoom) and palette (theme) changes restyle the plot's text, axes and background. */
    void changeEvent(QEvent* event) override;

private:
    void resetPlot(const QString& title);
    /** The colour scale's axis in the palette's text colour (it is made anew for each grid). */
    void styleColorScale();

    QCustomPlot* plot_;
    QCPColorMap* map_ = nullptr;
    QCPColorScale* scale_ = nullptr;
    ReducedGrid grid_;
    int64_t rows_ = 0, cols_ = 0;
};

}  // namespace mx
