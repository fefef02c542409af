// MainWindow's filter box over the tree and the listings (Edit → Find).
#include "app/mainwindow.h"

#include <QMenu>

namespace mx {

void MainWindow::buildFilter(QMenu*) {}

}  // namespace mx
