// (being written)
#include <QtTest>

class Tst_filter : public QObject {
    Q_OBJECT
};

QTEST_MAIN(Tst_filter)
#include "tst_filter.moc"
