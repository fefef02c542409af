#pragma once
// Private to ModuleTreeModel: what the tree shows of each module and tensor, copied out of the core
// (metadata only, never tensor values) when rows are built or a change is applied, so that data()
// never reads the model.

#include "core/modulenode.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mx {

/** Subtree totals shown on a module row: parameters() and buffers() of the subtree. */
struct TreeTotals {
    int64_t parameters = 0;
    int64_t trainable = 0;
    int64_t bufferBytes = 0;
};

/** One parameter, buffer or tensor attribute row, as last read from its slot. */
struct TreeTensorRow {
    std::string name;
    EntryKind kind = EntryKind::Parameter;
    bool none = true;
    bool stale = true;  // inserted or replaced by a change and not read from the core yet
    std::vector<int64_t> shape;
    std::string dtype;
    std::string device;
    bool requiresGrad = false;
    int64_t numel = 0;
    int64_t bytes = 0;
    TensorRef tensor;  // only for the value preview, read only while reads are allowed
};

/**
 * One module as the tree knows it: the model, or a submodule row of a module whose rows are
 * built. Its own rows (parameters, buffers, tensor attributes, non-None children) are built on
 * first demand and then kept in step by change records; `attributeIsTensor` and `childIsModule`
 * mirror every plain attribute and _modules entry, so record positions map to rows.
 */
struct TreeModule {
    enum class Rows {
        Unbuilt,       // never asked for: nothing to keep in step
        AnsweredEmpty, // asked while the model could not be read: the view was told 0 rows
        Shown,         // built and announced
    };

    const ModuleNode* node = nullptr;  // nullptr: a row a change inserted, bound when it is applied
    TreeModule* parent = nullptr;      // the module whose rows list this one (nullptr: the model)
    size_t position = 0;               // among parent->children
    QString name;
    QString path;  // dotted, "" for the model
    std::string typeName;
    std::string headline;
    std::string repr;
    TreeTotals totals;

    Rows rows = Rows::Unbuilt;
    std::vector<TreeTensorRow> parameters;
    std::vector<TreeTensorRow> buffers;
    std::vector<TreeTensorRow> attributes;
    std::vector<std::unique_ptr<TreeModule>> children;
    std::vector<char> attributeIsTensor;  // one per plainAttributes() entry
    std::vector<char> childIsModule;      // one per childSlots() entry
    size_t shownAttributes = 0;           // count of true in attributeIsTensor
    size_t shownChildren = 0;             // count of true in childIsModule
    bool outOfStep = false;               // a change record did not fit the rows: re-read them

    int rowCount() const
    {
        return static_cast<int>(parameters.size() + buffers.size() + attributes.size() +
                                children.size());
    }
    int childrenOffset() const
    {
        return static_cast<int>(parameters.size() + buffers.size() + attributes.size());
    }
    int rowInParent() const { return parent ? parent->childrenOffset() + int(position) : 0; }
};

namespace treerows {

/** Copies what a row shows of `slot`. */
TreeTensorRow readTensor(const TensorSlot& slot);
/** parameters() and buffers() of the subtree: each tensor counted once, None skipped. */
TreeTotals subtreeTotals(const ModuleNode& module);
/** Re-reads a bound module's own texts and totals. */
void readSummary(TreeModule& module);
/** A row for `node` (or a placeholder for nullptr) under `parent`, its summary read. */
std::unique_ptr<TreeModule> makeModule(const ModuleNode* node, const QString& name,
                                       TreeModule* parent, size_t position);
/** Builds `module`'s own rows and mirrors from its node (children get new, unregistered rows). */
void readRows(TreeModule& module);
/** Whether `module`'s rows and mirrors list exactly its node's entries (names and children). */
bool rowsMatch(const TreeModule& module);

}  // namespace treerows
}  // namespace mx
