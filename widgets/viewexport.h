#pragma once

#include <QImage>
#include <QPalette>
#include <QSize>
#include <QString>

#include "widgets/plotexport.h"

#include <functional>
#include <memory>

class QCustomPlot;
class QPainter;
class QPlainTextEdit;
class QTableView;
class QTreeView;
class QWidget;

namespace mx {

/** Largest side of an exported image in pixels, and its largest pixel count (400 MB at 4 bytes). */
constexpr int kMaxExportSide = 16384;
constexpr qint64 kMaxExportPixels = 100LL * 1000 * 1000;

/** How a view is exported (File → Export View…, Copy as Image, --export-view). */
struct ViewExportOptions {
    /** Logical size in pixels (PNG: times `scale`); a side <= 0 comes from the view: its content
     *  when `whole`, else its size on screen. */
    QSize size;
    double scale = 1;                 // PNG: 1, 2 or 3 device pixels per logical pixel
    bool usePalette = false;          // paint with `palette` instead of the view's own
    QPalette palette;                 // e.g. the light print theme, whatever the screen's
    bool showSelection = true;
    bool showScrollBars = false;
    bool whole = true;                // tree: fully expanded; listings, transcript: every row
    int depth = -1;                   // tree: expanded to this depth (>= 0 overrides `whole`)
    QString title;                    // the SVG/PDF document's title
};

/** A view made ready to paint: its logical size and a painter function (vector where the
 *  device is). Holds whatever staged copy of the view it paints. */
struct PreparedView {
    QSize size;
    std::function<void(QPainter* painter)> paint;
    PlotPainter plot;                 // set instead of `paint` for a QCustomPlot chart
    std::shared_ptr<QWidget> stage;   // the hidden copy painted (nullptr: the view itself)
    bool isValid() const { return size.isValid() && (bool(paint) || bool(plot)); }
};

/** Whether `size` at `scale` stays within the budget (kMaxExportSide, kMaxExportPixels); else
 *  false with one line saying why, before anything is allocated. */
bool checkExportBudget(QSize size, double scale, QString* error);

/** The module tree as the view paints it (same delegate, badges, marks): fully expanded, to
 *  `depth`, or as shown (expansion, scroll position and column widths copied). */
PreparedView prepareTreeExport(QTreeView* view, const ViewExportOptions& options);
/** A table (a listing): every row when `whole`, else the rows shown. */
PreparedView prepareTableExport(QTableView* view, const ViewExportOptions& options);
/** The view painted now into a picture (vector), so that it no longer follows its model. */
PreparedView freezeView(const PreparedView& view);
/** The size of each side of prepareSideBySide() for a total of `size` (a side <= 0 stays). */
QSize sideBySidePartSize(QSize size);
/** Two prepared views side by side, each under a caption (the before/after listing); the size
 *  asked in `options` when given, else what both need. */
PreparedView prepareSideBySide(const QString& leftCaption, PreparedView left,
                               const QString& rightCaption, PreparedView right,
                               const ViewExportOptions& options);
/** A text view (the console transcript): its whole text with colours, wrapped to the width. */
PreparedView prepareTextExport(QPlainTextEdit* view, const ViewExportOptions& options);
/** Any widget as it is (the whole window), scaled to fit `options.size`. */
PreparedView prepareWidgetExport(QWidget* widget, const ViewExportOptions& options);
/** A QCustomPlot chart at `options.size` (default its size on screen), vectorized. */
PreparedView preparePlotExport(QCustomPlot* plot, const ViewExportOptions& options);

/** The view as an image of size * scale pixels; a null image and `error` past the budget. */
QImage renderViewImage(const PreparedView& view, double scale, QString* error);

/**
 * Writes the view to `path` atomically (a failed write leaves the old file), the format from
 * the suffix: .png (size * scale pixels), .svg (QSvgGenerator, text stays text) or .pdf
 * (QPdfWriter, one page of size points). False with one line in `error`.
 */
bool exportPreparedView(const PreparedView& view, const QString& path, const ViewExportOptions& options,
                        QString* error);

}  // namespace mx
