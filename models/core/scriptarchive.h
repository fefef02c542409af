#pragma once
// Private to models/core: a TorchScript archive's module tree read from its data.pkl and its
// class definitions, without torch::jit::load.

#include "core/files/torchsave.h"
#include "core/moduleruntime.h"
#include "core/scriptimport.h"

#include <memory>

namespace mx {

/**
 * Builds the scripted module tree of a TorchScript archive read by files::readTorchSaveFile
 * (torchScriptArchive): each module object of data.pkl with its slots in the file's order,
 * parameters and buffers as its class definition (code/**.py: __parameters__, __buffers__) names
 * them, plain tensor and value attributes, and one node for a module object met under two names.
 * torch::jit::load compiles every method of every class first (about 180 ms of the 210 ms it
 * takes to open resnet18); here the jit module is loaded from `archive` only when a module first
 * needs it (forward, save). Returns nullptr when the archive holds what only torch::jit::load
 * reads faithfully (a non-module class object, a dict or an empty untyped list attribute): the
 * caller then loads it whole.
 */
std::unique_ptr<ModuleNode> importScriptArchive(const files::TorchSaveFile& file,
                                                const ScriptImport::NonPersistent& nonPersistent,
                                                std::shared_ptr<ScriptArchive> archive);

}  // namespace mx
