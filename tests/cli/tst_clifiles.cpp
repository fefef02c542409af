// The command line with real files: `module-explorer FILE --print ...`, --forward on a file's own
// compiled code, --save-torchscript / --save-state-dict / --save-safetensors read back by the
// app, and one-line refusals (exit 1) for bad files and failed saves.
#include "apprun.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QString model(const QString& name)
{
    return QStringLiteral(MX_FIXTURES_DIR "/files/models/") + name;
}

QStringList sortedLines(const QString& text)
{
    QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    lines.sort();
    return lines;
}

}  // namespace

class CliFilesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void printStateDictOfATorchScriptFile()
    {
        const Run r = runApp({model(QStringLiteral("squeezenet.script.pt")), "--print", "state_dict"});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 52);
        QVERIFY2(lines.front().startsWith(QStringLiteral("features.0.weight")), qPrintable(lines.front()));
        QVERIFY(r.err.isEmpty());
    }

    void forwardRunsTheFilesOwnCode()
    {
        const Run r = runApp({model(QStringLiteral("squeezenet.script.pt")), "--forward", "1x3x64x64",
                              "--repeat", "1"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("[1, 1000]")), qPrintable(r.out));
    }

    void checkpointOpensItsStateDict()
    {
        const Run r = runApp({model(QStringLiteral("checkpoint.pt")), "--print", "state_dict"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(QStringLiteral("features.0.weight")));
    }

    void savesReadBackAsTheModel()
    {
        QTemporaryDir dir;
        const QString ts = dir.filePath(QStringLiteral("a.pt")), sd = dir.filePath(QStringLiteral("a.pth")),
                      st = dir.filePath(QStringLiteral("a.safetensors"));
        const QString extra = QStringLiteral("model.register_buffer('scratch', torch.zeros(3), persistent=False)");
        const Run saved = runApp({"--example", "state-dict-demo", "--exec", extra, "--save-torchscript", ts,
                                  "--save-state-dict", sd, "--save-safetensors", st});
        QCOMPARE(saved.exitCode, 0);
        QVERIFY2(saved.err.isEmpty(), qPrintable(saved.err));
        const Run original = runApp({"--example", "state-dict-demo", "--exec", extra, "--print", "state_dict",
                                     "--print", "named_buffers"});
        QCOMPARE(original.exitCode, 0);
        // TorchScript keeps the non-persistent buffer (named_buffers) out of state_dict.
        const Run fromTs = runApp({ts, "--print", "state_dict", "--print", "named_buffers"});
        QCOMPARE(fromTs.exitCode, 0);
        QCOMPARE(fromTs.out, original.out);
        const Run stateDict = runApp({"--example", "state-dict-demo", "--print", "state_dict"});
        const Run fromSd = runApp({sd, "--print", "state_dict"});
        QCOMPARE(fromSd.exitCode, 0);
        QCOMPARE(fromSd.out, stateDict.out);
        const Run fromSt = runApp({st, "--print", "state_dict"});
        QCOMPARE(fromSt.exitCode, 0);
        QCOMPARE(sortedLines(fromSt.out), sortedLines(stateDict.out));
    }

    void badFileExitsOneWithOneLine()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("notes.pt"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("just some notes\n");
        f.close();
        const Run r = runApp({path, "--print", "state_dict"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.startsWith(QStringLiteral("module-explorer: cannot open '")), qPrintable(r.err));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
    }

    void everyHostileSafetensorsFileExitsOneWithOneLine()
    {
        const QDir bad(QStringLiteral(MX_FIXTURES_DIR "/files/safetensors/bad"));
        const QStringList files = bad.entryList(QDir::Files);
        QVERIFY(files.size() >= 30);
        for (const QString& name : files) {
            const Run r = runApp({bad.filePath(name), "--print", "tree"});
            QVERIFY2(r.exitCode == 1, qPrintable(name + ": exit " + QString::number(r.exitCode)));
            QVERIFY2(r.err.startsWith(QStringLiteral("module-explorer: cannot open '")) &&
                         r.err.count(QLatin1Char('\n')) == 1,
                     qPrintable(name + ": " + r.err));
        }
    }

    void aFilePastTheMemoryBudgetIsRefusedBeforeReading_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("TorchScript") << QStringLiteral("squeezenet.script.pt");
        QTest::newRow("torch.save") << QStringLiteral("squeezenet.state_dict.pt");
    }

    void aFilePastTheMemoryBudgetIsRefusedBeforeReading()
    {
        QFETCH(QString, file);
        const Run r = runApp({"--memory-budget", "2M", model(file), "--print", "state_dict"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("MemoryError: the file's ")) &&
                     r.err.contains(QStringLiteral("past its memory budget of 2 MiB")),
                 qPrintable(r.err));
        // A safetensors file is mapped, not read: it opens under the same budget.
        QCOMPARE(runApp({"--memory-budget", "2M", model(QStringLiteral("squeezenet.safetensors.index.json")),
                         "--print", "state_dict"}).exitCode, 0);
    }

    void failedSaveKeepsTheOldFile()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("tied.safetensors"));
        QFile old(target);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old contents");
        old.close();
        // Two keys share one tensor: safetensors refuses aliases, as its own save_file does.
        const Run r = runApp({model(QStringLiteral("tied.state_dict.pt")), "--save-safetensors", target});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("encoder.weight")), qPrintable(r.err));
        QVERIFY(old.open(QIODevice::ReadOnly));
        QCOMPARE(old.readAll(), QByteArray("old contents"));
    }

    void saveIntoAMissingFolderExitsOne()
    {
        const Run r = runApp({"--example", "buffer-demo", "--save-state-dict", "/nonexistent/dir/x.pt"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("No such file or directory")), qPrintable(r.err));
    }

    void loadStateDictPrintsWhatPyTorchReturns()
    {
        const QString load = QStringLiteral(MX_FIXTURES_DIR "/files/load/");
        const Run ok = runApp({"--example", "buffer-demo", "--load-state-dict", load + "model_b.pt"});
        QCOMPARE(ok.exitCode, 0);
        QCOMPARE(ok.out, QStringLiteral("<All keys matched successfully>\n"));
        const Run loose = runApp({"--example", "batchnorm-demo", "--load-state-dict",
                                  load + "batchnorm_metadata_missing_batches.pt", "--no-strict"});
        QCOMPARE(loose.exitCode, 0);
        QCOMPARE(loose.out, QStringLiteral("_IncompatibleKeys(missing_keys=['features.1.num_batches_tracked'], "
                                           "unexpected_keys=[])\n"));
        const Run bad = runApp({"--example", "batchnorm-demo", "--load-state-dict",
                                load + "batchnorm_wrong_shapes.pt", "--print", "state_dict"});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.out.isEmpty());
        QVERIFY2(bad.err.startsWith(QStringLiteral("RuntimeError: Error(s) in loading state_dict for "
                                                   "BatchNormDemo:\n\tUnexpected key(s) in state_dict: "
                                                   "\"extra.thing\". \n\tsize mismatch for features.0.weight")),
                 qPrintable(bad.err));
        QCOMPARE(runApp({"--example", "buffer-demo", "--no-strict"}).exitCode, 2);
    }

    void fileAndExampleTogetherIsAUsageError()
    {
        const Run r = runApp({model(QStringLiteral("tied.state_dict.pt")), "--example", "buffer-demo",
                              "--print", "state_dict"});
        QCOMPARE(r.exitCode, 2);
    }

    void statementsOnAStateDictFileAreRefused()
    {
        const Run r = runApp({model(QStringLiteral("tied.state_dict.pt")), "--exec", "print(model)"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith(QStringLiteral("NotImplementedError: the open file holds a state_dict")),
                 qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(CliFilesTest)
#include "tst_clifiles.moc"
