// --train STEPS [--optimizer] [--lr] [--momentum] [--weight-decay] [--betas] [--loss] --input
// [--seed] [--mode] [--json]: build/bin/module-explorer run as a process, held to
// tests/fixtures/training/training_reference.json (PyTorch 1.13's losses and sums after the
// steps, to 1e-4 relative), its usage errors (exit 2, one line), runtime errors (exit 1), and a
// --save-state-dict after training that holds the trained weights.
#include "apprun.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

namespace {

QJsonObject referenceCase(const QString& name)
{
    QFile f(QStringLiteral(MX_FIXTURES_DIR "/training/training_reference.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object()[QStringLiteral("cases")].toObject()[name].toObject();
}

bool close(double a, double b, double rel = 1e-4, double abs = 1e-6)
{
    return std::abs(a - b) <= abs + rel * std::max(std::abs(a), std::abs(b));
}

QString describe(const Run& r)
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3").arg(r.exitCode).arg(r.out.left(2000), r.err);
}

// The command for the tutorial's Model A.
const QStringList kModelASgd{"--train", "3", "--optimizer", "sgd", "--lr", "0.01", "--loss", "ce",
                             "--input", "8x1x28x28", "--seed", "0"};

}  // namespace

class TestCliTrain : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void modelA_sgd_json_matchesPyTorch()
    {
        const Run r = runApp(kModelASgd + QStringList{"--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QJsonObject got = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonObject ref = referenceCase(QStringLiteral("model_a_sgd"));
        const QJsonArray losses = got["loss"].toArray();
        const QJsonArray want = ref["loss"].toArray();
        QCOMPARE(losses.size(), 3);
        for (int i = 0; i < 3; ++i)
            QVERIFY2(close(losses[i].toDouble(), want[i].toDouble()), qPrintable(describe(r)));
        // One entry per state_dict key, in state_dict order, each with Python's sums.
        const QJsonArray tensors = got["tensors"].toArray();
        const QJsonArray wantTensors = ref["tensors"].toArray();
        QCOMPARE(tensors.size(), 16);
        QCOMPARE(tensors.size(), wantTensors.size());
        for (int i = 0; i < tensors.size(); ++i) {
            const QJsonObject t = tensors[i].toObject();
            const QJsonObject w = wantTensors[i].toObject();
            QCOMPARE(t["name"].toString(), w["name"].toString());
            QCOMPARE(t["kind"].toString(), w["kind"].toString());
            QVERIFY2(close(t["sum_before"].toDouble(), w["sum_before"].toDouble()), qPrintable(t["name"].toString()));
            QVERIFY2(close(t["sum_after"].toDouble(), w["sum_after"].toDouble()), qPrintable(t["name"].toString()));
            QVERIFY2(close(t["max_abs_change"].toDouble(), w["max_abs_change"].toDouble(), 1e-3, 1e-7),
                     qPrintable(t["name"].toString()));
        }
        QCOMPARE(got["forward_calls"].toInt(), 3);
        QCOMPARE(got["mode"].toString(), QStringLiteral("train"));
        QCOMPARE(got["target_shape"].toArray(), (QJsonArray{8}));
    }

    void text_saysWhatMovedEachTensor()
    {
        const Run r = runApp(QStringList{"--example", "batchnorm-demo", "--train", "2", "--input", "4x3x8x8"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.startsWith(QStringLiteral("training: 2 step(s) of SGD(lr=0.01, momentum=0.0, weight_decay=0.0) on F.cross_entropy")),
                 qPrintable(r.out.left(200)));
        QVERIFY(r.out.contains(QStringLiteral("step 1: loss ")));
        QVERIFY(r.out.contains(QStringLiteral("step 2: loss ")));
        QVERIFY(r.out.contains(QStringLiteral("forward calls: 2 (one per step)")));
        const QStringList lines = r.out.split(QLatin1Char('\n'));
        auto lineOf = [&lines](const QString& name) {
            for (const QString& l : lines)
                if (l.startsWith(name + QLatin1Char(' ')))
                    return l;
            return QString();
        };
        QVERIFY(lineOf(QStringLiteral("features.1.running_mean")).endsWith(QStringLiteral("forward in train mode (not the optimizer)")));
        QVERIFY(lineOf(QStringLiteral("classifier.1.weight")).endsWith(QStringLiteral("optimizer")));
    }

    void evalMode_andFrozen_leaveThemUnchanged()
    {
        const Run r = runApp(QStringList{"--example", "batchnorm-demo", "--exec",
                                         "model.classifier.requires_grad_(False)", "--train", "1",
                                         "--input", "2x3x8x8", "--mode", "eval", "--optimizer",
                                         "adam", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.mid(r.out.indexOf(QLatin1Char('{'))).toUtf8());
        for (const QJsonValue& v : doc.object()["tensors"].toArray()) {
            const QJsonObject t = v.toObject();
            const bool shouldMove = t["name"].toString().startsWith(QStringLiteral("features.0")) ||
                                    t["name"].toString() == QStringLiteral("features.1.weight") ||
                                    t["name"].toString() == QStringLiteral("features.1.bias");
            QVERIFY2(t["changed"].toBool() == shouldMove, qPrintable(t["name"].toString()));
        }
    }

    void saveAfterTraining_writesTheTrainedWeights()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("trained.pt"));
        const Run r = runApp(kModelASgd + QStringList{"--json", "--save-state-dict", path});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const Run back = runApp({path, "--print", "state_dict", "--json"});
        QVERIFY2(back.exitCode == 0, qPrintable(describe(back)));
        const QJsonArray saved = QJsonDocument::fromJson(back.out.toUtf8()).array();
        const QJsonArray want = referenceCase(QStringLiteral("model_a_sgd"))["tensors"].toArray();
        QCOMPARE(saved.size(), want.size());
        for (int i = 0; i < saved.size(); ++i)
            QVERIFY2(close(saved[i].toObject()["sum"].toDouble(), want[i].toObject()["sum_after"].toDouble()),
                     qPrintable(saved[i].toObject()["name"].toString()));
    }

    void runtimeErrors_exitOneWithPythonsLine_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("reference");
        QTest::newRow("forward returns None, ce")
            << QStringList{"--example", "buffer-demo", "--train", "1", "--input", "2x1x28x28"}
            << QStringLiteral("model_b_none");
        QTest::newRow("forward returns None, mse")
            << QStringList{"--example", "buffer-demo", "--train", "1", "--input", "2x1x28x28", "--loss", "mse"}
            << QStringLiteral("model_b_none_mse");
        QTest::newRow("shape view cannot take")
            << QStringList{"--train", "1", "--input", "2x1x20x20"} << QStringLiteral("model_a_bad_shape");
    }

