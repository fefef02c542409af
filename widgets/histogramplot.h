#pragma once

#include "core/tensorstats.h"

#include <QWidget>

class QCustomPlot;
class QCPBars;
class QPaintDevice;

namespace mx {

/**
 * A histogram as bars (QCustomPlot): counts per bin on a linear or log axis, the bin's range and
 * count as a tooltip under the mouse, a line of text when there is nothing to draw.
 */
class HistogramPlot : public QWidget {
    Q_OBJECT
public:
    explicit HistogramPlot(QWidget* parent = nullptr);

    /** Draws `histogram` titled `title`; `integral` writes the edges as whole numbers. */
    void setHistogram(const Histogram& histogram, const QString& title, bool integral);
    /** Shows only `message` ("no finite values", "computing…"). */
    void showMessage(const QString& message);
    void setLogScale(bool log);
    bool logScale() const { return log_; }
    /** The bin under x (plot pixels), or -1. */
    int binAt(double pixelX) const;
    /** "bin 3: [-0.1, 0.05) · 1,234 values" for a bin. */
    QString binText(int bin) const;
    /** Paints the plot as it is now at `size` (for exports). */
    bool paint(QPaintDevice* device, QSize size);
    QCustomPlot* plot() const { return plot_; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    /** Font (zoom) and palette (theme) changes restyle the plot's text, axes and background. */
    void changeEvent(QEvent* event) override;

private:
    void applyScale();

    QCustomPlot* plot_;
    QCPBars* bars_;
    Histogram histogram_;
    bool integral_ = false;
    bool log_ = false;
};

}  // namespace mx
