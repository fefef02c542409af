// MainWindow's View menu: zoom, presentation mode, theme — one factor for every font, row,
// badge, chart text and dock of the window.
#include "app/mainwindow.h"

#include "app/appearance.h"
#include "app/settingskeys.h"
#include "widgets/listingpanel.h"
#include "widgets/moduletreeview.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QResizeEvent>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace mx {

namespace {
// The bottom docks (console, forward, ...) take at most this share of the window's height, so
// the tree and the listing keep most of it at every zoom (the user may drag the splitter).
constexpr double kBottomDockShare = 0.3;
constexpr double kBottomDockShareZoomedFar = 0.25;  // above 2×: the tree needs every row
}  // namespace

void MainWindow::buildViewMenu(QMenu* view)
{
    // A dock shorter than its content scrolls instead of taking rows from the tree: each bottom
    // dock's panel sits in a scroll area whose own minimum is small.
    for (QDockWidget* dock : findChildren<QDockWidget*>()) {
        QWidget* panel = dock->widget();
        if (!panel || qobject_cast<QScrollArea*>(panel))
            continue;
        auto* scroll = new QScrollArea;
        scroll->setObjectName(dock->objectName() + QStringLiteral("Scroll"));
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidgetResizable(true);
        dock->setWidget(scroll);
        scroll->setWidget(panel);
        panel->show();
    }

    QAction* zoomIn = view->addAction(tr("Zoom &In"), this, [this] { setZoomSteps(zoomSteps_ + 1); });
    zoomIn->setObjectName(QStringLiteral("zoomIn"));
    zoomIn->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus)});
    QAction* zoomOut = view->addAction(tr("Zoom &Out"), this, [this] { setZoomSteps(zoomSteps_ - 1); });
    zoomOut->setObjectName(QStringLiteral("zoomOut"));
    zoomOut->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus));
    QAction* zoomReset = view->addAction(tr("&Actual Size"), this, [this] { setZoomSteps(0); });
    zoomReset->setObjectName(QStringLiteral("zoomReset"));
    zoomReset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    for (QAction* a : {zoomIn, zoomOut, zoomReset})
        a->setShortcutContext(Qt::ApplicationShortcut);  // from docks and floating docks too

    presentationAction_ = view->addAction(tr("&Presentation"));
    presentationAction_->setObjectName(QStringLiteral("presentation"));
    presentationAction_->setCheckable(true);
    presentationAction_->setShortcut(QKeySequence(Qt::Key_F11));
    presentationAction_->setShortcutContext(Qt::ApplicationShortcut);
    presentationAction_->setStatusTip(tr("Large text and rows, high contrast, no toolbars or status bar"));
    connect(presentationAction_, &QAction::toggled, this, &MainWindow::setPresentation);
    // Keep the shortcuts alive while the menu bar's toolbars are hidden.
    addAction(presentationAction_);
    for (QAction* a : {zoomIn, zoomOut, zoomReset})
        addAction(a);

    QMenu* themes = view->addMenu(tr("&Theme"));
    themes->setObjectName(QStringLiteral("themeMenu"));
    auto* group = new QActionGroup(this);
    const std::pair<Theme, QString> choices[] = {{Theme::System, tr("&System")},
                                                 {Theme::Light, tr("&Light")},
                                                 {Theme::Dark, tr("&Dark")}};
    for (const auto& [theme, label] : choices) {
        QAction* a = themes->addAction(label);
        a->setObjectName(QStringLiteral("theme-") + themeName(theme));
        a->setCheckable(true);
        a->setChecked(theme == currentTheme());
        group->addAction(a);
        const Theme t = theme;
        connect(a, &QAction::triggered, this, [this, t] {
            applyTheme(t);
            storeTheme(t);
            if (presentation_)  // the high-contrast palette of the new theme
                setPalette(highContrastPalette(themePalette(t)));
        });
    }

    QSettings settings;
    zoomSteps_ = std::clamp(settings.value(QLatin1String(settingskeys::kZoom), 0).toInt(), kMinZoomStep,
                            kMaxZoomStep);
    // At start-up the docks keep the sizes the remembered layout gives them (a resize only
    // takes back what is over their share).
    applyZoom(false);
    if (settings.value(QLatin1String(settingskeys::kPresentation), false).toBool()) {
        restoringPresentation_ = true;
        presentationAction_->setChecked(true);  // setPresentation(true)
        restoringPresentation_ = false;
    }
    // Menus and toolbars made after this one take the zoom too.
    QTimer::singleShot(0, this, [this] {
        applyZoom(false);
        fitBottomDocks(false);  // laid out now: only what is over the docks' share is taken back
    });
}

