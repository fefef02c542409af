// The Edit records that undo and redo ModuleNode's mutations (modulemutations.cpp), and the
// structural steps they are made of. Torch-free: each step only marks the jit mirror stale
// (ModuleNode::markStale); modulenode.cpp brings it up to date when it is next used.

#include "core/modulenode.h"

#include "core/editsteps.h"

#include "core/layers.h"
#include "core/pythonerror.h"
#include "core/tensorfactory.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

namespace mx {

Edit::Edit() = default;
Edit::~Edit() = default;
Edit::Edit(Edit&&) noexcept = default;
Edit& Edit::operator=(Edit&&) noexcept = default;

std::vector<Edit::Change> Edit::changes() const
{
    std::vector<Change> out;
    for (const Step& s : steps_)
        out.push_back({s.kind, s.section, s.index, s.name, s.before, s.after});
    return out;
}

void Edit::apply()
{
    if (applied_ || !target_)
        return;
    for (Step& s : steps_)
        target_->applyStep(s, /*forward=*/true);
    applied_ = true;
}

void Edit::revert()
{
    if (!applied_ || !target_)
        return;
    for (auto it = steps_.rbegin(); it != steps_.rend(); ++it)
        target_->applyStep(*it, /*forward=*/false);
    applied_ = false;
}

namespace {

using Kind = Edit::Change::Kind;

// Whether applying (forward) or reverting a step of `kind` puts its entry into the module.
bool entersModule(Kind kind, bool forward) { return (kind == Kind::Insert) == forward; }

// Moves one entry between `list` and the step's `held` slot: insert, remove or swap in place,
// keeping `names` exact (a replaced entry keeps its name).
template <typename T>
void transfer(std::vector<T>& list, NameIndex& names, Kind kind, size_t index, T& held,
              bool forward)
{
    if (kind == Kind::Replace) {
        std::swap(list[index], held);
    } else if (entersModule(kind, forward)) {
        names.insert(index, held.name);
        list.insert(list.begin() + static_cast<long>(index), std::move(held));
        held = T{};
    } else {
        names.erase(index);
        held = std::move(list[index]);
        list.erase(list.begin() + static_cast<long>(index));
    }
}

}  // namespace

// ---- structure -------------------------------------------------------------------------------

long ModuleNode::indexOf(Section section, const std::string& name) const
{
    return names_[static_cast<size_t>(section)].find(name);
}

const ModuleNode* ModuleNode::findChild(const std::string& name) const
{
    const long i = indexOf(Section::Modules, name);
    return i < 0 ? nullptr : children_[static_cast<size_t>(i)].module.get();
}

ModuleNode* ModuleNode::findChild(const std::string& name)
{
    const long i = indexOf(Section::Modules, name);
    return i < 0 ? nullptr : children_[static_cast<size_t>(i)].module.get();
}

Edit ModuleNode::tensorChanged(Section section, size_t index, TensorState before)
{
    Edit edit = makeEdit();
    Edit::Step step{};
    step.kind = Kind::Replace;
    step.section = section;
    step.index = index;
    step.name = section == Section::Parameters ? parameters_.at(index).name
                : section == Section::Buffers  ? buffers_.at(index).name
                                               : plain_.at(index).name;
    step.valuesKnown = true;
    step.before = step.after = Edit::Change::Value::Tensor;
    step.inPlace = true;
    step.heldState = std::move(before);
    edit.steps_.push_back(std::move(step));
    edit.applied_ = true;
    return edit;
}

Edit ModuleNode::makeEdit()
{
    Edit edit;
    edit.target_ = this;
    edit.applied_ = false;
    return edit;
}

namespace {

using Value = Edit::Change::Value;

Value valueOf(const TensorSlot& slot) { return !slot.tensor.isNone() ? Value::Tensor : Value::None; }
Value valueOf(const ChildSlot& child) { return child.module ? Value::Module : Value::None; }
Value valueOf(const PlainAttribute& a)
{
    return a.isTensor ? Value::Tensor : a.value.isNone() ? Value::None : Value::Other;
}

// What the step removes/replaces (from the list) and inserts/puts in place (the held entry).
template <typename T>
void noteValues(Edit::Step& s, const std::vector<T>& list, const T& held)
{
    if (s.kind != Kind::Insert)
        s.before = valueOf(list[s.index]);
    if (s.kind != Kind::Remove)
        s.after = valueOf(held);
    s.valuesKnown = true;
}

}  // namespace

void ModuleNode::applyStep(Edit::Step& s, bool forward)
{
    if (s.inPlace) {  // the same tensor object stays in the entry: the jit mirror shares it
        const TensorRef& t = s.section == Section::Parameters ? parameters_[s.index].tensor
                             : s.section == Section::Buffers  ? buffers_[s.index].tensor
                                                              : plain_[s.index].tensor;
        exchangeTensorState(t, s.heldState);
        return;
    }
    if (forward && !s.valuesKnown) {
        switch (s.section) {
        case Section::Parameters: noteValues(s, parameters_, s.slot); break;
        case Section::Buffers: noteValues(s, buffers_, s.slot); break;
        case Section::Attributes: noteValues(s, plain_, s.attribute); break;
        case Section::Modules: noteValues(s, children_, s.child); break;
        }
    }
    NameIndex& names = names_[static_cast<size_t>(s.section)];
    switch (s.section) {
    case Section::Parameters: transfer(parameters_, names, s.kind, s.index, s.slot, forward); break;
    case Section::Buffers: transfer(buffers_, names, s.kind, s.index, s.slot, forward); break;
    case Section::Attributes:
        if (s.kind == Kind::Replace)
            replaceAttribute(s.index, s.attribute);
        else if (entersModule(s.kind, forward))
            insertAttribute(s.index, std::exchange(s.attribute, {}));
        else
            s.attribute = takeAttribute(s.index);
        break;
    case Section::Modules:
        if (s.kind == Kind::Replace)
            replaceChild(s.index, s.child);
        else if (entersModule(s.kind, forward))
            insertChild(s.index, std::exchange(s.child, {}));
        else
            s.child = takeChild(s.index);
        break;
    }
    markStale(s.section, s.index);
}

// Plain attributes: plain_, its name index and the tensor view tensorAttributes_ move together.

void ModuleNode::insertAttribute(size_t index, PlainAttribute attribute)
{
    names_[static_cast<size_t>(Section::Attributes)].insert(index, attribute.name);
    plain_.insert(plain_.begin() + static_cast<long>(index), std::move(attribute));
    if (plain_[index].isTensor)
        addTensorAttribute(index);
}

void ModuleNode::replaceAttribute(size_t index, PlainAttribute& held)
{
    const bool wasTensor = plain_[index].isTensor;
    std::swap(plain_[index], held);  // same name: the name index stays
    const PlainAttribute& now = plain_[index];
    if (wasTensor && now.isTensor)
        tensorAttributes_[static_cast<size_t>(tensorAttributeNames_.find(now.name))].tensor =
            now.tensor;
    else if (wasTensor)
        dropTensorAttribute(now.name);
    else if (now.isTensor)
        addTensorAttribute(index);
}

PlainAttribute ModuleNode::takeAttribute(size_t index)
{
    if (plain_[index].isTensor)
        dropTensorAttribute(plain_[index].name);
    names_[static_cast<size_t>(Section::Attributes)].erase(index);
    PlainAttribute out = std::move(plain_[index]);
    plain_.erase(plain_.begin() + static_cast<long>(index));
    return out;
}

void ModuleNode::addTensorAttribute(size_t plainIndex)
{
    // After the nearest tensor attribute before it (O(1) when appending after a tensor).
    size_t position = 0;
    for (size_t i = plainIndex; i-- > 0;) {
        if (plain_[i].isTensor) {
            position = static_cast<size_t>(tensorAttributeNames_.find(plain_[i].name)) + 1;
            break;
        }
    }
    const PlainAttribute& a = plain_[plainIndex];
    tensorAttributeNames_.insert(position, a.name);
    tensorAttributes_.insert(tensorAttributes_.begin() + static_cast<long>(position),
                             {a.name, a.tensor, EntryKind::Attribute});
}

void ModuleNode::dropTensorAttribute(const std::string& name)
{
    const size_t position = static_cast<size_t>(tensorAttributeNames_.find(name));
    tensorAttributeNames_.erase(position);
    tensorAttributes_.erase(tensorAttributes_.begin() + static_cast<long>(position));
}

// Children: children_, its name index, live_ (the non-None ones, ascending) and each live
// child's parents_ move together.

void ModuleNode::insertChild(size_t index, ChildSlot slot)
{
    names_[static_cast<size_t>(Section::Modules)].insert(index, slot.name);
    children_.insert(children_.begin() + static_cast<long>(index), std::move(slot));
    for (auto it = std::lower_bound(live_.begin(), live_.end(), index); it != live_.end(); ++it)
        ++*it;
    if (children_[index].module)
        attachLiveChild(index);
}

void ModuleNode::replaceChild(size_t index, ChildSlot& held)
{
    if (children_[index].module)
        detachLiveChild(index);
    std::swap(children_[index], held);
    if (children_[index].module)
        attachLiveChild(index);
}

ChildSlot ModuleNode::takeChild(size_t index)
{
    if (children_[index].module)
        detachLiveChild(index);
    names_[static_cast<size_t>(Section::Modules)].erase(index);
    ChildSlot out = std::move(children_[index]);
    children_.erase(children_.begin() + static_cast<long>(index));
    for (auto it = std::lower_bound(live_.begin(), live_.end(), index); it != live_.end(); ++it)
        --*it;
    return out;
}

void ModuleNode::attachLiveChild(size_t index)
{
    live_.insert(std::lower_bound(live_.begin(), live_.end(), index), index);
    children_[index].module->parents_.push_back(this);
}

void ModuleNode::detachLiveChild(size_t index)
{
    live_.erase(std::lower_bound(live_.begin(), live_.end(), index));
    // One of this module's entries goes (the latest: a module held twice by one parent keeps one).
    std::vector<ModuleNode*>& parents = children_[index].module->parents_;
    parents.erase(std::prev(std::find(parents.rbegin(), parents.rend(), this).base()));
}

bool ModuleNode::contains(const ModuleNode& other) const
{
    // Up from `other` through every parent: cheaper than walking this subtree.
    bool found = false;
    other.forEachAncestor([&](const ModuleNode& node) { found = found || &node == this; });
    return found;
}

namespace {

// How many (module, name) visits state_dict() makes from `node` down: 1 + its children's, each
// child counted once per name it has here. Saturates at `limit`.
size_t moduleVisits(const ModuleNode& node, size_t limit,
                    std::unordered_map<const ModuleNode*, size_t>& memo)
{
    if (const auto known = memo.find(&node); known != memo.end())
        return known->second;
    size_t visits = 1;
    for (size_t c = 0; c < node.childCount() && visits < limit; ++c)
        visits = std::min(limit, visits + moduleVisits(node.child(c), limit, memo));
    memo.emplace(&node, visits);
    return visits;
}

}  // namespace

void ModuleNode::checkCanHold(const AttributeValue& value) const
{
    if (!value.isModule())
        return;
    const ModuleNode& module = *value.module();
    if (module.contains(*this))
        throw UnsupportedError(
            "a module that contains itself (putting a module or one of its ancestors into its own "
            "_modules) is not supported by Module Explorer's console");
    // Sharing multiplies names: Sequential(m, m) nested 40 deep gives 2^40 state_dict keys.
    // Checked when this edit shares a module (one not held elsewhere adds its modules once, so
    // big unshared models are never refused), on the modules at the top of this one.
    if (module.parents_.empty())
        return;
    std::unordered_map<const ModuleNode*, size_t> memo;
    const size_t added = moduleVisits(module, kMaxModuleVisits, memo);
    forEachAncestor([&](const ModuleNode& node) {  // each top module's visits, as named now
        if (node.parents_.empty() &&
            moduleVisits(node, kMaxModuleVisits, memo) + added >= kMaxModuleVisits)
            throw UnsupportedError(
                "sharing modules so that state_dict() visits more than " +
                std::to_string(kMaxModuleVisits) +
                " modules is not supported by Module Explorer's console");
    });
}

}  // namespace mx
