// --export-view VIEW --output FILE headless (no DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM in
// the child's environment), --size/--scale honoured, --exec shown in the console and diff,
// usage errors, failed writes; --print ... --format markdown|html handouts.
#include "apprun.h"
#include "../exportfiles.h"

#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

namespace {

/** No display at all: the app must pick the offscreen platform itself. */
Run runHeadless(const QStringList& args, rlim_t fileSizeLimit = RLIM_INFINITY)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    return runProcess(QStringLiteral(MX_BINARY_DIR "/bin/module-explorer"), args, env, fileSizeLimit);
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class CliExportTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(dir.isValid()); }

    void eachView_headless_writesAPng_data()
    {
        QTest::addColumn<QString>("view");
        for (const char* v : {"tree", "state_dict", "named_parameters", "named_buffers", "diff", "console", "window"})
            QTest::newRow(v) << QString::fromLatin1(v);
    }

    void eachView_headless_writesAPng()
    {
        QFETCH(QString, view);
        const QString path = dir.filePath(view + QStringLiteral(".png"));
        const Run r = runHeadless({QStringLiteral("--export-view"), view, QStringLiteral("--output"), path});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        const QImage image(path);
        QVERIFY(!image.isNull());
        QVERIFY2(image.width() >= 150 && image.height() >= 20, qPrintable(QStringLiteral("%1x%2").arg(image.width()).arg(image.height())));  // named_buffers: the header only
    }

    void sizeAndScale_giveThePixelsAsked_data()
    {
        QTest::addColumn<QString>("view");
        QTest::addColumn<QString>("scale");
        for (const char* v : {"tree", "state_dict", "diff", "console", "window"})
            for (const char* s : {"1", "2", "3"})
                QTest::addRow("%s@%s", v, s) << QString::fromLatin1(v) << QString::fromLatin1(s);
    }

    void sizeAndScale_giveThePixelsAsked()
    {
        QFETCH(QString, view);
        QFETCH(QString, scale);
        const QString path = dir.filePath(view + scale + QStringLiteral(".png"));
        const Run r = runHeadless({QStringLiteral("--export-view"), view, QStringLiteral("--output"), path,
                                   QStringLiteral("--size"), QStringLiteral("640x360"), QStringLiteral("--scale"), scale});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(QImage(path).size(), QSize(640, 360) * scale.toInt());
    }

    void svgAndPdf_areValid_ofTheSizeAsked()
    {
        const QString svg = dir.filePath(QStringLiteral("tree.svg"));
        Run r = runHeadless({QStringLiteral("--example"), QStringLiteral("state-dict-demo"), QStringLiteral("--export-view"),
                             QStringLiteral("tree"), QStringLiteral("--output"), svg, QStringLiteral("--size"), QStringLiteral("900x400")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const SvgInfo info = parseSvg(readAll(svg));
        QVERIFY(info.ok);
        QCOMPARE(info.width, QStringLiteral("900"));
        QCOMPARE(info.height, QStringLiteral("400"));
        QVERIFY(info.text.contains(QStringLiteral("conv1")));
        const QString pdf = dir.filePath(QStringLiteral("np.pdf"));
        r = runHeadless({QStringLiteral("--export-view"), QStringLiteral("named_parameters"), QStringLiteral("--output"), pdf,
                         QStringLiteral("--theme"), QStringLiteral("dark")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QByteArray bytes = readAll(pdf);
        QVERIFY(bytes.startsWith("%PDF-"));
        QCOMPARE(pdfPageCount(bytes), 1);
    }

    void depth_limitsTheTree()
    {
        const QString full = dir.filePath(QStringLiteral("full.png")), one = dir.filePath(QStringLiteral("one.png"));
        QCOMPARE(runHeadless({QStringLiteral("--export-view"), QStringLiteral("tree"), QStringLiteral("--output"), full}).exitCode, 0);
        QCOMPARE(runHeadless({QStringLiteral("--export-view"), QStringLiteral("tree"), QStringLiteral("--output"), one,
                              QStringLiteral("--depth"), QStringLiteral("1")}).exitCode, 0);
        QVERIFY(QImage(full).height() > QImage(one).height() + 100);
    }

    void exec_showsInTheConsoleAndTheDiff()
    {
        const QStringList exec{QStringLiteral("--exec"), QStringLiteral("model.register_buffer('handout_marker', torch.zeros(2))")};
        const QString console = dir.filePath(QStringLiteral("console.svg")), diff = dir.filePath(QStringLiteral("diff.svg"));
        Run r = runHeadless(exec + QStringList{QStringLiteral("--export-view"), QStringLiteral("console"), QStringLiteral("--output"), console});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const SvgInfo consoleSvg = parseSvg(readAll(console));
        QVERIFY(consoleSvg.ok);
        QVERIFY(consoleSvg.text.contains(QStringLiteral(">>> model.register_buffer('handout_marker'")));
        r = runHeadless(exec + QStringList{QStringLiteral("--export-view"), QStringLiteral("diff"), QStringLiteral("--output"), diff});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const SvgInfo diffSvg = parseSvg(readAll(diff));
        QVERIFY(diffSvg.ok);
        const QString& text = diffSvg.text;
        QVERIFY(text.contains(QStringLiteral("before the last change")));
        QCOMPARE(text.count(QStringLiteral("handout_marker")), 1);  // added: in "now" only
    }

    void failingExec_exits1_withPythonsError_andWritesNothing()
    {
        const QString path = dir.filePath(QStringLiteral("never.png"));
        const Run r = runHeadless({QStringLiteral("--exec"), QStringLiteral("model.nope()"), QStringLiteral("--export-view"),
                                   QStringLiteral("tree"), QStringLiteral("--output"), path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("AttributeError: 'Model' object has no attribute 'nope'")), qPrintable(r.err));
        QVERIFY(!QFile::exists(path));
    }

    void usageErrors_exit2_withOneLine_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString out = QStringLiteral("--output"), png = QStringLiteral("x.png"), ev = QStringLiteral("--export-view");
        QTest::newRow("unknown view") << QStringList{ev, QStringLiteral("graph"), out, png} << QStringLiteral("cannot export view 'graph'");
        QTest::newRow("missing output") << QStringList{ev, QStringLiteral("tree")} << QStringLiteral("needs --output FILE");
        QTest::newRow("bad size") << QStringList{ev, QStringLiteral("tree"), out, png, QStringLiteral("--size"), QStringLiteral("10x10")} << QStringLiteral("bad size '10x10'");
        QTest::newRow("scale 4") << QStringList{ev, QStringLiteral("tree"), out, png, QStringLiteral("--scale"), QStringLiteral("4")} << QStringLiteral("bad scale '4'");
        QTest::newRow("suffix") << QStringList{ev, QStringLiteral("tree"), out, QStringLiteral("x.jpg")} << QStringLiteral("unknown format");
        QTest::newRow("depth on a listing") << QStringList{ev, QStringLiteral("state_dict"), out, png, QStringLiteral("--depth"), QStringLiteral("2")} << QStringLiteral("needs --export-view tree");
        QTest::newRow("scale alone") << QStringList{QStringLiteral("--scale"), QStringLiteral("2")} << QStringLiteral("needs --export-view VIEW");
        QTest::newRow("theme") << QStringList{ev, QStringLiteral("tree"), out, png, QStringLiteral("--theme"), QStringLiteral("pink")} << QStringLiteral("unknown theme 'pink'");
        QTest::newRow("lang") << QStringList{ev, QStringLiteral("tree"), out, png, QStringLiteral("--lang"), QStringLiteral("fr")} << QStringLiteral("unknown language 'fr'");
        QTest::newRow("with print") << QStringList{ev, QStringLiteral("tree"), out, png, QStringLiteral("--print"), QStringLiteral("tree")} << QStringLiteral("cannot be combined");
        QTest::newRow("format alone") << QStringList{QStringLiteral("--format"), QStringLiteral("html")} << QStringLiteral("needs --print WHAT");
        QTest::newRow("format") << QStringList{QStringLiteral("--print"), QStringLiteral("tree"), QStringLiteral("--format"), QStringLiteral("rst")} << QStringLiteral("unknown format 'rst'");
    }

    void usageErrors_exit2_withOneLine()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = runHeadless(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
        QVERIFY(!QFile::exists(QStringLiteral("x.png")));
    }

    void unwritableOutput_exits1_andKeepsTheOldFile()
    {
        const QString path = dir.filePath(QStringLiteral("old.png"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("old contents");
        }
        const Run r = runHeadless({QStringLiteral("--export-view"), QStringLiteral("tree"), QStringLiteral("--output"), path}, 64);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith(QStringLiteral("module-explorer: cannot write '")), qPrintable(r.err));
        QCOMPARE(readAll(path), QByteArray("old contents"));
        const Run big = runHeadless({QStringLiteral("--export-view"), QStringLiteral("window"), QStringLiteral("--output"), path,
                                     QStringLiteral("--size"), QStringLiteral("8000x8000"), QStringLiteral("--scale"), QStringLiteral("3")});
        QCOMPARE(big.exitCode, 1);
        QVERIFY2(big.err.contains(QStringLiteral("16384")), qPrintable(big.err));
        QCOMPARE(readAll(path), QByteArray("old contents"));
    }

    void print_formatText_isTodaysOutput()
    {
        const Run plain = runApp({QStringLiteral("--print"), QStringLiteral("tree")});
        const Run text = runApp({QStringLiteral("--print"), QStringLiteral("tree"), QStringLiteral("--format"), QStringLiteral("text")});
        QCOMPARE(text.exitCode, 0);
        QCOMPARE(text.out, plain.out);
    }

    void print_markdown_isANestedListAndTables()
    {
        const Run r = runApp({QStringLiteral("--print"), QStringLiteral("tree"), QStringLiteral("--print"), QStringLiteral("state_dict"),
                              QStringLiteral("--format"), QStringLiteral("markdown")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(QStringLiteral("## `model`\n\n- **`model`** — module — `Model`")), qPrintable(r.out.left(200)));
        QVERIFY(r.out.contains(QStringLiteral("  - **`conv1`** — module — `Sequential`")));
        QVERIFY(r.out.contains(QStringLiteral("    - `weight` — parameter — `torch.Size([64, 1, 3, 3]), float32, cpu, requires_grad=True`")));
        QVERIFY(r.out.contains(QStringLiteral("| # | name | shape | kind | dtype |\n| --- |")));
        QVERIFY(r.out.contains(QStringLiteral("| 4 | `conv1.0.weight` | `torch.Size([64, 1, 3, 3])` | parameter | float32 |")));
    }

    void print_markdown_nameWithPipeAndBacktick_staysOneCell()
    {
        const Run r = runApp({QStringLiteral("--exec"), QStringLiteral("model.register_buffer('a|b`c', torch.zeros(1))"),
                              QStringLiteral("--print"), QStringLiteral("named_buffers"), QStringLiteral("--format"), QStringLiteral("markdown")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("| 0 | `` a\\|b`c `` | `torch.Size([1])` | buffer | float32 |")), qPrintable(r.out));
    }

    void print_html_isSelfContained_andEscapesNames()
    {
        const Run r = runApp({QStringLiteral("--exec"), QStringLiteral("model.register_buffer('a<b>&c', torch.zeros(1), persistent=False)"),
                              QStringLiteral("--print"), QStringLiteral("named_buffers"), QStringLiteral("--print"), QStringLiteral("tree"),
                              QStringLiteral("--format"), QStringLiteral("html")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(QStringLiteral("<!DOCTYPE html>")));
        QVERIFY(r.out.contains(QStringLiteral("<meta charset=\"utf-8\">")));
        QVERIFY(r.out.contains(QStringLiteral("a&lt;b&gt;&amp;c")));
        QVERIFY(!r.out.contains(QStringLiteral("a<b>")));
        QVERIFY(r.out.contains(QStringLiteral("non-persistent buffer (not in state_dict)")));
        QVERIFY(r.out.trimmed().endsWith(QStringLiteral("</html>")));
        QXmlStreamReader xml(r.out.mid(r.out.indexOf(QStringLiteral("<body>"))).replace(QStringLiteral("</html>"), QString()));
        while (!xml.atEnd())
            xml.readNext();
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));  // the body is well-formed
    }

private:
    QTemporaryDir dir;
};

QTEST_MAIN(CliExportTest)
#include "tst_cliexport.moc"