double MainWindow::zoomScale() const
{
    return zoomFactor(zoomSteps_) * (presentation_ ? kPresentationScale : 1.0);
}

void MainWindow::setZoomSteps(int steps)
{
    steps = std::clamp(steps, kMinZoomStep, kMaxZoomStep);
    if (steps == zoomSteps_)
        return;
    zoomSteps_ = steps;
    QSettings().setValue(QLatin1String(settingskeys::kZoom), zoomSteps_);
    applyZoom(true);
}

void MainWindow::setPresentation(bool on)
{
    if (on == presentation_)
        return;
    presentation_ = on;
    if (presentationAction_ && presentationAction_->isChecked() != on)
        presentationAction_->setChecked(on);
    QSettings().setValue(QLatin1String(settingskeys::kPresentation), on);
    if (on) {
        hiddenForPresentation_.clear();
        for (QToolBar* bar : findChildren<QToolBar*>())
            if (!bar->isHidden())
                hiddenForPresentation_ << bar;
        if (!statusBar()->isHidden())
            hiddenForPresentation_ << statusBar();
        for (QWidget* w : std::as_const(hiddenForPresentation_))
            w->hide();
        setPalette(highContrastPalette(themePalette(currentTheme())));
    } else {
        for (QWidget* w : std::as_const(hiddenForPresentation_))
            w->show();
        hiddenForPresentation_.clear();
        setPalette(QPalette());  // the application's theme again
    }
    applyZoom(!restoringPresentation_);
}

void MainWindow::applyZoom(bool resizeDocks)
{
    const double scale = zoomScale();
    // Only the size is set: families chosen by a widget (the console's fixed-width font) stay.
    QFont zoomed;
    if (scale != 1.0)
        zoomed.setPointSizeF(QApplication::font().pointSizeF() * scale);
    // Menus, floating docks and the completer's popup are windows: let the font reach them.
    for (QWidget* w : findChildren<QWidget*>())
        if (w->isWindow())
            w->setAttribute(Qt::WA_WindowPropagation);
    setFont(zoomed);
    QFont tip = QApplication::font();
    tip.setPointSizeF(tip.pointSizeF() * scale);
    QToolTip::setFont(tip);
    treeView_->fitColumns();
    if (resizeDocks)
        fitBottomDocks(true);
}

void MainWindow::fitBottomDocks(bool zoomed)
{
    QList<QDockWidget*> docks;
    for (QDockWidget* d : findChildren<QDockWidget*>())
        if (!d->isFloating() && d->isVisible() && dockWidgetArea(d) == Qt::BottomDockWidgetArea)
            docks << d;
    if (docks.isEmpty() || height() <= 0)
        return;
    // The docks' preferred height grows with the zoom, up to their share of the window; a
    // resize only takes back what is over the share (a height the user dragged stays).
    const int share = int(height() * (zoomScale() > 2 ? kBottomDockShareZoomedFar : kBottomDockShare));
    int wanted = std::min(share, int(230 * zoomScale()));
    if (!zoomed) {
        const int tallest = std::max_element(docks.begin(), docks.end(), [](auto* a, auto* b) {
                                return a->height() < b->height();
                            })[0]->height();
        if (tallest <= share)
            return;
        wanted = share;
    }
    QList<int> sizes;
    for (int i = 0; i < docks.size(); ++i)
        sizes << wanted;
    resizeDocks(docks, sizes, Qt::Vertical);
}

void MainWindow::resizeEvent(QResizeEvent* event)
{
    QMainWindow::resizeEvent(event);
    if (event->size().height() != event->oldSize().height())
        fitBottomDocks(false);
}

}  // namespace mx
