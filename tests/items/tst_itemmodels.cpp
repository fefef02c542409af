// The item models over the examples: Qt's model conformance checks, the tree's layout and
// wording, and navigation between a listing row and its tree row in both directions.

#include "core/examples.h"
#include "core/listings.h"
#include "core/modeldocument.h"
#include "core/modulenode.h"
#include "core/tensorfactory.h"
#include "items/listingmodel.h"
#include "items/moduletreemodel.h"

#include <QAbstractItemModelTester>
#include <QGuiApplication>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace mx;

namespace {

const char* const kExampleNames[] = {"state-dict-demo", "buffer-demo", "batchnorm-demo"};
const Listing kListings[] = {Listing::StateDict,  Listing::NamedParameters, Listing::NamedBuffers,
                             Listing::Parameters, Listing::Buffers,         Listing::NamedModules};

const QStringList kTutorialStateDictKeys{
    "attribute4cxq",     "attribute4lzq",   "attribute4hh",      "attribute4wyf",
    "conv1.0.weight",    "conv1.0.bias",    "conv1.2.weight",    "conv1.2.bias",
    "dense.0.weight",    "dense.0.bias",    "dense.3.weight",    "dense.3.bias",
    "layer4cxq1.weight", "layer4cxq1.bias", "layer4cxq4.weight", "layer4cxq4.bias",
};

// Every role a view or delegate may ask for, plus the models' own roles.
QList<int> allRoles()
{
    QList<int> roles;
    for (int r = Qt::DisplayRole; r <= Qt::StatusTipRole + 20; ++r)  // standard roles, incl. gaps
        roles << r;
    for (int r = Qt::UserRole; r <= ModuleTreeModel::PathRole + 2; ++r)
        roles << r;
    return roles;
}

// Walks every index of `model` depth-first, asking data() for every role, and returns how many
// rows it visited. Checks parent()/index() agree on the way.
int walkAll(const QAbstractItemModel& model, const QModelIndex& parent = {})
{
    static const QList<int> roles = allRoles();
    int visited = 0;
    const int rows = model.rowCount(parent);
    const int columns = model.columnCount(parent);
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < columns; ++c) {
            const QModelIndex index = model.index(r, c, parent);
            if (!index.isValid() || index.parent() != parent) {
                QTest::qFail("index() and parent() disagree", __FILE__, __LINE__);
                return visited;
            }
            for (int role : roles)
                model.data(index, role);
        }
        ++visited;
        const QModelIndex first = model.index(r, 0, parent);
        if (model.hasChildren(first))
            visited += walkAll(model, first);
    }
    return visited;
}

int ownEntries(const ModuleNode& m)
{
    return int(m.parameters().size() + m.buffers().size() + m.tensorAttributes().size());
}

// Modules plus every slot (parameters, buffers, attributes) of every module.
int expectedTreeRows(const ModuleNode& m)
{
    int rows = 1 + ownEntries(m);
    for (size_t c = 0; c < m.childCount(); ++c)
        rows += expectedTreeRows(m.child(c));
    return rows;
}

QString key(const QAbstractItemModel& model, const QModelIndex& index)
{
    return model.data(index, ModuleTreeModel::PathRole).toString();
}

}  // namespace

class ItemModelsTest : public QObject {
    Q_OBJECT

private:
    const ModuleNode& example(const QString& name) const { return *document(name).root(); }
    ModelDocument& document(const QString& name) const { return *documents_.at(name.toStdString()); }
    static void addExampleRows()
    {
        QTest::addColumn<QString>("example");
        for (const char* name : kExampleNames)
            QTest::newRow(name) << QString::fromLatin1(name);
    }
    static void addExampleListingRows()
    {
        QTest::addColumn<QString>("example");
        QTest::addColumn<Listing>("listing");
        for (const char* name : kExampleNames)
            for (Listing l : kListings)
                QTest::addRow("%s/%s", name, listingName(l)) << QString::fromLatin1(name) << l;
    }

    std::map<std::string, std::unique_ptr<ModelDocument>> documents_;

private Q_SLOTS:
    void init()
    {
        // The tree warns when its rows and the model's changes disagree: a bug, never expected.
        QTest::failOnWarning(QRegularExpression(QStringLiteral("ModuleTreeModel")));
    }

    void initTestCase()
    {
        // Fonts, colours and brushes in data() need a GUI application (QTEST_MAIN with Qt Gui).
        QVERIFY(qobject_cast<QGuiApplication*>(QCoreApplication::instance()));
        // Model A allocates ~210 MB: build every example once for the whole class.
        for (const char* name : kExampleNames) {
            documents_[name] = std::make_unique<ModelDocument>();
            documents_[name]->replaceModel(buildExample(name), name);
            documents_[name]->deliverChanges();
        }
    }

