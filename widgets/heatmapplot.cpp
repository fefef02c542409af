#include "widgets/heatmapplot.h"

#include "widgets/latencychart.h"  // styleCustomPlot
#include "widgets/plotexport.h"

#include <QHelpEvent>
#include <QToolTip>
#include <QEvent>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace mx {

namespace {

QCPColorGradient divergingGradient()
{
    QCPColorGradient g;
    g.setColorStopAt(0.0, QColor(0x2b, 0x5f, 0xb3));  // negative: blue
    g.setColorStopAt(0.5, QColor(0xf7, 0xf7, 0xf7));  // zero: white
    g.setColorStopAt(1.0, QColor(0xc0, 0x39, 0x2b));  // positive: red
    return g;
}

QString number(double v) { return QString::fromStdString(formatTensorValue(v, false)); }

}  // namespace

HeatmapPlot::HeatmapPlot(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->installEventFilter(this);
    setMinimumSize(240, 160);
    styleCustomPlot(plot_, font(), palette());
}

void HeatmapPlot::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange) {
        styleColorScale();
        styleCustomPlot(plot_, font(), palette());
    }
}

void HeatmapPlot::styleColorScale()
{
    if (!scale_)
        return;
    const QColor text = palette().color(QPalette::Text);
    QCPAxis* axis = scale_->axis();
    axis->setTickLabelFont(font());
    axis->setTickLabelColor(text);
    axis->setLabelColor(text);
    axis->setBasePen(QPen(text));
    axis->setTickPen(QPen(text));
    axis->setSubTickPen(QPen(text));
}

void HeatmapPlot::resetPlot(const QString& title)
{
    plot_->clearPlottables();
    plot_->clearGraphs();
    map_ = nullptr;
    if (scale_) {
        plot_->plotLayout()->remove(scale_);
        scale_ = nullptr;
    }
    plot_->plotLayout()->simplify();
    plotTitle(plot_)->setText(title);
    plot_->xAxis->setScaleType(QCPAxis::stLinear);
    plot_->yAxis->setRangeReversed(false);
}

