// MainWindow's Help menu and the window's remembered geometry and dock layout.
#include "app/mainwindow.h"

#include <QMenu>
#include <QMessageBox>

namespace mx {

void MainWindow::buildHelpMenu(QMenu* help)
{
    help->addAction(tr("&About Module Explorer"), this, [this] {
        QMessageBox::about(this, tr("About Module Explorer"),
                           tr("<b>Module Explorer</b><br>See how parameters, buffers and plain "
                              "attributes make up a PyTorch module's <code>state_dict()</code>."));
    });
}

void MainWindow::restoreWindowSettings() {}
void MainWindow::saveWindowSettings() {}

}  // namespace mx
