// safetensors files and sharded indexes: memory-mapped, opened as a tree grouped by dotted keys;
// saving writes the reference writer's layout.

#include "core/files/fileerror.h"
#include "core/files/safetensorsfile.h"
#include "core/modelfileparts.h"
#include "core/modulenode.h"
#include "core/resourcebudget.h"

#include <algorithm>

namespace mx {

OpenedModel openSafetensors(const std::string& path, const files::SniffedFile& sniffed,
                            const FileProgress& progress)
{
    if (progress && !progress(0.05))
        throw files::OperationCancelled();
    // Mapped, not read: only the header is parsed now. A tensor stored unaligned is copied at
    // open (never by the reference writer); that copy is held to the memory budget.
    files::SafetensorsContent content;
    {
        TensorBudgetScope budget;
        content = sniffed.kind == files::FileKind::SafetensorsIndex ? files::openSafetensorsIndex(path)
                                                                    : files::openSafetensors(path);
    }
    // Python's safetensors load_file() gives the tensors sorted by name (safe_open's keys()),
    // whatever their order in the file or the index.
    std::stable_sort(content.tensors.begin(), content.tensors.end(),
                     [](const files::SafetensorsTensor& a, const files::SafetensorsTensor& b) {
                         return a.name < b.name;
                     });
    OpenedModel opened;
    opened.source.fromStateDict = true;
    opened.source.metadata = content.metadata;
    std::vector<StateEntry> entries;
    entries.reserve(content.tensors.size());
    for (files::SafetensorsTensor& t : content.tensors) {
        if (t.standIn != files::SafetensorsStandIn::None)
            opened.source.notes.push_back(
                "'" + t.name + "' is " + t.fileDtype +
                " in the file, which LibTorch 1.13 cannot hold: shown as its raw bits (" +
                c10::toString(t.tensor.scalar_type()) + ")");
        entries.push_back({std::move(t.name), std::move(t.tensor)});
    }
    opened.root = stateDictTree(entries);
    return opened;
}

std::string safetensorsBytes(const ModuleNode& root, const ModelSource& source)
{
    std::vector<files::SafetensorsTensor> tensors;
    for (StateEntry& e : stateDictEntries(root)) {
        files::SafetensorsTensor t;
        t.name = std::move(e.key);
        t.tensor = std::move(e.tensor);
        tensors.push_back(std::move(t));
    }
    // A safetensors file's own __metadata__ goes back with it; other models get
    // {"format": "pt"}, which Hugging Face's loaders look for (the format itself needs none).
    files::SafetensorsMetadata metadata = source.kindName == "safetensors file"
                                              ? source.metadata
                                              : files::SafetensorsMetadata{{"format", "pt"}};
    try {
        return files::serializeSafetensors(tensors, metadata);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string("cannot save as safetensors: ") + e.what());
    }
}

}  // namespace mx