void HeatmapPlot::setGrid(const ReducedGrid& grid, int64_t rows, int64_t cols, const QString& title)
{
    resetPlot(title);
    grid_ = grid;
    rows_ = rows;
    cols_ = cols;
    map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
    map_->data()->setSize(static_cast<int>(grid.cols), static_cast<int>(grid.rows));
    // cell (cc, cr) covers columns [cc*colStep, ...) and rows [cr*rowStep, ...) of the slice
    map_->data()->setRange(QCPRange((grid.colStep - 1) / 2.0, (grid.cols - 1) * grid.colStep + (grid.colStep - 1) / 2.0),
                           QCPRange((grid.rowStep - 1) / 2.0, (grid.rows - 1) * grid.rowStep + (grid.rowStep - 1) / 2.0));
    double lo = INFINITY, hi = -INFINITY;
    for (int64_t r = 0; r < grid.rows; ++r) {
        for (int64_t c = 0; c < grid.cols; ++c) {
            const double v = grid.mean[static_cast<size_t>(r * grid.cols + c)];
            map_->data()->setCell(static_cast<int>(c), static_cast<int>(r), v);
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
    }
    if (!(lo <= hi))
        lo = hi = 0;
    scale_ = new QCPColorScale(plot_);
    plot_->plotLayout()->addElement(1, 1, scale_);
    styleColorScale();
    map_->setColorScale(scale_);
    if (lo < 0 && hi > 0) {  // signed: centred on 0
        const double m = std::max(-lo, hi);
        map_->setGradient(divergingGradient());
        map_->setDataRange(QCPRange(-m, m));
    } else {
        map_->setGradient(QCPColorGradient(QCPColorGradient::gpThermal));
        map_->setDataRange(QCPRange(lo, hi > lo ? hi : lo + 1));
    }
    map_->setInterpolate(false);
    plot_->xAxis->setLabel(tr("column (dim -1)"));
    plot_->yAxis->setLabel(tr("row (dim -2)"));
    plot_->yAxis->setRangeReversed(true);  // row 0 on top, as the values table
    plot_->xAxis->setRange(-0.5, static_cast<double>(cols) - 0.5);
    plot_->yAxis->setRange(-0.5, static_cast<double>(rows) - 0.5);
    plot_->replot();
}

void HeatmapPlot::setLine(const ReducedGrid& grid, int64_t count, const QString& title)
{
    resetPlot(title);
    grid_ = grid;
    rows_ = 1;
    cols_ = count;
    QVector<double> keys, means, lows, highs;
    for (int64_t c = 0; c < grid.cols; ++c) {
        keys << static_cast<double>(c * grid.colStep) + (grid.colStep - 1) / 2.0;
        means << grid.mean[static_cast<size_t>(c)];
        lows << grid.min[static_cast<size_t>(c)];
        highs << grid.max[static_cast<size_t>(c)];
    }
    if (grid.colStep > 1) {  // the min-max band behind the mean
        QCPGraph* low = plot_->addGraph();
        QCPGraph* high = plot_->addGraph();
        low->setData(keys, lows, true);
        high->setData(keys, highs, true);
        low->setPen(Qt::NoPen);
        high->setPen(Qt::NoPen);
        high->setBrush(QColor(0x4a, 0x86, 0xc8, 70));
        high->setChannelFillGraph(low);
    }
    QCPGraph* line = plot_->addGraph();
    line->setData(keys, means, true);
    line->setPen(QPen(QColor(0x1f, 0x5f, 0xa8), 1.5));
    if (grid.cols <= 64) {
        line->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    }
    plot_->xAxis->setLabel(tr("index"));
    plot_->yAxis->setLabel(tr("value"));
    plot_->xAxis->setRange(-0.5, static_cast<double>(count) - 0.5);
    plot_->rescaleAxes(true);
    plot_->xAxis->setRange(-0.5, static_cast<double>(count) - 0.5);
    QCPRange y = plot_->yAxis->range();
    const double pad = y.size() > 0 ? y.size() * 0.08 : 1;
    plot_->yAxis->setRange(y.lower - pad, y.upper + pad);
    plot_->replot();
}

QString HeatmapPlot::cellTextAt(const QPoint& pixel) const
{
    if (grid_.rows == 0 || grid_.cols == 0)
        return {};
    const double x = plot_->xAxis->pixelToCoord(pixel.x());
    const double y = rows_ == 1 && !map_ ? 0 : plot_->yAxis->pixelToCoord(pixel.y());
    const int64_t col = static_cast<int64_t>(std::floor(x + 0.5));
    const int64_t row = static_cast<int64_t>(std::floor(y + 0.5));
    if (col < 0 || col >= cols_ || row < 0 || row >= rows_)
        return {};
    const int64_t cr = row / grid_.rowStep, cc = col / grid_.colStep;
    const size_t i = static_cast<size_t>(cr * grid_.cols + cc);
    const int64_t r0 = cr * grid_.rowStep, r1 = std::min(rows_, r0 + grid_.rowStep) - 1;
    const int64_t c0 = cc * grid_.colStep, c1 = std::min(cols_, c0 + grid_.colStep) - 1;
    auto range = [](int64_t a, int64_t b) {
        return a == b ? QString::number(a) : QStringLiteral("%1–%2").arg(a).arg(b);
    };
    const QString where = map_ ? tr("[%1, %2]").arg(range(r0, r1), range(c0, c1)) : tr("[%1]").arg(range(c0, c1));
    if (r0 == r1 && c0 == c1)
        return tr("%1 = %2").arg(where, number(grid_.mean[i]));
    return tr("%1 · mean %2 · min %3 · max %4 (one cell for %5 elements)")
        .arg(where, number(grid_.mean[i]), number(grid_.min[i]), number(grid_.max[i]))
        .arg((r1 - r0 + 1) * (c1 - c0 + 1));
}

bool HeatmapPlot::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == plot_ && event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = cellTextAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, plot_);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

bool HeatmapPlot::paint(QPaintDevice* device, QSize size)
{
    return paintCustomPlot(plot_, device, size);
}

}  // namespace mx
