// Opening and saving real PyTorch files through the core's one entry point (core/modelfile.h):
// every fixture made by tests/fixtures/files/make_file_fixtures.py with real PyTorch opens with
// Python's keys, order, shapes, dtypes and sums (tests/fixtures/files/expected.json); TorchScript
// files run their own forward and keep it through edits that leave their layout alone; the app's
// saves read back the same; bad files give one line and change nothing.

#include "core/examples.h"
#include "core/files/fileerror.h"
#include "core/forward.h"
#include "core/listings.h"
#include "core/modelfile.h"
#include "core/modelfileparts.h"
#include "core/scriptarchive.h"
#include "core/modulenode.h"
#include "core/statements/statementsession.h"
#include "core/tensorfactory.h"
#include "listingnames.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QTest>

#include <cmath>

using namespace mx;

namespace {

QString fixture(const QString& name)
{
    return QStringLiteral(MX_FIXTURES_DIR "/files/models/") + name;
}

QJsonObject expectedFiles()
{
    QFile f(QStringLiteral(MX_FIXTURES_DIR "/files/expected.json"));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read expected.json");
    return QJsonDocument::fromJson(f.readAll()).object()[QStringLiteral("files")].toObject();
}

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-5 * std::max(1.0, std::abs(b));
}

// Compares the model's state_dict() with Python's: keys, order, shapes, dtypes and sums.
void checkStateDict(const ModuleNode& root, const QJsonArray& expected)
{
    const std::vector<ListingEntry> entries = stateDict(root);
    QCOMPARE(static_cast<qsizetype>(entries.size()), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const QJsonArray row = expected[i].toArray();
        const ListingEntry& e = entries[static_cast<size_t>(i)];
        QCOMPARE(QString::fromStdString(e.name), row[0].toString());
        std::vector<int64_t> shape;
        for (const QJsonValue& v : row[1].toArray())
            shape.push_back(v.toInteger());
        QCOMPARE(e.tensor.shape(), shape);
        QCOMPARE(QString::fromStdString(e.tensor.dtypeName()), row[2].toString());
        if (!near(e.tensor.sum(), row[3].toDouble()))
            QFAIL(qPrintable(QStringLiteral("%1: sum %2, Python %3")
                                 .arg(row[0].toString())
                                 .arg(e.tensor.sum(), 0, 'g', 17)
                                 .arg(row[3].toDouble(), 0, 'g', 17)));
    }
}

QStringList strings(const QJsonArray& array)
{
    QStringList out;
    for (const QJsonValue& v : array)
        out << v.toString();
    return out;
}

ForwardResult rampForward(ModuleNode& root, const QJsonObject& forward)
{
    ForwardOptions o;
    for (const QJsonValue& v : forward[QStringLiteral("input_shape")].toArray())
        o.inputShape.push_back(v.toInteger());
    o.fill = InputFill::Ramp;
    o.warmup = 0;
    return runForward(root, o);
}

// Opens a fixture; a failure fails the test with the reader's line (instead of throwing).
#define OPEN_OR_FAIL(var, path)                                                               \
    OpenedModel var;                                                                         \
    try {                                                                                    \
        var = openModelFile((path).toStdString());                                           \
    } catch (const std::exception& e) {                                                      \
        QFAIL(e.what());                                                                     \
    }

