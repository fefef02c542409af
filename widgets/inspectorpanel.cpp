#include "widgets/inspectorpanel.h"

#include "items/entrytext.h"
#include "items/statsrows.h"
#include "items/tensorinspector.h"
#include "items/tensorvaluesmodel.h"
#include "widgets/elidinglabel.h"
#include "widgets/histogramplot.h"
#include "widgets/plotexport.h"
#include "widgets/tensorplot.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace mx {

namespace {

/** The rows as a table; labels in the theme's muted text colour (readable in light and dark). */
QString rowsHtml(const QList<QPair<QString, QString>>& rows, const QColor& labelColor)
{
    QString html = QStringLiteral("<table cellspacing=0 cellpadding=1>");
    for (const auto& [label, value] : rows)
        html += QStringLiteral("<tr><td style='color:%3; padding-right:10px'>%1</td><td>%2</td></tr>")
                    .arg(label.toHtmlEscaped(), value.toHtmlEscaped(), labelColor.name());
    return html + QStringLiteral("</table>");
}

QString rowsText(const QList<QPair<QString, QString>>& rows)
{
    QStringList lines;
    for (const auto& [label, value] : rows)
        lines << label + QStringLiteral(": ") + value;
    return lines.join(QLatin1Char('\n'));
}

}  // namespace

InspectorPanel::InspectorPanel(QWidget* parent)
    : QWidget(parent),
      inspector_(new TensorInspector(this)),
      values_(new TensorValuesModel(this)),
      title_(new ElidingLabel),
      busy_(new QProgressBar),
      bins_(new QSpinBox),
      log_(new QCheckBox(tr("log counts"))),
      pin_(new QPushButton(tr("Pin to Compare"))),
      export_(new QToolButton),
      sliceBox_(new QWidget),
      sliceLayout_(new QHBoxLayout(sliceBox_)),
      stats_(new QLabel),
      tabs_(new QTabWidget),
      histogram_(new HistogramPlot),
      plot_(new TensorPlot),
      table_(new QTableView),
      compare_(new QLabel),
      difference_(new HistogramPlot)
{
    QFont bold = title_->font();
    bold.setBold(true);
    title_->setFont(bold);
    busy_->setRange(0, 0);  // indeterminate: the passes report no fraction
    busy_->setMaximumWidth(80);
    busy_->setMaximumHeight(12);
    busy_->setTextVisible(false);
    busy_->hide();
    busy_->setToolTip(tr("Computing the statistics off the GUI thread; selecting another entry "
                         "cancels it"));
    bins_->setRange(1, kMaxHistogramBins);
    bins_->setValue(inspector_->bins());
    bins_->setPrefix(tr("bins "));
    bins_->setToolTip(tr("Histogram bins: equal width from min to max, as torch.histc"));
    pin_->setCheckable(true);
    pin_->setToolTip(tr("Keep a copy of this tensor; then select another of the same shape (or "
                        "this one after a forward, load or edit) to see the difference"));
    export_->setText(tr("Export"));
    export_->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(export_);
    for (int scale : {1, 2, 3})
        menu->addAction(tr("PNG at %1×…").arg(scale), this,
                        [this, scale] { exportWithDialog(scale, QStringLiteral("png")); });
    menu->addAction(tr("SVG (vector)…"), this, [this] { exportWithDialog(1, QStringLiteral("svg")); });
    menu->addAction(tr("PDF (vector)…"), this, [this] { exportWithDialog(1, QStringLiteral("pdf")); });
    menu->addSeparator();
    menu->addAction(tr("Copy Plot as Image"), this, [this] { copyPlot(); });
    export_->setMenu(menu);
    sliceLayout_->setContentsMargins(0, 0, 0, 0);
    sliceBox_->hide();

    auto* heading = new QHBoxLayout;
    heading->addWidget(title_, 1);
    heading->addWidget(busy_);
    auto* top = new QHBoxLayout;
    top->addWidget(sliceBox_);
    top->addStretch(1);
    top->addWidget(bins_);
    top->addWidget(log_);
    top->addWidget(pin_);
    top->addWidget(export_);

    stats_->setTextFormat(Qt::RichText);
    stats_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    stats_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    stats_->setMinimumWidth(190);

    table_->setModel(values_);
    table_->horizontalHeader()->setDefaultSectionSize(84);
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    auto* copy = new QAction(tr("Copy Values"), table_);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &InspectorPanel::copySelectedValues);
    table_->addAction(copy);
    table_->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto* compareTab = new QWidget;
    auto* compareLayout = new QHBoxLayout(compareTab);
    compare_->setTextFormat(Qt::RichText);
    compare_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    compare_->setWordWrap(true);
    compare_->setMinimumWidth(190);
    compare_->setMaximumWidth(280);
    compareLayout->addWidget(compare_);
    compareLayout->addWidget(difference_, 1);

    tabs_->addTab(histogram_, tr("Histogram"));
    tabs_->addTab(plot_, tr("Plot"));
    tabs_->addTab(table_, tr("Values"));
    tabs_->addTab(compareTab, tr("Compare"));

    auto* body = new QHBoxLayout;
    body->addWidget(stats_);
    body->addWidget(tabs_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(heading);
    layout->addLayout(top);
    layout->addLayout(body, 1);

    connect(inspector_, &TensorInspector::finished, this, &InspectorPanel::onFinished);
    connect(inspector_, &TensorInspector::started, this, [this] { busy_->show(); });
    connect(inspector_, &TensorInspector::cleared, this, [this](const QString& reason) {
        busy_->hide();
        title_->setFullText(reason);
        stats_->clear();
        histogram_->showMessage(QString());
        plot_->showMessage(reason);
        compare_->setText(compareText());
        difference_->showMessage(QString());
    });
    connect(bins_, &QSpinBox::valueChanged, inspector_, &TensorInspector::setBins);
    connect(log_, &QCheckBox::toggled, this, [this](bool on) {
        histogram_->setLogScale(on);
        difference_->setLogScale(on);
    });
    connect(pin_, &QPushButton::clicked, this, [this](bool checked) {
        if (!checked) {
            inspector_->unpin();
            return;
        }
        QString error;
        if (!inspector_->pin(&error)) {
            QMessageBox::warning(this, tr("Pin to Compare"), error);
            updatePinButton();
        }
    });
    connect(inspector_, &TensorInspector::pinChanged, this, &InspectorPanel::updatePinButton);
    showNothing(tr("Select a parameter, buffer or tensor attribute to inspect it."));
}

