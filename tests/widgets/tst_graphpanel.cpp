// The Graph dock: expand/collapse (toolbar, double-click, the frame's toggle) changes the boxes,
// selection both ways (panel signal, tree <-> graph in the main window), exports read back,
// reads wait while the model is owned by a job, a forward's output shapes show in the boxes.

#include "app/document.h"
#include "app/mainwindow.h"
#include "core/examples.h"
#include "core/modulenode.h"
#include "items/graphmodel.h"
#include "items/moduletreemodel.h"
#include "widgets/graphpanel.h"
#include "widgets/graphview.h"
#include "widgets/moduletreeview.h"

#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace mx;

namespace {

QPoint viewPointOf(GraphPanel& panel, const QString& path)
{
    const int box = panel.graphModel()->boxForPath(path);
    if (box < 0)
        return {};
    const QRectF rect = panel.graphModel()->boxes()[box].rect;
    panel.view()->centerOn(rect.center());
    return panel.view()->mapFromScene(rect.center() + QPointF(-rect.width() / 4, 0));
}

}  // namespace

/** GraphPanel over a GraphModel of the tutorial's Model A, and the main window's Graph dock. */
class GraphPanelTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ModuleNode> model_;
    std::unique_ptr<GraphModel> graph_;
    std::unique_ptr<GraphPanel> panel_;
    QTemporaryDir dir_;

