#include "core/files/safetensorsfile.h"

#include "core/files/fileerror.h"
#include "core/files/safetensorsheader.h"
#include "core/files/safetensorsjson.h"

#include <ATen/ops/empty.h>
#include <ATen/ops/from_blob.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <unordered_map>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mx::files {

namespace {

/** A whole file mapped copy-on-write; unmapped when the last tensor over it is gone. */
class FileMapping {
public:
    static std::shared_ptr<FileMapping> open(const std::string& path)
    {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            throw std::runtime_error("cannot open '" + path + "': " + std::strerror(errno));
        struct stat st;
        if (::fstat(fd, &st) != 0) {
            const int error = errno;
            ::close(fd);
            throw std::runtime_error("cannot open '" + path + "': " + std::strerror(error));
        }
        if (!S_ISREG(st.st_mode)) {
            ::close(fd);
            throw std::runtime_error("cannot open '" + path + "': not a regular file");
        }
        auto mapping = std::shared_ptr<FileMapping>(new FileMapping);
        mapping->size_ = static_cast<uint64_t>(st.st_size);
        if (mapping->size_ > 0) {
            // Private + writable: in-place tensor edits are copy-on-write and never reach the
            // file. NORESERVE: no commit charge for the whole file (a 100 GB checkpoint on a
            // 32 GB machine), pages are only charged once a tensor is modified.
            void* data = ::mmap(nullptr, mapping->size_, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_NORESERVE, fd, 0);
            if (data == MAP_FAILED) {
                const int error = errno;
                ::close(fd);
                throw std::runtime_error("cannot map '" + path + "': " + std::strerror(error));
            }
            mapping->data_ = static_cast<unsigned char*>(data);
        }
        ::close(fd);
        return mapping;
    }

    ~FileMapping()
    {
        if (data_)
            ::munmap(data_, size_);
    }
    FileMapping(const FileMapping&) = delete;
    FileMapping& operator=(const FileMapping&) = delete;