QString InspectorPanel::title() const { return title_->fullText(); }

QString InspectorPanel::statsText() const
{
    const Inspection& last = inspector_->last();
    return last.generation == 0 ? QString() : rowsText(statsRows(last.stats));
}

QString InspectorPanel::compareText() const
{
    if (!inspector_->hasPin())
        return tr("Pin a tensor, then select another of the same shape and dtype — or the same "
                  "entry after a forward in train mode, a load_state_dict or an edit — to see "
                  "what changed.");
    const Inspection& last = inspector_->last();
    if (last.generation == 0 || inspector_->tensor().isNone())
        return tr("'%1' is pinned.").arg(inspector_->pinnedName());
    if (!last.compared)
        return last.compareNote;
    QString text = tr("%1 − pinned %2").arg(last.name, inspector_->pinnedName());
    if (!last.difference.ok())
        return text + QLatin1Char('\n') + QString::fromStdString(last.difference.message);
    const int64_t changed = last.difference.numel - last.difference.zeros;
    text += QLatin1Char('\n') + (changed == 0 ? tr("no element changed")
                                              : tr("%1 of %2 elements differ").arg(changed).arg(last.difference.numel));
    return text;
}

void InspectorPanel::inspect(const QString& name, const TensorRef& tensor)
{
    const std::vector<int64_t> shape = tensor.shape();
    if (name != inspector_->name() || shape != inspector_->tensor().shape())
        rebuildSliceControls(shape);
    const std::vector<int64_t> fixed = sliceIndices();
    title_->setFullText(tr("%1 · computing…").arg(name));
    values_->setTensor(tensor, fixed);
    // the heatmap needs no more cells than the plot has pixels
    inspector_->setGridLimit(std::max(64, plot_->height()), std::max(64, plot_->width()));
    inspector_->inspect(name, tensor, fixed);
}

void InspectorPanel::showNothing(const QString& reason)
{
    rebuildSliceControls({});
    values_->clear();
    inspector_->clear(reason);
}

void InspectorPanel::setReadsAllowed(bool allowed)
{
    values_->setReadsAllowed(allowed);
    if (!allowed)
        inspector_->clear(tr("Values are not read while a statement or forward runs."));
}

