// Reading torch.save files: the zip through LibTorch's PyTorchStreamReader, data.pkl through
// the torch-free pickle reader, then one buffer per storage and a view per tensor.
#include "core/files/torchsave.h"

#include "core/files/fileerror.h"
#include "core/files/torchsavetorch.h"
#include "core/files/zipdirectory.h"

#include <ATen/ops/empty.h>
#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/read_adapter_interface.h>
#include <c10/core/Storage.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <zlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <unordered_map>

namespace mx::files {

namespace {

/** Reads a file (pread) or bytes in memory, never past their end; for the zip directory check
 *  and for PyTorchStreamReader. */
class BoundedInput final : public caffe2::serialize::ReadAdapterInterface {
public:
    static std::shared_ptr<BoundedInput> openFile(const std::string& path)
    {
        auto input = std::shared_ptr<BoundedInput>(new BoundedInput);
        input->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        struct stat info {};
        if (input->fd_ < 0 || ::fstat(input->fd_, &info) != 0)
            throw FileFormatError("cannot open '" + path + "': " + std::strerror(errno));
        if (!S_ISREG(info.st_mode))
            throw FileFormatError("cannot open '" + path + "': not a regular file");
        input->size_ = static_cast<uint64_t>(info.st_size);
        return input;
    }
    static std::shared_ptr<BoundedInput> overBytes(std::string_view bytes)
    {
        auto input = std::shared_ptr<BoundedInput>(new BoundedInput);
        input->bytes_ = bytes;
        input->size_ = bytes.size();
        return input;
    }
    ~BoundedInput() override
    {
        if (fd_ >= 0)
            ::close(fd_);
    }

    size_t size() const override { return static_cast<size_t>(size_); }
    size_t read(uint64_t pos, void* buf, size_t n, const char* what = "") const override
    {
        if (pos >= size_)
            return 0;
        n = static_cast<size_t>(std::min<uint64_t>(n, size_ - pos));
        if (fd_ < 0) {
            std::memcpy(buf, bytes_.data() + pos, n);
            return n;
        }
        size_t done = 0;
        while (done < n) {
            const ssize_t got = ::pread(fd_, static_cast<char*>(buf) + done, n - done,
                                        static_cast<off_t>(pos + done));
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0)
                break;
            done += static_cast<size_t>(got);
        }
        return done;
    }
    bool readAll(uint64_t pos, void* buf, size_t n) const { return read(pos, buf, n) == n; }

    /** The whole file mapped copy-on-write, its pages populated in one call (a file only;
     *  nullptr otherwise or when mmap fails). Tensors viewing it keep it mapped. */
    std::shared_ptr<void> mapWhole() const
    {
        if (fd_ < 0 || size_ == 0)
            return nullptr;
        void* at = ::mmap(nullptr, static_cast<size_t>(size_), PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_POPULATE, fd_, 0);
        if (at == MAP_FAILED)
            return nullptr;
        const size_t length = static_cast<size_t>(size_);
        return std::shared_ptr<void>(at, [length](void* p) { ::munmap(p, length); });
    }

private:
    BoundedInput() = default;
    int fd_ = -1;
    std::string_view bytes_;
    uint64_t size_ = 0;
};

std::string byteSizeText(uint64_t bytes)
{
    const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 6) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    if (unit == 0)
        std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
    else
        std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    return text;
}

/** What a file that is not a zip archive is, for the one-line message. */
std::string notAZip(const unsigned char* head, size_t n)
{
    // torch.save's legacy format starts with the pickled magic number 0x1950a86a20f9469cfc6c:
    // PROTO, then LONG1 of 10 bytes.
    static const unsigned char magic[] = {0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};
    for (size_t at = 0; n >= sizeof magic && at <= n - sizeof magic && at < 16; ++at)
        if (std::memcmp(head + at, magic, sizeof magic) == 0)
            return "this is PyTorch's legacy (pre-1.6) torch.save format, which Module Explorer cannot read; "
                   "re-save it with torch.save in PyTorch >= 1.6";
    if (n >= 2 && head[0] == 0x80 && head[1] <= 5)
        return "a bare pickle, not a torch.save file (which is a zip archive)";
    return "not a torch.save file: it does not start with a zip header";
}

void checkBudget(uint64_t needed, uint64_t budget, const std::string& what)
{
    if (needed > budget)
        throw FileFormatError("reading " + what + " would take " + byteSizeText(needed) + ", more than the " +
                              byteSizeText(budget) + " Module Explorer may use for it");
}

/** PyTorchStreamReader's constructor reads the version record and leaks its zip state when it
 *  throws (LibTorch 1.13), so the record is checked here first: present, and when stored, a
 *  version number LibTorch reads. */
