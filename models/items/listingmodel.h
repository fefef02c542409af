#pragma once

#include "core/listings.h"
#include "items/entrylocation.h"
#include "items/trainingtypes.h"

#include <QAbstractTableModel>

#include <string>
#include <vector>

namespace mx {
class ModelDocument;
struct DocumentChange;

/**
 * One of PyTorch's listings of a module (state_dict, named_parameters, named_buffers,
 * parameters, buffers, named_modules) as a table, one row per entry in PyTorch's order.
 * After each refresh it knows what changed since the previous listing: added rows (green),
 * rows whose shape changed (amber) and, in the "before" view, rows that were removed (red).
 */
class ListingModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // Columns of the named listings; the row number is the vertical header, as in Python's order.
    enum Column { Name, Shape, Kind, DType, Trained };  // Trained: shown after a training run
    enum class Change { None, Added, Removed, ShapeChanged };
    enum Role { ChangeRole = Qt::UserRole + 1 };  // int(Change)

    explicit ListingModel(Listing listing, QObject* parent = nullptr);
    ~ListingModel() override;

    Listing listing() const { return listing_; }
    /**
     * Lists `document`'s model and follows its changes (nullptr: nothing); resets the model. After
     * each edit, undo or redo it recomputes the listing once and announces inserted and removed
     * rows (no reset). The document must outlive this model or be detached first.
     */
    void setDocument(ModelDocument* document);
    ModelDocument* document() const { return document_; }
    /**
     * false while a job may use the model on another thread: the rows keep what they show and
     * nothing reads the core; a refresh asked for meanwhile waits until reads are allowed again.
     * Call it with false before the job starts and with true after it ends.
     */
    void setReadsAllowed(bool allowed);
    bool readsAllowed() const { return readsAllowed_; }
    /** Inactive models (hidden tabs) defer their refresh until they are shown again. */
    void setActive(bool active);
    /** Shows the listing as it was before the last change (true) or as it is now (false). */
    void setShowBefore(bool before);
    bool showsBefore() const { return showBefore_; }
    /**
     * Marks each tensor row with what a training run did to it (by dotted name): a tint, a
     * tooltip, and in the named listings a column "after training" (max |Δ| and relative change).
     * Empty removes them (an edit or another model makes them stale; the window clears them).
     */
    void setTrainingMarks(const QHash<QString, TrainingMark>& marks);
    /** Counts of the last change: added, removed, shape changed. */
    int count(Change change) const;

    /** The tree location of a row's tensor or module (nothing for a removed row). */
    EntryLocation locationOf(int row) const;
    /** The row showing `location`, or -1 when this listing does not contain it. */
    int rowOf(const EntryLocation& location) const;
    /** The entry's key, as Python prints it ("" for the model in named_modules). */
    QString keyAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    /** What a row shows, copied out of the core (no tensor data), so "before" outlives edits. */
    struct Row {
        std::string name;
        std::vector<int64_t> shape;
        std::string dtype;
        EntryKind kind = EntryKind::Parameter;
        bool fromStateDict = false;  // an entry of a tree grouped from a state_dict file
        std::string headline;  // named_modules
        EntryLocation location;
        Change change = Change::None;
    };

    std::vector<Row> compute() const;
    bool canRead() const;
    void onDocumentChange(const DocumentChange& change);
    void resetTo(const ModuleNode* root);
    /** The model changed: recomputes the listing and announces inserted and removed rows. */
    void refresh();
    /** Tensors changed in place (a forward): re-reads shapes and dtypes, keeps the change marks. */
    void refreshTensors();
    void refreshWhenPossible();
    void markChanges();
    const std::vector<Row>& shown() const { return showBefore_ ? before_ : rows_; }
    bool isNamed() const;
    bool isModules() const { return listing_ == Listing::NamedModules; }
    int columnRole(int column) const;  // maps a visible column to a Column

    Listing listing_;
    ModelDocument* document_ = nullptr;
    int subscription_ = 0;
    bool readsAllowed_ = true;
    const ModuleNode* root_ = nullptr;
    std::vector<Row> rows_;
    std::vector<Row> before_;
    bool active_ = true;
    bool stale_ = false;         // edited since the last refresh
    bool staleTensors_ = false;  // tensors changed in place since the last refresh
    bool showBefore_ = false;
    QHash<QString, TrainingMark> trainingMarks_;
};

}  // namespace mx
