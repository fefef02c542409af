// Module.__setattr__, register_buffer, register_parameter, add_module, __delattr__ and __getattr__
// against real PyTorch 1.13 (tests/fixtures/semantics_reference.json, made by
// make_semantics_reference.py): each case's steps replayed through ModuleNode's API, its error line
// or listings compared, failing steps checked to change nothing, every edit undone and redone, and
// the jit mirror checked against the slots.

#include "core/attributevalue.h"
#include "core/edit.h"
#include "core/examples.h"
#include "core/forward.h"
#include "core/layers.h"
#include "core/listings.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/runtime.h"
#include "core/tensorfactory.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QTest>

#include <map>
#include <set>

#include <memory>
#include <string>
#include <vector>

using namespace mx;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

std::string join(const std::string& prefix, const std::string& name)
{
    return prefix.empty() ? name : prefix + "." + name;
}

QJsonArray shapeJson(const std::vector<int64_t>& shape)
{
    QJsonArray out;
    for (int64_t d : shape)
        out.append(static_cast<qint64>(d));
    return out;
}

QJsonArray namedShapes(const std::vector<ListingEntry>& entries)
{
    QJsonArray out;
    for (const ListingEntry& e : entries)
        out.append(QJsonArray{q(e.name), shapeJson(e.tensor.shape())});
    return out;
}

// vars() of a freshly built layer beyond nn.Module's: make_semantics_reference.py's BASE_KEYS,
// which the listings leave out (a layer's own constructor attributes).
bool layerConstructorAttribute(const ModuleNode& m, const std::string& name)
{
    static const std::map<std::string, std::set<std::string>> names{
        {"Conv2d", {"in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
                    "transposed", "output_padding", "groups", "padding_mode",
                    "_reversed_padding_repeated_twice"}},
        {"Linear", {"in_features", "out_features"}},
        {"ReLU", {"inplace"}}};
    const auto it = names.find(m.typeName());
    return m.layerClass() && it != names.end() && it->second.count(name);
}

// The listings make_semantics_reference.py records, computed from the app's module tree.
QJsonObject listings(const ModuleNode& root)
{
    QJsonArray modules;
    QJsonArray attributes;
    for (const NamedModule& m : namedModules(root)) {
        QJsonArray children;
        for (const ChildSlot& c : m.module->childSlots())
            children.append(QJsonArray{q(c.name), c.module ? QJsonValue(q(c.module->typeName()))
                                                           : QJsonValue(QJsonValue::Null)});
        modules.append(QJsonArray{q(m.name), children});
        for (const PlainAttribute& a : m.module->plainAttributes()) {
            if (layerConstructorAttribute(*m.module, a.name))
                continue;
            const QString path = q(join(m.name, a.name));
            if (a.isTensor)
                attributes.append(
                    QJsonArray{path, "tensor", q(a.typeName()), shapeJson(a.tensor.shape())});
            else
                attributes.append(QJsonArray{path, "value", q(a.typeName()), q(a.value.repr())});
        }
    }
    return {{"state_dict", namedShapes(stateDict(root))},
            {"named_parameters", namedShapes(namedParameters(root))},
            {"named_buffers", namedShapes(namedBuffers(root))},
            {"modules", modules},
            {"attributes", attributes}};
}

