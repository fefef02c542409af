#pragma once
// Private to models/core: the torch::jit::Module behind a ModuleNode. Include only from .cpp files.

#include "core/modulenode.h"

#include <torch/csrc/jit/api/module.h>

namespace mx {

/** The TorchScript module that mirrors a ModuleNode: runs forward and is what gets saved. */
struct ModuleNode::Runtime {
    torch::jit::Module module;
};

}  // namespace mx