    void runtimeErrors_exitOneWithPythonsLine()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, reference);
        const Run r = runApp(args);
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err.trimmed(), QStringLiteral("module-explorer: training failed: ") +
                                      referenceCase(reference)["error"].toString());
        QVERIFY(r.out.isEmpty());
    }

    void torchScriptFile_trains_stateDictFile_saysWhyNot()
    {
        const QString dir = QStringLiteral(MX_FIXTURES_DIR "/files/models/");
        const Run scripted = runApp({dir + "squeezenet.script.pt", "--train", "1", "--input", "1x3x64x64", "--json"});
        QVERIFY2(scripted.exitCode == 0, qPrintable(describe(scripted)));
        int moved = 0;
        for (const QJsonValue& t : QJsonDocument::fromJson(scripted.out.toUtf8()).object()["tensors"].toArray())
            moved += t.toObject()["moved_by"].toString() == QLatin1String("optimizer");
        QCOMPARE(moved, 52);  // squeezenet's 26 convolutions, weight and bias
        const Run weights = runApp({dir + "squeezenet.state_dict.pt", "--train", "1", "--input", "1x3x64x64"});
        QCOMPARE(weights.exitCode, 1);
        QVERIFY2(weights.err.startsWith(QStringLiteral("module-explorer: training failed: RuntimeError: a state_dict "
                                                       "file holds tensors, not a module with a forward")),
                 qPrintable(weights.err));
    }

    void overBudget_isRefused()
    {
        const Run r = runApp({"--train", "1", "--input", "64x1x28x28", "--memory-budget", "100M"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith(QStringLiteral("module-explorer: training failed: MemoryError: ")), qPrintable(r.err));
    }

    void usageErrors_exitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no input") << QStringList{"--train", "3"}
                                  << QStringLiteral("option '--train' needs --input SHAPE, e.g. --input 8x1x28x28");
        QTest::newRow("zero steps") << QStringList{"--train", "0", "--input", "2x1x28x28"}
                                    << QStringLiteral("bad step count '0': expected a whole number from 1 to 999999");
        QTest::newRow("optimizer") << QStringList{"--train", "1", "--input", "2x1x28x28", "--optimizer", "rmsprop"}
                                   << QStringLiteral("unknown optimizer 'rmsprop': expected sgd or adam");
        QTest::newRow("loss") << QStringList{"--train", "1", "--input", "2x1x28x28", "--loss", "nll"}
                              << QStringLiteral("unknown loss 'nll': expected ce or mse");
        QTest::newRow("negative lr") << QStringList{"--train", "1", "--input", "2x1x28x28", "--lr", "-1"}
                                     << QStringLiteral("bad value '-1' for --lr: expected a finite number from 0 to 1000, e.g. 0.01");
        QTest::newRow("nan lr") << QStringList{"--train", "1", "--input", "2x1x28x28", "--lr", "nan"}
                                << QStringLiteral("bad value 'nan' for --lr: expected a finite number from 0 to 1000, e.g. 0.01");
        QTest::newRow("momentum with adam")
            << QStringList{"--train", "1", "--input", "2x1x28x28", "--optimizer", "adam", "--momentum", "0.9"}
            << QStringLiteral("option '--momentum' is SGD's; Adam takes --betas B1,B2");
        QTest::newRow("betas") << QStringList{"--train", "1", "--input", "2x1x28x28", "--optimizer", "adam", "--betas", "0.9"}
                               << QStringLiteral("bad betas '0.9': expected two numbers in [0, 1) joined by a comma, e.g. 0.9,0.999");
        QTest::newRow("lr without train") << QStringList{"--lr", "0.1", "--print", "tree"}
                                          << QStringLiteral("option '--lr' needs --train STEPS");
        QTest::newRow("with print") << QStringList{"--train", "1", "--input", "2x1x28x28", "--print", "tree"}
                                    << QStringLiteral("--train cannot be combined with --forward, --print, --stats or --plot");
        QTest::newRow("bad input") << QStringList{"--train", "1", "--input", "2x0x28"}
                                   << QStringLiteral("bad shape '2x0x28': expected positive sizes joined by 'x', e.g. 8x1x28x28");
    }

    void usageErrors_exitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = runApp(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCliTrain)
#include "tst_clitrain.moc"
