#include "items/listingmodel.h"

#include "items/entrytext.h"

namespace mx {

ListingModel::ListingModel(Listing listing, QObject* parent)
    : QAbstractTableModel(parent), listing_(listing)
{
}

void ListingModel::setRoot(const ModuleNode* root)
{
    beginResetModel();
    entries_.clear();
    modules_.clear();
    if (root) {
        if (isModules())
            modules_ = namedModules(*root);
        else
            entries_ = tensorListing(*root, listing_);
    }
    endResetModel();
}

bool ListingModel::isNamed() const
{
    return listing_ == Listing::StateDict || listing_ == Listing::NamedParameters ||
           listing_ == Listing::NamedBuffers;
}

// Visible columns: named tensor listings: # name shape kind dtype; parameters()/buffers():
// # shape kind dtype; named_modules(): # name module.
int ListingModel::columnRole(int column) const
{
    if (isModules())
        return column == 0 ? Index : column == 1 ? Name : Kind;
    if (isNamed())
        return column;
    static const int unnamed[] = {Index, Shape, Kind, DType};
    return unnamed[column];
}

int ListingModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    return static_cast<int>(isModules() ? modules_.size() : entries_.size());
}

int ListingModel::columnCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    return isModules() ? 3 : isNamed() ? 5 : 4;
}

EntryLocation ListingModel::locationOf(int row) const
{
    EntryLocation loc;
    if (row < 0 || row >= rowCount())
        return loc;
    if (isModules()) {
        loc.module = modules_[row].module;
        return loc;
    }
    const ListingEntry& e = entries_[row];
    loc.module = e.owner;
    loc.section = e.kind == EntryKind::Parameter ? EntryLocation::Section::Parameters
                                                 : EntryLocation::Section::Buffers;
    loc.index = e.slotIndex;
    return loc;
}

int ListingModel::rowOf(const EntryLocation& location) const
{
    for (int row = 0; row < rowCount(); ++row)
        if (locationOf(row) == location)
            return row;
    return -1;
}

QString ListingModel::keyAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    return QString::fromStdString(isModules() ? modules_[row].name : entries_[row].name);
}

QVariant ListingModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const int column = columnRole(index.column());
    const int row = index.row();
    if (role == Qt::TextAlignmentRole && column == Index)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (isModules()) {
        const NamedModule& m = modules_[row];
        if (role == Qt::ToolTipRole)
            return QString::fromStdString(m.module->repr());
        if (role != Qt::DisplayRole)
            return {};
        if (column == Index)
            return row;
        if (column == Name)
            return m.name.empty() ? QStringLiteral("''") : QString::fromStdString(m.name);
        return QString::fromStdString(m.module->headline());
    }
    const ListingEntry& e = entries_[row];
    if (role == Qt::ToolTipRole)
        return entrytext::explanation(e.kind, false);
    if (role == Qt::ForegroundRole && column == Kind)
        return entrytext::badgeColor(e.kind);
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Index: return row;
    case Name: return QString::fromStdString(e.name);
    case Shape: return entrytext::shape(e.tensor.shape());
    case Kind: return QString::fromLatin1(kindName(e.kind));
    case DType: return QString::fromStdString(e.tensor.dtypeName());
    default: return {};
    }
}

QVariant ListingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 ||
        section >= columnCount())
        return {};
    switch (columnRole(section)) {
    case Index: return QStringLiteral("#");
    case Name: return isModules() || listing_ != Listing::StateDict ? QStringLiteral("name")
                                                                     : QStringLiteral("key");
    case Shape: return QStringLiteral("shape");
    case Kind: return isModules() ? QStringLiteral("module") : QStringLiteral("kind");
    case DType: return QStringLiteral("dtype");
    default: return {};
    }
}

}  // namespace mx
