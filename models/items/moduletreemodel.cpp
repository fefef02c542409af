// ModuleTreeModel's read side: the Qt model interface, answered from the rows it copied. The only
// paths that read the core are rowsOf() (building a module's rows) and ensureModule() (reaching a
// module's row for indexFor), both behind canRead(); data() never does, except the value preview
// while reads are allowed.

#include "items/moduletreemodel.h"

#include "core/listings.h"
#include "core/modeldocument.h"
#include "items/entrytext.h"
#include "items/tensorvariant.h"
#include "items/treerows.h"

#include <QBrush>
#include <QFont>

namespace mx {

namespace {

QString nonZero(int64_t n, const QString& unit)
{
    return n ? entrytext::compactCount(n) + unit : QString();
}

EntryLocation::Section locationSection(Section s)
{
    switch (s) {
    case Section::Parameters: return EntryLocation::Section::Parameters;
    case Section::Buffers: return EntryLocation::Section::Buffers;
    case Section::Attributes: return EntryLocation::Section::Attributes;
    case Section::Modules: break;
    }
    return EntryLocation::Section::Module;
}

// The tensor section and index of `row` in `m`'s rows; false for a submodule row.
bool tensorRowAt(const TreeModule& m, int row, Section* section, size_t* index)
{
    size_t r = static_cast<size_t>(row);
    for (const auto& [s, rows] : {std::pair{Section::Parameters, &m.parameters},
                                  std::pair{Section::Buffers, &m.buffers},
                                  std::pair{Section::Attributes, &m.attributes}}) {
        if (r < rows->size()) {
            *section = s;
            *index = r;
            return true;
        }
        r -= rows->size();
    }
    return false;
}

}  // namespace

ModuleTreeModel::ModuleTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

ModuleTreeModel::~ModuleTreeModel()
{
    if (document_)
        document_->unsubscribe(subscription_);
}

void ModuleTreeModel::setDocument(ModelDocument* document)
{
    if (document_)
        document_->unsubscribe(subscription_);
    document_ = document;
    subscription_ = 0;
    if (document_)
        subscription_ = document_->subscribe([this](const DocumentChange& c) { onDocumentChange(c); });
    resetTo(document_ ? document_->root() : nullptr);
}

const ModuleNode* ModuleTreeModel::root() const { return root_ ? root_->node : nullptr; }

bool ModuleTreeModel::canRead() const
{
    return readsAllowed_ && !applying_ && document_ && !document_->hasUndeliveredChanges();
}

void ModuleTreeModel::setReadsAllowed(bool allowed)
{
    readsAllowed_ = allowed;
    if (allowed && canRead()) {
        announceHeldBackRows();
        readUnread();
    }
}

void ModuleTreeModel::bind(TreeModule& module) const
{
    std::vector<TreeModule*>& rows = modules_[module.node];
    if (std::find(rows.begin(), rows.end(), &module) == rows.end())
        rows.push_back(&module);
}

TreeModule* ModuleTreeModel::firstRowOf(const ModuleNode* node) const
{
    const auto it = modules_.find(node);
    return it == modules_.end() || it->second.empty() ? nullptr : it->second.front();
}

void ModuleTreeModel::registerChildren(TreeModule& module) const
{
    std::unordered_map<const ModuleNode*, std::string> firstNames;  // read once, if needed
    for (const auto& child : module.children) {
        if (!child->node)
            continue;
        bind(*child);
        if (child->node->parents().size() < 2)
            continue;
        // A module held under several names: a row under a later name is "shared with" the first.
        if (firstNames.empty())
            firstNames = firstModuleNames(*root_->node);
        child->sharedWith = treerows::sharedWith(*child, firstNames);
        anyShared_ = true;
    }
}

// Builds a module's rows on first demand; while the core may not be read, answers 0 and
// remembers to announce them.
int ModuleTreeModel::rowsOf(TreeModule& module) const
{
    switch (module.rows) {
    case TreeModule::Rows::Shown: return module.rowCount();
    case TreeModule::Rows::AnsweredEmpty: return 0;
    case TreeModule::Rows::Unbuilt: break;
    }
    if (!module.node || !canRead()) {
        module.rows = TreeModule::Rows::AnsweredEmpty;
        heldBack_.push_back(&module);
        return 0;
    }
    treerows::readRows(module);
    registerChildren(module);
    module.rows = TreeModule::Rows::Shown;
    return module.rowCount();
}

// Index layout: internalPointer is the TreeModule whose rows hold the row (nullptr: the model row).
TreeModule* ModuleTreeModel::moduleAt(const QModelIndex& index) const
{
    if (!index.isValid() || !root_)
        return nullptr;
    auto* container = static_cast<TreeModule*>(index.internalPointer());
    if (!container)
        return root_.get();
    const int child = index.row() - container->childrenOffset();
    if (container->rows != TreeModule::Rows::Shown || child < 0 ||
        child >= static_cast<int>(container->children.size()))
        return nullptr;
    return container->children[static_cast<size_t>(child)].get();
}

QModelIndex ModuleTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!root_ || row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid()) {
        if (row != 0)
            return {};
        if (!root_->summaryRead)
            readOnFirstShow(nullptr, 0);
        return createIndex(0, column, nullptr);
    }
    if (parent.column() != 0)
        return {};
    TreeModule* module = moduleAt(parent);
    if (!module || row >= rowsOf(*module))
        return {};
    readOnFirstShow(module, row);
    return createIndex(row, column, module);
}

