#include "widgets/losschart.h"

#include "widgets/latencychart.h"
#include "widgets/plotexport.h"

#include <qcustomplot.h>

#include <QEvent>
#include <QVBoxLayout>

#include <algorithm>

namespace mx {

LossChart::LossChart(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->addGraph();
    plot_->graph(0)->setPen(QPen(QColor(0x1f, 0x77, 0xb4), 2));
    plot_->graph(0)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
    plot_->xAxis->setLabel(tr("step"));
    plot_->yAxis->setLabel(tr("loss"));
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(1);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    plot_->xAxis->setTicker(ticker);
    plotTitle(plot_)->setText(tr("Loss per step (run training to see it)"));
    setMinimumSize(260, 160);
    styleCustomPlot(plot_, font(), palette());
}

void LossChart::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange)
        styleCustomPlot(plot_, font(), palette());
}

void LossChart::setLosses(const QVector<double>& losses, const QString& title)
{
    QVector<double> steps(losses.size());
    for (int i = 0; i < losses.size(); ++i)
        steps[i] = i + 1;
    plot_->graph(0)->setData(steps, losses, true);
    plotTitle(plot_)->setText(title);
    if (!losses.isEmpty()) {
        const auto [lo, hi] = std::minmax_element(losses.begin(), losses.end());
        const double pad = std::max(1e-6, (*hi - *lo) * 0.1);
        plot_->xAxis->setRange(0.5, losses.size() + 0.5);
        plot_->yAxis->setRange(*lo - pad, *hi + pad);
    }
    plot_->replot();
}

int LossChart::pointCount() const { return plot_->graph(0)->dataCount(); }

bool LossChart::exportTo(const QString& path, QString* error)
{
    const QSize size(800, 500);
    return exportPlot([this](QPaintDevice* device, QSize s) { return paintCustomPlot(plot_, device, s); },
                      path, size, 2, tr("Training loss"), error);
}

}  // namespace mx
