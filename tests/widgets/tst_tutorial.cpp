// File → Tutorial… on a real main window (offscreen): every step plays, the listings show what
// the tutorial printed, Back undoes a step exactly, Next/Back stop at the ends and while busy.
#include "app/document.h"
#include "app/mainwindow.h"
#include "app/tutorialplayer.h"
#include "app/tutorialsteps.h"
#include "items/moduletreemodel.h"
#include "widgets/consolewidget.h"
#include "widgets/listingpanel.h"
#include "widgets/moduletreeview.h"
#include "widgets/tutorialpanel.h"

#include <QAction>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTranslator>
#include <QUndoStack>
#include <QtTest>

using namespace mx;

namespace {

QStringList fixtureLines(const QString& file)
{
    QFile f(QStringLiteral(MX_FIXTURES_DIR "/tutorial/") + file);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QStringList stateDictShown(MainWindow* window)
{
    QTableView* view = window->listingPanel()->view(0);
    QStringList keys;
    for (int r = 0; r < view->model()->rowCount(); ++r)
        keys << view->model()->index(r, 0).data().toString() + QStringLiteral(" --> ") +
                    view->model()->index(r, 1).data().toString();
    return keys;
}

/** The step whose statement contains `text`. */
int stepWith(const char* text)
{
    const auto& steps = tutorialSteps();
    for (int i = 0; i < static_cast<int>(steps.size()); ++i)
        if (steps[size_t(i)].statementText().contains(QLatin1String(text)))
            return i;
    return -1;
}

/** Whether the model's row has a child row named `name`. */
bool treeHas(MainWindow* window, const QString& name)
{
    ModuleTreeModel* tree = window->treeModel();
    const QModelIndex model = tree->index(0, 0);
    for (int r = 0; r < tree->rowCount(model); ++r)
        if (tree->index(r, 0, model).data().toString() == name)
            return true;
    return false;
}

/** Chinese for a few of the tutorial's texts, as the zh_CN .qm would give them. */
class FakeChinese : public QTranslator {
public:
    QHash<QString, QString> texts{
        {QStringLiteral("Step %1 of %2"), QStringLiteral("第 %1 步,共 %2 步")},
        {QStringLiteral("Returns a dictionary containing a whole state of the module. Both "
                        "parameters and persistent buffers (e.g. running averages) are included. "
                        "Keys are corresponding parameter and buffer names."),
         QStringLiteral("返回一个字典,该字典包含了模型的整个状态.")}};
    bool isEmpty() const override { return false; }
    QString translate(const char* context, const char* source, const char* disambiguation,
                      int n) const override
    {
        return texts.value(QString::fromUtf8(source));
    }
};

}  // namespace

/** Plays the tutorial as a teacher would, checking what the class sees after each step. */
class TutorialTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(document.openExample(QStringLiteral("buffer-demo")));
        window = std::make_unique<MainWindow>(&document);
        window->setUnsavedPrompt([this] { ++prompts; return prompt; });
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        player = window->tutorialPlayer();
        panel = window->tutorialPanel();
        QVERIFY(player && panel);
    }

    void openTutorial_withUnsavedEdits_asksAndCancelKeepsTheModel()
    {
        QVERIFY(document.runStatementNow(QStringLiteral("model.mine = torch.zeros(2)")).ok);
        QVERIFY(document.isModified());
        prompt = QMessageBox::Cancel;
        window->findChild<QAction*>(QStringLiteral("tutorialAction"))->trigger();
        QCOMPARE(prompts, 1);
        QVERIFY(panel->isVisible());
        QVERIFY(!player->isBusy());
        QCOMPARE(document.exampleName(), QStringLiteral("buffer-demo"));
        QVERIFY(treeHas(window.get(), QStringLiteral("mine")));  // nothing lost
        QCOMPARE(player->current(), -1);
    }

    void openTutorial_discarded_opensModelAAtTheFirstStep()
    {
        prompt = QMessageBox::Discard;
        window->openTutorial();
        QCOMPARE(prompts, 2);
        QTRY_VERIFY_WITH_TIMEOUT(!player->isBusy() && player->current() == 0, 30000);
        QCOMPARE(document.exampleName(), QStringLiteral("state-dict-demo"));
        QCOMPARE(panel->counterText(), QStringLiteral("Step 1 of %1").arg(player->count()));
        QVERIFY(panel->explanationText().contains(QStringLiteral("whole state of the module")));
        QVERIFY(!panel->backButton()->isEnabled());  // the first step: nothing to go back to
        QVERIFY(panel->nextButton()->isEnabled());
        QCOMPARE(stateDictShown(window.get()), fixtureLines(QStringLiteral("model_a_state_dict.txt")));
    }

    void languageChange_showsTheStepInTheNewLanguage_andBack()
    {
        FakeChinese chinese;
        QCoreApplication::installTranslator(&chinese);
        QTRY_COMPARE(panel->counterText(), QStringLiteral("第 1 步,共 %1 步").arg(player->count()));
        QCOMPARE(panel->explanationText(), QStringLiteral("返回一个字典,该字典包含了模型的整个状态."));
        QCoreApplication::removeTranslator(&chinese);
        QTRY_COMPARE(panel->counterText(), QStringLiteral("Step 1 of %1").arg(player->count()));
        QVERIFY(panel->explanationText().startsWith(QStringLiteral("Returns a dictionary")));
    }

    void everyStep_playsToTheEnd_withoutAnError()
    {
        QSignalSpy failures(player, &TutorialPlayer::failed);
        const int keysStep = stepWith("model.state_dict().items()");
        const int unusedLayerStep = stepWith("model.layer4cxq1.state_dict()");
        const int attributeStep = stepWith("model.attribute_buffer_out =");
        const int bufferStep = stepWith("model.register_buffer(");
        QVERIFY(keysStep > 0 && unusedLayerStep > keysStep && attributeStep > keysStep && bufferStep > attributeStep);
        for (int step = 1; step < player->count(); ++step) {
            QVERIFY(panel->nextButton()->isEnabled());
            panel->nextButton()->click();
            if (!tutorialSteps()[size_t(step)].statementText().isEmpty() &&
                tutorialSteps()[size_t(step)].exampleName() == document.exampleName()) {
                // The statement runs on the worker: neither button works meanwhile.
                QVERIFY(player->isBusy());
                QVERIFY(!panel->nextButton()->isEnabled());
                QVERIFY(!panel->backButton()->isEnabled());
            }
            QTRY_VERIFY_WITH_TIMEOUT(!player->isBusy() && player->current() == step, 30000);
            QCOMPARE(failures.count(), 0);
            QCOMPARE(panel->statementText(), tutorialSteps()[size_t(step)].statementText());
            if (step == keysStep) {  // Model A: the tutorial's 16 keys, in its order
                QCOMPARE(stateDictShown(window.get()),
                         fixtureLines(QStringLiteral("model_a_state_dict.txt")));
                QVERIFY(window->console()->transcript().contains(
                    QStringLiteral("layer4cxq4.bias --> torch.Size([1024])")));
            }
            if (step == unusedLayerStep) {  // the step's entry is selected in the tree and listing
                QCOMPARE(window->treeView()->currentIndex().data(ModuleTreeModel::PathRole).toString(),
                         QStringLiteral("layer4cxq1.weight"));
                QCOMPARE(window->listingPanel()->view(0)->currentIndex().row(), 12);
            }
            if (step == attributeStep) {  // a plain attribute: in the tree, not in state_dict
                QVERIFY(treeHas(window.get(), QStringLiteral("attribute_buffer_out")));
                QCOMPARE(stateDictShown(window.get()),
                         fixtureLines(QStringLiteral("model_b_before_state_dict.txt")));
            }
            if (step == bufferStep) {
                QCOMPARE(stateDictShown(window.get()),
                         fixtureLines(QStringLiteral("model_b_after_state_dict.txt")));
                QCOMPARE(window->treeView()->currentIndex().data(ModuleTreeModel::PathRole).toString(),
                         QStringLiteral("register_buffer_out"));
            }
        }
        QVERIFY(!panel->nextButton()->isEnabled());  // the last step
        QVERIFY(panel->backButton()->isEnabled());
        QVERIFY(!window->console()->transcript().contains(QStringLiteral("Error")));
        QCOMPARE(document.undoStack()->count(), 2);  // the attribute and the buffer, undoable
    }

    void back_fromRegisterBuffer_removesTheKeyAndNextAddsItAgain()
    {
        const int bufferStep = stepWith("model.register_buffer(");
        while (player->current() > bufferStep) {
            panel->backButton()->click();
            QTRY_VERIFY_WITH_TIMEOUT(!player->isBusy(), 30000);
        }
        QCOMPARE(player->current(), bufferStep);
        QCOMPARE(stateDictShown(window.get()), fixtureLines(QStringLiteral("model_b_after_state_dict.txt")));
        panel->backButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!player->isBusy() && player->current() == bufferStep - 1, 30000);
        QCOMPARE(stateDictShown(window.get()), fixtureLines(QStringLiteral("model_b_before_state_dict.txt")));
        QVERIFY(!treeHas(window.get(), QStringLiteral("register_buffer_out")));
        QVERIFY(treeHas(window.get(), QStringLiteral("attribute_buffer_out")));  // the step before stays
        QCOMPARE(document.undoStack()->index(), 1);

        panel->nextButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!player->isBusy() && player->current() == bufferStep, 30000);
        QCOMPARE(stateDictShown(window.get()), fixtureLines(QStringLiteral("model_b_after_state_dict.txt")));
    }

    void back_overTheAttributeStep_removesThePlainAttribute()
    {
        const int attributeStep = stepWith("model.attribute_buffer_out =");
        while (player->current() >= attributeStep) {
            panel->backButton()->click();
            QTRY_VERIFY_WITH_TIMEOUT(!player->isBusy(), 30000);
        }
        QCOMPARE(player->current(), attributeStep - 1);
        QVERIFY(!treeHas(window.get(), QStringLiteral("attribute_buffer_out")));
        QCOMPARE(document.undoStack()->index(), 0);
        QCOMPARE(stateDictShown(window.get()), fixtureLines(QStringLiteral("model_b_before_state_dict.txt")));
    }

    void back_intoTheFirstExperiment_reopensModelA()
    {
        window->activateWindow();
        panel->setFocus();
        while (tutorialSteps()[size_t(player->current())].exampleName() != QLatin1String("state-dict-demo")) {
            const int before = player->current();
            QTest::keyClick(panel, Qt::Key_Left);  // the panel's key for Back
            QTRY_VERIFY_WITH_TIMEOUT(!player->isBusy() && player->current() == before - 1, 30000);
        }
        QCOMPARE(document.exampleName(), QStringLiteral("state-dict-demo"));
        QCOMPARE(prompts, 2);  // the tutorial's own edits were replaced without asking
        QCOMPARE(stateDictShown(window.get()), fixtureLines(QStringLiteral("model_a_state_dict.txt")));
    }

    void userEdit_thenBack_replaysInsteadOfUndoingTheUsersEdit()
    {
        const int at = player->current();
        QVERIFY(document.runStatementNow(QStringLiteral("model.mine = torch.zeros(2)")).ok);
        QVERIFY(!player->inSync());
        prompt = QMessageBox::Discard;
        panel->backButton()->click();  // the model is not the tutorial's: asked, then replayed
        QTRY_VERIFY_WITH_TIMEOUT(!player->isBusy() && player->current() == at - 1, 30000);
        QCOMPARE(prompts, 3);
        QVERIFY(!treeHas(window.get(), QStringLiteral("mine")));
        QCOMPARE(stateDictShown(window.get()), fixtureLines(QStringLiteral("model_a_state_dict.txt")));
    }

    void restart_goesToTheFirstStep_andBackIsOff()
    {
        panel->restartButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!player->isBusy() && player->current() == 0, 30000);
        QVERIFY(!panel->backButton()->isEnabled());
        QVERIFY(panel->nextButton()->isEnabled());
        QCOMPARE(panel->counterText(), QStringLiteral("Step 1 of %1").arg(player->count()));
        QTest::keyClick(window.get(), Qt::Key_PageUp);  // nothing before the first step
        QCOMPARE(player->current(), 0);
    }

    void pageDown_anywhereInTheWindow_isNext()
    {
        // A presenter's clicker sends Page Down; the focus may be in the tree.
        window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        window->treeView()->setFocus();
        QTest::keyClick(window->treeView(), Qt::Key_PageDown);
        QTRY_VERIFY_WITH_TIMEOUT(!player->isBusy() && player->current() == 1, 30000);
        QCOMPARE(panel->counterText(), QStringLiteral("Step 2 of %1").arg(player->count()));
        QVERIFY(panel->statementText().contains(QStringLiteral("print(type(model))")));
    }

    void cleanupTestCase() { window.reset(); }

private:
    Document document;
    std::unique_ptr<MainWindow> window;
    TutorialPlayer* player = nullptr;
    TutorialPanel* panel = nullptr;
    int prompts = 0;
    int prompt = QMessageBox::Cancel;
};

QTEST_MAIN(TutorialTest)
#include "tst_tutorial.moc"
