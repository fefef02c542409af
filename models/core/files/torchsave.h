#pragma once

// torch.save files (the zip format of PyTorch >= 1.6): reading any of them into tensors without
// running code, and writing state_dicts that Python's torch.load reads back. Private to
// models/core (includes torch headers).
//
// Layout of a file: a zip whose members sit in one top folder (`archive/` when saved to a
// buffer, the file's stem when saved to a path): `data.pkl` (a pickle of the object, whose
// tensors refer to storages by key), `data/<key>` (each storage's raw little-endian bytes,
// stored uncompressed and aligned to 64 bytes) and `version` ("3\n").

#include "core/files/pickle.h"
#include "core/files/torchsavepickle.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mx::files {

/** Progress of a long read or write in bytes (done, in all); returning false cancels it. */
using ProgressCallback = std::function<bool(int64_t done, int64_t total)>;

/** How to read a torch.save file. */
struct TorchSaveReadOptions {
    /** Most bytes the read may allocate for zip members: data.pkl plus every storage. */
    uint64_t byteBudget = std::numeric_limits<uint64_t>::max();
    PickleLimits pickleLimits;
    /** Called with (0, total) before the first storage and after each one, total being the
     *  bytes of all storages; false cancels the read with OperationCancelled. */
    ProgressCallback progress;
    /** Read a TorchScript archive instead (torch.jit.save's zip has the same data.pkl and
     *  data/ records): its module objects are parsed (PickleLimits::scriptObjects) and its
     *  class definitions (code/**.py) and extra/ files are kept as text. */
    bool torchScriptArchive = false;
};

/** A tensor of a loaded file. requiresGrad is what the file says; the tensor itself is plain
 *  data (autograd off), since most files hold integer buffers too. */
struct LoadedTensor {
    at::Tensor tensor;
    bool isParameter = false;  // pickled as an nn.Parameter
    bool requiresGrad = false;
};

/** A torch.save file read into memory: the pickled object tree, and its tensors. */
struct TorchSaveFile {
    std::string archiveName;    // the zip's top folder
    int64_t formatVersion = 0;  // the `version` record
    /** The object tree; its Tensor values index `tensors` (PickleValue::index()). */
    PickleDocument pickle;
    /** One per pickle.tensors(), in that order, on the CPU whatever their saved location. Views
     *  of one storage share it: each storage is read once into one buffer (allocated by
     *  LibTorch's CPU allocator, so the app's accounting sees it). Storages no tensor views (a
     *  bare torch.save(t.storage())) are not read. */
    std::vector<LoadedTensor> tensors;
    /** torchScriptArchive: the text members, by their name inside the top folder
     *  ("code/__torch__/torch/nn/modules/conv.py", "extra/module_explorer.json"). */
    std::vector<std::pair<std::string, std::string>> texts;

    /** The tensor a Tensor value of `pickle` stands for. */
    const LoadedTensor& tensor(PickleValue value) const { return tensors.at(value.index()); }
};

/**
 * Reads a torch.save file: checks the zip directory (sizes against the file and the budget)
 * before allocating anything, parses data.pkl with parsePickle (never running code), then reads
 * each storage it refers to once and makes every tensor a bounds-checked view of its storage.
 * Throws FileFormatError with one line (the legacy pre-1.6 format, a TorchScript archive, a
 * truncated or hostile file, a storage shorter than its tensors, ...), OperationCancelled when
 * `options.progress` returns false.
 */
TorchSaveFile readTorchSaveFile(const std::string& path, const TorchSaveReadOptions& options = {});
/** The same for a file's bytes already in memory. */
TorchSaveFile readTorchSaveBytes(std::string_view bytes, const TorchSaveReadOptions& options = {});

/** A state_dict found in a file: its entries in order, and its `_metadata`. */
struct StateDict {
    std::vector<std::pair<std::string, LoadedTensor>> entries;
    bool ordered = false;                // an OrderedDict, as nn.Module.state_dict() returns
    std::optional<std::vector<ModuleVersion>> metadata;  // absent when the dict has no _metadata
};

/**
 * `value` as a state_dict: a dict or OrderedDict whose keys are all str and values all tensors
 * (an empty dict counts). `_metadata` entries whose value is not {'version': int} are left out.
 * nullopt for any other value.
 */
std::optional<StateDict> stateDictOf(const TorchSaveFile& file, PickleValue value);

/** One entry of a state_dict to write. */
struct StateDictEntry {
    std::string key;
    at::Tensor tensor;
};

/**
 * Writes `entries` as torch.save(module.state_dict()) does in PyTorch 1.13: an OrderedDict with
 * the same keys in the same order, plain tensors (requires_grad as the tensor has it), and
 * `_metadata` = OrderedDict(prefix -> {'version': N}) from `metadata`. Tensors that share a
 * storage share it in the file (each storage written once, offsets and strides kept); storages
 * off the CPU are copied to it but keep their location tag. The bytes go to `sink` in order
 * (it returns how many it took; fewer means failure). Throws FileFormatError for what the
 * format cannot hold (sparse or quantized tensors, two dtypes over one storage, duplicate keys)
 * and when the sink fails; OperationCancelled when `progress` returns false.
 */
void writeTorchSaveStateDict(const std::vector<StateDictEntry>& entries, const std::vector<ModuleVersion>& metadata,
                             const std::function<size_t(const void* data, size_t size)>& sink,
                             const ProgressCallback& progress = {});

/** The bytes of the file writeTorchSaveStateDict() writes. */
std::string torchSaveStateDictBytes(const std::vector<StateDictEntry>& entries,
                                    const std::vector<ModuleVersion>& metadata);

}  // namespace mx::files
