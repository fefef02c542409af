#pragma once

#include <QImage>
#include <QSize>
#include <QString>

#include <functional>

class QCustomPlot;
class QCPTextElement;
class QPaintDevice;
class QWidget;

namespace mx {

/** Paints a view of `size` (logical pixels) onto `device`, vector where the device is (SVG, PDF);
 *  false when painting could not start. */
using PlotPainter = std::function<bool(QPaintDevice* device, QSize size)>;

/** The plot as an image of size * scale pixels (device pixel ratio `scale`: text stays sharp). */
QImage renderPlotImage(const PlotPainter& paint, QSize size, double scale);

/**
 * Writes a plot to `path` atomically (a failed write leaves the old file), the format from the
 * suffix: .png (at `scale` 1, 2 or 3: size * scale pixels), .svg (vector, QSvgGenerator) or .pdf
 * (vector, QPdfWriter, a page of size points). False with "cannot write 'PATH': REASON".
 */
bool exportPlot(const PlotPainter& paint, const QString& path, QSize size, double scale,
                const QString& title, QString* error);

/** QSvgGenerator's output with its <svg> width and height stated in pixels (`size`) instead of
 *  the millimetres it writes, which viewers read at other resolutions. */
QByteArray svgWithPixelSize(const QByteArray& svg, QSize size);

/** "png", "svg" or "pdf" for a path's suffix (case-insensitive); "" for anything else. */
QString plotFormatOf(const QString& path);

/** Paints a QCustomPlot as it is now at `size`, vectorized (text and lines stay vectors in SVG
 *  and PDF). */
bool paintCustomPlot(QCustomPlot* plot, QPaintDevice* device, QSize size);

/** The QCustomPlot that `widget` is or holds (the first visible one), or nullptr. */
QCustomPlot* findCustomPlot(QWidget* widget);
/** A QCustomPlot's size on screen. */
QSize plotWidgetSize(QCustomPlot* plot);

/** Adds a bold title row above a QCustomPlot's axes (once) and returns it. */
QCPTextElement* plotTitle(QCustomPlot* plot);

/** Puts the plot on the clipboard as an image (at `scale`). */
void copyPlotToClipboard(const PlotPainter& paint, QSize size, double scale);

}  // namespace mx
