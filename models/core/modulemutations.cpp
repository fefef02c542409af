// ModuleNode's Python mutations (Module.__setattr__, register_buffer, register_parameter,
// add_module, __delattr__, __getattr__ of PyTorch 1.13's torch/nn/modules/module.py), each
// returning the applied Edit (moduleedits.cpp) that undoes and redoes it.

#include "core/modulenode.h"

#include "core/editsteps.h"
#include "core/layers.h"
#include "core/moduleclassnames.h"
#include "core/pythonerror.h"
#include "core/tensorfactory.h"

#include <algorithm>
#include <utility>

namespace mx {

namespace {

using Kind = Edit::Change::Kind;

PythonError keyError(const std::string& message) { return PythonError("KeyError", message); }
PythonError typeError(const std::string& message) { return PythonError("TypeError", message); }

bool hasDot(const std::string& name) { return name.find('.') != std::string::npos; }

// The instance attributes nn.Module.__init__ sets (vars(nn.Module())), with torch.typename of each.
const std::vector<std::pair<std::string, std::string>> kInstanceAttributes{
    {"training", "bool"},
    {"_parameters", "OrderedDict"},
    {"_buffers", "OrderedDict"},
    {"_non_persistent_buffers_set", "set"},
    {"_backward_hooks", "OrderedDict"},
    {"_is_full_backward_hook", "NoneType"},
    {"_forward_hooks", "OrderedDict"},
    {"_forward_pre_hooks", "OrderedDict"},
    {"_state_dict_hooks", "OrderedDict"},
    {"_load_state_dict_pre_hooks", "OrderedDict"},
    {"_load_state_dict_post_hooks", "OrderedDict"},
    {"_modules", "OrderedDict"},
};

const std::pair<std::string, std::string>* instanceAttribute(const std::string& name)
{
    for (const auto& a : kInstanceAttributes)
        if (a.first == name)
            return &a;
    return nullptr;
}

bool isModuleMember(const std::string& name)
{
    const std::vector<std::string>& names = moduleMemberNames();
    return std::binary_search(names.begin(), names.end(), name);
}

}  // namespace

const std::vector<std::string>& moduleMemberNames()
{
    // sorted(dir(torch.nn.Module())): the class's names and what nn.Module.__init__ sets.
    static const std::vector<std::string> names = [] {
        const NameList members = nnModuleMembers();
        std::vector<std::string> out(members.begin, members.end);
        for (const auto& attribute : kInstanceAttributes)
            out.push_back(attribute.first);
        std::sort(out.begin(), out.end());
        return out;
    }();
    return names;
}

const std::vector<std::pair<std::string, std::string>>& moduleInstanceAttributes()
{
    return kInstanceAttributes;
}

// ---- the mutations ---------------------------------------------------------------------------

void ModuleNode::checkReservedForSetattr(const std::string& name, const AttributeValue& value) const
{
    if (!isModuleMember(name))
        return;
    // Python: remove_from() finds nothing, then register_parameter's hasattr() check fails.
    if (value.isParameter() && !instanceAttribute(name))
        throw keyError("attribute '" + name + "' already exists");
    throw UnsupportedError("Module Explorer does not model assigning to nn.Module's own member '" +
                           name + "'");
}

Edit ModuleNode::setAttr(const std::string& name, AttributeValue value)
{
    checkReservedForSetattr(name, value);
    const long p = indexOf(Section::Parameters, name);
    const long b = indexOf(Section::Buffers, name);
    const long a = indexOf(Section::Attributes, name);
    const long c = indexOf(Section::Modules, name);
    Edit edit = makeEdit();
    auto& steps = edit.steps_;
    auto removeFrom = [&](Section section, long index) {
        if (index >= 0)
            addStep(steps, Kind::Remove, section, static_cast<size_t>(index), name);
    };
    auto put = [&](Section section, long index, size_t size) -> Edit::Step& {
        return index >= 0 ? addStep(steps, Kind::Replace, section, static_cast<size_t>(index), name)
                          : addStep(steps, Kind::Insert, section, size, name);
    };

    if (value.isParameter()) {
        // remove_from(__dict__, _buffers, _modules, _non_persistent_buffers_set), then
        // register_parameter(name, value), whose checks are made first here.
        if (hasDot(name))
            throw keyError("parameter name can't contain \".\"");
        if (name.empty())
            throw keyError("parameter name can't be empty string \"\"");
        removeFrom(Section::Attributes, a);
        removeFrom(Section::Buffers, b);
        removeFrom(Section::Modules, c);
        put(Section::Parameters, p, parameters_.size()).slot = {name, value.tensor(),
                                                                EntryKind::Parameter};
    } else if (p >= 0) {
        if (!value.isNone())
            throw typeError("cannot assign '" + value.typeName() + "' as parameter '" + name +
                            "' (torch.nn.Parameter or None expected)");
        put(Section::Parameters, p, 0).slot = {name, TensorRef(), EntryKind::Parameter};
    } else if (value.isModule()) {
        checkCanHold(value);
        removeFrom(Section::Attributes, a);
        removeFrom(Section::Buffers, b);
        put(Section::Modules, c, children_.size()).child = {name, value.takeModule()};
    } else if (c >= 0) {
        if (!value.isNone())
            throw typeError("cannot assign '" + value.typeName() + "' as child module '" + name +
                            "' (torch.nn.Module or None expected)");
        put(Section::Modules, c, 0).child = {name, nullptr};
    } else if (b >= 0) {
        if (!value.isNone() && !value.isTensor())
            throw typeError("cannot assign '" + value.typeName() + "' as buffer '" + name +
                            "' (torch.Tensor or None expected)");
        put(Section::Buffers, b, 0).slot = {name, value.tensor(),
                                            buffers_[static_cast<size_t>(b)].kind};
    } else {
        PlainAttribute attribute;
        attribute.name = name;
        attribute.isTensor = value.isTensor();
        attribute.tensor = value.tensor();
        attribute.value = value.plain();
        put(Section::Attributes, a, plain_.size()).attribute = std::move(attribute);
    }
    edit.apply();
    return edit;
}

Edit ModuleNode::registerBufferChecked(const AttributeValue& name, AttributeValue tensor,
                                       bool persistent)
{
    if (!name.isString())
        throw typeError("buffer name should be a string. Got " + name.typeName());
    return registerBufferChecked(name.plain().stringValue(), std::move(tensor), persistent);
}

Edit ModuleNode::registerBufferChecked(const std::string& name, AttributeValue tensor,
                                       bool persistent)
{
    const long b = indexOf(Section::Buffers, name);
    if (hasDot(name))
        throw keyError("buffer name can't contain \".\"");
    if (name.empty())
        throw keyError("buffer name can't be empty string \"\"");
    if (b < 0 && hasAttr(name))
        throw keyError("attribute '" + name + "' already exists");
    if (!tensor.isNone() && !tensor.isTensor())
        throw typeError("cannot assign '" + tensor.typeName() + "' object to buffer '" + name +
                        "' (torch Tensor or None required)");
    Edit edit = makeEdit();
    addStep(edit.steps_, b >= 0 ? Kind::Replace : Kind::Insert, Section::Buffers,
            b >= 0 ? static_cast<size_t>(b) : buffers_.size(), name)
        .slot = {name, tensor.tensor(),
                 persistent ? EntryKind::Buffer : EntryKind::NonPersistentBuffer};
    edit.apply();
    return edit;
}

Edit ModuleNode::registerParameterChecked(const AttributeValue& name, AttributeValue param)
{
    if (!name.isString())
        throw typeError("parameter name should be a string. Got " + name.typeName());
    return registerParameterChecked(name.plain().stringValue(), std::move(param));
}

Edit ModuleNode::registerParameterChecked(const std::string& name, AttributeValue param)
{
    const long p = indexOf(Section::Parameters, name);
    if (hasDot(name))
        throw keyError("parameter name can't contain \".\"");
    if (name.empty())
        throw keyError("parameter name can't be empty string \"\"");
    if (p < 0 && hasAttr(name))
        throw keyError("attribute '" + name + "' already exists");
    if (!param.isNone() && !param.isParameter())
        throw typeError("cannot assign '" + param.typeName() + "' object to parameter '" + name +
                        "' (torch.nn.Parameter or None required)");
    Edit edit = makeEdit();
    addStep(edit.steps_, p >= 0 ? Kind::Replace : Kind::Insert, Section::Parameters,
            p >= 0 ? static_cast<size_t>(p) : parameters_.size(), name)
        .slot = {name, param.tensor(), EntryKind::Parameter};
    edit.apply();
    return edit;
}

Edit ModuleNode::addModuleChecked(const AttributeValue& name, AttributeValue module)
{
    if (!module.isModule() && !module.isNone())
        throw typeError(module.typeName() + " is not a Module subclass");
    if (!name.isString())
        throw typeError("module name should be a string. Got " + name.typeName());
    return addModuleChecked(name.plain().stringValue(), std::move(module));
}

Edit ModuleNode::addModuleChecked(const std::string& name, AttributeValue module)
{
    const long c = indexOf(Section::Modules, name);
    if (!module.isModule() && !module.isNone())
        throw typeError(module.typeName() + " is not a Module subclass");
    if (c < 0 && hasAttr(name))
        throw keyError("attribute '" + name + "' already exists");
    if (hasDot(name))
        throw keyError("module name can't contain \".\", got: " + name);
    if (name.empty())
        throw keyError("module name can't be empty string \"\"");
    checkCanHold(module);
    Edit edit = makeEdit();
    addStep(edit.steps_, c >= 0 ? Kind::Replace : Kind::Insert, Section::Modules,
            c >= 0 ? static_cast<size_t>(c) : children_.size(), name)
        .child = {name, module.takeModule()};
    edit.apply();
    return edit;
}

Edit ModuleNode::delAttr(const std::string& name)
{
    for (Section section :
         {Section::Parameters, Section::Buffers, Section::Modules, Section::Attributes}) {
        const long i = indexOf(section, name);
        if (i < 0)
            continue;
        Edit edit = makeEdit();
        addStep(edit.steps_, Kind::Remove, section, static_cast<size_t>(i), name);
        edit.apply();
        return edit;
    }
    if (instanceAttribute(name))
        throw UnsupportedError("Module Explorer does not model deleting nn.Module's own member '" +
                               name + "'");
    // object.__delattr__ on a class attribute (a method) or on nothing at all.
    throw PythonError("AttributeError",
                      "'" + pythonClassName() + "' object has no attribute '" + name + "'");
}

Edit ModuleNode::deleteChildrenRenumbered(std::vector<size_t> positions)
{
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
    // Everything from the first entry that goes or is re-keyed leaves, last first, and the ones
    // that stay come back under their new names: every step works at the end of _modules, so
    // `del seq[::2]` on 100,000 children stays linear. The Insert steps share the modules with
    // the slots they left.
    size_t from = positions.empty() ? children_.size() : positions.front();
    for (size_t i = 0; i < from; ++i)
        if (children_[i].name != std::to_string(i))
            from = i;
    Edit edit = makeEdit();
    std::vector<std::shared_ptr<ModuleNode>> staying;
    for (size_t i = children_.size(); i-- > from;) {
        addStep(edit.steps_, Kind::Remove, Section::Modules, i, children_[i].name);
        if (!std::binary_search(positions.begin(), positions.end(), i))
            staying.push_back(children_[i].module);
    }
    size_t at = from;
    for (auto it = staying.rbegin(); it != staying.rend(); ++it, ++at) {
        const std::string name = std::to_string(at);
        addStep(edit.steps_, Kind::Insert, Section::Modules, at, name).child = {name, *it};
    }
    edit.apply();
    return edit;
}

AttributeLookup ModuleNode::getAttr(const std::string& name) const
{
    AttributeLookup out;
    if (const long a = indexOf(Section::Attributes, name); a >= 0) {
        const PlainAttribute& attribute = plain_[static_cast<size_t>(a)];
        out.source = AttributeLookup::Source::Attribute;
        out.index = static_cast<size_t>(a);
        out.tensor = attribute.tensor;
        out.value = attribute.value;
        out.typeName = attribute.typeName();
        return out;
    }
    if (isModuleMember(name)) {
        out.source = AttributeLookup::Source::ModuleMember;
        if (const auto* instance = instanceAttribute(name))
            out.typeName = instance->second;
        if (name == "training")
            out.value = PythonValue::boolean(training_);
        return out;
    }
    if (const long p = indexOf(Section::Parameters, name); p >= 0) {
        out.source = AttributeLookup::Source::Parameter;
        out.index = static_cast<size_t>(p);
        out.tensor = parameters_[out.index].tensor;
        out.typeName = tensorTypeName(out.tensor);
        return out;
    }
    if (const long b = indexOf(Section::Buffers, name); b >= 0) {
        out.source = AttributeLookup::Source::Buffer;
        out.index = static_cast<size_t>(b);
        out.tensor = buffers_[out.index].tensor;
        out.typeName = tensorTypeName(out.tensor);
        return out;
    }
    if (const long c = indexOf(Section::Modules, name); c >= 0) {
        out.source = AttributeLookup::Source::Module;
        out.index = static_cast<size_t>(c);
        out.module = children_[out.index].module.get();
        out.typeName = out.module ? moduleTypeName(out.module->pythonClassName()) : "NoneType";
        return out;
    }
    throw PythonError("AttributeError",
                      "'" + pythonClassName() + "' object has no attribute '" + name + "'");
}

bool ModuleNode::hasAttr(const std::string& name) const
{
    // A layer's own attributes (conv.padding) exist too, though the model keeps them elsewhere;
    // a loaded TorchScript module has only what its file holds.
    return isModuleMember(name) || indexOf(Section::Attributes, name) >= 0 ||
           indexOf(Section::Parameters, name) >= 0 || indexOf(Section::Buffers, name) >= 0 ||
           indexOf(Section::Modules, name) >= 0 ||
           (!scripted_ && moduleClassAdds(typeName_, name));
}

// ---- builders --------------------------------------------------------------------------------

void ModuleNode::registerParameter(const std::string& name, const TensorRef& tensor)
{
    registerParameterChecked(name, AttributeValue::parameter(tensor));
}

void ModuleNode::registerBuffer(const std::string& name, const TensorRef& tensor, bool persistent)
{
    registerBufferChecked(name, AttributeValue::tensor(tensor), persistent);
}

void ModuleNode::setTensorAttribute(const std::string& name, const TensorRef& tensor)
{
    setAttr(name, AttributeValue::tensor(tensor));
}

ModuleNode& ModuleNode::addModule(const std::string& name, std::unique_ptr<ModuleNode> child)
{
    ModuleNode& added = *child;
    addModuleChecked(name, AttributeValue::module(std::move(child)));
    return added;
}

}  // namespace mx
