#include "widgets/plotexport.h"

#include "widgets/atomicsave.h"

#include <QBuffer>
#include <QClipboard>
#include <QGuiApplication>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSvgGenerator>
#include <qcustomplot.h>

namespace mx {

QString plotFormatOf(const QString& path)
{
    for (const char* suffix : {"png", "svg", "pdf"})
        if (path.endsWith(QLatin1Char('.') + QLatin1String(suffix), Qt::CaseInsensitive))
            return QLatin1String(suffix);
    return {};
}

QImage renderPlotImage(const PlotPainter& paint, QSize size, double scale)
{
    QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    paint(&image, size);
    return image;
}

bool exportPlot(const PlotPainter& paint, const QString& path, QSize size, double scale,
                const QString& title, QString* error)
{
    const QString format = plotFormatOf(path);
    if (format == QLatin1String("png"))
        return saveImageAtomically(path, renderPlotImage(paint, size, scale), "PNG", error);
    std::function<bool(QIODevice&)> render;
    if (format == QLatin1String("pdf")) {
        render = [&](QIODevice& device) {
            QPdfWriter pdf(&device);
            pdf.setResolution(72);  // one device unit per point: the page is size points
            pdf.setPageSize(QPageSize(QSizeF(size), QPageSize::Point, QString(), QPageSize::ExactMatch));
            pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
            pdf.setTitle(title);
            pdf.setCreator(QStringLiteral("Module Explorer"));
            return paint(&pdf, size);
        };
    } else if (format == QLatin1String("svg")) {
        render = [&](QIODevice& device) {
            QBuffer buffer;
            buffer.open(QIODevice::WriteOnly);
            QSvgGenerator svg;
            svg.setOutputDevice(&buffer);
            svg.setSize(size);
            svg.setViewBox(QRect(QPoint(0, 0), size));
            svg.setTitle(title.toHtmlEscaped());  // QSvgGenerator writes the title unescaped
            if (!paint(&svg, size))
                return false;
            const QByteArray bytes = svgWithPixelSize(buffer.data(), size);
            return device.write(bytes) == bytes.size();
        };
    } else {
        if (error)
            *error = QObject::tr("cannot write '%1': unknown format (expected .png, .svg or .pdf)").arg(path);
        return false;
    }
    return saveAtomically(path, render, error);
}

QByteArray svgWithPixelSize(const QByteArray& svg, QSize size)
{
    static const QRegularExpression mm(QStringLiteral("<svg width=\"[0-9.]+mm\" height=\"[0-9.]+mm\""));
    QString text = QString::fromUtf8(svg);
    text.replace(mm, QStringLiteral("<svg width=\"%1\" height=\"%2\"").arg(size.width()).arg(size.height()));
    return text.toUtf8();
}

bool paintCustomPlot(QCustomPlot* plot, QPaintDevice* device, QSize size)
{
    QCPPainter painter;
    if (!painter.begin(device))
        return false;
    painter.setMode(QCPPainter::pmVectorized);
    plot->toPainter(&painter, size.width(), size.height());
    return painter.end();
}

QCustomPlot* findCustomPlot(QWidget* widget)
{
    if (auto* plot = qobject_cast<QCustomPlot*>(widget))
        return plot;
    QCustomPlot* hidden = nullptr;
    for (QCustomPlot* plot : widget ? widget->findChildren<QCustomPlot*>() : QList<QCustomPlot*>()) {
        if (plot->isVisibleTo(widget))
            return plot;
        hidden = hidden ? hidden : plot;
    }
    return hidden;
}

QSize plotWidgetSize(QCustomPlot* plot) { return plot->size(); }

QCPTextElement* plotTitle(QCustomPlot* plot)
{
    QCPLayoutGrid* layout = plot->plotLayout();
    if (auto* title = qobject_cast<QCPTextElement*>(layout->element(0, 0)))
        return title;
    layout->insertRow(0);
    auto* title = new QCPTextElement(plot, QString(), QFont(plot->font().family(), -1, QFont::Bold));
    layout->addElement(0, 0, title);
    return title;
}

void copyPlotToClipboard(const PlotPainter& paint, QSize size, double scale)
{
    QGuiApplication::clipboard()->setImage(renderPlotImage(paint, size, scale));
}

}  // namespace mx