// Writes `bytes` to a new file in `dir`; its path.
QString writeTemp(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QString openError(const QString& path)
{
    try {
        openModelFile(path.toStdString());
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

}  // namespace

class ModelFileTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensEveryFixtureAsPython_data()
    {
        QTest::addColumn<QString>("name");
        const QJsonObject files = expectedFiles();
        for (auto it = files.begin(); it != files.end(); ++it) {
            const QString kind = it.value().toObject()[QStringLiteral("kind")].toString();
            if (kind != QLatin1String("legacy") && !it.key().contains(QLatin1String("-of-")))
                QTest::newRow(qPrintable(it.key())) << it.key();
        }
    }

    void opensEveryFixtureAsPython()
    {
        QFETCH(QString, name);
        const QJsonObject expected = expectedFiles()[name].toObject();
        OPEN_OR_FAIL(opened, fixture(name));
        QVERIFY(opened.root);
        checkStateDict(*opened.root, expected[QStringLiteral("state_dict")].toArray());
        const QString kind = expected[QStringLiteral("kind")].toString();
        if (kind != QLatin1String("torchscript")) {
            QVERIFY(opened.source.fromStateDict);
            QVERIFY(opened.root->isStateDictGroup());
            return;
        }
        QVERIFY(!opened.source.fromStateDict);
        QCOMPARE(QString::fromStdString(opened.source.kindName), QStringLiteral("TorchScript archive"));
        QCOMPARE(listingNames(namedParameters(*opened.root)),
                 strings(expected[QStringLiteral("named_parameters")].toArray()));
        QCOMPARE(listingNames(namedBuffers(*opened.root)),
                 strings(expected[QStringLiteral("named_buffers")].toArray()));
        // Every module with its Python class name and qualified name.
        const QJsonObject qualified = expected[QStringLiteral("qualified_names")].toObject();
        const std::vector<NamedModule> modules = namedModules(*opened.root);
        const QJsonArray expectedModules = expected[QStringLiteral("named_modules")].toArray();
        QCOMPARE(static_cast<qsizetype>(modules.size()), expectedModules.size());
        for (qsizetype i = 0; i < expectedModules.size(); ++i) {
            const QJsonArray row = expectedModules[i].toArray();
            const NamedModule& m = modules[static_cast<size_t>(i)];
            QCOMPARE(QString::fromStdString(m.name), row[0].toString());
            QCOMPARE(QString::fromStdString(m.module->typeName()), row[1].toString());
            QVERIFY(m.module->isScripted());
            QCOMPARE(QString::fromStdString(m.module->qualifiedName()),
                     qualified[row[0].toString()].toString().remove(QRegularExpression(
                         QStringLiteral("___torch_mangle_\\d+\\."))));
        }
        if (!expected.contains(QStringLiteral("forward")))
            return;
        const QJsonObject forward = expected[QStringLiteral("forward")].toObject();
        const ForwardResult result = rampForward(*opened.root, forward);
        QVERIFY2(result.ok, result.error.c_str());
        std::vector<int64_t> shape;
        for (const QJsonValue& v : forward[QStringLiteral("output_shape")].toArray())
            shape.push_back(v.toInteger());
        QCOMPARE(result.outputShape, shape);
        QVERIFY2(near(result.outputSum, forward[QStringLiteral("output_sum")].toDouble()),
                 qPrintable(QString::number(result.outputSum, 'g', 17)));
    }

    void readingWithoutJitLoad_givesTheTreeJitLoadGives_data()
    {
        QTest::addColumn<QString>("name");
        const QJsonObject files = expectedFiles();
        for (auto it = files.begin(); it != files.end(); ++it)
            if (it.value().toObject()[QStringLiteral("kind")].toString() == QLatin1String("torchscript"))
                QTest::newRow(qPrintable(it.key())) << it.key();
    }

    void readingWithoutJitLoad_givesTheTreeJitLoadGives()
    {
        // Every module, entry, kind, attribute value and repr as torch::jit::load + ScriptImport.
        QFETCH(QString, name);
        {  // the fixture takes the path without torch::jit::load (else the comparison is moot)
            files::TorchSaveReadOptions options;
            options.torchScriptArchive = true;
            const files::TorchSaveFile file = files::readTorchSaveFile(fixture(name).toStdString(), options);
            QVERIFY(importScriptArchive(file, {}, std::make_shared<ScriptArchive>()) != nullptr);
        }
        OPEN_OR_FAIL(fast, fixture(name));
        const OpenedModel full = openTorchScriptWithJitLoad(fixture(name).toStdString());
        QCOMPARE(QString::fromStdString(fast.root->repr()), QString::fromStdString(full.root->repr()));
        const std::vector<NamedModule> a = namedModules(*fast.root), b = namedModules(*full.root);
        QCOMPARE(a.size(), b.size());
        for (size_t m = 0; m < a.size(); ++m) {
            const ModuleNode& x = *a[m].module;
            const ModuleNode& y = *b[m].module;
            QCOMPARE(QString::fromStdString(x.qualifiedName()), QString::fromStdString(y.qualifiedName()));
            QCOMPARE(x.isTraining(), y.isTraining());
            for (const auto& [xs, ys] : {std::pair{&x.parameters(), &y.parameters()},
                                         std::pair{&x.buffers(), &y.buffers()},
                                         std::pair{&x.tensorAttributes(), &y.tensorAttributes()}}) {
                QCOMPARE(xs->size(), ys->size());
                for (size_t i = 0; i < xs->size(); ++i) {
                    QCOMPARE(QString::fromStdString((*xs)[i].name), QString::fromStdString((*ys)[i].name));
                    QCOMPARE(int((*xs)[i].kind), int((*ys)[i].kind));
                    QCOMPARE((*xs)[i].tensor.isNone(), (*ys)[i].tensor.isNone());
                    if (!(*xs)[i].tensor.isNone()) {
                        QCOMPARE((*xs)[i].tensor.requiresGrad(), (*ys)[i].tensor.requiresGrad());
                        QCOMPARE((*xs)[i].tensor.shape(), (*ys)[i].tensor.shape());
                        QCOMPARE((*xs)[i].tensor.sum(), (*ys)[i].tensor.sum());
                    }
                }
            }
            QCOMPARE(x.plainAttributes().size(), y.plainAttributes().size());
            for (size_t i = 0; i < x.plainAttributes().size(); ++i) {
                const PlainAttribute& p = x.plainAttributes()[i];
                const PlainAttribute& q = y.plainAttributes()[i];
                QCOMPARE(QString::fromStdString(p.name), QString::fromStdString(q.name));
                QCOMPARE(QString::fromStdString(p.typeName()), QString::fromStdString(q.typeName()));
                if (!p.isTensor)
                    QCOMPARE(QString::fromStdString(p.value.repr()), QString::fromStdString(q.value.repr()));
            }
        }
    }

    void compiledCodeIsLoadedOnFirstForward_fromTheFileAsOpened()
    {
        // Opening reads the tree from data.pkl and the class definitions; torch::jit::load (which
        // compiles every method) waits for the first forward. A file changed on disk by then is
        // reported, not run.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tied.pt"));
        QVERIFY(QFile::copy(fixture(QStringLiteral("tied.script.pt")), path));
        const QJsonObject forward = expectedFiles()[QStringLiteral("tied.script.pt")].toObject()
                                        [QStringLiteral("forward")].toObject();
        OPEN_OR_FAIL(first, path);
        OPEN_OR_FAIL(second, path);
        const ForwardResult ran = rampForward(*first.root, forward);  // loads the archive now
        QVERIFY2(ran.ok, ran.error.c_str());
        QVERIFY(near(ran.outputSum, forward[QStringLiteral("output_sum")].toDouble()));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::Append));
            f.write("changed");
        }
        const ForwardResult stale = rampForward(*second.root, forward);
        QVERIFY(!stale.ok);
        QVERIFY2(stale.error.find("changed on disk since it was opened") != std::string::npos,
                 stale.error.c_str());
        QCOMPARE(rampForward(*first.root, forward).outputSum, ran.outputSum);  // loaded already
        // The file's forward ran as one piece: its submodules are not reported as not called.
        QVERIFY(uncalledModules(*first.root, ran).empty());
        auto modelA = buildExample("state-dict-demo");
        ForwardOptions o;
        o.inputShape = {1, 1, 28, 28};
        o.warmup = 0;
        const ForwardResult a = runForward(*modelA, o);
        QCOMPARE(uncalledModules(*modelA, a),
                 (std::vector<std::string>{"layer4cxq1", "layer4cxq2", "layer4cxq3", "layer4cxq4",
                                           "layer4cxq5"}));
    }

    void scriptedReprIsPythons()
    {
        OPEN_OR_FAIL(opened, fixture(QStringLiteral("model_b.script.pt")));
        const std::string repr = opened.root->repr();
        QVERIFY2(repr.rfind("RecursiveScriptModule(\n  original_name=", 0) == 0, repr.c_str());
        QVERIFY(repr.find("RecursiveScriptModule(original_name=Conv2d)") != std::string::npos);
    }

    void scriptedModulesAnswerAsPythonsRecursiveScriptModule()
    {
        // Python 1.13 on torch.jit.load(containers.script.pt), checked by hand.
        OPEN_OR_FAIL(opened, fixture(QStringLiteral("containers.script.pt")));
        StatementSession session(*opened.root);
        QCOMPARE(session.run("print(type(model.bn))").output,
                 std::string("<class 'torch.jit._script.RecursiveScriptModule'>\n"));
        QCOMPARE(session.run("print(model.bn._get_name(), model.bn.extra_repr())").output,
                 std::string("RecursiveScriptModule original_name=BatchNorm2d\n"));
        QCOMPARE(session.run("model.nothing").error,
                 std::string("AttributeError: 'RecursiveScriptModule' object has no attribute 'nothing'"));
        QCOMPARE(session.run("print(model.use_bn)").output, std::string("True\n"));
    }

    void editThatChangesTheLayoutPausesTheFilesForwardUntilUndone()
    {
        const QJsonObject expected = expectedFiles()[QStringLiteral("squeezenet.script.pt")].toObject();
        const QJsonObject forward = expected[QStringLiteral("forward")].toObject();
        OPEN_OR_FAIL(opened, fixture(QStringLiteral("squeezenet.script.pt")));
        ModuleNode& root = *opened.root;
        ModuleNode& conv = *root.findChild("features")->findChild("0");

        // A new buffer on a submodule: the file's code cannot follow, so forward says why.
        Edit added = conv.registerBufferChecked("extra", AttributeValue::tensor(zeros({2})));
        QVERIFY(!root.forwardError().empty());
        QVERIFY(!rampForward(root, forward).ok);
        // The state_dict shows the edit at once.
        QVERIFY(listingNames(stateDict(root)).contains(QStringLiteral("features.0.extra")));
        added.revert();
        QVERIFY2(root.forwardError().empty(), root.forwardError().c_str());
        const ForwardResult again = rampForward(root, forward);
        QVERIFY2(again.ok, again.error.c_str());
        QVERIFY(near(again.outputSum, forward[QStringLiteral("output_sum")].toDouble()));

        // A value edit keeps the layout: forward runs with the new value.
        Edit zeroed = root.findChild("classifier")->findChild("1")->setAttr(
            "bias", AttributeValue::parameter(full({1000}, 0.5)));
        const ForwardResult changed = rampForward(root, forward);
        QVERIFY2(changed.ok, changed.error.c_str());
        QVERIFY(!near(changed.outputSum, forward[QStringLiteral("output_sum")].toDouble()));
        zeroed.revert();
        QVERIFY(near(rampForward(root, forward).outputSum,
                     forward[QStringLiteral("output_sum")].toDouble()));
    }

    void torchScriptRoundTripKeepsStateDictAndNonPersistentBuffers()
    {
        QTemporaryDir dir;
        std::unique_ptr<ModuleNode> model = buildExample("buffer-demo");
        model->registerBuffer("scratch", zeros({3}), /*persistent=*/false);
        const std::string path = dir.filePath(QStringLiteral("saved.pt")).toStdString();
        saveModelFile(*model, path, SaveFormat::TorchScript);
        OpenedModel back = openModelFile(path);
        QCOMPARE(listingNames(stateDict(*back.root)), listingNames(stateDict(*model)));
        QCOMPARE(listingNames(namedBuffers(*back.root)), listingNames(namedBuffers(*model)));
        const std::vector<ListingEntry> buffers = namedBuffers(*back.root);
        QCOMPARE(buffers.back().name, std::string("scratch"));
        QCOMPARE(buffers.back().kind, EntryKind::NonPersistentBuffer);
        // And again from the reopened (scripted) model.
        const std::string again = dir.filePath(QStringLiteral("again.pt")).toStdString();
        saveModelFile(*back.root, again, SaveFormat::TorchScript);
        QCOMPARE(listingNames(namedBuffers(*openModelFile(again).root)), listingNames(namedBuffers(*model)));
    }

    void badFilesGiveOneLine_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("the file is empty");
        QTest::newRow("text") << QByteArray("hello world\n")
                              << QStringLiteral("it starts with text \"hello world \"");
        QTest::newRow("png") << QByteArray("\x89PNG\r\n\x1a\n0000", 12)
                             << QStringLiteral("it starts with the bytes 89 50 4e 47");
        QFile legacy(fixture(QStringLiteral("legacy.pt")));
        legacy.open(QIODevice::ReadOnly);
        QTest::newRow("legacy") << legacy.readAll() << QStringLiteral("legacy (pre-1.6)");
        QTest::newRow("zip without data.pkl")
            << QByteArray("PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 22)
            << QStringLiteral("not a PyTorch one");
    }

    void badFilesGiveOneLine()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = writeTemp(dir, QStringLiteral("bad.pt"), bytes);
        const QString error = openError(path);
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.startsWith(QStringLiteral("cannot open '") + path + QStringLiteral("': ")),
                 qPrintable(error));
        QVERIFY(!error.contains(QLatin1Char('\n')));
    }

    void zipMemberClaimingAHugeSizeIsRefusedBeforeAllocating()
    {
        // One stored member "archive/data.pkl" whose directory record claims 2^40 bytes.
        auto le = [](QByteArray& out, quint64 v, int bytes) {
            for (int i = 0; i < bytes; ++i)
                out.append(static_cast<char>((v >> (8 * i)) & 0xff));
        };
        const QByteArray name("archive/data.pkl");
        QByteArray zip;
        le(zip, 0x04034b50, 4);
        le(zip, 20, 2); le(zip, 0, 2); le(zip, 0, 2); le(zip, 0, 4); le(zip, 0, 4);
        le(zip, 4, 4); le(zip, 4, 4); le(zip, static_cast<quint64>(name.size()), 2); le(zip, 0, 2);
        zip += name;
        zip += "abcd";
        const quint64 directory = static_cast<quint64>(zip.size());
        le(zip, 0x02014b50, 4);
        le(zip, 20, 2); le(zip, 20, 2); le(zip, 0, 2); le(zip, 0, 2); le(zip, 0, 4); le(zip, 0, 4);
        le(zip, 0xffffffff, 4); le(zip, 0xffffffff, 4);  // sizes in the zip64 field
        le(zip, static_cast<quint64>(name.size()), 2); le(zip, 20, 2); le(zip, 0, 2);
        le(zip, 0, 2); le(zip, 0, 2); le(zip, 0, 4); le(zip, 0, 4);
        zip += name;
        le(zip, 1, 2); le(zip, 16, 2); le(zip, quint64(1) << 40, 8); le(zip, quint64(1) << 40, 8);
        const quint64 directorySize = static_cast<quint64>(zip.size()) - directory;
        le(zip, 0x06054b50, 4);
        le(zip, 0, 2); le(zip, 0, 2); le(zip, 1, 2); le(zip, 1, 2);
        le(zip, directorySize, 4); le(zip, directory, 4); le(zip, 0, 2);
        QTemporaryDir dir;
        const QString error = openError(writeTemp(dir, QStringLiteral("huge.pt"), zip));
        QVERIFY2(error.contains(QStringLiteral("claims 1099511627776 bytes")), qPrintable(error));
    }

    void truncatedTorchScriptNeverCrashes()
    {
        QFile f(fixture(QStringLiteral("model_b.script.pt")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray whole = f.readAll();
        QTemporaryDir dir;
        for (qsizetype length = 0; length < whole.size(); length += 97) {
            const QString path = writeTemp(dir, QStringLiteral("cut.pt"), whole.left(length));
            QVERIFY2(!openError(path).isEmpty(), qPrintable(QString::number(length)));
        }
    }

    void missingFileAndFolderSayWhy()
    {
        QVERIFY(openError(QStringLiteral("/nonexistent/x.pt")).contains(QLatin1String("No such file")));
        QTemporaryDir dir;
        QVERIFY(openError(dir.path()).contains(QLatin1String("folder")));
    }
};

QTEST_GUILESS_MAIN(ModelFileTest)
#include "tst_modelfile.moc"