// A view is about to show a row: reads what rows built without it leave out (a tensor's metadata,
// a module's repr and totals), or, while the core may not be read, remembers to read it later.
void ModuleTreeModel::readOnFirstShow(TreeModule* container, int row) const
{
    TreeModule* module = container ? nullptr : root_.get();
    TreeTensorRow* tensor = nullptr;
    if (container) {
        Section section;
        size_t i;
        if (tensorRowAt(*container, row, &section, &i))
            tensor = &treerows::tensorRows(*container, section)[i];
        else
            module = container->children[size_t(row - container->childrenOffset())].get();
    }
    if (tensor ? tensor->metadataRead : (module->summaryRead || !module->node))
        return;
    if (!canRead()) {
        TreeModule& owner = container ? *container : *root_;
        if (!owner.unreadIndexed) {
            owner.unreadIndexed = true;
            unread_.push_back(&owner);
        }
        return;
    }
    if (tensor)
        treerows::readMetadata(*tensor);
    else
        treerows::readSummary(*module);
}

QModelIndex ModuleTreeModel::indexOf(const TreeModule& module, int column) const
{
    if (!module.parent)
        return createIndex(0, column, nullptr);
    if (module.parent->rows != TreeModule::Rows::Shown)
        return {};
    return createIndex(module.rowInParent(), column, module.parent);
}

QModelIndex ModuleTreeModel::parent(const QModelIndex& index) const
{
    if (!index.isValid())
        return {};
    const auto* container = static_cast<const TreeModule*>(index.internalPointer());
    return container ? indexOf(*container) : QModelIndex();
}

int ModuleTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!root_)
        return 0;
    if (!parent.isValid())
        return 1;
    if (parent.column() != 0)
        return 0;
    TreeModule* module = moduleAt(parent);
    return module ? rowsOf(*module) : 0;
}

int ModuleTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

EntryLocation ModuleTreeModel::locationOf(const QModelIndex& index) const
{
    if (!index.isValid() || !root_)
        return {};
    if (const TreeModule* module = moduleAt(index)) {
        EntryLocation loc;
        loc.module = module->node;
        return loc;
    }
    const auto* container = static_cast<const TreeModule*>(index.internalPointer());
    Section section;
    size_t i;
    if (!container || container->rows != TreeModule::Rows::Shown ||
        !tensorRowAt(*container, index.row(), &section, &i))
        return {};
    return {container->node, locationSection(section), i};
}

// The module's row, reaching it through its ancestors' rows (built on the way when possible).
TreeModule* ModuleTreeModel::ensureModule(const ModuleNode* node) const
{
    if (TreeModule* known = firstRowOf(node))
        return known;
    if (!canRead())
        return nullptr;
    for (const ModuleNode* above : node->parents()) {  // through any of its names
        TreeModule* parent = ensureModule(above);
        if (!parent)
            continue;
        rowsOf(*parent);
        if (TreeModule* found = firstRowOf(node))
            return found;
    }
    return nullptr;
}