QString compact(const QJsonObject& o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// Everything a failing call or an undo must leave exactly as it was: every entry of every module
// in order (None children included), its kind, value (tensor identity and sum) and the jit mirror
// per section (jit interleaves sections in its own order, which is free to differ).
QStringList deepState(const ModuleNode& node, const std::string& path = {})
{
    QStringList lines;
    auto tensor = [](const TensorRef& t) {
        return QStringLiteral("%1 %2 %3")
            .arg(q(tensorTypeName(t)))
            .arg(reinterpret_cast<quintptr>(t.identity()))
            .arg(t.sum(), 0, 'g', 17);
    };
    const QString p = q(path);
    lines << p + " repr " + q(node.displayRepr()) << p + " forward " + q(node.forwardError());
    for (const TensorSlot& s : node.parameters())
        lines << p + " param " + q(s.name) + " " + tensor(s.tensor);
    for (const TensorSlot& s : node.buffers())
        lines << p + " buffer " + q(s.name) + " " + kindName(s.kind) + " " + tensor(s.tensor);
    for (const PlainAttribute& a : node.plainAttributes())
        lines << p + " attr " + q(a.name) + " " +
                     (a.isTensor ? tensor(a.tensor) : q(a.typeName() + " " + a.value.repr()));
    const RuntimeView view = node.runtimeView();
    for (int pass = 0; pass < 4; ++pass) {
        for (const RuntimeSlot& s : view.slots) {
            const bool module = s.type.rfind("__torch__.", 0) == 0;
            const int section = s.isParameter ? 0 : s.isBuffer ? 1 : module ? 3 : 2;
            if (section == pass)
                lines << p + " jit " + q(s.name) + " " + q(s.type);
        }
    }
    lines << p + " jit forward " + QString::number(view.hasForward);
    for (const ChildSlot& c : node.childSlots()) {
        lines << p + " child " + q(c.name) +
                     (c.module ? " " + QString::number(reinterpret_cast<quintptr>(c.module.get()))
                               : QStringLiteral(" None"));
        if (c.module)
            lines << deepState(*c.module, join(path, c.name));
    }
    return lines;
}

// The jit module mirrors the slots: named_parameters/named_buffers/named_children in eager order,
// None parameters and buffers as NoneType attributes, plain values by type.
void checkRuntimeMirror(const ModuleNode& root)
{
    for (const NamedModule& m : namedModules(root)) {
        const ModuleNode& node = *m.module;
        const RuntimeView view = node.runtimeView();
        std::vector<std::string> params, buffers, children, allParams, allBuffers, plain, jitPlain,
            jitAllParams, jitAllBuffers;
        for (const TensorSlot& s : node.parameters()) {
            allParams.push_back(s.name + (s.tensor.isNone() ? ":NoneType" : ":Tensor"));
            if (!s.tensor.isNone())
                params.push_back(s.name);
        }
        for (const TensorSlot& s : node.buffers()) {
            allBuffers.push_back(s.name + (s.tensor.isNone() ? ":NoneType" : ":Tensor"));
            if (!s.tensor.isNone())
                buffers.push_back(s.name);
        }
        for (const ChildSlot& c : node.childSlots())
            if (c.module)
                children.push_back(c.name);
        for (const PlainAttribute& a : node.plainAttributes())
            if (a.isTensor || a.value.kind() != PythonValue::Kind::Other)  // tuples: no jit slot
                plain.push_back(a.name + ":" + (a.isTensor ? std::string("Tensor") : a.typeName()));
        for (const RuntimeSlot& s : view.slots) {
            if (s.isParameter)
                jitAllParams.push_back(s.name + ":" + s.type);
            else if (s.isBuffer)
                jitAllBuffers.push_back(s.name + ":" + s.type);
            else if (s.type.rfind("__torch__.", 0) != 0)
                jitPlain.push_back(s.name + ":" + s.type);
        }
        const QByteArray where = QByteArray("module '") + m.name.c_str() + "'";
        QVERIFY2(view.parameters == params, where);
        QVERIFY2(view.buffers == buffers, where);
        QVERIFY2(view.children == children, where);
        QVERIFY2(jitAllParams == allParams, where);
        QVERIFY2(jitAllBuffers == allBuffers, where);
        QVERIFY2(jitPlain == plain, where);
        QVERIFY2(view.hasForward == node.forwardError().empty() || node.typeName() == "Module",
                 where);
    }
}

// ---- replaying fixture steps -------------------------------------------------------------------

AttributeValue tensor(const std::vector<int64_t>& shape)
{
    return AttributeValue::tensor(randn(shape));
}

AttributeValue parameter(const std::vector<int64_t>& shape)
{
    return AttributeValue::parameter(asParameter(randn(shape)));
}

AttributeValue plain(PythonValue value) { return AttributeValue::plain(std::move(value)); }
AttributeValue str(std::string text) { return plain(PythonValue::string(std::move(text))); }

std::vector<int64_t> shapeOf(const QJsonValue& v)
{
    std::vector<int64_t> shape;
    for (const QJsonValue& d : v.toArray())
        shape.push_back(d.toInteger());
    return shape;
}

AttributeValue makeValue(const QJsonObject& v)
{
    const QString kind = v.value("kind").toString();
    if (kind == "tensor")
        return AttributeValue::tensor(randn(shapeOf(v.value("shape"))));
    if (kind == "parameter")
        return AttributeValue::parameter(asParameter(randn(shapeOf(v.value("shape")))));
    if (kind == "int")
        return AttributeValue::plain(PythonValue::integer(v.value("value").toInteger()));
    if (kind == "float")
        return AttributeValue::plain(PythonValue::floating(v.value("value").toDouble()));
    if (kind == "str")
        return str(v.value("value").toString().toStdString());
    if (kind == "bool")
        return AttributeValue::plain(PythonValue::boolean(v.value("value").toBool()));
    if (kind == "module") {
        const QString type = v.value("type").toString();
        const QJsonArray args = v.value("args").toArray();
        if (type == "Linear")
            return AttributeValue::module(
                makeLinear(args.at(0).toInteger(), args.at(1).toInteger()));
        if (type == "ReLU")
            return AttributeValue::module(makeReLU());
        if (type == "Module")
            return AttributeValue::module(std::make_unique<ModuleNode>("Module"));
        qFatal("unknown module type %s", qPrintable(type));
    }
    return AttributeValue::none();
}

ModuleNode& targetOf(ModuleNode& root, const QString& path)
{
    ModuleNode* node = &root;
    for (const QString& part : path.split('.', Qt::SkipEmptyParts)) {
        node = node->findChild(part.toStdString());
        if (!node)
            qFatal("no module %s", qPrintable(path));
    }
    return *node;
}

const char* sourceName(AttributeLookup::Source s)
{
    switch (s) {
    case AttributeLookup::Source::Attribute: return "attribute";
    case AttributeLookup::Source::ModuleMember: return "member";
    case AttributeLookup::Source::Parameter: return "parameter";
    case AttributeLookup::Source::Buffer: return "buffer";
    case AttributeLookup::Source::Module: return "module";
    }
    return "?";
}

// Runs one step; a mutation's edit goes to `edits`, a lookup's outcome to `lookup`.
void runStep(ModuleNode& root, const QJsonObject& step, std::vector<Edit>& edits,
             AttributeLookup* lookup)
{
    ModuleNode& target = targetOf(root, step.value("target").toString());
    const QString op = step.value("op").toString();
    const QJsonValue nameJson = step.value("name");
    const std::string name = nameJson.toString().toStdString();
    if (op == "getattr") {
        *lookup = target.getAttr(name);
        return;
    }
    if (op == "delattr") {
        edits.push_back(target.delAttr(name));
        return;
    }
    AttributeValue value = makeValue(step.value("value").toObject());
    if (op == "setattr") {
        edits.push_back(target.setAttr(name, std::move(value)));
        return;
    }
    // register_*/add_module take any Python value as the name.
    const AttributeValue nameValue = nameJson.isString()
        ? AttributeValue::plain(PythonValue::string(name))
        : makeValue(nameJson.toObject());
    if (op == "register_buffer")
        edits.push_back(target.registerBufferChecked(nameValue, std::move(value),
                                                     step.value("persistent").toBool(true)));
    else if (op == "register_parameter")
        edits.push_back(target.registerParameterChecked(nameValue, std::move(value)));
    else if (op == "add_module")
        edits.push_back(target.addModuleChecked(nameValue, std::move(value)));
    else
        qFatal("unknown op %s", qPrintable(op));
}

ForwardOptions smallForward(std::vector<int64_t> shape)
{
    ForwardOptions o;
    o.inputShape = std::move(shape);
    o.seed = 7;
    o.warmup = 1;
    o.repeats = 2;
    return o;
}

QStringList names(const std::vector<TensorSlot>& slots)
{
    QStringList out;
    for (const TensorSlot& s : slots)
        out << q(s.name);
    return out;
}

// Sequential(Linear(4, 3), ReLU()), drawn after torch.manual_seed(tutorial seed).
std::unique_ptr<ModuleNode> smallSequential()
{
    manualSeed(kTutorialSeed);
    std::vector<std::unique_ptr<ModuleNode>> layers;
    layers.push_back(makeLinear(4, 3));
    layers.push_back(makeReLU());
    return makeSequential(std::move(layers));
}

}  // namespace

