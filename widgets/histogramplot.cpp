#include "widgets/histogramplot.h"

#include "widgets/latencychart.h"  // styleCustomPlot
#include "widgets/plotexport.h"

#include <QHelpEvent>
#include <QToolTip>
#include <QEvent>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace mx {

namespace {

QString edgeText(double v, bool integral)
{
    return integral ? QString::number(v, 'f', 0) : QString::number(v, 'g', 6);
}

}  // namespace

HistogramPlot::HistogramPlot(QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)), bars_(new QCPBars(plot_->xAxis, plot_->yAxis))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plotTitle(plot_);
    bars_->setPen(QPen(QColor(0x1f, 0x5f, 0xa8)));
    bars_->setBrush(QColor(0x4a, 0x86, 0xc8));
    bars_->setWidthType(QCPBars::wtPlotCoords);
    plot_->yAxis->setLabel(tr("count"));
    plot_->xAxis->setLabel(tr("value"));
    plot_->setMouseTracking(true);
    plot_->installEventFilter(this);
    setMinimumSize(240, 160);
    styleCustomPlot(plot_, font(), palette());
}

void HistogramPlot::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange)
        styleCustomPlot(plot_, font(), palette());
}

void HistogramPlot::setHistogram(const Histogram& histogram, const QString& title, bool integral)
{
    histogram_ = histogram;
    integral_ = integral;
    plotTitle(plot_)->setText(title);
    QVector<double> keys, values;
    const size_t bins = histogram.counts.size();
    for (size_t k = 0; k < bins; ++k) {
        keys << (histogram.edges[k] + histogram.edges[k + 1]) / 2;
        values << static_cast<double>(histogram.counts[k]);
    }
    bars_->setData(keys, values, true);
    if (bins > 0) {
        const double width = (histogram.edges.back() - histogram.edges.front()) / static_cast<double>(bins);
        bars_->setWidth(width);
        plot_->xAxis->setRange(histogram.edges.front() - width / 2, histogram.edges.back() + width / 2);
    }
    applyScale();
}

void HistogramPlot::showMessage(const QString& message)
{
    histogram_ = Histogram();
    bars_->data()->clear();
    plotTitle(plot_)->setText(message);
    plot_->replot();
}

void HistogramPlot::setLogScale(bool log)
{
    log_ = log;
    applyScale();
}

void HistogramPlot::applyScale()
{
    const int64_t top = histogram_.counts.empty()
                            ? 1
                            : *std::max_element(histogram_.counts.begin(), histogram_.counts.end());
    if (log_) {
        plot_->yAxis->setScaleType(QCPAxis::stLogarithmic);
        plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        bars_->setBaseValue(0.5);  // bars start below a count of 1, so single values show
        plot_->yAxis->setRange(0.5, std::max<double>(2, static_cast<double>(top) * 2));
    } else {
        // counts are whole numbers: a whole tick step (1, 2, 5, 10, 20, ...)
        plot_->yAxis->setScaleType(QCPAxis::stLinear);
        QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
        double step = 1;
        while (static_cast<double>(top) / step > 6)
            step *= (QString::number(step).startsWith(QLatin1Char('2')) ? 2.5 : 2);
        ticker->setTickStep(step);
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
        plot_->yAxis->setTicker(ticker);
        bars_->setBaseValue(0);
        plot_->yAxis->setRange(0, std::max<double>(1, static_cast<double>(top) * 1.05));
    }
    plot_->replot();
}

int HistogramPlot::binAt(double pixelX) const
{
    const size_t bins = histogram_.counts.size();
    if (bins == 0)
        return -1;
    const double x = plot_->xAxis->pixelToCoord(pixelX);
    if (x < histogram_.edges.front() || x > histogram_.edges.back())
        return -1;
    const auto it = std::upper_bound(histogram_.edges.begin(), histogram_.edges.end(), x);
    const long bin = static_cast<long>(it - histogram_.edges.begin()) - 1;
    return static_cast<int>(std::clamp<long>(bin, 0, static_cast<long>(bins) - 1));
}

QString HistogramPlot::binText(int bin) const
{
    if (bin < 0 || bin >= static_cast<int>(histogram_.counts.size()))
        return {};
    const bool last = bin + 1 == static_cast<int>(histogram_.counts.size());
    return tr("bin %1: [%2, %3%4 · %5 values")
        .arg(bin)
        .arg(edgeText(histogram_.edges[bin], integral_), edgeText(histogram_.edges[bin + 1], integral_),
             last ? QStringLiteral("]") : QStringLiteral(")"))
        .arg(QLocale::system().toString(static_cast<qlonglong>(histogram_.counts[bin])));
}

bool HistogramPlot::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == plot_ && event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int bin = binAt(help->pos().x());
        if (bin >= 0)
            QToolTip::showText(help->globalPos(), binText(bin), plot_);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

bool HistogramPlot::paint(QPaintDevice* device, QSize size)
{
    return paintCustomPlot(plot_, device, size);
}

}  // namespace mx
