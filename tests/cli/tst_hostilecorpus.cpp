// Issue 8's hostile-input corpus (tests/cli/hostile_corpus.txt) over the command line: every
// input runs as its own module-explorer process, under a capped address space, and must end
// within its time, exit normally with status 0, 1 or 2, print at most one line on stderr, and
// be stopped by the memory budget rather than by the cap.
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include <sys/resource.h>

namespace {

const QString kBinary = QStringLiteral(MX_BINARY_DIR "/bin/module-explorer");
const QString kCorpus = QStringLiteral(MX_CORPUS_FILE);

// What every input runs with (unless its ARGS line gives the option itself).
const QString kBudget = QStringLiteral("768M");
const QString kTimeout = QStringLiteral("10");

constexpr rlim_t kMiB = 1024 * 1024;
// The address-space cap (RLIMIT_AS) of each run: the memory budget (768 MiB), plus the process's
// own virtual size, plus room for what the budget does not count.
// - Baseline: VmPeak of `module-explorer --example buffer-demo --memory-budget 768M --timeout 10
//   --exec 1`, read from /proc at exit_group on the 2-core build machine (Debian 12, LibTorch
//   1.13, Qt 6.4): 893,552 kB = 873 MiB (737 MiB without --timeout; the watchdog thread adds its
//   8 MiB stack and a 128 MiB malloc arena reservation). Almost all of it is mapped libraries
//   (LibTorch, Qt, OpenCV pulled in by LibTorch) and reserved, untouched address space.
// - Margin, 1.5 GiB: LibTorch's intra-op threads (each an 8 MiB stack and up to 128 MiB of arena
//   reservation; 1,028,532 kB peak for a 1000x1000 matmul), a forward pass's weights and
//   workspaces, and transient copies an operation makes before its result is counted.
// 768 + 873 + 1536 = 3177 MiB. A run that reaches the cap used about 1.5 GiB more than its
// budget allows: it fails here even when it then exits cleanly with a MemoryError.
constexpr rlim_t kAddressSpaceCap = (768 + 873 + 1536) * kMiB;

// Sanitized builds (the asan and tsan presets) run several times slower, and their runtimes
// reserve terabytes of shadow address space: there the cap is off and the time limits longer.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

constexpr int kWallLimitMs = kSanitized ? 120000 : 30000;  // per input
constexpr int kParallel = 2;         // the build machine has 2 cores
constexpr qint64 kMaxStderrRead = 64 * 1024;         // kept for the report
constexpr qint64 kMaxStderrCounted = 64 * 1024 * 1024;  // read to count its lines

struct Input {
    int line = 0;       // in the corpus file
    QString source;     // the line as written (for reports)
    QStringList args;   // the full command line after the program
};

struct Outcome {
    bool started = false;
    bool killed = false;  // past kWallLimitMs
    QProcess::ExitStatus status = QProcess::NormalExit;
    int exitCode = -1;
    qint64 wallMs = 0;
    QByteArray err;       // the first kMaxStderrRead bytes
    qint64 errBytes = 0;
    int errLines = 0;     // in all of it
    QString problem;      // "" when the input passed
};

QString shortened(const QString& text, int most = 100)
{
    QString s = text;
    s.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    return s.size() <= most ? s : s.left(most) + QStringLiteral("... (%1 chars)").arg(text.size());
}

// <<N*TEXT>>: TEXT repeated N times.
QString expandRepeats(const QString& line)
{
    static const QRegularExpression repeat(QStringLiteral("<<(\\d+)\\*(.*?)>>"));
    QString out;
    qsizetype from = 0;
    for (auto it = repeat.globalMatch(line); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        out += line.mid(from, m.capturedStart() - from);
        out += m.captured(2).repeated(m.captured(1).toInt());
        from = m.capturedEnd();
    }
    return out + line.mid(from);
}

// `\n` is a line break and `\\` one backslash; any other backslash stays as written.
QString decodeEscapes(const QString& line)
{
    QString out;
    out.reserve(line.size());
    for (qsizetype k = 0; k < line.size(); ++k) {
        if (line[k] == QLatin1Char('\\') && k + 1 < line.size()) {
            if (line[k + 1] == QLatin1Char('n')) {
                out += QLatin1Char('\n');
                ++k;
                continue;
            }
            if (line[k + 1] == QLatin1Char('\\')) {
                out += QLatin1Char('\\');
                ++k;
                continue;
            }
        }
        out += line[k];
    }
    return out;
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

int stderrLines(const QByteArray& err)
{
    return int(err.count('\n')) + (!err.isEmpty() && !err.endsWith('\n') ? 1 : 0);
}

// Messages that say the address-space cap, not the budget, stopped the run: LibTorch's
// allocator failing, std::bad_alloc (the console's bare "MemoryError", main()'s "out of memory").
bool hitTheCap(const QByteArray& err)
{
    return err.contains("can't allocate memory") || err.contains("Cannot allocate memory") ||
           err.contains("module-explorer: out of memory") || err.contains("std::bad_alloc") ||
           err.trimmed() == "MemoryError";
}

// Sets `problem` when the outcome breaks a rule.
void judge(Outcome& o)
{
    if (!o.problem.isEmpty())
        return;
    if (o.killed)
        o.problem = QStringLiteral("still running after %1 s (killed)").arg(kWallLimitMs / 1000);
    else if (o.status != QProcess::NormalExit)
        o.problem = QStringLiteral("crashed (signal)");
    else if (o.exitCode < 0 || o.exitCode > 2)
        o.problem = QStringLiteral("exit status %1").arg(o.exitCode);
    else if (o.errLines > 1)
        o.problem = QStringLiteral("%1 lines (%2 bytes) on stderr").arg(o.errLines).arg(o.errBytes);
    else if (hitTheCap(o.err))
        o.problem = QStringLiteral("stopped by the address-space cap, not the memory budget");
}

// One line per input: where, how long, how it ended, its stderr.
QString report(const Input& input, const Outcome& o)
{
    const QString status = o.problem.isEmpty() ? QStringLiteral("exit %1").arg(o.exitCode)
                                               : QStringLiteral("FAILED");
    return QStringLiteral("line %1 [%2 s] %3: %4 | %5%6")
        .arg(input.line)
        .arg(o.wallMs / 1000.0, 0, 'f', 2)
        .arg(status, shortened(input.source), shortened(QString::fromUtf8(o.err).trimmed(), 160),
             o.problem.isEmpty() ? QString() : QStringLiteral(" -- ") + o.problem);
}

}  // namespace

class HostileCorpusTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyInput_endsCleanly_withinItsLimits();

private:
    bool makePlaceholders();
    QStringList argsFor(const QString& line, int lineNumber) const;

