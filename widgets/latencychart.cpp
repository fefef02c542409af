#include "widgets/latencychart.h"

#include "widgets/plotexport.h"

#include <QEvent>
#include <QFontInfo>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace mx {

void styleCustomPlot(QCustomPlot* plot, const QFont& font, const QPalette& palette)
{
    const QColor text = palette.color(QPalette::Text);
    const QColor grid = palette.color(QPalette::Mid);
    const double scale = std::max(1.0, QFontInfo(font).pixelSize() / 13.0);
    plot->setBackground(palette.brush(QPalette::Base));
    plot->legend->setFont(font);
    plot->legend->setTextColor(text);
    plot->legend->setBrush(palette.brush(QPalette::Base));
    plot->legend->setBorderPen(QPen(grid));
    for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
        axis->setLabelFont(font);
        axis->setTickLabelFont(font);
        axis->setLabelColor(text);
        axis->setTickLabelColor(text);
        axis->setBasePen(QPen(text, scale));
        axis->setTickPen(QPen(text, scale));
        axis->setSubTickPen(QPen(text, scale));
        axis->grid()->setPen(QPen(grid, scale, Qt::DotLine));
        axis->setTickLengthIn(int(5 * scale));
        axis->setSubTickLengthIn(int(2 * scale));
    }
    for (int i = 0; i < plot->graphCount(); ++i) {
        QCPGraph* g = plot->graph(i);
        QPen pen = g->pen();
        pen.setWidthF(2 * scale);
        g->setPen(pen);
        QCPScatterStyle points = g->scatterStyle();
        points.setSize(6 * scale);
        g->setScatterStyle(points);
    }
    if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0))) {
        QFont bold = font;
        bold.setBold(true);
        title->setFont(bold);
        title->setTextColor(text);
    }
    plot->replot();
}

bool paintCustomPlotWithPalette(QCustomPlot* plot, QPaintDevice* device, QSize size, const QPalette& palette)
{
    const QWidget* owner = plot->parentWidget() ? plot->parentWidget() : plot;
    styleCustomPlot(plot, owner->font(), palette);
    const bool painted = paintCustomPlot(plot, device, size);
    styleCustomPlot(plot, owner->font(), owner->palette());
    return painted;
}

LatencyChart::LatencyChart(QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)), title_(nullptr)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->setObjectName(QStringLiteral("latencyPlot"));
    plot_->xAxis->setLabel(tr("batch size"));
    plot_->yAxis->setLabel(tr("median forward time (ms)"));
    plot_->xAxis->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
    ticker->setLogBase(2);
    plot_->xAxis->setTicker(ticker);
    plot_->xAxis->setNumberFormat(QStringLiteral("f"));
    plot_->xAxis->setNumberPrecision(0);
    plot_->xAxis->setRange(0.8, 320);
    plot_->yAxis->setRange(0, 1);
    plot_->legend->setVisible(false);  // shown once a device has a line
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    plot_->plotLayout()->insertRow(0);
    title_ = new QCPTextElement(plot_, QString(), QFont(font().family(), font().pointSize()));
    title_->setObjectName(QStringLiteral("latencyTitle"));
    plot_->plotLayout()->addElement(0, 0, title_);
    setMinimumSize(320, 180);
    styleCustomPlot(plot_, font(), palette());
}

void LatencyChart::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange)
        styleCustomPlot(plot_, font(), palette());
}

QFont LatencyChart::tickLabelFont() const { return plot_->xAxis->tickLabelFont(); }

void LatencyChart::setTitle(const QString& title)
{
    title_->setText(title);
    plot_->replot();
}

QString LatencyChart::title() const { return title_->text(); }

int LatencyChart::graphFor(const QString& device)
{
    for (int i = 0; i < plot_->graphCount(); ++i)
        if (plot_->graph(i)->name() == device)
            return i;
    QCPGraph* g = plot_->addGraph();
    plot_->legend->setVisible(true);
    g->setName(device);
    static const QColor colors[] = {QColor(0x1f, 0x6f, 0xc5), QColor(0x2e, 0x8b, 0x3e)};
    g->setPen(QPen(colors[(plot_->graphCount() - 1) % 2], 2));
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
    styleCustomPlot(plot_, font(), palette());  // the new line's width and points at this zoom
    return plot_->graphCount() - 1;
}

void LatencyChart::clear()
{
    plot_->clearGraphs();
    plot_->legend->setVisible(false);
    plot_->yAxis->setRange(0, 1);
    plot_->replot();
}

void LatencyChart::clearDevice(const QString& device)
{
    plot_->graph(graphFor(device))->data()->clear();
    rescale();
    plot_->replot();
}

void LatencyChart::addPoint(const QString& device, int batch, double medianMs)
{
    plot_->graph(graphFor(device))->addData(batch, medianMs);
    rescale();
    plot_->replot();
}

int LatencyChart::pointCount(const QString& device) const
{
    for (int i = 0; i < plot_->graphCount(); ++i)
        if (plot_->graph(i)->name() == device)
            return plot_->graph(i)->dataCount();
    return 0;
}

void LatencyChart::rescale()
{
    double top = 0;
    for (int i = 0; i < plot_->graphCount(); ++i)
        for (auto it = plot_->graph(i)->data()->constBegin(); it != plot_->graph(i)->data()->constEnd(); ++it)
            top = std::max(top, it->value);
    plot_->yAxis->setRange(0, top > 0 ? top * 1.1 : 1);
}

bool LatencyChart::exportTo(const QString& path, QString* error)
{
    // Rendered in memory, then written atomically: a failed export leaves the old file.
    return exportPlot([this](QPaintDevice* device, QSize size) {
        return paintInto(device, size.width(), size.height());
    }, path, QSize(800, 500), 1.0, tr("Forward latency vs batch size"), error);
}

bool LatencyChart::paintInto(QPaintDevice* device, int width, int height)
{
    return paintCustomPlot(plot_, device, QSize(width, height));
}

}  // namespace mx
