// (being written)
#include <QtTest>

class Tst_appearance : public QObject {
    Q_OBJECT
};

QTEST_MAIN(Tst_appearance)
#include "tst_appearance.moc"
