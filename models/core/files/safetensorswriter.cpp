#include "core/files/safetensorsfile.h"

#include "core/files/safetensorsheader.h"
#include "core/files/safetensorsjson.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <map>
#include <stdexcept>
#include <tuple>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mx::files {

namespace {

[[noreturn]] void refuse(const std::string& problem)
{
    throw std::invalid_argument("cannot write safetensors: " + problem);
}

/** The header entries in file order, each with the tensor whose bytes it describes. */
struct WritePlan {
    std::string header;  // length prefix + padded JSON
    std::vector<std::pair<SafetensorsTensorInfo, const at::Tensor*>> tensors;
};

SafetensorsTensorInfo headerEntryFor(const SafetensorsTensor& entry)
{
    const std::string subject = "tensor " + quotedForMessage(entry.name);
    const at::Tensor& tensor = entry.tensor;
    if (!tensor.defined())
        refuse(subject + " is None");
    if (tensor.layout() != at::kStrided)
        refuse(subject + " is sparse; make it dense first (to_dense())");
    if (tensor.is_meta())
        refuse(subject + " is on the meta device and has no data");
    SafetensorsTensorInfo info;
    info.name = entry.name;
    const auto sizes = tensor.sizes();
    info.shape.assign(sizes.begin(), sizes.end());
    if (entry.standIn == SafetensorsStandIn::None) {
        const auto dtype = safetensorsDtypeFor(tensor.scalar_type());
        if (!dtype)
            refuse(subject + " has dtype " + std::string(c10::toString(tensor.scalar_type()))
                   + ", which safetensors cannot store");
        if (!entry.fileDtype.empty() && entry.fileDtype != safetensorsDtypeName(*dtype))
            refuse(subject + " is " + std::string(c10::toString(tensor.scalar_type()))
                   + ", not the stated file dtype " + quotedForMessage(entry.fileDtype));
        info.dtype = *dtype;
        return info;
    }
    const auto dtype = safetensorsDtypeFromName(entry.fileDtype);
    if (!dtype)
        refuse(subject + " has unknown file dtype " + quotedForMessage(entry.fileDtype));
    const TorchDtypeChoice choice = torchDtypeFor(*dtype);
    if (choice.standIn != entry.standIn || choice.type != tensor.scalar_type())
        refuse(subject + ": file dtype " + entry.fileDtype + " is held as "
               + c10::toString(choice.type) + ", not as " + c10::toString(tensor.scalar_type()));
    info.dtype = *dtype;
    if (entry.standIn == SafetensorsStandIn::RawBytes) {
        info.shape.clear();
        for (const int64_t dim : entry.fileShape) {
            if (dim < 0)
                refuse(subject + " has a negative file shape dimension");
            info.shape.push_back(static_cast<uint64_t>(dim));
        }
    }
    return info;
}

/** Bytes spanned by a strided tensor: from its first element to just past its last. */
uintptr_t extentBytes(const at::Tensor& tensor)
{
    uint64_t lastOffset = 0;
    for (int64_t d = 0; d < tensor.dim(); ++d)
        lastOffset += static_cast<uint64_t>(tensor.size(d) - 1) * static_cast<uint64_t>(tensor.stride(d));
    return (lastOffset + 1) * tensor.element_size();
}

/**
 * Refuses tensors whose bytes overlap in one storage, grouped as the reference's torch
 * save_file groups them (same device and storage, overlapping [first, last] byte ranges).
 * Views of disjoint parts of one storage may be written; empty tensors hold no bytes.
 */
void refuseSharedMemory(const std::vector<SafetensorsTensor>& tensors)
{
    struct Area {
        uintptr_t start;
        uintptr_t stop;
        const std::string* name;
    };
    using StorageKey = std::tuple<int, int, uintptr_t, size_t>;
    std::map<StorageKey, std::vector<Area>> byStorage;
    for (const SafetensorsTensor& entry : tensors) {
        const at::Tensor& tensor = entry.tensor;
        if (tensor.numel() == 0 || !tensor.has_storage() || tensor.storage().data() == nullptr)
            continue;
        const auto start = reinterpret_cast<uintptr_t>(tensor.data_ptr());
        const StorageKey key{static_cast<int>(tensor.device().type()), tensor.device().index(),
                             reinterpret_cast<uintptr_t>(tensor.storage().data()),
                             tensor.storage().nbytes()};
        byStorage[key].push_back({start, start + extentBytes(tensor), &entry.name});
    }
    std::vector<std::vector<std::string>> shared;
    for (auto& [key, areas] : byStorage) {
        std::sort(areas.begin(), areas.end(), [](const Area& a, const Area& b) {
            return std::tie(a.start, a.stop, *a.name) < std::tie(b.start, b.stop, *b.name);
        });
        std::vector<std::string> group;
        uintptr_t stop = 0;
        for (const Area& area : areas) {
            if (!group.empty() && area.start >= stop) {
                if (group.size() > 1)
                    shared.push_back(group);
                group.clear();
            }
            group.push_back(*area.name);
            stop = std::max(stop, area.stop);
        }
        if (group.size() > 1)
            shared.push_back(group);
    }
    if (shared.empty())
        return;
    std::string list;
    for (auto& group : shared) {
        std::sort(group.begin(), group.end());
        list += list.empty() ? "{" : "; {";
        for (size_t i = 0; i < group.size(); ++i)
            list += (i ? ", " : "") + quotedForMessage(group[i]);
        list += "}";
    }
    refuse("some tensors share memory and would load back as separate copies: " + list
           + ". Keep one name per shared tensor, or clone() the others");
}

WritePlan planWrite(const std::vector<SafetensorsTensor>& tensors,
                    const SafetensorsMetadata& metadata)
{
    std::vector<SafetensorsTensorInfo> infos;
    infos.reserve(tensors.size());
    for (const SafetensorsTensor& entry : tensors)
        infos.push_back(headerEntryFor(entry));
    refuseSharedMemory(tensors);
    std::map<std::string, const SafetensorsTensor*> byName;
    for (const SafetensorsTensor& entry : tensors)
        byName.emplace(entry.name, &entry);
    placeSafetensorsTensors(infos);  // also refuses duplicate names

    WritePlan plan;
    plan.header = encodeSafetensorsHeader(infos, metadata);
    for (SafetensorsTensorInfo& info : infos) {
        const at::Tensor& tensor = byName.at(info.name)->tensor;
        const uint64_t bytes = static_cast<uint64_t>(tensor.numel()) * tensor.element_size();
        if (bytes != info.end - info.begin)
            refuse("tensor " + quotedForMessage(info.name) + " holds " + std::to_string(bytes)
                   + " bytes, but its file dtype and shape need " + std::to_string(info.end - info.begin));
        plan.tensors.emplace_back(std::move(info), &tensor);
    }
    return plan;
}

/** Hands the header, then each tensor's bytes (C-contiguous, on the CPU), to `sink`. */
void emit(const WritePlan& plan, const std::function<void(const void*, size_t)>& sink)
{
    sink(plan.header.data(), plan.header.size());
    for (const auto& [info, source] : plan.tensors) {
        if (info.end == info.begin)
            continue;
        const at::Tensor bytes = source->to(at::kCPU).resolve_conj().resolve_neg().contiguous();
        sink(bytes.data_ptr(), static_cast<size_t>(info.end - info.begin));
    }
}

/** A new file beside `path`, removed unless committed by renaming it over `path`. */
class TemporaryFile {
public:
    explicit TemporaryFile(const std::string& path) : target_(path)
    {
        static std::atomic<unsigned> counter{0};
        for (int attempt = 0; attempt < 100 && fd_ < 0; ++attempt) {
            name_ = path + ".tmp" + std::to_string(::getpid()) + "." + std::to_string(counter++);
            fd_ = ::open(name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            if (fd_ < 0 && errno != EEXIST)
                fail();
        }
        if (fd_ < 0)
            fail();
    }
    ~TemporaryFile()
    {
        if (fd_ >= 0)
            ::close(fd_);
        if (!committed_)
            ::unlink(name_.c_str());
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;

    void write(const void* data, size_t size)
    {
        const char* bytes = static_cast<const char*>(data);
        while (size > 0) {
            const ssize_t n = ::write(fd_, bytes, std::min<size_t>(size, 1 << 30));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                fail();
            bytes += n;
            size -= static_cast<size_t>(n);
        }
    }
    void commit()
    {
        if (::fsync(fd_) != 0)
            fail();
        const int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0 || ::rename(name_.c_str(), target_.c_str()) != 0)
            fail();
        committed_ = true;
    }

private:
    [[noreturn]] void fail() const
    {
        const int error = errno ? errno : EIO;
        throw std::runtime_error("cannot write '" + target_ + "': " + std::strerror(error));
    }

    std::string target_;
    std::string name_;
    int fd_ = -1;
    bool committed_ = false;
};

}  // namespace

std::string serializeSafetensors(const std::vector<SafetensorsTensor>& tensors,
                                 const SafetensorsMetadata& metadata)
{
    const WritePlan plan = planWrite(tensors, metadata);
    std::string out;
    emit(plan, [&](const void* data, size_t size) { out.append(static_cast<const char*>(data), size); });
    return out;
}

void writeSafetensors(const std::string& path, const std::vector<SafetensorsTensor>& tensors,
                      const SafetensorsMetadata& metadata)
{
    const WritePlan plan = planWrite(tensors, metadata);  // refusals leave no file behind
    TemporaryFile file(path);
    emit(plan, [&](const void* data, size_t size) { file.write(data, size); });
    file.commit();
}

std::vector<SafetensorsTensor> safetensorsEntries(
    const std::vector<std::pair<std::string, at::Tensor>>& namedTensors)
{
    std::vector<SafetensorsTensor> entries;
    entries.reserve(namedTensors.size());
    for (const auto& [name, tensor] : namedTensors) {
        SafetensorsTensor entry;
        entry.name = name;
        entry.tensor = tensor;
        entries.push_back(std::move(entry));
    }
    return entries;
}

}  // namespace mx::files
