// (being written)
#include <QtTest>

class Tst_cliexport : public QObject {
    Q_OBJECT
};

QTEST_MAIN(Tst_cliexport)
#include "tst_cliexport.moc"
