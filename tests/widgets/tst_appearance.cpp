// Issue 13, classroom: one zoom factor for every font, row, badge and chart text; presentation
// mode; light and dark themes with readable badges; a layout that keeps the tree readable at
// 1280×720; all of it remembered. MX_APPEARANCE_SHOTS=DIR also writes screenshots there.
#include "app/appearance.h"
#include "app/document.h"
#include "app/mainwindow.h"
#include "app/settingskeys.h"
#include "items/entrytext.h"
#include "items/moduletreemodel.h"
#include "widgets/consolewidget.h"
#include "widgets/elidinglabel.h"
#include "widgets/forwardpanel.h"
#include "widgets/kindbadgedelegate.h"
#include "widgets/latencychart.h"
#include "widgets/listingpanel.h"
#include "widgets/moduletreeview.h"

#include <QAction>
#include <QDockWidget>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTextBlock>
#include <QToolBar>
#include <QtTest>

#include <memory>

using namespace mx;

namespace {

QAction* action(MainWindow* w, const char* name)
{
    auto* a = w->findChild<QAction*>(QLatin1String(name));
    if (!a)
        qFatal("no action %s", name);
    return a;
}

double pixelSize(const QWidget* w) { return QFontInfo(w->font()).pixelSize(); }

int treeRowHeight(ModuleTreeView* tree)
{
    const QModelIndex first = tree->model()->index(0, 0);
    return tree->visualRect(first).height();
}

/** Rows of the tree that can be read whole in its viewport. */
int visibleTreeRows(ModuleTreeView* tree)
{
    for (int i = 0; i < 3; ++i)  // the window lays out again after a zoom by events
        QCoreApplication::processEvents();
    return tree->viewport()->height() / std::max(1, treeRowHeight(tree));
}

struct Measures {
    double console, input, tree, listing, chart;
};

Measures measure(MainWindow* w)
{
    auto* transcript = w->console()->findChild<QPlainTextEdit*>(QStringLiteral("consoleTranscript"));
    return {pixelSize(transcript), pixelSize(w->console()->input()), double(treeRowHeight(w->treeView())),
            double(w->listingPanel()->view(0)->verticalHeader()->defaultSectionSize()),
            QFontInfo(w->forwardPanel()->chart()->tickLabelFont()).pixelSize() * 1.0};
}

}  // namespace

