// MainWindow's View menu: zoom, presentation mode, theme.
#include "app/mainwindow.h"

#include "widgets/listingpanel.h"
#include "widgets/moduletreeview.h"

#include <QAction>
#include <QMenu>
#include <QTableView>

namespace mx {

void MainWindow::buildViewMenu(QMenu* view)
{
    auto zoomBy = [this](int steps) {
        // Classroom projectors: scale every view's font; 0 restores the desktop size.
        QFont f = font();
        const int size = steps == 0 ? basePointSize_ : qBound(6, f.pointSize() + 2 * steps, 48);
        f.setPointSize(size);
        setFont(f);
        treeView_->expandTopLevels();
        for (int tab = 0; tab < listingPanel_->listingCount(); ++tab)
            listingPanel_->view(tab)->resizeColumnsToContents();
    };
    QAction* zoomIn = view->addAction(tr("Zoom &In"), this, [zoomBy] { zoomBy(1); });
    zoomIn->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
    QAction* zoomOut = view->addAction(tr("Zoom &Out"), this, [zoomBy] { zoomBy(-1); });
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    QAction* zoomReset = view->addAction(tr("&Actual Size"), this, [zoomBy] { zoomBy(0); });
    zoomReset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
}

}  // namespace mx
