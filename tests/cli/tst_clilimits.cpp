// --timeout and --memory-budget: their usage errors, the time limit of each top-level statement
// (the session's TimeoutError and the watchdog that ends a stuck tensor operation), the time limit
// of --forward, and the budget the run uses.
#include "app/cli.h"
#include "app/commandline.h"
#include "app/statementwatchdog.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <atomic>
#include <chrono>

namespace {

using namespace std::chrono_literals;

struct Run {
    int exitCode = -1;  // -1: crashed or did not finish
    QString out;
    QString err;
    qint64 wallMs = 0;
};

Run runApp(const QStringList& args)
{
    QProcess p;
    p.setProgram(QStringLiteral(MX_BINARY_DIR "/bin/module-explorer"));
    p.setArguments(args);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    p.setProcessEnvironment(env);
    QElapsedTimer clock;
    clock.start();
    p.start();
    p.closeWriteChannel();
    Run r;
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit)
        return r;
    r.wallMs = clock.elapsed();
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

}  // namespace

class CliLimitsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parseTimeout_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<double>("seconds");
        QTest::newRow("10") << "10" << true << 10.0;
        QTest::newRow("0.5") << "0.5" << true << 0.5;
        QTest::newRow(".5") << ".5" << true << 0.5;
        QTest::newRow("2.") << "2." << true << 2.0;
        QTest::newRow("86400") << "86400" << true << 86400.0;
        QTest::newRow("86400.5") << "86400.5" << false << 0.0;
        QTest::newRow("0") << "0" << false << 0.0;
        QTest::newRow("0.0") << "0.0" << false << 0.0;
        QTest::newRow("-1") << "-1" << false << 0.0;
        QTest::newRow("+1") << "+1" << false << 0.0;
        QTest::newRow("1e3") << "1e3" << false << 0.0;
        QTest::newRow("inf") << "inf" << false << 0.0;
        QTest::newRow("nan") << "nan" << false << 0.0;
        QTest::newRow("0x10") << "0x10" << false << 0.0;
        QTest::newRow(".") << "." << false << 0.0;
        QTest::newRow("1.2.3") << "1.2.3" << false << 0.0;
        QTest::newRow(" 5") << " 5" << false << 0.0;
        QTest::newRow("5s") << "5s" << false << 0.0;
        QTest::newRow("empty") << "" << false << 0.0;
    }

    void parseTimeout()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(double, seconds);
        double got = -1;
        QCOMPARE(mx::parseTimeoutSeconds(text.toStdString(), &got), ok);
        if (ok)
            QCOMPARE(got, seconds);
    }

    void badValues_areUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString timeout = QStringLiteral(
            "module-explorer: bad timeout '%1': expected a number of seconds greater than 0 and at most 86400, e.g. 30 or 2.5\n");
        const QString budget = QStringLiteral(
            "module-explorer: bad memory budget '%1': expected a size greater than 0 such as 512M, 2G or 1.5G (units K, M, G, T)\n");
        for (const char* bad : {"0", "abc", "-1", "86401", "1e3", "inf"})
            QTest::newRow(qPrintable(QStringLiteral("timeout %1").arg(bad)))
                << QStringList{"--timeout", bad, "--exec", "1"} << timeout.arg(QLatin1String(bad));
        for (const char* bad : {"0", "1Q", "-1G", "G", "1.5.5G", "99999999T"})
            QTest::newRow(qPrintable(QStringLiteral("budget %1").arg(bad)))
                << QStringList{"--memory-budget", bad, "--exec", "1"} << budget.arg(QLatin1String(bad));
        QTest::newRow("timeout twice") << QStringList{"--timeout", "1", "--timeout", "2", "--exec", "1"}
                                       << QStringLiteral("module-explorer: option '--timeout' given more than once\n");
        QTest::newRow("budget twice") << QStringList{"--memory-budget", "1G", "--memory-budget", "2G", "--exec", "1"}
                                      << QStringLiteral("module-explorer: option '--memory-budget' given more than once\n");
        QTest::newRow("empty timeout") << QStringList{"--timeout", "", "--exec", "1"}
                                       << QStringLiteral("module-explorer: option '--timeout' needs a non-empty value\n");
        QTest::newRow("budget missing") << QStringList{"--memory-budget"}
                                        << QStringLiteral("module-explorer: option '--memory-budget' needs a value\n");
        QTest::newRow("timeout with the window")
            << QStringList{"--timeout", "5", "--example", "buffer-demo"}
            << QStringLiteral("module-explorer: option '--timeout' limits --exec, --script, --forward and a "
                              ".py FILE's statements; it cannot be used when the window opens\n");
    }

    void badValues_areUsageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = runApp(args);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err, message);
        QVERIFY(r.out.isEmpty());
    }

    void help_documentsBothOptions()
    {
        const QString help = QString::fromStdString(mx::usageText());
        QVERIFY(help.contains(QStringLiteral("--timeout SECONDS")));
        QVERIFY(help.contains(QStringLiteral("--memory-budget SIZE")));
        for (const char* option : {"--timeout SECONDS", "--memory-budget SIZE", "--forward SHAPE"})
            QVERIFY2(help.contains(QStringLiteral("\n  ") + QLatin1String(option)), option);  // own line
        for (const QString& line : help.split(QLatin1Char('\n')))
            if (line.contains(QStringLiteral("--timeout")) || line.contains(QStringLiteral("budget")))
                QVERIFY2(line.size() <= 80, qPrintable(line));
    }

    void watchdog_firesOnce_afterItsDelay()
    {
        std::atomic<int> fired{0};
        std::string message;
        mx::StatementWatchdog watchdog([&](const std::string& m) {
            message = m;
            ++fired;
        });
        QElapsedTimer clock;
        clock.start();
        watchdog.arm(100ms, "late");
        QTRY_COMPARE_WITH_TIMEOUT(fired.load(), 1, 5000);
        QVERIFY(clock.elapsed() >= 95);
        QCOMPARE(message, std::string("late"));
        QTest::qWait(200);
        QCOMPARE(watchdog.expiredCount(), 1);  // not again until armed again
    }

    void watchdog_disarmedInTime_staysQuiet_andRearms()
    {
        int fired = 0;
        mx::StatementWatchdog watchdog([&](const std::string&) { ++fired; });
        for (int i = 0; i < 50; ++i) {  // statements that end in time
            watchdog.arm(200ms, "late");
            watchdog.disarm();
        }
        watchdog.arm(10s, "first");
        watchdog.arm(50ms, "second");  // replaces the first
        QTRY_COMPARE_WITH_TIMEOUT(watchdog.expiredCount(), 1, 5000);
        watchdog.arm(300ms, "third");
        watchdog.disarm();
        QTest::qWait(500);
        QCOMPARE(watchdog.expiredCount(), 1);
        QCOMPARE(fired, 1);
    }

    void watchdog_stopsAtOnce_whileArmed()
    {
        QElapsedTimer clock;
        clock.start();
        {
            mx::StatementWatchdog watchdog([](const std::string&) {});
            watchdog.arm(std::chrono::hours(1), "never");
        }
        QVERIFY(clock.elapsed() < 1000);
    }

    void timeout_statementPastItsLimit_raisesTimeoutError()
    {
        const Run r = runApp({"--example", "buffer-demo", "--timeout", "0.5", "--exec", "print('before')",
                              "--exec", "for i in range(40000000): x = [i, i]", "--exec", "print('after')"});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.out, QStringLiteral("before\n"));
        QCOMPARE(r.err, QStringLiteral("TimeoutError: the statement ran longer than its time limit of 0.5 s\n"));
    }

    void timeout_countsEachTopLevelStatement_notTheScript()
    {
        // Twelve statements of a few steps each in one --exec: under the limit one by one.
        QString script;
        for (int i = 0; i < 12; ++i)
            script += QStringLiteral("x%1 = [j for j in range(1000)]\n").arg(i);
        script += QStringLiteral("print(len(x11))");
        const Run r = runApp({"--example", "buffer-demo", "--timeout", "3", "--exec", script});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QStringLiteral("1000\n"));
        QVERIFY(r.err.isEmpty());
    }

    void timeout_watchdogEndsAStuckTensorOperation()
    {
        // One matmul of 8000x8000 (a teraflop: tens of seconds on a few cores) cannot be
        // interrupted inside; 5 s past the limit the watchdog prints the same line and exits.
        const Run r = runApp({"--example", "buffer-demo", "--timeout", "0.5", "--exec", "print('before')",
                              "--exec", "a = torch.randn(8000, 8000)\nb = a @ a", "--exec", "print('after')"});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.out, QStringLiteral("before\n"));
        QCOMPARE(r.err, QStringLiteral("TimeoutError: the statement ran longer than its time limit of 0.5 s\n"));
        QVERIFY2(r.wallMs < 30000, qPrintable(QString::number(r.wallMs)));
    }

    void timeout_forward_stopsBetweenRuns()
    {
        const Run r = runApp({"--example", "state-dict-demo", "--forward", "1x1x28x28", "--repeat", "999999",
                              "--timeout", "1"});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, QStringLiteral("module-explorer: forward failed: TimeoutError: the forward pass ran "
                                       "longer than its time limit of 1 s\n"));
        QVERIFY(r.out.isEmpty());
    }

    void memoryBudget_isTheBudgetOfTheRun()
    {
        const Run r = runApp({"--example", "buffer-demo", "--memory-budget", "1.5M", "--forward", "2x1x28x28",
                              "--repeat", "1", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(json[QStringLiteral("memory_budget_bytes")].toInteger(), qint64(1536) * 1024);
    }

    void memoryBudget_refusesAStatementPastIt()
    {
        const Run r = runApp({"--example", "buffer-demo", "--memory-budget", "1M", "--exec", "x = torch.zeros(10**6)"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith(QStringLiteral("MemoryError")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("1 MiB")), qPrintable(r.err));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
    }
};

QTEST_GUILESS_MAIN(CliLimitsTest)
#include "tst_clilimits.moc"
