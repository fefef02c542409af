#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace mx {

class ModuleNode;

/** An nn.Module's four namespaces: _parameters, _buffers, plain attributes (__dict__), _modules. */
enum class Section { Parameters, Buffers, Attributes, Modules };

/**
 * One successful mutation of a ModuleNode (setAttr, registerBufferChecked, delAttr, ...) recorded
 * as exactly reversible steps, for undo/redo without snapshots. Each step inserts, removes or
 * replaces one entry at a position of one section (or changes the tensor of an entry in place,
 * swapping its values, data or requires_grad with the step's: ModuleNode::tensorChanged);
 * revert() runs the inverse steps backwards and apply() runs the steps again, restoring entry
 * order, values, persistence, None children and the jit mirror. A mutation returns its Edit
 * already applied.
 *
 * Whatever is out of the module meanwhile (a deleted child subtree, an overwritten tensor, or the
 * new value while reverted) is owned by the Edit. Edits must be reverted in the reverse order of
 * their application and re-applied in order, as QUndoStack does, and the target module must
 * outlive them (a target inside a removed subtree stays alive, owned by the Edit that removed it).
 */
class Edit {
public:
    /** What one step does when applied, for change notices (begin/endInsertRows and the like). */
    struct Change {
        enum class Kind { Insert, Remove, Replace };
        Kind kind;
        Section section;
        size_t index;  // position in parameters(), buffers(), plainAttributes() or childSlots()
        std::string name;
        /** What an entry holds, for views that show only some entries (tensor attributes,
         *  children that are not None). */
        enum class Value { Nothing, None, Tensor, Module, Other };
        Value before = Value::Nothing;  // the entry this step removes or replaces
        Value after = Value::Nothing;   // the entry this step inserts or puts in place
    };

    Edit();  // an empty edit, applied
    ~Edit();
    Edit(Edit&&) noexcept;
    Edit& operator=(Edit&&) noexcept;
    Edit(const Edit&) = delete;
    Edit& operator=(const Edit&) = delete;

    ModuleNode* target() const { return target_; }
    bool isApplied() const { return applied_; }
    bool isEmpty() const { return steps_.empty(); }
    /** The steps in application order (revert() undoes them last to first). */
    std::vector<Change> changes() const;

    /** Redo: applies the steps again. Precondition: !isApplied(). */
    void apply();
    /** Undo: reverts the steps. Precondition: isApplied(). */
    void revert();

    struct Step;  // opaque; defined with the mutations in moduleedits.cpp

private:
    friend class ModuleNode;

    ModuleNode* target_ = nullptr;
    std::vector<Step> steps_;
    bool applied_ = true;
};

}  // namespace mx