    QTemporaryDir dir_;
    std::map<QString, QString> placeholders_;
    std::vector<Input> inputs_;
};

bool HostileCorpusTest::makePlaceholders()
{
    const QString d = dir_.path();
    placeholders_[QStringLiteral("@DIR@")] = d;
    placeholders_[QStringLiteral("@NONUTF8@")] = d + QStringLiteral("/latin1.py");
    placeholders_[QStringLiteral("@BINARY@")] = d + QStringLiteral("/binary.py");
    placeholders_[QStringLiteral("@BIG@")] = d + QStringLiteral("/big.py");
    placeholders_[QStringLiteral("@MANY@")] = d + QStringLiteral("/many.py");
    placeholders_[QStringLiteral("@DEEP@")] = d + QStringLiteral("/deep.py");
    placeholders_[QStringLiteral("@CRLF@")] = d + QStringLiteral("/crlf.py");
    placeholders_[QStringLiteral("@LOOP@")] = d + QStringLiteral("/loop.py");
    QByteArray many;
    for (int i = 0; i < 100000; ++i)
        many += "x = " + QByteArray::number(i) + "\n";
    QByteArray deep;
    for (int level = 0; level < 200; ++level)
        deep += QByteArray(level * 4, ' ') + "if True:\n";
    deep += QByteArray(200 * 4, ' ') + "x = 1\n";
    return writeFile(placeholders_[QStringLiteral("@NONUTF8@")], "name = 'caf\xe9'\nprint(name)\n") &&
           writeFile(placeholders_[QStringLiteral("@BINARY@")], QByteArray("\x7f" "ELF\x02\x01\x01\x00\x00\x00", 10)) &&
           writeFile(placeholders_[QStringLiteral("@BIG@")], QByteArray(17 << 20, '#')) &&
           writeFile(placeholders_[QStringLiteral("@MANY@")], many) &&
           writeFile(placeholders_[QStringLiteral("@DEEP@")], deep) &&
           writeFile(placeholders_[QStringLiteral("@CRLF@")], "x = 1\r\nfor i in range(3):\r\n    x = x + i\r\nprint(x)\r\n") &&
           QFile::link(placeholders_[QStringLiteral("@LOOP@")], placeholders_[QStringLiteral("@LOOP@")]);
}

