// models/core/atomicfile: a write either replaces the whole file or leaves the old one, and says why.
#include "core/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include "../filesizelimit.h"

#include <QtTest>

#include <csignal>
#include <string>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace mx;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

void writeOld(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

std::string local(const QString& path) { return QFile::encodeName(path).toStdString(); }


}  // namespace

class AtomicFileTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void newFile_holdsTheBytes_andNoTemporaryIsLeft()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("session.py"));
        std::string error;
        QVERIFY(writeFileAtomically(local(path), "print('hi')\n", &error));
        QVERIFY(error.empty());
        QCOMPARE(readAll(path), QByteArray("print('hi')\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"session.py"});
    }

    void existingFile_isReplaced_andKeepsItsMode()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.txt"));
        writeOld(path, "old old old old\n");
        QCOMPARE(::chmod(QFile::encodeName(path).constData(), 0640), 0);
        std::string error;
        QVERIFY(writeFileAtomically(local(path), "new\n", &error));
        QCOMPARE(readAll(path), QByteArray("new\n"));
        struct stat st;
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(0640));
    }

    void failedWrite_leavesTheOldFileIntact_andSaysWhy()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("session.py"));
        writeOld(path, "the old session\n");
        const std::string big(64 * 1024, 'x');
        std::string error;
        bool ok = true;
        {
            const FileSizeLimit limit(1024);  // the write stops part way, as on a full disk
            ok = writeFileAtomically(local(path), big, &error);
        }
        QVERIFY(!ok);
        QCOMPARE(QString::fromStdString(error),
                 QStringLiteral("cannot write '%1': File too large").arg(path));
        QCOMPARE(readAll(path), QByteArray("the old session\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"session.py"});
    }

    void parentIsARegularFile_isReported()
    {
        QTemporaryDir dir;
        const QString parent = dir.filePath(QStringLiteral("plain"));
        writeOld(parent, "x");
        const QString path = parent + QStringLiteral("/out.py");
        std::string error;
        QVERIFY(!writeFileAtomically(local(path), "x", &error));
        QCOMPARE(QString::fromStdString(error), QStringLiteral("cannot write '%1': Not a directory").arg(path));
    }

    void missingDirectory_isReported()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("no/such/dir/out.py"));
        std::string error;
        QVERIFY(!writeFileAtomically(local(path), "x", &error));
        QCOMPARE(QString::fromStdString(error),
                 QStringLiteral("cannot write '%1': No such file or directory").arg(path));
    }

    void directory_isRefused_andStaysADirectory()
    {
        QTemporaryDir dir;
        std::string error;
        QVERIFY(!writeFileAtomically(local(dir.path()), "x", &error));
        QCOMPARE(QString::fromStdString(error), QStringLiteral("cannot write '%1': Is a directory").arg(dir.path()));
        QVERIFY(QFileInfo(dir.path()).isDir());
    }

    void emptyPath_isRefused()
    {
        std::string error;
        QVERIFY(!writeFileAtomically("", "x", &error));
        QCOMPARE(QString::fromStdString(error), QStringLiteral("cannot write '': No such file or directory"));
    }

    void devFull_reportsNoSpace_andStaysADevice()
    {
        std::string error;
        QVERIFY(!writeFileAtomically("/dev/full", "x", &error));
        QCOMPARE(QString::fromStdString(error), QStringLiteral("cannot write '/dev/full': No space left on device"));
        struct stat st;
        QCOMPARE(::stat("/dev/full", &st), 0);
        QVERIFY(S_ISCHR(st.st_mode));
    }

    void devNull_isWrittenInPlace()
    {
        std::string error;
        QVERIFY2(writeFileAtomically("/dev/null", "x", &error), error.c_str());
        struct stat st;
        QCOMPARE(::stat("/dev/null", &st), 0);
        QVERIFY(S_ISCHR(st.st_mode));
    }

    void fifoWithoutReader_isRefusedInsteadOfWaitedFor()
    {
        QTemporaryDir dir;
        const QString fifo = dir.filePath(QStringLiteral("pipe"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        std::string error;
        QVERIFY(!writeFileAtomically(local(fifo), "x", &error));
        QCOMPARE(QString::fromStdString(error), QStringLiteral("cannot write '%1': No such device or address").arg(fifo));
    }

    void symbolicLink_replacesItsTarget_andStaysALink()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("real.py"));
        const QString link = dir.filePath(QStringLiteral("link.py"));
        writeOld(target, "old");
        QVERIFY(QFile::link(target, link));
        std::string error;
        QVERIFY(writeFileAtomically(local(link), "new", &error));
        QVERIFY(QFileInfo(link).isSymLink());
        QCOMPARE(readAll(target), QByteArray("new"));
    }
};

QTEST_GUILESS_MAIN(AtomicFileTest)
#include "tst_atomicfile.moc"
