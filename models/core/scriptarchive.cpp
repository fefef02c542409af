// A TorchScript archive's module tree from data.pkl and code/**.py, the jit module loaded later.
// data.pkl pickles each module object as GLOBAL '__torch__.<class>', NEWOBJ, then BUILD with a
// dict of its slots in slot order (torch/csrc/jit/serialization/pickler.cpp); which slots are
// parameters and buffers is in the class definition the archive carries:
//     class Conv2d(Module):
//       __parameters__ = ["weight", "bias", ]
//       __buffers__ = []

#include "core/scriptarchive.h"

#include "core/formatting.h"
#include "core/resourcebudget.h"
#include "core/tensoraccess.h"

#include <torch/csrc/jit/serialization/import.h>

#include <sys/stat.h>

#include <optional>
#include <unordered_map>

namespace mx {

namespace {

using files::PickleDocument;
using files::PickleKind;
using files::PickleValue;

constexpr size_t kMaxDepth = 512;

/** Raised inside the importer for what it leaves to torch::jit::load. */
struct NeedsJitLoad {};

/** What a class definition of code/**.py says about a module class. */
struct ClassInfo {
    bool isModule = false;
    std::vector<std::string> parameters;
    std::vector<std::string> buffers;
};

// The quoted names of a line such as `  __parameters__ = ["weight", "bias", ]`.
std::vector<std::string> quotedNames(const std::string& line)
{
    std::vector<std::string> out;
    size_t at = line.find('[');
    while (at != std::string::npos) {
        const size_t open = line.find('"', at + 1);
        if (open == std::string::npos)
            break;
        const size_t close = line.find('"', open + 1);
        if (close == std::string::npos)
            throw NeedsJitLoad{};
        out.push_back(line.substr(open + 1, close - open - 1));
        at = close;
    }
    return out;
}

// "__torch__.torch.nn.modules.conv.___torch_mangle_3.Conv2d": code/__torch__/torch/nn/modules/
// conv/___torch_mangle_3.py, class Conv2d.
std::optional<ClassInfo> classInfo(const std::vector<std::pair<std::string, std::string>>& texts,
                                   const std::string& qualified)
{
    const size_t dot = qualified.rfind('.');
    if (dot == std::string::npos)
        return std::nullopt;
    std::string file = "code/" + qualified.substr(0, dot) + ".py";
    for (char& c : file)
        if (c == '.' && &c < &file[file.size() - 3])
            c = '/';
    const std::string header = "class " + qualified.substr(dot + 1);
    for (const auto& [name, text] : texts) {
        if (name != file)
            continue;
        size_t start = 0;
        std::optional<ClassInfo> found;
        while (start < text.size()) {
            size_t end = text.find('\n', start);
            if (end == std::string::npos)
                end = text.size();
            const std::string line = text.substr(start, end - start);
            start = end + 1;
            if (found) {
                if (!line.empty() && line[0] != ' ')
                    break;  // the next class
                if (line.rfind("  __parameters__ = ", 0) == 0)
                    found->parameters = quotedNames(line);
                else if (line.rfind("  __buffers__ = ", 0) == 0)
                    found->buffers = quotedNames(line);
            } else if (line.rfind(header + "(", 0) == 0 || line == header + ":") {
                found = ClassInfo{line.rfind(header + "(Module):", 0) == 0, {}, {}};
            }
        }
        return found;
    }
    return std::nullopt;
}

bool contains(const std::vector<std::string>& names, const std::string& name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

/** Walks data.pkl's module objects into scripted ModuleNodes (a friend of ModuleNode). */
struct ArchiveImporter {
    const files::TorchSaveFile& file;
    const ScriptImport::NonPersistent& nonPersistent;
    std::shared_ptr<ScriptArchive> archive;
    std::unordered_map<uint32_t, ModuleNode*> built;  // module object (dict index) -> node; nullptr while building
    std::unordered_map<std::string, std::optional<ClassInfo>> classes;  // parsed once per class

    const std::optional<ClassInfo>& infoOf(const std::string& qualified)
    {
        const auto known = classes.find(qualified);
        if (known != classes.end())
            return known->second;
        return classes.emplace(qualified, classInfo(file.texts, qualified)).first->second;
    }

    const PickleDocument& doc() const { return file.pickle; }

    TensorRef tensorOf(PickleValue value) const
    {
        const files::LoadedTensor& loaded = file.tensor(value);
        at::Tensor t = loaded.tensor;
        if (loaded.requiresGrad && t.is_floating_point())
            t.set_requires_grad(true);
        return TensorAccess::wrap(t);
    }

    // A plain attribute's value as torch::jit::load would give it (lists typed by their items).
    c10::IValue ivalueOf(PickleValue value, size_t depth) const
    {
        if (depth > kMaxDepth)
            throw NeedsJitLoad{};
        switch (value.kind()) {
        case PickleKind::None: return c10::IValue();
        case PickleKind::Bool: return value.asBool();
        case PickleKind::Int: return value.asInt();
        case PickleKind::Float: return value.asFloat();
        case PickleKind::Str: return std::string(doc().text(value));
        case PickleKind::Tensor: return TensorAccess::tensor(tensorOf(value));
        case PickleKind::Tuple: {
            std::vector<c10::IValue> items;
            for (const PickleValue& item : doc().items(value))
                items.push_back(ivalueOf(item, depth + 1));
            return c10::ivalue::Tuple::create(std::move(items));
        }
        case PickleKind::List: return listOf(doc().items(value));
        default: throw NeedsJitLoad{};
        }
    }

    c10::IValue listOf(const std::vector<PickleValue>& items) const
    {
        if (items.empty())
            throw NeedsJitLoad{};  // its element type is only in the class definition
        auto all = [&](PickleKind kind) {
            return std::all_of(items.begin(), items.end(), [kind](const PickleValue& v) { return v.is(kind); });
        };
        auto typed = [&items](auto element) {  // c10::List<T> of element(item) for each item
            c10::List<decltype(element(items[0]))> out;
            for (const PickleValue& v : items)
                out.push_back(element(v));
            return c10::IValue(out);
        };
        if (all(PickleKind::Int))
            return typed([](const PickleValue& v) { return v.asInt(); });
        if (all(PickleKind::Float))
            return typed([](const PickleValue& v) { return v.asFloat(); });
        if (all(PickleKind::Bool))
            return typed([](const PickleValue& v) { return v.asBool(); });
        if (all(PickleKind::Str))
            return typed([this](const PickleValue& v) { return std::string(doc().text(v)); });
        if (all(PickleKind::Tensor))
            return typed([this](const PickleValue& v) { return TensorAccess::tensor(tensorOf(v)); });
        throw NeedsJitLoad{};
    }

    bool isModuleObject(PickleValue value) const
    {
        return value.is(PickleKind::Dict) && !doc().dict(value).scriptClass.empty();
    }

    std::unique_ptr<ModuleNode> build(PickleValue object, const std::string& path, size_t depth)
    {
        if (depth > kMaxDepth)
            throw NeedsJitLoad{};
        const files::PickleDict& dict = doc().dict(object);
        const std::optional<ClassInfo>& info = infoOf(dict.scriptClass);
        if (!info || !info->isModule || !dict.attributes.is(PickleKind::Dict))
            throw NeedsJitLoad{};
        built.emplace(object.index(), nullptr);
        const std::string qualified = demangledQualifiedName(dict.scriptClass);
        const std::string originalName = qualified.substr(qualified.rfind('.') + 1);
        auto node = std::make_unique<ModuleNode>(originalName, "original_name=" + originalName);
        bool training = true;
        for (const auto& [key, value] : doc().dict(dict.attributes).entries) {
            if (!key.is(PickleKind::Str))
                throw NeedsJitLoad{};
            const std::string name(doc().text(key));
            const bool tensorOrNone = value.is(PickleKind::Tensor) || value.is(PickleKind::None);
            if (contains(info->parameters, name) && tensorOrNone) {
                node->registerParameter(name, value.is(PickleKind::None) ? TensorRef() : tensorOf(value));
            } else if (contains(info->buffers, name) && tensorOrNone) {
                node->registerBuffer(name, value.is(PickleKind::None) ? TensorRef() : tensorOf(value),
                                     !nonPersistent.count({path, name}));
            } else if (isModuleObject(value)) {
                addChild(*node, name, value, dottedName(path, name), depth);
            } else if (name == "training" && value.is(PickleKind::Bool)) {
                training = value.asBool();
            } else if (isModuleOwnAttribute(name)) {
                continue;  // nn.Module's own state (_is_full_backward_hook), as ScriptImport
            } else if (value.is(PickleKind::Tensor) && nonPersistent.count({path, name})) {
                node->registerBuffer(name, tensorOf(value), /*persistent=*/false);
                node->fileNonPersistent_.push_back(name);
            } else if (value.is(PickleKind::Tensor)) {
                node->setTensorAttribute(name, tensorOf(value));
            } else {
                node->setAttr(name, AttributeValue::plain(plainValueOf(ivalueOf(value, depth))));
            }
        }
        node->training_ = training;
        node->qualifiedName_ = qualified;
        node->scripted_ = true;
        node->archive_ = archive;
        node->archivePath_ = path;
        node->fileRuntimeActive_ = true;  // confirmed (loading the archive) by the first prepareForward
        node->subtreeStale_ = true;
        built[object.index()] = node.get();
        return node;
    }

    void addChild(ModuleNode& parent, const std::string& name, PickleValue object, const std::string& path,
                  size_t depth)
    {
        const auto known = built.find(object.index());
        if (known == built.end()) {
            parent.addModule(name, build(object, path, depth + 1));
            return;
        }
        if (!known->second)
            throw NeedsJitLoad{};  // a module inside itself
        // One module object under two names: one node, as torch::jit::load keeps one object.
        parent.addModuleChecked(name, AttributeValue::module(known->second->weak_from_this().lock()));
    }
};

std::unique_ptr<ModuleNode> importScriptArchive(const files::TorchSaveFile& file,
                                                const ScriptImport::NonPersistent& nonPersistent,
                                                std::shared_ptr<ScriptArchive> archive)
{
    const PickleValue root = file.pickle.root();
    if (!root.is(PickleKind::Dict) || file.pickle.dict(root).scriptClass.empty())
        return nullptr;
    try {
        ArchiveImporter importer{file, nonPersistent, std::move(archive), {}, {}};
        return importer.build(root, "", 0);
    } catch (const NeedsJitLoad&) {
        return nullptr;
    }
}

torch::jit::Module ScriptArchive::module()
{
    std::lock_guard<std::mutex> lock(mutex_);
    if (loaded_)
        return *loaded_;
    if (error_.empty()) {
        struct stat now {};
        if (::stat(path.c_str(), &now) != 0 || static_cast<uint64_t>(now.st_size) != size ||
            static_cast<int64_t>(now.st_mtim.tv_sec) * 1000000000 + now.st_mtim.tv_nsec != modifiedNs) {
            error_ = "cannot load the compiled code of '" + path +
                     "': the file changed on disk since it was opened (open it again)";
        } else {
            try {
                TensorBudgetScope budget;
                loaded_ = torch::jit::load(path, c10::Device(c10::kCPU));
                return *loaded_;
            } catch (const c10::Error& e) {
                const std::string refusal = takeTensorBudgetRefusal();
                const std::string what = e.what_without_backtrace();
                error_ = refusal.empty() ? "cannot load the compiled code of '" + path +
                                               "': " + what.substr(0, what.find('\n'))
                                         : refusal;
            } catch (const std::exception& e) {
                error_ = std::string("cannot load the compiled code of '") + path + "': " + e.what();
            }
        }
    }
    throw std::runtime_error(error_);
}

}  // namespace mx
