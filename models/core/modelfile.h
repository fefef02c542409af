#pragma once
// Opening and saving real PyTorch files (TorchScript, torch.save, safetensors), torch-free.

#include "core/loadstatedict.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mx {

class ModuleNode;

/** Where an open model came from, as the window title, the details pane and the CLI show it. */
struct ModelSource {
    std::string path;          // "" for a built example
    std::string kindName;      // "TorchScript archive", "torch.save file", ...
    /** The tree was grouped from a state_dict's dotted keys: it has no module types, and which
     *  entries were parameters and which buffers is unknown (all are shown as entries). */
    bool fromStateDict = false;
    /** A checkpoint's other top-level entries ("epoch: int 3", "optimizer: dict (2 keys)"),
     *  the key whose state_dict opened as the tree first ("model: the state_dict shown"). */
    std::vector<std::pair<std::string, std::string>> topLevel;
    /** safetensors __metadata__ (or an index's "metadata"), in file order. */
    std::vector<std::pair<std::string, std::string>> metadata;
    /** What the app could not show exactly ("'w' is F8_E4M3 in the file ... raw bits"). */
    std::vector<std::string> notes;
    /** The state_dict's _metadata versions (module prefix -> version), kept for saving. */
    std::vector<std::pair<std::string, int64_t>> versions;
};

/** A model read from a file. */
struct OpenedModel {
    std::unique_ptr<ModuleNode> root;
    ModelSource source;
};

/** Reports progress (0..1) of a long open; returns false to cancel it. */
using FileProgress = std::function<bool(double fraction)>;

/**
 * Opens `path`, telling its kind from its content (never its extension). Throws
 * std::runtime_error with one line on a file it cannot read (files::FileFormatError for bad
 * bytes) and files::OperationCancelled when `progress` returns false. Tensors count against the
 * memory budget; safetensors data is memory-mapped and read only when used.
 */
OpenedModel openModelFile(const std::string& path, const FileProgress& progress = {});

/** A file's state_dict as load_state_dict takes it: a state_dict file's entries and _metadata,
 *  or a TorchScript file's state_dict(). */
StateDictInput stateDictInputOf(const OpenedModel& opened);

/** The formats Save writes. */
enum class SaveFormat { TorchScript, StateDict, Safetensors };

/**
 * Writes the model to `path` atomically (a temporary file beside it, renamed over it): the old
 * file stays whole on any failure. TorchScript: torch.jit.load opens it with the same state_dict;
 * non-persistent buffers are saved as plain attributes (so Python's state_dict skips them too)
 * and marked in an extra file the app reads back. State dict: what torch.save(model.state_dict())
 * writes. Throws std::runtime_error with one line.
 */
void saveModelFile(const ModuleNode& root, const std::string& path, SaveFormat format,
                   const ModelSource& source = {});

/** The state_dict's _metadata for this model: one entry per module prefix, as PyTorch 1.13. */
std::vector<std::pair<std::string, int64_t>> stateDictVersions(const ModuleNode& root);

}  // namespace mx