    // ----- Qt's conformance checks -------------------------------------------------------------

    void treeModel_fullyExpanded_passesModelTester_data() { addExampleRows(); }
    void treeModel_fullyExpanded_passesModelTester()
    {
        QFETCH(QString, example);
        ModuleTreeModel tree;
        QAbstractItemModelTester tester(&tree,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        tree.setDocument(&document(example));
        const int rows = walkAll(tree);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(rows, expectedTreeRows(this->example(example)));
        tree.setDocument(nullptr);
        QCOMPARE(tree.rowCount(), 0);
        tree.setDocument(&document(example));
        QCOMPARE(tree.rowCount(), 1);
    }

    void treeModel_setBeforeTester_passesModelTester_data() { addExampleRows(); }
    void treeModel_setBeforeTester_passesModelTester()
    {
        QFETCH(QString, example);
        ModuleTreeModel tree;
        tree.setDocument(&document(example));
        QAbstractItemModelTester tester(&tree,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        walkAll(tree);
    }

    void treeModel_readsHeldBackThenAllowed_passesModelTester_data() { addExampleRows(); }
    void treeModel_readsHeldBackThenAllowed_passesModelTester()
    {
        QFETCH(QString, example);
        ModuleTreeModel tree;
        tree.setDocument(&document(example));
        const int top = tree.rowCount(tree.index(0, 0));  // the model's rows; submodules unbuilt
        QVERIFY(top > 0);
        tree.setReadsAllowed(false);
        QAbstractItemModelTester tester(&tree,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&tree, &QAbstractItemModel::rowsInserted);
        // While a job runs, modules never built have no rows; what was built is still there.
        QCOMPARE(walkAll(tree), 1 + top);
        QCOMPARE(inserted.count(), 0);
        tree.setReadsAllowed(true);
        // The submodules asked about meanwhile announce their rows; then everything is there.
        QVERIFY(inserted.count() > 0);
        QCOMPARE(walkAll(tree), expectedTreeRows(this->example(example)));
    }

    void listingModel_everyListing_passesModelTester_data() { addExampleListingRows(); }
    void listingModel_everyListing_passesModelTester()
    {
        QFETCH(QString, example);
        QFETCH(Listing, listing);
        ListingModel model(listing);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDocument(&document(example));
        const int rows = walkAll(model);
        if (QTest::currentTestFailed())
            return;
        const ModuleNode& root = this->example(example);
        const int expected = listing == Listing::NamedModules
                                 ? int(namedModules(root).size())
                                 : int(tensorListing(root, listing).size());
        QCOMPARE(rows, expected);
        for (int c = 0; c < model.columnCount(); ++c)
            QVERIFY(!model.headerData(c, Qt::Horizontal).toString().isEmpty());
        model.setDocument(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    // ----- the tree's layout and wording -------------------------------------------------------

    void treeModel_rootRow_isModelWithOwnEntriesThenChildren_data() { addExampleRows(); }
    void treeModel_rootRow_isModelWithOwnEntriesThenChildren()
    {
        QFETCH(QString, example);
        const ModuleNode& root = this->example(example);
        ModuleTreeModel tree;
        tree.setDocument(&document(example));
        QCOMPARE(tree.rowCount(), 1);
        const QModelIndex model = tree.index(0, ModuleTreeModel::Name);
        QCOMPARE(model.data().toString(), QStringLiteral("model"));
        QCOMPARE(key(tree, model), QString());
        QCOMPARE(model.data(ModuleTreeModel::EntryKindRole).toInt(), -1);
        QCOMPARE(tree.locationOf(model).module, &root);
        QCOMPARE(tree.rowCount(model), ownEntries(root) + int(root.childCount()));

        // Own parameters, then buffers, then plain attributes, then one row per child module.
        int row = 0;
        for (const auto* slots : {&root.parameters(), &root.buffers(), &root.tensorAttributes()})
            for (const TensorSlot& s : *slots)
                QCOMPARE(tree.index(row++, ModuleTreeModel::Name, model).data().toString(),
                         QString::fromStdString(s.name));
        for (size_t c = 0; c < root.childCount(); ++c) {
            const QModelIndex child = tree.index(row++, ModuleTreeModel::Name, model);
            QCOMPARE(child.data().toString(), QString::fromStdString(root.childName(c)));
            QCOMPARE(tree.rowCount(child), ownEntries(root.child(c)) + int(root.child(c).childCount()));
            QCOMPARE(tree.locationOf(child).module, &root.child(c));
        }
    }

    void treeModel_modelAStateDictKeys_appearAsPathsInStateDictOrder()
    {
        ModuleTreeModel tree;
        tree.setDocument(&document("state-dict-demo"));
        QStringList inStateDict;
        // Depth-first over the tree, collecting the paths of rows that state_dict() includes.
        std::vector<QModelIndex> stack{tree.index(0, 0)};
        while (!stack.empty()) {
            const QModelIndex parent = stack.back();
            stack.pop_back();
            std::vector<QModelIndex> children;
            for (int r = 0; r < tree.rowCount(parent); ++r) {
                const QModelIndex index = tree.index(r, 0, parent);
                if (index.data(ModuleTreeModel::InStateDictRole).toBool())
                    inStateDict << key(tree, index);
                if (tree.rowCount(index) > 0)
                    children.push_back(index);
            }
            stack.insert(stack.end(), children.rbegin(), children.rend());
        }
        QCOMPARE(inStateDict, kTutorialStateDictKeys);
    }

    void treeModel_modelBPlainAttribute_isMarkedNotInStateDict()
    {
        const ModuleNode& root = example("buffer-demo");
        ModuleTreeModel tree;
        tree.setDocument(&document("buffer-demo"));
        const QModelIndex model = tree.index(0, 0);
        QModelIndex attribute;
        for (int r = 0; r < tree.rowCount(model); ++r)
            if (tree.index(r, ModuleTreeModel::Name, model).data().toString() ==
                QLatin1String("attribute_buffer_in"))
                attribute = tree.index(r, ModuleTreeModel::Name, model);
        QVERIFY(attribute.isValid());
        QCOMPARE(attribute, tree.indexFor({&root, EntryLocation::Section::Attributes, 0}));
        QCOMPARE(attribute.data(ModuleTreeModel::InStateDictRole).toBool(), false);
        QCOMPARE(attribute.data(ModuleTreeModel::EntryKindRole).toInt(), int(EntryKind::Attribute));
        QVERIFY2(attribute.data(ModuleTreeModel::ExplanationRole).toString().contains("not registered"),
                 qPrintable(attribute.data(ModuleTreeModel::ExplanationRole).toString()));
        QCOMPARE(key(tree, attribute), QStringLiteral("attribute_buffer_in"));
        QCOMPARE(tree.index(attribute.row(), ModuleTreeModel::Shape, model).data().toString(),
                 QStringLiteral("torch.Size([3, 5])"));
        QVERIFY(tree.rowCount(attribute) == 0);

        // The registered buffer next to it is in state_dict().
        const QModelIndex buffer = tree.indexFor({&root, EntryLocation::Section::Buffers, 0});
        QCOMPARE(buffer.data().toString(), QStringLiteral("register_buffer_in"));
        QCOMPARE(buffer.data(ModuleTreeModel::InStateDictRole).toBool(), true);
        QCOMPARE(buffer.data(ModuleTreeModel::EntryKindRole).toInt(), int(EntryKind::Buffer));

        // No listing has a row for the attribute.
        for (Listing l : kListings) {
            ListingModel listing(l);
            listing.setDocument(&document("buffer-demo"));
            QCOMPARE(listing.rowOf(tree.locationOf(attribute)), -1);
        }
    }

    void treeModel_nonPersistentAndNoneSlots_areNotInStateDict()
    {
        auto model = std::make_unique<ModuleNode>("Model");
        model->registerParameter("nothing", TensorRef());
        model->registerBuffer("scratch", zeros({3}), /*persistent=*/false);
        ModelDocument doc;
        doc.replaceModel(std::move(model), "");
        doc.deliverChanges();
        const ModuleNode& root = *doc.root();
        ModuleTreeModel tree;
        QAbstractItemModelTester tester(&tree,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        tree.setDocument(&doc);
        walkAll(tree);
        const QModelIndex none = tree.indexFor({&root, EntryLocation::Section::Parameters, 0});
        QCOMPARE(none.data(ModuleTreeModel::InStateDictRole).toBool(), false);
        QCOMPARE(tree.index(none.row(), ModuleTreeModel::Shape, none.parent()).data().toString(),
                 QStringLiteral("None"));
        const QModelIndex scratch = tree.indexFor({&root, EntryLocation::Section::Buffers, 0});
        QCOMPARE(scratch.data(ModuleTreeModel::InStateDictRole).toBool(), false);
        QCOMPARE(scratch.data(ModuleTreeModel::EntryKindRole).toInt(),
                 int(EntryKind::NonPersistentBuffer));

        ListingModel buffers(Listing::NamedBuffers);
        buffers.setDocument(&doc);
        QCOMPARE(buffers.rowCount(), 1);
        QCOMPARE(tree.indexFor(buffers.locationOf(0)), scratch);
        QCOMPARE(buffers.rowOf(tree.locationOf(scratch)), 0);
        ListingModel stateDict(Listing::StateDict);
        stateDict.setDocument(&doc);
        QCOMPARE(stateDict.rowCount(), 0);
        QCOMPARE(stateDict.rowOf(tree.locationOf(scratch)), -1);
    }

    // ----- listings ----------------------------------------------------------------------------

    void listingModel_modelAStateDict_hasTutorialKeys()
    {
        ListingModel listing(Listing::StateDict);
        listing.setDocument(&document("state-dict-demo"));
        QCOMPARE(listing.rowCount(), 16);
        QStringList keys;
        for (int row = 0; row < listing.rowCount(); ++row)
            keys << listing.keyAt(row);
        QCOMPARE(keys, kTutorialStateDictKeys);
        QCOMPARE(listing.index(4, ListingModel::Name).data().toString(),
                 QStringLiteral("conv1.0.weight"));
        QCOMPARE(listing.index(4, ListingModel::Shape).data().toString(),
                 QStringLiteral("torch.Size([64, 1, 3, 3])"));
        QCOMPARE(listing.keyAt(16), QString());
        QCOMPARE(listing.rowOf(EntryLocation{}), -1);
    }

    void listingModel_modelBParameters_showShapesWithoutNames()
    {
        ListingModel listing(Listing::Parameters);
        listing.setDocument(&document("buffer-demo"));
        QCOMPARE(listing.rowCount(), 2);
        QCOMPARE(listing.columnCount(), 3);
        QStringList shapes;
        for (int row = 0; row < listing.rowCount(); ++row)
            shapes << listing.index(row, 0).data().toString();
        QCOMPARE(shapes, (QStringList{"torch.Size([64, 1, 3, 3])", "torch.Size([64])"}));
    }

    void listingRow_toTreeAndBack_landsOnSameEntry_data() { addExampleListingRows(); }
    void listingRow_toTreeAndBack_landsOnSameEntry()
    {
        QFETCH(QString, example);
        QFETCH(Listing, listing);
        ModuleTreeModel tree;
        tree.setDocument(&document(example));
        ListingModel model(listing);
        model.setDocument(&document(example));
        QVERIFY(model.rowCount() > 0 || listing == Listing::NamedBuffers ||
                listing == Listing::Buffers);
        for (int row = 0; row < model.rowCount(); ++row) {
            const EntryLocation location = model.locationOf(row);
            const QModelIndex treeIndex = tree.indexFor(location);
            QVERIFY2(treeIndex.isValid(), qPrintable(model.keyAt(row)));
            // The tree row shows the same entry, under the same dotted path.
            QCOMPARE(key(tree, treeIndex), model.keyAt(row));
            QVERIFY(tree.locationOf(treeIndex) == location);
            if (listing == Listing::NamedModules) {
                QCOMPARE(treeIndex.data(ModuleTreeModel::EntryKindRole).toInt(), -1);
            } else {
                QVERIFY(treeIndex.data(ModuleTreeModel::EntryKindRole).toInt() >= 0);
                QCOMPARE(treeIndex.data(ModuleTreeModel::InStateDictRole).toBool(),
                         listing == Listing::StateDict ||
                             treeIndex.data(ModuleTreeModel::EntryKindRole).toInt() !=
                                 int(EntryKind::NonPersistentBuffer));
            }
            // The index is a real row of the tree: reachable from the model row via parent().
            QModelIndex up = treeIndex;
            while (up.parent().isValid())
                up = up.parent();
            QCOMPARE(up, tree.index(0, 0));
            QCOMPARE(tree.index(treeIndex.row(), 0, treeIndex.parent()), treeIndex);
            // And back again.
            QCOMPARE(model.rowOf(tree.locationOf(treeIndex)), row);
        }
    }

    void treeRow_toListing_findsRowOnlyWhenListed_data() { addExampleListingRows(); }
    void treeRow_toListing_findsRowOnlyWhenListed()
    {
        QFETCH(QString, example);
        QFETCH(Listing, listing);
        ModuleTreeModel tree;
        tree.setDocument(&document(example));
        ListingModel model(listing);
        model.setDocument(&document(example));
        int found = 0;
        std::vector<QModelIndex> stack{tree.index(0, 0)};
        while (!stack.empty()) {
            const QModelIndex index = stack.back();
            stack.pop_back();
            const int row = model.rowOf(tree.locationOf(index));
            if (row >= 0) {
                ++found;
                QCOMPARE(model.keyAt(row), key(tree, index));
            }
            for (int r = 0; r < tree.rowCount(index); ++r)
                stack.push_back(tree.index(r, 0, index));
        }
        QCOMPARE(found, model.rowCount());
    }
};

QTEST_MAIN(ItemModelsTest)
#include "tst_itemmodels.moc"
