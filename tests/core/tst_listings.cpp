// Core semantics against the tutorial (shared/seeds/000_e630da2fee301504.txt) and against what
// real PyTorch 1.13 reports for the same models (tests/fixtures/reference.json).

#include "core/examples.h"
#include "core/formatting.h"
#include "core/layers.h"
#include "core/listings.h"
#include "core/modulenode.h"
#include "core/tensorfactory.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QTest>

#include <cmath>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace mx;

namespace {

const char* const kExampleNames[] = {"state-dict-demo", "buffer-demo", "batchnorm-demo"};

QString q(const std::string& s) { return QString::fromStdString(s); }

std::string join(const std::string& prefix, const std::string& name)
{
    return prefix.empty() ? name : prefix + "." + name;
}

// "name --> torch.Size([...])", as the tutorial prints `print(name, '-->', t.shape)`.
QStringList namedLines(const std::vector<ListingEntry>& entries)
{
    QStringList lines;
    for (const ListingEntry& e : entries)
        lines << q(e.name + " --> " + torchSize(e.tensor.shape()));
    return lines;
}

// "torch.Size([...])", as the tutorial prints `print(t.shape)` for parameters()/buffers().
QStringList shapeLines(const std::vector<ListingEntry>& entries)
{
    QStringList lines;
    for (const ListingEntry& e : entries)
        lines << q(torchSize(e.tensor.shape()));
    return lines;
}

QStringList names(const std::vector<ListingEntry>& entries)
{
    QStringList out;
    for (const ListingEntry& e : entries)
        out << q(e.name);
    return out;
}

std::vector<int64_t> shapeFromJson(const QJsonValue& value)
{
    std::vector<int64_t> shape;
    for (const QJsonValue& v : value.toArray())
        shape.push_back(v.toInteger());
    return shape;
}

// Relative tolerance 1e-4, absolute 1e-6 for sums near zero.
bool sumsAgree(double actual, double expected)
{
    return std::abs(actual - expected) <= std::max(1e-6, 1e-4 * std::abs(expected));
}

// The plain (unregistered) tensor attributes of every module, named like Python's dotted paths.
struct PlainAttribute {
    std::string name;
    TensorRef tensor;
    EntryKind kind;
};

std::vector<PlainAttribute> plainAttributes(const ModuleNode& root)
{
    std::vector<PlainAttribute> out;
    for (const NamedModule& m : namedModules(root))
        for (const TensorSlot& s : m.module->tensorAttributes())
            out.push_back({join(m.name, s.name), s.tensor, s.kind});
    return out;
}

// Compares one tensor row (name, shape, dtype, kind, sum) with a reference.json entry.
void compareWithReference(const std::string& name, const TensorRef& tensor, EntryKind kind,
                          const QJsonObject& expected)
{
    QCOMPARE(q(name), expected.value("name").toString());
    QCOMPARE(q(torchSize(tensor.shape())), q(torchSize(shapeFromJson(expected.value("shape")))));
    QCOMPARE(q(tensor.dtypeName()), expected.value("dtype").toString());
    QCOMPARE(QString::fromLatin1(kindName(kind)), expected.value("kind").toString());
    const double want = expected.value("sum").toDouble();
    const double got = tensor.sum();
    QVERIFY2(sumsAgree(got, want),
             qPrintable(QStringLiteral("sum of %1: got %2, PyTorch %3")
                            .arg(q(name))
                            .arg(got, 0, 'g', 17)
                            .arg(want, 0, 'g', 17)));
}

void compareListingWithReference(const std::vector<ListingEntry>& entries,
                                 const QJsonArray& expected)
{
    QCOMPARE(names(entries).size(), expected.size());
    for (int i = 0; i < expected.size(); ++i) {
        compareWithReference(entries[i].name, entries[i].tensor, entries[i].kind,
                             expected.at(i).toObject());
        if (QTest::currentTestFailed())
            return;
    }
}

}  // namespace