void checkVersionRecord(const BoundedInput& input, const std::string& folder, const ZipEntry* version)
{
    if (!version)
        throw FileFormatError("a zip archive without " + folder + "/version, so not a complete torch.save file");
    if (version->method != 0)
        return;  // compressed: left to LibTorch
    unsigned char header[30];
    std::string text(static_cast<size_t>(version->size), '\0');
    const bool readable =
        input.readAll(version->localHeaderOffset, header, sizeof header) && std::memcmp(header, "PK\x03\x04", 4) == 0 &&
        input.readAll(version->localHeaderOffset + 30 + (header[26] | header[27] << 8) + (header[28] | header[29] << 8),
                      text.data(), text.size());
    if (!readable)
        throw FileFormatError(version->name + ": its local header or bytes are damaged");
    const size_t digits = std::min(text.find_first_not_of("0123456789"), text.size());
    bool plain = digits > 0 && digits <= 8 && (digits == text.size() || text.substr(digits) == "\n");
    if (plain) {
        const uint64_t number = std::stoull(text.substr(0, digits));
        plain = number >= caffe2::serialize::kMinSupportedFileFormatVersion &&
                number <= caffe2::serialize::kMaxSupportedFileFormatVersion;
    }
    if (!plain)
        throw FileFormatError(version->name + " says '" + firstLine(text.substr(0, 16).c_str()) +
                              "'; this LibTorch reads archive versions " +
                              std::to_string(caffe2::serialize::kMinSupportedFileFormatVersion) + " to " +
                              std::to_string(caffe2::serialize::kMaxSupportedFileFormatVersion));
}

/** The bytes of one zip member, read by PyTorchStreamReader into a buffer of LibTorch's CPU
 *  allocator (counted by the app's accounting), after checking its size. */
at::DataPtr readMember(caffe2::serialize::PyTorchStreamReader& reader, const std::string& folder,
                       const std::string& name, uint64_t expectedSize)
{
    const std::string context = folder + "/" + name;
    return torchCall(context, [&] {
        auto [data, size] = reader.getRecord(name);
        if (size != expectedSize)
            throw FileFormatError(context + ": the archive gives " + std::to_string(size) +
                                  " bytes where its directory said " + std::to_string(expectedSize));
        return std::move(data);
    });
}

/** A stored (uncompressed) member as a view of the mapped file, after checking its CRC-32. */
at::DataPtr mappedMember(caffe2::serialize::PyTorchStreamReader& reader, const std::shared_ptr<void>& mapped,
                         uint64_t fileSize, const std::string& folder, const ZipEntry& entry)
{
    const std::string name = entry.name.substr(folder.size() + 1);
    const uint64_t offset = torchCall(entry.name, [&] { return uint64_t(reader.getRecordOffset(name)); });
    if (offset > fileSize || entry.size > fileSize - offset)
        throw FileFormatError(entry.name + ": its " + std::to_string(entry.size) + " bytes at offset " +
                              std::to_string(offset) + " pass the end of the file");
    unsigned char* bytes = static_cast<unsigned char*>(mapped.get()) + offset;
    uLong crc = ::crc32(0L, Z_NULL, 0);
    for (uint64_t at = 0; at < entry.size;) {  // zlib takes 32-bit lengths
        const uInt n = static_cast<uInt>(std::min<uint64_t>(entry.size - at, 1u << 30));
        crc = ::crc32(crc, bytes + at, n);
        at += n;
    }
    if (static_cast<uint32_t>(crc) != entry.crc32)
        throw FileFormatError(entry.name + ": its bytes do not match the archive's CRC-32 (the file is "
                              "damaged)");
    auto* keep = new std::shared_ptr<void>(mapped);
    return at::DataPtr(bytes, keep, [](void* ctx) { delete static_cast<std::shared_ptr<void>*>(ctx); },
                       c10::Device(c10::kCPU));
}

