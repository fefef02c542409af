#include "items/moduletreemodel.h"

#include "core/listings.h"
#include "core/modulenode.h"
#include "items/entrytext.h"

#include <QBrush>
#include <QFont>

#include <unordered_set>

namespace mx {

namespace {
ModuleNode* mutableNode(const ModuleNode* node) { return const_cast<ModuleNode*>(node); }

QString nonZero(int64_t n, const QString& unit)
{
    return n ? entrytext::compactCount(n) + unit : QString();
}
}  // namespace

ModuleTreeModel::ModuleTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

void ModuleTreeModel::setRoot(const ModuleNode* root)
{
    beginResetModel();
    root_ = root;
    totals_.clear();
    rows_.clear();
    shownParent_.clear();
    traceOutputs_.clear();
    notCalled_.clear();
    endResetModel();
}

void ModuleTreeModel::setForwardTrace(const QHash<QString, QString>& outputByPath,
                                      const QSet<QString>& notCalled)
{
    if (traceOutputs_.isEmpty() && notCalled_.isEmpty() && outputByPath.isEmpty() && notCalled.isEmpty())
        return;  // nothing shown, nothing to show: every edit clears the trace, keep that free
    traceOutputs_ = outputByPath;
    notCalled_ = notCalled;
    refreshAll();
}

void ModuleTreeModel::refreshAll()
{
    if (!root_)
        return;
    totals_.clear();
    emitChangedBelow({});
}

void ModuleTreeModel::emitChangedBelow(const QModelIndex& parent)
{
    const int rows = rowCount(parent);
    if (rows == 0)
        return;
    Q_EMIT dataChanged(index(0, 0, parent), index(rows - 1, ColumnCount - 1, parent));
    for (int r = 0; r < rows; ++r) {
        const QModelIndex child = index(r, 0, parent);
        if (locationOf(child).section == EntryLocation::Section::Module)
            emitChangedBelow(child);
    }
}

std::vector<ModuleTreeModel::Row> ModuleTreeModel::currentRows(const ModuleNode& module)
{
    std::vector<Row> rows;
    rows.reserve(module.parameters().size() + module.buffers().size() +
                 module.tensorAttributes().size() + module.childCount());
    auto addSlots = [&](EntryLocation::Section section, const std::vector<TensorSlot>& slots) {
        for (size_t i = 0; i < slots.size(); ++i)
            rows.push_back({section, i, slots[i].name, nullptr});
    };
    addSlots(EntryLocation::Section::Parameters, module.parameters());
    addSlots(EntryLocation::Section::Buffers, module.buffers());
    addSlots(EntryLocation::Section::Attributes, module.tensorAttributes());
    for (size_t i = 0; i < module.childCount(); ++i)
        rows.push_back({EntryLocation::Section::Module, i, module.childName(i), &module.child(i)});
    return rows;
}

const std::vector<ModuleTreeModel::Row>& ModuleTreeModel::rowsOf(const ModuleNode& module) const
{
    auto it = rows_.find(&module);
    if (it == rows_.end()) {
        it = rows_.emplace(&module, currentRows(module)).first;
        for (const Row& r : it->second)
            if (r.child)
                shownParent_[r.child] = &module;
    }
    return it->second;
}

void ModuleTreeModel::forgetSubtree(const ModuleNode* module)
{
    shownParent_.erase(module);
    auto it = rows_.find(module);
    if (it == rows_.end())
        return;
    const std::vector<Row> rows = std::move(it->second);
    rows_.erase(it);
    for (const Row& r : rows)
        if (r.child)
            forgetSubtree(r.child);
}

void ModuleTreeModel::syncModule(const ModuleNode* module)
{
    if (!root_ || !module)
        return;
    for (const ModuleNode* m = module; m; m = m->parent())  // only these subtrees changed
        totals_.erase(m);
    const QModelIndex parent = indexFor({module, EntryLocation::Section::Module, 0});
    auto known = rows_.find(module);
    if (known == rows_.end()) {  // never shown: nothing to announce but its own row
        Q_EMIT dataChanged(parent, parent.siblingAtColumn(ColumnCount - 1));
    } else {
        std::vector<Row> now = currentRows(*module);
        std::vector<Row>& old = known->second;
        // One edit inserts, removes or replaces a few neighbouring rows: announce the span
        // between the common prefix and the common suffix as removed, then as inserted.
        size_t prefix = 0;
        while (prefix < old.size() && prefix < now.size() && old[prefix] == now[prefix])
            ++prefix;
        size_t suffix = 0;
        while (suffix < old.size() - prefix && suffix < now.size() - prefix &&
               old[old.size() - 1 - suffix] == now[now.size() - 1 - suffix])
            ++suffix;
        const size_t removed = old.size() - prefix - suffix;
        const size_t inserted = now.size() - prefix - suffix;
        // Rows outside the span keep their keys; take them from `now` so their section indexes
        // already match the core while the view reacts to the removal.
        std::vector<Row> kept(now.begin(), now.begin() + long(prefix));
        kept.insert(kept.end(), now.end() - long(suffix), now.end());
        if (removed > 0) {
            std::vector<const ModuleNode*> dropped;
            for (size_t i = prefix; i < prefix + removed; ++i)
                if (old[i].child)
                    dropped.push_back(old[i].child);
            beginRemoveRows(parent, int(prefix), int(prefix + removed - 1));
            old = std::move(kept);
            endRemoveRows();
            for (const ModuleNode* child : dropped)  // after the view let go of their indexes
                forgetSubtree(child);
        } else {
            old = std::move(kept);
        }
        if (inserted > 0) {
            beginInsertRows(parent, int(prefix), int(prefix + inserted - 1));
            old = std::move(now);
            endInsertRows();
        } else {
            old = std::move(now);
        }
        for (const Row& r : old)
            if (r.child)
                shownParent_[r.child] = module;
        if (!old.empty())
            Q_EMIT dataChanged(index(0, 0, parent), index(int(old.size()) - 1, ColumnCount - 1, parent));
    }
    for (const ModuleNode* m = module; m; m = m->parent()) {  // subtree totals of every ancestor
        const QModelIndex row = indexFor({m, EntryLocation::Section::Module, 0});
        Q_EMIT dataChanged(row, row.siblingAtColumn(ColumnCount - 1));
    }
}

// Index layout: internalPointer is the module that contains the row (nullptr for the model row).
QModelIndex ModuleTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!root_ || row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row == 0 ? createIndex(0, column, nullptr) : QModelIndex();
    const EntryLocation p = locationOf(parent);
    if (p.section != EntryLocation::Section::Module || parent.column() != 0)
        return {};
    if (row >= static_cast<int>(rowsOf(*p.module).size()))
        return {};
    return createIndex(row, column, mutableNode(p.module));
}

