// MainWindow's File → Export View… and Edit → Copy as Image: the tree, the listings, the
// before/after listing, the console transcript, the charts or the whole window to PNG/SVG/PDF.
#include "app/mainwindow.h"

#include "app/appearance.h"
#include "app/consolecontroller.h"
#include "core/listings.h"
#include "items/listingmodel.h"
#include "widgets/consoleinput.h"
#include "widgets/consolewidget.h"
#include "widgets/exportviewdialog.h"
#include "widgets/forwardpanel.h"
#include "widgets/graphpanel.h"
#include "widgets/graphview.h"
#include "widgets/inspectorpanel.h"
#include "widgets/listingpanel.h"
#include "widgets/moduletreeview.h"
#include "widgets/plotexport.h"
#include "widgets/viewexport.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QMenu>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTableView>

namespace mx {

namespace {

const char* const kListingViews[] = {"state_dict", "named_parameters", "named_buffers",
                                     "parameters", "buffers", "named_modules"};

int listingTab(const QString& view)
{
    for (int i = 0; i < 6; ++i)
        if (view == QLatin1String(kListingViews[i]))
            return i;
    return -1;
}

bool inside(const QWidget* widget, const QWidget* container)
{
    return widget && container && (widget == container || container->isAncestorOf(widget));
}

// The console's transcript (the QPlainTextEdit that is not the input line).
QPlainTextEdit* transcriptOf(ConsoleWidget* console)
{
    for (QPlainTextEdit* edit : console->findChildren<QPlainTextEdit*>())
        if (!qobject_cast<ConsoleInput*>(edit))
            return edit;
    return nullptr;
}

// Shows a listing model's rows as they are now while it is exported, then restores its state.
class ActiveListing {
public:
    explicit ActiveListing(ListingModel* model) : model_(model) { model_->setActive(true); }
    ~ActiveListing() { model_->setActive(wasCurrent_); }
    void setWasCurrent(bool current) { wasCurrent_ = current; }

private:
    ListingModel* model_;
    bool wasCurrent_ = false;
};

}  // namespace

void MainWindow::buildExportActions(QMenu* file, QMenu* edit)
{
    exportViewAction_ = new QAction(this);
    exportViewAction_->setObjectName(QStringLiteral("exportViewAction"));
    connect(exportViewAction_, &QAction::triggered, this, [this] { exportViewWithDialog(); });
    file->insertAction(exportAction_, exportViewAction_);
    copyImageAction_ = edit->addAction(QString(), this, [this] { copyViewAsImage(); });
    copyImageAction_->setObjectName(QStringLiteral("copyAsImageAction"));
    copyImageAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    retranslateExportActions();
}

void MainWindow::retranslateExportActions()
{
    exportViewAction_->setText(tr("Export &View…"));
    exportViewAction_->setToolTip(tr("Save the tree, a listing, the console, a chart or the window "
                                     "as PNG, SVG or PDF"));
    copyImageAction_->setText(tr("Copy as &Image"));
}

QStringList MainWindow::exportableViews() const
{
    QStringList views{QStringLiteral("tree")};
    for (const char* listing : kListingViews)
        views << QLatin1String(listing);
    views << QStringLiteral("diff") << QStringLiteral("console") << QStringLiteral("latency");
    if (findCustomPlot(inspectorPanel_ ? inspectorPanel_->tabs()->currentWidget() : nullptr))
        views << QStringLiteral("plot");
    if (graphPanel_ && graphPanel_->scene()->boxCount() > 0)
        views << QStringLiteral("graph");
    views << QStringLiteral("window");
    return views;
}

QString MainWindow::exportViewLabel(const QString& view) const
{
    if (view == QLatin1String("tree"))
        return tr("Module tree");
    if (listingTab(view) >= 0)
        return tr("Listing: %1()").arg(view);
    if (view == QLatin1String("diff"))
        return tr("state_dict() before and after the last change");
    if (view == QLatin1String("console"))
        return tr("Console transcript");
    if (view == QLatin1String("latency"))
        return tr("Forward latency chart");
    if (view == QLatin1String("plot"))
        return tr("Inspector plot");
    if (view == QLatin1String("graph"))
        return tr("Dataflow graph");
    if (view == QLatin1String("window"))
        return tr("Whole window");
    return view;
}

QString MainWindow::focusedViewName() const
{
    const QWidget* focus = focusWidget();  // also while another window is active
    if (inside(focus, listingPanel_)) {
        const int tab = listingPanel_->currentListing();
        return tab >= 0 && tab < 6 ? QLatin1String(kListingViews[tab]) : QStringLiteral("state_dict");
    }
    if (inside(focus, console_))
        return QStringLiteral("console");
    if (inside(focus, forwardPanel_))
        return QStringLiteral("latency");
    if (inside(focus, inspectorPanel_) && exportableViews().contains(QStringLiteral("plot")))
        return QStringLiteral("plot");
    return QStringLiteral("tree");
}

void MainWindow::runInConsole(const QString& source)
{
    consoleController_->run(source);
}

PreparedView MainWindow::prepareView(const QString& view, const ViewExportOptions& options, QString* error)
{
    auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return PreparedView();
    };
    if (view == QLatin1String("tree"))
        return prepareTreeExport(treeView_, options);
    if (const int tab = listingTab(view); tab >= 0) {
        ActiveListing active(listingModels_[tab]);
        active.setWasCurrent(listingPanel_->currentListing() == tab);
        return freezeView(prepareTableExport(listingPanel_->view(tab), options));
    }
    if (view == QLatin1String("diff")) {
        ListingModel* model = listingModels_[0];
        ActiveListing active(model);
        active.setWasCurrent(listingPanel_->currentListing() == 0);
        ViewExportOptions part = options;  // each side gets half the size asked
        part.size = sideBySidePartSize(options.size);
        const bool before = model->showsBefore();
        model->setShowBefore(true);
        const PreparedView old = freezeView(prepareTableExport(listingPanel_->view(0), part));
        model->setShowBefore(false);
        const PreparedView now = freezeView(prepareTableExport(listingPanel_->view(0), part));
        model->setShowBefore(before);
        return prepareSideBySide(tr("state_dict() before the last change"), old,
                                 tr("state_dict() now"), now, options);
    }
    if (view == QLatin1String("console")) {
        QPlainTextEdit* transcript = transcriptOf(console_);
        if (!transcript)
            return fail(tr("cannot export the view: the console has no transcript"));
        return prepareTextExport(transcript, options);
    }
    if (view == QLatin1String("latency"))
        return preparePlotExport(findCustomPlot(forwardPanel_), options);
    if (view == QLatin1String("plot")) {
        QCustomPlot* plot = findCustomPlot(inspectorPanel_ ? inspectorPanel_->tabs()->currentWidget() : nullptr);
        if (!plot)
            return fail(tr("cannot export the view: the Inspector shows no plot (select a tensor and "
                           "its Histogram or Plot tab)"));
        return preparePlotExport(plot, options);
    }
    if (view == QLatin1String("graph") && graphPanel_ && graphPanel_->scene()->boxCount() > 0) {
        GraphScene* scene = graphPanel_->scene();
        PreparedView graph;
        graph.size = options.size.width() > 0 && options.size.height() > 0 ? options.size : scene->naturalSize();
        graph.plot = [scene](QPaintDevice* device, QSize size) { return scene->paintTo(device, size); };
        return graph;
    }
    if (view == QLatin1String("window"))
        return prepareWidgetExport(this, options);
    return fail(tr("cannot export the view '%1': expected one of %2")
                    .arg(view, exportableViews().join(QStringLiteral(", "))));
}

