#pragma once
// Runs build/bin/module-explorer as a batch process (no display, Qt's minimal platform) for the
// CLI tests, and collects its exit status and output.

#include <QProcess>
#include <QString>
#include <QStringList>

/** One finished run: exit status (-1 when it crashed or ran past two minutes) and output. */
struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

inline Run runApp(const QStringList& args)
{
    QProcess p;
    p.setProgram(QStringLiteral(MX_BINARY_DIR "/bin/module-explorer"));
    p.setArguments(args);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));  // batch mode must not need one
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("minimal"));
    p.setProcessEnvironment(env);
    p.start();
    Run r;
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit)
        return r;
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}
