// Scripted modules (loaded from TorchScript files): which jit module runs them. The file's own
// module keeps its compiled code, whose attribute slots are fixed by the file, and its class types
// may be shared with equal siblings, so the app never mutates them: while the eager state has the
// file's layout, the file's module runs with its slot values refreshed from the eager state; once
// an edit changes the layout, the app's own mirror (an unshared class type, no forward) takes over
// until the edit is undone.

#include "core/formatting.h"
#include "core/moduleruntime.h"
#include "core/scriptimport.h"
#include "core/tensoraccess.h"

#include <algorithm>

namespace mx {

namespace {

bool accepts(const c10::TypePtr& slotType, const c10::TypePtr& valueType)
{
    return valueType->isSubtypeOf(*slotType);
}

// The eager value that file slot `type` would receive for a plain attribute, or nothing when the
// slot cannot hold it.
bool plainValue(const PlainAttribute& a, const c10::TypePtr& type, c10::IValue& out)
{
    if (a.isTensor) {
        const at::Tensor& t = TensorAccess::tensor(a.tensor);
        if (!t.defined())
            return false;
        out = t;
        return accepts(type, c10::TensorType::get());
    }
    const PythonValue& v = a.value;
    switch (v.kind()) {
    case PythonValue::Kind::None: out = c10::IValue(); return accepts(type, c10::NoneType::get());
    case PythonValue::Kind::Bool: out = v.boolValue(); return accepts(type, c10::BoolType::get());
    case PythonValue::Kind::Int: out = v.intValue(); return accepts(type, c10::IntType::get());
    case PythonValue::Kind::Float:
        out = v.floatValue();
        return accepts(type, c10::FloatType::get());
    case PythonValue::Kind::Str:
        out = v.stringValue();
        return accepts(type, c10::StringType::get());
    case PythonValue::Kind::Other:
        if (!v.payload())
            return false;
        out = *static_cast<const c10::IValue*>(v.payload().get());
        return out.type()->isSubtypeOf(*type);
    }
    return false;
}

bool tensorValue(const TensorSlot& slot, const c10::TypePtr& type, c10::IValue& out)
{
    const at::Tensor& t = TensorAccess::tensor(slot.tensor);
    if (!t.defined()) {
        out = c10::IValue();
        return accepts(type, c10::NoneType::get());
    }
    out = t;
    return accepts(type, c10::TensorType::get());
}

}  // namespace

ModuleNode::Runtime& ModuleNode::fileRuntime() const
{
    if (!fileRuntime_) {
        torch::jit::Module module = archive_->module();  // loads the archive once
        for (const std::string& name : dottedParts(archivePath_))
            module = module.attr(name).toModule();
        if (module.hasattr("training"))
            module._ivalue()->setAttr("training", training_);
        fileRuntime_ = std::make_unique<Runtime>(Runtime{module});
    }
    return *fileRuntime_;
}

bool ModuleNode::fileLayoutMatches() const
{
    const torch::jit::Module& file = fileRuntime().module;
    const c10::ClassTypePtr type = file.type();
    size_t p = 0, b = 0, a = 0, c = 0;
    std::vector<std::pair<size_t, c10::IValue>> values;
    for (size_t i = 0; i < type->numAttributes(); ++i) {
        const std::string& name = type->getAttributeName(i);
        const c10::TypePtr& slotType = type->getAttribute(i);
        c10::IValue value;
        const bool savedAsAttribute = std::find(fileNonPersistent_.begin(), fileNonPersistent_.end(),
                                                name) != fileNonPersistent_.end();
        if (type->is_parameter(i)) {
            if (p >= parameters_.size() || parameters_[p].name != name ||
                !tensorValue(parameters_[p], slotType, value))
                return false;
            ++p;
        } else if (type->is_buffer(i) || savedAsAttribute) {
            if (b >= buffers_.size() || buffers_[b].name != name ||
                !tensorValue(buffers_[b], slotType, value))
                return false;
            ++b;
        } else if (const auto cls = slotType->cast<c10::ClassType>(); cls && cls->is_module()) {
            if (c >= children_.size() || children_[c].name != name || !children_[c].module)
                return false;
            const ModuleNode& child = *children_[c].module;
            if (!child.scripted_ || !child.fileRuntimeActive_ || child.fileRuntime().module.type() != cls)
                return false;
            value = child.fileRuntime().module._ivalue();
            ++c;
        } else if (name == "training" || isModuleOwnAttribute(name)) {
            continue;  // train() keeps `training` current; the others stay as the file has them
        } else {
            if (a >= plain_.size() || plain_[a].name != name ||
                !plainValue(plain_[a], slotType, value))
                return false;
            ++a;
        }
        values.emplace_back(i, std::move(value));
    }
    if (p != parameters_.size() || b != buffers_.size() || a != plain_.size() ||
        c != children_.size())
        return false;
    for (auto& [slot, value] : values)
        file._ivalue()->setSlot(slot, std::move(value));
    return true;
}

void ModuleNode::selectRuntime() const
{
    const bool wasActive = fileRuntimeActive_;
    std::string loadError;
    try {
        fileRuntimeActive_ = fileLayoutMatches();
    } catch (const std::exception& e) {  // the archive could not be loaded (changed on disk, ...)
        fileRuntimeActive_ = false;
        loadError = e.what();
    }
    if (fileRuntimeActive_) {
        forwardError_.clear();
    } else if (!loadError.empty()) {
        forwardError_ = loadError;
    } else {
        forwardError_ = "the forward compiled in the file was made for the file's attributes of " +
                        typeName_ + ", and an edit changed them (undo it to run forward again)";
    }
    if (wasActive == fileRuntimeActive_)
        return;
    // Every parent's jit slot for this module now holds another module: re-sync them.
    for (ModuleNode* parent : parents_)
        for (size_t i = 0; i < parent->children_.size(); ++i)
            if (parent->children_[i].module.get() == this)
                parent->markStale(Section::Modules, i);
}

}  // namespace mx
