// openModelFile/saveModelFile: the kind from the content, then the format's own half
// (modelfile_torchscript.cpp, modelfile_torchsave.cpp, modelfile_safetensors.cpp).

#include "core/modelfile.h"

#include "core/atomicfile.h"
#include "core/files/fileerror.h"
#include "core/listings.h"
#include "core/modelfileparts.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/resourcebudget.h"
#include "core/tensoraccess.h"

#include <set>
#include <stdexcept>

namespace mx {

OpenedModel openModelFile(const std::string& path, const FileProgress& progress)
{
    files::SniffedFile sniffed;
    OpenedModel opened;
    try {
        sniffed = files::sniffFile(path);
        switch (sniffed.kind) {
        case files::FileKind::TorchScript: opened = openTorchScript(path, sniffed, progress); break;
        case files::FileKind::TorchSave: opened = openTorchSave(path, sniffed, progress); break;
        case files::FileKind::Safetensors:
        case files::FileKind::SafetensorsIndex:
            opened = openSafetensors(path, sniffed, progress);
            break;
        }
    } catch (const files::OperationCancelled&) {
        throw;
    } catch (const std::exception& e) {
        // An allocation the memory budget refused surfaces wrapped by LibTorch: say MemoryError.
        const std::string refusal = takeTensorBudgetRefusal();
        throw files::FileFormatError("cannot open '" + path + "': " + (refusal.empty() ? e.what() : refusal));
    }
    opened.source.path = path;
    opened.source.kindName = files::fileKindName(sniffed.kind);
    return opened;
}

StateDictInput stateDictInputOf(const OpenedModel& opened)
{
    StateDictInput input;
    for (const ListingEntry& e : stateDict(*opened.root))
        input.entries.emplace_back(e.name, e.tensor);
    if (!opened.root->isStateDictGroup())
        input.versions = stateDictVersions(*opened.root);
    else if (!opened.source.versions.empty())
        input.versions = opened.source.versions;
    return input;
}

void saveModelFile(const ModuleNode& root, const std::string& path, SaveFormat format,
                   const ModelSource& source)
{
    std::string bytes;
    switch (format) {
    case SaveFormat::TorchScript: bytes = torchScriptBytes(root); break;
    case SaveFormat::StateDict: bytes = torchSaveBytes(root, source); break;
    case SaveFormat::Safetensors: bytes = safetensorsBytes(root, source); break;
    }
    std::string error;
    if (!writeFileAtomically(path, bytes, &error))
        throw std::runtime_error(error);
}

std::vector<std::pair<std::string, int64_t>> stateDictVersions(const ModuleNode& root)
{
    // Module.state_dict records `_version` for every module it visits (a shared one under each of
    // its names): 2 for the BatchNorm and
    // InstanceNorm classes (_NormBase._version), 1 for every other torch.nn module in 1.13 and
    // for RecursiveScriptModule (a loaded TorchScript file's modules).
    static const std::set<std::string> versionTwo{
        "BatchNorm1d",     "BatchNorm2d",     "BatchNorm3d",        "InstanceNorm1d",
        "InstanceNorm2d",  "InstanceNorm3d",  "LazyBatchNorm1d",    "LazyBatchNorm2d",
        "LazyBatchNorm3d", "LazyInstanceNorm1d", "LazyInstanceNorm2d", "LazyInstanceNorm3d",
        "SyncBatchNorm"};
    std::vector<std::pair<std::string, int64_t>> out;
    for (const NamedModule& m : namedModules(root, {}, /*removeDuplicate=*/false)) {
        const bool two = !m.module->isScripted() && versionTwo.count(m.module->typeName());
        out.emplace_back(m.name, two ? 2 : 1);
    }
    return out;
}

std::vector<StateEntry> stateDictEntries(const ModuleNode& root)
{
    std::vector<StateEntry> out;
    for (const ListingEntry& e : stateDict(root))
        out.push_back({e.name, TensorAccess::tensor(e.tensor)});
    return out;
}

std::unique_ptr<ModuleNode> stateDictTree(const std::vector<StateEntry>& entries)
{
    auto root = std::make_unique<ModuleNode>("");
    for (const StateEntry& e : entries) {
        ModuleNode* node = root.get();
        size_t start = 0;
        try {
            for (size_t dot; (dot = e.key.find('.', start)) != std::string::npos; start = dot + 1) {
                const std::string part = e.key.substr(start, dot - start);
                ModuleNode* next = node->findChild(part);
                if (!next)
                    next = &node->addModule(part, std::make_unique<ModuleNode>(""));
                node = next;
            }
            node->registerBuffer(e.key.substr(start), TensorAccess::wrap(e.tensor));
        } catch (const std::exception& error) {
            throw files::FileFormatError("the state_dict key '" + e.key +
                                         "' cannot be shown in a module tree (" + error.what() +
                                         ")");
        }
    }
    const std::vector<ListingEntry> grouped = stateDict(*root);
    bool sameOrder = grouped.size() == entries.size();
    for (size_t i = 0; sameOrder && i < entries.size(); ++i)
        sameOrder = grouped[i].name == entries[i].key;
    if (!sameOrder) {
        std::vector<std::string> order;
        order.reserve(entries.size());
        for (const StateEntry& e : entries)
            order.push_back(e.key);
        root->setFileKeyOrder(std::move(order));
    }
    return root;
}

void checkArchiveFitsBudget(const files::SniffedFile& sniffed)
{
    uint64_t bytes = 0;
    for (const files::ZipEntry& e : sniffed.zip)  // members may overlap: saturate
        bytes = e.size > UINT64_MAX - bytes ? UINT64_MAX : bytes + e.size;
    checkFileFitsBudget(bytes, "the file's " + std::to_string(sniffed.zip.size()) + " records");
}

void checkFileFitsBudget(uint64_t bytes, const std::string& what)
{
    const uint64_t live = liveTensorBytes();
    const uint64_t budget = memoryBudgetBytes();
    if (bytes > budget || live > budget - bytes)
        throw std::runtime_error("MemoryError: " + memoryBudgetMessage(what, bytes, live));
}

}  // namespace mx