EntryLocation ModuleTreeModel::locationOf(const QModelIndex& index) const
{
    EntryLocation loc;
    if (!index.isValid() || !root_)
        return loc;
    const auto* container = static_cast<const ModuleNode*>(index.internalPointer());
    if (!container) {
        loc.module = root_;
        return loc;
    }
    const std::vector<Row>& rows = rowsOf(*container);
    if (index.row() >= static_cast<int>(rows.size()))
        return {};
    const Row& r = rows[index.row()];
    if (r.section == EntryLocation::Section::Module) {
        loc.module = r.child;
        return loc;
    }
    return {container, r.section, r.index};
}

QModelIndex ModuleTreeModel::indexFor(const EntryLocation& location, int column) const
{
    if (!root_ || !location.module)
        return {};
    const ModuleNode* container = location.module;
    if (location.section == EntryLocation::Section::Module) {
        if (location.module == root_)
            return createIndex(0, column, nullptr);
        const auto shown = shownParent_.find(location.module);
        container = shown != shownParent_.end() ? shown->second : location.module->parent();
    }
    if (!container)
        return {};
    const std::vector<Row>& rows = rowsOf(*container);
    auto matches = [&](const Row& r) {
        return r.section == location.section &&
               (r.section == EntryLocation::Section::Module ? r.child == location.module
                                                            : r.index == location.index);
    };
    // Rows are in core order, so the core's position is the first guess.
    size_t guess = 0;
    const ModuleNode& c = *container;
    switch (location.section) {
    case EntryLocation::Section::Parameters: guess = location.index; break;
    case EntryLocation::Section::Buffers: guess = c.parameters().size() + location.index; break;
    case EntryLocation::Section::Attributes:
        guess = c.parameters().size() + c.buffers().size() + location.index;
        break;
    case EntryLocation::Section::Module:
        guess = c.parameters().size() + c.buffers().size() + c.tensorAttributes().size() +
                (location.module->parent() == container ? location.module->indexInParent() : 0);
        break;
    }
    if (guess < rows.size() && matches(rows[guess]))
        return createIndex(int(guess), column, mutableNode(container));
    for (size_t i = 0; i < rows.size(); ++i)
        if (matches(rows[i]))
            return createIndex(int(i), column, mutableNode(container));
    return {};
}

