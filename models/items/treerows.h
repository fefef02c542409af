#pragma once
// Private to ModuleTreeModel: what the tree shows of each module and tensor, copied out of the core
// (metadata only, never tensor values) when rows are built or a change is applied, so that data()
// never reads the model.

#include "core/modulenode.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
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
    // Read when a view first asks for the row's index (metadata of rows never shown is not read),
    // or at once when a change inserts or replaces it.
    bool metadataRead = false;
    bool stale = true;  // inserted or replaced by a change and not read from the core yet
    std::vector<int64_t> shape;
    std::string dtype;
    std::string device;
    bool requiresGrad = false;
    int64_t numel = 0;
    int64_t bytes = 0;
    TensorRef tensor;  // the slot's tensor, read only while reads are allowed
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
    /** Where the module's type came from, for the details line: "TorchScript class
     *  torchvision.models.squeezenet.Fire.", "From a state_dict file: no module type." */
    std::string origin;
    bool fromStateDict = false;  // a group of a tree made from a state_dict's keys
    /** The module's first name (named_modules' name) when this row shows it under another one:
     *  "conv1" for `a` after `model.a = model.conv1`; "" for the first name. */
    QString sharedWith;
    // Read when a view first asks for the module row's index, then kept up to date by changes.
    bool summaryRead = false;
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
    bool unreadIndexed = false;           // rows indexed while reads were not allowed

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

/** The rows of a tensor section (Parameters, Buffers or Attributes). */
std::vector<TreeTensorRow>& tensorRows(TreeModule& module, Section section);
/** A row for `slot`: name, kind and tensor; its metadata is read by readMetadata(). */
TreeTensorRow rowFor(const TensorSlot& slot);
/** Copies what the row shows of its tensor (shape, dtype, device, ...), never its values. */
void readMetadata(TreeTensorRow& row);
/** rowFor(slot) with its metadata read. */
TreeTensorRow readTensor(const TensorSlot& slot);
/** parameters() and buffers() of the subtree: each tensor counted once, None skipped. */
TreeTotals subtreeTotals(const ModuleNode& module);
/** Reads a bound module's type name and headline (cheap). */
void readTexts(TreeModule& module);
/** Reads a bound module's repr and subtree totals (a walk of its subtree). */
void readSummary(TreeModule& module);
/** A row for `node` (or a placeholder for nullptr) under `parent`; its summary is not read. */
std::unique_ptr<TreeModule> makeModule(const ModuleNode* node, const QString& name,
                                       TreeModule* parent, size_t position);
/** Builds `module`'s own rows and mirrors from its node (children get new, unregistered rows);
 *  the rows' metadata and the children's summaries are not read. */
void readRows(TreeModule& module);
/** Reads what readRows() left out, for every row of `module`. */
void readAll(TreeModule& module);
/** A row's `sharedWith`: its module's first name (firstModuleNames) when the row shows it under
 *  a later name, and its parent row does not (rows inside a later name are not marked again). */
QString sharedWith(const TreeModule& row,
                   const std::unordered_map<const ModuleNode*, std::string>& firstNames);
/** Whether `module`'s rows and mirrors list exactly its node's entries (names and children). */
bool rowsMatch(const TreeModule& module);

}  // namespace treerows
}  // namespace mx
