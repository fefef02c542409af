// File → Export View… and Copy as Image: each view to PNG (1×/2×/3×), SVG and PDF at the size
// asked, fully expanded or as shown, in the light print theme whatever the screen's, and a
// failed write keeps the old file.
#include "app/appearance.h"
#include "app/document.h"
#include "app/mainwindow.h"
#include "items/listingmodel.h"
#include "items/moduletreemodel.h"
#include "widgets/listingpanel.h"
#include "widgets/moduletreeview.h"
#include "widgets/exportviewdialog.h"
#include "widgets/viewexport.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QMenu>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include "../exportfiles.h"
#include "../filesizelimit.h"

#include <QtTest>

#include <csignal>

#include <sys/resource.h>

using namespace mx;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeOld(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

double lightness(const QImage& image, int x, int y) { return image.pixelColor(x, y).lightnessF(); }


ViewExportOptions printOptions()
{
    ViewExportOptions o;
    o.usePalette = true;
    o.palette = themePalette(Theme::Light);
    return o;
}

}  // namespace

class ViewExportTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(dir.isValid());
        QVERIFY(document.openExample(QStringLiteral("state-dict-demo")));
        window = std::make_unique<MainWindow>(&document);
        window->resize(1280, 800);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    }

    void png_eachScale_hasTheRequestedPixelSize_data()
    {
        QTest::addColumn<QString>("view");
        QTest::addColumn<int>("scale");
        for (const char* view : {"tree", "state_dict", "named_buffers", "diff", "console", "latency", "plot", "window"})
            for (int scale = 1; scale <= 3; ++scale)
                QTest::addRow("%s@%dx", view, scale) << QString::fromLatin1(view) << scale;
    }

    void png_eachScale_hasTheRequestedPixelSize()
    {
        QFETCH(QString, view);
        QFETCH(int, scale);
        ViewExportOptions o = printOptions();
        o.size = QSize(420, 260);
        o.scale = scale;
        const QString path = dir.filePath(view + QStringLiteral(".png"));
        QString error;
        QVERIFY2(window->exportViewTo(view, path, o, &error), qPrintable(error));
        const QImage image(path);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(420 * scale, 260 * scale));
    }

    void svg_isVector_ofTheRequestedSize_andKeepsTextAsText()
    {
        ViewExportOptions o = printOptions();
        o.size = QSize(700, 500);
        const QString path = dir.filePath(QStringLiteral("tree.svg"));
        QString error;
        QVERIFY2(window->exportViewTo(QStringLiteral("tree"), path, o, &error), qPrintable(error));
        const SvgInfo svg = parseSvg(readAll(path));
        QVERIFY(svg.ok);
        QCOMPARE(svg.width, QStringLiteral("700"));
        QCOMPARE(svg.height, QStringLiteral("500"));
        QCOMPARE(svg.viewBox, QStringLiteral("0 0 700 500"));
        // Names, badges and shapes are text elements, not pixels.
        QVERIFY2(svg.text.contains(QStringLiteral("conv1")), qPrintable(svg.text.left(400)));
        QVERIFY(svg.text.contains(QStringLiteral("parameter")));
        QVERIFY(svg.text.contains(QStringLiteral("torch.Size([64, 1, 3, 3])")));
        // Only the style's branch arrows and header shading are pixmaps (one row high), never
        // the view itself.
        static const QRegularExpression image(QStringLiteral("<image[^>]* height=\"(\\d+)\""));
        for (const QRegularExpressionMatch& m : image.globalMatch(QString::fromUtf8(readAll(path))))
            QVERIFY2(m.captured(1).toInt() <= 32, qPrintable(m.captured(0)));
    }

    void pdf_hasTheHeader_andOnePage()
    {
        for (const char* view : {"tree", "state_dict", "console", "window"}) {
            const QString path = dir.filePath(QLatin1String(view) + QStringLiteral(".pdf"));
            QString error;
            QVERIFY2(window->exportViewTo(QLatin1String(view), path, printOptions(), &error), qPrintable(error));
            const QByteArray pdf = readAll(path);
            QVERIFY2(pdf.startsWith("%PDF-"), view);
            QCOMPARE(pdfPageCount(pdf), 1);
        }
    }

    void tree_fullyExpanded_isTallerThanAsShown_andShowsHiddenRows()
    {
        window->treeView()->collapseAll();
        window->treeView()->expand(window->treeModel()->index(0, 0));  // the model's own row only
        ViewExportOptions shown = printOptions();
        shown.whole = false;
        shown.size = QSize(800, 0);  // the height the content needs ... as shown: the view's
        ViewExportOptions whole = printOptions();
        ViewExportOptions depth1 = printOptions();
        depth1.depth = 1;
        QString error;
        const QImage all = window->exportViewImage(QStringLiteral("tree"), whole, &error);
        const QImage one = window->exportViewImage(QStringLiteral("tree"), depth1, &error);
        QVERIFY2(!all.isNull() && !one.isNull(), qPrintable(error));
        QVERIFY2(all.height() > one.height() + 10 * 16, qPrintable(QStringLiteral("%1 vs %2").arg(all.height()).arg(one.height())));
        // The fully expanded SVG names a conv's weight that the collapsed view does not show.
        const QString wholeSvg = dir.filePath(QStringLiteral("whole.svg"));
        const QString shownSvg = dir.filePath(QStringLiteral("shown.svg"));
        QVERIFY(window->exportViewTo(QStringLiteral("tree"), wholeSvg, whole, &error));
        QVERIFY(window->exportViewTo(QStringLiteral("tree"), shownSvg, shown, &error));
        QVERIFY(parseSvg(readAll(wholeSvg)).text.contains(QStringLiteral("torch.Size([128, 64, 3, 3])")));
        QVERIFY(!parseSvg(readAll(shownSvg)).text.contains(QStringLiteral("torch.Size([128, 64, 3, 3])")));
        window->treeView()->expandTopLevels();
    }

    void rowsTheFilterHides_areHiddenInTheExport()
    {
        QTableView* table = window->listingPanel()->view(0);
        const QString first = table->model()->index(0, 0).data().toString();
        table->setRowHidden(0, true);
        const QModelIndex root = window->treeModel()->index(0, 0);
        int conv1 = -1;
        for (int r = 0; r < window->treeModel()->rowCount(root); ++r)
            if (window->treeModel()->index(r, 0, root).data().toString() == QLatin1String("conv1"))
                conv1 = r;
        QVERIFY(conv1 >= 0);
        window->treeView()->setRowHidden(conv1, root, true);
        QString error;
        const QString listing = dir.filePath(QStringLiteral("filtered.svg"));
        const QString tree = dir.filePath(QStringLiteral("filteredtree.svg"));
        QVERIFY2(window->exportViewTo(QStringLiteral("state_dict"), listing, printOptions(), &error), qPrintable(error));
        QVERIFY2(window->exportViewTo(QStringLiteral("tree"), tree, printOptions(), &error), qPrintable(error));
        table->setRowHidden(0, false);
        window->treeView()->setRowHidden(conv1, root, false);
        const QString listed = parseSvg(readAll(listing)).text;
        QVERIFY(!listed.contains(first));
        QVERIFY(listed.contains(QStringLiteral("conv1.0.weight")));
        const QString treeText = parseSvg(readAll(tree)).text;
        QVERIFY(!treeText.contains(QStringLiteral("conv1")));
        QVERIFY(treeText.contains(QStringLiteral("dense")));
    }

    void lightPrintTheme_isLight_evenWhenTheAppIsDark()
    {
        const QPalette saved = QApplication::palette();
        QApplication::setPalette(themePalette(Theme::Dark));
        ViewExportOptions screen;  // the screen's colours: dark
        screen.size = QSize(400, 300);
        ViewExportOptions print = printOptions();
        print.size = QSize(400, 300);
        QString error;
        const QImage dark = window->exportViewImage(QStringLiteral("state_dict"), screen, &error);
        const QImage light = window->exportViewImage(QStringLiteral("state_dict"), print, &error);
        QApplication::setPalette(saved);
        QVERIFY2(!dark.isNull() && !light.isNull(), qPrintable(error));
        // Below the last row: the table's background.
        QVERIFY2(lightness(light, 200, 290) > 0.8, qPrintable(QString::number(lightness(light, 200, 290))));
        QVERIFY2(lightness(dark, 200, 290) < 0.35, qPrintable(QString::number(lightness(dark, 200, 290))));
    }

    void charts_followTheTheme_andThePrintThemeInExports_data()
    {
        QTest::addColumn<QString>("view");
        QTest::addRow("latency chart") << QStringLiteral("latency");
        QTest::addRow("inspector plot") << QStringLiteral("plot");
    }

    void charts_followTheTheme_andThePrintThemeInExports()
    {
        QFETCH(QString, view);
        const QPalette saved = QApplication::palette();
        QApplication::setPalette(themePalette(Theme::Dark));
        QCoreApplication::processEvents();
        ViewExportOptions screen;  // the screen's colours: dark
        screen.size = QSize(400, 300);
        ViewExportOptions print = printOptions();
        print.size = QSize(400, 300);
        QString error;
        const QImage dark = window->exportViewImage(view, screen, &error);
        const QImage light = window->exportViewImage(view, print, &error);
        const QImage darkAgain = window->exportViewImage(view, screen, &error);
        QApplication::setPalette(saved);
        QCoreApplication::processEvents();
        QVERIFY2(!dark.isNull() && !light.isNull() && !darkAgain.isNull(), qPrintable(error));
        // The plot's margin, left of the axis: its background.
        const int y = dark.height() / 2;
        QVERIFY2(lightness(dark, 1, y) < 0.35, qPrintable(QString::number(lightness(dark, 1, y))));
        QVERIFY2(lightness(light, 1, y) > 0.8, qPrintable(QString::number(lightness(light, 1, y))));
        // The export's print theme does not stay on the plot the window shows.
        QVERIFY2(lightness(darkAgain, 1, y) < 0.35, qPrintable(QString::number(lightness(darkAgain, 1, y))));
    }

    void selection_isShownOnlyWhenAsked()
    {
        QTableView* table = window->listingPanel()->view(0);
        table->selectRow(0);
        ViewExportOptions with = printOptions();
        with.size = QSize(400, 120);
        ViewExportOptions without = with;
        without.showSelection = false;
        const QImage a = window->exportViewImage(QStringLiteral("state_dict"), with);
        const QImage b = window->exportViewImage(QStringLiteral("state_dict"), without);
        QVERIFY(!a.isNull() && !b.isNull());
        const QColor highlight = themePalette(Theme::Light).color(QPalette::Inactive, QPalette::Highlight);
        auto highlighted = [&](const QImage& image) {
            const QColor c = image.pixelColor(200, 35);  // inside row 0, past the header
            return qAbs(c.hue() - highlight.hue()) < 20 && c.saturation() > 60;
        };
        QVERIFY(highlighted(a));
        QVERIFY(!highlighted(b));
        table->clearSelection();
    }

    void diff_showsTheRowsBeforeAndAfter_andConsoleTheStatement()
    {
        bool finished = false;
        connect(&document, &Document::statementFinished, this, [&finished] { finished = true; });
        window->runInConsole(QStringLiteral("model.register_buffer('export_marker', torch.zeros(2))"));
        QTRY_VERIFY(finished);
        QTRY_VERIFY(!document.isBusy());
        QString error;
        const QString diff = dir.filePath(QStringLiteral("diff.svg"));
        QVERIFY2(window->exportViewTo(QStringLiteral("diff"), diff, printOptions(), &error), qPrintable(error));
        const QString text = parseSvg(readAll(diff)).text;
        QVERIFY(text.contains(QStringLiteral("before the last change")));
        QCOMPARE(text.count(QStringLiteral("export_marker")), 1);  // added: only in "now"
        const QString console = dir.filePath(QStringLiteral("console.svg"));
        QVERIFY2(window->exportViewTo(QStringLiteral("console"), console, printOptions(), &error), qPrintable(error));
        QVERIFY(parseSvg(readAll(console)).text.contains(QStringLiteral("export_marker")));
        QVERIFY(window->listingModel(0)->rowCount() > 0);
        QVERIFY(!window->listingModel(0)->showsBefore());  // the window's listing is as it was
    }

    void failedWrite_keepsTheOldFile_andSaysWhy()
    {
        const QString path = dir.filePath(QStringLiteral("old.png"));
        QVERIFY(writeOld(path, "old contents"));
        QString error;
        {
            const FileSizeLimit limit(64);
            QVERIFY(!window->exportViewTo(QStringLiteral("tree"), path, printOptions(), &error));
        }
        QCOMPARE(readAll(path), QByteArray("old contents"));
        QVERIFY2(error.startsWith(QStringLiteral("cannot write '")), qPrintable(error));
    }

    void sizePastTheBudget_isRefusedBeforeDrawing_andKeepsTheOldFile()
    {
        const QString path = dir.filePath(QStringLiteral("huge.png"));
        QVERIFY(writeOld(path, "old contents"));
        ViewExportOptions o = printOptions();
        o.size = QSize(8000, 8000);
        o.scale = 3;
        QString error;
        QVERIFY(!window->exportViewTo(QStringLiteral("window"), path, o, &error));
        QVERIFY2(error.contains(QStringLiteral("16384")), qPrintable(error));
        QCOMPARE(readAll(path), QByteArray("old contents"));
        o.size = QSize(8000, 8000);
        o.scale = 2;  // 16000 a side fits, 256 million pixels do not
        QVERIFY(!checkExportBudget(o.size, o.scale, &error));
        QVERIFY2(error.contains(QStringLiteral("million")), qPrintable(error));
        QVERIFY(checkExportBudget(QSize(1920, 1080), 3, &error));
        QVERIFY(!window->exportViewTo(QStringLiteral("nonsense"), path, o, &error));
        QVERIFY(error.contains(QStringLiteral("expected one of")));
    }

    void dialog_offersTheViews_andReturnsTheChoices()
    {
        const QStringList views = window->exportableViews();
        QVERIFY(views.contains(QStringLiteral("diff")) && views.contains(QStringLiteral("window")));
        ExportViewDialog dialog(views, views);
        dialog.setView(QStringLiteral("console"));
        dialog.setFormat(QStringLiteral("svg"));
        QCOMPARE(dialog.view(), QStringLiteral("console"));
        QCOMPARE(dialog.scale(), 1.0);  // scale is for PNG only
        dialog.findChild<QSpinBox*>(QStringLiteral("exportWidth"))->setValue(900);
        QCOMPARE(dialog.size(), QSize(900, 0));
        QVERIFY(dialog.printTheme());
        dialog.setFormat(QStringLiteral("png"));
        auto* scale = dialog.findChild<QComboBox*>(QStringLiteral("exportScale"));
        scale->setCurrentIndex(2);
        QCOMPARE(dialog.scale(), 3.0);
    }

    void copyAsImage_putsTheFocusedViewOnTheClipboard()
    {
        window->listingPanel()->view(0)->setFocus();
        QCOMPARE(window->focusedViewName(), QStringLiteral("state_dict"));
        window->treeView()->setFocus();
        QCOMPARE(window->focusedViewName(), QStringLiteral("tree"));
        QApplication::clipboard()->clear();
        auto* copy = window->findChild<QAction*>(QStringLiteral("copyAsImageAction"));
        QVERIFY(copy);
        copy->trigger();
        const QImage image = QApplication::clipboard()->image();
        QVERIFY(!image.isNull());
        // As on screen: the tree's own size.
        QCOMPARE(image.size(), window->treeView()->size() * window->devicePixelRatioF());
    }

    void menus_haveExportView_beforeTheSessionExport_andCopyAsImage()
    {
        auto* exportView = window->findChild<QAction*>(QStringLiteral("exportViewAction"));
        QVERIFY(exportView);
        QMenu* file = nullptr;
        for (QObject* o : exportView->associatedObjects())
            if (auto* m = qobject_cast<QMenu*>(o))
                file = m;
        QVERIFY(file);
        const QList<QAction*> actions = file->actions();
        const int at = actions.indexOf(exportView);
        QVERIFY(at >= 0 && at + 1 < actions.size());
        QVERIFY2(actions[at + 1]->text().contains(QStringLiteral("Python")), qPrintable(actions[at + 1]->text()));
    }

private:
    QTemporaryDir dir;
    Document document;
    std::unique_ptr<MainWindow> window;
};

QTEST_MAIN(ViewExportTest)
#include "tst_viewexport.moc"