QModelIndex ModuleTreeModel::indexFor(const EntryLocation& location, int column) const
{
    if (!root_ || !location.module)
        return {};
    TreeModule* module = ensureModule(location.module);
    if (!module)
        return {};
    if (location.section == EntryLocation::Section::Module)
        return indexOf(*module, column);
    rowsOf(*module);
    if (module->rows != TreeModule::Rows::Shown)
        return {};
    int row = static_cast<int>(location.index);
    switch (location.section) {
    case EntryLocation::Section::Parameters:
        if (location.index >= module->parameters.size())
            return {};
        break;
    case EntryLocation::Section::Buffers:
        if (location.index >= module->buffers.size())
            return {};
        row += static_cast<int>(module->parameters.size());
        break;
    case EntryLocation::Section::Attributes:
        if (location.index >= module->attributes.size())
            return {};
        row += static_cast<int>(module->parameters.size() + module->buffers.size());
        break;
    case EntryLocation::Section::Module: break;
    }
    return createIndex(row, column, module);
}

void ModuleTreeModel::emitRowsChanged(TreeModule& module, int first, int last)
{
    const QModelIndex parent = indexOf(module);
    if (parent.isValid())
        Q_EMIT dataChanged(index(first, 0, parent), index(last, ColumnCount - 1, parent));
}

QVariant ModuleTreeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !root_)
        return {};
    if (const TreeModule* module = moduleAt(index))
        return moduleData(*module, index.column(), role);
    auto* container = static_cast<TreeModule*>(index.internalPointer());
    Section section;
    size_t i;
    if (!container || container->rows != TreeModule::Rows::Shown ||
        !tensorRowAt(*container, index.row(), &section, &i))
        return {};
    return tensorData(*container, treerows::tensorRows(*container, section)[i], index.column(), role);
}

QVariant ModuleTreeModel::moduleData(const TreeModule& module, int column, int role) const
{
    const TreeTotals& totals = module.totals;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Name: return module.parent ? module.name : QStringLiteral("model");
        case Kind: return QString::fromStdString(module.typeName);
        case Shape: {
            const auto it = traceOutputs_.constFind(module.path);
            if (it != traceOutputs_.constEnd())
                return QStringLiteral("→ ") + it.value();
            return notCalled_.contains(module.path) ? tr("not called") : QString();
        }
        case Summary: return QString::fromStdString(module.headline);
        // Subtree totals; zeros stay blank so parameter-free layers (ReLU, ...) read quietly.
        case Numel: return nonZero(totals.parameters, tr(" params"));
        case RequiresGrad: return nonZero(totals.trainable, tr(" trainable"));
        case Bytes:
            return totals.bufferBytes
                       ? entrytext::bytes(totals.bufferBytes) + tr(" buffers")
                       : QString();
        default: return {};
        }
    case Qt::ToolTipRole:
        if (!module.sharedWith.isEmpty() && (column == Name || column == Kind))
            return entrytext::sharedModuleExplanation(module.path, module.sharedWith);
        if (column == Kind || column == Summary)
            return QString::fromStdString(module.repr);
        if (column == Numel || column == RequiresGrad || column == Bytes)
            return tr("In this subtree: %1 parameters, %2 trainable, %3 bytes of buffers")
                .arg(entrytext::count(totals.parameters), entrytext::count(totals.trainable),
                     entrytext::count(totals.bufferBytes));
        return entrytext::moduleExplanation(module.path);
    case Qt::FontRole: {
        QFont font;
        if (column == Shape)
            font.setItalic(notCalled_.contains(module.path));
        else if (column == Name || column == Kind || column == Summary)
            font.setBold(true);
        else
            return {};
        return font;
    }
    case Qt::ForegroundRole:
        if (column == Shape)
            return QBrush(notCalled_.contains(module.path) ? QColor(0x9e, 0x9e, 0x9e)
                                                           : QColor(0x7b, 0x3f, 0xa0));
        return {};
    case Qt::TextAlignmentRole:
        if (column == Numel || column == Bytes)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case EntryKindRole: return -1;
    case InStateDictRole: return false;
    case ExplanationRole: {
        QString text = entrytext::moduleExplanation(module.path);
        if (!module.sharedWith.isEmpty())
            text = entrytext::sharedModuleExplanation(module.path, module.sharedWith);
        return module.origin.empty() ? text
                                     : text + QLatin1Char(' ') + QString::fromStdString(module.origin);
    }
    case PathRole: return module.path;
    case SharedWithRole: return module.sharedWith;
    default: return {};
    }
}

