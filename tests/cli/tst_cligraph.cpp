// --graph [--expand all|PATH,...] [--json] [--output FILE [--size WxH]]: build/bin/module-explorer
// run as a process; its JSON held to tests/fixtures/graph/graph_reference.json (torch.jit.script
// graphs read by make_graph_reference.py), usage errors (exit 2, one line), files read back.
#include "../graphreference.h"
#include "apprun.h"

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>

namespace {

// The module paths of --json's nodes, in order.
QStringList modulePaths(const QJsonObject& graph)
{
    QStringList out;
    for (const QJsonValue& v : graph[QStringLiteral("nodes")].toArray())
        if (v[QStringLiteral("kind")].toString() == QLatin1String("module"))
            out << v[QStringLiteral("path")].toString();
    return out;
}

QString describe(const Run& r)
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3").arg(r.exitCode).arg(r.out.left(2000), r.err);
}

QJsonObject json(const Run& r) { return QJsonDocument::fromJson(r.out.toUtf8()).object(); }

}  // namespace

/** The --graph batch mode over the command line. */
class CliGraphTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QTemporaryDir runtimeDir_;

    // As a user runs it: no platform set, so --output picks the offscreen one itself (the
    // minimal platform has no fonts); a private XDG_RUNTIME_DIR keeps Qt's note off stderr.
    Run renderApp(const QStringList& args) const
    {
        QProcessEnvironment env = batchEnvironment();
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDir_.path());
        return runProcess(QStringLiteral(MX_BINARY_DIR "/bin/module-explorer"), args, env);
    }

private Q_SLOTS:
    void modelA_json_matchesScriptedGraph()
    {
        const Run r = runApp({QStringLiteral("--graph"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QJsonObject got = json(r), want = mxtest::graphReference(QStringLiteral("state-dict-demo"));
        QCOMPARE(mxtest::graphNodeLabels(got[QStringLiteral("nodes")].toArray()),
                 mxtest::graphNodeLabels(want[QStringLiteral("nodes")].toArray()));
        QCOMPARE(got[QStringLiteral("edges")].toArray(), want[QStringLiteral("edges")].toArray());
        QCOMPARE(got[QStringLiteral("unused")].toArray(), want[QStringLiteral("unused")].toArray());
        const QJsonObject conv1 = got[QStringLiteral("nodes")].toArray()[1].toObject();
        QCOMPARE(conv1[QStringLiteral("type")].toString(), QStringLiteral("Sequential"));
        QCOMPARE(conv1[QStringLiteral("id")].toInt(), 1);
    }

    void modelA_text_listsNodesEdgesAndUnused()
    {
        const Run r = runApp({QStringLiteral("--graph")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY(r.out.contains(QLatin1String("module conv1  Sequential  [+]")));
        QVERIFY(r.out.contains(QLatin1String("op     view  (aten::view)")));
        QVERIFY(r.out.contains(QLatin1String("  2 -> 3\n")));
        QVERIFY(r.out.contains(QLatin1String("not used by forward (5):\n  layer4cxq1  Conv2d\n")));
        QVERIFY(r.err.isEmpty());
    }

    void expandPaths_showTheirLayers()
    {
        const Run r = runApp({QStringLiteral("--graph"), QStringLiteral("--expand"),
                              QStringLiteral("conv1,dense"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QCOMPARE(modulePaths(json(r)), mxtest::jsonStrings(mxtest::graphReference(
                                           QStringLiteral("state-dict-demo"))[QStringLiteral("leaf_order")]));
    }

    void squeezenetFile_expandAll()
    {
        const Run r = runApp({QStringLiteral(MX_FIXTURES_DIR "/files/models/squeezenet.script.pt"),
                              QStringLiteral("--graph"), QStringLiteral("--expand"), QStringLiteral("all"),
                              QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QCOMPARE(modulePaths(json(r)), mxtest::jsonStrings(mxtest::graphReference(
                                           QStringLiteral("squeezenet"))[QStringLiteral("leaf_order")]));
    }

    void consoleStatements_changeTheGraph()
    {
        const Run r = runApp({QStringLiteral("--exec"),
                              QStringLiteral("model.head = nn.Sequential(nn.Linear(10, 4), nn.ReLU())"),
                              QStringLiteral("--exec"), QStringLiteral("m = model.conv1.append(nn.ReLU())"),
                              QStringLiteral("--graph"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QCOMPARE(json(r)[QStringLiteral("unused")].toArray(),
                 mxtest::graphReference(QStringLiteral("console"))[QStringLiteral("unused")].toArray());
    }

    void modelB_saysForwardReturnsNone()
    {
        const Run r = runApp({QStringLiteral("--example"), QStringLiteral("buffer-demo"), QStringLiteral("--graph")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY(r.out.contains(QLatin1String("edges (0):")));
        QVERIFY(r.out.contains(QLatin1String("note: forward returns None")));
    }

    void usageErrors_exitTwoWithOneLine_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("expand without graph") << QStringList{"--expand", "conv1"} << "'--expand' needs --graph";
        QTest::newRow("unknown container") << QStringList{"--graph", "--expand", "conv9"}
                                           << "cannot expand 'conv9'";
        QTest::newRow("a leaf") << QStringList{"--graph", "--expand", "conv1.0"} << "cannot expand 'conv1.0'";
        QTest::newRow("bad path") << QStringList{"--graph", "--expand", "conv1,,dense"} << "bad --expand value";
        QTest::newRow("with print") << QStringList{"--graph", "--print", "tree"} << "cannot be combined";
        QTest::newRow("json and output") << QStringList{"--graph", "--json", "--output", "x.png"} << "--json";
        QTest::newRow("bad format") << QStringList{"--graph", "--output", "x.gif"} << "unknown format";
        QTest::newRow("size without output") << QStringList{"--graph", "--size", "x"} << "bad size";
    }

    void usageErrors_exitTwoWithOneLine()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = runApp(args);
        QVERIFY2(r.exitCode == 2, qPrintable(describe(r)));
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
        QVERIFY(r.out.isEmpty());
    }

    void output_writesPngSvgPdf()
    {
        const QString png = dir_.filePath(QStringLiteral("a.png"));
        Run r = renderApp({QStringLiteral("--graph"), QStringLiteral("--expand"), QStringLiteral("all"),
                        QStringLiteral("--output"), png});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.height() > image.width() / 2);

        const QString sized = dir_.filePath(QStringLiteral("b.png"));
        r = renderApp({QStringLiteral("--graph"), QStringLiteral("--output"), sized, QStringLiteral("--size"),
                    QStringLiteral("300x900")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QCOMPARE(QImage(sized).size(), QSize(300, 900));

        const QString svg = dir_.filePath(QStringLiteral("c.svg"));
        r = renderApp({QStringLiteral("--graph"), QStringLiteral("--output"), svg});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        QVERIFY(svgFile.readAll().contains("layer4cxq1"));

        const QString pdf = dir_.filePath(QStringLiteral("d.pdf"));
        r = renderApp({QStringLiteral("--graph"), QStringLiteral("--output"), pdf});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly));
        QVERIFY(pdfFile.read(5) == "%PDF-");
    }

    void output_unwritable_exitsOne()
    {
        const Run r = renderApp({QStringLiteral("--graph"), QStringLiteral("--output"),
                              dir_.filePath(QStringLiteral("missing/dir/a.png"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("cannot write")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(CliGraphTest)
#include "tst_cligraph.moc"
