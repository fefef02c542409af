// MainWindow's View → Language, and retranslating the open window when the language changes.
#include "app/mainwindow.h"

#include <QEvent>
#include <QMenu>

namespace mx {

void MainWindow::buildLanguageMenu(QMenu*) {}

void MainWindow::retranslate() {}

void MainWindow::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

}  // namespace mx