class ListingsTest : public QObject {
    Q_OBJECT

private:
    const ModuleNode& example(const QString& name) const { return *examples_.at(name.toStdString()); }
    QJsonObject reference(const QString& name) const
    {
        return reference_.value("examples").toObject().value(name).toObject();
    }
    static void addExampleRows()
    {
        QTest::addColumn<QString>("example");
        for (const char* name : kExampleNames)
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    std::map<std::string, std::unique_ptr<ModuleNode>> examples_;
    QJsonObject reference_;

private Q_SLOTS:
    void initTestCase()
    {
        QFile file(QStringLiteral(MX_FIXTURES_DIR "/reference.json"));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        reference_ = doc.object();
        QCOMPARE(reference_.value("seed").toInteger(), qint64(kTutorialSeed));
        // Model A allocates ~210 MB: build every example once for the whole class.
        for (const char* name : kExampleNames)
            examples_[name] = buildExample(name);
    }

    // ----- the tutorial's printed output -------------------------------------------------------

    void stateDict_modelA_listsTutorialKeysInOrder()
    {
        // The tutorial's console output for `for key, value in model.state_dict().items()`.
        const QStringList tutorial{
            "attribute4cxq --> torch.Size([])",
            "attribute4lzq --> torch.Size([4])",
            "attribute4hh --> torch.Size([3, 4, 5, 6])",
            "attribute4wyf --> torch.Size([7, 8, 9, 10])",
            "conv1.0.weight --> torch.Size([64, 1, 3, 3])",
            "conv1.0.bias --> torch.Size([64])",
            "conv1.2.weight --> torch.Size([128, 64, 3, 3])",
            "conv1.2.bias --> torch.Size([128])",
            "dense.0.weight --> torch.Size([1024, 25088])",
            "dense.0.bias --> torch.Size([1024])",
            "dense.3.weight --> torch.Size([10, 1024])",
            "dense.3.bias --> torch.Size([10])",
            "layer4cxq1.weight --> torch.Size([33, 2, 4, 4])",
            "layer4cxq1.bias --> torch.Size([33])",
            "layer4cxq4.weight --> torch.Size([1024, 25088])",
            "layer4cxq4.bias --> torch.Size([1024])",
        };
        const auto entries = stateDict(example("state-dict-demo"));
        QCOMPARE(entries.size(), size_t(16));
        QCOMPARE(namedLines(entries), tutorial);
        for (const ListingEntry& e : entries)
            QCOMPARE(e.kind, EntryKind::Parameter);
    }

    void stateDict_modelA_hasNoBuffers()
    {
        const ModuleNode& model = example("state-dict-demo");
        QVERIFY(namedBuffers(model).empty());
        QVERIFY(tensorListing(model, Listing::Buffers).empty());
        QCOMPARE(namedParameters(model).size(), size_t(16));
    }

    void namedBuffers_modelB_printsTutorialLinesBeforeModification()
    {
        QCOMPARE(namedLines(namedBuffers(example("buffer-demo"))),
                 QStringList{"register_buffer_in --> torch.Size([4, 6])"});
    }

    void namedParameters_modelB_printsTutorialLinesBeforeModification()
    {
        QCOMPARE(namedLines(namedParameters(example("buffer-demo"))),
                 (QStringList{"conv1.0.weight --> torch.Size([64, 1, 3, 3])",
                              "conv1.0.bias --> torch.Size([64])"}));
    }

    void buffers_modelB_printsTutorialShapesBeforeModification()
    {
        QCOMPARE(shapeLines(tensorListing(example("buffer-demo"), Listing::Buffers)),
                 QStringList{"torch.Size([4, 6])"});
    }

    void parameters_modelB_printsTutorialShapesBeforeModification()
    {
        QCOMPARE(shapeLines(tensorListing(example("buffer-demo"), Listing::Parameters)),
                 (QStringList{"torch.Size([64, 1, 3, 3])", "torch.Size([64])"}));
    }

    void stateDict_modelB_printsTutorialLinesBeforeModification()
    {
        const auto entries = stateDict(example("buffer-demo"));
        QCOMPARE(namedLines(entries),
                 (QStringList{"register_buffer_in --> torch.Size([4, 6])",
                              "conv1.0.weight --> torch.Size([64, 1, 3, 3])",
                              "conv1.0.bias --> torch.Size([64])"}));
        QCOMPARE(entries[0].kind, EntryKind::Buffer);
        QCOMPARE(entries[1].kind, EntryKind::Parameter);
        QCOMPARE(entries[2].kind, EntryKind::Parameter);
    }

    void plainAttribute_modelB_isTensorAttributeButInNoListing()
    {
        const ModuleNode& model = example("buffer-demo");
        const auto& attrs = model.tensorAttributes();
        QCOMPARE(attrs.size(), size_t(1));
        QCOMPARE(q(attrs[0].name), QStringLiteral("attribute_buffer_in"));
        QCOMPARE(attrs[0].kind, EntryKind::Attribute);
        QCOMPARE(attrs[0].tensor.shape(), (std::vector<int64_t>{3, 5}));
        for (Listing l : {Listing::StateDict, Listing::NamedParameters, Listing::NamedBuffers,
                          Listing::Parameters, Listing::Buffers}) {
            for (const ListingEntry& e : tensorListing(model, l)) {
                QVERIFY2(e.name != "attribute_buffer_in", listingName(l));
                QVERIFY2(e.tensor.identity() != attrs[0].tensor.identity(), listingName(l));
                QVERIFY2(e.kind != EntryKind::Attribute, listingName(l));
            }
        }
    }

    void listings_modelBAfterModification_printTutorialLines()
    {
        // The tutorial's second half: a plain attribute and a registered buffer added afterwards.
        std::unique_ptr<ModuleNode> model = buildExample("buffer-demo");
        model->setTensorAttribute("attribute_buffer_out", randn({10, 10}));
        model->registerBuffer("register_buffer_out", randn({15, 15}));
        QCOMPARE(namedLines(namedBuffers(*model)),
                 (QStringList{"register_buffer_in --> torch.Size([4, 6])",
                              "register_buffer_out --> torch.Size([15, 15])"}));
        QCOMPARE(namedLines(namedParameters(*model)),
                 (QStringList{"conv1.0.weight --> torch.Size([64, 1, 3, 3])",
                              "conv1.0.bias --> torch.Size([64])"}));
        QCOMPARE(shapeLines(tensorListing(*model, Listing::Buffers)),
                 (QStringList{"torch.Size([4, 6])", "torch.Size([15, 15])"}));
        QCOMPARE(shapeLines(tensorListing(*model, Listing::Parameters)),
                 (QStringList{"torch.Size([64, 1, 3, 3])", "torch.Size([64])"}));
        QCOMPARE(namedLines(stateDict(*model)),
                 (QStringList{"register_buffer_in --> torch.Size([4, 6])",
                              "register_buffer_out --> torch.Size([15, 15])",
                              "conv1.0.weight --> torch.Size([64, 1, 3, 3])",
                              "conv1.0.bias --> torch.Size([64])"}));
        QCOMPARE(model->tensorAttributes().size(), size_t(2));
    }

    // ----- BatchNorm running statistics --------------------------------------------------------

    void stateDict_batchNorm_listsRunningStatBuffersAfterWeightAndBias()
    {
        const ModuleNode& model = example("batchnorm-demo");
        const ModuleNode* bn = model.findChild("features")->findChild("1");
        QVERIFY(bn);
        QCOMPARE(q(bn->typeName()), QStringLiteral("BatchNorm2d"));
        QCOMPARE(bn->buffers().size(), size_t(3));
        const char* const bufferNames[] = {"running_mean", "running_var", "num_batches_tracked"};
        for (size_t i = 0; i < 3; ++i) {
            QCOMPARE(q(bn->buffers()[i].name), QString::fromLatin1(bufferNames[i]));
            QCOMPARE(bn->buffers()[i].kind, EntryKind::Buffer);
        }
        const TensorRef& tracked = bn->buffers()[2].tensor;
        QCOMPARE(q(tracked.dtypeName()), QStringLiteral("int64"));
        QCOMPARE(tracked.shape(), std::vector<int64_t>{});
        QCOMPARE(q(torchSize(tracked.shape())), QStringLiteral("torch.Size([])"));

        const auto entries = stateDict(model);
        QStringList bnKeys;
        for (const ListingEntry& e : entries)
            if (e.owner == bn)
                bnKeys << q(e.name);
        QCOMPARE(bnKeys, (QStringList{"features.1.weight", "features.1.bias",
                                      "features.1.running_mean", "features.1.running_var",
                                      "features.1.num_batches_tracked"}));
        QCOMPARE(names(namedBuffers(model)),
                 (QStringList{"features.1.running_mean", "features.1.running_var",
                              "features.1.num_batches_tracked"}));
        for (const ListingEntry& e : namedBuffers(model))
            QCOMPARE(e.kind, EntryKind::Buffer);
    }

    // ----- PyTorch's ordering and filtering rules ----------------------------------------------

    void stateDict_parameterRegisteredAfterChild_comesBeforeChildKeys()
    {
        ModuleNode model("Model");
        model.addModule("fc", makeLinear(2, 3));
        model.registerParameter("late", asParameter(randn({2})));
        QCOMPARE(names(stateDict(model)), (QStringList{"late", "fc.weight", "fc.bias"}));
        QCOMPARE(names(namedParameters(model)), (QStringList{"late", "fc.weight", "fc.bias"}));
    }

    void namedBuffers_nonPersistentBuffer_listedButNotInStateDict()
    {
        ModuleNode model("Model");
        model.addModule("fc", makeLinear(2, 3));
        model.registerBuffer("scratch", zeros({3}), /*persistent=*/false);
        model.registerBuffer("kept", zeros({2}));
        const auto buffers = namedBuffers(model);
        QCOMPARE(names(buffers), (QStringList{"scratch", "kept"}));
        QCOMPARE(buffers[0].kind, EntryKind::NonPersistentBuffer);
        QCOMPARE(buffers[1].kind, EntryKind::Buffer);
        QCOMPARE(shapeLines(tensorListing(model, Listing::Buffers)),
                 (QStringList{"torch.Size([3])", "torch.Size([2])"}));
        QCOMPARE(names(stateDict(model)), (QStringList{"kept", "fc.weight", "fc.bias"}));
    }

    void listings_noneParameterAndBuffer_areSkipped()
    {
        ModuleNode model("Model");
        model.registerParameter("nothing", TensorRef());
        model.registerParameter("w", asParameter(randn({2})));
        model.registerBuffer("nobuf", TensorRef());
        QCOMPARE(model.parameters().size(), size_t(2));  // the name is kept ...
        QVERIFY(model.parameters()[0].tensor.isNone());
        QCOMPARE(model.buffers().size(), size_t(1));
        QCOMPARE(names(stateDict(model)), QStringList{"w"});  // ... but every listing skips it
        QCOMPARE(names(namedParameters(model)), QStringList{"w"});
        QVERIFY(namedBuffers(model).empty());
        QCOMPARE(tensorListing(model, Listing::Parameters).size(), size_t(1));
        QVERIFY(tensorListing(model, Listing::Buffers).empty());
        QCOMPARE(stateDict(model)[0].slotIndex, size_t(1));
    }

    void namedParameters_tiedWeight_listedOnceUnderFirstName()
    {
        ModuleNode model("Model");
        ModuleNode& a = model.addModule("a", std::make_unique<ModuleNode>("A"));
        ModuleNode& b = model.addModule("b", std::make_unique<ModuleNode>("B"));
        const TensorRef shared = asParameter(randn({3}));
        a.registerParameter("weight", shared);
        b.registerParameter("weight", shared);
        b.registerParameter("bias", asParameter(zeros({3})));
        QCOMPARE(names(stateDict(model)), (QStringList{"a.weight", "b.weight", "b.bias"}));
        const auto params = namedParameters(model);
        QCOMPARE(names(params), (QStringList{"a.weight", "b.bias"}));
        QCOMPARE(params[0].owner, &a);
        QCOMPARE(tensorListing(model, Listing::Parameters).size(), size_t(2));
    }

    void namedBuffers_sharedBuffer_listedOnceUnderFirstName()
    {
        ModuleNode model("Model");
        ModuleNode& a = model.addModule("a", std::make_unique<ModuleNode>("A"));
        const TensorRef shared = zeros({2});
        model.registerBuffer("stats", shared);
        a.registerBuffer("stats", shared);
        QCOMPARE(names(stateDict(model)), (QStringList{"stats", "a.stats"}));
        QCOMPARE(names(namedBuffers(model)), QStringList{"stats"});
    }

    void namedParameters_withPrefixOrWithoutRecursion_followPyTorch()
    {
        const ModuleNode& model = example("buffer-demo");
        QCOMPARE(names(namedParameters(model, "m")),
                 (QStringList{"m.conv1.0.weight", "m.conv1.0.bias"}));
        QVERIFY(namedParameters(model, {}, /*recurse=*/false).empty());
        QCOMPARE(names(namedBuffers(model, {}, /*recurse=*/false)),
                 QStringList{"register_buffer_in"});
        QCOMPARE(names(stateDict(*model.findChild("conv1"), "conv1.")),
                 (QStringList{"conv1.0.weight", "conv1.0.bias"}));
    }

    void listingEntries_ownerAndSlotIndex_pointAtListedTensor_data() { addExampleRows(); }
    void listingEntries_ownerAndSlotIndex_pointAtListedTensor()
    {
        QFETCH(QString, example);
        const ModuleNode& model = this->example(example);
        for (Listing l : {Listing::StateDict, Listing::NamedParameters, Listing::NamedBuffers,
                          Listing::Parameters, Listing::Buffers}) {
            for (const ListingEntry& e : tensorListing(model, l)) {
                QVERIFY(e.owner);
                const auto& slots =
                    e.kind == EntryKind::Parameter ? e.owner->parameters() : e.owner->buffers();
                QVERIFY(e.slotIndex < slots.size());
                QCOMPARE(slots[e.slotIndex].tensor.identity(), e.tensor.identity());
                QCOMPARE(slots[e.slotIndex].kind, e.kind);
                QVERIFY(q(e.name).endsWith(q(slots[e.slotIndex].name)));
            }
        }
    }

    // ----- agreement with real PyTorch (reference.json) ----------------------------------------

    void stateDict_examples_matchPyTorchNamesShapesDtypesKindsAndSums_data() { addExampleRows(); }
    void stateDict_examples_matchPyTorchNamesShapesDtypesKindsAndSums()
    {
        QFETCH(QString, example);
        compareListingWithReference(stateDict(this->example(example)),
                                    reference(example).value("state_dict").toArray());
    }

    void namedParameters_examples_matchPyTorch_data() { addExampleRows(); }
    void namedParameters_examples_matchPyTorch()
    {
        QFETCH(QString, example);
        compareListingWithReference(namedParameters(this->example(example)),
                                    reference(example).value("named_parameters").toArray());
    }

    void namedBuffers_examples_matchPyTorch_data() { addExampleRows(); }
    void namedBuffers_examples_matchPyTorch()
    {
        QFETCH(QString, example);
        compareListingWithReference(namedBuffers(this->example(example)),
                                    reference(example).value("named_buffers").toArray());
    }

    void parametersAndBuffers_examples_matchPyTorchShapes_data() { addExampleRows(); }
    void parametersAndBuffers_examples_matchPyTorchShapes()
    {
        QFETCH(QString, example);
        const ModuleNode& model = this->example(example);
        for (const auto& [listing, key] : {std::pair{Listing::Parameters, "parameters"},
                                           std::pair{Listing::Buffers, "buffers"}}) {
            QStringList expected;
            for (const QJsonValue& shape : reference(example).value(key).toArray())
                expected << q(torchSize(shapeFromJson(shape)));
            QCOMPARE(shapeLines(tensorListing(model, listing)), expected);
        }
    }

    void plainAttributes_examples_matchPyTorchNamesShapesDtypesAndSums_data() { addExampleRows(); }
    void plainAttributes_examples_matchPyTorchNamesShapesDtypesAndSums()
    {
        QFETCH(QString, example);
        const auto attrs = plainAttributes(this->example(example));
        const QJsonArray expected = reference(example).value("plain_attributes").toArray();
        QCOMPARE(int(attrs.size()), expected.size());
        for (int i = 0; i < expected.size(); ++i) {
            compareWithReference(attrs[i].name, attrs[i].tensor, attrs[i].kind,
                                 expected.at(i).toObject());
            if (QTest::currentTestFailed())
                return;
        }
    }

    void repr_examples_equalPyTorchRepr_data() { addExampleRows(); }
    void repr_examples_equalPyTorchRepr()
    {
        QFETCH(QString, example);
        QCOMPARE(q(this->example(example).repr()), reference(example).value("repr").toString());
    }

    void namedModules_examples_matchPyTorchNamesTypesAndExtraRepr_data() { addExampleRows(); }
    void namedModules_examples_matchPyTorchNamesTypesAndExtraRepr()
    {
        QFETCH(QString, example);
        const auto modules = namedModules(this->example(example));
        const QJsonArray expected = reference(example).value("named_modules").toArray();
        QCOMPARE(int(modules.size()), expected.size());
        for (int i = 0; i < expected.size(); ++i) {
            const QJsonObject want = expected.at(i).toObject();
            QCOMPARE(q(modules[i].name), want.value("name").toString());
            QCOMPARE(q(modules[i].module->typeName()), want.value("type").toString());
            QCOMPARE(q(modules[i].module->extraRepr()), want.value("extra_repr").toString());
        }
        QCOMPARE(modules.front().module, &this->example(example));
    }

    // ----- formatting, names, examples ---------------------------------------------------------

    void pythonFloat_formatsLikePythonRepr_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("0.5") << 0.5 << "0.5";
        QTest::newRow("1e-05") << 1e-05 << "1e-05";
        QTest::newRow("0.1") << 0.1 << "0.1";
        QTest::newRow("20200910.0") << 20200910.0 << "20200910.0";
        QTest::newRow("1e+16") << 1e16 << "1e+16";
        QTest::newRow("0.0001") << 0.0001 << "0.0001";
        QTest::newRow("0.8") << 0.8 << "0.8";
        QTest::newRow("-2.5") << -2.5 << "-2.5";
        QTest::newRow("0.0") << 0.0 << "0.0";
        QTest::newRow("1.0") << 1.0 << "1.0";
    }
    void pythonFloat_formatsLikePythonRepr()
    {
        QFETCH(double, value);
        QFETCH(QString, expected);
        QCOMPARE(q(pythonFloat(value)), expected);
    }

