#pragma once

#include <QWidget>

class QCustomPlot;
class QCPTextElement;
class QPaintDevice;

namespace mx {

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
    /**
     * Writes the chart atomically (the old file stays on failure); the format follows the suffix
     * (.png, .svg, .pdf). On failure returns false with "cannot write 'PATH': REASON" in `error`.
     */
    bool exportTo(const QString& path, QString* error = nullptr);

private:
    int graphFor(const QString& device);
    void rescale();
    bool paintInto(QPaintDevice* device, int width, int height);

    QCustomPlot* plot_;
    QCPTextElement* title_;
};

}  // namespace mx