    unsigned char* data() const { return data_; }
    uint64_t size() const { return size_; }

private:
    FileMapping() = default;
    unsigned char* data_ = nullptr;
    uint64_t size_ = 0;
};

std::vector<int64_t> toSizes(const std::vector<uint64_t>& shape)
{
    // parseSafetensorsHeader() guarantees every dimension fits in int64.
    return std::vector<int64_t>(shape.begin(), shape.end());
}

SafetensorsTensor makeTensor(const SafetensorsTensorInfo& info,
                             const std::shared_ptr<FileMapping>& mapping, uint64_t dataStart)
{
    SafetensorsTensor entry;
    entry.name = info.name;
    entry.fileDtype = std::string(safetensorsDtypeName(info.dtype));
    entry.fileShape = toSizes(info.shape);
    const TorchDtypeChoice choice = torchDtypeFor(info.dtype);
    entry.standIn = choice.standIn;
    const uint64_t bytes = info.end - info.begin;
    const std::vector<int64_t> sizes = choice.standIn == SafetensorsStandIn::RawBytes
                                           ? std::vector<int64_t>{static_cast<int64_t>(bytes)}
                                           : entry.fileShape;
    const auto options = at::TensorOptions().dtype(choice.type);
    unsigned char* data = mapping->data() + dataStart + info.begin;
    const size_t elementSize = c10::elementSize(choice.type);
    if (bytes == 0) {
        entry.tensor = at::empty(sizes, options);
    } else if (reinterpret_cast<uintptr_t>(data) % elementSize != 0) {
        entry.tensor = at::empty(sizes, options);  // misaligned (never by the reference): copy
        std::memcpy(entry.tensor.data_ptr(), data, bytes);
    } else {
        entry.tensor = at::from_blob(data, sizes, [mapping](void*) {}, options);
    }
    return entry;
}

std::string readSmallFile(const std::string& path, uint64_t limit)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot open '" + path + "': " + std::strerror(errno));
    in.seekg(0, std::ios::end);
    const auto size = static_cast<uint64_t>(in.tellg());
    if (size > limit)
        throw FileFormatError("'" + path + "': " + std::to_string(size)
                              + " bytes, too large for a safetensors index");
    in.seekg(0);
    std::string text(size, '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(size)))
        throw std::runtime_error("cannot read '" + path + "'");
    return text;
}

std::string directoryOf(const std::string& path)
{
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

TorchDtypeChoice torchDtypeFor(SafetensorsDtype dtype)
{
    using D = SafetensorsDtype;
    using S = SafetensorsStandIn;
    switch (dtype) {
    case D::BOOL: return {at::kBool, S::None};
    case D::U8: return {at::kByte, S::None};
    case D::I8: return {at::kChar, S::None};
    case D::I16: return {at::kShort, S::None};
    case D::F16: return {at::kHalf, S::None};
    case D::BF16: return {at::kBFloat16, S::None};
    case D::I32: return {at::kInt, S::None};
    case D::F32: return {at::kFloat, S::None};
    case D::C64: return {at::kComplexFloat, S::None};
    case D::F64: return {at::kDouble, S::None};
    case D::I64: return {at::kLong, S::None};
    case D::U16: return {at::kShort, S::SameWidthBits};
    case D::U32: return {at::kInt, S::SameWidthBits};
    case D::U64: return {at::kLong, S::SameWidthBits};
    case D::F8_E5M2:
    case D::F8_E4M3:
    case D::F8_E8M0:
    case D::F8_E4M3FNUZ:
    case D::F8_E5M2FNUZ: return {at::kByte, S::SameWidthBits};
    case D::F4:
    case D::F6_E2M3:
    case D::F6_E3M2: return {at::kByte, S::RawBytes};
    }
    return {at::kByte, S::RawBytes};
}

std::optional<SafetensorsDtype> safetensorsDtypeFor(c10::ScalarType type)
{
    using D = SafetensorsDtype;
    switch (type) {
    case at::kBool: return D::BOOL;
    case at::kByte: return D::U8;
    case at::kChar: return D::I8;
    case at::kShort: return D::I16;
    case at::kHalf: return D::F16;
    case at::kBFloat16: return D::BF16;
    case at::kInt: return D::I32;
    case at::kFloat: return D::F32;
    case at::kComplexFloat: return D::C64;
    case at::kDouble: return D::F64;
    case at::kLong: return D::I64;
    default: return std::nullopt;
    }
}

SafetensorsContent openSafetensors(const std::string& path)
{
    const std::shared_ptr<FileMapping> mapping = FileMapping::open(path);
    SafetensorsHeader header;
    try {
        header = parseSafetensorsHeader(mapping->data(), mapping->size(), mapping->size());
    } catch (const FileFormatError& error) {
        throw FileFormatError("'" + path + "': " + error.what());
    }
    SafetensorsContent content;
    content.metadata = std::move(header.metadata);
    content.tensors.reserve(header.tensors.size());
    for (const SafetensorsTensorInfo& info : header.tensors)
        content.tensors.push_back(makeTensor(info, mapping, header.dataStart()));
    return content;
}

SafetensorsContent openSafetensorsIndex(const std::string& indexPath)
{
    SafetensorsIndex index;
    try {
        index = parseSafetensorsIndex(readSmallFile(indexPath, kSafetensorsMaxIndexLength));
    } catch (const FileFormatError& error) {
        throw FileFormatError("'" + indexPath + "': " + error.what());
    }
    const std::string directory = directoryOf(indexPath);
    auto fail = [&](const std::string& problem) {
        throw FileFormatError("'" + indexPath + "': " + problem);
    };

    // Each shard opened once, in order of first mention; name -> its tensor in that shard.
    std::unordered_map<std::string, std::unordered_map<std::string, SafetensorsTensor>> shards;
    std::unordered_map<std::string, const std::string*> shardOf;  // tensor name -> listed shard
    for (const auto& [name, shard] : index.weightMap) {
        shardOf.emplace(name, &shard);
        if (shards.count(shard))
            continue;
        const std::string shardPath = directory + "/" + shard;
        struct stat st;
        if (::stat(shardPath.c_str(), &st) != 0)
            fail("shard " + quotedForMessage(shard) + " (listed for tensor " + quotedForMessage(name)
                 + ") cannot be opened: " + std::strerror(errno));
        SafetensorsContent shardContent = openSafetensors(shardPath);
        auto& byName = shards[shard];
        for (SafetensorsTensor& tensor : shardContent.tensors) {
            const std::string tensorName = tensor.name;
            byName.emplace(tensorName, std::move(tensor));
        }
    }
    for (const auto& [shard, byName] : shards) {
        for (const auto& [name, tensor] : byName) {
            const auto listed = shardOf.find(name);
            if (listed == shardOf.end())
                fail("shard " + quotedForMessage(shard) + " holds tensor " + quotedForMessage(name)
                     + ", which weight_map does not list");
            if (*listed->second != shard)
                fail("shard " + quotedForMessage(shard) + " holds tensor " + quotedForMessage(name)
                     + ", which weight_map lists for shard " + quotedForMessage(*listed->second));
        }
    }

    SafetensorsContent content;
    content.metadata = std::move(index.metadata);
    content.tensors.reserve(index.weightMap.size());
    for (const auto& [name, shard] : index.weightMap) {
        auto& byName = shards.at(shard);
        const auto found = byName.find(name);
        if (found == byName.end())
            fail("tensor " + quotedForMessage(name) + " is listed for shard " + quotedForMessage(shard)
                 + ", which does not hold it");
        content.tensors.push_back(std::move(found->second));
    }
    return content;
}

}  // namespace mx::files