void InspectorPanel::rebuildSliceControls(const std::vector<int64_t>& shape)
{
    sliceSpins_.clear();  // deleted with the layout's other widgets
    while (QLayoutItem* item = sliceLayout_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (shape.size() <= 2) {
        sliceBox_->hide();
        return;
    }
    sliceLayout_->addWidget(new QLabel(tr("slice [")));
    for (size_t d = 0; d + 2 < shape.size(); ++d) {
        auto* spin = new QSpinBox;
        spin->setRange(0, static_cast<int>(std::min<int64_t>(shape[d] - 1, INT_MAX)));
        spin->setToolTip(tr("index in dimension %1 (size %2)").arg(d).arg(shape[d]));
        connect(spin, &QSpinBox::valueChanged, this, &InspectorPanel::sliceChanged);
        sliceSpins_.push_back(spin);
        sliceLayout_->addWidget(spin);
    }
    sliceLayout_->addWidget(new QLabel(tr(", :, :]")));
    sliceBox_->show();
}

std::vector<int64_t> InspectorPanel::sliceIndices() const
{
    std::vector<int64_t> fixed;
    for (const QSpinBox* spin : sliceSpins_)
        fixed.push_back(spin->value());
    return fixed;
}

void InspectorPanel::sliceChanged()
{
    const std::vector<int64_t> fixed = sliceIndices();
    values_->setTensor(inspector_->tensor(), fixed);
    inspector_->setSlice(fixed);
}

void InspectorPanel::onFinished(const Inspection& inspection)
{
    busy_->hide();
    const TensorStats& s = inspection.stats;
    const QString elapsed = s.elapsedMs < 0.1 ? tr("< 0.1 ms") : tr("%1 ms").arg(s.elapsedMs, 0, 'f', 1);
    title_->setFullText(tr("%1 · %2 · %3 · %4 · %5")
                            .arg(inspection.name, entrytext::shape(s.shape), QString::fromStdString(s.dtype),
                                 QString::fromStdString(s.device), elapsed));
    stats_->setText(rowsHtml(statsRows(s), stats_->palette().color(QPalette::PlaceholderText)));
    stats_->setMinimumWidth(std::max(190, stats_->sizeHint().width()));
    const QString histogramTitle = tr("%1 · %2 bins").arg(inspection.name).arg(s.histogram.counts.size());
    if (s.ok() && !s.histogram.counts.empty())
        histogram_->setHistogram(s.histogram, histogramTitle, s.integral);
    else if (s.ok())
        histogram_->showMessage(tr("no finite values: nothing to count"));
    else
        histogram_->showMessage(QString::fromStdString(s.state == TensorStats::State::Empty
                                                           ? "empty tensor (numel 0)"
                                                           : s.message));
    plot_->showInspection(inspection, inspector_->tensor());

    compare_->setText(QStringLiteral("<p>%1</p>").arg(compareText().toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"))) +
                      (inspection.compared && inspection.difference.ok()
                           ? rowsHtml(statsRows(inspection.difference).mid(3),
                                      compare_->palette().color(QPalette::PlaceholderText))
                           : QString()));
    if (inspection.compared && inspection.difference.ok() && !inspection.difference.histogram.counts.empty())
        difference_->setHistogram(inspection.difference.histogram,
                                  tr("%1 − pinned %2").arg(inspection.name, inspector_->pinnedName()),
                                  inspection.difference.integral);
    else
        difference_->showMessage(inspector_->hasPin() ? inspection.compareNote : QString());
}

void InspectorPanel::updatePinButton()
{
    const bool pinned = inspector_->hasPin();
    pin_->setChecked(pinned);
    pin_->setText(pinned ? tr("Unpin %1").arg(inspector_->pinnedName()) : tr("Pin to Compare"));
}

bool InspectorPanel::plotPainterFor(int tab, PlotPainter* painter, QSize* size) const
{
    switch (tab) {
    case HistogramTab:
        *painter = [this](QPaintDevice* d, QSize s) { return histogram_->paint(d, s); };
        *size = histogram_->size();
        return true;
    case PlotTab:
        *painter = [this](QPaintDevice* d, QSize s) { return plot_->paint(d, s); };
        *size = plot_->size();
        return true;
    case CompareTab:
        *painter = [this](QPaintDevice* d, QSize s) { return difference_->paint(d, s); };
        *size = difference_->size();
        return true;
    default: return false;
    }
}

bool InspectorPanel::exportCurrentPlot(const QString& path, double scale, QString* error, QSize size)
{
    PlotPainter painter;
    QSize shown;
    if (!plotPainterFor(tabs_->currentIndex(), &painter, &shown)) {
        if (error)
            *error = tr("the Values tab has no plot: copy its values as text instead");
        return false;
    }
    if (!size.isValid() || size.isEmpty())
        size = shown.isEmpty() || shown.width() < 100 ? QSize(800, 500) : shown;
    return exportPlot(painter, path, size, scale, title(), error);
}

void InspectorPanel::exportWithDialog(double scale, const QString& format)
{
    const QString filter = format == QLatin1String("png")   ? tr("PNG image (*.png)")
                           : format == QLatin1String("svg") ? tr("SVG image (*.svg)")
                                                            : tr("PDF document (*.pdf)");
    QString base = inspector_->name().isEmpty() ? QStringLiteral("plot") : inspector_->name();
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Plot"),
                                                      base + QLatin1Char('.') + format, filter);
    if (path.isEmpty())
        return;
    QString error;
    if (!exportCurrentPlot(path, scale, &error))
        QMessageBox::critical(this, tr("Export Plot"), error);
}

void InspectorPanel::copyPlot()
{
    PlotPainter painter;
    QSize size;
    if (!plotPainterFor(tabs_->currentIndex(), &painter, &size)) {
        copySelectedValues();
        return;
    }
    copyPlotToClipboard(painter, size, 2.0);
}

void InspectorPanel::copySelectedValues()
{
    QString error;
    const QString text = values_->copyText(table_->selectionModel()->selectedIndexes(), &error);
    if (!error.isEmpty()) {
        QMessageBox::information(this, tr("Copy Values"), error);
        return;
    }
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

}  // namespace mx
