#pragma once

#include "items/entrylocation.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QSet>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace mx {
class ModuleNode;
struct TensorSlot;

/**
 * Lazy tree over a ModuleNode: one row for the model, and under every module its parameters,
 * buffers and plain tensor attributes (state_dict order), then its submodules. Rows are computed
 * on demand from the core, so a model with 100,000 entries costs nothing up front.
 */
class ModuleTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    // Summary comes last: it holds the long texts (a module's repr, a tensor's state_dict key).
    enum Column { Name, Kind, Shape, DType, Device, RequiresGrad, Numel, Bytes, Summary, ColumnCount };
    enum Role {
        EntryKindRole = Qt::UserRole + 1,  // int(EntryKind) for tensors, -1 for modules
        InStateDictRole,                    // bool
        ExplanationRole,                    // QString: why it is (not) in state_dict
        PathRole,                           // QString: dotted path, "" for the model
        ValuePreviewRole,                   // QString: sum and first values (tensors only)
    };

    explicit ModuleTreeModel(QObject* parent = nullptr);

    /** Shows `root` (not owned; nullptr for nothing). Resets the model. */
    void setRoot(const ModuleNode* root);
    const ModuleNode* root() const { return root_; }

    /**
     * Shows a forward run in the Shape column of module rows: "→ torch.Size([...])" for modules
     * that ran (keyed by dotted path), "not called" for the others. Empty arguments clear it.
     */
    void setForwardTrace(const QHash<QString, QString>& outputByPath, const QSet<QString>& notCalled);
    /** Tensors changed in place (values or device after a run): repaints every row. */
    void refreshAll();
    /**
     * `module`'s own entries or children changed (an edit, undo or redo): compares the rows the
     * view knows with the module's current ones and announces the difference with
     * begin/endRemoveRows and begin/endInsertRows (never a reset), then repaints its rows and
     * its ancestors' totals.
     */
    void syncModule(const ModuleNode* module);

    QModelIndex indexFor(const EntryLocation& location, int column = 0) const;
    EntryLocation locationOf(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& index) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Totals {
        int64_t parameters = 0;
        int64_t trainable = 0;
        int64_t bufferBytes = 0;
    };

    /** One row under a module as the view knows it; rows are re-read from the core on sync. */
    struct Row {
        EntryLocation::Section section;
        size_t index;               // within the section (for modules: among live children)
        std::string name;
        const ModuleNode* child;    // the submodule for module rows
        bool operator==(const Row& o) const
        {
            return section == o.section && name == o.name && child == o.child;
        }
    };

    static std::vector<Row> currentRows(const ModuleNode& module);
    const std::vector<Row>& rowsOf(const ModuleNode& module) const;
    void forgetSubtree(const ModuleNode* module);
    const TensorSlot* slotOf(const EntryLocation& location) const;
    QString pathOf(const ModuleNode& module) const;
    const Totals& totalsOf(const ModuleNode& module) const;
    QVariant moduleData(const ModuleNode& module, int column, int role) const;
    QVariant slotData(const EntryLocation& location, int column, int role) const;

    void emitChangedBelow(const QModelIndex& parent);

    const ModuleNode* root_ = nullptr;
    QHash<QString, QString> traceOutputs_;
    QSet<QString> notCalled_;
    mutable std::unordered_map<const ModuleNode*, Totals> totals_;
    mutable std::unordered_map<const ModuleNode*, std::vector<Row>> rows_;  // built lazily
    // Which module's rows list each shown module, as the view knows it: a removed child keeps
    // its place here until the view has been told, even though the core has detached it.
    mutable std::unordered_map<const ModuleNode*, const ModuleNode*> shownParent_;
};

}  // namespace mx
