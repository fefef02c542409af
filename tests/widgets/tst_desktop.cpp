// (being written)
#include <QtTest>

class Tst_desktop : public QObject {
    Q_OBJECT
};

QTEST_MAIN(Tst_desktop)
#include "tst_desktop.moc"
