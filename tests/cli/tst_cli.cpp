// The command line as scripts use it: build/bin/module-explorer run as a process, no display.
#include "apprun.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QString fixture(const QString& name)
{
    QFile f(QStringLiteral(MX_FIXTURES_DIR "/") + name);
    return f.open(QIODevice::ReadOnly | QIODevice::Text) ? QString::fromUtf8(f.readAll()) : QString();
}

bool close(double a, double b)
{
    return std::abs(a - b) <= 1e-4 * std::max(std::abs(a), std::abs(b)) + 1e-6;
}

}  // namespace

/** module-explorer's batch mode: --print, --json, --list-examples and usage errors. */
class CliTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void printStateDict_modelA_printsTheTutorialsSixteenLines()
    {
        const Run r = runApp({"--example", "state-dict-demo", "--print", "state_dict"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, fixture(QStringLiteral("tutorial/model_a_state_dict.txt")));
        QVERIFY(r.err.isEmpty());
    }

    void printListings_modelB_matchTheTutorialBeforeModification_data()
    {
        QTest::addColumn<QString>("what");
        for (const char* what :
             {"named_buffers", "named_parameters", "buffers", "parameters", "state_dict"})
            QTest::newRow(what) << QString::fromLatin1(what);
    }

    void printListings_modelB_matchTheTutorialBeforeModification()
    {
        QFETCH(QString, what);
        const Run r = runApp({"--example", "buffer-demo", "--print", what});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, fixture(QStringLiteral("tutorial/model_b_before_%1.txt").arg(what)));
    }

    void printJson_everyExample_matchesPyTorchNamesShapesAndSums()
    {
        const QJsonObject reference =
            QJsonDocument::fromJson(fixture(QStringLiteral("reference.json")).toUtf8())
                .object()[QStringLiteral("examples")]
                .toObject();
        QCOMPARE(reference.size(), 3);
        for (const QString& example : reference.keys()) {
            const Run r = runApp({"--example", example, "--print", "state_dict", "--print",
                                  "named_buffers", "--json"});
            QCOMPARE(r.exitCode, 0);
            const QJsonObject got = QJsonDocument::fromJson(r.out.toUtf8()).object();
            for (const QString& what : {QStringLiteral("state_dict"), QStringLiteral("named_buffers")}) {
                const QJsonArray want = reference[example].toObject()[what].toArray();
                const QJsonArray have = got[what].toArray();
                QCOMPARE(have.size(), want.size());
                for (int i = 0; i < want.size(); ++i) {
                    const QJsonObject w = want[i].toObject(), h = have[i].toObject();
                    QCOMPARE(h["name"].toString(), w["name"].toString());
                    QCOMPARE(h["shape"].toArray(), w["shape"].toArray());
                    QCOMPARE(h["dtype"].toString(), w["dtype"].toString());
                    QCOMPARE(h["kind"].toString(), w["kind"].toString());
                    QVERIFY2(close(h["sum"].toDouble(), w["sum"].toDouble()),
                             qPrintable(QStringLiteral("%1 %2: %3 vs %4")
                                            .arg(example, w["name"].toString())
                                            .arg(h["sum"].toDouble(), 0, 'g', 17)
                                            .arg(w["sum"].toDouble(), 0, 'g', 17)));
                }
            }
        }
    }

    void printTree_modelB_marksPlainAttributeNotInStateDict()
    {
        const Run r = runApp({"--example", "buffer-demo", "--print", "tree"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(QStringLiteral("model: Model\n")));
        QVERIFY(r.out.contains(QStringLiteral(
            "  attribute_buffer_in  attribute  torch.Size([3, 5])  float32  cpu  "
            "requires_grad=False  (not in state_dict)\n")));
        QVERIFY(r.out.contains(QStringLiteral(
            "  register_buffer_in  buffer  torch.Size([4, 6])  float32  cpu  requires_grad=False\n")));
        QVERIFY(r.out.contains(QStringLiteral(
            "    0: Conv2d(1, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n")));
    }

    void forwardJson_modelA_matchesPyTorchsTrace()
    {
        const Run r = runApp({"--example", "state-dict-demo", "--forward", "64x1x28x28", "--repeat",
                              "2", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject got = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonObject want = QJsonDocument::fromJson(fixture(QStringLiteral("reference.json")).toUtf8())
                                     .object()["forward"]
                                     .toObject()["state-dict-demo"]
                                     .toObject();
        QCOMPARE(got["output_shape"].toArray(), want["output_shape"].toArray());
        QCOMPARE(got["trace"].toArray(), want["trace"].toArray());
        QCOMPARE(got["not_called"].toArray(), want["not_called"].toArray());
        QCOMPARE(got["repeats"].toInt(), 2);
        QVERIFY(got["min_ms"].toDouble() > 0);
        QVERIFY(got["min_ms"].toDouble() <= got["median_ms"].toDouble());
        QVERIFY(got["median_ms"].toDouble() <= got["max_ms"].toDouble());
    }

    void forwardText_modelB_saysNoneAndNotCalled()
    {
        const Run r = runApp({"--example", "buffer-demo", "--forward", "2x1x28x28", "--repeat", "1"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("output: None (forward returned None)\n")));
        QVERIFY(r.out.contains(QStringLiteral("not called: conv1\n")));
    }

    void forwardPastTheMemoryBudget_isRefusedWithExitOne()
    {
        // About 0.9 TiB of activations: past the default budget (a quarter of RAM) anywhere.
        const Run r = runApp({"--example", "state-dict-demo", "--forward", "1000000x1x28x28"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith(QStringLiteral("module-explorer: forward failed: MemoryError: "
                                                 "this forward pass needs about ")),
                 qPrintable(r.err));
        QVERIFY(r.err.endsWith(QStringLiteral("(Preferences / --memory-budget)\n")));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
        QVERIFY(r.out.isEmpty());
    }

    void forwardMismatch_exitsOneWithPyTorchsError()
    {
        const Run r = runApp({"--forward", "1x1x32x32"});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, QStringLiteral("module-explorer: forward failed: RuntimeError: shape "
                                       "'[-1, 25088]' is invalid for input of size 32768\n"));
    }

    void exec_tutorialsSecondExperiment_printsTheTutorialsListingsAfterModification_data()
    {
        printListings_modelB_matchTheTutorialBeforeModification_data();
    }

    void exec_tutorialsSecondExperiment_printsTheTutorialsListingsAfterModification()
    {
        QFETCH(QString, what);
        const Run r = runApp({"--example", "buffer-demo",
                              "--exec", "model.attribute_buffer_out = torch.randn(10,10)",
                              "--exec", "register_buffer_out_temp = torch.randn(15,15)",
                              "--exec", "model.register_buffer('register_buffer_out', register_buffer_out_temp)",
                              "--print", what});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, fixture(QStringLiteral("tutorial/model_b_after_%1.txt").arg(what)));
    }

    void script_runsTheTutorialsPrintLoops()
    {
        QTemporaryDir dir;
        QFile script(dir.filePath(QStringLiteral("lines.py")));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("import torch\n"
                     "model.register_buffer('register_buffer_out', torch.randn(15,15))\n"
                     "for k, v in model.state_dict().items():\n"
                     "    print(k, '-->', v.shape)\n");
        script.close();
        const Run r = runApp({"--example", "buffer-demo", "--script", script.fileName()});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, fixture(QStringLiteral("tutorial/model_b_after_state_dict.txt")));
    }

    void exec_failingStatement_exitsOneWithPythonsErrorLine()
    {
        const Run r = runApp({"--example", "buffer-demo", "--exec",
                              "model.register_buffer('register_buffer_in', 3)", "--print", "state_dict"});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, QStringLiteral("TypeError: cannot assign 'int' object to buffer "
                                       "'register_buffer_in' (torch Tensor or None required)\n"));
        QVERIFY(r.out.isEmpty());
    }

    void listExamples_namesAllThree()
    {
        const Run r = runApp({"--list-examples"});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].startsWith(QStringLiteral("state-dict-demo ")));
        QVERIFY(lines[1].startsWith(QStringLiteral("buffer-demo ")));
        QVERIFY(lines[2].startsWith(QStringLiteral("batchnorm-demo ")));
    }

    void badInput_exitsTwoWithOneLineMessage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown example") << QStringList{"--example", "nope", "--print", "state_dict"}
                                         << QStringLiteral("unknown example 'nope'");
        QTest::newRow("unknown option") << QStringList{"--frobnicate"}
                                        << QStringLiteral("unknown option '--frobnicate'");
        QTest::newRow("unknown listing") << QStringList{"--print", "weights"}
                                         << QStringLiteral("cannot print 'weights'");
        QTest::newRow("missing value") << QStringList{"--example"}
                                       << QStringLiteral("option '--example' needs a value");
        QTest::newRow("bad shape") << QStringList{"--forward", "64x0x28"}
                                   << QStringLiteral("bad shape '64x0x28'");
        QTest::newRow("bad device") << QStringList{"--forward", "1x1x28x28", "--device", "tpu"}
                                    << QStringLiteral("unknown device 'tpu'");
        QTest::newRow("bad repeat") << QStringList{"--forward", "1x1x28x28", "--repeat", "0"}
                                    << QStringLiteral("bad repeat count '0'");
    }

    void badInput_exitsTwoWithOneLineMessage()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = runApp(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
    }

    void forwardOnCuda_withoutCuda_exitsTwo()
    {
        const Run probe = runApp({"--forward", "1x1x28x28", "--device", "cuda", "--repeat", "1"});
        if (probe.exitCode == 0)
            QSKIP("CUDA is available here");
        QCOMPARE(probe.exitCode, 2);
        QVERIFY(probe.err.startsWith(QStringLiteral("module-explorer: CUDA is not available: ")));
        QCOMPARE(probe.err.count(QLatin1Char('\n')), 1);
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"
