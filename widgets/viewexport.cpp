// Renders the app's real views (hidden copies with the same model, delegates and column widths)
// to PNG, SVG and PDF for File → Export View…, Copy as Image and --export-view.
#include "widgets/viewexport.h"

#include "widgets/atomicsave.h"
#include "widgets/elision.h"
#include "widgets/latencychart.h"
#include "widgets/moduletreeview.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QHeaderView>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QPicture>
#include <QPlainTextEdit>
#include <QPointer>
#include <QScreen>
#include <QScrollBar>
#include <QSvgGenerator>
#include <QTableView>
#include <QTextDocument>

namespace mx {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("mx", text); }  // lupdate files a free tr() in namespace mx under "mx"

// A hidden copy of the module tree: the same model and delegates, never on screen.
class ExportTree : public ModuleTreeView {
public:
    void settle()
    {
        doItemsLayout();
        updateGeometries();
    }
    int rowHeightOf(const QModelIndex& index) const { return indexRowSizeHint(index); }
    int fittedWidth(int column) const { return sizeHintForColumn(column); }
};

// A hidden copy of a listing's table.
class ExportTable : public QTableView {
public:
    void settle()
    {
        doItemsLayout();
        updateGeometries();
    }
    /** Columns sized to their content, as the listing does (long names elided). */
    void fitColumns()
    {
        for (int c = 0; model() && c < model()->columnCount(); ++c)
        {
            const QString title = model()->headerData(c, Qt::Horizontal).toString();
            const int header = horizontalHeader()->fontMetrics().horizontalAdvance(title) + 24;
            setColumnWidth(c, qMin(qMax(sizeHintForColumn(c), header), maxFittedColumnWidth(fontMetrics())));
        }
    }
};

void copyDelegates(QAbstractItemView* from, QAbstractItemView* to, int columns)
{
    to->setItemDelegate(from->itemDelegate());
    for (int c = 0; c < columns; ++c)
        if (QAbstractItemDelegate* d = from->itemDelegateForColumn(c))
            to->setItemDelegateForColumn(c, d);
}

// Shows the copy hidden (WA_DontShowOnScreen) so that it lays out as on screen.
void stage(QWidget* copy, const QWidget* original, QSize size, const ViewExportOptions& o)
{
    copy->setAttribute(Qt::WA_DontShowOnScreen);
    copy->setFont(original->font());
    copy->setPalette(o.usePalette ? o.palette : original->palette());
    copy->resize(size);
    copy->show();
    QCoreApplication::sendPostedEvents(copy);
}

void copySelection(QAbstractItemView* from, QAbstractItemView* to, const ViewExportOptions& o)
{
    to->clearSelection();
    if (!o.showSelection || !from->selectionModel())
        return;
    to->selectionModel()->select(from->selectionModel()->selection(), QItemSelectionModel::Select);
}

std::function<void(QPainter*)> widgetPainter(QWidget* widget, QSize size, const QPalette& palette)
{
    return [widget, size, palette](QPainter* painter) {
        painter->fillRect(QRect(QPoint(), size), palette.color(QPalette::Window));
        widget->render(painter, QPoint(), QRegion(),
                       QWidget::DrawWindowBackground | QWidget::DrawChildren);
    };
}

Qt::ScrollBarPolicy scrollPolicy(const ViewExportOptions& o)
{
    return o.showScrollBars ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff;
}

// Expands in `copy` what is expanded in `original` (visiting only expanded rows).
void copyExpansion(const QTreeView* original, QTreeView* copy, const QModelIndex& parent, int* budget)
{
    const QAbstractItemModel* model = original->model();
    for (int r = 0; r < model->rowCount(parent) && *budget > 0; ++r) {
        const QModelIndex index = model->index(r, 0, parent);
        if (!original->isExpanded(index))
            continue;
        --*budget;
        copy->expand(index);
        copyExpansion(original, copy, index, budget);
    }
}

// Hides in `copy` the rows `original` hides (the filter box hides rows, it does not filter the
// model): a filtered view exports filtered.
void copyHiddenRows(const QTreeView* original, QTreeView* copy, const QModelIndex& parent)
{
    const QAbstractItemModel* model = original->model();
    for (int r = 0; r < model->rowCount(parent); ++r) {
        if (original->isRowHidden(r, parent))
            copy->setRowHidden(r, parent, true);
        const QModelIndex child = model->index(r, 0, parent);
        if (model->hasChildren(child))
            copyHiddenRows(original, copy, child);
    }
}

