#include "items/listingmodel.h"

#include "core/modeldocument.h"
#include "items/entrytext.h"

#include <QBrush>
#include <QFont>

#include <algorithm>
#include <unordered_map>

namespace mx {

ListingModel::ListingModel(Listing listing, QObject* parent)
    : QAbstractTableModel(parent), listing_(listing)
{
}

ListingModel::~ListingModel()
{
    if (document_)
        document_->unsubscribe(subscription_);
}

std::vector<ListingModel::Row> ListingModel::compute() const
{
    std::vector<Row> rows;
    if (!root_)
        return rows;
    if (isModules()) {
        for (const NamedModule& m : namedModules(*root_)) {
            Row r;
            r.name = m.name;
            r.headline = m.module->headline();
            r.location.module = m.module;
            rows.push_back(std::move(r));
        }
        return rows;
    }
    const std::vector<ListingEntry> entries = tensorListing(*root_, listing_);
    rows.reserve(entries.size());
    for (const ListingEntry& e : entries) {
        Row r;
        r.name = e.name;
        r.shape = e.tensor.shape();
        r.dtype = e.tensor.dtypeName();
        r.kind = e.kind;
        r.fromStateDict = e.owner->isStateDictGroup();
        r.location.module = e.owner;
        r.location.section = e.kind == EntryKind::Parameter ? EntryLocation::Section::Parameters
                                                            : EntryLocation::Section::Buffers;
        r.location.index = e.slotIndex;
        rows.push_back(std::move(r));
    }
    return rows;
}

void ListingModel::setDocument(ModelDocument* document)
{
    if (document_)
        document_->unsubscribe(subscription_);
    document_ = document;
    subscription_ = 0;
    if (document_)
        subscription_ = document_->subscribe([this](const DocumentChange& c) { onDocumentChange(c); });
    resetTo(document_ ? document_->root() : nullptr);
}

void ListingModel::onDocumentChange(const DocumentChange& change)
{
    switch (change.kind) {
    case DocumentChange::Kind::AboutToReplaceModel: resetTo(nullptr); break;
    case DocumentChange::Kind::ModelReplaced: resetTo(document_->root()); break;
    case DocumentChange::Kind::Edited:
        stale_ = true;
        refreshWhenPossible();
        break;
    case DocumentChange::Kind::TensorsChanged:
        staleTensors_ = true;
        refreshWhenPossible();
        break;
    }
}

void ListingModel::resetTo(const ModuleNode* root)
{
    beginResetModel();
    root_ = root;
    rows_ = compute();
    before_ = rows_;
    stale_ = false;
    staleTensors_ = false;
    showBefore_ = false;
    endResetModel();
}

// Not while a job may use the model, nor while changes are queued that this model has not seen:
// the listing of a change is computed once, after its last queued change is delivered.
bool ListingModel::canRead() const
{
    return readsAllowed_ && document_ && !document_->hasUndeliveredChanges();
}

void ListingModel::setReadsAllowed(bool allowed)
{
    readsAllowed_ = allowed;
    refreshWhenPossible();
}

void ListingModel::setActive(bool active)
{
    active_ = active;
    refreshWhenPossible();
}

void ListingModel::refreshWhenPossible()
{
    if (!active_ || !canRead())
        return;
    if (stale_)
        refresh();
    else if (staleTensors_)
        refreshTensors();
}

void ListingModel::refreshTensors()
{
    staleTensors_ = false;
    std::vector<Row> now = compute();
    const bool sameKeys = std::equal(now.begin(), now.end(), rows_.begin(), rows_.end(),
                                     [](const Row& a, const Row& b) { return a.name == b.name; });
    if (!sameKeys) {  // not from a forward alone: list it as an edit
        refresh();
        return;
    }
    rows_ = std::move(now);
    markChanges();  // against the same "before": the marks stay what the last edit made them
    if (!showBefore_ && !rows_.empty())
        Q_EMIT dataChanged(index(0, 0), index(int(rows_.size()) - 1, columnCount() - 1));
}

namespace {

// How many rows at the start and at the end of `a` and `b` have the same keys.
template <typename Row>
std::pair<size_t, size_t> commonEnds(const std::vector<Row>& a, const std::vector<Row>& b)
{
    size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix].name == b[prefix].name)
        ++prefix;
    size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
           a[a.size() - 1 - suffix].name == b[b.size() - 1 - suffix].name)
        ++suffix;
    return {prefix, suffix};
}

}  // namespace

