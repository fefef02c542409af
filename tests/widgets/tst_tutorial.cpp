// (being written)
#include <QtTest>

class Tst_tutorial : public QObject {
    Q_OBJECT
};

QTEST_MAIN(Tst_tutorial)
#include "tst_tutorial.moc"
