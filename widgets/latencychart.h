#pragma once

#include <QWidget>

class QCustomPlot;
class QCPTextElement;
class QPaintDevice;

namespace mx {

/** Gives a plot's axes, tick labels, legend and title `font` (the zoomed widget font), its pens
 *  and points a width that grows with it, and the theme's colours from `palette`. */
void styleCustomPlot(QCustomPlot* plot, const QFont& font, const QPalette& palette);
/** Paints `plot` at `size` styled with `palette` (an export's print theme), then styles it again
 *  with the palette of the widget that shows it. */
bool paintCustomPlotWithPalette(QCustomPlot* plot, QPaintDevice* device, QSize size, const QPalette& palette);

/** Forward latency against batch size (log axis), one line per device; exports PNG/SVG/PDF. */
class LatencyChart : public QWidget {
    Q_OBJECT
public:
    explicit LatencyChart(QWidget* parent = nullptr);

    void clear();
    /** The line above the plot naming what was measured (model, input); drawn into exports too. */
    void setTitle(const QString& title);
    QString title() const;
    /** Drops one device's line (before measuring it again). */
    void clearDevice(const QString& device);
    void addPoint(const QString& device, int batch, double medianMs);
    int pointCount(const QString& device) const;
    /** The font of the axes' tick labels (follows the widget's font: the zoom). */
    QFont tickLabelFont() const;
    /**
     * Writes the chart atomically (the old file stays on failure); the format follows the suffix
     * (.png, .svg, .pdf). On failure returns false with "cannot write 'PATH': REASON" in `error`.
     */
    bool exportTo(const QString& path, QString* error = nullptr);

protected:
    void changeEvent(QEvent* event) override;  // zoom and theme reach the plot

private:
    int graphFor(const QString& device);
    void rescale();
    bool paintInto(QPaintDevice* device, int width, int height);

    QCustomPlot* plot_;
    QCPTextElement* title_;
};

}  // namespace mx
