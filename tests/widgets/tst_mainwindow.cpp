// The main window on the tutorial's models, as a student would see it (offscreen platform).
#include "app/document.h"
#include "app/mainwindow.h"
#include "items/listingmodel.h"
#include "items/moduletreemodel.h"
#include "widgets/listingpanel.h"
#include "widgets/moduletreeview.h"

#include <QAction>
#include <QFile>
#include <QLabel>
#include <QTableView>
#include <QtTest>

using namespace mx;

namespace {

QStringList tutorialLines(const QString& file)
{
    QFile f(QStringLiteral(MX_FIXTURES_DIR "/tutorial/") + file);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QStringList keysShown(QTableView* view)
{
    QStringList keys;
    for (int r = 0; r < view->model()->rowCount(); ++r)
        keys << view->model()->index(r, 0).data().toString() + QStringLiteral(" --> ") +
                    view->model()->index(r, 1).data().toString();
    return keys;
}

}  // namespace

/** Checks the window's tree and listings against the tutorial and their selection syncing. */
class MainWindowTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(document.openExample(QStringLiteral("state-dict-demo")));
        window = std::make_unique<MainWindow>(&document);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    }

    void stateDictPanel_modelA_showsTheTutorialsSixteenKeys()
    {
        QTableView* view = window->listingPanel()->view(0);
        QCOMPARE(view->model()->rowCount(), 16);
        QCOMPARE(keysShown(view), tutorialLines(QStringLiteral("model_a_state_dict.txt")));
    }

    void tree_modelA_showsParametersThenSubmodules()
    {
        ModuleTreeModel* tree = window->treeModel();
        QCOMPARE(tree->rowCount(), 1);
        const QModelIndex model = tree->index(0, 0);
        QCOMPARE(model.data().toString(), QStringLiteral("model"));
        QCOMPARE(tree->rowCount(model), 4 + 7);  // attribute4* parameters, then 7 submodules
        QCOMPARE(tree->index(0, 0, model).data().toString(), QStringLiteral("attribute4cxq"));
        QCOMPARE(tree->index(0, ModuleTreeModel::Shape, model).data().toString(),
                 QStringLiteral("torch.Size([])"));
        QCOMPARE(tree->index(4, 0, model).data().toString(), QStringLiteral("conv1"));
        const QModelIndex conv = tree->index(0, ModuleTreeModel::Summary, tree->index(4, 0, model));
        QCOMPARE(conv.data().toString(),
                 QStringLiteral("Conv2d(1, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))"));
        QVERIFY(window->treeView()->isExpanded(tree->index(4, 0, model)));

        // Every state_dict key is a visible entry of the tree with the same path.
        int inStateDict = 0;
        std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
            for (int r = 0; r < tree->rowCount(parent); ++r) {
                const QModelIndex i = tree->index(r, 0, parent);
                inStateDict += i.data(ModuleTreeModel::InStateDictRole).toBool();
                walk(i);
            }
        };
        walk({});
        QCOMPARE(inStateDict, 16);
    }

    void selectingListingRow_selectsTreeEntry()
    {
        ListingPanel* panel = window->listingPanel();
        QTableView* view = panel->view(0);
        view->setCurrentIndex(view->model()->index(8, 0));  // dense.0.weight
        const QModelIndex current = window->treeView()->currentIndex();
        QCOMPARE(current.data(ModuleTreeModel::PathRole).toString(),
                 QStringLiteral("dense.0.weight"));
        auto* details = window->findChild<QLabel*>(QStringLiteral("entryDetails"));
        QVERIFY(details->text().contains(QStringLiteral("dense.0.weight")));
    }

    void selectingTreeEntry_selectsRowInEveryListingThatHasIt()
    {
        ModuleTreeModel* tree = window->treeModel();
        const QModelIndex model = tree->index(0, 0);
        const QModelIndex hh = tree->index(2, 0, model);  // attribute4hh
        window->treeView()->setCurrentIndex(hh);
        QCOMPARE(window->listingPanel()->view(0)->currentIndex().row(), 2);  // state_dict
        QCOMPARE(window->listingPanel()->view(1)->currentIndex().row(), 2);  // named_parameters
        QCOMPARE(window->listingPanel()->view(3)->currentIndex().row(), 2);  // parameters
    }

    void examplesMenu_bufferDemo_showsPlainAttributeOutsideStateDict()
    {
        QAction* action = window->findChild<QAction*>(QStringLiteral("buffer-demo"));
        QVERIFY(action);
        action->trigger();  // built on the worker, then shown
        QTRY_COMPARE_WITH_TIMEOUT(document.exampleName(), QStringLiteral("buffer-demo"), 30000);
        QCOMPARE(keysShown(window->listingPanel()->view(0)),
                 tutorialLines(QStringLiteral("model_b_before_state_dict.txt")));
        ModuleTreeModel* tree = window->treeModel();
        const QModelIndex model = tree->index(0, 0);
        // register_buffer_in (buffer), attribute_buffer_in (plain attribute), then conv1.
        QCOMPARE(tree->rowCount(model), 3);
        const QModelIndex plain = tree->index(1, 0, model);
        QCOMPARE(plain.data().toString(), QStringLiteral("attribute_buffer_in"));
        QCOMPARE(plain.data(ModuleTreeModel::InStateDictRole).toBool(), false);
        QCOMPARE(tree->index(1, ModuleTreeModel::Kind, model).data().toString(),
                 QStringLiteral("attribute · not in state_dict"));
        QVERIFY(window->windowTitle().contains(QStringLiteral("Model B")));
    }

private:
    Document document;
    std::unique_ptr<MainWindow> window;
};

QTEST_MAIN(MainWindowTest)
#include "tst_mainwindow.moc"
