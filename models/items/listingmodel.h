#pragma once

#include "core/listings.h"
#include "items/entrylocation.h"

#include <QAbstractTableModel>

#include <vector>

namespace mx {

/**
 * One of PyTorch's listings of a module (state_dict, named_parameters, named_buffers,
 * parameters, buffers, named_modules) as a table, one row per entry in PyTorch's order.
 */
class ListingModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Index, Name, Shape, Kind, DType };

    explicit ListingModel(Listing listing, QObject* parent = nullptr);

    Listing listing() const { return listing_; }
    /** Recomputes the listing for `root` (not owned; nullptr for none). Resets the model. */
    void setRoot(const ModuleNode* root);

    /** The tree location of a row's tensor or module. */
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
    bool isNamed() const;
    bool isModules() const { return listing_ == Listing::NamedModules; }
    int columnRole(int column) const;  // maps a visible column to a Column

    Listing listing_;
    std::vector<ListingEntry> entries_;
    std::vector<NamedModule> modules_;
};

}  // namespace mx