QModelIndex ModuleTreeModel::parent(const QModelIndex& index) const
{
    if (!index.isValid())
        return {};
    const auto* container = static_cast<const ModuleNode*>(index.internalPointer());
    if (!container)
        return {};
    EntryLocation loc;
    loc.module = container;
    return indexFor(loc, 0);
}

int ModuleTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!root_)
        return 0;
    if (!parent.isValid())
        return 1;
    if (parent.column() != 0)
        return 0;
    const EntryLocation loc = locationOf(parent);
    if (loc.section != EntryLocation::Section::Module || !loc.module)
        return 0;
    return static_cast<int>(rowsOf(*loc.module).size());
}

int ModuleTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

const TensorSlot* ModuleTreeModel::slotOf(const EntryLocation& loc) const
{
    const std::vector<TensorSlot>* slots = nullptr;
    switch (loc.section) {
    case EntryLocation::Section::Parameters: slots = &loc.module->parameters(); break;
    case EntryLocation::Section::Buffers: slots = &loc.module->buffers(); break;
    case EntryLocation::Section::Attributes: slots = &loc.module->tensorAttributes(); break;
    case EntryLocation::Section::Module: break;
    }
    return slots && loc.index < slots->size() ? &(*slots)[loc.index] : nullptr;
}

QString ModuleTreeModel::pathOf(const ModuleNode& module) const
{
    QString path;
    for (const ModuleNode* m = &module; m->parent(); m = m->parent()) {
        const QString name = QString::fromStdString(m->parent()->childName(m->indexInParent()));
        path = path.isEmpty() ? name : name + QLatin1Char('.') + path;
    }
    return path;
}

const ModuleTreeModel::Totals& ModuleTreeModel::totalsOf(const ModuleNode& module) const
{
    auto it = totals_.find(&module);
    if (it != totals_.end())
        return it->second;
    // parameters() / buffers() of the subtree: each tensor counted once, None skipped.
    Totals t;
    std::unordered_set<const void*> seen;
    std::vector<const ModuleNode*> stack{&module};
    while (!stack.empty()) {
        const ModuleNode* m = stack.back();
        stack.pop_back();
        for (const TensorSlot& p : m->parameters()) {
            if (p.tensor.isNone() || !seen.insert(p.tensor.identity()).second)
                continue;
            t.parameters += p.tensor.numel();
            if (p.tensor.requiresGrad())
                t.trainable += p.tensor.numel();
        }
        for (const TensorSlot& b : m->buffers())
            if (!b.tensor.isNone() && seen.insert(b.tensor.identity()).second)
                t.bufferBytes += b.tensor.bytes();
        for (size_t i = 0; i < m->childCount(); ++i)
            stack.push_back(&m->child(i));
    }
    return totals_.emplace(&module, t).first->second;
}

QVariant ModuleTreeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !root_)
        return {};
    const EntryLocation loc = locationOf(index);
    if (loc.section == EntryLocation::Section::Module)
        return moduleData(*loc.module, index.column(), role);
    return slotData(loc, index.column(), role);
}

QVariant ModuleTreeModel::moduleData(const ModuleNode& module, int column, int role) const
{
    const bool isRoot = module.parent() == nullptr;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Name:
            return isRoot ? QStringLiteral("model")
                          : QString::fromStdString(
                                module.parent()->childName(module.indexInParent()));
        case Kind: return QString::fromStdString(module.typeName());
        case Shape: {
            const QString path = pathOf(module);
            const auto it = traceOutputs_.constFind(path);
            if (it != traceOutputs_.constEnd())
                return QStringLiteral("→ ") + it.value();
            return notCalled_.contains(path) ? QStringLiteral("not called") : QString();
        }
        case Summary: return QString::fromStdString(module.headline());
        // Subtree totals; zeros stay blank so parameter-free layers (ReLU, ...) read quietly.
        case Numel: return nonZero(totalsOf(module).parameters, QStringLiteral(" params"));
        case RequiresGrad: return nonZero(totalsOf(module).trainable, QStringLiteral(" trainable"));
        case Bytes:
            return totalsOf(module).bufferBytes
                       ? entrytext::bytes(totalsOf(module).bufferBytes) + QStringLiteral(" buffers")
                       : QString();
        default: return {};
        }
    case Qt::ToolTipRole:
        if (column == Kind || column == Summary)
            return QString::fromStdString(module.repr());
        if (column == Numel || column == RequiresGrad || column == Bytes)
            return tr("In this subtree: %1 parameters, %2 trainable, %3 bytes of buffers")
                .arg(entrytext::count(totalsOf(module).parameters),
                     entrytext::count(totalsOf(module).trainable),
                     entrytext::count(totalsOf(module).bufferBytes));
        return entrytext::moduleExplanation(pathOf(module));
    case Qt::FontRole: {
        QFont font;
        if (column == Shape)
            font.setItalic(notCalled_.contains(pathOf(module)));
        else if (column == Name || column == Kind || column == Summary)
            font.setBold(true);
        else
            return {};
        return font;
    }
    case Qt::ForegroundRole:
        if (column == Shape)
            return QBrush(notCalled_.contains(pathOf(module)) ? QColor(0x9e, 0x9e, 0x9e)
                                                              : QColor(0x7b, 0x3f, 0xa0));
        return {};
    case Qt::TextAlignmentRole:
        if (column == Numel || column == Bytes)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case EntryKindRole: return -1;
    case InStateDictRole: return false;
    case ExplanationRole: return entrytext::moduleExplanation(pathOf(module));
    case PathRole: return pathOf(module);
    default: return {};
    }
}

