// TorchScript archives: opened with torch::jit::load into scripted modules that run the file's
// own forward; saved from the model's jit module, with the app's extra knowledge (which buffers
// are non-persistent) in an extra file of the archive.

#include "core/files/fileerror.h"
#include "core/formatting.h"
#include "core/listings.h"
#include "core/modelfileparts.h"
#include "core/moduleruntime.h"
#include "core/resourcebudget.h"
#include "core/scriptarchive.h"
#include "core/scriptimport.h"

#include <sys/stat.h>

#include <torch/csrc/jit/serialization/import.h>

#include <sstream>
#include <unordered_map>

namespace mx {

namespace {

std::string firstLine(const std::string& text)
{
    return text.substr(0, text.find('\n'));
}

// The extra file lists "path\tbuffer" lines, one per non-persistent buffer.
ScriptImport::NonPersistent parseNonPersistent(const std::string& text)
{
    ScriptImport::NonPersistent out;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        const size_t tab = line.find('\t');
        if (tab != std::string::npos)
            out.emplace(line.substr(0, tab), line.substr(tab + 1));
    }
    return out;
}

// The module tree from data.pkl and the class definitions, the jit module loaded on first use;
// nullptr when the archive needs torch::jit::load to be read faithfully.
std::unique_ptr<ModuleNode> openWithoutJitLoad(const std::string& path, const FileProgress& progress)
{
    struct stat before {};
    if (::stat(path.c_str(), &before) != 0)
        return nullptr;
    auto archive = std::make_shared<ScriptArchive>();
    archive->path = path;
    archive->size = static_cast<uint64_t>(before.st_size);
    archive->modifiedNs = static_cast<int64_t>(before.st_mtim.tv_sec) * 1000000000 + before.st_mtim.tv_nsec;
    files::TorchSaveReadOptions options = archiveReadOptions(progress);
    options.torchScriptArchive = true;
    files::TorchSaveFile file;
    try {
        TensorBudgetScope scope;
        file = files::readTorchSaveFile(path, options);
    } catch (const files::OperationCancelled&) {
        throw;
    } catch (const std::exception&) {
        return nullptr;  // torch::jit::load has the last word (and the message) on this file
    }
    ScriptImport::NonPersistent nonPersistent;
    for (const auto& [name, text] : file.texts)
        if (name == std::string("extra/") + kExplorerExtraFile)
            nonPersistent = parseNonPersistent(text);
    return importScriptArchive(file, nonPersistent, std::move(archive));
}

}  // namespace

OpenedModel openTorchScript(const std::string& path, const files::SniffedFile& sniffed,
                            const FileProgress& progress)
{
    checkArchiveFitsBudget(sniffed);
    if (progress && !progress(0.05))
        throw files::OperationCancelled();
    if (std::unique_ptr<ModuleNode> root = openWithoutJitLoad(path, progress)) {
        OpenedModel opened;
        opened.root = std::move(root);
        return opened;
    }
    return openTorchScriptWithJitLoad(path, progress);
}

OpenedModel openTorchScriptWithJitLoad(const std::string& path, const FileProgress& progress)
{
    torch::jit::ExtraFilesMap extra{{kExplorerExtraFile, ""}};
    torch::jit::Module module;
    try {
        TensorBudgetScope budget;
        module = torch::jit::load(path, c10::Device(c10::kCPU), extra);
    } catch (const c10::Error& e) {
        const std::string refusal = takeTensorBudgetRefusal();
        throw files::FileFormatError(refusal.empty() ? "cannot load the TorchScript archive: " +
                                                           firstLine(e.what_without_backtrace())
                                                     : refusal);
    } catch (const std::exception& e) {
        throw files::FileFormatError("cannot load the TorchScript archive: " + firstLine(e.what()));
    }
    if (progress && !progress(0.8))
        throw files::OperationCancelled();
    OpenedModel opened;
    try {
        opened.root = ScriptImport::import(module, parseNonPersistent(extra[kExplorerExtraFile]));
    } catch (const std::exception& e) {
        throw files::FileFormatError(e.what());
    }
    return opened;
}

std::string torchScriptBytes(const ModuleNode& root)
{
    // Python's state_dict() of a loaded archive lists every jit buffer, so non-persistent ones
    // go in as plain attributes (after a clone: the model's own jit modules stay as they are)
    // and the extra file tells the app to make them buffers again. The clone shares the tensors
    // (inplace): a deep copy copies them per submodule (Module::clone_impl takes its memo by
    // value), which would untie weights shared between modules. Like torch.jit.script, it makes
    // a module object per name for a module shared under several names.
    torch::jit::Module saved = root.runtime().module.clone(/*inplace=*/true);
    std::string nonPersistent;
    std::vector<std::pair<const ModuleNode*, torch::jit::Module>> stack{{&root, saved}};
    std::vector<std::string> paths{""};
    std::unordered_map<const c10::ClassType*, std::vector<size_t>> movedSlots;
    while (!stack.empty()) {
        auto [node, module] = stack.back();
        stack.pop_back();
        const std::string path = paths.back();
        paths.pop_back();
        const c10::ClassTypePtr type = module.type();
        c10::ivalue::Object& object = *module._ivalue();
        const auto moved = movedSlots.find(type.get());
        if (moved != movedSlots.end()) {
            // A class shared with a module done already: its slots moved; move this object's.
            for (const size_t slot : moved->second) {
                const c10::IValue value = object.getSlot(slot);
                object.unsafeRemoveSlot(slot);
                object.setSlot(type->numAttributes() - 1, value);
            }
        } else {
            std::vector<size_t>& moves = movedSlots[type.get()];
            for (const TensorSlot& b : node->buffers()) {
                if (b.kind != EntryKind::NonPersistentBuffer || !type->hasAttribute(b.name))
                    continue;
                nonPersistent += path + "\t" + b.name + "\n";
                const size_t slot = type->getAttributeSlot(b.name);
                const c10::IValue value = object.getSlot(slot);
                const c10::TypePtr slotType = type->getAttribute(slot);
                object.unsafeRemoveSlot(slot);
                type->unsafeRemoveAttribute(b.name);
                object.setSlot(type->addAttribute(b.name, slotType, false, false), value);
                moves.push_back(slot);
            }
        }
        for (size_t i = 0; i < node->childCount(); ++i) {
            const std::string& name = node->childName(i);
            stack.emplace_back(&node->child(i), module.attr(name).toModule());
            paths.push_back(dottedName(path, name));
        }
    }
    std::ostringstream out;
    try {
        saved.save(out, {{kExplorerExtraFile, nonPersistent}});
    } catch (const c10::Error& e) {
        throw std::runtime_error("cannot save as TorchScript: " +
                                 firstLine(e.what_without_backtrace()));
    }
    return std::move(out).str();
}

}  // namespace mx