int sumSections(const QHeaderView* header)
{
    int width = 0;
    for (int c = 0; c < header->count(); ++c)
        if (!header->isSectionHidden(c))
            width += header->sectionSize(c);
    return width;
}

}  // namespace

bool checkExportBudget(QSize size, double scale, QString* error)
{
    const qint64 w = qint64(size.width() * scale), h = qint64(size.height() * scale);
    QString why;
    if (w < 1 || h < 1)
        why = tr("the image would be empty (%1 × %2 pixels)").arg(w).arg(h);
    else if (w > kMaxExportSide || h > kMaxExportSide)
        why = tr("%1 × %2 pixels is larger than the limit of %3 pixels a side; choose a smaller "
                 "size or scale, or export the tree to a depth")
                  .arg(w).arg(h).arg(kMaxExportSide);
    else if (w * h > kMaxExportPixels)
        why = tr("%1 × %2 pixels is more than the limit of %3 million pixels (400 MB); choose a "
                 "smaller size or scale")
                  .arg(w).arg(h).arg(kMaxExportPixels / 1000000);
    if (why.isEmpty())
        return true;
    if (error)
        *error = tr("cannot export the view: %1").arg(why);
    return false;
}

PreparedView prepareTreeExport(QTreeView* view, const ViewExportOptions& o)
{
    auto copy = std::make_shared<ExportTree>();
    QAbstractItemModel* model = view->model();
    copy->setModel(model);  // expands the top levels, as the window does
    copyDelegates(view, copy.get(), model ? model->columnCount() : 0);
    copy->setIndentation(view->indentation());
    copy->setRootIsDecorated(view->rootIsDecorated());
    copy->setAlternatingRowColors(view->alternatingRowColors());
    copy->setIconSize(view->iconSize());
    copy->setHeaderHidden(view->isHeaderHidden());
    copy->setHorizontalScrollBarPolicy(scrollPolicy(o));
    copy->setVerticalScrollBarPolicy(scrollPolicy(o));
    copy->setFont(view->font());
    const int columns = model ? model->columnCount() : 0;
    if (model) {
        copy->collapseAll();
        if (o.depth >= 0) {
            if (o.depth > 0)
                copy->expandToDepth(o.depth - 1);
        } else if (o.whole) {
            copy->expandAll();
        } else {
            int budget = 1000000;
            copyExpansion(view, copy.get(), QModelIndex(), &budget);
        }
    }
    if (model)
        copyHiddenRows(view, copy.get(), QModelIndex());
    for (int c = 0; c < columns; ++c) {
        copy->header()->resizeSection(c, view->header()->sectionSize(c));
        copy->header()->setSectionHidden(c, view->header()->isSectionHidden(c));
    }
    // Every column widens for the rows the view does not show (deeper rows, a window never laid
    // out), up to the view's cap, so no name, shape or dtype is elided that the view would fit.
    if (o.whole || o.depth >= 0) {
        copy->settle();
        for (int c = 0; c < columns; ++c)
            copy->header()->resizeSection(c, qMax(view->header()->sectionSize(c), copy->fittedWidth(c)));
    }
    copySelection(view, copy.get(), o);

    // Content size: every visible row (counted up to what the budget allows).
    const int frame = 2 * view->frameWidth();
    QSize content(sumSections(copy->header()) + frame, frame);
    if (!copy->isHeaderHidden())
        content.rheight() += copy->header()->sizeHint().height();
    if (model && model->rowCount() > 0) {
        const int rowHeight = qMax(1, copy->rowHeightOf(model->index(0, 0)));
        qint64 rows = 0;
        const qint64 cap = 2000000;  // enough to say how tall; the budget refuses it anyway
        for (QModelIndex i = model->index(0, 0); i.isValid() && rows < cap; i = copy->indexBelow(i))
            ++rows;
        content.rheight() = int(qMin<qint64>(content.height() + rows * rowHeight, 1 << 30));
    }
    const bool fromContent = o.whole || o.depth >= 0;
    QSize size = o.size;
    if (size.width() <= 0)
        size.setWidth(fromContent ? content.width() : view->width());
    if (size.height() <= 0)
        size.setHeight(fromContent ? content.height() : view->height());
    PreparedView prepared;
    prepared.size = size;
    if (size.width() > kMaxExportSide || size.height() > kMaxExportSide)
        return prepared;  // refused by the budget check before anything is painted
    stage(copy.get(), view, size, o);
    copy->settle();
    if (!fromContent) {
        copy->verticalScrollBar()->setValue(view->verticalScrollBar()->value());
        copy->horizontalScrollBar()->setValue(view->horizontalScrollBar()->value());
    }
    prepared.paint = widgetPainter(copy.get(), size, copy->palette());
    prepared.stage = copy;
    return prepared;
}

