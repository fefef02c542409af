// MainWindow's Help menu and the window's remembered geometry and dock layout.
#include "app/mainwindow.h"

#include "app/aboutdialog.h"
#include "app/settingskeys.h"

#include <QAction>
#include <QGuiApplication>
#include <QMenu>
#include <QScreen>
#include <QSettings>
#include <QToolBar>

namespace mx {

void MainWindow::buildHelpMenu(QMenu* help)
{
    QAction* about = help->addAction(tr("&About Module Explorer"), this, [this] {
        auto* dialog = new AboutDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();  // window-modal without a nested event loop
    });
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::addResetLayoutAction(QMenu* view)
{
    QAction* reset = view->addAction(tr("&Reset Layout"), this, [this] {
        restoreState(defaultLayout_, kLayoutVersion);
        // Every toolbar shows by default (the default was taken after a remembered presentation
        // mode may have hidden them); presentation mode keeps them hidden until it ends.
        for (QToolBar* bar : findChildren<QToolBar*>(QString(), Qt::FindDirectChildrenOnly))
            bar->setVisible(!isPresentation());
    });
    reset->setObjectName(QStringLiteral("resetLayoutAction"));
}

void MainWindow::restoreWindowSettings()
{
    defaultLayout_ = saveState(kLayoutVersion);
    const QSettings settings;
    // A value that is not a saved geometry or layout (garbled, or from an older version) is
    // refused by Qt, which then changes nothing: the default size and docks stay.
    const QByteArray geometry = settings.value(QLatin1String(settingskeys::kGeometry)).toByteArray();
    if (geometry.isEmpty() || !restoreGeometry(geometry))
        fitDefaultSizeToScreen();
    const QByteArray state = settings.value(QLatin1String(settingskeys::kWindowState)).toByteArray();
    if (!state.isEmpty())
        restoreState(state, kLayoutVersion);
}

void MainWindow::fitDefaultSizeToScreen()
{
    // The default 1500×1000 is larger than a 1280×720 projector: the window would reach past the
    // screen, hiding the docks and the listing's right edge. There it opens maximized instead.
    // The offscreen platform's pretend screen (800×600) says nothing: --screenshot and the
    // exports keep the sizes they ask for.
    const QScreen* screen = QGuiApplication::primaryScreen();
    if (!screen || QGuiApplication::platformName() == QLatin1String("offscreen"))
        return;
    const QSize available = screen->availableGeometry().size();
    if (size().width() <= available.width() && size().height() <= available.height())
        return;
    resize(size().boundedTo(available));
    setWindowState(windowState() | Qt::WindowMaximized);
}

void MainWindow::saveWindowSettings()
{
    QSettings settings;
    settings.setValue(QLatin1String(settingskeys::kGeometry), saveGeometry());
    settings.setValue(QLatin1String(settingskeys::kWindowState), saveState(kLayoutVersion));
}

}  // namespace mx
