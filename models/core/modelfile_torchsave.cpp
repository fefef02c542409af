// torch.save files: a state_dict (or a checkpoint dict holding one) opens as a tree grouped by
// dotted keys; saving writes what torch.save(model.state_dict()) writes.

#include "core/files/fileerror.h"
#include "core/files/torchsave.h"
#include "core/modelfileparts.h"
#include "core/modulenode.h"
#include "core/resourcebudget.h"

#include <sstream>

namespace mx {

namespace {

// "dict (2 keys)", "int 3", "float 0.91", "str 'tutorial'", "tensor float32 [8, 3]" ...
std::string summary(const files::TorchSaveFile& file, files::PickleValue v)
{
    using files::PickleKind;
    const files::PickleDocument& doc = file.pickle;
    std::ostringstream out;
    switch (v.kind()) {
    case PickleKind::None: return "None";
    case PickleKind::Bool: return v.asBool() ? "bool True" : "bool False";
    case PickleKind::Int: out << "int " << v.asInt(); return out.str();
    case PickleKind::BigInt: return "int " + doc.bigIntDecimal(v);
    case PickleKind::Float: out << "float " << v.asFloat(); return out.str();
    case PickleKind::Str: {
        std::string text(doc.text(v).substr(0, 60));
        return "str '" + text + (doc.text(v).size() > 60 ? "...'" : "'");
    }
    case PickleKind::Dict: {
        const size_t n = doc.dict(v).entries.size();
        out << (doc.dict(v).ordered ? "OrderedDict (" : "dict (") << n << (n == 1 ? " key)" : " keys)");
        return out.str();
    }
    case PickleKind::List:
    case PickleKind::Tuple:
    case PickleKind::Set:
    case PickleKind::FrozenSet:
        out << files::pickleKindName(v.kind()) << " (" << doc.items(v).size() << " items)";
        return out.str();
    case PickleKind::Tensor: {
        const at::Tensor& t = file.tensor(v).tensor;
        out << "tensor " << c10::toString(t.scalar_type()) << " " << t.sizes();
        return out.str();
    }
    default: return std::string(files::pickleKindName(v.kind()));
    }
}

std::vector<StateEntry> entriesOf(const files::StateDict& sd)
{
    std::vector<StateEntry> entries;
    entries.reserve(sd.entries.size());
    for (const auto& [key, loaded] : sd.entries)
        entries.push_back({key, loaded.tensor});
    return entries;
}

}  // namespace

files::TorchSaveReadOptions archiveReadOptions(const FileProgress& progress)
{
    files::TorchSaveReadOptions options;
    const uint64_t budget = memoryBudgetBytes(), live = liveTensorBytes();
    options.byteBudget = budget > live ? budget - live : 0;
    if (progress)
        options.progress = [&progress](int64_t done, int64_t total) {
            return progress(total > 0 ? 0.05 + 0.9 * static_cast<double>(done) / total : 0.05);
        };
    return options;
}

OpenedModel openTorchSave(const std::string& path, const files::SniffedFile& sniffed,
                          const FileProgress& progress)
{
    checkArchiveFitsBudget(sniffed);
    const files::TorchSaveReadOptions options = archiveReadOptions(progress);
    files::TorchSaveFile file;
    {
        TensorBudgetScope scope;
        file = files::readTorchSaveFile(path, options);
    }
    OpenedModel opened;
    opened.source.fromStateDict = true;
    const files::PickleDocument& doc = file.pickle;
    const files::PickleValue root = doc.root();
    std::optional<files::StateDict> sd = files::stateDictOf(file, root);
    if (!sd && root.is(files::PickleKind::Dict)) {
        // A checkpoint: the first top-level value that is a state_dict opens as the tree, the
        // others are listed (model / state_dict / model_state_dict come first when present).
        std::string chosen;
        for (const char* preferred : {"state_dict", "model_state_dict", "model"})
            if (const auto v = doc.get(root, preferred); v && (sd = files::stateDictOf(file, *v)) &&
                                                         !sd->entries.empty()) {
                chosen = preferred;
                break;
            }
        for (const auto& [key, value] : doc.dict(root).entries) {
            const std::string name = key.is(files::PickleKind::Str) ? std::string(doc.text(key))
                                                                    : summary(file, key);
            if (chosen.empty() && key.is(files::PickleKind::Str)) {
                if (auto candidate = files::stateDictOf(file, value); candidate && !candidate->entries.empty()) {
                    sd = std::move(candidate);
                    chosen = name;
                }
            }
            opened.source.topLevel.emplace_back(
                name, name == chosen ? "the state_dict shown (" + summary(file, value) + ")"
                                     : summary(file, value));
        }
    }
    if (!sd)
        throw files::FileFormatError("the file holds " + summary(file, root) +
                                     ", not a state_dict (a dict of str to tensors) nor a "
                                     "checkpoint dict holding one");
    if (sd->metadata)
        for (const files::ModuleVersion& v : *sd->metadata)
            opened.source.versions.emplace_back(v.prefix, v.version);
    opened.root = stateDictTree(entriesOf(*sd));
    return opened;
}

std::string torchSaveBytes(const ModuleNode& root, const ModelSource& source)
{
    std::vector<files::StateDictEntry> entries;
    for (StateEntry& e : stateDictEntries(root))
        entries.push_back({std::move(e.key), std::move(e.tensor)});
    // A model grouped from a state_dict keeps the file's _metadata; a real module has its own.
    std::vector<files::ModuleVersion> versions;
    if (root.isStateDictGroup()) {
        for (const auto& [prefix, version] : source.versions)
            versions.push_back({prefix, version});
    } else {
        for (const auto& [prefix, version] : stateDictVersions(root))
            versions.push_back({prefix, version});
    }
    return files::torchSaveStateDictBytes(entries, versions);
}

}  // namespace mx
