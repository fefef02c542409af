#pragma once
// Private to models/core: the steps an Edit is made of, shared by moduleedits.cpp (which applies
// and reverts them) and modulemutations.cpp (which records them).

#include "core/edit.h"
#include "core/modulenode.h"
#include "core/tensorfactory.h"

#include <string>
#include <vector>

namespace mx {

/** One step of an Edit: the entry of `section` at `index` that is outside the module right now. */
struct Edit::Step {
    Change::Kind kind;
    Section section;
    size_t index;
    std::string name;
    TensorSlot slot{};           // Parameters, Buffers
    PlainAttribute attribute{};  // Attributes
    ChildSlot child{};           // Modules
    bool valuesKnown = false;    // before/after are set when the step is first applied
    bool inPlace = false;        // the entry's tensor changed in place: `heldState` swaps in
    TensorState heldState{};
    Change::Value before = Change::Value::Nothing;
    Change::Value after = Change::Value::Nothing;
};

/** Appends a step: `index` is where the entry goes (Insert) or is (Remove, Replace). */
inline Edit::Step& addStep(std::vector<Edit::Step>& steps, Edit::Change::Kind kind, Section section,
                           size_t index, const std::string& name)
{
    steps.push_back({kind, section, index, name});
    return steps.back();
}

}  // namespace mx
