// The Inspector dock in the window: it follows the tree, computes off the GUI thread (a new
// selection cancels the old job), shows each tensor's default plot, survives deletes, busy jobs
// and edits, compares with a pinned copy, and exports every plot at the requested size.

#include "app/document.h"
#include "app/mainwindow.h"
#include "items/forwardrunner.h"
#include "items/moduletreemodel.h"
#include "items/tensorinspector.h"
#include "items/tensorvaluesmodel.h"
#include "widgets/heatmapplot.h"
#include "widgets/histogramplot.h"
#include "widgets/inspectorpanel.h"
#include "widgets/kernelgrid.h"
#include "widgets/moduletreeview.h"
#include "widgets/tensorplot.h"

#include <QFile>
#include <QImage>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace mx;

class InspectorTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QVERIFY(document.openExample(QStringLiteral("state-dict-demo")));
        window = std::make_unique<MainWindow>(&document);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        panel = window->inspectorPanel();
        QVERIFY(panel);
    }
    void cleanup() { window.reset(); }

    void followsTheTreeAndPicksThePlot_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("statLine");
        QTest::newRow("0-d value") << "attribute4cxq" << int(TensorPlot::Kind::Value) << "value: 20200910.0";
        QTest::newRow("1-D line") << "attribute4lzq" << int(TensorPlot::Kind::Line) << "min: 2.0";
        QTest::newRow("conv kernels") << "conv1.0.weight" << int(TensorPlot::Kind::Kernels) << "numel: 576";
        QTest::newRow("2-D heatmap") << "dense.3.weight" << int(TensorPlot::Kind::Heatmap) << "numel: 10,240";
        QTest::newRow("4-D kernels 4x4") << "layer4cxq1.weight" << int(TensorPlot::Kind::Kernels) << "numel: 1,056";
    }
    void followsTheTreeAndPicksThePlot()
    {
        QFETCH(QString, path);
        QFETCH(int, kind);
        QFETCH(QString, statLine);
        select(path);
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().name == path, 20000);
        QVERIFY2(panel->statsText().contains(statLine), qPrintable(panel->statsText()));
        QCOMPARE(int(panel->tensorPlot()->kind()), kind);
        QVERIFY(panel->title().startsWith(path));
        // the values table shows the same tensor's slice, lazily
        QVERIFY(panel->valuesModel()->rowCount() > 0);
    }

    void moduleRowShowsNothing()
    {
        select(QStringLiteral("attribute4hh"));
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().name == QLatin1String("attribute4hh"), 20000);
        const QModelIndex conv1 = findPath(QStringLiteral("conv1"));
        window->treeView()->setCurrentIndex(conv1);
        QTRY_VERIFY(panel->inspector()->tensor().isNone());
        QVERIFY(panel->title().startsWith(QLatin1String("Select a parameter")));
        QCOMPARE(panel->valuesModel()->rowCount(), 0);
    }

    void newSelectionCancelsTheOldJob()
    {
        QSignalSpy finished(panel->inspector(), &TensorInspector::finished);
        select(QStringLiteral("dense.0.weight"));  // 25.7 M values: still running when ...
        select(QStringLiteral("attribute4wyf"));   // ... the student clicks on
        QTRY_COMPARE_WITH_TIMEOUT(panel->inspector()->last().name, QStringLiteral("attribute4wyf"), 20000);
        QTest::qWait(1500);  // the big job's late result never replaces it
        QCOMPARE(panel->inspector()->last().name, QStringLiteral("attribute4wyf"));
        for (const QList<QVariant>& args : finished)
            QCOMPARE(args.at(0).value<Inspection>().name, QStringLiteral("attribute4wyf"));
    }

    void consoleResultsAreInspected()
    {
        QVERIFY(document.runStatement(QStringLiteral("model.conv1[0].weight")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().name == QLatin1String("model.conv1[0].weight"), 20000);
        QCOMPARE(int(panel->tensorPlot()->kind()), int(TensorPlot::Kind::Kernels));
        QVERIFY(panel->statsText().contains(QLatin1String("numel: 576")));
        // a value that lives only in the console
        QVERIFY(document.runStatement(QStringLiteral("t = torch.zeros(2, 3)\nt")));
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().name == QLatin1String("t"), 20000);
        QVERIFY(panel->statsText().contains(QLatin1String("zeros: 6")));
        // a statement without a tensor result leaves it; a tree selection replaces it
        QVERIFY(document.runStatement(QStringLiteral("x = 1")));
        QTRY_VERIFY_WITH_TIMEOUT(!document.isBusy(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().name == QLatin1String("t"), 20000);
        select(QStringLiteral("attribute4lzq"));
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().name == QLatin1String("attribute4lzq"), 20000);
    }

    void deletedEntrySaysSo()
    {
        select(QStringLiteral("attribute4hh"));
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().name == QLatin1String("attribute4hh"), 20000);
        QVERIFY(document.runStatement(QStringLiteral("del model.attribute4hh")));
        QTRY_VERIFY_WITH_TIMEOUT(!document.isBusy(), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(panel->title(), QStringLiteral("'attribute4hh' was deleted."), 10000);
        QVERIFY(panel->inspector()->last().name != QLatin1String("attribute4hh"));
    }

    void deletedWhileComputing()
    {
        select(QStringLiteral("dense.0.weight"));  // 25.7 M values: the job is still running ...
        QVERIFY(document.runStatement(QStringLiteral("del model.dense")));  // ... when it goes
        QTRY_VERIFY_WITH_TIMEOUT(!document.isBusy(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->inspector()->isRunning(), 20000);
        QTest::qWait(1000);  // no late result of the deleted tensor
        QVERIFY(panel->inspector()->last().name != QLatin1String("dense.0.weight"));
        QCOMPARE(panel->title(), QStringLiteral("'dense.0.weight' was deleted."));
        // the next entry the student selects is shown again
        select(QStringLiteral("attribute4lzq"));
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().name == QLatin1String("attribute4lzq"), 20000);
    }

    void tooltipsNameWhatIsUnderTheMouse()
    {
        select(QStringLiteral("conv1.0.weight"));
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().name == QLatin1String("conv1.0.weight"), 20000);
        // histogram: a bin's range and count; the counts add up to numel
        int64_t total = 0;
        for (int bin = 0; bin < 100; ++bin) {
            const QString text = panel->histogram()->binText(bin);
            QVERIFY2(text.startsWith(QStringLiteral("bin %1: [").arg(bin)), qPrintable(text));
            total += text.section(QStringLiteral("· "), 1).section(QLatin1Char(' '), 0, 0).remove(QLatin1Char(',')).toLongLong();
        }
        QCOMPARE(total, int64_t(576));
        QVERIFY(panel->histogram()->binText(99).contains(QLatin1String("]")));  // the max is in the last bin
        // kernel grid: a kernel's 3 x 3 values
        const QString kernel = panel->tensorPlot()->kernels()->kernelText(3, 0);
        QVERIFY2(kernel.contains(QLatin1String("kernel [3, 0]")), qPrintable(kernel));
        QCOMPARE(kernel.count(QLatin1Char('\n')), 3);
        // heatmap: the cell under the middle of the plot
        select(QStringLiteral("dense.3.weight"));
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().name == QLatin1String("dense.3.weight"), 20000);
        panel->tabs()->setCurrentIndex(InspectorPanel::PlotTab);
        {
            HeatmapPlot* heatmap = panel->tensorPlot()->heatmap();
            (void)heatmap->grab();  // laid out and drawn at its size
            const QString cell = heatmap->cellTextAt(heatmap->rect().center());
            QVERIFY2(cell.startsWith(QLatin1Char('[')), qPrintable(cell));
        }
    }

    void pinnedCopyComparesAfterAnEdit()
    {
        select(QStringLiteral("attribute4lzq"));  // [2., 3., 4., 5.]
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().name == QLatin1String("attribute4lzq"), 20000);
        QString error;
        QVERIFY2(panel->inspector()->pin(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().compared, 20000);
        QCOMPARE(panel->inspector()->last().difference.zeros, int64_t(4));  // itself: no change
        QVERIFY(document.runStatement(
            QStringLiteral("model.attribute4lzq = nn.Parameter(torch.tensor([2.0, 3.0, 4.0, 7.0]))")));
        QTRY_VERIFY_WITH_TIMEOUT(!document.isBusy(), 30000);
        select(QStringLiteral("attribute4lzq"));
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().compared &&
                                     panel->inspector()->last().difference.zeros == 3,
                                 20000);
        const Inspection& last = panel->inspector()->last();
        QCOMPARE(last.difference.max, 2.0);
        QVERIFY(panel->compareText().contains(QLatin1String("1 of 4 elements differ")));
        // another shape: no difference, and the panel says why
        select(QStringLiteral("attribute4hh"));
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().name == QLatin1String("attribute4hh"), 20000);
        QVERIFY(!panel->inspector()->last().compared);
        QVERIFY(panel->compareText().contains(QLatin1String("'attribute4lzq' is pinned")));
    }

    void runningStatsDriftAfterAForwardInTrainMode()
    {
        // The lesson: a buffer no optimizer touches still moves — BatchNorm's forward in train mode.
        QVERIFY(document.openExample(QStringLiteral("batchnorm-demo")));
        QTRY_COMPARE_WITH_TIMEOUT(document.exampleName(), QStringLiteral("batchnorm-demo"), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!document.isBusy(), 30000);
        select(QStringLiteral("features.1.running_var"));
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().name == QLatin1String("features.1.running_var"), 20000);
        QVERIFY(panel->statsText().contains(QLatin1String("min: 1.0")));  // initialised to ones
        QString error;
        QVERIFY2(panel->inspector()->pin(&error), qPrintable(error));
        ForwardRequest request;
        request.inputShape = document.defaultInputShape();
        request.train = true;
        request.repeats = 1;
        QVERIFY(document.startForward(request));
        QTRY_VERIFY_WITH_TIMEOUT(!document.forwardRunner()->isRunning() && !document.isBusy(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().compared &&
                                     panel->inspector()->last().difference.zeros == 0,
                                 20000);
        QVERIFY(panel->compareText().contains(QLatin1String("8 of 8 elements differ")));
    }

    void exportsEveryPlotAtTheRequestedSize_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("tab");
        QTest::newRow("histogram") << "conv1.0.weight" << int(InspectorPanel::HistogramTab);
        QTest::newRow("kernel grid") << "conv1.0.weight" << int(InspectorPanel::PlotTab);
        QTest::newRow("heatmap") << "dense.3.weight" << int(InspectorPanel::PlotTab);
        QTest::newRow("line") << "dense.3.bias" << int(InspectorPanel::PlotTab);
        QTest::newRow("value") << "attribute4cxq" << int(InspectorPanel::PlotTab);
        QTest::newRow("compare") << "dense.3.bias" << int(InspectorPanel::CompareTab);
    }
    void exportsEveryPlotAtTheRequestedSize()
    {
        QFETCH(QString, path);
        QFETCH(int, tab);
        select(path);
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().name == path, 20000);
        panel->tabs()->setCurrentIndex(tab);
        QTemporaryDir dir;
        const QSize size(640, 400);
        for (int scale : {1, 2, 3}) {
            const QString png = dir.filePath(QStringLiteral("plot%1.png").arg(scale));
            QString error;
            QVERIFY2(panel->exportCurrentPlot(png, scale, &error, size), qPrintable(error));
            const QImage image(png);
            QCOMPARE(image.size(), size * scale);
            QVERIFY(image.pixelColor(image.width() / 2, image.height() / 2).isValid());
        }
        QString error;
        const QString svg = dir.filePath(QStringLiteral("plot.svg"));
        QVERIFY2(panel->exportCurrentPlot(svg, 1, &error, size), qPrintable(error));
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
        QCOMPARE(renderer.defaultSize(), size);
        const QString pdf = dir.filePath(QStringLiteral("plot.pdf"));
        QVERIFY2(panel->exportCurrentPlot(pdf, 1, &error, size), qPrintable(error));
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("%PDF"));
        // a page of 640 x 400 points (QPdfWriter at 72 dpi)
        static const QRegularExpression mediaBox(QStringLiteral("/MediaBox \\[0 0 640(\\.0+)? 400(\\.0+)?\\]"));
        QVERIFY(mediaBox.match(QString::fromLatin1(bytes)).hasMatch());
    }

    void valuesTabHasNoPlotToExport()
    {
        select(QStringLiteral("dense.3.weight"));
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().name == QLatin1String("dense.3.weight"), 20000);
        panel->tabs()->setCurrentIndex(InspectorPanel::ValuesTab);
        QTemporaryDir dir;
        QString error;
        QVERIFY(!panel->exportCurrentPlot(dir.filePath(QStringLiteral("v.png")), 1, &error));
        QVERIFY(error.contains(QLatin1String("Values tab")));
        QCOMPARE(panel->valuesModel()->rowCount(), 10);
        QCOMPARE(panel->valuesModel()->columnCount(), 1024);
    }

    void sliceSpinBoxesPickTheHeatmapAndTable()
    {
        select(QStringLiteral("attribute4wyf"));  // [7, 8, 9, 10]: kernel grid, slices for the table
        QTRY_VERIFY_WITH_TIMEOUT(panel->inspector()->last().name == QLatin1String("attribute4wyf"), 20000);
        QCOMPARE(panel->valuesModel()->rowCount(), 9);
        QCOMPARE(panel->valuesModel()->columnCount(), 10);
        QCOMPARE(panel->tensorPlot()->kernels()->pageCount(), 1);
        const QString first = panel->valuesModel()->index(0, 0).data().toString();
        panel->inspector()->setSlice({6, 7});
        panel->valuesModel()->setTensor(panel->inspector()->tensor(), {6, 7});
        QVERIFY(panel->valuesModel()->index(0, 0).data().toString() != first);
    }

private:
    QModelIndex findPath(const QString& path)
    {
        ModuleTreeModel* model = window->treeModel();
        window->treeView()->expandAll();
        const QModelIndexList hits = model->match(model->index(0, 0), ModuleTreeModel::PathRole, path, 1,
                                                  Qt::MatchExactly | Qt::MatchRecursive);
        return hits.isEmpty() ? QModelIndex() : hits.first();
    }
    void select(const QString& path)
    {
        const QModelIndex index = findPath(path);
        QVERIFY2(index.isValid(), qPrintable(path));
        window->treeView()->setCurrentIndex(index);
    }

    Document document;
    std::unique_ptr<MainWindow> window;
    InspectorPanel* panel = nullptr;
};

QTEST_MAIN(InspectorTest)
#include "tst_inspector.moc"