bool MainWindow::exportViewTo(const QString& view, const QString& path, const ViewExportOptions& options,
                              QString* error)
{
    const PreparedView prepared = prepareView(view, options, error);
    if (!prepared.size.isValid() && !prepared.isValid())
        return false;
    return exportPreparedView(prepared, path, options, error);
}

QImage MainWindow::exportViewImage(const QString& view, const ViewExportOptions& options, QString* error)
{
    const PreparedView prepared = prepareView(view, options, error);
    if (!prepared.size.isValid() && !prepared.isValid())
        return {};
    return renderViewImage(prepared, options.scale, error);
}

void MainWindow::exportViewWithDialog()
{
    const QStringList views = exportableViews();
    QStringList labels;
    for (const QString& v : views)
        labels << exportViewLabel(v);
    ExportViewDialog dialog(views, labels, this);
    dialog.setView(focusedViewName());
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString format = dialog.format();
    const QString filter = format == QLatin1String("png")   ? tr("PNG images (*.png)")
                           : format == QLatin1String("svg") ? tr("SVG images (*.svg)")
                                                            : tr("PDF documents (*.pdf)");
    QString path = QFileDialog::getSaveFileName(this, tr("Export View"),
                                                dialog.view() + QLatin1Char('.') + format, filter);
    if (path.isEmpty())
        return;
    if (plotFormatOf(path) != format)
        path += QLatin1Char('.') + format;
    ViewExportOptions options;
    options.size = dialog.size();
    options.scale = dialog.scale();
    options.usePalette = dialog.printTheme();
    if (options.usePalette)
        options.palette = themePalette(Theme::Light);
    options.showSelection = dialog.showSelection();
    options.showScrollBars = dialog.showScrollBars();
    options.whole = dialog.whole();
    options.title = exportViewLabel(dialog.view());
    QString error;
    if (!exportViewTo(dialog.view(), path, options, &error))
        reportError(tr("Export View"), error);
}

void MainWindow::copyViewAsImage()
{
    ViewExportOptions options;  // what the screen shows, at the screen's pixel density
    options.whole = false;
    options.showScrollBars = true;
    options.scale = devicePixelRatioF();
    QString error;
    const QImage image = exportViewImage(focusedViewName(), options, &error);
    if (image.isNull()) {
        reportError(tr("Copy as Image"), error);
        return;
    }
    QApplication::clipboard()->setImage(image);
}

}  // namespace mx
