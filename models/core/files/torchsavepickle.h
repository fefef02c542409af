#pragma once

// Torch-free: the data.pkl of a torch.save(state_dict) file, as PyTorch 1.13 writes it
// (protocol 2: an OrderedDict of _rebuild_tensor_v2 calls over persistent storages, and BUILD
// setting its `_metadata`). torchsave.cpp adds the storages and the zip around it.

#include "core/files/pickle.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mx::files {

/** One entry of a state_dict's `_metadata`: a module's prefix ("" for the root, "0.conv") and
 *  the version its class declares (nn.Module._version). */
struct ModuleVersion {
    std::string prefix;
    int64_t version = 1;
};

/** One tensor entry of a state_dict pickle: a view of `storages[storage]`. */
struct StateDictPickleEntry {
    std::string key;
    uint32_t storage = 0;
    int64_t storageOffset = 0;
    std::vector<int64_t> sizes;
    std::vector<int64_t> strides;
    bool requiresGrad = false;
};

/**
 * The pickle of `OrderedDict(entries)` with `_metadata` = OrderedDict(prefix -> {'version': N}),
 * as torch.save writes a state_dict; every storage is referenced by its key, dtype, location
 * and numel. Throws FileFormatError when a key or prefix is not UTF-8, a key repeats, or an
 * entry's view does not fit its storage.
 */
std::string encodeStateDictPickle(const std::vector<StateDictPickleEntry>& entries,
                                  const std::vector<PickleStorage>& storages,
                                  const std::vector<ModuleVersion>& metadata);

}  // namespace mx::files
