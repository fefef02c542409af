// models/core/files/safetensors*: the header parser against hostile bytes, the mapped reader and
// the sharded index against what torch wrote (tests/fixtures/files/make_safetensors_cases.py and
// make_file_fixtures.py), and the writer against the reference's layout.
#include "core/files/fileerror.h"
#include "core/files/safetensorsfile.h"
#include "core/files/safetensorsheader.h"

#include <ATen/ops/arange.h>
#include <ATen/ops/view_as_real.h>
#include <ATen/ops/zeros.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <random>
#include <string>

#include <fcntl.h>
#include <unistd.h>

using namespace mx::files;

namespace {

const QString kCases = QStringLiteral(MX_FILE_FIXTURES_DIR "/safetensors");
const QString kModels = QStringLiteral(MX_FILE_FIXTURES_DIR "/models");

std::string local(const QString& path) { return QFile::encodeName(path).toStdString(); }

QByteArray readBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QJsonObject readJson(const QString& path)
{
    return QJsonDocument::fromJson(readBytes(path)).object();
}

QString pythonDtype(at::ScalarType type)
{
    switch (type) {
    case at::kBool: return "bool";
    case at::kByte: return "uint8";
    case at::kChar: return "int8";
    case at::kShort: return "int16";
    case at::kInt: return "int32";
    case at::kLong: return "int64";
    case at::kHalf: return "float16";
    case at::kBFloat16: return "bfloat16";
    case at::kFloat: return "float32";
    case at::kDouble: return "float64";
    case at::kComplexFloat: return "complex64";
    default: return "other";
    }
}

double float64Sum(const at::Tensor& t)
{
    const at::Tensor values = t.is_complex() ? at::view_as_real(t) : t;
    return values.to(at::kDouble).sum().item<double>();
}

QJsonArray shapeJson(at::IntArrayRef sizes)
{
    QJsonArray out;
    for (const int64_t s : sizes)
        out.append(static_cast<double>(s));
    return out;
}

QJsonArray shapeJson(const std::vector<int64_t>& sizes) { return shapeJson(at::IntArrayRef(sizes)); }

/** QJsonObject forgets the file's key order, so this compares as sets; order has its own test. */
void compareMetadata(const SafetensorsMetadata& actual, const QJsonObject& expected)
{
    QCOMPARE(actual.size(), static_cast<size_t>(expected.size()));
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        const auto found = std::find_if(actual.begin(), actual.end(),
                                        [&](const auto& entry) { return entry.first == it.key().toStdString(); });
        QVERIFY2(found != actual.end(), qPrintable(it.key()));
        const QString value = it->isString() ? it->toString() : QString::number(it->toDouble(), 'f', 0);
        QCOMPARE(QString::fromStdString(found->second), value);
    }
}

/** Compares tensors in order with make_safetensors_cases.py's description of them. */
void compareTensors(const std::vector<SafetensorsTensor>& actual, const QJsonArray& expected)
{
    QCOMPARE(static_cast<int>(actual.size()), expected.size());
    for (int i = 0; i < expected.size(); ++i) {
        const QJsonObject e = expected[i].toObject();
        const SafetensorsTensor& a = actual[static_cast<size_t>(i)];
        QCOMPARE(QString::fromStdString(a.name), e["name"].toString());
        QCOMPARE(QString::fromStdString(a.fileDtype), e["file_dtype"].toString());
        QCOMPARE(pythonDtype(a.tensor.scalar_type()), e["dtype"].toString());
        QCOMPARE(shapeJson(a.tensor.sizes()), e["shape"].toArray());
        QCOMPARE(shapeJson(a.fileShape), e["file_shape"].toArray());
        const double sum = e["sum"].toDouble();
        QVERIFY2(std::abs(float64Sum(a.tensor) - sum) <= 1e-9 * std::max(1.0, std::abs(sum)),
                 qPrintable(QString("%1: %2 vs %3").arg(e["name"].toString()).arg(float64Sum(a.tensor)).arg(sum)));
    }
}