private Q_SLOTS:
    void init()
    {
        model_ = buildExample("state-dict-demo");
        graph_ = std::make_unique<GraphModel>();
        graph_->setModel(model_.get());
        panel_ = std::make_unique<GraphPanel>(graph_.get());
        panel_->resize(600, 800);
        panel_->show();
        QVERIFY(QTest::qWaitForWindowExposed(panel_.get()));
    }
    void cleanup()
    {
        panel_.reset();
        graph_.reset();
        model_.reset();
    }

    void collapsedByDefault_unusedDrawnApart()
    {
        // input, conv1, view, dense, output + layer4cxq1..5 in their own frame.
        QCOMPARE(panel_->scene()->boxCount(), 10);
        QCOMPARE(graph_->frames().size(), 1);
        QVERIFY(graph_->frames()[0].unusedGroup);
        const QRectF unused = graph_->frames()[0].rect;
        QVERIFY(unused.contains(graph_->boxes()[graph_->boxForPath(QStringLiteral("layer4cxq3"))].rect));
        QVERIFY(!unused.intersects(graph_->boxes()[graph_->boxForPath(QStringLiteral("conv1"))].rect));
    }

    void expandCollapse_changesNodeCount()
    {
        graph_->setExpanded(QStringLiteral("conv1"), true);
        QCOMPARE(panel_->scene()->boxCount(), 14);  // conv1 -> its five layers
        QCOMPARE(graph_->boxForPath(QStringLiteral("conv1")), -1);
        QVERIFY(graph_->boxForPath(QStringLiteral("conv1.4")) >= 0);
        panel_->findChild<QAction*>(QStringLiteral("graphExpandAll"))->trigger();
        QCOMPARE(panel_->scene()->boxCount(), 17);
        panel_->findChild<QAction*>(QStringLiteral("graphCollapse"))->trigger();
        QCOMPARE(panel_->scene()->boxCount(), 10);
    }

    void doubleClick_expandsThenFrameToggleCollapses()
    {
        QTest::mouseDClick(panel_->view()->viewport(), Qt::LeftButton, {},
                           viewPointOf(*panel_, QStringLiteral("dense")));
        QTRY_COMPARE(panel_->scene()->boxCount(), 13);  // dense -> four layers
        QVERIFY(graph_->isExpanded(QStringLiteral("dense")));
        const QRectF frame = graph_->frames()[0].rect;
        QCOMPARE(graph_->frames()[0].path, QStringLiteral("dense"));
        panel_->view()->centerOn(frame.topLeft());
        QTest::mouseClick(panel_->view()->viewport(), Qt::LeftButton, {},
                          panel_->view()->mapFromScene(frame.topLeft() + QPointF(6, 6)));
        QTRY_COMPARE(panel_->scene()->boxCount(), 10);
    }

    void plusMinusKeys_expandAndFold()
    {
        panel_->selectModule(QStringLiteral("conv1"));
        panel_->view()->setFocus();
        QTest::keyClick(panel_->view(), Qt::Key_Plus);
        QCOMPARE(panel_->scene()->boxCount(), 14);
        panel_->selectModule(QStringLiteral("conv1.2"));
        QTest::keyClick(panel_->view(), Qt::Key_Minus);
        QCOMPARE(panel_->scene()->boxCount(), 10);
        QCOMPARE(panel_->scene()->selectedPath(), QStringLiteral("conv1"));
    }

    void fit_settlesAtAnySize()
    {
        // A fit that showed a scroll bar used to refit on the resize that caused: an endless
        // layout loop in a small dock. Each size must settle (qWait returns) at a sane scale.
        graph_->expandAll();
        for (const QSize size : {QSize(30, 30), QSize(90, 70), QSize(260, 120), QSize(600, 800)}) {
            panel_->resize(size);
            QTest::qWait(60);
            const double scale = panel_->view()->transform().m11();
            QVERIFY(scale > 0 && scale <= 1.0);
        }
        QTest::mouseDClick(panel_->view()->viewport(), Qt::LeftButton, {},
                           viewPointOf(*panel_, QStringLiteral("conv1.0")));  // not a container
        QCOMPARE(panel_->scene()->boxCount(), 17);
    }

    void export_tooLargeForPng_saysSo()
    {
        QString error;
        QVERIFY(!exportGraph(*panel_->scene(), dir_.filePath(QStringLiteral("big.png")), QSize(2000, 20000),
                             2, &error));
        QVERIFY2(error.contains(QLatin1String("40000 pixels")) || error.contains(QLatin1String("x40000")),
                 qPrintable(error));
        QVERIFY(!QFile::exists(dir_.filePath(QStringLiteral("big.png"))));
    }

    void selection_emitsModulePath_andSelectsFromOutside()
    {
        QSignalSpy spy(panel_.get(), &GraphPanel::moduleSelected);
        QTest::mouseClick(panel_->view()->viewport(), Qt::LeftButton, {},
                          viewPointOf(*panel_, QStringLiteral("layer4cxq2")));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("layer4cxq2"));
        panel_->selectModule(QStringLiteral("conv1"));
        QCOMPARE(panel_->scene()->selectedPath(), QStringLiteral("conv1"));
        QCOMPARE(spy.count(), 1);  // selecting from outside does not echo
        graph_->setExpanded(QStringLiteral("dense"), true);  // kept across a rebuild
        QCOMPARE(panel_->scene()->selectedPath(), QStringLiteral("conv1"));
    }

    void export_writesPngSvgPdf()
    {
        QString error;
        const QString png = dir_.filePath(QStringLiteral("g.png"));
        QVERIFY2(panel_->exportTo(png, 2, &error), qPrintable(error));
        const QImage image(png);
        QCOMPARE(image.size(), panel_->scene()->naturalSize() * 2);
        const QString svg = dir_.filePath(QStringLiteral("g.svg"));
        QVERIFY2(panel_->exportTo(svg, 1, &error), qPrintable(error));
        QVERIFY(QSvgRenderer(svg).isValid());
        const QString pdf = dir_.filePath(QStringLiteral("g.pdf"));
        QVERIFY2(panel_->exportTo(pdf, 1, &error), qPrintable(error));
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.read(5), QByteArray("%PDF-"));
        QVERIFY(!panel_->exportTo(dir_.filePath(QStringLiteral("no/such/dir/g.png")), 1, &error));
        QVERIFY(error.startsWith(QLatin1String("cannot write")));
    }

    void readCheck_defersTheRebuild()
    {
        bool allowed = false;
        graph_->setReadCheck([&allowed] { return allowed; });
        graph_->setExpanded(QStringLiteral("conv1"), true);
        QVERIFY(graph_->pending());
        QCOMPARE(panel_->scene()->boxCount(), 10);  // still what it last read
        allowed = true;
        graph_->refreshIfPending();
        QCOMPARE(panel_->scene()->boxCount(), 14);
    }

    void outputShapes_showInTheBoxes()
    {
        graph_->setOutputShapes({{QStringLiteral("conv1"), QStringLiteral("torch.Size([64, 128, 14, 14])")},
                                 {QString(), QStringLiteral("torch.Size([64, 10])")}});
        const GraphModel::Box& conv1 = graph_->boxes()[graph_->boxForPath(QStringLiteral("conv1"))];
        QCOMPARE(conv1.shape, QStringLiteral("[64, 128, 14, 14]"));
        QCOMPARE(graph_->boxes().last().kind, GraphModel::Box::Kind::Unused);
    }

    void modelB_showsTheMessage()
    {
        auto b = buildExample("buffer-demo");
        graph_->setModel(b.get());
        auto* message = panel_->findChild<QLabel*>(QStringLiteral("graphMessage"));
        QVERIFY(message->isVisible());
        QVERIFY(message->text().contains(QLatin1String("None")));
        graph_->setModel(model_.get());
        QVERIFY(!message->isVisible());
    }

    void mainWindow_graphDockFollowsTheTreeAndBack()
    {
        Document document;
        QVERIFY(document.openExample(QStringLiteral("state-dict-demo")));
        MainWindow window(&document);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* dock = window.findChild<QDockWidget*>(QStringLiteral("graphDock"));
        QVERIFY(dock);
        dock->raise();
        GraphPanel* panel = window.graphPanel();
        QTRY_COMPARE(panel->scene()->boxCount(), 10);
        // Graph -> tree.
        QTest::mouseClick(panel->view()->viewport(), Qt::LeftButton, {},
                          viewPointOf(*panel, QStringLiteral("dense")));
        QCOMPARE(window.treeView()->currentIndex().data(ModuleTreeModel::PathRole).toString(),
                 QStringLiteral("dense"));
        // Tree -> graph.
        const QModelIndexList hits = window.treeModel()->match(
            window.treeModel()->index(0, 0), ModuleTreeModel::PathRole, QStringLiteral("layer4cxq4"), 1,
            Qt::MatchExactly | Qt::MatchRecursive);
        QCOMPARE(hits.size(), 1);
        window.treeView()->setCurrentIndex(hits[0]);
        QCOMPARE(panel->scene()->selectedPath(), QStringLiteral("layer4cxq4"));
        // A console statement (run on the worker) changes the graph once it has finished.
        QVERIFY(document.runStatement(QStringLiteral("model.head = nn.Sequential(nn.Linear(10, 4))")));
        QTRY_COMPARE_WITH_TIMEOUT(panel->scene()->boxCount(), 11, 20000);
        QVERIFY(panel->graphModel()->boxForPath(QStringLiteral("head")) >= 0);
        // Another model: its own graph, collapsed again.
        panel->graphModel()->expandAll();
        QVERIFY(document.openExample(QStringLiteral("batchnorm-demo")));
        QTRY_COMPARE(panel->scene()->boxCount(), 4);  // x, features, classifier, output
        QVERIFY(!panel->graphModel()->expansion().all);
    }

    // A TorchScript file's compiled code is loaded for the graph on the worker, not on the GUI
    // thread: the document is busy while it loads, then the boxes come.
    void mainWindow_torchScriptFile_loadsItsCodeOnTheWorker()
    {
        Document document;
        MainWindow window(&document);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.findChild<QDockWidget*>(QStringLiteral("graphDock"))->raise();
        QSignalSpy opened(&document, &Document::fileOpened);
        document.requestFile(QStringLiteral(MX_FIXTURES_DIR "/files/models/squeezenet.script.pt"));
        QVERIFY(opened.wait(60000));
        QSignalSpy busy(&document, &Document::busyChanged);
        GraphPanel* panel = window.graphPanel();
        QTRY_COMPARE_WITH_TIMEOUT(panel->scene()->boxCount(), 5, 30000);  // x, features, classifier, flatten, output
        QVERIFY(!busy.isEmpty() && busy.first().at(0).toBool());  // the worker job ran first
        QCOMPARE(panel->graphModel()->boxForPath(QStringLiteral("features")) >= 0, true);
    }
};

QTEST_MAIN(GraphPanelTest)
#include "tst_graphpanel.moc"
