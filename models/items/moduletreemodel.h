#pragma once

#include "core/edit.h"
#include "items/entrylocation.h"
#include "items/trainingtypes.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QPersistentModelIndex>
#include <QSet>

#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mx {
class ModelDocument;
class ModuleNode;
struct ChangeRecord;
struct DocumentChange;
struct TreeModule;
struct TreeTensorRow;

/**
 * The open document's model as a lazy tree: one row for the model, and under every module its
 * parameters, buffers and plain tensor attributes (state_dict order), then its submodules. A
 * module's rows are read from the core when a view first asks for them; after that the model
 * applies the document's change records to them (inserted, removed and changed rows, never a
 * reset), and data() answers from what it copied, so views never read the core.
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
        SharedWithRole,                     // QString: a module row's first name, when this row
                                            // shows the module under another name ("" if not)
        TensorRole,                         // mx::TensorRef (items/tensorvariant.h) of a tensor
                                            // row while the model may be read; invalid otherwise
        GradientRole,                       // mx::TensorRef of a parameter's .grad while the
                                            // model may be read; invalid when None or not read
    };

    explicit ModuleTreeModel(QObject* parent = nullptr);
    ~ModuleTreeModel() override;

    /**
     * Shows `document`'s model and follows its changes (nullptr: nothing). Resets the model. No
     * module's rows are read while the document holds changes not delivered yet (the rows would
     * be ahead of the records). The document must outlive this model or be detached first.
     */
    void setDocument(ModelDocument* document);
    ModelDocument* document() const { return document_; }
    /** The model shown (nullptr for none). */
    const ModuleNode* root() const;

    /**
     * false while a job (a console statement, a dialog's check, a forward pass) may use the model
     * on another thread: nothing here reads the core then. Rows already built keep showing what
     * they showed, a module whose rows were never built has none, the value preview says it is
     * not read. Call it with false before the job starts (the worker then owns the model) and
     * with true after it ends, before its changes are delivered: the rows held back are announced
     * and the rows shown meanwhile are read once those changes are applied.
     */
    void setReadsAllowed(bool allowed);
    bool readsAllowed() const { return readsAllowed_; }

    /**
     * Shows a forward run in the Shape column of module rows: "→ torch.Size([...])" for modules
     * that ran (keyed by dotted path), "not called" for the others. Empty arguments clear it; so
     * does any edit.
     */
    void setForwardTrace(const QHash<QString, QString>& outputByPath, const QSet<QString>& notCalled);

    /**
     * Marks entries after File → Load state_dict into Model…: by dotted key, "loaded",
     * "missing" or "mismatched" (a tinted background and a tooltip). Empty clears; so does
     * replacing the model.
     */
    void setLoadHighlights(const QHash<QString, QString>& statusByKey);

    /**
     * Marks tensor rows with what a training run did (by dotted name): a tint (moved by the
     * optimizer / by forward), the change after the state_dict key, and a tooltip saying why.
     * Empty clears them.
     */
    void setTrainingMarks(const QHash<QString, TrainingMark>& marks);
    QModelIndex indexFor(const EntryLocation& location, int column = 0) const;

Q_SIGNALS:
    /**
     * After a change is applied: rows [first, last] under `parent` are entries the change added
     * (for revealing them), unlike rows announced because a view asked for them while reads were
     * held back. Sent once per run of inserted rows, after rowsInserted.
     */
    void rowsInsertedByEdit(const QModelIndex& parent, int first, int last);

public:
    EntryLocation locationOf(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& index) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct PendingRows;  // row insertions or removals held back to announce neighbours as one

    // Reading (moduletreemodel.cpp)
    bool canRead() const;
    TreeModule* moduleAt(const QModelIndex& index) const;
    int rowsOf(TreeModule& module) const;
    void readOnFirstShow(TreeModule* container, int row) const;
    void readUnread();
    TreeModule* ensureModule(const ModuleNode* node) const;
    QModelIndex indexOf(const TreeModule& module, int column = 0) const;
    void registerChildren(TreeModule& module) const;
    QVariant moduleData(const TreeModule& module, int column, int role) const;
    QVariant tensorData(const TreeModule& container, const TreeTensorRow& row, int column,
                        int role) const;
    void emitRowsChanged(TreeModule& module, int first, int last);

    // Following the document (moduletreechanges.cpp)
    void onDocumentChange(const DocumentChange& change);
    void resetTo(const ModuleNode* root);
    void applyEdited(const std::vector<ChangeRecord>& records);
    bool applyRecord(TreeModule& module, const Edit::Change& change, PendingRows& pending);
    void insertRow(TreeModule& module, Section section, size_t at, const std::string& name,
                   PendingRows& pending);
    void removeRow(TreeModule& module, Section section, size_t at, PendingRows& pending);
    void flush(PendingRows& pending);
    void settle(TreeModule& module);
    void resync(TreeModule& module);
    void showRows(TreeModule& module);
    void refreshSummaries(const std::vector<const ModuleNode*>& touched);
    void refreshTensors();
    void refreshTensorRows(TreeModule& module);
    void clearForwardTrace();
    void emitModuleShapesChanged();
    void announceHeldBackRows();
    void forget(std::unique_ptr<TreeModule> module);
    void bind(TreeModule& module) const;
    TreeModule* firstRowOf(const ModuleNode* node) const;
    void markSharedRows();

    ModelDocument* document_ = nullptr;
    int subscription_ = 0;
    bool readsAllowed_ = true;
    bool applying_ = false;    // records are being applied: the core is ahead of the rows
    bool announcing_ = false;
    std::unique_ptr<TreeModule> root_;
    // Bound rows by node: a module shared under several names has a row under each.
    mutable std::unordered_map<const ModuleNode*, std::vector<TreeModule*>> modules_;
    mutable bool anyShared_ = false;  // some row was shown as a module's second name
    mutable std::vector<TreeModule*> heldBack_;  // Rows::AnsweredEmpty, to announce
    mutable std::vector<TreeModule*> unread_;    // TreeModule::unreadIndexed, to read
    std::vector<std::pair<QPersistentModelIndex, QPersistentModelIndex>> insertedByEdit_;
    QHash<QString, QString> traceOutputs_;
    QSet<QString> notCalled_;
    QHash<QString, QString> loadStatus_;
    QHash<QString, TrainingMark> trainingMarks_;
};

}  // namespace mx