uint64_t residentBytes()
{
    long pages = 0, resident = 0;
    FILE* f = std::fopen("/proc/self/statm", "r");
    if (f) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return static_cast<uint64_t>(resident) * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

/** Parses bytes as a whole file; true if accepted, false if refused with FileFormatError. */
bool parses(const QByteArray& bytes, std::string* message = nullptr)
{
    try {
        parseSafetensorsHeader(reinterpret_cast<const unsigned char*>(bytes.constData()),
                               static_cast<size_t>(bytes.size()), static_cast<uint64_t>(bytes.size()));
        return true;
    } catch (const FileFormatError& error) {
        if (message)
            *message = error.what();
        return false;
    }
}

std::string headerJson(const std::string& bytes)
{
    uint64_t n = 0;
    std::memcpy(&n, bytes.data(), 8);
    return bytes.substr(8, n);
}

}  // namespace

class SafetensorsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void validFiles_readAsTorchWroteThem_inHeaderOrder_data()
    {
        QTest::addColumn<QString>("file");
        const QJsonObject valid = readJson(kCases + "/expected.json")["valid"].toObject();
        QVERIFY(valid.size() >= 5);
        for (const QString& file : valid.keys())
            QTest::newRow(qPrintable(file)) << file;
    }
    void validFiles_readAsTorchWroteThem_inHeaderOrder()
    {
        QFETCH(QString, file);
        const QJsonObject expected = readJson(kCases + "/expected.json")["valid"].toObject()[file].toObject();
        const SafetensorsContent content = openSafetensors(local(kCases + "/" + file));
        compareMetadata(content.metadata, expected["metadata"].toObject());
        compareTensors(content.tensors, expected["tensors"].toArray());
    }

    void standIns_keepTheFileBits()
    {
        const SafetensorsContent content = openSafetensors(local(kCases + "/stand_ins.safetensors"));
        std::map<std::string, const SafetensorsTensor*> byName;
        for (const auto& t : content.tensors)
            byName[t.name] = &t;
        const SafetensorsTensor& fp8 = *byName.at("fp8_e4m3");
        QCOMPARE(fp8.standIn, SafetensorsStandIn::SameWidthBits);
        QCOMPARE(fp8.tensor.scalar_type(), at::kByte);
        QCOMPARE(fp8.tensor.flatten()[1].item<int64_t>(), 0xb8);
        const SafetensorsTensor& u16 = *byName.at("u16");
        QCOMPARE(u16.tensor.scalar_type(), at::kShort);
        QCOMPARE(u16.tensor[1].item<int64_t>(), -1);  // 65535's bits
        QCOMPARE(byName.at("packed_f4")->standIn, SafetensorsStandIn::RawBytes);
        QCOMPARE(byName.at("complex")->standIn, SafetensorsStandIn::None);
        QCOMPARE(byName.at("complex")->tensor.scalar_type(), at::kComplexFloat);
    }

    void projectFixtures_readAsTorchWroteThem()
    {
        const QJsonObject files = readJson(MX_FILE_FIXTURES_DIR "/expected.json")["files"].toObject();
        int checked = 0;
        for (const QString& file : files.keys()) {
            const QJsonObject expected = files[file].toObject();
            const QString kind = expected["kind"].toString();
            if (kind != "safetensors" && kind != "safetensors-index")
                continue;
            QVERIFY2(QFile::exists(kModels + "/" + file), qPrintable(file + " is missing"));
            const std::string path = local(kModels + "/" + file);
            const SafetensorsContent content = kind == "safetensors" ? openSafetensors(path)
                                                                     : openSafetensorsIndex(path);
            if (expected["metadata"].isObject())
                compareMetadata(content.metadata, expected["metadata"].toObject());
            else
                QVERIFY(content.metadata.empty());
            std::map<QString, const SafetensorsTensor*> byName;
            QStringList order;
            for (const auto& t : content.tensors) {
                byName[QString::fromStdString(t.name)] = &t;
                order << QString::fromStdString(t.name);
            }
            QStringList expectedOrder;  // header order = file order; index order = weight_map order
            for (const auto& e : expected[kind == "safetensors" ? "data_offsets" : "weight_map"].toArray())
                expectedOrder << e.toArray()[0].toString();
            QCOMPARE(order, expectedOrder);
            const QJsonArray stateDict = expected["state_dict"].toArray();
            QCOMPARE(static_cast<int>(byName.size()), stateDict.size());
            for (const auto& e : stateDict) {
                const QJsonArray entry = e.toArray();  // [name, shape, dtype, sum]
                const SafetensorsTensor* t = byName.at(entry[0].toString());
                QCOMPARE(shapeJson(t->tensor.sizes()), entry[1].toArray());
                QCOMPARE(pythonDtype(t->tensor.scalar_type()), entry[2].toString());
                const double sum = entry[3].toDouble();
                QVERIFY2(std::abs(float64Sum(t->tensor) - sum) <= 1e-6 * std::max(1.0, std::abs(sum)),
                         qPrintable(file + ": " + entry[0].toString()));
            }
            ++checked;
        }
        QVERIFY(checked >= 4);  // model_b, dtypes, the two squeezenet shards and their index
    }

    void openingSparse2GBFile_readsNothing()
    {
        QTemporaryDir dir;
        const std::string path = local(dir.filePath("big.safetensors"));
        const uint64_t dataBytes = uint64_t(1) << 31;
        std::vector<SafetensorsTensorInfo> infos(1);
        infos[0].name = "huge";
        infos[0].shape = {dataBytes / 4};
        placeSafetensorsTensors(infos);
        const std::string header = encodeSafetensorsHeader(infos, {});
        {
            const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            QVERIFY(fd >= 0);
            QCOMPARE(::write(fd, header.data(), header.size()), static_cast<ssize_t>(header.size()));
            QCOMPARE(::ftruncate(fd, static_cast<off_t>(header.size() + dataBytes)), 0);
            ::close(fd);
        }
        const uint64_t before = residentBytes();
        QElapsedTimer timer;
        timer.start();
        const SafetensorsContent content = openSafetensors(path);
        QCOMPARE(content.tensors.size(), size_t(1));
        QCOMPARE(content.tensors[0].tensor.numel(), int64_t(dataBytes / 4));
        QCOMPARE(content.tensors[0].tensor[int64_t(dataBytes / 8)].item<float>(), 0.0f);  // one page
        const uint64_t growth = residentBytes() - before;
        QVERIFY2(growth < 50u * 1024 * 1024, qPrintable(QString::number(growth)));
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    }

    void inPlaceEdits_neverReachTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("basic.safetensors");
        QVERIFY(QFile::copy(kCases + "/basic.safetensors", path));
        const QByteArray original = readBytes(path);
        {
            const SafetensorsContent content = openSafetensors(local(path));
            for (const auto& t : content.tensors) {
                if (t.tensor.numel() > 0)
                    t.tensor.fill_(7);
            }
            QCOMPARE(content.tensors[0].tensor.flatten()[0].item<double>(), 7.0);
        }
        QCOMPARE(readBytes(path), original);
        const SafetensorsContent again = openSafetensors(local(path));
        QVERIFY(again.tensors[0].tensor.flatten()[0].item<double>() != 7.0);
    }

    void index_opensBothShards_inWeightMapOrder()
    {
        const QJsonObject expected = readJson(kCases + "/expected.json")["index"].toObject()
                                         ["sharded/model.safetensors.index.json"].toObject();
        const SafetensorsContent content = openSafetensorsIndex(local(kCases + "/sharded/model.safetensors.index.json"));
        compareMetadata(content.metadata, expected["metadata"].toObject());
        QCOMPARE(content.metadata.at(0).first, std::string("total_size"));  // file order
        compareTensors(content.tensors, expected["tensors"].toArray());
    }

    void badIndexes_refusedNamingTheProblem_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        const QJsonObject bad = readJson(kCases + "/expected.json")["bad_index"].toObject();
        QVERIFY(bad.size() >= 8);
        for (const QString& file : bad.keys())
            QTest::newRow(qPrintable(file)) << file << bad[file].toString();
    }
    void badIndexes_refusedNamingTheProblem()
    {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        try {
            openSafetensorsIndex(local(kCases + "/sharded/" + file));
            QFAIL("accepted");
        } catch (const FileFormatError& error) {
            QVERIFY2(QString(error.what()).contains(expected), error.what());
            QVERIFY2(!QString(error.what()).contains('\n'), error.what());
        }
    }

    void badFiles_refusedWithOneLine_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        const QJsonObject bad = readJson(kCases + "/expected.json")["bad"].toObject();
        QVERIFY(bad.size() >= 30);
        for (const QString& file : bad.keys())
            QTest::newRow(qPrintable(file)) << file << bad[file].toString();
    }
    void badFiles_refusedWithOneLine()
    {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        const QString path = kCases + "/bad/" + file;
        try {
            openSafetensors(local(path));
            QFAIL("accepted");
        } catch (const FileFormatError& error) {
            QVERIFY2(QString(error.what()).contains(expected), error.what());
            QVERIFY2(QString(error.what()).contains(file), error.what());  // names the path
            QVERIFY2(!QString(error.what()).contains('\n'), error.what());
        }
        const QByteArray bytes = readBytes(path);
        QVERIFY(!looksLikeSafetensors(reinterpret_cast<const unsigned char*>(bytes.constData()),
                                      static_cast<size_t>(bytes.size()), static_cast<uint64_t>(bytes.size()))
                || !parses(bytes));
    }

    void everyTruncation_isRefused()
    {
        for (const char* name : {"basic.safetensors", "stand_ins.safetensors", "header_order.safetensors"}) {
            const QByteArray bytes = readBytes(kCases + "/" + name);
            QVERIFY(parses(bytes));
            for (int size = 0; size < bytes.size(); ++size)
                QVERIFY2(!parses(bytes.left(size)), qPrintable(QString("%1 cut at %2").arg(name).arg(size)));
        }
    }

    void seededBitFlips_refusedOrConsistent()
    {
        const QByteArray original = readBytes(kCases + "/basic.safetensors");
        uint64_t headerLength = 0;
        std::memcpy(&headerLength, original.constData(), 8);
        std::mt19937 random(20240607);
        std::uniform_int_distribution<int> byte(0, static_cast<int>(8 + headerLength) - 1);
        int refused = 0;
        for (int i = 0; i < 600; ++i) {
            QByteArray bytes = original;
            const int flips = 1 + i % 3;
            for (int f = 0; f < flips; ++f)
                bytes[byte(random)] ^= static_cast<char>(1 << (random() % 8));
            std::string message;
            if (!parses(bytes, &message)) {
                ++refused;
                QVERIFY(!message.empty() && message.find('\n') == std::string::npos);
                continue;
            }
            // Accepted (e.g. a changed letter in a name): then it must still be a sound file.
            const auto header = parseSafetensorsHeader(reinterpret_cast<const unsigned char*>(bytes.constData()),
                                                       static_cast<size_t>(bytes.size()), static_cast<uint64_t>(bytes.size()));
            uint64_t covered = 0;
            for (const auto& t : header.tensors)
                covered += t.end - t.begin;
            QCOMPARE(header.dataStart() + covered, static_cast<uint64_t>(bytes.size()));
        }
        QVERIFY2(refused > 300, qPrintable(QString::number(refused)));
    }

    void sniffers_recognizeContentNotNames()
    {
        auto sniff = [](const QString& path, bool index) {
            const QByteArray bytes = readBytes(path);
            const auto* data = reinterpret_cast<const unsigned char*>(bytes.constData());
            const auto n = static_cast<size_t>(bytes.size());
            return index ? looksLikeSafetensorsIndex(data, n, n) : looksLikeSafetensors(data, n, n);
        };
        QVERIFY(sniff(kCases + "/basic.safetensors", false));
        QVERIFY(sniff(kCases + "/no_tensors.safetensors", false));
        QVERIFY(!sniff(kCases + "/basic.safetensors", true));
        QVERIFY(sniff(kCases + "/sharded/model.safetensors.index.json", true));
        QVERIFY(!sniff(kCases + "/sharded/model.safetensors.index.json", false));
        QVERIFY(!sniff(kCases + "/bad/text.safetensors", false));
        QVERIFY(!sniff(kCases + "/bad/empty.safetensors", false));
        QVERIFY(!sniff(kCases + "/expected.json", true));
        if (QFile::exists(kModels + "/tied.state_dict.pt"))
            QVERIFY(!sniff(kModels + "/tied.state_dict.pt", false));
    }

    void jsonEscapes_decodeToUtf8()
    {
        const std::string json = R"({"a\u00e9\ud83d\ude00\n\/":{"dtype":"U8","shape":[],"data_offsets":[0,1]}})";
        std::string file(8, '\0');
        file[0] = static_cast<char>(json.size());
        file += json + "x";
        const auto header = parseSafetensorsHeader(reinterpret_cast<const unsigned char*>(file.data()),
                                                   file.size(), file.size());
        QCOMPARE(header.tensors.at(0).name, std::string("a\xc3\xa9\xf0\x9f\x98\x80\n/"));
        QVERIFY(header.tensors.at(0).shape.empty());
    }

    void writer_reproducesReferenceLayoutByteForByte_data()
    {
        QTest::addColumn<QString>("path");
        for (const char* name : {"basic", "stand_ins", "attn", "no_tensors"})
            QTest::newRow(name) << kCases + "/" + name + ".safetensors";
        // make_file_fixtures.py's files, written by hand to the same rules.
        for (const char* name : {"dtypes.safetensors", "squeezenet-00001-of-00002.safetensors",
                                 "squeezenet-00002-of-00002.safetensors"}) {
            QVERIFY2(QFile::exists(kModels + "/" + name), name);
            QTest::newRow(name) << kModels + "/" + name;
        }
    }
    void writer_reproducesReferenceLayoutByteForByte()
    {
        QFETCH(QString, path);
        const SafetensorsContent content = openSafetensors(local(path));
        const std::string written = serializeSafetensors(content.tensors, content.metadata);
        const QByteArray original = readBytes(path);
        QVERIFY2(written.size() == static_cast<size_t>(original.size()) &&
                     std::memcmp(written.data(), original.constData(), written.size()) == 0,
                 headerJson(written).c_str());
    }

    void writer_ordersByAlignmentThenName_andPadsTo8()
    {
        const at::Tensor f = at::arange(3, at::kFloat);
        // Names compare as bytes: "\xc3\xa9" (é) sorts after "b", as Rust's str ordering has it.
        const auto entries = safetensorsEntries({{"b", f}, {"\xc3\xa9", at::arange(1, at::kFloat)}, {"a", f.clone()},
                                                 {"z", at::arange(2, at::kLong)}, {"m", at::arange(5, at::kByte)},
                                                 {"A", at::arange(1, at::kHalf)}});
        const std::string bytes = serializeSafetensors(entries, {{"k", "v"}});
        const std::string json = headerJson(bytes);
        QCOMPARE(json.size() % 8, size_t(0));
        QCOMPARE(json, std::string(R"({"__metadata__":{"k":"v"},"z":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},)"
                                   R"("a":{"dtype":"F32","shape":[3],"data_offsets":[16,28]},)"
                                   R"("b":{"dtype":"F32","shape":[3],"data_offsets":[28,40]},)"
                                   "\"\xc3\xa9\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[40,44]},"
                                   R"("A":{"dtype":"F16","shape":[1],"data_offsets":[44,46]},)"
                                   R"("m":{"dtype":"U8","shape":[5],"data_offsets":[46,51]}}     )"));
    }

    void writer_roundTrip_isBitIdentical_andWritesContiguous()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("round.safetensors");
        const at::Tensor matrix = at::arange(12, at::kDouble).reshape({3, 4});
        const auto source = openSafetensors(local(kCases + "/header_order.safetensors"));
        auto entries = source.tensors;
        entries.push_back({"transposed", matrix.t(), "", {}, SafetensorsStandIn::None});
        entries.push_back({"every_other", at::arange(10, at::kInt).slice(0, 0, 10, 2), "", {}, SafetensorsStandIn::None});
        writeSafetensors(local(path), entries, {{"who", "test"}, {"a", "1"}});
        const auto back = openSafetensors(local(path));
        QCOMPARE(back.metadata, (SafetensorsMetadata{{"who", "test"}, {"a", "1"}}));
        QCOMPARE(back.tensors.size(), entries.size());
        for (const auto& e : entries) {
            const auto it = std::find_if(back.tensors.begin(), back.tensors.end(),
                                         [&](const SafetensorsTensor& t) { return t.name == e.name; });
            QVERIFY(it != back.tensors.end());
            QVERIFY(it->tensor.is_contiguous());
            QCOMPARE(it->tensor.sizes(), e.tensor.sizes());
            QCOMPARE(it->tensor.scalar_type(), e.tensor.scalar_type());
            QVERIFY2(it->tensor.equal(e.tensor), e.name.c_str());
        }
    }

    void writer_replacingAMappedFile_keepsReadersIntact()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("model.safetensors");
        writeSafetensors(local(path), safetensorsEntries({{"w", at::arange(4, at::kFloat)}}));
        const auto first = openSafetensors(local(path));
        writeSafetensors(local(path), safetensorsEntries({{"w", at::arange(10, 14, at::kFloat)}}));
        QCOMPARE(first.tensors[0].tensor[3].item<float>(), 3.0f);
        QCOMPARE(openSafetensors(local(path)).tensors[0].tensor[3].item<float>(), 13.0f);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"model.safetensors"});
    }

    void writer_refusesTensorsSharingMemory_namingThem()
    {
        const at::Tensor weight = at::arange(8, at::kFloat);
        try {
            serializeSafetensors(safetensorsEntries({{"decoder.weight", weight}, {"other", at::arange(2, at::kFloat)},
                                                     {"embed.weight", weight.view({2, 4})}}));
            QFAIL("aliases accepted");
        } catch (const std::invalid_argument& error) {
            QVERIFY2(QString(error.what()).contains(R"({"decoder.weight", "embed.weight"})"), error.what());
            QVERIFY(!QString(error.what()).contains("\"other\""));
        }
        QVERIFY_EXCEPTION_THROWN(serializeSafetensors(safetensorsEntries({{"a", weight}, {"b", weight.slice(0, 2, 5)}})),
                                 std::invalid_argument);
        // Disjoint parts of one storage hold no shared bytes: the reference writes them.
        const std::string bytes = serializeSafetensors(
            safetensorsEntries({{"low", weight.slice(0, 0, 4)}, {"high", weight.slice(0, 4, 8)}}));
        QVERIFY(parses(QByteArray(bytes.data(), static_cast<int>(bytes.size()))));
    }

    void writer_refusesWhatItCannotStore()
    {
        QVERIFY_EXCEPTION_THROWN(serializeSafetensors(safetensorsEntries({{"c", at::zeros({2}, at::kComplexDouble)}})),
                                 std::invalid_argument);
        QVERIFY_EXCEPTION_THROWN(serializeSafetensors(safetensorsEntries({{"x", at::Tensor()}})), std::invalid_argument);
        QVERIFY_EXCEPTION_THROWN(serializeSafetensors(safetensorsEntries({{"x", at::arange(2, at::kFloat)},
                                                                          {"x", at::arange(2, at::kFloat)}})),
                                 std::invalid_argument);
        QTemporaryDir dir;
        const QString path = dir.filePath("refused.safetensors");
        QVERIFY_EXCEPTION_THROWN(writeSafetensors(local(path), safetensorsEntries({{"x", at::Tensor()}})),
                                 std::invalid_argument);
        QVERIFY(QDir(dir.path()).entryList(QDir::Files).isEmpty());
    }
};

QTEST_GUILESS_MAIN(SafetensorsTest)
#include "tst_safetensors.moc"
