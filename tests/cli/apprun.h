#pragma once
// Runs build/bin/module-explorer (or another program) as a process for the CLI tests, and
// collects its exit status and output.

#include <QProcess>
#include <QString>
#include <QStringList>

#include <csignal>

#include <sys/resource.h>

/** One finished run: exit status (-1 when it crashed or ran past two minutes) and output. */
struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

/** Runs `program`; with a `fileSizeLimit` (RLIMIT_FSIZE) a write past it fails with EFBIG. */
inline Run runProcess(const QString& program, const QStringList& args, const QProcessEnvironment& env,
                      rlim_t fileSizeLimit = RLIM_INFINITY)
{
    QProcess p;
    p.setProgram(program);
    p.setArguments(args);
    p.setProcessEnvironment(env);
    if (fileSizeLimit != RLIM_INFINITY) {
        p.setChildProcessModifier([fileSizeLimit] {
            ::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG
            rlimit limit{fileSizeLimit, fileSizeLimit};
            ::setrlimit(RLIMIT_FSIZE, &limit);
        });
    }
    p.start();
    Run r;
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit)
        return r;
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

/** Batch runs: no display, Qt's minimal platform (batch mode must not need a display). */
inline QProcessEnvironment batchEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("minimal"));
    return env;
}

/** module-explorer in batch mode. */
inline Run runApp(const QStringList& args, rlim_t fileSizeLimit = RLIM_INFINITY)
{
    return runProcess(QStringLiteral(MX_BINARY_DIR "/bin/module-explorer"), args, batchEnvironment(),
                      fileSizeLimit);
}
