// The Train dock in the main window: a run off the GUI thread with progress, the summary, the
// tree and the listings marking what each tensor did, gradients and optimizer state for the
// Inspector, Cancel, an error that leaves the model as it was, and marks cleared by an edit.
#include "app/document.h"
#include "app/mainwindow.h"
#include "items/forwardrunner.h"
#include "items/listingmodel.h"
#include "items/moduletreemodel.h"
#include "widgets/inspectorpanel.h"
#include "widgets/losschart.h"
#include "widgets/trainpanel.h"
#include "widgets/trainresults.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using namespace mx;

/** Drives the Train dock as a student would: pick an optimizer, press Train, read the views. */
class TrainPanelTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        window = std::make_unique<MainWindow>(&document);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    }
    void cleanup()
    {
        const QByteArray dir = qgetenv("MX_SCREENSHOT_DIR");
        if (!dir.isEmpty() && window)
            window->grab().save(QString::fromLocal8Bit(dir) + QLatin1Char('/') +
                                QString::fromLatin1(QTest::currentTestFunction()) + QStringLiteral(".png"));
        window.reset();
    }

    void train_batchNorm_marksWhatMovedAndWhy()
    {
        QVERIFY(document.openExample(QStringLiteral("batchnorm-demo")));
        QCOMPARE(field<QLineEdit>("trainInput")->text(), QStringLiteral("4x3x8x8"));
        field<QSpinBox>("steps")->setValue(2);
        QSignalSpy progress(document.forwardRunner(), &ForwardRunner::progress);
        const TrainReport report = trainAndWait();
        QVERIFY2(report.ok, qPrintable(report.error));
        QVERIFY(!progress.isEmpty());
        QCOMPARE(report.forwardCalls, 2);
        const QString summary = field<QLabel>("trainSummary")->text();
        QVERIFY2(summary.contains(QStringLiteral("<b>2 step(s)</b>")), qPrintable(summary));
        QVERIFY(summary.contains(QStringLiteral("3 by forward in train mode")));
        QCOMPARE(window->trainPanel()->results()->lossChart()->pointCount(), 2);

        // The tree: running_mean moved by forward, classifier.1.weight by the optimizer.
        ModuleTreeModel* tree = window->treeModel();
        const QModelIndex bn = tree->index(1, 0, tree->index(0, 0, tree->index(0, 0)));  // features.1
        const QModelIndex runningMean = tree->index(2, ModuleTreeModel::Summary, bn);
        QCOMPARE(runningMean.siblingAtColumn(0).data(ModuleTreeModel::PathRole).toString(),
                 QStringLiteral("features.1.running_mean"));
        QVERIFY2(runningMean.data().toString().contains(QStringLiteral("Δ max")), qPrintable(runningMean.data().toString()));
        QVERIFY(runningMean.data(Qt::ToolTipRole).toString().startsWith(QStringLiteral("Changed by forward in train mode")));
        QVERIFY(runningMean.data(Qt::BackgroundRole).isValid());

        // The state_dict listing gains an "after training" column.
        ListingModel* stateDict = window->listingModel(0);
        QCOMPARE(stateDict->columnCount(), 5);
        QCOMPARE(stateDict->headerData(ListingModel::Trained, Qt::Horizontal).toString(), QStringLiteral("after training"));
        int weightRow = -1;
        for (int row = 0; row < stateDict->rowCount(); ++row)
            if (stateDict->keyAt(row) == QLatin1String("classifier.1.weight"))
                weightRow = row;
        QVERIFY(weightRow >= 0);
        QVERIFY(stateDict->index(weightRow, ListingModel::Trained).data().toString().startsWith(QStringLiteral("Δ max")));
        QVERIFY(stateDict->index(weightRow, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral(".grad: torch.Size([10, 128])")));

        // Optimizer state: SGD without momentum keeps momentum_buffer None per parameter.
        QTreeWidget* state = window->trainPanel()->results()->optimizerTree();
        QCOMPARE(state->topLevelItemCount(), 2);
        QTreeWidgetItem* perParam = state->topLevelItem(1);
        QCOMPARE(perParam->text(0), QStringLiteral("'state'"));
        QCOMPARE(perParam->childCount(), 6);  // every parameter got a grad
        QCOMPARE(perParam->child(0)->child(0)->text(0), QStringLiteral("'momentum_buffer'"));
        QCOMPARE(perParam->child(0)->child(0)->text(1), QStringLiteral("None"));

        // A gradient goes to the Inspector on double-click.
        QTableWidget* changes = window->trainPanel()->results()->changesTable();
        QCOMPARE(changes->rowCount(), 9);
        QCOMPARE(changes->item(0, 0)->text(), QStringLiteral("features.0.weight"));
        Q_EMIT changes->cellDoubleClicked(0, 0);
        QTRY_VERIFY(window->inspectorPanel()->title().startsWith(QStringLiteral("features.0.weight.grad")));
        // The tree's context menu offers it too: the row knows its .grad.
        const QModelIndex conv = tree->index(0, 0, tree->index(0, 0, tree->index(0, 0)));  // features.0
        QVERIFY(tree->rowCount(conv) >= 2);
        const QModelIndex convWeight = tree->index(0, 0, conv);
        QCOMPARE(convWeight.data(ModuleTreeModel::PathRole).toString(), QStringLiteral("features.0.weight"));
        QVERIFY(convWeight.data(ModuleTreeModel::GradientRole).isValid());
        QVERIFY(convWeight.data(ModuleTreeModel::ValuePreviewRole).toString().contains(QStringLiteral(" · .grad sum ")));
        QVERIFY(runningMean.siblingAtColumn(0).data(ModuleTreeModel::ValuePreviewRole).toString().indexOf(QStringLiteral(".grad")) < 0);

        // An edit makes the marks stale: they go.
        QVERIFY(document.runStatementNow(QStringLiteral("model.extra = torch.zeros(2)")).ok);
        QTRY_COMPARE(stateDict->columnCount(), 4);
        QVERIFY(!tree->index(2, ModuleTreeModel::Summary, bn).data().toString().contains(QStringLiteral("Δ max")));
    }

    void adam_showsItsStatePerParameter()
    {
        QVERIFY(document.openExample(QStringLiteral("batchnorm-demo")));
        field<QComboBox>("optimizer")->setCurrentIndex(1);  // Adam
        QVERIFY(!field<QDoubleSpinBox>("momentum")->isEnabled());
        QCOMPARE(field<QDoubleSpinBox>("lr")->value(), 0.001);
        field<QSpinBox>("steps")->setValue(1);
        const TrainReport report = trainAndWait();
        QVERIFY2(report.ok, qPrintable(report.error));
        QTreeWidgetItem* perParam = window->trainPanel()->results()->optimizerTree()->topLevelItem(1);
        QStringList entries;
        for (int i = 0; i < perParam->child(0)->childCount(); ++i)
            entries << perParam->child(0)->child(i)->text(0);
        QCOMPARE(entries, (QStringList{"'step'", "'exp_avg'", "'exp_avg_sq'"}));
    }

    void error_leavesTheModelAsItWas()
    {
        QVERIFY(document.openExample(QStringLiteral("state-dict-demo")));
        field<QLineEdit>("trainInput")->setText(QStringLiteral("2x1x20x20"));
        const TrainReport report = trainAndWait();
        QVERIFY(!report.ok);
        QCOMPARE(field<QLabel>("trainError")->text(),
                 QStringLiteral("RuntimeError: shape '[-1, 25088]' is invalid for input of size 25600"));
        QVERIFY(field<QLabel>("trainSummary")->text().contains(QStringLiteral("the model is unchanged")));
        for (const TrainedTensor& t : report.tensors)
            QVERIFY(!t.changed);
    }

    void cancel_stopsBetweenSteps()
    {
        QVERIFY(document.openExample(QStringLiteral("batchnorm-demo")));
        field<QSpinBox>("steps")->setValue(100000);
        QSignalSpy finished(document.forwardRunner(), &ForwardRunner::trainingFinished);
        QSignalSpy progress(document.forwardRunner(), &ForwardRunner::progress);
        field<QPushButton>("runTraining")->click();
        QVERIFY(field<QPushButton>("cancelTraining")->isEnabled());
        QVERIFY(progress.wait(60000));
        field<QPushButton>("cancelTraining")->click();
        QVERIFY(finished.wait(60000));
        const TrainReport report = finished.takeFirst().at(0).value<TrainReport>();
        QVERIFY(report.cancelled);
        QVERIFY(report.stepsDone < 100000);
        QVERIFY(field<QPushButton>("runTraining")->isEnabled());
        QVERIFY(field<QLabel>("trainSummary")->text().startsWith(QStringLiteral("Cancelled after")));
    }

private:
    template <typename T>
    T* field(const char* name) const
    {
        T* w = window->findChild<T*>(QString::fromLatin1(name));
        if (!w)
            qFatal("no widget %s", name);
        return w;
    }

    TrainReport trainAndWait()
    {
        QSignalSpy finished(document.forwardRunner(), &ForwardRunner::trainingFinished);
        auto* run = field<QPushButton>("runTraining");
        if (!run->isEnabled())
            qFatal("Train is disabled");
        QTest::mouseClick(run, Qt::LeftButton);
        if (!finished.wait(180000))
            qFatal("training did not finish");
        QCoreApplication::processEvents();
        return finished.takeFirst().at(0).value<TrainReport>();
    }

    Document document;
    std::unique_ptr<MainWindow> window;
};

QTEST_MAIN(TrainPanelTest)
#include "tst_trainpanel.moc"
