// Edits reach the views incrementally: the tree and the listings follow the document's change
// records (rows inserted, removed and changed, never a reset), undo/redo included; the tree ends
// up exactly as a tree built afresh; the listings mark what changed; nothing reads the model while
// a job runs.

#include "core/examples.h"
#include "core/modeldocument.h"
#include "core/modulenode.h"
#include "core/statements/statementsession.h"
#include "items/listingmodel.h"
#include "items/moduletreemodel.h"

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace mx;

namespace {

QStringList childNames(const QAbstractItemModel& tree, const QModelIndex& parent)
{
    QStringList names;
    for (int r = 0; r < tree.rowCount(parent); ++r)
        names << tree.index(r, 0, parent).data().toString();
    return names;
}

QStringList keys(const ListingModel& listing)
{
    QStringList out;
    for (int r = 0; r < listing.rowCount(); ++r)
        out << listing.keyAt(r);
    return out;
}

void walk(const QAbstractItemModel& m, const QModelIndex& parent)
{
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, 0, parent);
        i.data();
        walk(m, i);
    }
}

// Every row (built on the way), one line each: indentation, every column's text, and the roles
// views use. Two trees showing the same model give the same dump.
void dump(const QAbstractItemModel& m, const QModelIndex& parent, int depth, QStringList* out)
{
    for (int r = 0; r < m.rowCount(parent); ++r) {
        QStringList cells{QString(depth * 2, QLatin1Char(' '))};
        for (int c = 0; c < m.columnCount(parent); ++c)
            cells << m.index(r, c, parent).data().toString();
        const QModelIndex i = m.index(r, 0, parent);
        cells << i.data(ModuleTreeModel::EntryKindRole).toString()
              << i.data(ModuleTreeModel::InStateDictRole).toString()
              << i.data(ModuleTreeModel::PathRole).toString()
              << i.data(ModuleTreeModel::SharedWithRole).toString()
              << i.data(ModuleTreeModel::ExplanationRole).toString()
              << m.index(r, ModuleTreeModel::Kind, parent).data(Qt::ToolTipRole).toString();
        QCOMPARE(i.parent(), parent);
        out->append(cells.join(QLatin1Char('|')));
        dump(m, i, depth + 1, out);
    }
}

QStringList dump(const QAbstractItemModel& m)
{
    QStringList out;
    dump(m, {}, 0, &out);
    return out;
}

}  // namespace

