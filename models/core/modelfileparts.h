#pragma once
// Private to models/core: the per-format halves of openModelFile/saveModelFile (core/modelfile.h).

#include "core/files/filekind.h"
#include "core/files/torchsave.h"
#include "core/modelfile.h"

#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

namespace mx {

/** One state_dict entry as a file holds it. */
struct StateEntry {
    std::string key;
    at::Tensor tensor;
};

/** Groups dotted keys into a tree (`layer1.0.conv1.weight` -> layer1 / 0 / conv1 / weight) of
 *  modules without types; throws files::FileFormatError when a key cannot be placed. */
std::unique_ptr<ModuleNode> stateDictTree(const std::vector<StateEntry>& entries);

/** The model's state_dict() in order, with each module's non-persistent buffers left out. */
std::vector<StateEntry> stateDictEntries(const ModuleNode& root);

OpenedModel openTorchScript(const std::string& path, const files::SniffedFile& sniffed,
                            const FileProgress& progress);
/** The archive loaded whole by torch::jit::load, then imported (openTorchScript's fallback, for
 *  what its own reading of data.pkl leaves to LibTorch). */
OpenedModel openTorchScriptWithJitLoad(const std::string& path, const FileProgress& progress = {});
OpenedModel openTorchSave(const std::string& path, const files::SniffedFile& sniffed,
                          const FileProgress& progress);
OpenedModel openSafetensors(const std::string& path, const files::SniffedFile& sniffed,
                            const FileProgress& progress);

std::string torchScriptBytes(const ModuleNode& root);
std::string torchSaveBytes(const ModuleNode& root, const ModelSource& source);
std::string safetensorsBytes(const ModuleNode& root, const ModelSource& source);

/** Refuses (MemoryError line) when `bytes` more tensor bytes would pass the memory budget. */
void checkFileFitsBudget(uint64_t bytes, const std::string& what);
/** The same for reading every record of a zip archive (TorchScript, torch.save). */
void checkArchiveFitsBudget(const files::SniffedFile& sniffed);

/** How to read a zip archive's records: within what the memory budget has left, reporting
 *  progress from 5% to 95%. */
files::TorchSaveReadOptions archiveReadOptions(const FileProgress& progress);

/** The name of the extra file in the app's own TorchScript archives. */
constexpr const char* kExplorerExtraFile = "module_explorer.json";

}  // namespace mx