PreparedView prepareTableExport(QTableView* view, const ViewExportOptions& o)
{
    auto copy = std::make_shared<ExportTable>();
    QAbstractItemModel* model = view->model();
    copy->setModel(model);
    const int columns = model ? model->columnCount() : 0;
    copyDelegates(view, copy.get(), columns);
    copy->setAlternatingRowColors(view->alternatingRowColors());
    copy->setWordWrap(view->wordWrap());
    copy->setTextElideMode(view->textElideMode());
    copy->setShowGrid(view->showGrid());
    copy->setGridStyle(view->gridStyle());
    copy->setSelectionBehavior(view->selectionBehavior());
    copy->setFont(view->font());
    copy->setHorizontalScrollBarPolicy(scrollPolicy(o));
    copy->setVerticalScrollBarPolicy(scrollPolicy(o));
    QHeaderView* vh = copy->verticalHeader();
    vh->setVisible(!view->verticalHeader()->isHidden());  // the view may be on a hidden tab
    vh->setDefaultAlignment(view->verticalHeader()->defaultAlignment());
    vh->setSectionResizeMode(QHeaderView::Fixed);
    vh->setDefaultSectionSize(view->verticalHeader()->defaultSectionSize());
    copy->horizontalHeader()->setVisible(!view->horizontalHeader()->isHidden());
    copy->horizontalHeader()->setStretchLastSection(view->horizontalHeader()->stretchLastSection());
    for (int c = 0; c < columns; ++c) {
        copy->horizontalHeader()->resizeSection(c, view->horizontalHeader()->sectionSize(c));
        copy->setColumnHidden(c, view->isColumnHidden(c));
    }
    if (!view->isVisible())  // a tab never shown has not fitted its columns yet
        copy->fitColumns();
    copySelection(view, copy.get(), o);

    const int frame = 2 * view->frameWidth();
    int rows = 0;  // the rows shown: the filter box may hide some
    for (int r = 0; model && r < model->rowCount(); ++r) {
        const bool hidden = view->isRowHidden(r);
        copy->setRowHidden(r, hidden);
        rows += hidden ? 0 : 1;
    }
    const int rowHeight = qMax(1, vh->defaultSectionSize());
    const int vhWidth = vh->isHidden() ? 0 : vh->sizeHint().width();
    const int hhHeight = copy->horizontalHeader()->isHidden() ? 0 : copy->horizontalHeader()->sizeHint().height();
    const qint64 rowsHeight = qMin<qint64>(qint64(rows) * rowHeight, 1 << 30);
    const QSize content(vhWidth + sumSections(copy->horizontalHeader()) + frame,
                        int(hhHeight + rowsHeight + frame));
    QSize size = o.size;
    if (size.width() <= 0)
        size.setWidth(o.whole ? qMax(content.width(), view->width()) : view->width());
    if (size.height() <= 0)
        size.setHeight(o.whole ? content.height() : view->height());
    PreparedView prepared;
    prepared.size = size;
    if (size.width() > kMaxExportSide || size.height() > kMaxExportSide)
        return prepared;
    stage(copy.get(), view, size, o);
    copy->settle();
    if (!o.whole) {
        copy->verticalScrollBar()->setValue(view->verticalScrollBar()->value());
        copy->horizontalScrollBar()->setValue(view->horizontalScrollBar()->value());
    }
    prepared.paint = widgetPainter(copy.get(), size, copy->palette());
    prepared.stage = copy;
    return prepared;
}

PreparedView freezeView(const PreparedView& view)
{
    if (!view.paint)
        return view;
    auto picture = std::make_shared<QPicture>();
    QPainter painter(picture.get());
    view.paint(&painter);
    painter.end();
    PreparedView frozen;
    frozen.size = view.size;
    frozen.paint = [picture](QPainter* p) { p->drawPicture(QPoint(), *picture); };
    return frozen;
}

