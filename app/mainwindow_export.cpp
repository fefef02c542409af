// MainWindow's File → Export View… and Edit → Copy as Image.
#include "app/mainwindow.h"

#include <QMenu>

namespace mx {

void MainWindow::buildExportActions(QMenu*, QMenu*) {}

}  // namespace mx