/** The View menu's zoom, presentation and themes, as a teacher at a projector would use them. */
class AppearanceTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        applyTheme(Theme::Light);
        QVERIFY(document.openExample(QStringLiteral("batchnorm-demo")));
    }

    void cleanup()
    {
        window.reset();
        QSettings().clear();
        applyTheme(Theme::Light);
    }

    void zoomInThreeSteps_growsConsoleTreeListingAndChartByOneFactor()
    {
        open();
        const Measures before = measure(window.get());
        for (int i = 0; i < 3; ++i)
            action(window.get(), "zoomIn")->trigger();
        QCOMPARE(window->zoomSteps(), 3);
        const Measures after = measure(window.get());
        const double factor = zoomFactor(3);  // 1.75
        auto near = [factor](double a, double b, double slack) {
            return std::abs(b / a - factor) <= slack;
        };
        QVERIFY2(near(before.console, after.console, 0.12),
                 qPrintable(QStringLiteral("console %1 → %2").arg(before.console).arg(after.console)));
        QVERIFY2(near(before.input, after.input, 0.12),
                 qPrintable(QStringLiteral("input %1 → %2").arg(before.input).arg(after.input)));
        QVERIFY2(near(before.tree, after.tree, 0.2),
                 qPrintable(QStringLiteral("tree row %1 → %2").arg(before.tree).arg(after.tree)));
        QVERIFY2(near(before.listing, after.listing, 0.2),
                 qPrintable(QStringLiteral("listing row %1 → %2").arg(before.listing).arg(after.listing)));
        QVERIFY2(near(before.chart, after.chart, 0.12),
                 qPrintable(QStringLiteral("chart ticks %1 → %2").arg(before.chart).arg(after.chart)));

        action(window.get(), "zoomReset")->trigger();
        const Measures reset = measure(window.get());
        QCOMPARE(reset.console, before.console);
        QCOMPARE(reset.input, before.input);
        QCOMPARE(reset.tree, before.tree);
        QCOMPARE(reset.listing, before.listing);
        QCOMPARE(reset.chart, before.chart);
    }

    void zoomKeys_workWhileTypingInTheConsole()
    {
        open();
        ConsoleInput* input = window->console()->input();
        input->setFocus();
        QTest::keyClick(input, Qt::Key_Equal, Qt::ControlModifier);
        QCOMPARE(window->zoomSteps(), 1);
        QTest::keyClick(input, Qt::Key_Plus, Qt::ControlModifier);
        QCOMPARE(window->zoomSteps(), 2);
        QTest::keyClick(input, Qt::Key_Minus, Qt::ControlModifier);
        QCOMPARE(window->zoomSteps(), 1);
        QTest::keyClick(input, Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(window->zoomSteps(), 0);
        QVERIFY(input->toPlainText().isEmpty());  // the keys zoomed, they typed nothing
        QCOMPARE(QSettings().value(QLatin1String(settingskeys::kZoom)).toInt(), 0);
    }

    void zoom_staysWithinItsRange()
    {
        open();
        for (int i = 0; i < 20; ++i)
            action(window.get(), "zoomIn")->trigger();
        QCOMPARE(window->zoomSteps(), kMaxZoomStep);
        for (int i = 0; i < 30; ++i)
            action(window.get(), "zoomOut")->trigger();
        QCOMPARE(window->zoomSteps(), kMinZoomStep);
        QVERIFY(window->treeView()->font().pointSizeF() > 3);
    }

    void f11_presentationHidesStatusBarAndGrowsFonts_andBack()
    {
        open();
        const double font = pixelSize(window->treeView());
        const double console = pixelSize(window->console()->input());
        QVERIFY(window->statusBar()->isVisible());
        QTest::keyClick(window.get(), Qt::Key_F11);
        QVERIFY(window->isPresentation());
        QVERIFY(!window->statusBar()->isVisible());
        for (QToolBar* bar : window->findChildren<QToolBar*>())
            QVERIFY(!bar->isVisible());
        QVERIFY(pixelSize(window->treeView()) >= font * 1.4);
        QVERIFY(pixelSize(window->console()->input()) >= console * 1.4);
        // High contrast: black text on white.
        QCOMPARE(window->treeView()->palette().color(QPalette::Text), QColor(Qt::black));
        QTest::keyClick(window.get(), Qt::Key_F11);
        QVERIFY(!window->isPresentation());
        QVERIFY(window->statusBar()->isVisible());
        QCOMPARE(pixelSize(window->treeView()), font);
    }

    void themes_darkWindow_andBadgeTextReadableInBoth()
    {
        open();
        for (Theme theme : {Theme::Light, Theme::Dark}) {
            applyTheme(theme);
            QCoreApplication::processEvents();  // the palette reaches the widgets by events
            const QPalette p = window->treeView()->palette();
            QCOMPARE(isDarkPalette(p), theme == Theme::Dark);
            QVERIFY(contrastRatio(p.color(QPalette::Text), p.color(QPalette::Base)) >= 7);
            for (EntryKind kind : {EntryKind::Parameter, EntryKind::Buffer, EntryKind::NonPersistentBuffer,
                                   EntryKind::Attribute}) {
                const QColor fill = KindBadgeDelegate::readableFill(entrytext::badgeColor(kind));
                const double ratio = contrastRatio(KindBadgeDelegate::textColorOn(fill), fill);
                QVERIFY2(ratio >= 4.5, qPrintable(QStringLiteral("kind %1: %2:1").arg(int(kind)).arg(ratio)));
            }
        }
        // The listings' kind colours (buffer green, parameter blue) on the dark base.
        const QColor base = QApplication::palette().color(QPalette::Base);
        for (EntryKind kind : {EntryKind::Parameter, EntryKind::Buffer, EntryKind::NonPersistentBuffer})
            QVERIFY(contrastRatio(ReadableTextDelegate::readableOn(entrytext::badgeColor(kind), base), base) >= 4.5);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
        applyTheme(Theme::Light);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 200);
    }

    void consoleColours_readableInBothThemes_afterASwitch()
    {
        open();
        window->console()->showResult(QStringLiteral("model.bn"), QStringLiteral("tensor(0)"),
                                      QStringLiteral("AttributeError: 'X' object has no attribute 'bn'"), 1, 0);
        window->console()->showNote(QStringLiteral("undone: model.bn = 1"));
        auto* transcript = window->console()->findChild<QPlainTextEdit*>(QStringLiteral("consoleTranscript"));
        for (Theme theme : {Theme::Dark, Theme::Light}) {
            applyTheme(theme);
            QCoreApplication::processEvents();
            const QColor base = transcript->palette().color(QPalette::Base);
            int fragments = 0;
            for (QTextBlock b = transcript->document()->begin(); b.isValid(); b = b.next())
                for (auto it = b.begin(); !it.atEnd(); ++it) {
                    const QTextFragment f = it.fragment();
                    const QColor c = f.charFormat().foreground().style() == Qt::NoBrush
                                         ? transcript->palette().color(QPalette::Text)
                                         : f.charFormat().foreground().color();
                    ++fragments;
                    QVERIFY2(contrastRatio(c, base) >= 4.5,
                             qPrintable(f.text() + QLatin1Char(' ') + c.name() + QLatin1String(" on ") + base.name()));
                }
            QVERIFY(fragments >= 4);
        }
        QVERIFY(window->console()->transcript().contains(QStringLiteral(">>> model.bn")));
    }

    void statusBar_elidesItsSummary_neverWiderThanTheWindow()
    {
        open();
        window->setZoomSteps(kMaxZoomStep);
        QCoreApplication::processEvents();
        auto* summary = window->statusBar()->findChild<ElidedLineLabel*>();
        QVERIFY(summary);
        summary->setText(summary->text() + QStringLiteral(" · a long note about the checkpoint's other entries"));
        QCoreApplication::processEvents();
        QVERIFY(summary->geometry().right() <= window->statusBar()->width());
        QVERIFY(summary->isElided());
        QCOMPARE(window->width(), 1280);
    }

    void at1280x720_withBottomDocksOpen_treeStaysReadable()
    {
        open();
        const QList<QDockWidget*> bottom = window->findChildren<QDockWidget*>();
        int shown = 0;
        for (QDockWidget* d : bottom)
            shown += d->isVisible() && window->dockWidgetArea(d) == Qt::BottomDockWidgetArea;
        QVERIFY(shown > 0);
        qInfo("tree rows at 1280x720, zoom 0: %d", visibleTreeRows(window->treeView()));
        QVERIFY2(visibleTreeRows(window->treeView()) >= 10,
                 qPrintable(QString::number(visibleTreeRows(window->treeView()))));
        window->setZoomSteps(3);
        QVERIFY2(visibleTreeRows(window->treeView()) >= 6,
                 qPrintable(QString::number(visibleTreeRows(window->treeView()))));
        qInfo("tree rows at 1280x720, zoom 3 steps: %d", visibleTreeRows(window->treeView()));
        window->setZoomSteps(kMaxZoomStep);
        qInfo("tree rows at 1280x720, zoom 8 steps: %d", visibleTreeRows(window->treeView()));
        QVERIFY2(visibleTreeRows(window->treeView()) >= 3,
                 qPrintable(QString::number(visibleTreeRows(window->treeView()))));
    }

    void columns_fitTheirContent_noElidedNamesOrBadges()
    {
        open();
        for (int steps : {0, 3}) {
            window->setZoomSteps(steps);
            ModuleTreeView* tree = window->treeView();
            const QFontMetrics fm(tree->font());
            // Every name and badge of the BatchNorm example fits its column.
            std::function<void(const QModelIndex&)> check = [&](const QModelIndex& parent) {
                for (int r = 0; r < tree->model()->rowCount(parent); ++r) {
                    for (int c : {int(ModuleTreeModel::Name), int(ModuleTreeModel::Kind)}) {
                        const QModelIndex i = tree->model()->index(r, c, parent);
                        const int need = fm.horizontalAdvance(i.data().toString());
                        QVERIFY2(need <= tree->visualRect(i).width(),
                                 qPrintable(i.data().toString() + QStringLiteral(" at zoom %1").arg(steps)));
                    }
                    if (tree->isExpanded(tree->model()->index(r, 0, parent)))
                        check(tree->model()->index(r, 0, parent));
                }
            };
            check({});
            QTableView* listing = window->listingPanel()->view(0);
            for (int r = 0; r < listing->model()->rowCount(); ++r)
                for (int c = 0; c < listing->model()->columnCount(); ++c) {
                    const QModelIndex i = listing->model()->index(r, c);
                    QVERIFY2(QFontMetrics(listing->font()).horizontalAdvance(i.data().toString()) <=
                                 listing->columnWidth(c),
                             qPrintable(i.data().toString()));
                }
        }
    }

    void zoomThemeAndPresentation_surviveARestart()
    {
        open();
        window->setZoomSteps(2);
        window->findChild<QAction*>(QStringLiteral("theme-dark"))->trigger();
        window->setPresentation(true);
        window.reset();
        applyTheme(Theme::Light);  // as a new process would start

        applyStoredTheme();
        QCOMPARE(currentTheme(), Theme::Dark);
        open();
        QCOMPARE(window->zoomSteps(), 2);
        QVERIFY(window->isPresentation());
        QVERIFY(!window->statusBar()->isVisible());
        QVERIFY(window->findChild<QAction*>(QStringLiteral("presentation"))->isChecked());
        QVERIFY(window->findChild<QAction*>(QStringLiteral("theme-dark"))->isChecked());
        QCOMPARE(window->zoomScale(), zoomFactor(2) * kPresentationScale);
        // Restored at start-up, the zoom reaches the listing's header as much as the tree's.
        QCOMPARE(pixelSize(window->listingPanel()->view(0)->horizontalHeader()),
                 pixelSize(window->treeView()->header()));
        QCOMPARE(pixelSize(window->listingPanel()->view(0)), pixelSize(window->treeView()));
        QVERIFY(document.openExample(QStringLiteral("batchnorm-demo")));  // as the app opens it
        QCoreApplication::processEvents();
        qInfo("header heights: listing %d, tree %d", window->listingPanel()->view(0)->horizontalHeader()->height(),
              window->treeView()->header()->height());
        QVERIFY(std::abs(window->listingPanel()->view(0)->horizontalHeader()->height() -
                         window->treeView()->header()->height()) <= 4);
    }

    void zoomAtStartup_reachesTheListingHeader_whenTheModelComesLater()
    {
        QSettings().setValue(QLatin1String(settingskeys::kZoom), 4);
        Document fresh;
        MainWindow w(&fresh);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(fresh.openExample(QStringLiteral("batchnorm-demo")));
        QTest::qWait(100);
        QHeaderView* listing = w.listingPanel()->view(0)->horizontalHeader();
        QCOMPARE(pixelSize(listing), pixelSize(w.treeView()->header()));
        QVERIFY(std::abs(listing->height() - w.treeView()->header()->height()) <= 4);
    }

    void screenshots()
    {
        const QString dir = qEnvironmentVariable("MX_APPEARANCE_SHOTS");
        if (dir.isEmpty())
            QSKIP("set MX_APPEARANCE_SHOTS=DIR to write the screenshots");
        struct Shot {
            const char* name;
            QSize size;
            int steps;
            Theme theme;
            bool presentation;
        };
        const Shot shots[] = {
            {"1280x720-zoom0-light", {1280, 720}, 0, Theme::Light, false},
            {"1280x720-zoom3-light", {1280, 720}, 3, Theme::Light, false},
            {"1280x720-zoom8-light", {1280, 720}, 8, Theme::Light, false},
            {"1920x1080-zoom0-dark", {1920, 1080}, 0, Theme::Dark, false},
            {"1920x1080-zoom3-dark", {1920, 1080}, 3, Theme::Dark, false},
            {"1280x720-presentation-light", {1280, 720}, 0, Theme::Light, true},
            {"1280x720-presentation-dark", {1280, 720}, 1, Theme::Dark, true},
        };
        for (const Shot& s : shots) {
            applyTheme(s.theme);
            open(s.size);
            window->setZoomSteps(s.steps);
            window->setPresentation(s.presentation);
            window->console()->input()->setPlainText(QStringLiteral("model.bn.running_mean"));
            window->console()->showResult(QStringLiteral("model.bn.num_batches_tracked"), QStringLiteral("tensor(0)"),
                                          QString(), 0, 0);
            // The BatchNorm layer open: its parameters and buffers show their kind badges.
            const QModelIndex features = window->treeModel()->index(0, 0, window->treeModel()->index(0, 0));
            const QModelIndex bn = window->treeModel()->index(1, 0, features);
            window->treeView()->expand(bn);
            window->treeView()->fitColumns();
            window->treeView()->setCurrentIndex(window->treeModel()->index(2, 0, bn));
            window->treeView()->scrollTo(bn, QAbstractItemView::PositionAtTop);
            QTest::qWait(400);  // the Inspector reads the tensor off the GUI thread
            const QString path = dir + QLatin1Char('/') + QLatin1String(s.name) + QStringLiteral(".png");
            QImage image = window->grab().toImage();
            QVERIFY(image.save(path, "PNG", 0));
            if (QFileInfo(path).size() > 290 * 1024)  // kept small for the repository: 256 colours
                QVERIFY(image.convertToFormat(QImage::Format_Indexed8, Qt::ThresholdDither).save(path, "PNG", 0));
            window.reset();
            QSettings().clear();
        }
    }

private:
    void open(QSize size = {1280, 720})
    {
        window = std::make_unique<MainWindow>(&document);
        window->resize(size);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QApplication::setActiveWindow(window.get());
        QTest::qWait(20);
    }

    Document document;
    std::unique_ptr<MainWindow> window;
};

QTEST_MAIN(AppearanceTest)
#include "tst_appearance.moc"