namespace {
constexpr int kSideGap = 16;
int captionHeight()
{
    QFont font = QGuiApplication::font();
    font.setBold(true);
    return QFontMetrics(font).height() + 8;
}
}  // namespace

QSize sideBySidePartSize(QSize size)
{
    return QSize(size.width() > 0 ? qMax(1, (size.width() - kSideGap) / 2) : 0,
                 size.height() > 0 ? qMax(1, size.height() - captionHeight()) : 0);
}

PreparedView prepareSideBySide(const QString& leftCaption, PreparedView left, const QString& rightCaption,
                               PreparedView right, const ViewExportOptions& o)
{
    PreparedView prepared;
    if (!left.isValid() || !right.isValid())
        return prepared;
    QFont captionFont = QGuiApplication::font();
    captionFont.setBold(true);
    const int captionHeight = mx::captionHeight();
    const int gap = kSideGap;
    prepared.size = QSize(left.size.width() + gap + right.size.width(),
                          captionHeight + qMax(left.size.height(), right.size.height()));
    if (o.size.width() > 0)
        prepared.size.setWidth(o.size.width());
    if (o.size.height() > 0)
        prepared.size.setHeight(o.size.height());
    const QPalette palette = o.usePalette ? o.palette : QGuiApplication::palette();
    const QSize size = prepared.size;
    prepared.paint = [=](QPainter* painter) {
        painter->fillRect(QRect(QPoint(), size), palette.color(QPalette::Window));
        painter->setFont(captionFont);
        painter->setPen(palette.color(QPalette::WindowText));
        const int rightX = left.size.width() + gap;
        painter->drawText(QRect(4, 0, left.size.width() - 4, captionHeight), Qt::AlignLeft | Qt::AlignVCenter,
                          leftCaption);
        painter->drawText(QRect(rightX + 4, 0, right.size.width() - 4, captionHeight),
                          Qt::AlignLeft | Qt::AlignVCenter, rightCaption);
        painter->save();
        painter->setClipRect(QRect(QPoint(), size));
        painter->translate(0, captionHeight);
        left.paint(painter);
        painter->translate(rightX, 0);
        right.paint(painter);
        painter->restore();
    };
    return prepared;
}

PreparedView prepareTextExport(QPlainTextEdit* view, const ViewExportOptions& o)
{
    auto document = std::shared_ptr<QTextDocument>(view->document()->clone());
    document->setDefaultFont(view->document()->defaultFont());
    const int margin = 8;
    QSize size = o.size;
    if (size.width() <= 0)
        size.setWidth(qMax(200, view->width()));
    document->setTextWidth(size.width() - 2 * margin);
    if (size.height() <= 0) {
        const qreal height = document->size().height() + 2 * margin;
        size.setHeight(o.whole ? int(qMin<qreal>(height, 1 << 30)) : qMax(1, view->height()));
    }
    const QPalette palette = o.usePalette ? o.palette : view->palette();
    PreparedView prepared;
    prepared.size = size;
    prepared.paint = [document, size, palette, margin](QPainter* painter) {
        painter->fillRect(QRect(QPoint(), size), palette.color(QPalette::Base));
        painter->save();
        painter->setClipRect(QRect(QPoint(), size));
        painter->translate(margin, margin);
        QAbstractTextDocumentLayout::PaintContext context;
        context.palette = palette;
        context.palette.setColor(QPalette::Text, palette.color(QPalette::Text));
        context.clip = QRectF(0, 0, size.width(), size.height());
        document->documentLayout()->draw(painter, context);
        painter->restore();
    };
    return prepared;
}