void ListingModel::refresh()
{
    stale_ = false;
    staleTensors_ = false;
    std::vector<Row> now = compute();
    if (showBefore_) {  // the "before" view is a snapshot; switch back to "after" to change it
        beginResetModel();
        showBefore_ = false;
        before_ = std::move(rows_);
        rows_ = std::move(now);
        markChanges();
        endResetModel();
        return;
    }
    // One edit inserts or removes a run of neighbouring keys: announce the span between the
    // common start and the common end as removed, then as inserted. The old rows become before_.
    const auto [prefix, suffix] = commonEnds(rows_, now);
    const size_t removed = rows_.size() - prefix - suffix;
    const size_t inserted = now.size() - prefix - suffix;
    if (removed > 0) {
        beginRemoveRows({}, int(prefix), int(prefix + removed - 1));
        before_ = std::move(rows_);
        if (inserted > 0) {  // the rows both listings share, for the moment between the two
            rows_.assign(now.begin(), now.begin() + long(prefix));
            rows_.insert(rows_.end(), now.end() - long(suffix), now.end());
        } else {
            rows_ = std::move(now);
        }
        endRemoveRows();
    }
    if (inserted > 0) {
        beginInsertRows({}, int(prefix), int(prefix + inserted - 1));
        if (removed == 0)
            before_ = std::move(rows_);
        rows_ = std::move(now);
        endInsertRows();
    }
    if (removed == 0 && inserted == 0) {
        before_ = std::move(rows_);
        rows_ = std::move(now);
    }
    markChanges();
    if (!rows_.empty())
        Q_EMIT dataChanged(index(0, 0), index(int(rows_.size()) - 1, columnCount() - 1));
}

// Compares rows_ (after) with before_ by key: added / shape changed after, removed before. Keys
// are unique within a listing, so rows in the common start and end compare with their twins at
// the same place; only the span between them needs looking up.
void ListingModel::markChanges()
{
    const auto [prefix, suffix] = commonEnds(before_, rows_);
    auto compare = [](Row& r, const Row& twin) {
        r.change = twin.shape != r.shape ? Change::ShapeChanged : Change::None;
    };
    for (size_t i = 0; i < prefix; ++i) {
        compare(rows_[i], before_[i]);
        compare(before_[i], rows_[i]);
    }
    for (size_t k = 1; k <= suffix; ++k) {
        compare(rows_[rows_.size() - k], before_[before_.size() - k]);
        compare(before_[before_.size() - k], rows_[rows_.size() - k]);
    }
    const size_t beforeEnd = before_.size() - suffix;
    const size_t rowsEnd = rows_.size() - suffix;
    std::unordered_map<std::string, Row*> previous;
    for (size_t i = prefix; i < beforeEnd; ++i) {
        previous.emplace(before_[i].name, &before_[i]);
        before_[i].change = Change::Removed;
    }
    for (size_t i = prefix; i < rowsEnd; ++i) {
        Row& r = rows_[i];
        const auto it = previous.find(r.name);
        if (it == previous.end()) {
            r.change = Change::Added;
            continue;
        }
        compare(r, *it->second);
        compare(*it->second, r);  // moved, not removed
    }
    for (size_t i = prefix; i < beforeEnd; ++i)
        if (before_[i].change == Change::Removed)
            before_[i].location = {};
}

int ListingModel::count(Change change) const
{
    const std::vector<Row>& rows = change == Change::Removed ? before_ : rows_;
    int n = 0;
    for (const Row& r : rows)
        n += r.change == change;
    return n;
}

void ListingModel::setShowBefore(bool before)
{
    if (before == showBefore_)
        return;
    beginResetModel();
    showBefore_ = before;
    endResetModel();
}

bool ListingModel::isNamed() const
{
    return listing_ == Listing::StateDict || listing_ == Listing::NamedParameters ||
           listing_ == Listing::NamedBuffers;
}

// Visible columns: named tensor listings: name shape kind dtype; parameters()/buffers():
// shape kind dtype; named_modules(): name module.
int ListingModel::columnRole(int column) const
{
    if (isModules())
        return column == 0 ? Name : Kind;
    if (isNamed())
        return column;
    static const int unnamed[] = {Shape, Kind, DType};
    return unnamed[column];
}

int ListingModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(shown().size());
}

int ListingModel::columnCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    return isModules() ? 2 : isNamed() ? (trainingMarks_.isEmpty() ? 4 : 5) : 3;
}

EntryLocation ListingModel::locationOf(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    return shown()[row].location;
}

int ListingModel::rowOf(const EntryLocation& location) const
{
    if (!location.module)
        return -1;
    const std::vector<Row>& rows = shown();
    for (size_t row = 0; row < rows.size(); ++row)
        if (rows[row].location == location)
            return static_cast<int>(row);
    return -1;
}

QString ListingModel::keyAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    return QString::fromStdString(shown()[row].name);
}

QVariant ListingModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const int column = columnRole(index.column());
    const int row = index.row();
    const Row& r = shown()[row];
    switch (role) {
    case ChangeRole: return static_cast<int>(r.change);
    case Qt::BackgroundRole:
        if (const auto mark = trainingMarks_.constFind(QString::fromStdString(r.name));
            r.change == Change::None && mark != trainingMarks_.constEnd())
            return trainingTint(mark->state);
        switch (r.change) {
        case Change::Added: return QBrush(QColor(0xd8, 0xf3, 0xdc));
        case Change::Removed: return QBrush(QColor(0xfa, 0xdb, 0xd8));
        case Change::ShapeChanged: return QBrush(QColor(0xff, 0xec, 0xb3));
        case Change::None: return {};
        }
        return {};
    case Qt::FontRole:
        if (r.change == Change::Removed) {
            QFont font;
            font.setStrikeOut(true);
            return font;
        }
        return {};
    case Qt::ToolTipRole:
        if (r.change == Change::Removed)
            return tr("Removed by the last change");
        if (r.change == Change::Added)
            return tr("Added by the last change");
        if (r.change == Change::ShapeChanged)
            return tr("Shape changed by the last change");
        if (const auto mark = trainingMarks_.constFind(QString::fromStdString(r.name));
            !isModules() && mark != trainingMarks_.constEnd())
            return mark->tooltip;
        return isModules() ? QVariant() : QVariant(entrytext::explanation(r.kind, false));
    case Qt::ForegroundRole:
        return !isModules() && column == Kind ? QVariant(entrytext::badgeColor(r.kind)) : QVariant();
    case Qt::DisplayRole: break;
    default: return {};
    }
    if (isModules()) {
        if (column == Name)
            return r.name.empty() ? QStringLiteral("''") : QString::fromStdString(r.name);
        return QString::fromStdString(r.headline);
    }
    switch (column) {
    case Name: return QString::fromStdString(r.name);
    case Shape: return entrytext::shape(r.shape);
    case Kind:
        if (r.fromStateDict)
            return tr("state_dict entry");
        return r.kind == EntryKind::Attribute ? QString::fromLatin1(kindName(r.kind))
                                              : entrytext::badge(r.kind);  // translated words
    case DType: return QString::fromStdString(r.dtype);
    case Trained: return trainingMarks_.value(QString::fromStdString(r.name)).text;
    default: return {};
    }
}

void ListingModel::setTrainingMarks(const QHash<QString, TrainingMark>& marks)
{
    if (trainingMarks_.isEmpty() && marks.isEmpty())
        return;
    const bool columnChanges = isNamed() && trainingMarks_.isEmpty() != marks.isEmpty();
    if (columnChanges && marks.isEmpty())
        beginRemoveColumns({}, Trained, Trained);
    if (columnChanges && !marks.isEmpty())
        beginInsertColumns({}, Trained, Trained);
    trainingMarks_ = marks;
    if (columnChanges)
        marks.isEmpty() ? endRemoveColumns() : endInsertColumns();
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

QVariant ListingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical)
        return role == Qt::DisplayRole && section >= 0 && section < rowCount() ? QVariant(section)
                                                                                : QVariant();
    if (role != Qt::DisplayRole || section < 0 || section >= columnCount())
        return {};
    switch (columnRole(section)) {
    case Name: return isModules() || listing_ != Listing::StateDict ? tr("name") : tr("key");
    case Shape: return tr("shape");
    case Kind: return isModules() ? tr("module") : tr("kind");
    case DType: return QStringLiteral("dtype");
    case Trained: return tr("after training");
    default: return {};
    }
}

}  // namespace mx
