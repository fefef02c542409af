// Edits reach the views incrementally: the tree and the listings announce inserted and removed
// rows (never a reset), undo/redo included, and the listings mark what changed.

#include "core/examples.h"
#include "core/modulenode.h"
#include "core/tensorfactory.h"
#include "items/listingmodel.h"
#include "items/moduletreemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace mx;

namespace {

QStringList childNames(const ModuleTreeModel& tree, const QModelIndex& parent)
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

}  // namespace

/** Model B edited as in the tutorial's second experiment, watched through the item models. */
class IncrementalTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        model = buildExample("buffer-demo");
        tree = std::make_unique<ModuleTreeModel>();
        listing = std::make_unique<ListingModel>(Listing::StateDict);
        tree->setRoot(model.get());
        listing->setRoot(model.get());
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
    }

    void registerBuffer_insertsOneRowAndOneKey_undoRemovesThem()
    {
        QSignalSpy inserted(tree.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(tree.get(), &QAbstractItemModel::rowsRemoved);
        const QModelIndex root = tree->index(0, 0);
        Edit edit = model->registerBufferChecked("register_buffer_out",
                                                 AttributeValue::tensor(randn({15, 15})));
        apply(edit.target());
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 1);  // after register_buffer_in
        QCOMPARE(childNames(*tree, root), (QStringList{"register_buffer_in", "register_buffer_out",
                                                       "attribute_buffer_in", "conv1"}));
        QCOMPARE(keys(*listing), (QStringList{"register_buffer_in", "register_buffer_out",
                                              "conv1.0.weight", "conv1.0.bias"}));
        QCOMPARE(listing->index(1, 0).data(ListingModel::ChangeRole).toInt(),
                 int(ListingModel::Change::Added));
        QCOMPARE(listing->count(ListingModel::Change::Added), 1);

        edit.revert();
        apply(edit.target());
        QCOMPARE(removed.count(), 1);
        QCOMPARE(childNames(*tree, root),
                 (QStringList{"register_buffer_in", "attribute_buffer_in", "conv1"}));
        QCOMPARE(listing->rowCount(), 3);
        listing->setShowBefore(true);  // a view switch may reset; it is not an edit
        QCOMPARE(listing->index(1, 0).data(ListingModel::ChangeRole).toInt(),
                 int(ListingModel::Change::Removed));
        listing->setShowBefore(false);
        listingResets->clear();

        edit.apply();  // redo
        apply(edit.target());
        QCOMPARE(listing->rowCount(), 4);
    }

    void plainTensorAttribute_addsTreeRowButNoStateDictKey()
    {
        QSignalSpy inserted(listing.get(), &QAbstractItemModel::rowsInserted);
        Edit edit = model->setAttr("attribute_buffer_out", AttributeValue::tensor(randn({10, 10})));
        apply(edit.target());
        QCOMPARE(childNames(*tree, tree->index(0, 0)),
                 (QStringList{"register_buffer_in", "attribute_buffer_in", "attribute_buffer_out", "conv1"}));
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(listing->rowCount(), 3);
    }

    void deleteSubmodule_removesItsRowsAndKeys_undoRestoresThemInOrder()
    {
        const QModelIndex root = tree->index(0, 0);
        const QModelIndex conv1 = tree->index(2, 0, root);
        walk(*tree, conv1);
        Edit edit = model->delAttr("conv1");
        apply(edit.target());
        QCOMPARE(childNames(*tree, root), (QStringList{"register_buffer_in", "attribute_buffer_in"}));
        QCOMPARE(keys(*listing), QStringList{"register_buffer_in"});
        edit.revert();
        apply(edit.target());
        QCOMPARE(childNames(*tree, root),
                 (QStringList{"register_buffer_in", "attribute_buffer_in", "conv1"}));
        QCOMPARE(keys(*listing),
                 (QStringList{"register_buffer_in", "conv1.0.weight", "conv1.0.bias"}));
        QCOMPARE(childNames(*tree, tree->index(2, 0, root)), (QStringList{"0", "1"}));
    }

    void parameterOverBuffer_movesTheRowToParameters()
    {
        Edit edit = model->setAttr("register_buffer_in",
                                   AttributeValue::parameter(asParameter(randn({4, 6}))));
        apply(edit.target());
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
        walk(*tree, conv);
        ModuleNode* target = model->findChild("conv1")->findChild("0");
        Edit edit = target->registerBufferChecked("scale", AttributeValue::tensor(zeros({64})));
        QSignalSpy inserted(tree.get(), &QAbstractItemModel::rowsInserted);
        apply(edit.target());
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(0).value<QModelIndex>(), conv);
        QCOMPARE(childNames(*tree, conv), (QStringList{"weight", "bias", "scale"}));
        QCOMPARE(keys(*listing).last(), QStringLiteral("conv1.0.scale"));
        QCOMPARE(tree->index(2, ModuleTreeModel::Summary, conv).data().toString(),
                 QStringLiteral("state_dict['conv1.0.scale']"));
    }

private:
    void apply(const ModuleNode* target)
    {
        tree->syncModule(target);
        listing->refresh();
    }

    std::unique_ptr<ModuleNode> model;
    std::unique_ptr<ModuleTreeModel> tree;
    std::unique_ptr<ListingModel> listing;
    std::unique_ptr<QAbstractItemModelTester> treeTester;
    std::unique_ptr<QAbstractItemModelTester> listingTester;
    std::unique_ptr<QSignalSpy> resets;
    std::unique_ptr<QSignalSpy> listingResets;
};

QTEST_GUILESS_MAIN(IncrementalTest)
#include "tst_incremental.moc"