PreparedView prepareWidgetExport(QWidget* widget, const ViewExportOptions& o)
{
    const QSize natural = widget->size();
    QSize size = o.size;
    if (size.width() <= 0 && size.height() <= 0)
        size = natural;
    else if (size.height() <= 0)
        size.setHeight(qMax(1, natural.height() * size.width() / qMax(1, natural.width())));
    else if (size.width() <= 0)
        size.setWidth(qMax(1, natural.width() * size.height() / qMax(1, natural.height())));
    const bool override = o.usePalette;
    const QPalette palette = override ? o.palette : widget->palette();
    QPointer<QWidget> target(widget);
    PreparedView prepared;
    prepared.size = size;
    prepared.paint = [target, size, natural, palette, override](QPainter* painter) {
        painter->fillRect(QRect(QPoint(), size), palette.color(QPalette::Window));
        if (!target)
            return;
        const bool hadPalette = target->testAttribute(Qt::WA_SetPalette);
        const QPalette old = target->palette();
        if (override)
            target->setPalette(palette);
        const qreal factor = qMin(qreal(size.width()) / qMax(1, natural.width()),
                                  qreal(size.height()) / qMax(1, natural.height()));
        painter->save();
        painter->scale(factor, factor);
        target->render(painter, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
        painter->restore();
        if (override)
            target->setPalette(hadPalette ? old : QPalette());
    };
    return prepared;
}

PreparedView preparePlotExport(QCustomPlot* plot, const ViewExportOptions& o)
{
    PreparedView prepared;
    if (!plot)
        return prepared;
    prepared.size = o.size.width() > 0 && o.size.height() > 0 ? o.size : plotWidgetSize(plot);
    if (!o.usePalette) {
        prepared.plot = [plot](QPaintDevice* device, QSize size) { return paintCustomPlot(plot, device, size); };
        return prepared;
    }
    // The print theme reaches charts too: styled with it for the export, then back to the
    // palette of the widget that shows the plot.
    const QPalette palette = o.palette;
    prepared.plot = [plot, palette](QPaintDevice* device, QSize size) {
        return paintCustomPlotWithPalette(plot, device, size, palette);
    };
    return prepared;
}

QImage renderViewImage(const PreparedView& view, double scale, QString* error)
{
    if (!checkExportBudget(view.size, scale, error))
        return {};
    if (view.plot)
        return renderPlotImage(view.plot, view.size, scale);
    if (!view.paint) {
        if (error)
            *error = tr("cannot export the view: there is nothing to export");
        return {};
    }
    QImage image(view.size * scale, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull()) {
        if (error)
            *error = tr("cannot export the view: out of memory for the image");
        return {};
    }
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    view.paint(&painter);
    painter.end();
    return image;
}

bool exportPreparedView(const PreparedView& view, const QString& path, const ViewExportOptions& o,
                        QString* error)
{
    const QString format = plotFormatOf(path);
    if (format.isEmpty()) {
        if (error)
            *error = tr("cannot write '%1': unknown format (expected .png, .svg or .pdf)").arg(path);
        return false;
    }
    if (!checkExportBudget(view.size, format == QLatin1String("png") ? o.scale : 1, error))
        return false;
    if (!view.isValid()) {
        if (error)
            *error = tr("cannot export the view: there is nothing to export");
        return false;
    }
    if (view.plot)
        return exportPlot(view.plot, path, view.size, o.scale, o.title, error);
    if (format == QLatin1String("png")) {
        const QImage image = renderViewImage(view, o.scale, error);
        return !image.isNull() && saveImageAtomically(path, image, "PNG", error);
    }
    const QSize size = view.size;
    // Widgets lay out text at the screen's logical DPI: the vector devices use the same, so
    // text keeps its place (PDF: a page of size * 72 / dpi points).
    const int dpi = QGuiApplication::primaryScreen() ? qRound(QGuiApplication::primaryScreen()->logicalDotsPerInch()) : 96;
    std::function<bool(QIODevice&)> render;
    if (format == QLatin1String("pdf")) {
        render = [&](QIODevice& device) {
            QPdfWriter pdf(&device);
            pdf.setResolution(dpi);
            pdf.setPageSize(QPageSize(QSizeF(size) * 72.0 / dpi, QPageSize::Point, QString(), QPageSize::ExactMatch));
            pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
            pdf.setTitle(o.title);
            pdf.setCreator(QStringLiteral("Module Explorer"));
            QPainter painter;
            if (!painter.begin(&pdf))
                return false;
            view.paint(&painter);
            return painter.end();
        };
    } else {
        render = [&](QIODevice& device) {
            QBuffer buffer;
            buffer.open(QIODevice::WriteOnly);
            QSvgGenerator svg;
            svg.setOutputDevice(&buffer);
            svg.setResolution(dpi);
            svg.setSize(size);
            svg.setViewBox(QRect(QPoint(0, 0), size));
            svg.setTitle(o.title.toHtmlEscaped());  // QSvgGenerator writes the title unescaped
            QPainter painter;
            if (!painter.begin(&svg))
                return false;
            view.paint(&painter);
            if (!painter.end())
                return false;
            const QByteArray bytes = svgWithPixelSize(buffer.data(), size);
            return device.write(bytes) == bytes.size();
        };
    }
    return saveAtomically(path, render, error);
}

}  // namespace mx