/** Model B edited as in the tutorial's second experiment, watched through the item models. */
class IncrementalTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QTest::failOnWarning(QRegularExpression(QStringLiteral("ModuleTreeModel")));
        document = std::make_unique<ModelDocument>();
        document->replaceModel(buildExample("buffer-demo"), "buffer-demo");
        document->deliverChanges();
        tree = std::make_unique<ModuleTreeModel>();
        listing = std::make_unique<ListingModel>(Listing::StateDict);
        tree->setDocument(document.get());
        listing->setDocument(document.get());
        treeTester = std::make_unique<QAbstractItemModelTester>(
            tree.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        listingTester = std::make_unique<QAbstractItemModelTester>(
            listing.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        walk(*tree, {});
        resets = std::make_unique<QSignalSpy>(tree.get(), &QAbstractItemModel::modelReset);
        listingResets = std::make_unique<QSignalSpy>(listing.get(), &QAbstractItemModel::modelReset);
    }
    void cleanup()
    {
        QCOMPARE(resets->count(), 0);
        QCOMPARE(listingResets->count(), 0);
        treeTester.reset();
        listingTester.reset();
        tree.reset();
        listing.reset();
        document.reset();
    }

    void registerBuffer_insertsOneRowAndOneKey_undoRemovesThem()
    {
        QSignalSpy inserted(tree.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(tree.get(), &QAbstractItemModel::rowsRemoved);
        const QModelIndex root = tree->index(0, 0);
        run("model.register_buffer('register_buffer_out', torch.randn(15, 15))");
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 1);  // after register_buffer_in
        QCOMPARE(childNames(*tree, root), (QStringList{"register_buffer_in", "register_buffer_out",
                                                       "attribute_buffer_in", "conv1"}));
        QCOMPARE(tree->index(1, ModuleTreeModel::Shape, root).data().toString(),
                 QStringLiteral("torch.Size([15, 15])"));
        QCOMPARE(keys(*listing), (QStringList{"register_buffer_in", "register_buffer_out",
                                              "conv1.0.weight", "conv1.0.bias"}));
        QCOMPARE(listing->index(1, 0).data(ListingModel::ChangeRole).toInt(),
                 int(ListingModel::Change::Added));
        QCOMPARE(listing->count(ListingModel::Change::Added), 1);

        undo();
        QCOMPARE(removed.count(), 1);
        QCOMPARE(childNames(*tree, root),
                 (QStringList{"register_buffer_in", "attribute_buffer_in", "conv1"}));
        QCOMPARE(listing->rowCount(), 3);
        listing->setShowBefore(true);  // a view switch may reset; it is not an edit
        QCOMPARE(listing->index(1, 0).data(ListingModel::ChangeRole).toInt(),
                 int(ListingModel::Change::Removed));
        listing->setShowBefore(false);
        listingResets->clear();

        redo();
        QCOMPARE(listing->rowCount(), 4);
        QCOMPARE(inserted.count(), 2);
    }

    void sharedModule_rowUnderEachName_laterOneMarked_markFollowsDeletionAndUndo()
    {
        const QModelIndex root = tree->index(0, 0);
        walk(*tree, {});
        run("model.a = model.conv1");
        QCOMPARE(childNames(*tree, root),
                 (QStringList{"register_buffer_in", "attribute_buffer_in", "conv1", "a"}));
        auto sharedWith = [&](int row) {
            return tree->index(row, 0, root).data(ModuleTreeModel::SharedWithRole).toString();
        };
        QCOMPARE(sharedWith(2), QString());
        QCOMPARE(sharedWith(3), QStringLiteral("conv1"));
        QCOMPARE(childNames(*tree, tree->index(3, 0, root)), (QStringList{"0", "1"}));
        QVERIFY(tree->index(3, 0, root).data(ModuleTreeModel::ExplanationRole).toString()
                    .startsWith(QStringLiteral("Shared with conv1: 'a' is the same module object")));
        QCOMPARE(keys(*listing), (QStringList{"register_buffer_in", "conv1.0.weight", "conv1.0.bias",
                                              "a.0.weight", "a.0.bias"}));
        // An edit through one name shows under both rows.
        run("model.a[0].register_buffer('mark', torch.ones(2))");
        QCOMPARE(childNames(*tree, tree->index(0, 0, tree->index(2, 0, root))),
                 (QStringList{"weight", "bias", "mark"}));
        QCOMPARE(childNames(*tree, tree->index(0, 0, tree->index(3, 0, root))),
                 (QStringList{"weight", "bias", "mark"}));
        run("del model.conv1");
        QCOMPARE(childNames(*tree, root), (QStringList{"register_buffer_in", "attribute_buffer_in", "a"}));
        QCOMPARE(sharedWith(2), QString());  // now its only name
        undo();
        QCOMPARE(sharedWith(2), QString());
        QCOMPARE(sharedWith(3), QStringLiteral("conv1"));
    }

    void plainTensorAttribute_addsTreeRowButNoStateDictKey()
    {
        QSignalSpy inserted(listing.get(), &QAbstractItemModel::rowsInserted);
        run("model.attribute_buffer_out = torch.randn(10, 10)");
        QCOMPARE(childNames(*tree, tree->index(0, 0)),
                 (QStringList{"register_buffer_in", "attribute_buffer_in", "attribute_buffer_out", "conv1"}));
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(listing->rowCount(), 3);
    }

    void deleteSubmodule_removesItsRowsAndKeys_undoRestoresThemInOrder()
    {
        const QModelIndex root = tree->index(0, 0);
        run("del model.conv1");
        QCOMPARE(childNames(*tree, root), (QStringList{"register_buffer_in", "attribute_buffer_in"}));
        QCOMPARE(keys(*listing), QStringList{"register_buffer_in"});
        undo();
        QCOMPARE(childNames(*tree, root),
                 (QStringList{"register_buffer_in", "attribute_buffer_in", "conv1"}));
        QCOMPARE(keys(*listing),
                 (QStringList{"register_buffer_in", "conv1.0.weight", "conv1.0.bias"}));
        QCOMPARE(childNames(*tree, tree->index(2, 0, root)), (QStringList{"0", "1"}));
        QCOMPARE(dump(*tree), freshDump());
    }

    void parameterOverBuffer_movesTheRowToParameters()
    {
        run("model.register_buffer_in = nn.Parameter(torch.randn(4, 6))");
        const QModelIndex root = tree->index(0, 0);
        QCOMPARE(childNames(*tree, root), (QStringList{"register_buffer_in", "attribute_buffer_in", "conv1"}));
        QCOMPARE(tree->index(0, 0, root).data(ModuleTreeModel::EntryKindRole).toInt(),
                 int(EntryKind::Parameter));
        QCOMPARE(listing->index(0, 0).data(ListingModel::ChangeRole).toInt(),
                 int(ListingModel::Change::None));  // same key, same shape
    }

    void editInsideSubmodule_updatesOnlyThatBranch()
    {
        const QModelIndex conv = tree->index(0, 0, tree->index(2, 0, tree->index(0, 0)));  // conv1.0
        QSignalSpy inserted(tree.get(), &QAbstractItemModel::rowsInserted);
        run("model.conv1[0].register_buffer('scale', torch.zeros(64))");
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(0).value<QModelIndex>(), conv);
        QCOMPARE(childNames(*tree, conv), (QStringList{"weight", "bias", "scale"}));
        QCOMPARE(keys(*listing).last(), QStringLiteral("conv1.0.scale"));
        QCOMPARE(tree->index(2, ModuleTreeModel::Summary, conv).data().toString(),
                 QStringLiteral("state_dict['conv1.0.scale']"));
    }

    // ----- every kind of step, then its undo and its redo, leaves the tree as built afresh ------

    void statement_undo_redo_treeMatchesFreshTree_data()
    {
        QTest::addColumn<QString>("source");
        QTest::newRow("register_buffer") << "model.register_buffer('extra', torch.randn(2, 3))";
        QTest::newRow("non-persistent buffer")
            << "model.conv1[0].register_buffer('scratch', torch.ones(4), persistent=False)";
        QTest::newRow("tensor attribute set to None") << "model.attribute_buffer_in = None";
        QTest::newRow("tensor attribute to None and back")
            << "model.attribute_buffer_in = None\nmodel.attribute_buffer_in = torch.ones(2)";
        QTest::newRow("attribute deleted") << "del model.attribute_buffer_in";
        QTest::newRow("child module set to None") << "model.conv1 = None";
        QTest::newRow("child module to None and back")
            << "model.conv1 = None\nmodel.conv1 = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU())";
        QTest::newRow("submodule deleted") << "del model.conv1";
        QTest::newRow("submodule replaced by another") << "model.conv1 = nn.Linear(3, 4)";
        QTest::newRow("register_buffer then del, then another")
            << "model.register_buffer('tmp', torch.zeros(3))\ndel model.tmp\n"
               "model.register_buffer('kept', torch.zeros(1))";
        QTest::newRow("parameter replaced by another shape")
            << "model.conv1[0].weight = nn.Parameter(torch.randn(8, 1, 5, 5))";
        QTest::newRow("parameter set to None") << "model.conv1[0].bias = None";
        QTest::newRow("plain value, then a tensor under that name")
            << "model.x = 5\nmodel.y = torch.zeros(2)\nmodel.x = torch.ones(3)";
        QTest::newRow("buffer overwritten by a parameter")
            << "model.register_buffer_in = nn.Parameter(torch.randn(4, 6))";
        QTest::newRow("submodule added inside a submodule")
            << "model.conv1.add_module('extra', nn.Sequential(nn.ReLU()))";
        QTest::newRow("many buffers in a loop")
            << "for i in range(200): model.register_buffer('b' + str(i), torch.zeros(1))";
        // One module under several names (shown under each, the later ones marked).
        QTest::newRow("module shared under a second name") << "model.a = model.conv1";
        QTest::newRow("layer shared, then edited through one name")
            << "model.add_module('c0', model.conv1[0])\nmodel.c0.register_buffer('mark', torch.ones(2))";
        QTest::newRow("first name deleted: the second is no longer marked")
            << "model.a = model.conv1\ndel model.conv1";
        QTest::newRow("shared inside a new Sequential")
            << "model.s = nn.Sequential(model.conv1[0], model.conv1[0], nn.ReLU())";
        QTest::newRow("Sequential item deleted and re-keyed") << "del model.conv1[0]";
        QTest::newRow("many attributes, every other one removed")
            << "for i in range(50): setattr(model, 'a' + str(i), torch.zeros(i + 1))\n"
               "for i in range(0, 50, 2): delattr(model, 'a' + str(i))";
    }
    void statement_undo_redo_treeMatchesFreshTree()
    {
        QFETCH(QString, source);
        walk(*tree, {});  // every module's rows built: every record has rows to update
        QVERIFY(tree->index(0, 0).isValid());
        const QStringList before = dump(*tree);
        run(source);
        if (QTest::currentTestFailed())
            return;
        const QStringList after = freshDump();
        QVERIFY(after != before);
        QCOMPARE(dump(*tree), after);
        undo();
        QCOMPARE(dump(*tree), before);
        QCOMPARE(freshDump(), before);
        redo();
        QCOMPARE(dump(*tree), after);
    }

    void statement_onUnbuiltModules_treeMatchesFreshTreeWhenExpanded()
    {
        // A tree that never showed conv1's rows: records for it need no notifications.
        auto lazy = std::make_unique<ModuleTreeModel>();
        QAbstractItemModelTester tester(lazy.get(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        lazy->setDocument(document.get());
        run("model.conv1[0].register_buffer('scale', torch.zeros(64))\ndel model.conv1[0].bias");
        QCOMPARE(dump(*lazy), freshDump());
        undo();
        QCOMPARE(dump(*lazy), freshDump());
    }

    void replacedParameter_emitsDataChangedWithTheNewShape()
    {
        const QModelIndex conv = tree->index(0, 0, tree->index(2, 0, tree->index(0, 0)));  // conv1.0
        QSignalSpy changed(tree.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(tree.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(tree.get(), &QAbstractItemModel::rowsRemoved);
        run("model.conv1[0].weight = nn.Parameter(torch.randn(8, 1, 5, 5))");
        QCOMPARE(inserted.count() + removed.count(), 0);
        bool weightRowChanged = false;
        for (const QList<QVariant>& args : changed) {
            const QModelIndex topLeft = args.at(0).value<QModelIndex>();
            const QModelIndex bottomRight = args.at(1).value<QModelIndex>();
            weightRowChanged |= topLeft.parent() == conv && topLeft.row() == 0 &&
                                bottomRight.column() >= ModuleTreeModel::Shape;
        }
        QVERIFY(weightRowChanged);
        QCOMPARE(tree->index(0, ModuleTreeModel::Shape, conv).data().toString(),
                 QStringLiteral("torch.Size([8, 1, 5, 5])"));
        QCOMPARE(listing->keyAt(1), QStringLiteral("conv1.0.weight"));
        QCOMPARE(listing->index(1, 0).data(ListingModel::ChangeRole).toInt(),
                 int(ListingModel::Change::ShapeChanged));
        // The subtree totals above it follow: 8*1*5*5 weights + 64 biases.
        QCOMPARE(tree->index(2, ModuleTreeModel::Numel, tree->index(0, 0)).data().toString(),
                 QStringLiteral("264 params"));
    }

    void loopOfInserts_isAnnouncedAsOneRange_andItsUndoAsOne()
    {
        QSignalSpy inserted(tree.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(tree.get(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy listingInserted(listing.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy byEdit(tree.get(), &ModuleTreeModel::rowsInsertedByEdit);
        run("for i in range(300): model.register_buffer('b' + str(i), torch.zeros(1))");
        QCOMPARE(byEdit.count(), 1);
        QCOMPARE(byEdit.at(0).at(0).value<QModelIndex>(), tree->index(0, 0));
        QCOMPARE(byEdit.at(0).at(1).toInt(), 1);
        QCOMPARE(byEdit.at(0).at(2).toInt(), 300);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 1);    // after register_buffer_in
        QCOMPARE(inserted.at(0).at(2).toInt(), 300);  // through b299
        QCOMPARE(listingInserted.count(), 1);
        QCOMPARE(listing->rowCount(), 303);
        undo();
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.at(0).at(2).toInt() - removed.at(0).at(1).toInt(), 299);
        QCOMPARE(dump(*tree), freshDump());
    }

    // ----- a job running: nothing reads the model; afterwards everything catches up --------------

    void readsNotAllowed_rowsKeepTheirText_andCatchUpAfterwards()
    {
        const QModelIndex root = tree->index(0, 0);
        const QModelIndex buffer = tree->index(0, ModuleTreeModel::Shape, root);
        QCOMPARE(buffer.data().toString(), QStringLiteral("torch.Size([4, 6])"));
        QVERIFY(buffer.data(ModuleTreeModel::ValuePreviewRole).toString().startsWith("sum "));
        // A fresh tree that never built conv1's rows, watched by Qt's model checks.
        auto lazy = std::make_unique<ModuleTreeModel>();
        lazy->setDocument(document.get());
        const QModelIndex lazyRoot = lazy->index(0, 0);
        QCOMPARE(lazy->rowCount(lazyRoot), 3);
        QSignalSpy lazyInserted(lazy.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy lazyByEdit(lazy.get(), &ModuleTreeModel::rowsInsertedByEdit);
        QSignalSpy byEdit(tree.get(), &ModuleTreeModel::rowsInsertedByEdit);

        for (auto* m : {tree.get(), lazy.get()})
            m->setReadsAllowed(false);
        listing->setReadsAllowed(false);
        QAbstractItemModelTester tester(lazy.get(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        // The job: on the test's thread here; what matters is that the views do not read.
        const StatementResult r = document->run(
            "model.register_buffer_in = torch.zeros(2, 2)\n"
            "model.conv1[0].register_buffer('scale', torch.zeros(64))");
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY(document->hasUndeliveredChanges());
        // Rows built before show what they showed; the value preview is not read.
        QCOMPARE(buffer.data().toString(), QStringLiteral("torch.Size([4, 6])"));
        QCOMPARE(tree->index(0, ModuleTreeModel::Name, root).data().toString(),
                 QStringLiteral("register_buffer_in"));
        QCOMPARE(buffer.data(ModuleTreeModel::ValuePreviewRole).toString(),
                 QStringLiteral("values are not read while a statement or forward runs"));
        QCOMPARE(keys(*listing), (QStringList{"register_buffer_in", "conv1.0.weight", "conv1.0.bias"}));
        // A module whose rows were never built has none while the job runs.
        const QModelIndex lazyConv1 = lazy->index(2, 0, lazyRoot);
        QCOMPARE(lazyConv1.data().toString(), QStringLiteral("conv1"));
        QCOMPARE(lazy->rowCount(lazyConv1), 0);

        // The job ends: reads allowed again, then its changes delivered.
        for (auto* m : {tree.get(), lazy.get()})
            m->setReadsAllowed(true);
        listing->setReadsAllowed(true);
        QCOMPARE(lazyInserted.count(), 0);  // the job's changes are not delivered yet
        document->deliverChanges();
        QCOMPARE(buffer.data().toString(), QStringLiteral("torch.Size([2, 2])"));
        QVERIFY(buffer.data(ModuleTreeModel::ValuePreviewRole).toString().startsWith("sum 0"));
        QCOMPARE(lazyInserted.count(), 1);  // conv1's rows, announced
        QCOMPARE(lazyInserted.at(0).at(0).value<QModelIndex>(), lazyConv1);
        QCOMPARE(lazyByEdit.count(), 0);  // rows a view asked for, not an edit's
        QCOMPARE(byEdit.count(), 1);      // conv1.0.scale, in the tree that showed conv1.0
        QCOMPARE(byEdit.at(0).at(0).value<QModelIndex>().data().toString(), QStringLiteral("0"));
        QCOMPARE(byEdit.at(0).at(1).toInt(), 2);
        QCOMPARE(keys(*listing).last(), QStringLiteral("conv1.0.scale"));
        const QStringList fresh = freshDump();
        QCOMPARE(dump(*tree), fresh);
        QCOMPARE(dump(*lazy), fresh);
    }

    void rowIndexedWhileReadsNotAllowed_isReadAndRepaintedAfterwards()
    {
        auto lazy = std::make_unique<ModuleTreeModel>();
        lazy->setDocument(document.get());
        // conv1.0's rows exist (a view asked whether it has children) but were never shown.
        const QModelIndex conv = lazy->indexFor(
            {document->root()->findChild("conv1")->findChild("0"), EntryLocation::Section::Module, 0});
        QVERIFY(conv.isValid());
        QCOMPARE(lazy->rowCount(conv), 2);
        lazy->setReadsAllowed(false);
        QAbstractItemModelTester tester(lazy.get(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QModelIndex weightShape = lazy->index(0, ModuleTreeModel::Shape, conv);
        QCOMPARE(lazy->index(0, ModuleTreeModel::Name, conv).data().toString(), QStringLiteral("weight"));
        QCOMPARE(weightShape.data().toString(), QString());  // not read while a job runs
        QSignalSpy changed(lazy.get(), &QAbstractItemModel::dataChanged);
        lazy->setReadsAllowed(true);
        bool repainted = false;
        for (const QList<QVariant>& args : changed)
            repainted |= args.at(0).value<QModelIndex>().parent() == conv;
        QVERIFY(repainted);
        QCOMPARE(weightShape.data().toString(), QStringLiteral("torch.Size([64, 1, 3, 3])"));
    }

    void tensorsChanged_rereadsMetadata_withoutMovingRows()
    {
        QSignalSpy inserted(tree.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(tree.get(), &QAbstractItemModel::dataChanged);
        const QStringList before = dump(*tree);
        document->noteTensorsChanged();
        document->deliverChanges();
        QVERIFY(changed.count() > 0);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(dump(*tree), before);
    }

    void replacingTheModel_resetsToTheNewOne()
    {
        document->replaceModel(buildExample("batchnorm-demo"), "batchnorm-demo");
        document->deliverChanges();
        QCOMPARE(dump(*tree), freshDump());
        QVERIFY(!keys(*listing).contains("register_buffer_in"));
        resets->clear();
        listingResets->clear();
        document->replaceModel(nullptr, "");
        document->deliverChanges();
        QCOMPARE(tree->rowCount(), 0);
        QCOMPARE(listing->rowCount(), 0);
        resets->clear();
        listingResets->clear();
    }

private:
    void run(const QString& source)
    {
        const StatementResult r = document->run(source.toStdString());
        QVERIFY2(r.ok, r.error.c_str());
        document->deliverChanges();
    }
    void undo()
    {
        document->undo();
        document->deliverChanges();
    }
    void redo()
    {
        document->redo();
        document->deliverChanges();
    }
    QStringList freshDump() const
    {
        ModuleTreeModel fresh;
        fresh.setDocument(document.get());
        return dump(fresh);
    }

    std::unique_ptr<ModelDocument> document;
    std::unique_ptr<ModuleTreeModel> tree;
    std::unique_ptr<ListingModel> listing;
    std::unique_ptr<QAbstractItemModelTester> treeTester;
    std::unique_ptr<QAbstractItemModelTester> listingTester;
    std::unique_ptr<QSignalSpy> resets;
    std::unique_ptr<QSignalSpy> listingResets;
};

QTEST_MAIN(IncrementalTest)
#include "tst_incremental.moc"
