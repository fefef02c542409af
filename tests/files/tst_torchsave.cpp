// models/core/files torchsave + pickle: torch.save files read bit for bit against what PyTorch
// reported when it wrote them (fixtures/files/torchsave/cases.json, fixtures/files/expected.json),
// the writer's files read back, and hostile bytes refused with one line, never a crash or hang.
#include "core/files/fileerror.h"
#include "core/files/pickle.h"
#include "core/files/torchsave.h"
#include "core/files/zipdirectory.h"

#include <ATen/ops/arange.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/zeros.h>
#include <c10/core/CPUAllocator.h>
#include <caffe2/serialize/in_memory_adapter.h>
#include <caffe2/serialize/inline_container.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cstring>
#include <functional>
#include <map>
#include <random>
#include <string>

#include <sys/resource.h>

using namespace mx::files;

namespace {

QString fixturePath(const QString& name) { return QStringLiteral(MX_FILE_FIXTURES_DIR "/") + name; }

std::string readBytes(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll();
    return std::string(bytes.constData(), static_cast<size_t>(bytes.size()));
}

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

std::string local(const QString& path) { return QFile::encodeName(path).toStdString(); }

/** A string literal's bytes, NULs included. */
template <size_t N>
std::string raw(const char (&literal)[N])
{
    return std::string(literal, N - 1);
}

/** A zip archive as torch.save lays it out ("archive/" + each member), for crafted contents. */
std::string archiveWith(const std::string& pickle, const std::map<std::string, std::string>& members = {})
{
    std::string bytes;
    caffe2::serialize::PyTorchStreamWriter writer([&](const void* data, size_t size) {
        bytes.append(static_cast<const char*>(data), size);
        return size;
    });
    writer.writeRecord("data.pkl", pickle.data(), pickle.size());
    for (const auto& [name, content] : members)
        writer.writeRecord(name, content.data(), content.size());
    writer.writeEndOfFile();
    return bytes;
}

/** The message of the FileFormatError `call` throws; "<no error>" or "<other: ...>" otherwise. */
QString formatError(const std::function<void()>& call)
{
    try {
        call();
    } catch (const FileFormatError& e) {
        return QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        return QStringLiteral("<other: %1>").arg(QString::fromStdString(e.what()));
    }
    return QStringLiteral("<no error>");
}

#define EXPECT_FORMAT_ERROR(call, fragment)                                                          \
    do {                                                                                             \
        const QString message_ = formatError([&] { call; });                                         \
        QVERIFY2(!message_.startsWith('<') && message_.contains(fragment), qPrintable(message_));    \
        QVERIFY2(!message_.contains('\n'), qPrintable(message_));                                    \
    } while (false)

std::string pickleError(const std::string& bytes)
{
    return formatError([&] { parsePickle(bytes); }).toStdString();
}

QString dtypeName(const at::Tensor& t)
{
    const std::string name = c10::toString(t.scalar_type());
    static const std::map<std::string, QString> names = {
        {"Float", "float32"}, {"Double", "float64"}, {"Half", "float16"}, {"BFloat16", "bfloat16"},
        {"Char", "int8"}, {"Short", "int16"}, {"Int", "int32"}, {"Long", "int64"}, {"Byte", "uint8"},
        {"Bool", "bool"}, {"ComplexFloat", "complex64"}, {"ComplexDouble", "complex128"}};
    const auto it = names.find(name);
    return it == names.end() ? QString::fromStdString(name) : it->second;
}

QJsonArray jsonInts(at::IntArrayRef values)
{
    QJsonArray array;
    for (int64_t v : values)
        array.append(static_cast<qint64>(v));
    return array;
}

QString hexOf(const at::Tensor& t)
{
    const at::Tensor flat = t.contiguous();
    return QByteArray(static_cast<const char*>(flat.data_ptr()), static_cast<qsizetype>(flat.nbytes())).toHex();
}

double sumOf(const at::Tensor& t) { return t.numel() ? t.to(at::kDouble).sum().item<double>() : 0.0; }

/** Compares a loaded state_dict with cases.json's description of it (make_torchsave_cases.py). */
void compareWithCase(const StateDict& loaded, const QJsonObject& expected)
{
    const QJsonArray entries = expected.value("entries").toArray();
    QCOMPARE(loaded.entries.size(), size_t(entries.size()));
    QCOMPARE(loaded.ordered, expected.value("kind").toString() == "OrderedDict");
    std::map<QString, const c10::StorageImpl*> storages;
    for (int i = 0; i < entries.size(); ++i) {
        const QString key = entries[i].toArray()[0].toString();
        const QJsonObject e = entries[i].toArray()[1].toObject();
        const auto& [name, value] = loaded.entries[size_t(i)];
        QCOMPARE(QString::fromStdString(name), key);
        QCOMPARE(dtypeName(value.tensor), e.value("dtype").toString());
        QCOMPARE(jsonInts(value.tensor.sizes()), e.value("shape").toArray());
        QCOMPARE(jsonInts(value.tensor.strides()), e.value("stride").toArray());
        QCOMPARE(qint64(value.tensor.storage_offset()), e.value("offset").toInteger());
        QCOMPARE(value.requiresGrad, e.value("requires_grad").toBool());
        QCOMPARE(value.isParameter, e.value("parameter").toBool());
        QCOMPARE(hexOf(value.tensor), e.value("hex").toString());
        // one buffer per storage key, shared by every tensor of that key
        const auto [it, added] =
            storages.emplace(e.value("storage").toString(), value.tensor.storage().unsafeGetStorageImpl());
        QVERIFY2(added || it->second == value.tensor.storage().unsafeGetStorageImpl(), qPrintable(key));
    }
    QCOMPARE(loaded.metadata.has_value(), expected.value("has_metadata").toBool());
    if (loaded.metadata) {
        const QJsonArray metadata = expected.value("metadata").toArray();
        QCOMPARE(loaded.metadata->size(), size_t(metadata.size()));
        for (int i = 0; i < metadata.size(); ++i) {
            QCOMPARE(QString::fromStdString((*loaded.metadata)[size_t(i)].prefix), metadata[i].toArray()[0].toString());
            QCOMPARE(qint64((*loaded.metadata)[size_t(i)].version), metadata[i].toArray()[1].toInteger());
        }
    }
}

QJsonObject cases() { return readJson(fixturePath("torchsave/cases.json")).value("files").toObject(); }

StateDict rootStateDict(const TorchSaveFile& file)
{
    std::optional<StateDict> dict = stateDictOf(file, file.pickle.root());
    if (!dict)
        throw std::runtime_error("the root is not a state_dict");
    return *dict;
}

/** Tensors of every dtype the writer handles, two of them views of one storage. */
std::vector<StateDictEntry> writerEntries()
{
    std::vector<StateDictEntry> entries;
    const at::Tensor base = at::arange(24, at::kFloat).div_(7);
    entries.push_back({"layer.weight", base.view({4, 6})});
    entries.push_back({"layer.row", base.view({4, 6})[2]});                         // offset 12
    entries.push_back({"layer.columns", base.view({4, 6}).t().slice(0, 1, 5, 2)});  // strided
    for (c10::ScalarType type : {at::kDouble, at::kHalf, at::kBFloat16, at::kChar, at::kShort, at::kInt,
                                 at::kLong, at::kByte, at::kBool, at::kComplexFloat, at::kComplexDouble}) {
        at::Tensor t = at::arange(-3, 3, at::kDouble).mul_(1.75).to(type).reshape({2, 3});
        entries.push_back({"dtype." + std::string(c10::toString(type)), t});
    }
    entries.push_back({"scalar", at::arange(1, at::kLong).reshape({}).add_(9)});
    entries.push_back({"empty", at::zeros({0, 5})});
    entries.push_back({"über.ключ", at::arange(3, at::kInt)});
    return entries;
}

/** The bytes of one member of a zip archive held in memory ("" when absent). */
std::string memberOf(const std::string& archive, const std::string& name)
{
    caffe2::serialize::PyTorchStreamReader reader(
        std::make_shared<caffe2::serialize::MemoryReadAdapter>(archive.data(), archive.size()));
    const std::string folder = name.substr(0, name.find('/') + 1);
    if (!reader.hasRecord(name.substr(folder.size())))
        return {};
    const auto [data, size] = reader.getRecord(name.substr(folder.size()));
    return std::string(static_cast<const char*>(data.get()), size);
}

/** With MX_TORCHSAVE_WRITE_DIR set, leaves a written file there for
 *  tests/fixtures/files/check_written_torchsave.py (run by hand with Python's torch.load). */
void keepForPython(const char* name, const std::string& bytes)
{
    const QString dir = qEnvironmentVariable("MX_TORCHSAVE_WRITE_DIR");
    if (dir.isEmpty())
        return;
    QFile out(QDir(dir).filePath(QString::fromLatin1(name)));
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size()))
        qWarning() << "cannot write" << out.fileName();
}

