// Saving from the window: session export and chart exports replace the file whole or keep the old
// one and say why. A failing write is forced as root can: a file-size limit (EFBIG mid-write, as
// a full disk gives ENOSPC), /dev/full, a directory in the way.
#include "app/document.h"
#include "app/mainwindow.h"
#include "widgets/atomicsave.h"
#include "widgets/latencychart.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include "../filesizelimit.h"

#include <QtTest>

#include <csignal>

#include <sys/resource.h>

using namespace mx;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

bool writeOld(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}


}  // namespace

class AtomicSaveTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exportSession_failingWrite_keepsTheOldFile_andSaysWhy()
    {
        Document document;
        QVERIFY(document.openExample(QStringLiteral("buffer-demo")));
        MainWindow window(&document);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("session.py"));
        QVERIFY(writeOld(path, "# the old session\n"));
        QString error;
        bool ok = true;
        {
            const FileSizeLimit limit(16);  // the script is far longer: the write fails part way
            ok = window.exportSessionTo(path, &error);
        }
        QVERIFY(!ok);
        QCOMPARE(error, QStringLiteral("cannot write '%1': File too large").arg(path));
        QCOMPARE(readAll(path), QByteArray("# the old session\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"session.py"});

        // Without the limit the same call replaces the file with the whole script.
        QVERIFY(window.exportSessionTo(path, &error));
        QCOMPARE(QString::fromUtf8(readAll(path)), document.exportPython());
    }

    void exportSession_toDevFull_saysNoSpace()
    {
        Document document;
        QVERIFY(document.openExample(QStringLiteral("buffer-demo")));
        MainWindow window(&document);
        QString error;
        QVERIFY(!window.exportSessionTo(QStringLiteral("/dev/full"), &error));
        QCOMPARE(error, QStringLiteral("cannot write '/dev/full': No space left on device"));
    }

    void chartExports_arePngSvgPdf_andAFailedOneKeepsTheOldFile_data()
    {
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<QByteArray>("magic");
        QTest::newRow("png") << QStringLiteral("png") << QByteArray("\x89PNG");
        QTest::newRow("svg") << QStringLiteral("svg") << QByteArray("<?xml");
        QTest::newRow("pdf") << QStringLiteral("pdf") << QByteArray("%PDF");
    }

    void chartExports_arePngSvgPdf_andAFailedOneKeepsTheOldFile()
    {
        QFETCH(QString, suffix);
        QFETCH(QByteArray, magic);
        LatencyChart chart;
        chart.resize(640, 400);
        for (int batch : {1, 2, 4, 8})
            chart.addPoint(QStringLiteral("cpu"), batch, 1.5 * batch);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("latency.") + suffix);
        QString error;
        QVERIFY2(chart.exportTo(path, &error), qPrintable(error));
        const QByteArray good = readAll(path);
        QVERIFY(good.startsWith(magic));
        QVERIFY(good.size() > 500);
        if (suffix == QLatin1String("png"))
            QCOMPARE(QImage(path).size(), QSize(800, 500));
        if (const QByteArray shots = qgetenv("MX_SCREENSHOT_DIR"); !shots.isEmpty())
            QVERIFY(chart.exportTo(QString::fromLocal8Bit(shots) + QStringLiteral("/latency.") + suffix));

        bool ok = true;
        {
            const FileSizeLimit limit(100);
            ok = chart.exportTo(path, &error);
        }
        QVERIFY(!ok);
        QCOMPARE(error, QStringLiteral("cannot write '%1': File too large").arg(path));
        QCOMPARE(readAll(path), good);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QFileInfo(path).fileName()});
    }

    void chartExport_unknownSuffix_isRefusedWithTheFormats()
    {
        LatencyChart chart;
        QString error;
        QVERIFY(!chart.exportTo(QStringLiteral("/tmp/latency.bmpx"), &error));
        QCOMPARE(error, QStringLiteral("cannot write '/tmp/latency.bmpx': unknown format (expected .png, .svg or .pdf)"));
    }

    void saveImage_directoryInTheWay_isRefused_andStaysADirectory()
    {
        QTemporaryDir dir;
        QImage image(4, 4, QImage::Format_RGB32);
        image.fill(Qt::red);
        QString error;
        QVERIFY(!saveImageAtomically(dir.path(), image, "PNG", &error));
        QCOMPARE(error, QStringLiteral("cannot write '%1': Is a directory").arg(dir.path()));
        QVERIFY(QFileInfo(dir.path()).isDir());
    }

    void saveAtomically_renderFailure_writesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.png"));
        QVERIFY(writeOld(path, "old"));
        QString error;
        QVERIFY(!saveImageAtomically(path, QImage(), "PNG", &error));
        QCOMPARE(error, QStringLiteral("cannot write '%1': could not encode the image as PNG").arg(path));
        QCOMPARE(readAll(path), QByteArray("old"));
    }
};

QTEST_MAIN(AtomicSaveTest)
#include "tst_atomicsave.moc"
