// Live editing in the window: the tutorial's second experiment typed into the console, undo and
// redo, the edit dialogs' PyTorch validation, the before/after listing, and Python export.
#include "app/document.h"
#include "app/editactions.h"
#include "app/mainwindow.h"
#include "items/listingmodel.h"
#include "items/moduletreemodel.h"
#include "widgets/consolewidget.h"
#include "widgets/listingpanel.h"
#include "widgets/moduletreeview.h"
#include "widgets/statementdialog.h"

#include <QAction>
#include <QCheckBox>
#include <QFile>
#include <QLineEdit>
#include <QMessageBox>
#include <QToolButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>

using namespace mx;

namespace {

QStringList tutorialLines(const QString& file)
{
    QFile f(QStringLiteral(MX_FIXTURES_DIR "/") + file);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QStringList shownKeys(const QAbstractItemModel* model)
{
    QStringList keys;
    for (int r = 0; r < model->rowCount(); ++r)
        keys << model->index(r, 0).data().toString() + QStringLiteral(" --> ") +
                    model->index(r, 1).data().toString();
    return keys;
}

}  // namespace

/** Drives the console, the edit actions and the undo stack as a student and a teacher would. */
class EditingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QVERIFY(document.openExample(QStringLiteral("buffer-demo")));
        window = std::make_unique<MainWindow>(&document);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    }
    void cleanup()
    {
        const QByteArray dir = qgetenv("MX_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            window->grab().save(QString::fromLocal8Bit(dir) + QLatin1Char('/') +
                                QString::fromLatin1(QTest::currentTestFunction()) + QStringLiteral(".png"));
        window.reset();
    }

    void console_tutorialsSecondExperiment_givesTheTutorialsListings()
    {
        type("model.attribute_buffer_out = torch.randn(10,10)");
        type("register_buffer_out_temp = torch.randn(15,15)");
        type("model.register_buffer('register_buffer_out', register_buffer_out_temp)");
        QCOMPARE(shownKeys(stateDictModel()), tutorialLines(QStringLiteral("tutorial/model_b_after_state_dict.txt")));
        QVERIFY(window->console()->transcript().contains(
            QStringLiteral(">>> model.register_buffer('register_buffer_out', register_buffer_out_temp)")));
        // The plain attribute shows in the tree, outside state_dict; the new buffer is selected.
        const QModelIndex current = window->treeView()->currentIndex();
        QCOMPARE(current.data(ModuleTreeModel::PathRole).toString(), QStringLiteral("register_buffer_out"));
        ModuleTreeModel* tree = window->treeModel();
        QCOMPARE(tree->rowCount(tree->index(0, 0)), 5);
        // Added key marked green in the listing.
        QCOMPARE(stateDictModel()->index(1, 0).data(ListingModel::ChangeRole).toInt(),
                 int(ListingModel::Change::Added));

        // The tutorial's five print loops, typed as the tutorial writes them (two lines each).
        const std::pair<const char*, const char*> loops[] = {
            {"for name, buf in model.named_buffers():\n    print(name,'-->',buf.shape)", "named_buffers"},
            {"for name, param in model.named_parameters():\n    print(name,'-->',param.shape)", "named_parameters"},
            {"for buf in model.buffers():\n    print(buf.shape)", "buffers"},
            {"for param in model.parameters():\n    print(param.shape)", "parameters"},
            {"for k, v in model.state_dict().items():\n    print(k, '-->', v.shape)", "state_dict"},
        };
        for (const auto& [loop, listing] : loops) {
            type(QString::fromLatin1(loop));
            const QString want = tutorialLines(QStringLiteral("tutorial/model_b_after_%1.txt")
                                                   .arg(QLatin1String(listing)))
                                     .join(QLatin1Char('\n'));
            QVERIFY2(window->console()->transcript().endsWith(want),
                     qPrintable(window->console()->transcript().right(300)));
        }
    }

    void undoRedo_restoreTheListingsExactly()
    {
        type("model.register_buffer('register_buffer_out', torch.randn(15,15))");
        type("model.register_parameter('p', nn.Parameter(torch.zeros(2)))");
        QUndoStack* stack = document.undoStack();
        QCOMPARE(stack->count(), 2);
        QStringList after = shownKeys(stateDictModel());
        stack->undo();
        stack->undo();
        QCOMPARE(shownKeys(stateDictModel()), tutorialLines(QStringLiteral("tutorial/model_b_before_state_dict.txt")));
        stack->redo();
        stack->redo();
        QCOMPARE(shownKeys(stateDictModel()), after);
        QCOMPARE(after.first(), QStringLiteral("p --> torch.Size([2])"));  // own parameters first
    }

    void consoleInput_tabCompletes_andArrowsWalkHistory()
    {
        ConsoleInput* input = window->console()->input();
        input->setFocus();
        input->setPlainText(QStringLiteral("model.register_b"));
        input->moveCursor(QTextCursor::End);
        QTest::keyClick(input, Qt::Key_Tab);
        QCOMPARE(input->toPlainText(), QStringLiteral("model.register_buffer"));
        type("model.note = 3");
        type("model.other = 'text'");
        QCOMPARE(input->history(), (QStringList{"model.note = 3", "model.other = 'text'"}));
        QTest::keyClick(input, Qt::Key_Up);
        QCOMPARE(input->toPlainText(), QStringLiteral("model.other = 'text'"));
        QTest::keyClick(input, Qt::Key_Up);
        QCOMPARE(input->toPlainText(), QStringLiteral("model.note = 3"));
        QTest::keyClick(input, Qt::Key_Down);
        QTest::keyClick(input, Qt::Key_Down);
        QCOMPARE(input->toPlainText(), QString());
    }

    void failingStatement_showsPythonsErrorAndChangesNothing()
    {
        const QStringList before = shownKeys(stateDictModel());
        type("model.note = 3");
        type("model.register_buffer('a.b', torch.zeros(1))");
        type("model.conv1[0].weight = torch.zeros(3)");
        const QString transcript = window->console()->transcript();
        QVERIFY(transcript.contains(QStringLiteral("KeyError: 'buffer name can\\'t contain \".\"'")));
        QVERIFY(transcript.contains(QStringLiteral(
            "TypeError: cannot assign 'torch.FloatTensor' as parameter 'weight' (torch.nn.Parameter or None expected)")));
        QCOMPARE(shownKeys(stateDictModel()), before);
        QCOMPARE(document.undoStack()->count(), 1);  // only the valid assignment
    }

    void syntaxError_pointsAtTheColumn()
    {
        type("model.x = = 1");
        const QString transcript = window->console()->transcript();
        QVERIFY2(transcript.contains(QStringLiteral("SyntaxError")), qPrintable(transcript));
        QVERIFY(transcript.contains(QLatin1Char('^')));
        QCOMPARE(document.undoStack()->count(), 0);
    }

    void registerBufferDialog_validatesLikePyTorch_andRunsInTheConsole()
    {
        window->treeView()->setCurrentIndex(window->treeModel()->index(0, 0));  // the model
        bool checked = false;
        QTimer::singleShot(0, this, [&] {
            auto* dialog = qobject_cast<StatementDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            dialog->findChild<QLineEdit*>(QStringLiteral("name"))->setText(QStringLiteral("a.b"));
            QVERIFY(!dialog->isValidated());  // checked once typing pauses, on the worker
            QTRY_VERIFY(dialog->isValidated());
            QCOMPARE(dialog->error(), QStringLiteral("KeyError: 'buffer name can\\'t contain \".\"'"));
            dialog->findChild<QLineEdit*>(QStringLiteral("name"))->setText(QStringLiteral("register_buffer_in"));
            QTRY_VERIFY(dialog->isValidated());
            QVERIFY(dialog->error().isEmpty());  // re-registering a buffer is allowed
            dialog->findChild<QLineEdit*>(QStringLiteral("name"))->setText(QStringLiteral("attribute_buffer_in"));
            QTRY_VERIFY(dialog->isValidated());
            QCOMPARE(dialog->error(), QStringLiteral("KeyError: \"attribute 'attribute_buffer_in' already exists\""));
            dialog->findChild<QLineEdit*>(QStringLiteral("name"))->setText(QStringLiteral("running"));
            dialog->findChild<QCheckBox*>(QStringLiteral("persistent"))->setChecked(false);
            QCOMPARE(dialog->statement(),
                     QStringLiteral("model.register_buffer('running', torch.randn(15, 15), persistent=False)"));
            checked = true;
            dialog->accept();
        });
        const QStringList before = shownKeys(stateDictModel());
        window->editActions()->registerBuffer()->trigger();
        QVERIFY(checked);
        waitIdle();
        QVERIFY(window->console()->transcript().contains(
            QStringLiteral(">>> model.register_buffer('running', torch.randn(15, 15), persistent=False)")));
        QCOMPARE(shownKeys(stateDictModel()), before);  // non-persistent: not in state_dict
        QCOMPARE(document.undoStack()->count(), 1);
    }

    void deleteAndRename_generateThePythonTheyRun()
    {
        ModuleTreeModel* tree = window->treeModel();
        const QModelIndex model = tree->index(0, 0);
        window->treeView()->setCurrentIndex(tree->index(0, 0, model));  // register_buffer_in
        QCOMPARE(window->editActions()->renameStatement(QStringLiteral("renamed")),
                 QStringLiteral("model.register_buffer('renamed', model.register_buffer_in)\n"
                                "del model.register_buffer_in"));
        window->editActions()->remove()->trigger();
        waitIdle();
        QCOMPARE(shownKeys(stateDictModel()).size(), 2);
        const QModelIndex weight = tree->index(0, 0, tree->index(0, 0, tree->index(1, 0, model)));
        window->treeView()->setCurrentIndex(weight);
        QCOMPARE(window->editActions()->deleteStatement(), QStringLiteral("del model.conv1[0].weight"));
        document.undoStack()->undo();
        QCOMPARE(shownKeys(stateDictModel()).size(), 3);
        // A submodule is renamed through a moment of sharing: add_module, then del.
        const QModelIndex conv1 = tree->index(2, 0, model);
        QCOMPARE(conv1.data().toString(), QStringLiteral("conv1"));
        window->treeView()->setCurrentIndex(conv1);
        QVERIFY(window->editActions()->rename()->isEnabled());
        const QString rename = window->editActions()->renameStatement(QStringLiteral("features"));
        QCOMPARE(rename, QStringLiteral("model.add_module('features', model.conv1)\ndel model.conv1"));
        QVERIFY(document.runStatement(rename));
        waitIdle();
        QCOMPARE(shownKeys(stateDictModel()).join('|').remove(QRegularExpression(QStringLiteral(" --> [^|]*"))),
                 QStringLiteral("register_buffer_in|features.0.weight|features.0.bias"));
        document.undoStack()->undo();
        QCOMPARE(shownKeys(stateDictModel()).join('|').remove(QRegularExpression(QStringLiteral(" --> [^|]*"))),
                 QStringLiteral("register_buffer_in|conv1.0.weight|conv1.0.bias"));
    }

    void beforeToggle_showsRemovedKeysInRed()
    {
        type("del model.conv1");
        auto* toggle = window->listingPanel()->findChild<QCheckBox*>(QStringLiteral("showBefore"));
        toggle->setChecked(true);
        QCOMPARE(stateDictModel()->rowCount(), 3);
        QCOMPARE(stateDictModel()->index(1, 0).data(ListingModel::ChangeRole).toInt(),
                 int(ListingModel::Change::Removed));
        toggle->setChecked(false);
        QCOMPARE(stateDictModel()->rowCount(), 1);
    }

    void exportSession_matchesTheCommittedScript()
    {
        type("model.attribute_buffer_out = torch.randn(10,10)");
        type("register_buffer_out_temp = torch.randn(15,15)");
        type("model.register_buffer('register_buffer_out', register_buffer_out_temp)");
        type("model.register_parameter('undone', nn.Parameter(torch.ones(1)))");
        document.undoStack()->undo();  // undone statements are not exported
        type("model.x = = 1");          // failing statements are not exported
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("session.py"));
        QVERIFY(window->exportSessionTo(path));
        QFile got(path), want(QStringLiteral(MX_FIXTURES_DIR "/export/buffer_demo_session.py"));
        QVERIFY(got.open(QIODevice::ReadOnly) && want.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(got.readAll()), QString::fromUtf8(want.readAll()));
    }

    void longStatement_keepsTheWindowResponsive_andStopInterruptsIt()
    {
        const QStringList before = shownKeys(stateDictModel());
        ConsoleInput* input = window->console()->input();
        input->setFocus();
        // One statement: it registers a buffer in its first step, then loops for a very long time.
        input->setPlainText(QStringLiteral("for i in range(10**12):\n"
                                           "    if i == 0:\n"
                                           "        model.register_buffer('early', torch.zeros(1))\n"));
        input->moveCursor(QTextCursor::End);
        QTest::keyClick(input, Qt::Key_Return);
        QVERIFY(document.isBusy());
        int ticks = 0;
        QTimer timer;
        connect(&timer, &QTimer::timeout, [&] { ++ticks; });
        timer.start(20);
        QTest::qWait(600);
        QVERIFY2(ticks >= 10, qPrintable(QString::number(ticks)));  // the event loop kept running
        QVERIFY(document.isBusy());
        QTRY_VERIFY(window->console()->stopButton()->isVisible());
        QTest::mouseClick(window->console()->stopButton(), Qt::LeftButton);
        waitIdle();
        QVERIFY(window->console()->transcript().endsWith(QStringLiteral("KeyboardInterrupt")));
        QCOMPARE(shownKeys(stateDictModel()), before);  // its edits reverted
        QCOMPARE(document.undoStack()->count(), 0);
        type("model.after = 1");  // the console works again
        QCOMPARE(document.undoStack()->count(), 1);
    }

    void ctrlCInTheConsole_interruptsTheRunningStatement()
    {
        ConsoleInput* input = window->console()->input();
        input->setFocus();
        input->setPlainText(QStringLiteral("for i in range(10**12): x = i"));
        input->moveCursor(QTextCursor::End);
        QTest::keyClick(input, Qt::Key_Return);
        QTest::keyClick(input, Qt::Key_Return);  // the empty line that ends the block
        QTest::qWait(100);
        QVERIFY(document.isBusy());
        QTest::keyClick(input, Qt::Key_C, Qt::ControlModifier);
        waitIdle();
        QVERIFY(window->console()->transcript().endsWith(QStringLiteral("KeyboardInterrupt")));
    }

    void exportAfterUndo_neverListsUndoneStatements()
    {
        for (int round = 0; round < 8; ++round) {
            type("model.register_buffer('a', torch.zeros(1))");
            document.undo();
            type("model.register_buffer('b', torch.zeros(2))");
            document.undo();
            type("model.register_buffer('c', torch.zeros(3))");
            const QStringList statements = document.effectiveStatements();
            QCOMPARE(statements.last(), QStringLiteral("model.register_buffer('c', torch.zeros(3))"));
            QVERIFY(!document.exportPython().contains(QStringLiteral("'a'")));
            QVERIFY(!document.exportPython().contains(QStringLiteral("'b'")));
            document.undo();
        }
    }

    void ctrlZInAnEmptyConsoleInput_undoesTheModelEdit()
    {
        type("model.register_buffer('z', torch.zeros(1))");
        QCOMPARE(document.undoStack()->index(), 1);
        ConsoleInput* input = window->console()->input();
        input->setFocus();
        input->setPlainText(QStringLiteral("abc"));
        QTest::keyClick(input, Qt::Key_Z, Qt::ControlModifier);  // text undo: the model stays
        QCOMPARE(document.undoStack()->index(), 1);
        input->clear();
        QTest::keyClick(input, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(document.undoStack()->index(), 0);
        QTest::keyClick(input, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(document.undoStack()->index(), 1);
    }

    void switchingExamples_withUnsavedEdits_asksFirst()
    {
        type("model.register_buffer('mine', torch.zeros(1))");
        QVERIFY(document.isModified());
        int asked = 0;
        window->setUnsavedPrompt([&] { ++asked; return int(QMessageBox::Cancel); });
        window->openExampleAsked(QStringLiteral("state-dict-demo"));
        QTest::qWait(50);
        QCOMPARE(asked, 1);
        QCOMPARE(document.exampleName(), QStringLiteral("buffer-demo"));  // kept, edits and all
        QCOMPARE(document.undoStack()->count(), 1);
        window->setUnsavedPrompt([&] { ++asked; return int(QMessageBox::Discard); });
        window->openExampleAsked(QStringLiteral("state-dict-demo"));
        QTRY_COMPARE_WITH_TIMEOUT(document.exampleName(), QStringLiteral("state-dict-demo"), 30000);
        waitIdle();
        QCOMPARE(asked, 2);
        QCOMPARE(document.undoStack()->count(), 0);
        QCOMPARE(stateDictModel()->rowCount(), 16);
        QVERIFY(!window->console()->transcript().contains(QStringLiteral("# undone")));
        // Without edits nothing is asked.
        window->openExampleAsked(QStringLiteral("buffer-demo"));
        QTRY_COMPARE_WITH_TIMEOUT(document.exampleName(), QStringLiteral("buffer-demo"), 30000);
        QCOMPARE(asked, 2);
    }

private:
    void type(const QString& line)
    {
        ConsoleInput* input = window->console()->input();
        input->setFocus();
        input->setPlainText(line);
        input->moveCursor(QTextCursor::End);
        QTest::keyClick(input, Qt::Key_Return);
        if (!input->toPlainText().isEmpty())  // a block waiting for its end: an empty line ends it
            QTest::keyClick(input, Qt::Key_Return);
        waitIdle();
    }
    /** Statements run on the document's worker: waits until it is done and the views updated. */
    void waitIdle() { QTRY_VERIFY_WITH_TIMEOUT(!document.isBusy(), 30000); }

    QAbstractItemModel* stateDictModel() const { return window->listingPanel()->view(0)->model(); }

    Document document;
    std::unique_ptr<MainWindow> window;
};

QTEST_MAIN(EditingTest)
#include "tst_editing.moc"