TorchSaveFile readTorchSave(const std::shared_ptr<BoundedInput>& input, const TorchSaveReadOptions& options)
{
    const uint64_t fileSize = input->size();
    if (fileSize == 0)
        throw FileFormatError("the file is empty");
    unsigned char head[32] = {};
    const size_t headSize = input->read(0, head, sizeof head);
    const bool zip = headSize >= 4 && head[0] == 'P' && head[1] == 'K' &&
                     ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    if (!zip)
        throw FileFormatError(notAZip(head, headSize));

    // The directory, checked before LibTorch allocates anything by it.
    const std::vector<ZipEntry> entries =
        readZipDirectory([&](uint64_t at, void* buf, size_t n) { return input->readAll(at, buf, n); }, fileSize);
    const std::string folder = zipTopFolder(entries);
    if (folder.empty())
        throw FileFormatError("a zip archive whose members are not in one folder, so not a torch.save file");
    std::unordered_map<std::string, const ZipEntry*> members;
    bool torchScript = false;
    for (const ZipEntry& entry : entries) {
        members.emplace(entry.name, &entry);
        torchScript = torchScript || entry.name.rfind(folder + "/code/", 0) == 0 || entry.name == folder + "/constants.pkl";
    }
    auto member = [&](const std::string& name) -> const ZipEntry* {
        const auto it = members.find(folder + "/" + name);
        return it == members.end() ? nullptr : it->second;
    };
    if (torchScript && !options.torchScriptArchive)
        throw FileFormatError("this is a TorchScript archive (torch.jit.save), not a torch.save file; open it as "
                              "TorchScript");
    if (!torchScript && options.torchScriptArchive)
        throw FileFormatError("a zip archive without " + folder + "/code/, so not a TorchScript archive");
    const ZipEntry* pickleEntry = member("data.pkl");
    if (!pickleEntry)
        throw FileFormatError("a zip archive without " + folder + "/data.pkl, so not a torch.save file");
    for (const char* small : {"version", ".data/version", "byteorder"})
        if (const ZipEntry* entry = member(small); entry && entry->size > 64)
            throw FileFormatError(folder + "/" + small + ": a record of " + std::to_string(entry->size) +
                                  " bytes where a few are expected");
    checkVersionRecord(*input, folder, member("version") ? member("version") : member(".data/version"));
    checkBudget(pickleEntry->size, options.byteBudget, folder + "/data.pkl");

    TorchSaveFile file;
    file.archiveName = folder;
    auto reader = torchCall("not a readable torch.save archive", [&] {
        return std::make_unique<caffe2::serialize::PyTorchStreamReader>(input);
    });
    file.formatVersion = static_cast<int64_t>(reader->version());
    if (const ZipEntry* order = member("byteorder")) {
        const at::DataPtr text = readMember(*reader, folder, "byteorder", order->size);
        const std::string value(static_cast<const char*>(text.get()), order->size);
        if (value != "little")
            throw FileFormatError(folder + "/byteorder: the file's tensors are stored as '" + firstLine(value.c_str()) +
                                  "' endian; Module Explorer reads only little-endian files");
    }

    {
        const at::DataPtr pickleBytes = readMember(*reader, folder, "data.pkl", pickleEntry->size);
        PickleLimits limits = options.pickleLimits;
        limits.scriptObjects = options.torchScriptArchive;
        try {
            file.pickle = parsePickle(
                std::string_view(static_cast<const char*>(pickleBytes.get()), pickleEntry->size), limits);
        } catch (const FileFormatError& e) {
            throw FileFormatError(folder + "/data.pkl: " + e.what());
        }
    }

    if (options.torchScriptArchive) {  // class definitions and the app's extra file, as text
        uint64_t textBytes = 0;
        for (const ZipEntry& entry : entries) {
            const std::string name = entry.name.substr(std::min(entry.name.size(), folder.size() + 1));
            const bool code = name.rfind("code/", 0) == 0 && name.size() > 3 &&
                              name.compare(name.size() - 3, 3, ".py") == 0;
            if (!code && name.rfind("extra/", 0) != 0)
                continue;
            textBytes = entry.size > UINT64_MAX - textBytes ? UINT64_MAX : textBytes + entry.size;
            checkBudget(textBytes, options.byteBudget, folder + "/code");
            const at::DataPtr text = readMember(*reader, folder, name, entry.size);
            file.texts.emplace_back(name, std::string(static_cast<const char*>(text.get()), entry.size));
        }
    }

    // Storages that tensors use: all present, the sizes their pickle declares, within budget.
    const std::vector<PickleStorage>& storages = file.pickle.storages();
    std::vector<bool> used(storages.size(), false);
    for (const PickleTensor& tensor : file.pickle.tensors())
        used[tensor.storage] = true;
    uint64_t total = 0;
    for (size_t i = 0; i < storages.size(); ++i) {
        if (!used[i])
            continue;
        const PickleStorage& storage = storages[i];
        const ZipEntry* entry = member("data/" + storage.key);
        if (!entry)
            throw FileFormatError(folder + "/data/" + storage.key + " is missing (data.pkl refers to storage '" +
                                  storage.key + "')");
        // torch.save writes the storage's bytes and numel = bytes // element size, so a record
        // may be longer than numel elements (never shorter).
        const uint64_t bytes = static_cast<uint64_t>(storage.numel) * storageDtypeSize(storage.dtype);
        if (entry->size < bytes)
            throw FileFormatError(folder + "/data/" + storage.key + " holds " + std::to_string(entry->size) +
                                  " bytes, but data.pkl declares storage '" + storage.key + "' as " +
                                  std::to_string(storage.numel) + " " + std::string(storageDtypeName(storage.dtype)) +
                                  " elements (" + std::to_string(bytes) + " bytes)");
        total = entry->size > UINT64_MAX - total ? UINT64_MAX : total + entry->size;  // members may overlap
    }
    checkBudget(total > UINT64_MAX - pickleEntry->size ? UINT64_MAX : total + pickleEntry->size, options.byteBudget,
                "the file's tensors");

    const auto reportProgress = [&](uint64_t done) {
        if (options.progress && !options.progress(static_cast<int64_t>(done), static_cast<int64_t>(total)))
            throw OperationCancelled();
    };
    reportProgress(0);
    std::vector<c10::Storage> buffers(storages.size());
    uint64_t done = 0;
    // A TorchScript archive's records are views of the mapped file (checked against their CRC-32,
    // as the zip reader checks what it copies): no copy, no page faults one page at a time.
    const std::shared_ptr<void> mapped = options.torchScriptArchive ? input->mapWhole() : nullptr;
    for (size_t i = 0; i < storages.size(); ++i) {
        if (!used[i])
            continue;
        const PickleStorage& storage = storages[i];
        const ZipEntry& record = *member("data/" + storage.key);
        const uint64_t recordBytes = record.size;
        const uint64_t bytes = static_cast<uint64_t>(storage.numel) * storageDtypeSize(storage.dtype);
        at::DataPtr data = mapped && record.method == 0 && record.compressedSize == record.size
                               ? mappedMember(*reader, mapped, fileSize, folder, record)
                               : readMember(*reader, folder, "data/" + storage.key, recordBytes);
        buffers[i] = c10::Storage(c10::Storage::use_byte_size_t(), static_cast<size_t>(bytes), std::move(data),
                                  /*allocator=*/nullptr, /*resizable=*/false);
        done += recordBytes;
        reportProgress(done);
    }

    // Tensors: views of their storage (bounds were checked against numel by the pickle reader;
    // set_ checks them again against the buffer).
    file.tensors.reserve(file.pickle.tensors().size());
    for (const PickleTensor& descriptor : file.pickle.tensors()) {
        const PickleStorage& storage = storages[descriptor.storage];
        LoadedTensor loaded;
        loaded.isParameter = descriptor.isParameter;
        loaded.requiresGrad = descriptor.requiresGrad;
        loaded.tensor = torchCall(folder + "/data/" + storage.key, [&] {
            at::Tensor view = at::empty({0}, at::TensorOptions().dtype(scalarTypeOf(storage.dtype)));
            view.set_(buffers[descriptor.storage], descriptor.storageOffset, descriptor.sizes, descriptor.strides);
            return view;
        });
        file.tensors.push_back(std::move(loaded));
    }
    return file;
}

}  // namespace

