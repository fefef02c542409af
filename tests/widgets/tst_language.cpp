// (being written)
#include <QtTest>

class Tst_language : public QObject {
    Q_OBJECT
};

QTEST_MAIN(Tst_language)
#include "tst_language.moc"
