// Hostile command lines: empty, repeated and misplaced values, scripts that are not small UTF-8
// files, writes that fail, and no display. Each ends at once with one line and status 2 (usage)
// or 1 (a write failed), never a crash, a hang or a truncated file.
#include "apprun.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

namespace {

const QString kBinary = QStringLiteral(MX_BINARY_DIR "/bin/module-explorer");

/** As on a server: no DISPLAY, no WAYLAND_DISPLAY, no QT_QPA_PLATFORM. */
QProcessEnvironment noDisplayEnvironment()
{
    QProcessEnvironment env = batchEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    return env;
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

}  // namespace

class CliRefusalsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyValue_isAUsageError_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("option");
        const QStringList forward{"--forward", "1x1x28x28"};
        for (const char* option : {"--example", "--print", "--exec", "--script", "--export-python",
                                   "--forward", "--screenshot"})
            QTest::newRow(option) << QStringList{QString::fromLatin1(option), QString()}
                                  << QString::fromLatin1(option);
        for (const char* option : {"--device", "--mode", "--repeat"})
            QTest::newRow(option) << forward + QStringList{QString::fromLatin1(option), QString()}
                                  << QString::fromLatin1(option);
    }

    void emptyValue_isAUsageError()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, option);
        const Run r = runApp(args);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err, QStringLiteral("module-explorer: option '%1' needs a non-empty value\n").arg(option));
        QVERIFY(r.out.isEmpty());
    }

    void badCommandLine_isAUsageError_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("repeated example")
            << QStringList{"--example", "buffer-demo", "--example", "state-dict-demo", "--print", "tree"}
            << QStringLiteral("option '--example' given more than once");
        QTest::newRow("repeated export")
            << QStringList{"--export-python", "a.py", "--export-python", "b.py"}
            << QStringLiteral("option '--export-python' given more than once");
        QTest::newRow("repeated forward") << QStringList{"--forward", "1x1x28x28", "--forward", "2x1x28x28"}
                                          << QStringLiteral("option '--forward' given more than once");
        QTest::newRow("option as value") << QStringList{"--export-python", "--print", "state_dict"}
                                         << QStringLiteral("option '--export-python' needs a value, not the option '--print'");
        QTest::newRow("two files") << QStringList{"a.pt", "b.pt", "--print", "state_dict"}
                                   << QStringLiteral("unexpected argument 'b.pt': only one FILE opens (see --help)");
        QTest::newRow("file and example")
            << QStringList{"a.pt", "--example", "buffer-demo", "--print", "state_dict"}
            << QStringLiteral("FILE and --example both name the model to open; give one of them");
        QTest::newRow("no-strict without load") << QStringList{"--no-strict", "--print", "tree"}
                                                << QStringLiteral("option '--no-strict' needs --load-state-dict FILE");
        QTest::newRow("repeat without forward") << QStringList{"--repeat", "3", "--print", "tree"}
                                                << QStringLiteral("option '--repeat' needs --forward SHAPE");
        QTest::newRow("mode without forward") << QStringList{"--mode", "train"}
                                              << QStringLiteral("option '--mode' needs --forward SHAPE or --train STEPS");
        QTest::newRow("screenshot and print")
            << QStringList{"--screenshot", "x.png", "--print", "tree"}
            << QStringLiteral("--screenshot opens the window; it cannot be combined with --print");
        QTest::newRow("missing script") << QStringList{"--script", "/nonexistent/lines.py"}
                                        << QStringLiteral("cannot read script '/nonexistent/lines.py': No such file or directory");
        QTest::newRow("directory script") << QStringList{"--script", "/tmp"}
                                          << QStringLiteral("cannot read script '/tmp': Is a directory");
        QTest::newRow("/dev/zero") << QStringList{"--script", "/dev/zero"}
                                   << QStringLiteral("cannot read script '/dev/zero': not a regular file (a character device)");
        QTest::newRow("/dev/urandom") << QStringList{"--script", "/dev/urandom"}
                                      << QStringLiteral("cannot read script '/dev/urandom': not a regular file (a character device)");
    }

    void badCommandLine_isAUsageError()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = runApp(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(QStringLiteral("module-explorer: ") + message), qPrintable(r.err));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
        QVERIFY(r.out.isEmpty());
    }

    void badScriptFile_isRefusedBeforeAnythingRuns_data()
    {
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<QString>("reason");
        QTest::newRow("17 MiB") << QByteArray(17 << 20, '#') << QStringLiteral("larger than the 16 MiB limit for scripts");
        QTest::newRow("latin-1") << QByteArray("print(1)\nname = 'caf\xe9'\n")
                                 << QStringLiteral("not UTF-8 text (byte 0xe9 on line 2)");
        QTest::newRow("overlong") << QByteArray("x = '\xc0\xaf'\n") << QStringLiteral("not UTF-8 text (byte 0xc0 on line 1)");
        QTest::newRow("surrogate") << QByteArray("x = '\xed\xa0\x80'\n") << QStringLiteral("not UTF-8 text (byte 0xed on line 1)");
        QTest::newRow("binary") << QByteArray("\x7f" "ELF\x02\x01\x01\x00\x00\x00", 10)
                                << QStringLiteral("source code cannot contain null bytes (line 1)");
    }

    void badScriptFile_isRefusedBeforeAnythingRuns()
    {
        QFETCH(QByteArray, contents);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const QString script = writeFile(dir, QStringLiteral("lines.py"), contents);
        QVERIFY(!script.isEmpty());
        // The --exec before it must not run either: it would print.
        const Run r = runApp({"--exec", "print('ran')", "--script", script});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err, QStringLiteral("module-explorer: cannot read script '%1': %2\n").arg(script, reason));
        QVERIFY(r.out.isEmpty());
    }

    void repeatedScripts_overTheLimitTogether_areRefused()
    {
        QTemporaryDir dir;
        const QString script = writeFile(dir, QStringLiteral("lines.py"), QByteArray(9 << 20, '#'));
        const Run r = runApp({"--script", script, "--script", script});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err, QStringLiteral("module-explorer: cannot read script '%1': the scripts together are "
                                       "larger than the 16 MiB limit\n").arg(script));
    }

    void fifoScript_isRefusedWithoutWaitingForAWriter()
    {
        QTemporaryDir dir;
        const QString fifo = dir.filePath(QStringLiteral("lines.py"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const Run r = runApp({"--script", fifo});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err, QStringLiteral("module-explorer: cannot read script '%1': not a regular file (a FIFO)\n").arg(fifo));
    }

    void execNotUtf8_isAUsageError()
    {
        // QProcess passes arguments as UTF-8, so let the shell hand over the raw byte 0xff.
        const Run r = runProcess(QStringLiteral("/bin/sh"),
                                 {"-c", "exec \"$0\" --exec \"$(printf 'x = \\377')\"", kBinary},
                                 batchEnvironment());
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err, QStringLiteral("module-explorer: option '--exec' needs UTF-8 text\n"));
    }

    void scriptWithByteOrderMark_andEmptyScript_run()
    {
        QTemporaryDir dir;
        const QString bom = writeFile(dir, QStringLiteral("bom.py"), "\xEF\xBB\xBFprint('hi')\n");
        const QString empty = writeFile(dir, QStringLiteral("empty.py"), "");
        const Run r = runApp({"--script", bom, "--script", empty});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("hi\n"));
        QVERIFY(r.err.isEmpty());
    }

    void exportPython_writesTheSession()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("session.py"));
        const Run r = runApp({"--example", "buffer-demo", "--exec", "model.register_buffer('b', torch.ones(2))",
                              "--export-python", path});
        QCOMPARE(r.exitCode, 0);
        const QString script = QString::fromUtf8(readAll(path));
        QVERIFY(script.contains(QStringLiteral("import torch")));
        QVERIFY(script.contains(QStringLiteral("model.register_buffer('b', torch.ones(2))")));
    }

    void exportPython_failedWrite_exitsOne_andKeepsTheOldFile()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("session.py"), "# the old session\n");
        const Run r = runApp({"--example", "buffer-demo", "--export-python", path}, 64);
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, QStringLiteral("module-explorer: cannot write '%1': File too large\n").arg(path));
        QCOMPARE(readAll(path), QByteArray("# the old session\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"session.py"});
    }

    void exportPython_devFull_exitsOne()
    {
        const Run r = runApp({"--export-python", "/dev/full"});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, QStringLiteral("module-explorer: cannot write '/dev/full': No space left on device\n"));
    }

    void exportPython_intoADirectory_exitsOne()
    {
        QTemporaryDir dir;
        const Run r = runApp({"--export-python", dir.path()});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, QStringLiteral("module-explorer: cannot write '%1': Is a directory\n").arg(dir.path()));
    }

    void window_withoutDisplay_exitsTwo_sayingHowToRunIt()
    {
        const Run r = runProcess(kBinary, {"--example", "buffer-demo"}, noDisplayEnvironment());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(QStringLiteral("module-explorer: no display to open the window on")), qPrintable(r.err));
        QVERIFY(r.err.contains(QStringLiteral("xvfb-run ")));
        QVERIFY(r.err.contains(QStringLiteral("QT_QPA_PLATFORM=offscreen ")));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
    }

    void screenshot_withoutDisplay_rendersOffscreen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("window.png"));
        const Run r = runProcess(kBinary, {"--example", "buffer-demo", "--screenshot", path}, noDisplayEnvironment());
        QCOMPARE(r.exitCode, 0);
        const QImage shot(path);
        QVERIFY(!shot.isNull());
        QVERIFY(shot.width() >= 800);
    }

    void screenshot_failedWrite_exitsOne_andKeepsTheOldFile()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("window.png"), "old picture");
        const Run r = runProcess(kBinary, {"--screenshot", path}, noDisplayEnvironment(), 4096);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("module-explorer: cannot write '%1': File too large\n").arg(path)),
                 qPrintable(r.err));
        QCOMPARE(readAll(path), QByteArray("old picture"));
    }
};

QTEST_GUILESS_MAIN(CliRefusalsTest)
#include "tst_clirefusals.moc"