TorchSaveFile readTorchSaveFile(const std::string& path, const TorchSaveReadOptions& options)
{
    try {
        return readTorchSave(BoundedInput::openFile(path), options);
    } catch (const FileFormatError& e) {
        throw FileFormatError(oneLine(e.what()));  // names from the file may hold newlines
    }
}

TorchSaveFile readTorchSaveBytes(std::string_view bytes, const TorchSaveReadOptions& options)
{
    try {
        return readTorchSave(BoundedInput::overBytes(bytes), options);
    } catch (const FileFormatError& e) {
        throw FileFormatError(oneLine(e.what()));
    }
}

std::optional<StateDict> stateDictOf(const TorchSaveFile& file, PickleValue value)
{
    if (!value.is(PickleKind::Dict))
        return std::nullopt;
    const PickleDocument& doc = file.pickle;
    const PickleDict& dict = doc.dict(value);
    StateDict result;
    result.ordered = dict.ordered;
    for (const auto& [key, tensor] : dict.entries) {
        if (!key.is(PickleKind::Str) || !tensor.is(PickleKind::Tensor))
            return std::nullopt;
        result.entries.emplace_back(std::string(doc.text(key)), file.tensor(tensor));
    }
    if (const std::optional<PickleValue> metadata = doc.attribute(value, "_metadata");
        metadata && metadata->is(PickleKind::Dict)) {
        result.metadata.emplace();
        for (const auto& [prefix, info] : doc.dict(*metadata).entries) {
            if (!prefix.is(PickleKind::Str) || !info.is(PickleKind::Dict))
                continue;
            const std::optional<PickleValue> version = doc.get(info, "version");
            if (version && version->is(PickleKind::Int))
                result.metadata->push_back({std::string(doc.text(prefix)), version->asInt()});
        }
    }
    return result;
}

}  // namespace mx::files
