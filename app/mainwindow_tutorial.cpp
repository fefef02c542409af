// MainWindow's File → Tutorial…: the tutorial's experiments one statement at a time.
#include "app/mainwindow.h"

#include <QMenu>

namespace mx {

void MainWindow::buildTutorialAction(QMenu*) {}

}  // namespace mx