QVariant ModuleTreeModel::tensorData(const TreeModule& container, const TreeTensorRow& row,
                                     int column, int role) const
{
    const bool none = row.none;
    const bool inStateDict = !none && (row.kind == EntryKind::Parameter ||
                                       row.kind == EntryKind::Buffer);
    const QString name = QString::fromStdString(row.name);
    const QString path = container.path.isEmpty() ? name : container.path + QLatin1Char('.') + name;
    switch (role) {
    case Qt::DisplayRole:
        if (!row.metadataRead && column >= Shape && column <= Bytes)
            return {};  // not shown yet, or not read while a job runs (then read afterwards)
        switch (column) {
        case Name: return name;
        case Kind:
            return container.fromStateDict ? tr("state_dict entry") : entrytext::badge(row.kind);
        case Shape: return none ? QStringLiteral("None") : entrytext::shape(row.shape);
        case DType: return none ? QString() : QString::fromStdString(row.dtype);
        case Device: return none ? QString() : QString::fromStdString(row.device);
        case RequiresGrad: return none ? QString() : QString::fromLatin1(row.requiresGrad ? "True" : "False");
        case Numel: return none ? QString() : entrytext::count(row.numel);
        case Bytes: return none ? QString() : entrytext::bytes(row.bytes);
        case Summary:
            if (const auto mark = trainingMarks_.constFind(path); mark != trainingMarks_.constEnd())
                return entrytext::stateDictNote(row.kind, none, path) + QStringLiteral("  ·  ") +
                       mark->text;
            return entrytext::stateDictNote(row.kind, none, path);
        default: return {};
        }
    case Qt::ToolTipRole:
        if (const auto it = loadStatus_.constFind(path); it != loadStatus_.constEnd())
            return tr("load_state_dict: %1").arg(it.value());
        if (const auto mark = trainingMarks_.constFind(path); mark != trainingMarks_.constEnd())
            return mark->tooltip;
        if (column == Bytes && !none && row.metadataRead)
            return entrytext::count(row.bytes) + tr(" bytes");
        return entrytext::explanation(row.kind, none);
    case Qt::BackgroundRole:
        if (const auto it = loadStatus_.constFind(path); it != loadStatus_.constEnd())
            return QBrush(it.value() == QLatin1String("loaded")     ? QColor(0xdc, 0xf2, 0xdc)
                          : it.value() == QLatin1String("missing")  ? QColor(0xf8, 0xd7, 0xd3)
                                                                    : QColor(0xfb, 0xe7, 0xc0));
        if (const auto mark = trainingMarks_.constFind(path); mark != trainingMarks_.constEnd())
            return trainingTint(mark->state);
        return {};
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
    case EntryKindRole: return static_cast<int>(row.kind);
    case InStateDictRole: return inStateDict;
    case ExplanationRole:
        return container.fromStateDict
                   ? tr("An entry of the state_dict file: the file does not say whether it was a "
                        "parameter or a buffer.")
                   : entrytext::explanation(row.kind, none);
    case ValuePreviewRole: {
        if (none)
            return QStringLiteral("None");
        if (!canRead() || row.stale)
            return tr("values are not read while a statement or forward runs");
        QStringList values;
        for (double v : row.tensor.firstValues(6))
            values << QString::number(v, 'g', 6);
        QString grad;  // a parameter's .grad: None until a backward reaches it
        if (row.kind == EntryKind::Parameter) {
            const TensorRef g = row.tensor.gradient();
            grad = g.isNone() ? QStringLiteral(" · .grad None")
                              : tr(" · .grad sum %1").arg(QString::number(g.sum(), 'g', 6));
        }
        return tr("sum %1 · first values [%2%3]%4")
            .arg(QString::number(row.tensor.sum(), 'g', 8), values.join(QStringLiteral(", ")),
                 row.numel > 6 ? QStringLiteral(", …") : QString(), grad);
    }
    case PathRole: return path;
    case TensorRole:
        if (none || !canRead() || row.stale)
            return {};
        return QVariant::fromValue(row.tensor);
    case GradientRole: {
        if (none || !canRead() || row.stale || row.kind != EntryKind::Parameter)
            return {};
        const TensorRef g = row.tensor.gradient();
        return g.isNone() ? QVariant() : QVariant::fromValue(g);
    }
    default: return {};
    }
}

QVariant ModuleTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case Kind: return tr("Kind");
    case Shape: return tr("Shape");
    case DType: return QStringLiteral("dtype");
    case Device: return QStringLiteral("device");
    case RequiresGrad: return QStringLiteral("requires_grad");
    case Numel: return QStringLiteral("numel");
    case Bytes: return tr("bytes");
    case Summary: return tr("state_dict key / module repr");
    default: return {};
    }
}

}  // namespace mx
