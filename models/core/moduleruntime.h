#pragma once
// Private to models/core: the torch::jit::Module behind a ModuleNode. Include only from .cpp files.

#include "core/modulenode.h"

#include <torch/csrc/jit/api/module.h>

#include <mutex>
#include <optional>
#include <string>

namespace mx {

/** The TorchScript module that mirrors a ModuleNode: runs forward and is what gets saved. */
struct ModuleNode::Runtime {
    torch::jit::Module module;
};

/**
 * A TorchScript file whose module tree was read without torch::jit::load (see
 * core/scriptarchive.h): the scripted modules load its jit module, once, when one of them first
 * needs it (forward, save). The file must still be the one that was opened (same size and
 * modification time), else loading says so.
 */
struct ScriptArchive {
    std::string path;
    uint64_t size = 0;
    int64_t modifiedNs = 0;

    /** The archive's root module; throws std::runtime_error with one line. Thread-safe. */
    torch::jit::Module module();

private:
    std::mutex mutex_;
    std::optional<torch::jit::Module> loaded_;
    std::string error_;
};

}  // namespace mx