QVariant ModuleTreeModel::slotData(const EntryLocation& loc, int column, int role) const
{
    const TensorSlot* found = slotOf(loc);
    if (!found)
        return {};
    const TensorSlot& slot = *found;
    const TensorRef& t = slot.tensor;
    const bool inStateDict = !t.isNone() && (slot.kind == EntryKind::Parameter ||
                                             slot.kind == EntryKind::Buffer);
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Name: return QString::fromStdString(slot.name);
        case Kind: return entrytext::badge(slot.kind);
        case Shape: return t.isNone() ? QStringLiteral("None") : entrytext::shape(t.shape());
        case DType: return t.isNone() ? QString() : QString::fromStdString(t.dtypeName());
        case Device: return t.isNone() ? QString() : QString::fromStdString(t.deviceName());
        case RequiresGrad:
            return t.isNone() ? QString() : QString::fromLatin1(t.requiresGrad() ? "True" : "False");
        case Numel: return t.isNone() ? QString() : entrytext::count(t.numel());
        case Bytes: return t.isNone() ? QString() : entrytext::bytes(t.bytes());
        case Summary:
            return entrytext::stateDictNote(slot.kind, t.isNone(),
                                            slotData(loc, Name, PathRole).toString());
        default: return {};
        }
    case Qt::ToolTipRole:
        if (column == Bytes && !t.isNone())
            return entrytext::count(t.bytes()) + QStringLiteral(" bytes");
        return entrytext::explanation(slot.kind, t.isNone());
    case Qt::ForegroundRole:
        if ((column == Name || column == Summary) && !inStateDict)
            return QBrush(QColor(0x6b, 0x6b, 0x6b));
        return {};
    case Qt::FontRole:
        if (column == Name && !inStateDict) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (column == Numel || column == Bytes)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case EntryKindRole: return static_cast<int>(slot.kind);
    case InStateDictRole: return inStateDict;
    case ExplanationRole: return entrytext::explanation(slot.kind, t.isNone());
    case ValuePreviewRole: {
        if (t.isNone())
            return QStringLiteral("None");
        QStringList values;
        for (double v : t.firstValues(6))
            values << QString::number(v, 'g', 6);
        return QStringLiteral("sum %1 · first values [%2%3]")
            .arg(QString::number(t.sum(), 'g', 8), values.join(QStringLiteral(", ")),
                 t.numel() > 6 ? QStringLiteral(", …") : QString());
    }
    case PathRole: {
        const QString prefix = pathOf(*loc.module);
        const QString name = QString::fromStdString(slot.name);
        return prefix.isEmpty() ? name : prefix + QLatin1Char('.') + name;
    }
    default: return {};
    }
}

QVariant ModuleTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return QStringLiteral("Name");
    case Kind: return QStringLiteral("Kind");
    case Shape: return QStringLiteral("Shape");
    case DType: return QStringLiteral("dtype");
    case Device: return QStringLiteral("device");
    case RequiresGrad: return QStringLiteral("requires_grad");
    case Numel: return QStringLiteral("numel");
    case Bytes: return QStringLiteral("bytes");
    case Summary: return QStringLiteral("state_dict key / module repr");
    default: return {};
    }
}

}  // namespace mx