    void formatting_shapesAndTuples_printLikePython()
    {
        QCOMPARE(q(torchSize({})), QStringLiteral("torch.Size([])"));
        QCOMPARE(q(torchSize({64, 1, 3, 3})), QStringLiteral("torch.Size([64, 1, 3, 3])"));
        QCOMPARE(q(bracketList({4})), QStringLiteral("[4]"));
        QCOMPARE(q(pythonTuple({3, 3})), QStringLiteral("(3, 3)"));
        QCOMPARE(q(pythonTuple({1})), QStringLiteral("(1,)"));
        QCOMPARE(q(pythonBool(true)), QStringLiteral("True"));
        QCOMPARE(q(pythonBool(false)), QStringLiteral("False"));
    }

    void listingFromName_roundTripsEveryListing()
    {
        for (Listing l : {Listing::StateDict, Listing::NamedParameters, Listing::NamedBuffers,
                          Listing::Parameters, Listing::Buffers, Listing::NamedModules}) {
            Listing parsed = Listing::StateDict;
            QVERIFY(listingFromName(listingName(l), &parsed));
            QCOMPARE(parsed, l);
        }
        QCOMPARE(QString::fromLatin1(listingName(Listing::StateDict)), QStringLiteral("state_dict"));
        Listing unused;
        QVERIFY(!listingFromName("modules", &unused));
    }

    void examples_listsTheThreeDemosInMenuOrder()
    {
        QStringList listed;
        for (const ExampleInfo& e : examples())
            listed << q(e.name);
        QCOMPARE(listed, (QStringList{"state-dict-demo", "buffer-demo", "batchnorm-demo"}));
        QVERIFY(findExample("buffer-demo"));
        QVERIFY(!findExample("nope"));
    }

    void buildExample_unknownName_throwsInvalidArgument()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, buildExample("nope"));
    }

    void buildExample_twice_drawsTheSameValues()
    {
        // Reseeding with the tutorial's seed makes every build identical.
        std::unique_ptr<ModuleNode> again = buildExample("buffer-demo");
        const auto first = stateDict(example("buffer-demo"));
        const auto second = stateDict(*again);
        QCOMPARE(second.size(), first.size());
        for (size_t i = 0; i < first.size(); ++i)
            QCOMPARE(second[i].tensor.sum(), first[i].tensor.sum());
        QCOMPARE(again->tensorAttributes()[0].tensor.sum(),
                 example("buffer-demo").tensorAttributes()[0].tensor.sum());
    }
};

QTEST_GUILESS_MAIN(ListingsTest)
#include "tst_listings.moc"
