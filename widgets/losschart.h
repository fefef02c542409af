#pragma once

#include <QVector>
#include <QWidget>

class QCustomPlot;

namespace mx {

/** The loss of each training step as a line with points; exports PNG/SVG/PDF. */
class LossChart : public QWidget {
    Q_OBJECT
public:
    explicit LossChart(QWidget* parent = nullptr);
    /** Shows `losses` (step 1, 2, ...) under `title`; empty clears. */
    void setLosses(const QVector<double>& losses, const QString& title);
    int pointCount() const;
    /** Writes the chart atomically (.png, .svg or .pdf); false with "cannot write 'PATH': REASON". */
    bool exportTo(const QString& path, QString* error = nullptr);

protected:
    void changeEvent(QEvent* event) override;  // zoom and theme reach the plot

private:
    QCustomPlot* plot_;
};

}  // namespace mx
