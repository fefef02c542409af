// Writing state_dicts as torch.save does: data.pkl from torchsavepickle.cpp, then each storage
// once, through LibTorch's PyTorchStreamWriter (which aligns records and writes `version`).
#include "core/files/torchsave.h"

#include "core/files/fileerror.h"
#include "core/files/torchsavetorch.h"

#include <ATen/ops/empty.h>
#include <caffe2/serialize/inline_container.h>
#include <c10/core/Storage.h>

#include <algorithm>
#include <exception>
#include <unordered_map>

namespace mx::files {

namespace {

/** The storages of a state_dict to write, each once, with the pickle entries viewing them. */
struct PlannedStateDict {
    std::vector<StateDictPickleEntry> entries;
    std::vector<PickleStorage> storages;
    std::vector<c10::Storage> buffers;  // parallel to storages
};

std::string locationTag(const c10::Device& device)
{
    // torch.serialization.location_tag: 'cpu', 'cuda:0', ...
    if (device.is_cpu())
        return "cpu";
    std::string tag = c10::DeviceTypeName(device.type(), /*lower_case=*/true);
    return tag + ":" + std::to_string(device.has_index() ? device.index() : 0);
}

PlannedStateDict plan(const std::vector<StateDictEntry>& entries)
{
    PlannedStateDict planned;
    std::unordered_map<const c10::StorageImpl*, uint32_t> storageIndex;
    std::vector<std::string> firstKey;  // per storage, for messages
    for (const StateDictEntry& entry : entries) {
        const at::Tensor& t = entry.tensor;
        const std::string context = "cannot write state_dict entry '" + entry.key + "'";
        if (!t.defined())
            throw FileFormatError(context + ": it holds no tensor");
        if (t.layout() != c10::kStrided || t.is_quantized() || !t.has_storage())
            throw FileFormatError(context + ": only dense (strided) tensors are written");
        if (t.is_conj() || t.is_neg())
            throw FileFormatError(context + ": it has a lazy conjugate or negation; resolve it first");
        const std::optional<StorageDtype> dtype = storageDtypeOf(t.scalar_type());
        if (!dtype)
            throw FileFormatError(context + ": torch.save has no storage class for dtype " +
                                  std::string(c10::toString(t.scalar_type())));
        const c10::Storage& storage = t.storage();
        const auto [it, added] =
            storageIndex.try_emplace(storage.unsafeGetStorageImpl(), static_cast<uint32_t>(planned.storages.size()));
        if (added) {
            PickleStorage described;
            described.key = std::to_string(planned.storages.size());
            described.dtype = *dtype;
            described.location = locationTag(storage.device());
            described.numel = static_cast<int64_t>(storage.nbytes() / storageDtypeSize(*dtype));
            planned.storages.push_back(std::move(described));
            planned.buffers.push_back(storage);
            firstKey.push_back(entry.key);
        } else if (planned.storages[it->second].dtype != *dtype) {
            // torch.save refuses this too ("Cannot save multiple tensors or storages that view
            // the same data as different types").
            throw FileFormatError(context + ": it views the storage of '" + firstKey[it->second] + "' as " +
                                  std::string(storageDtypeName(*dtype)) + " where that one is " +
                                  std::string(storageDtypeName(planned.storages[it->second].dtype)));
        }
        StateDictPickleEntry described;
        described.key = entry.key;
        described.storage = it->second;
        described.storageOffset = t.storage_offset();
        described.sizes = t.sizes().vec();
        described.strides = t.strides().vec();
        described.requiresGrad = t.requires_grad();
        planned.entries.push_back(std::move(described));
    }
    return planned;
}

}  // namespace

void writeTorchSaveStateDict(const std::vector<StateDictEntry>& entries, const std::vector<ModuleVersion>& metadata,
                             const std::function<size_t(const void* data, size_t size)>& sink,
                             const ProgressCallback& progress)
{
    const PlannedStateDict planned = plan(entries);
    const std::string pickle = encodeStateDictPickle(planned.entries, planned.storages, metadata);

    // PyTorchStreamWriter calls the writer from C (miniz): nothing may throw through it, and its
    // destructor finishes the archive, so failures and cancellation are only noted here.
    bool sinkFailed = false;
    bool stopped = false;
    std::exception_ptr sinkError;
    auto writer = [&](const void* data, size_t size) -> size_t {
        if (sinkFailed || stopped)
            return size;
        try {
            sinkFailed = sink(data, size) != size;
        } catch (...) {
            sinkFailed = true;
            sinkError = std::current_exception();
        }
        return size;
    };

    uint64_t total = 0;
    for (const c10::Storage& buffer : planned.buffers)
        total += buffer.nbytes();
    const auto keepGoing = [&](uint64_t done) {
        return !progress || progress(static_cast<int64_t>(done), static_cast<int64_t>(total));
    };

    torchCall("cannot write the torch.save archive", [&] {
        caffe2::serialize::PyTorchStreamWriter archive(writer);
        archive.writeRecord("data.pkl", pickle.data(), pickle.size());
        // torch.save writes storages in the order of their keys sorted as strings.
        std::vector<size_t> order(planned.storages.size());
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::sort(order.begin(), order.end(),
                  [&](size_t a, size_t b) { return planned.storages[a].key < planned.storages[b].key; });
        uint64_t done = 0;
        stopped = !keepGoing(0);
        for (size_t i : order) {
            if (stopped)
                break;
            const c10::Storage& buffer = planned.buffers[i];
            const size_t bytes = buffer.nbytes();
            if (buffer.device().is_cpu()) {
                archive.writeRecord("data/" + planned.storages[i].key, buffer.data_ptr().get(), bytes);
            } else {
                const at::Tensor onCpu = at::empty({0}, at::TensorOptions().dtype(c10::kByte).device(buffer.device()))
                                             .set_(buffer, 0, {static_cast<int64_t>(bytes)}, {1})
                                             .cpu();
                archive.writeRecord("data/" + planned.storages[i].key, onCpu.data_ptr(), bytes);
            }
            done += bytes;
            stopped = !keepGoing(done);
        }
        if (!stopped)
            archive.writeEndOfFile();
        return 0;
    });
    if (stopped)
        throw OperationCancelled();
    if (sinkError)
        std::rethrow_exception(sinkError);
    if (sinkFailed)
        throw FileFormatError("cannot write the torch.save archive: the output took fewer bytes than it was given");
}

std::string torchSaveStateDictBytes(const std::vector<StateDictEntry>& entries,
                                    const std::vector<ModuleVersion>& metadata)
{
    std::string bytes;
    writeTorchSaveStateDict(entries, metadata, [&](const void* data, size_t size) {
        bytes.append(static_cast<const char*>(data), size);
        return size;
    });
    return bytes;
}

}  // namespace mx::files
