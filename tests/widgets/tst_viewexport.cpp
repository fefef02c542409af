// (being written)
#include <QtTest>

class Tst_viewexport : public QObject {
    Q_OBJECT
};

QTEST_MAIN(Tst_viewexport)
#include "tst_viewexport.moc"