QStringList HostileCorpusTest::argsFor(const QString& line, int lineNumber) const
{
    QStringList given;
    if (line.startsWith(QStringLiteral("ARGS:"))) {
        for (QString part : line.mid(5).split(QLatin1Char('|'))) {
            part = part.trimmed();
            for (const auto& [name, path] : placeholders_)
                part.replace(name, path);
            part.replace(QStringLiteral("@OUT@"), dir_.filePath(QStringLiteral("out-%1").arg(lineNumber)));
            given << part;
        }
    } else {
        given << QStringLiteral("--exec") << decodeEscapes(expandRepeats(line));
    }
    QStringList args;
    if (!given.contains(QStringLiteral("--example")))
        args << QStringLiteral("--example") << QStringLiteral("buffer-demo");
    if (!given.contains(QStringLiteral("--memory-budget")))
        args << QStringLiteral("--memory-budget") << kBudget;
    if (!given.contains(QStringLiteral("--timeout")))
        args << QStringLiteral("--timeout") << kTimeout;
    return args + given;
}

void HostileCorpusTest::initTestCase()
{
    QVERIFY(QFileInfo(kBinary).isExecutable());
    QVERIFY(dir_.isValid());
    QVERIFY(makePlaceholders());
    QFile corpus(kCorpus);
    QVERIFY2(corpus.open(QIODevice::ReadOnly), qPrintable(kCorpus));
    const QStringList lines = QString::fromUtf8(corpus.readAll()).split(QLatin1Char('\n'));
    for (int k = 0; k < lines.size(); ++k) {
        QString line = lines[k];
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (line.trimmed().isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        inputs_.push_back({k + 1, line, argsFor(line, k + 1)});
    }
    QVERIFY2(inputs_.size() >= 170, qPrintable(QStringLiteral("%1 inputs").arg(inputs_.size())));
}

void HostileCorpusTest::everyInput_endsCleanly_withinItsLimits()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));

    std::vector<Outcome> outcomes(inputs_.size());
    struct Running {
        std::unique_ptr<QProcess> process;
        QElapsedTimer clock;
        QString errFile;
        bool killed = false;
    };
    std::map<size_t, Running> running;  // by input
    size_t next = 0;
    QEventLoop loop;
    QElapsedTimer total;
    total.start();

    std::function<void()> startMore;
    auto finish = [&](size_t index) {
        Running& r = running.at(index);
        Outcome& o = outcomes[index];
        o.started = true;
        o.killed = r.killed;
        o.wallMs = r.clock.elapsed();
        o.status = r.process->exitStatus();
        o.exitCode = r.process->exitCode();
        QFile err(r.errFile);
        if (err.open(QIODevice::ReadOnly)) {
            o.errBytes = err.size();
            const QByteArray all = err.read(kMaxStderrCounted);
            o.errLines = stderrLines(all) + (o.errBytes > all.size() ? 1 : 0);
            o.err = all.left(kMaxStderrRead);
        }
        err.remove();
        judge(o);
        qInfo().noquote() << report(inputs_[index], o);
        r.process.release()->deleteLater();  // inside its own signal
        running.erase(index);
        startMore();
        if (running.empty() && next >= inputs_.size())
            loop.quit();
    };
    startMore = [&] {
        while (running.size() < kParallel && next < inputs_.size()) {
            const size_t index = next++;
            Running& r = running[index];
            r.errFile = dir_.filePath(QStringLiteral("stderr-%1").arg(index));
            r.process = std::make_unique<QProcess>();
            QProcess& p = *r.process;
            p.setProgram(kBinary);
            p.setArguments(inputs_[index].args);
            p.setProcessEnvironment(env);
            p.setStandardOutputFile(QProcess::nullDevice());
            p.setStandardErrorFile(r.errFile);
            p.setChildProcessModifier([] {
                if (!kSanitized) {
                    rlimit as{kAddressSpaceCap, kAddressSpaceCap};
                    ::setrlimit(RLIMIT_AS, &as);
                }
                rlimit core{0, 0};
                ::setrlimit(RLIMIT_CORE, &core);
            });
            QObject::connect(&p, &QProcess::finished, &loop, [&finish, index] { finish(index); },
                             Qt::QueuedConnection);
            r.clock.start();
            p.start();
            p.closeWriteChannel();  // stdin: end of file at once
            if (!p.waitForStarted(10000)) {
                outcomes[index].problem = QStringLiteral("did not start: ") + p.errorString();
                qInfo().noquote() << report(inputs_[index], outcomes[index]);
                running.erase(index);
            }
        }
    };
    // Past its wall-clock limit an input is killed (and reported).
    QTimer overdue;
    QObject::connect(&overdue, &QTimer::timeout, &loop, [&] {
        for (auto& [index, r] : running) {
            if (!r.killed && r.clock.elapsed() > kWallLimitMs) {
                r.killed = true;
                r.process->kill();
            }
        }
    });
    overdue.start(100);
    startMore();
    if (!running.empty())
        loop.exec();
    overdue.stop();

    std::map<QString, int> counts;
    QStringList failures;
    for (size_t k = 0; k < inputs_.size(); ++k) {
        const Outcome& o = outcomes[k];
        ++counts[o.problem.isEmpty() ? QStringLiteral("exit %1").arg(o.exitCode) : QStringLiteral("FAILED")];
        if (!o.problem.isEmpty())
            failures << QStringLiteral("line %1: %2\n    status %3%4, stderr: %5\n    -- %6")
                            .arg(inputs_[k].line)
                            .arg(shortened(inputs_[k].source, 200))
                            .arg(o.status == QProcess::NormalExit ? QStringLiteral("exit ") : QStringLiteral("crash "))
                            .arg(o.exitCode)
                            .arg(shortened(QString::fromUtf8(o.err).trimmed(), 400), o.problem);
    }
    QStringList summary;
    for (const auto& [status, n] : counts)
        summary << QStringLiteral("%1: %2").arg(status).arg(n);
    qInfo().noquote() << QStringLiteral("hostile corpus: %1 inputs in %2 s, address-space cap %3; %4")
                             .arg(inputs_.size())
                             .arg(total.elapsed() / 1000.0, 0, 'f', 1)
                             .arg(kSanitized ? QStringLiteral("off (sanitized build)")
                                             : QStringLiteral("%1 MiB").arg(kAddressSpaceCap / kMiB))
                             .arg(summary.join(QStringLiteral(", ")));
    QVERIFY2(failures.isEmpty(), qPrintable(QStringLiteral("%1 of %2 inputs failed:\n")
                                                .arg(failures.size())
                                                .arg(inputs_.size()) +
                                            failures.join(QLatin1Char('\n'))));
}

int main(int argc, char* argv[])
{
    // The corpus is one test function of several minutes: past QtTest's default of 300 s.
    if (qEnvironmentVariableIsEmpty("QTEST_FUNCTION_TIMEOUT"))
        qputenv("QTEST_FUNCTION_TIMEOUT", kSanitized ? "3600000" : "900000");
    QCoreApplication app(argc, argv);
    HostileCorpusTest test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_hostilecorpus.moc"
