#include "items/moduletreemodel.h"

#include "core/listings.h"
#include "core/modulenode.h"
#include "items/entrytext.h"

#include <QBrush>
#include <QFont>

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
    traceOutputs_.clear();
    notCalled_.clear();
    endResetModel();
}

void ModuleTreeModel::setForwardTrace(const QHash<QString, QString>& outputByPath,
                                      const QSet<QString>& notCalled)
{
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

int ModuleTreeModel::ownRowCount(const ModuleNode& module)
{
    return static_cast<int>(module.parameters().size() + module.buffers().size() +
                            module.tensorAttributes().size());
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
    if (row >= ownRowCount(*p.module) + static_cast<int>(p.module->childCount()))
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
    size_t row = static_cast<size_t>(index.row());
    const size_t params = container->parameters().size();
    const size_t bufs = container->buffers().size();
    const size_t attrs = container->tensorAttributes().size();
    if (row < params) {
        return {container, EntryLocation::Section::Parameters, row};
    }
    row -= params;
    if (row < bufs)
        return {container, EntryLocation::Section::Buffers, row};
    row -= bufs;
    if (row < attrs)
        return {container, EntryLocation::Section::Attributes, row};
    row -= attrs;
    loc.module = &container->child(row);
    return loc;
}

QModelIndex ModuleTreeModel::indexFor(const EntryLocation& location, int column) const
{
    if (!root_ || !location.module)
        return {};
    const ModuleNode& m = *location.module;
    switch (location.section) {
    case EntryLocation::Section::Module:
        if (!m.parent())
            return createIndex(0, column, nullptr);
        return createIndex(ownRowCount(*m.parent()) + static_cast<int>(m.indexInParent()), column,
                           mutableNode(m.parent()));
    case EntryLocation::Section::Parameters:
        return createIndex(static_cast<int>(location.index), column, mutableNode(&m));
    case EntryLocation::Section::Buffers:
        return createIndex(static_cast<int>(m.parameters().size() + location.index), column,
                           mutableNode(&m));
    case EntryLocation::Section::Attributes:
        return createIndex(
            static_cast<int>(m.parameters().size() + m.buffers().size() + location.index), column,
            mutableNode(&m));
    }
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
    if (loc.section != EntryLocation::Section::Module)
        return 0;
    return ownRowCount(*loc.module) + static_cast<int>(loc.module->childCount());
}

int ModuleTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

const TensorSlot* ModuleTreeModel::slotOf(const EntryLocation& loc) const
{
    switch (loc.section) {
    case EntryLocation::Section::Parameters: return &loc.module->parameters()[loc.index];
    case EntryLocation::Section::Buffers: return &loc.module->buffers()[loc.index];
    case EntryLocation::Section::Attributes: return &loc.module->tensorAttributes()[loc.index];
    case EntryLocation::Section::Module: break;
    }
    return nullptr;
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
    Totals t;
    for (const ListingEntry& p : namedParameters(module)) {  // de-duplicated, like parameters()
        t.parameters += p.tensor.numel();
        if (p.tensor.requiresGrad())
            t.trainable += p.tensor.numel();
    }
    for (const ListingEntry& b : namedBuffers(module))
        t.bufferBytes += b.tensor.bytes();
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
    const TensorSlot& slot = *slotOf(loc);
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