class SemanticsTest : public QObject {
    Q_OBJECT

private:
    QJsonObject reference_;

private Q_SLOTS:
    void initTestCase()
    {
        QFile file(QStringLiteral(MX_FIXTURES_DIR "/semantics_reference.json"));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        QJsonParseError error;
        reference_ = QJsonDocument::fromJson(file.readAll(), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(reference_.value("cases").toArray().size() >= 40);
    }

    void moduleMembers_matchPython()
    {
        QStringList expected;
        for (const QJsonValue& v : reference_.value("module_member_names").toArray())
            expected << v.toString();
        QStringList actual;
        for (const std::string& n : moduleMemberNames())
            actual << q(n);
        QCOMPARE(actual, expected);

        QStringList expectedInstance;
        for (const QJsonValue& v : reference_.value("instance_attribute_names").toArray())
            expectedInstance << v.toArray().at(0).toString() + " " + v.toArray().at(1).toString();
        QStringList actualInstance;
        for (const auto& a : moduleInstanceAttributes())
            actualInstance << q(a.first + " " + a.second);
        QCOMPARE(actualInstance, expectedInstance);
    }

    void referenceCase_matchesPyTorch_data()
    {
        QTest::addColumn<QJsonObject>("testCase");
        for (const QJsonValue& c : reference_.value("cases").toArray())
            QTest::newRow(qPrintable(c.toObject().value("name").toString())) << c.toObject();
    }

    // Replays the case; compares the error line or the listings with PyTorch's; a failing step
    // must change nothing; then every edit is undone (back to the start) and redone.
    void referenceCase_matchesPyTorch()
    {
        QFETCH(QJsonObject, testCase);
        std::unique_ptr<ModuleNode> model = buildExample("buffer-demo");
        const QStringList initial = deepState(*model);
        const QJsonObject initialListings = listings(*model);
        const QJsonArray steps = testCase.value("steps").toArray();
        const QString expectedError = testCase.value("error").toString();
        QJsonArray lookups = testCase.value("lookups").toArray();

        std::vector<Edit> edits;
        std::vector<QStringList> stateAfter;  // deepState after each edit
        int lookupIndex = 0;
        for (int i = 0; i < steps.size(); ++i) {
            const QJsonObject step = steps.at(i).toObject();
            const bool lastFails = !expectedError.isEmpty() && i == steps.size() - 1;
            if (lastFails) {
                const QStringList before = deepState(*model);
                std::vector<Edit> none;
                try {
                    AttributeLookup ignored;
                    runStep(*model, step, none, &ignored);
                    QFAIL(qPrintable("no error; PyTorch says " + expectedError));
                } catch (const PythonError& e) {
                    QCOMPARE(QString::fromStdString(e.what()), expectedError);
                    QCOMPARE(q(e.type() + ": "), expectedError.left(int(e.type().size()) + 2));
                }
                QCOMPARE(deepState(*model), before);
                break;
            }
            const size_t editsBefore = edits.size();
            AttributeLookup lookup;
            runStep(*model, step, edits, &lookup);
            if (step.value("op").toString() == "getattr") {
                QVERIFY(lookupIndex < lookups.size());
                const QJsonObject want = lookups.at(lookupIndex++).toObject();
                QCOMPARE(want.value("step").toInt(), i);
                QCOMPARE(QString::fromLatin1(sourceName(lookup.source)),
                         want.value("source").toString());
                QCOMPARE(q(lookup.typeName), want.value("type").toString());
            } else {
                QCOMPARE(edits.size(), editsBefore + 1);
                QVERIFY(edits.back().isApplied());
                QVERIFY(!edits.back().isEmpty());
                stateAfter.push_back(deepState(*model));
            }
            checkRuntimeMirror(*model);
            if (QTest::currentTestFailed())
                return;
        }
        QCOMPARE(lookupIndex, lookups.size());
        const QJsonObject result = listings(*model);
        QVERIFY2(result == testCase.value("result").toObject(),
                 qPrintable("\n   got: " + compact(result) +
                            "\nPyTorch: " + compact(testCase.value("result").toObject())));
        const QStringList final = deepState(*model);

        // Undo everything, step by step, then redo everything: each state is restored exactly.
        for (size_t k = edits.size(); k-- > 0;) {
            QCOMPARE(deepState(*model), stateAfter[k]);
            edits[k].revert();
            QVERIFY(!edits[k].isApplied());
            checkRuntimeMirror(*model);
        }
        QCOMPARE(deepState(*model), initial);
        QVERIFY(listings(*model) == initialListings);
        for (size_t k = 0; k < edits.size(); ++k) {
            edits[k].apply();
            QCOMPARE(deepState(*model), stateAfter[k]);
        }
        QCOMPARE(deepState(*model), final);
        QVERIFY(listings(*model) == testCase.value("result").toObject());
        checkRuntimeMirror(*model);
    }

    void tutorialSecondExperiment_matchesPrintedOutput()
    {
        // The tutorial prints named_buffers/state_dict after its second experiment.
        auto model = buildExample("buffer-demo");
        model->setAttr("attribute_buffer_out", tensor({10, 10}));
        model->registerBufferChecked("register_buffer_out", tensor({15, 15}));
        QStringList buffers;
        for (const ListingEntry& e : namedBuffers(*model))
            buffers << q(e.name);
        QCOMPARE(buffers, (QStringList{"register_buffer_in", "register_buffer_out"}));
        QStringList keys;
        for (const ListingEntry& e : stateDict(*model))
            keys << q(e.name);
        QCOMPARE(keys, (QStringList{"register_buffer_in", "register_buffer_out", "conv1.0.weight",
                                    "conv1.0.bias"}));
        QCOMPARE(names(model->tensorAttributes()),
                 (QStringList{"attribute_buffer_in", "attribute_buffer_out"}));
    }

    void parameterOverBuffer_reportsRemoveThenInsert()
    {
        auto model = buildExample("buffer-demo");
        Edit edit = model->setAttr("register_buffer_in", parameter({4, 6}));
        const std::vector<Edit::Change> changes = edit.changes();
        QCOMPARE(changes.size(), size_t(2));
        QCOMPARE(changes[0].kind, Edit::Change::Kind::Remove);
        QCOMPARE(changes[0].section, Section::Buffers);
        QCOMPARE(changes[0].index, size_t(0));
        QCOMPARE(changes[1].kind, Edit::Change::Kind::Insert);
        QCOMPARE(changes[1].section, Section::Parameters);
        QCOMPARE(changes[1].index, size_t(0));
        QCOMPARE(q(changes[1].name), QStringLiteral("register_buffer_in"));
        QCOMPARE(edit.target(), model.get());
    }

    void bufferReplacedByTensor_keepsPositionPersistenceAndTakesValue()
    {
        auto model = buildExample("buffer-demo");
        model->registerBufferChecked("nb", tensor({2}), /*persistent=*/false);
        const TensorRef fresh = full({5}, 2.0);
        Edit edit = model->setAttr("nb", AttributeValue::tensor(fresh));
        QCOMPARE(names(model->buffers()), (QStringList{"register_buffer_in", "nb"}));
        QCOMPARE(model->buffers()[1].kind, EntryKind::NonPersistentBuffer);
        QCOMPARE(model->buffers()[1].tensor.identity(), fresh.identity());
        QCOMPARE(model->buffers()[1].tensor.sum(), 10.0);
        QCOMPARE(edit.changes().at(0).kind, Edit::Change::Kind::Replace);
    }

    void failingCalls_leaveValuesUnchanged()
    {
        auto model = buildExample("state-dict-demo");
        const QStringList before = deepState(*model);
        auto expectError = [&](auto call, const QString& line) {
            try {
                call();
                QFAIL("no error");
            } catch (const PythonError& e) {
                QCOMPARE(QString::fromStdString(e.what()), line);
            }
            QCOMPARE(deepState(*model), before);
        };
        expectError([&] { model->setAttr("attribute4cxq", tensor({1})); },
                    "TypeError: cannot assign 'torch.FloatTensor' as parameter 'attribute4cxq' "
                    "(torch.nn.Parameter or None expected)");
        expectError([&] { model->setAttr("conv1", plain(PythonValue::floating(0.5))); },
                    "TypeError: cannot assign 'float' as child module 'conv1' "
                    "(torch.nn.Module or None expected)");
        expectError([&] { model->registerBufferChecked("dense", tensor({1})); },
                    "KeyError: \"attribute 'dense' already exists\"");
        expectError([&] { model->addModuleChecked("layer4cxq1", tensor({1})); },
                    "TypeError: torch.FloatTensor is not a Module subclass");
        expectError([&] { model->delAttr("attribute4zzz"); },
                    "AttributeError: 'Model' object has no attribute 'attribute4zzz'");
        expectError([&] { model->findChild("conv1")->findChild("0")->setAttr("weight", str("w")); },
                    "TypeError: cannot assign 'str' as parameter 'weight' "
                    "(torch.nn.Parameter or None expected)");
    }

    void moduleMembers_cannotBeShadowed()
    {
        auto model = buildExample("buffer-demo");
        const QStringList before = deepState(*model);
        QVERIFY_THROWS_EXCEPTION(UnsupportedError,
                                 model->setAttr("forward", plain(PythonValue::integer(1))));
        QVERIFY_THROWS_EXCEPTION(UnsupportedError,
                                 model->setAttr("training", plain(PythonValue::boolean(false))));
        QVERIFY_THROWS_EXCEPTION(UnsupportedError, model->setAttr("training", parameter({1})));
        QVERIFY_THROWS_EXCEPTION(UnsupportedError,
                                 model->setAttr("state_dict", AttributeValue::module(makeReLU())));
        QVERIFY_THROWS_EXCEPTION(UnsupportedError, model->delAttr("training"));
        QCOMPARE(deepState(*model), before);
        QVERIFY(model->hasAttr("forward"));
        QVERIFY(model->hasAttr("conv1"));
        QVERIFY(!model->hasAttr("nope"));
        QCOMPARE(q(model->getAttr("training").value.repr()), QStringLiteral("True"));
    }

    void pythonError_wordsLikeTraceback()
    {
        const PythonError key("KeyError", "buffer name can't contain \".\"");
        QCOMPARE(QString::fromStdString(key.what()),
                 QStringLiteral("KeyError: 'buffer name can\\'t contain \".\"'"));
        QCOMPARE(q(key.type()), QStringLiteral("KeyError"));
        QCOMPARE(q(key.message()), QStringLiteral("buffer name can't contain \".\""));
        QCOMPARE(QString::fromStdString(
                     PythonError("KeyError", "attribute 'x' already exists").what()),
                 QStringLiteral("KeyError: \"attribute 'x' already exists\""));
        QCOMPARE(QString::fromStdString(
                     PythonError("TypeError", "int is not a Module subclass").what()),
                 QStringLiteral("TypeError: int is not a Module subclass"));
        QCOMPARE(q(pythonStringRepr("a\\b\n\t\x01")), QStringLiteral("'a\\\\b\\n\\t\\x01'"));
        QCOMPARE(q(PythonValue::floating(1e-05).repr()), QStringLiteral("1e-05"));
        QCOMPARE(q(PythonValue::floating(2.0).repr()), QStringLiteral("2.0"));
        QCOMPARE(q(tensorTypeName(TensorRef())), QStringLiteral("NoneType"));
        QCOMPARE(q(moduleTypeName("BatchNorm2d")),
                 QStringLiteral("torch.nn.modules.batchnorm.BatchNorm2d"));
        QCOMPARE(q(moduleTypeName("Model")), QStringLiteral("__main__.Model"));
    }

    void childSetToNone_printsNoneAndLeavesListings()
    {
        auto model = buildExample("buffer-demo");
        Edit edit = model->setAttr("conv1", AttributeValue::none());
        QCOMPARE(model->childCount(), size_t(0));
        QCOMPARE(model->childSlots().size(), size_t(1));
        QCOMPARE(q(model->repr()), QStringLiteral("Model(\n  (conv1): None\n)"));
        QVERIFY(model->findChild("conv1") == nullptr);
        edit.revert();
        QCOMPARE(model->childCount(), size_t(1));
        QCOMPARE(&model->child(0), model->findChild("conv1"));
        QCOMPARE(model->child(0).parent(), model.get());
    }

    // ---- the jit mirror runs forward with the current slots --------------------------------

    void forward_afterSlotsMove_readsCurrentTensors()
    {
        auto seq = smallSequential();
        const ForwardResult base = runForward(*seq, smallForward({2, 4}));
        QVERIFY2(base.ok, base.error.c_str());
        ModuleNode& linear = *seq->findChild("0");
        const TensorRef weight = linear.getAttr("weight").tensor;
        // del weight, then assign it back: parameters become [bias, weight], jit slots move.
        Edit removed = linear.delAttr("weight");
        QVERIFY(linear.forwardError().empty());  // it raises what eager Python raises, when run
        const ForwardResult broken = runForward(*seq, smallForward({2, 4}));
        QVERIFY(!broken.ok);
        QCOMPARE(QString::fromStdString(broken.error),
                 QStringLiteral("AttributeError: 'Linear' object has no attribute 'weight'"));
        Edit readded = linear.setAttr("weight", AttributeValue::parameter(weight));
        QCOMPARE(names(linear.parameters()), (QStringList{"bias", "weight"}));
        QVERIFY2(linear.forwardError().empty(), linear.forwardError().c_str());
        const ForwardResult moved = runForward(*seq, smallForward({2, 4}));
        QVERIFY2(moved.ok, moved.error.c_str());
        QCOMPARE(moved.outputSum, base.outputSum);
        checkRuntimeMirror(*seq);
        readded.revert();
        removed.revert();
        QCOMPARE(names(linear.parameters()), (QStringList{"weight", "bias"}));
        const ForwardResult back = runForward(*seq, smallForward({2, 4}));
        QVERIFY2(back.ok, back.error.c_str());
        QCOMPARE(back.outputSum, base.outputSum);
    }

    void forward_biasNone_equalsZeroBias()
    {
        auto seq = smallSequential();
        ModuleNode& linear = *seq->findChild("0");
        Edit none = linear.setAttr("bias", AttributeValue::none());
        const ForwardResult withoutBias = runForward(*seq, smallForward({2, 4}));
        QVERIFY2(withoutBias.ok, withoutBias.error.c_str());
        none.revert();
        Edit zero = linear.setAttr("bias", AttributeValue::parameter(asParameter(zeros({3}))));
        const ForwardResult zeroBias = runForward(*seq, smallForward({2, 4}));
        QVERIFY2(zeroBias.ok, zeroBias.error.c_str());
        QCOMPARE(withoutBias.outputSum, zeroBias.outputSum);
        checkRuntimeMirror(*seq);
    }

    void forward_replacedChild_parentCallsNewChild()
    {
        auto seq = smallSequential();
        const ForwardResult base = runForward(*seq, smallForward({2, 4}));
        QVERIFY2(base.ok, base.error.c_str());
        {
            // A child of another layout: the parent's old code would read the wrong slots.
            std::vector<std::unique_ptr<ModuleNode>> inner;
            inner.push_back(makeReLU());
            inner.push_back(makeLinear(4, 5));
            Edit replaced =
                seq->setAttr("0", AttributeValue::module(makeSequential(std::move(inner))));
            const ForwardResult wider = runForward(*seq, smallForward({2, 4}));
            QVERIFY2(wider.ok, wider.error.c_str());
            QCOMPARE(wider.outputShape, (std::vector<int64_t>{2, 5}));
            replaced.revert();
        }  // the edit, holding the new Linear, is gone
        const ForwardResult back = runForward(*seq, smallForward({2, 4}));
        QVERIFY2(back.ok, back.error.c_str());
        QCOMPARE(back.outputShape, (std::vector<int64_t>{2, 3}));
        QCOMPARE(back.outputSum, base.outputSum);
        checkRuntimeMirror(*seq);
    }

};

QTEST_GUILESS_MAIN(SemanticsTest)
#include "tst_semantics.moc"