/** LibTorch's CPU allocator, counting the bytes asked of it (installed once by initTestCase). */
class CountingCpuAllocator final : public c10::Allocator {
public:
    static inline std::atomic<uint64_t> allocated{0};
    c10::DataPtr allocate(size_t n) const override
    {
        allocated += n;
        return c10::GetDefaultCPUAllocator()->allocate(n);
    }
    c10::DeleterFnPtr raw_deleter() const override { return c10::GetDefaultCPUAllocator()->raw_deleter(); }
};

const std::vector<ModuleVersion> kWriterMetadata = {{"", 1}, {"layer", 2}, {"über", 3}};

}  // namespace

class TorchSaveTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        static CountingCpuAllocator counting;
        c10::SetCPUAllocator(&counting, /*priority=*/1);
    }

    // ---- reading real files --------------------------------------------------------------------

    void readsEveryDtype_bitIdentical_withMetadata()
    {
        const TorchSaveFile file = readTorchSaveFile(local(fixturePath("torchsave/dtypes.pt")));
        QCOMPARE(QString::fromStdString(file.archiveName), QStringLiteral("dtypes"));
        QCOMPARE(file.formatVersion, int64_t(3));
        const StateDict dict = rootStateDict(file);
        compareWithCase(dict, cases().value("dtypes.pt").toObject());
        QCOMPARE(dict.entries[12].second.tensor.dim(), 0);    // scalar
        QCOMPARE(dict.entries[13].second.tensor.numel(), 0);  // empty
    }

    void readsViews_sharingOneBuffer()
    {
        const TorchSaveFile file = readTorchSaveFile(local(fixturePath("torchsave/views.pt")));
        const StateDict dict = rootStateDict(file);
        compareWithCase(dict, cases().value("views.pt").toObject());
        at::Tensor base = dict.entries[0].second.tensor;
        const at::Tensor row = dict.entries[1].second.tensor;
        const at::Tensor strided = dict.entries[3].second.tensor;
        base[1][0].fill_(100.0);  // row1 is base[6:12]
        QCOMPARE(row[0].item<float>(), 100.0f);
        base[1][1].fill_(200.0);  // strided is base.view(4, 6)[1:, 1::2], offset 7
        QCOMPARE(strided[0][0].item<float>(), 200.0f);
        QVERIFY(dict.entries[4].second.tensor.storage().unsafeGetStorageImpl() !=
                base.storage().unsafeGetStorageImpl());
        QCOMPARE(file.pickle.storages().size(), size_t(2));
    }

    void readsModuleStateDict_inProtocols2And4()
    {
        for (const char* name : {"module.pt", "protocol4.pt"}) {
            const TorchSaveFile file = readTorchSaveFile(local(fixturePath(QStringLiteral("torchsave/") + name)));
            compareWithCase(rootStateDict(file), cases().value(name).toObject());
        }
    }

    void readsCheckpoint_nestedDictsAndScalars()
    {
        const TorchSaveFile file = readTorchSaveFile(local(fixturePath("torchsave/checkpoint.pt")));
        const PickleDocument& doc = file.pickle;
        const QJsonObject expected = cases().value("checkpoint.pt").toObject();
        QVERIFY(!stateDictOf(file, doc.root()));  // a plain dict of mixed values
        QVERIFY(!doc.dict(doc.root()).ordered);
        const std::optional<StateDict> model = stateDictOf(file, *doc.get(doc.root(), "model"));
        QVERIFY(model);
        compareWithCase(*model, expected.value("model").toObject());
        QCOMPARE(doc.get(doc.root(), "epoch")->asInt(), int64_t(3));
        QCOMPARE(doc.get(doc.root(), "best_accuracy")->asFloat(), 0.875);
        QCOMPARE(doc.text(*doc.get(doc.root(), "device")), std::string_view("cpu"));
        QCOMPARE(doc.items(*doc.get(doc.root(), "tags")).size(), size_t(2));
        const PickleValue optimizer = *doc.get(doc.root(), "optimizer");
        const PickleDict& state = doc.dict(*doc.get(optimizer, "state"));
        QCOMPARE(int(state.entries.size()), expected.value("optimizer_state_keys").toArray().size());
        for (const auto& [index, perParameter] : state.entries) {
            QVERIFY(index.is(PickleKind::Int));
            const PickleValue step = *doc.get(perParameter, "step");
            QCOMPARE(file.tensor(step).tensor.item<float>(), 1.0f);  // Adam's step count, a tensor
        }
        const PickleValue group = doc.items(*doc.get(optimizer, "param_groups"))[0];
        QCOMPARE(doc.get(group, "lr")->asFloat(), expected.value("optimizer_lr").toDouble());
        const PickleValue betas = *doc.get(group, "betas");
        QCOMPARE(doc.items(betas)[1].asFloat(), 0.999);
        QCOMPARE(int(doc.items(*doc.get(group, "params")).size()), expected.value("optimizer_params").toArray().size());
    }

    void readsParameters_flaggedAsPythonPickled()
    {
        const TorchSaveFile file = readTorchSaveFile(local(fixturePath("torchsave/parameters.pt")));
        compareWithCase(rootStateDict(file), cases().value("parameters.pt").toObject());
        QVERIFY(!file.tensors[0].tensor.requires_grad());  // plain data: autograd stays off
    }

    /** Every torch.save file of make_file_fixtures.py, against expected.json. */
    void readsEveryFixtureOfMakeFileFixtures()
    {
        const QJsonObject files = readJson(fixturePath("expected.json")).value("files").toObject();
        int checked = 0;
        for (auto it = files.begin(); it != files.end(); ++it) {
            const QJsonObject expected = it.value().toObject();
            const QString kind = expected.value("kind").toString();
            const std::string path = local(fixturePath("models/" + it.key()));
            if (kind == "torchscript") {
                EXPECT_FORMAT_ERROR(readTorchSaveFile(path), "TorchScript archive");
                continue;
            }
            if (kind == "legacy") {
                EXPECT_FORMAT_ERROR(readTorchSaveFile(path), "legacy (pre-1.6) torch.save format");
                continue;
            }
            if (kind != "torch.save")
                continue;
            qInfo() << "checking" << it.key();
            const TorchSaveFile file = readTorchSaveFile(path);
            QCOMPARE(QString::fromStdString(file.archiveName), expected.value("archive_prefix").toString());
            PickleValue dictValue = file.pickle.root();
            if (expected.contains("state_dict_key"))
                dictValue = *file.pickle.get(dictValue, expected.value("state_dict_key").toString().toStdString());
            const std::optional<StateDict> dict = stateDictOf(file, dictValue);
            QVERIFY2(dict, qPrintable(it.key()));
            QCOMPARE(file.pickle.dict(file.pickle.root()).ordered, expected.value("container").toString() == "OrderedDict");
            std::map<QString, at::Tensor> byKey;
            for (const auto& [key, value] : dict->entries)
                byKey[QString::fromStdString(key)] = value.tensor;
            const QJsonArray entries = expected.value("state_dict").toArray();
            QCOMPARE(dict->entries.size(), size_t(entries.size()));
            for (int i = 0; i < entries.size(); ++i) {
                const QJsonArray e = entries[i].toArray();
                const at::Tensor& t = dict->entries[size_t(i)].second.tensor;
                QCOMPARE(QString::fromStdString(dict->entries[size_t(i)].first), e[0].toString());
                QCOMPARE(jsonInts(t.sizes()), e[1].toArray());
                QCOMPARE(dtypeName(t), e[2].toString());
                const double sum = e[3].toDouble();
                QVERIFY2(std::abs(sumOf(t) - sum) <= 1e-9 * std::max(1.0, std::abs(sum)), qPrintable(e[0].toString()));
            }
            if (expected.contains("_metadata")) {
                const QJsonObject metadata = expected.value("_metadata").toObject();
                QVERIFY(dict->metadata);
                QCOMPARE(int(dict->metadata->size()), metadata.size());
                for (const ModuleVersion& module : *dict->metadata)
                    QCOMPARE(qint64(module.version),
                             metadata.value(QString::fromStdString(module.prefix)).toObject().value("version").toInteger());
            }
            for (const QJsonValue& group : expected.value("shared_storage").toArray()) {
                const at::Tensor first = byKey.at(group.toArray()[0].toString());
                for (const QJsonValue& key : group.toArray())
                    QVERIFY(byKey.at(key.toString()).storage().unsafeGetStorageImpl() ==
                            first.storage().unsafeGetStorageImpl());
            }
            for (const QJsonValue& layout : expected.value("layout").toArray()) {
                const QJsonArray l = layout.toArray();
                const at::Tensor& t = byKey.at(l[0].toString());
                QCOMPARE(qint64(t.storage_offset()), l[1].toInteger());
                QCOMPARE(jsonInts(t.strides()), l[2].toArray());
                QCOMPARE(qint64(t.storage().nbytes() / t.element_size()), l[3].toInteger());
            }
            if (expected.contains("optimizer")) {
                const PickleDocument& doc = file.pickle;
                const PickleValue state = *doc.get(*doc.get(doc.root(), "optimizer"), "state");
                for (const QJsonValue& item : expected.value("optimizer").toObject().value("state").toArray()) {
                    const QJsonArray e = item.toArray();  // [index, name, shape, dtype, sum]
                    const PickleValue* perParameter = nullptr;
                    for (const auto& [index, value] : doc.dict(state).entries)
                        if (index.is(PickleKind::Int) && index.asInt() == e[0].toInteger())
                            perParameter = &value;
                    QVERIFY(perParameter);
                    const at::Tensor& t = file.tensor(*doc.get(*perParameter, e[1].toString().toStdString())).tensor;
                    QCOMPARE(jsonInts(t.sizes()), e[2].toArray());
                    QCOMPARE(sumOf(t), e[4].toDouble());
                }
                const QJsonObject scalars = expected.value("scalars").toObject();
                QCOMPARE(qint64(doc.get(doc.root(), "epoch")->asInt()), scalars.value("epoch").toInteger());
                QCOMPARE(doc.get(doc.root(), "best_acc")->asFloat(), scalars.value("best_acc").toDouble());
                QCOMPARE(QString::fromStdString(std::string(doc.text(*doc.get(doc.root(), "note")))), scalars.value("note").toString());
                QJsonArray keys;
                for (const auto& [key, value] : doc.dict(doc.root()).entries)
                    keys.append(QString::fromStdString(std::string(doc.text(key))));
                QCOMPARE(keys, expected.value("top_level_keys").toArray());
            }
            for (const QJsonValue& type : expected.value("types").toArray()) {
                const QJsonArray ty = type.toArray();
                for (const auto& [key, value] : dict->entries)
                    if (QString::fromStdString(key) == ty[0].toString()) {
                        QCOMPARE(value.isParameter, ty[1].toString() == "Parameter");
                        QCOMPARE(value.requiresGrad, ty[2].toBool());
                    }
            }
            ++checked;
        }
        QVERIFY(checked >= 10);  // every torch.save fixture make_file_fixtures.py writes
    }

    void readsEachStorageOnce_throughLibTorchsCpuAllocator()
    {
        // 8 MiB in four storages, one of them viewed three times
        const at::Tensor shared = at::arange(512 * 1024, at::kFloat);
        std::vector<StateDictEntry> entries = {{"a", shared}, {"a.view", shared.view({512, 1024})}, {"a.tail", shared.slice(0, 1000)}};
        for (int i = 0; i < 3; ++i)
            entries.push_back({"b" + std::to_string(i), at::arange(256 * 1024, at::kDouble)});
        const std::string bytes = torchSaveStateDictBytes(entries, {});
        const uint64_t storageBytes = 4 * 2 * 1024 * 1024;
        const uint64_t before = CountingCpuAllocator::allocated;
        const TorchSaveFile file = readTorchSaveBytes(bytes);
        const uint64_t read = CountingCpuAllocator::allocated - before;
        QVERIFY2(read >= storageBytes && read < storageBytes + 64 * 1024, qPrintable(QString::number(read)));
        QCOMPARE(file.tensors.size(), size_t(6));
        QCOMPARE(hexOf(file.tensors[2].tensor), hexOf(shared.slice(0, 1000)));
    }

    void progress_countsStorageBytes_andCancels()
    {
        const std::string path = local(fixturePath("torchsave/module.pt"));
        std::vector<std::pair<int64_t, int64_t>> calls;
        TorchSaveReadOptions options;
        options.progress = [&](int64_t done, int64_t total) {
            calls.emplace_back(done, total);
            return true;
        };
        const TorchSaveFile file = readTorchSaveFile(path, options);
        int64_t bytes = 0;
        for (const PickleStorage& s : file.pickle.storages())
            bytes += s.numel * int64_t(storageDtypeSize(s.dtype));
        QCOMPARE(calls.size(), file.pickle.storages().size() + 1);
        QCOMPARE(calls.front(), std::make_pair(int64_t(0), bytes));
        QCOMPARE(calls.back(), std::make_pair(bytes, bytes));
        for (size_t i = 1; i < calls.size(); ++i)
            QVERIFY(calls[i].first > calls[i - 1].first);

        int seen = 0;
        options.progress = [&](int64_t, int64_t) { return ++seen < 3; };
        QVERIFY_THROWS_EXCEPTION(OperationCancelled, readTorchSaveFile(path, options));
        QCOMPARE(seen, 3);
    }

    void byteBudget_refusesBeforeReadingStorages()
    {
        const std::string path = local(fixturePath("torchsave/module.pt"));
        const std::string bytes = readBytes(fixturePath("torchsave/module.pt"));
        const std::vector<ZipEntry> members = readZipDirectory(
            [&](uint64_t at, void* buf, size_t n) {
                std::memcpy(buf, bytes.data() + at, n);
                return at + n <= bytes.size();
            },
            bytes.size());
        uint64_t pickleBytes = 0;
        uint64_t storageBytes = 0;
        for (const ZipEntry& member : members) {
            if (member.name == "module/data.pkl")
                pickleBytes = member.size;
            else if (member.name.rfind("module/data/", 0) == 0)
                storageBytes += member.size;
        }
        TorchSaveReadOptions options;
        int calls = 0;
        options.progress = [&](int64_t, int64_t) { return ++calls > 0; };
        options.byteBudget = pickleBytes - 1;
        EXPECT_FORMAT_ERROR(readTorchSaveFile(path, options), "reading module/data.pkl would take");
        options.byteBudget = pickleBytes + storageBytes - 1;
        EXPECT_FORMAT_ERROR(readTorchSaveFile(path, options), "reading the file's tensors would take");
        QCOMPARE(calls, 0);
        options.byteBudget = pickleBytes + storageBytes;
        QCOMPARE(readTorchSaveFile(path, options).tensors.size(), size_t(9));
        QCOMPARE(calls, 10);
    }

    // ---- writing --------------------------------------------------------------------------------

    void writesStateDict_readBackBitIdentical_sharingKept()
    {
        const std::vector<StateDictEntry> entries = writerEntries();
        const std::string bytes = torchSaveStateDictBytes(entries, kWriterMetadata);
        keepForPython("writer_entries.pt", bytes);
        const TorchSaveFile file = readTorchSaveBytes(bytes);
        QCOMPARE(QString::fromStdString(file.archiveName), QStringLiteral("archive"));
        QCOMPARE(file.formatVersion, int64_t(3));
        const StateDict dict = rootStateDict(file);
        QVERIFY(dict.ordered);
        QCOMPARE(dict.entries.size(), entries.size());
        for (size_t i = 0; i < entries.size(); ++i) {
            const at::Tensor& original = entries[i].tensor;
            const at::Tensor& loaded = dict.entries[i].second.tensor;
            QCOMPARE(dict.entries[i].first, entries[i].key);
            QCOMPARE(loaded.scalar_type(), original.scalar_type());
            QCOMPARE(loaded.sizes().vec(), original.sizes().vec());
            QCOMPARE(loaded.strides().vec(), original.strides().vec());
            QCOMPARE(loaded.storage_offset(), original.storage_offset());
            QCOMPARE(hexOf(loaded), hexOf(original));
            QVERIFY(!dict.entries[i].second.isParameter);
        }
        QVERIFY(dict.entries[0].second.tensor.storage().unsafeGetStorageImpl() ==
                dict.entries[2].second.tensor.storage().unsafeGetStorageImpl());
        dict.entries[0].second.tensor[2][0].fill_(-1.0);
        QCOMPARE(dict.entries[1].second.tensor[0].item<float>(), -1.0f);
        QCOMPARE(file.pickle.storages().size(), entries.size() - 2);
        QVERIFY(dict.metadata);
        QCOMPARE(dict.metadata->size(), kWriterMetadata.size());
        for (size_t i = 0; i < kWriterMetadata.size(); ++i) {
            QCOMPARE((*dict.metadata)[i].prefix, kWriterMetadata[i].prefix);
            QCOMPARE((*dict.metadata)[i].version, kWriterMetadata[i].version);
        }
    }

    void writesTorchSaveLayout_alignedRecordsAndVersion()
    {
        const std::string bytes = torchSaveStateDictBytes(writerEntries(), kWriterMetadata);
        const std::vector<ZipEntry> entries = readZipDirectory(
            [&](uint64_t at, void* buf, size_t n) {
                if (at > bytes.size() || n > bytes.size() - at)
                    return false;
                std::memcpy(buf, bytes.data() + at, n);
                return true;
            },
            bytes.size());
        QCOMPARE(entries.front().name, std::string("archive/data.pkl"));
        QCOMPARE(entries.back().name, std::string("archive/version"));
        QCOMPARE(entries[1].name, std::string("archive/data/0"));
        QCOMPARE(entries[2].name, std::string("archive/data/1"));
        QCOMPARE(entries[3].name, std::string("archive/data/10"));  // sorted as strings, as torch.save does
        caffe2::serialize::PyTorchStreamReader reader(
            std::make_shared<caffe2::serialize::MemoryReadAdapter>(bytes.data(), bytes.size()));
        for (const ZipEntry& entry : entries) {
            QCOMPARE(entry.method, uint16_t(0));
            QCOMPARE(reader.getRecordOffset(entry.name.substr(8)) % 64, size_t(0));
        }
        const auto [version, size] = reader.getRecord("version");
        QCOMPARE(std::string(static_cast<const char*>(version.get()), size), std::string("3\n"));
    }

    /** Reads each make_torchsave_cases.py file, writes it again, and compares. */
    void rewritesFixtures_sameContents()
    {
        for (const char* name : {"dtypes.pt", "views.pt", "module.pt"}) {
            const StateDict original = rootStateDict(readTorchSaveFile(local(fixturePath(QStringLiteral("torchsave/") + name))));
            std::vector<StateDictEntry> entries;
            for (const auto& [key, value] : original.entries)
                entries.push_back({key, value.tensor});
            const std::string bytes = torchSaveStateDictBytes(entries, *original.metadata);
            keepForPython(name, bytes);
            const StateDict again = rootStateDict(readTorchSaveBytes(bytes));
            compareWithCase(again, cases().value(name).toObject());
            // data.pkl is the very pickle Python wrote for the same state_dict
            QCOMPARE(memberOf(bytes, "archive/data.pkl"),
                     memberOf(readBytes(fixturePath(QStringLiteral("torchsave/") + name)),
                              QString::fromLatin1(name).section('.', 0, 0).toStdString() + "/data.pkl"));
        }
    }

    void writerRefuses_whatTorchSaveCannotHold()
    {
        const at::Tensor t = at::arange(4, at::kFloat);
        EXPECT_FORMAT_ERROR(torchSaveStateDictBytes({{"a", t}, {"a", t}}, {}), "'a' twice");
        EXPECT_FORMAT_ERROR(torchSaveStateDictBytes({{"a", t}, {"b", t.view(at::kInt)}}, {}),
                            "views the storage of 'a' as int32");
        EXPECT_FORMAT_ERROR(torchSaveStateDictBytes({{"s", t.to_sparse()}}, {}), "only dense");
        EXPECT_FORMAT_ERROR(torchSaveStateDictBytes({{"n", at::Tensor()}}, {}), "no tensor");
        EXPECT_FORMAT_ERROR(torchSaveStateDictBytes({{std::string("\xff", 1), t}}, {}), "not UTF-8");
        EXPECT_FORMAT_ERROR(torchSaveStateDictBytes({{"a", t}}, {{"", 1}, {"", 2}}), "prefix '' twice");

        size_t taken = 0;
        EXPECT_FORMAT_ERROR(writeTorchSaveStateDict({{"a", t}}, {},
                                                    [&](const void*, size_t n) {
                                                        taken += n;
                                                        return taken > 100 ? n / 2 : n;  // a full disk
                                                    }),
                            "fewer bytes");
        QVERIFY_THROWS_EXCEPTION(OperationCancelled,
                                 writeTorchSaveStateDict({{"a", t}}, {}, [](const void*, size_t n) { return n; },
                                                         [](int64_t, int64_t) { return false; }));
    }

    // ---- hostile input --------------------------------------------------------------------------

    void emptyAndTextFiles_reportError()
    {
        QTemporaryDir dir;
        QFile empty(dir.filePath("empty.pt"));
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.close();
        EXPECT_FORMAT_ERROR(readTorchSaveFile(local(empty.fileName())), "the file is empty");
        EXPECT_FORMAT_ERROR(readTorchSaveBytes("import torch\nprint('hello')\n"), "does not start with a zip header");
        EXPECT_FORMAT_ERROR(readTorchSaveFile(local(dir.filePath("missing.pt"))), "cannot open");
        EXPECT_FORMAT_ERROR(readTorchSaveFile(local(dir.path())), "not a regular file");
        EXPECT_FORMAT_ERROR(readTorchSaveBytes(std::string("\x80\x02}q\x00.", 6)), "a bare pickle");
    }

    void legacyAndTorchScriptFiles_reportWhatTheyAre()
    {
        EXPECT_FORMAT_ERROR(readTorchSaveFile(local(fixturePath("torchsave/legacy.pt"))),
                            "this is PyTorch's legacy (pre-1.6) torch.save format, which Module Explorer cannot read; "
                            "re-save it with torch.save in PyTorch >= 1.6");
        EXPECT_FORMAT_ERROR(readTorchSaveFile(local(fixturePath("torchsave/script.pt"))), "TorchScript archive");
    }

    void everyTruncation_reportsError()
    {
        const std::string bytes = readBytes(fixturePath("torchsave/module.pt"));
        QVERIFY(bytes.size() > 1000);
        for (size_t n = 0; n < bytes.size(); ++n)
            EXPECT_FORMAT_ERROR(readTorchSaveBytes(bytes.substr(0, n)), "");
        // and every truncation of its pickle, inside an intact archive
        const TorchSaveFile file = readTorchSaveBytes(bytes);
        std::map<std::string, std::string> storages;
        for (const PickleStorage& s : file.pickle.storages())
            storages["data/" + s.key] = std::string(s.numel * storageDtypeSize(s.dtype), '\0');
        const std::string pickle = memberOf(bytes, "module/data.pkl");
        QVERIFY(readTorchSaveBytes(archiveWith(pickle, storages)).tensors.size() == file.tensors.size());
        for (size_t n = 0; n < pickle.size(); ++n)
            EXPECT_FORMAT_ERROR(readTorchSaveBytes(archiveWith(pickle.substr(0, n), storages)), "data.pkl: ");
    }

    void randomBitFlips_loadOrReportError()
    {
        const std::string bytes = readBytes(fixturePath("torchsave/checkpoint.pt"));
        std::mt19937 random(20200910);
        int errors = 0;
        for (int i = 0; i < 400; ++i) {
            std::string flipped = bytes;
            const int flips = 1 + int(random() % 3);
            for (int f = 0; f < flips; ++f)
                flipped[random() % flipped.size()] ^= char(1u << (random() % 8));
            const QString message = formatError([&] { readTorchSaveBytes(flipped); });
            QVERIFY2(message == "<no error>" || !message.startsWith('<'), qPrintable(message));
            for (QChar c : message)
                QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7f, qPrintable(message));
            errors += message != "<no error>";
        }
        QVERIFY(errors > 0);
    }

    void unknownGlobal_refusedByName()
    {
        const std::string system = raw("\x80\x02" "cos\nsystem\nX\x02\x00\x00\x00ls\x85R.");
        EXPECT_FORMAT_ERROR(readTorchSaveBytes(archiveWith(system)),
                            "archive/data.pkl: unsupported global 'os.system' in the pickle at byte 2 "
                            "(Module Explorer never runs code from files)");
        const std::string stackGlobal = raw("\x80\x04\x8c\x08" "builtins\x8c\x04" "eval\x93.");
        EXPECT_FORMAT_ERROR(parsePickle(stackGlobal), "unsupported global 'builtins.eval'");
        EXPECT_FORMAT_ERROR(parsePickle("ctorch\nload\n."), "unsupported global 'torch.load'");
        // allowed names are not callables unless torch.save calls them
        EXPECT_FORMAT_ERROR(parsePickle("ctorch\nFloatStorage\n)R."), "a call of torch.FloatStorage");
    }

    void deepNesting_refused()
    {
        const std::string lists = "\x80\x02" + std::string(100000, ']') + std::string(99999, 'a') + ".";
        EXPECT_FORMAT_ERROR(parsePickle(lists), "nested deeper than 1000");
        EXPECT_FORMAT_ERROR(readTorchSaveBytes(archiveWith(lists)), "nested deeper than 1000");
        const std::string tuples = "N" + std::string(100000, '\x85') + ".";
        EXPECT_FORMAT_ERROR(parsePickle(tuples), "nested deeper than 1000");
        // a list that grows deeper after 999 tuples were wrapped around it (found by the final walk)
        const std::string late = raw("]q\x00") + std::string(999, '\x85') + raw("h\x00N") + std::string(10, '\x85') + "a0.";
        QVERIFY2(pickleError(late).find("nested deeper than 1000") != std::string::npos, pickleError(late).c_str());
        QCOMPARE(pickleError(raw("]q\x00") + std::string(999, '\x85') + "."), std::string("<no error>"));
        // the limit itself is fine
        QCOMPARE(pickleError("N" + std::string(1000, '\x85') + "."), std::string("<no error>"));
        QVERIFY(pickleError("N" + std::string(1001, '\x85') + ".").find("nested deeper") != std::string::npos);
    }

    void hugeList_refusedBeforeMemoryGrows()
    {
        rusage before{};
        getrusage(RUSAGE_SELF, &before);
        std::string bytes = "\x80\x02]";
        bytes.reserve(22'000'010);
        for (int i = 0; i < 10'000'100; ++i)
            bytes += "Na";
        bytes += ".";
        EXPECT_FORMAT_ERROR(parsePickle(bytes), "more values than Module Explorer reads (limit 10000000)");
        rusage after{};
        getrusage(RUSAGE_SELF, &after);
        const long grownMiB = (after.ru_maxrss - before.ru_maxrss) / 1024;
        qInfo() << "peak memory grew by" << grownMiB << "MiB";
        QVERIFY2(grownMiB < 700, qPrintable(QString::number(grownMiB) + " MiB"));
        // memo spam costs units too
        std::string memo = "N";
        for (uint32_t i = 0; i < 3'400'000; ++i) {
            memo += 'r';
            memo.append(reinterpret_cast<const char*>(&i), 4);
        }
        EXPECT_FORMAT_ERROR(parsePickle(memo + "."), "more values");
    }

    void storageShorterThanTensor_reportsKey()
    {
        // ('storage', FloatStorage, '0', 'cpu', 2) viewed as size (3,)
        const std::string tensorOf3 =
            raw("\x80\x02" "ctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storage"
                "ctorch\nFloatStorage\nX\x01\x00\x00\x00" "0X\x03\x00\x00\x00" "cpuK\x02tQK\x00K\x03\x85K\x01\x85\x89"
                "}tR.");
        EXPECT_FORMAT_ERROR(readTorchSaveBytes(archiveWith(tensorOf3, {{"data/0", std::string(8, '\0')}})),
                            "needs 3 elements of storage '0', which holds 2");
        std::string declares3 = tensorOf3;
        declares3[declares3.find("K\x02t")+1] = '\x03';
        EXPECT_FORMAT_ERROR(readTorchSaveBytes(archiveWith(declares3, {{"data/0", std::string(8, '\0')}})),
                            "archive/data/0 holds 8 bytes, but data.pkl declares storage '0' as 3 float32");
        EXPECT_FORMAT_ERROR(readTorchSaveBytes(archiveWith(declares3)), "archive/data/0 is missing");
        QCOMPARE(readTorchSaveBytes(archiveWith(declares3, {{"data/0", std::string(12, '\0')}})).tensors.size(),
                 size_t(1));
        // torch.save writes numel = bytes // element size: a longer record is fine
        const TorchSaveFile longer = readTorchSaveBytes(archiveWith(declares3, {{"data/0", std::string(14, '\1')}}));
        QCOMPARE(longer.tensors[0].tensor.storage().nbytes(), size_t(12));
    }

    void readsPyTorch2Extras_refusesBigEndian()
    {
        // PyTorch 2.x adds byteorder and .data/serialization_id records, a 7th (metadata)
        // argument to _rebuild_tensor_v2, and _rebuild_parameter_with_state.
        const std::string storage = raw("(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x00"
                                        "0X\x03\x00\x00\x00" "cpuK\x03tQ");
        const std::string tensor = "ctorch._utils\n_rebuild_tensor_v2\n(" + storage + raw("K\x00K\x03\x85K\x01\x85\x89}}tR");
        const std::string pickle = "\x80\x02" "ctorch._utils\n_rebuild_parameter_with_state\n(" + tensor + "\x88}}tR.";
        const std::string values = raw("\x00\x00\x80\x3f\x00\x00\x00\x40\x00\x00\x40\x40");  // 1, 2, 3
        const TorchSaveFile file = readTorchSaveBytes(archiveWith(
            pickle, {{"data/0", values}, {"byteorder", "little"}, {".data/serialization_id", "1234"}}));
        const LoadedTensor& loaded = file.tensor(file.pickle.root());
        QVERIFY(loaded.isParameter && loaded.requiresGrad);
        QCOMPARE(loaded.tensor[2].item<float>(), 3.0f);
        EXPECT_FORMAT_ERROR(readTorchSaveBytes(archiveWith(pickle, {{"data/0", values}, {"byteorder", "big"}})),
                            "archive/byteorder: the file's tensors are stored as 'big' endian");
        // sizes whose product passes 2^63 bytes, on a stride-0 view that fits its storage
        const std::string huge = "\x80\x02" "ctorch._utils\n_rebuild_tensor_v2\n(" + storage +
                                 raw("K\x00\x8a\x08\x00\x00\x00\x00\x00\x00\x00\x40K\x04\x86K\x00K\x00\x86\x89}tR.");
        EXPECT_FORMAT_ERROR(parsePickle(huge), "more than 2^63 bytes");
    }

    void zipMemberClaimingHugeSize_refused()
    {
        const std::string bytes = readBytes(fixturePath("torchsave/module.pt"));
        for (const char* member : {"module/data/0", "module/version", "module/data.pkl"}) {
            std::string patched = bytes;
            const size_t name = patched.rfind(member);  // its central directory record
            QVERIFY(name != std::string::npos && name > 46 && patched.compare(name - 46, 4, "PK\x01\x02") == 0);
            for (size_t field : {name - 46 + 20, name - 46 + 24})
                std::memcpy(&patched[field], "\xff\xff\xff\x7f", 4);
            EXPECT_FORMAT_ERROR(readTorchSaveBytes(patched), "past the end");
        }
    }

    void long4AndStringLengths_checkedBeforeAllocating()
    {
        EXPECT_FORMAT_ERROR(parsePickle(raw("\x80\x02\x8b\xff\xff\xff\x7f" "abc")), "truncated LONG4");
        EXPECT_FORMAT_ERROR(parsePickle(raw("\x8b\xff\xff\xff\xff")), "LONG4 with a negative length");
        EXPECT_FORMAT_ERROR(parsePickle(raw("\x8b\x00\x01\x00\x00") + std::string(256, '\x01') + "."), "an integer of 256 bytes");
        EXPECT_FORMAT_ERROR(parsePickle(raw("X\xff\xff\xff\xff")), "truncated BINUNICODE");
        EXPECT_FORMAT_ERROR(parsePickle(raw("\x8d\xff\xff\xff\xff\xff\xff\xff\xff")), "truncated BINUNICODE8");
        EXPECT_FORMAT_ERROR(parsePickle(raw("\x8e\x00\x00\x00\x00\x00\x00\x00\x80")), "truncated BINBYTES8");
        EXPECT_FORMAT_ERROR(parsePickle(raw("\x95\xff\xff\xff\xff\xff\xff\xff\xff")), "truncated FRAME");
        EXPECT_FORMAT_ERROR(parsePickle(raw("X\x02\x00\x00\x00\xc3(.")), "not UTF-8");
        EXPECT_FORMAT_ERROR(parsePickle("I99999999999999999999\n."), "INT with a bad number");
    }

    void memoAbuse_refused()
    {
        EXPECT_FORMAT_ERROR(parsePickle("h\x05."), "memo entry 5 is read before it is written");
        EXPECT_FORMAT_ERROR(parsePickle(raw("j\xff\xff\xff\xff.")), "memo entry 4294967295");
        EXPECT_FORMAT_ERROR(parsePickle("g18446744073709551616\n."), "GET with a bad number");
        EXPECT_FORMAT_ERROR(parsePickle(raw("q\x00.")), "PUT with too few values");
        EXPECT_FORMAT_ERROR(parsePickle("\x94."), "PUT with too few values");
        EXPECT_FORMAT_ERROR(parsePickle(raw("(Nq\x00" "1h\x00h\x00h\x00" "2" ")")), "end of data before STOP");
        // a list inside itself, through the memo
        EXPECT_FORMAT_ERROR(parsePickle(raw("]q\x00h\x00" "a.")), "reference cycle");
        EXPECT_FORMAT_ERROR(parsePickle(raw("}q\x00K\x01h\x00s.")), "reference cycle");
    }

    void stackAndMarkMisuse_refused()
    {
        EXPECT_FORMAT_ERROR(parsePickle("."), "STOP with too few values");
        EXPECT_FORMAT_ERROR(parsePickle("(."), "STOP with too few values");
        EXPECT_FORMAT_ERROR(parsePickle("Ne."), "APPENDS without a MARK");
        EXPECT_FORMAT_ERROR(parsePickle("]N(a."), "APPEND with too few values");
        EXPECT_FORMAT_ERROR(parsePickle("}Ns."), "SETITEM with too few values");
        EXPECT_FORMAT_ERROR(parsePickle("}(Nu."), "odd number");
        EXPECT_FORMAT_ERROR(parsePickle("}Na."), "APPEND to a dict");
        EXPECT_FORMAT_ERROR(parsePickle("1."), "POP_MARK without a MARK");
        EXPECT_FORMAT_ERROR(parsePickle("0."), "POP with too few values");
        EXPECT_FORMAT_ERROR(parsePickle("N)R."), "REDUCE calls None, not an allowed global");
        EXPECT_FORMAT_ERROR(parsePickle("]}b."), "BUILD on a list");
        EXPECT_FORMAT_ERROR(parsePickle("}]]s."), "a list used as a dict key");
        EXPECT_FORMAT_ERROR(parsePickle("\x80\x09."), "pickle protocol 9");
        EXPECT_FORMAT_ERROR(parsePickle("i__main__\nX\n."), "unsupported opcode INST");
        EXPECT_FORMAT_ERROR(parsePickle("\xff."), "unknown opcode 0xff");
        EXPECT_FORMAT_ERROR(parsePickle("N"), "end of data before STOP");
        EXPECT_FORMAT_ERROR(parsePickle(""), "empty pickle");
        EXPECT_FORMAT_ERROR(parsePickle("Q."), "BINPERSID with too few values");
        EXPECT_FORMAT_ERROR(parsePickle(raw("X\x03\x00\x00\x00" "abcQ.")), "not torch.save's ('storage', ...) tuple");
    }

    // ---- the pickle reader on plain data ---------------------------------------------------------

    void pickle_readsProtocols0And1_asPython()
    {
        // pickle.dumps({'a': [1, 2.5, None, True, -7, 2**80, 'x\u1234'], 'b': (1, 2)}, protocol=0 / 1)
        const std::string protocol0 = "(dp0\nVa\np1\n(lp2\nI1\naF2.5\naNaI01\naI-7\naL1208925819614629174706176L\naVx\\u1234\np3\n"
                                      "asVb\np4\n(I1\nI2\ntp5\ns.";
        const std::string protocol1 =
            raw("}q\x00(X\x01\x00\x00\x00" "aq\x01]q\x02(K\x01G@\x04\x00\x00\x00\x00\x00\x00NI01\nJ\xf9\xff\xff\xff"
                "L1208925819614629174706176L\nX\x04\x00\x00\x00x\xe1\x88\xb4q\x03" "eX\x01\x00\x00\x00" "bq\x04(K\x01K\x02tq\x05u.");
        for (const std::string& bytes : {protocol0, protocol1}) {
            const PickleDocument doc = parsePickle(bytes);
            const std::vector<PickleValue>& a = doc.items(*doc.get(doc.root(), "a"));
            QCOMPARE(a.size(), size_t(7));
            QCOMPARE(a[0].asInt(), int64_t(1));
            QCOMPARE(a[1].asFloat(), 2.5);
            QVERIFY(a[2].is(PickleKind::None));
            QVERIFY(a[3].asBool());
            QCOMPARE(a[4].asInt(), int64_t(-7));
            QCOMPARE(doc.bigIntDecimal(a[5]), std::string("1208925819614629174706176"));
            QCOMPARE(doc.text(a[6]), std::string_view("x\xe1\x88\xb4"));
            QCOMPARE(doc.items(*doc.get(doc.root(), "b")).size(), size_t(2));
        }
    }

    void pickle_mergesDuplicateKeys_asPythonDicts()
    {
        const PickleDocument doc = parsePickle(raw("}(X\x01\x00\x00\x00" "aK\x01K\x01K\x02X\x01\x00\x00\x00" "aK\x03\x88K\x04u."));
        const PickleDict& dict = doc.dict(doc.root());
        QCOMPARE(dict.entries.size(), size_t(2));  // {'a': 3, 1: 4}: True == 1
        QCOMPARE(doc.text(dict.entries[0].first), std::string_view("a"));
        QCOMPARE(dict.entries[0].second.asInt(), int64_t(3));
        QCOMPARE(dict.entries[1].first.asInt(), int64_t(1));
        QCOMPARE(dict.entries[1].second.asInt(), int64_t(4));
    }

    void pickle_readsWhatWriterWrites()
    {
        std::vector<PickleStorage> storages(2);
        storages[0] = {"0", StorageDtype::Float32, "cpu", 24};
        storages[1] = {"1", StorageDtype::Int64, "cuda:1", 3'000'000'000LL};
        std::vector<StateDictPickleEntry> entries;
        for (int i = 0; i < 2500; ++i)  // past one SETITEMS batch and 256 memo slots
            entries.push_back({"k" + std::to_string(i), uint32_t(i % 2), i % 2 ? 2'999'999'999LL - i : 0,
                               i % 2 ? std::vector<int64_t>{1} : std::vector<int64_t>{2, 3, 4},
                               i % 2 ? std::vector<int64_t>{1} : std::vector<int64_t>{12, 4, 1}, i % 3 == 0});
        const PickleDocument doc = parsePickle(encodeStateDictPickle(entries, storages, {{"", 1}, {"k", 70000}}));
        const PickleDict& dict = doc.dict(doc.root());
        QVERIFY(dict.ordered);
        QCOMPARE(dict.entries.size(), entries.size());
        for (size_t i = 0; i < entries.size(); ++i) {
            const PickleTensor& t = doc.tensor(dict.entries[i].second);
            QCOMPARE(doc.text(dict.entries[i].first), std::string_view(entries[i].key));
            QCOMPARE(doc.storages()[t.storage].key, storages[entries[i].storage].key);
            QCOMPARE(t.storageOffset, entries[i].storageOffset);
            QCOMPARE(t.sizes, entries[i].sizes);
            QCOMPARE(t.strides, entries[i].strides);
            QCOMPARE(t.requiresGrad, entries[i].requiresGrad);
        }
        QCOMPARE(doc.storages()[1].numel, 3'000'000'000LL);
        QCOMPARE(doc.storages()[1].location, std::string("cuda:1"));
        const PickleValue metadata = *doc.attribute(doc.root(), "_metadata");
        QCOMPARE(doc.get(*doc.get(metadata, "k"), "version")->asInt(), int64_t(70000));
    }
};

QTEST_GUILESS_MAIN(TorchSaveTest)
#include "tst_torchsave.moc"
