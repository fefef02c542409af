// ModuleTreeModel's write side: it follows the document. Each change record is one step on one
// module (insert, remove or replace an entry of a section at a position), which maps to rows of
// that module as the tree shows them, using the record's before/after values and the module's
// mirrors of its plain attributes and _modules; the core is only read once all records of a change
// are applied, to fill in the rows they inserted or replaced.

#include "items/moduletreemodel.h"

#include "core/listings.h"
#include "core/modeldocument.h"
#include "items/treerows.h"

#include <QtGlobal>

#include <algorithm>
#include <unordered_set>
#include <utility>

namespace mx {

namespace {

using treerows::tensorRows;
using Kind = Edit::Change::Kind;
using Value = Edit::Change::Value;

int sectionOffset(const TreeModule& m, Section section)
{
    size_t offset = 0;
    switch (section) {
    case Section::Modules: offset += m.attributes.size(); [[fallthrough]];
    case Section::Attributes: offset += m.buffers.size(); [[fallthrough]];
    case Section::Buffers: offset += m.parameters.size(); [[fallthrough]];
    case Section::Parameters: break;
    }
    return static_cast<int>(offset);
}

// How many entries of `mirror` before `index` are shown (`shown` counts them all).
size_t shownBefore(const std::vector<char>& mirror, size_t index, size_t shown)
{
    if (index == mirror.size())
        return shown;
    return static_cast<size_t>(std::count(mirror.begin(), mirror.begin() + long(index), char(1)));
}

EntryKind placeholderKind(Section section)
{
    switch (section) {
    case Section::Buffers: return EntryKind::Buffer;
    case Section::Attributes: return EntryKind::Attribute;
    default: return EntryKind::Parameter;
    }
}

}  // namespace

/** Row insertions or removals held back so that neighbouring ones are announced as one. */
struct ModuleTreeModel::PendingRows {
    enum class Kind { None, Insert, Remove } kind = Kind::None;
    TreeModule* module = nullptr;
    Section section = Section::Parameters;
    size_t start = 0;                                  // within the section's shown rows
    size_t count = 0;                                  // Remove
    std::vector<TreeTensorRow> tensors;                // Insert into a tensor section
    std::vector<std::unique_ptr<TreeModule>> modules;  // Insert into Modules
};

void ModuleTreeModel::onDocumentChange(const DocumentChange& change)
{
    switch (change.kind) {
    case DocumentChange::Kind::AboutToReplaceModel: resetTo(nullptr); break;
    case DocumentChange::Kind::ModelReplaced: resetTo(document_->root()); break;
    case DocumentChange::Kind::Edited: applyEdited(change.records); break;
    case DocumentChange::Kind::TensorsChanged: refreshTensors(); break;
    }
    if (canRead()) {
        announceHeldBackRows();
        readUnread();
    }
}

void ModuleTreeModel::resetTo(const ModuleNode* root)
{
    beginResetModel();
    heldBack_.clear();
    unread_.clear();
    modules_.clear();
    root_.reset();
    traceOutputs_.clear();
    notCalled_.clear();
    loadStatus_.clear();
    trainingMarks_.clear();
    anyShared_ = false;
    if (root) {
        root_ = treerows::makeModule(root, QString(), nullptr, 0);
        bind(*root_);
    }
    endResetModel();
}

void ModuleTreeModel::applyEdited(const std::vector<ChangeRecord>& records)
{
    if (!root_)
        return;
    applying_ = true;
    PendingRows pending;
    std::vector<const ModuleNode*> touched;
    std::unordered_set<const ModuleNode*> seen;
    for (const ChangeRecord& r : records) {
        if (seen.insert(r.module).second)
            touched.push_back(r.module);
        // Another module's pending rows first: removing them may drop this module's row.
        if (pending.kind != PendingRows::Kind::None && pending.module->node != r.module)
            flush(pending);
        const auto it = modules_.find(r.module);
        if (it == modules_.end())
            continue;  // rows never built: they are read when first asked for
        // A module shown under several names changes under each (a copy: rows may go).
        const std::vector<TreeModule*> rows = it->second;
        for (TreeModule* module : rows) {
            if (module->rows == TreeModule::Rows::Shown && !module->outOfStep &&
                !applyRecord(*module, r.change, pending))
                module->outOfStep = true;
        }
    }
    flush(pending);
    for (const ModuleNode* node : touched) {
        const auto it = modules_.find(node);
        if (it == modules_.end())
            continue;
        const std::vector<TreeModule*> rows = it->second;
        for (TreeModule* module : rows)
            if (module->rows == TreeModule::Rows::Shown)
                settle(*module);
    }
    refreshSummaries(touched);
    markSharedRows();
    clearForwardTrace();
    applying_ = false;
    for (const auto& [first, last] : std::exchange(insertedByEdit_, {}))
        if (first.isValid() && last.isValid() && first.parent() == last.parent())
            Q_EMIT rowsInsertedByEdit(first.parent(), first.row(), last.row());
}

bool ModuleTreeModel::applyRecord(TreeModule& module, const Edit::Change& change,
                                  PendingRows& pending)
{
    const size_t i = change.index;
    // The section's rows as the records so far left them (some may still be held back).
    size_t size = change.section == Section::Modules ? module.children.size()
                                                     : tensorRows(module, change.section).size();
    if (pending.module == &module && pending.section == change.section)
        size = pending.kind == PendingRows::Kind::Insert
                   ? size + pending.tensors.size() + pending.modules.size()
                   : size - pending.count;
    if (change.section == Section::Parameters || change.section == Section::Buffers) {
        switch (change.kind) {
        case Kind::Insert:
            if (i > size)
                return false;
            insertRow(module, change.section, i, change.name, pending);
            return true;
        case Kind::Remove:
            if (i >= size)
                return false;
            removeRow(module, change.section, i, pending);
            return true;
        case Kind::Replace:
            if (i >= size)
                return false;
            flush(pending);
            tensorRows(module, change.section)[i].stale = true;
            return true;
        }
        return false;
    }
    // Plain attributes show only tensors, _modules only modules: map through the mirrors.
    const bool attributes = change.section == Section::Attributes;
    std::vector<char>& mirror = attributes ? module.attributeIsTensor : module.childIsModule;
    size_t& shown = attributes ? module.shownAttributes : module.shownChildren;
    const Value visible = attributes ? Value::Tensor : Value::Module;
    if ((change.kind == Kind::Insert ? i > mirror.size() : i >= mirror.size()) || shown != size)
        return false;
    const bool was = change.kind != Kind::Insert && mirror[i];
    const bool now = change.kind != Kind::Remove && change.after == visible;
    if (change.kind != Kind::Insert && was != (change.before == visible))
        return false;  // the record and the rows disagree on what the entry held
    const size_t row = shownBefore(mirror, i, shown);
    if (change.kind == Kind::Insert)
        mirror.insert(mirror.begin() + long(i), char(now));
    else if (change.kind == Kind::Remove)
        mirror.erase(mirror.begin() + long(i));
    else
        mirror[i] = char(now);
    if (was && now && attributes) {  // one tensor for another: the row stays, its values change
        flush(pending);
        module.attributes[row].stale = true;
        return true;
    }
    if (was) {  // a module replaced by another one is a new row: its subtree is new
        --shown;
        removeRow(module, change.section, row, pending);
    }
    if (now) {
        ++shown;
        insertRow(module, change.section, row, change.name, pending);
    }
    return true;
}

void ModuleTreeModel::insertRow(TreeModule& module, Section section, size_t at,
                                const std::string& name, PendingRows& pending)
{
    const bool extends = pending.kind == PendingRows::Kind::Insert && pending.module == &module &&
                         pending.section == section &&
                         at == pending.start + pending.tensors.size() + pending.modules.size();
    if (!extends) {
        flush(pending);
        pending.kind = PendingRows::Kind::Insert;
        pending.module = &module;
        pending.section = section;
        pending.start = at;
    }
    if (section == Section::Modules) {
        pending.modules.push_back(
            treerows::makeModule(nullptr, QString::fromStdString(name), &module, 0));
    } else {
        TreeTensorRow row;
        row.name = name;
        row.kind = placeholderKind(section);
        pending.tensors.push_back(std::move(row));
    }
}

void ModuleTreeModel::removeRow(TreeModule& module, Section section, size_t at,
                                PendingRows& pending)
{
    if (pending.kind == PendingRows::Kind::Remove && pending.module == &module &&
        pending.section == section) {
        if (at + 1 == pending.start) {  // the row just before: removing backwards, as undo does
            pending.start = at;
            ++pending.count;
            return;
        }
        if (at == pending.start) {  // the row just after the removed ones
            ++pending.count;
            return;
        }
    }
    flush(pending);
    pending.kind = PendingRows::Kind::Remove;
    pending.module = &module;
    pending.section = section;
    pending.start = at;
    pending.count = 1;
}

void ModuleTreeModel::flush(PendingRows& pending)
{
    if (pending.kind == PendingRows::Kind::None)
        return;
    TreeModule& m = *pending.module;
    const QModelIndex parent = indexOf(m);
    const int first = sectionOffset(m, pending.section) + int(pending.start);
    const auto at = long(pending.start);
    std::vector<std::unique_ptr<TreeModule>> dropped;
    if (pending.kind == PendingRows::Kind::Insert) {
        const int n = int(pending.tensors.size() + pending.modules.size());
        beginInsertRows(parent, first, first + n - 1);
        if (pending.section == Section::Modules) {
            m.children.insert(m.children.begin() + at,
                              std::make_move_iterator(pending.modules.begin()),
                              std::make_move_iterator(pending.modules.end()));
        } else {
            std::vector<TreeTensorRow>& rows = tensorRows(m, pending.section);
            rows.insert(rows.begin() + at, std::make_move_iterator(pending.tensors.begin()),
                        std::make_move_iterator(pending.tensors.end()));
        }
    } else {
        beginRemoveRows(parent, first, first + int(pending.count) - 1);
        const auto end = at + long(pending.count);
        if (pending.section == Section::Modules) {
            dropped.assign(std::make_move_iterator(m.children.begin() + at),
                           std::make_move_iterator(m.children.begin() + end));
            m.children.erase(m.children.begin() + at, m.children.begin() + end);
        } else {
            std::vector<TreeTensorRow>& rows = tensorRows(m, pending.section);
            rows.erase(rows.begin() + at, rows.begin() + end);
        }
    }
    if (pending.section == Section::Modules)
        for (size_t c = pending.start; c < m.children.size(); ++c)
            m.children[c]->position = c;
    if (pending.kind == PendingRows::Kind::Insert) {
        endInsertRows();
        const int last = first + int(pending.tensors.size() + pending.modules.size()) - 1;
        insertedByEdit_.emplace_back(createIndex(first, 0, &m), createIndex(last, 0, &m));
    } else {
        endRemoveRows();
    }
    for (auto& d : dropped)  // after the views let go of their indexes
        forget(std::move(d));
    pending = PendingRows();
}

// After a change's records: fills in the rows they inserted or replaced from the core, which the
// rows now match entry for entry (else they are re-read, with a warning: a bug to report).
void ModuleTreeModel::settle(TreeModule& module)
{
    const ModuleNode& m = *module.node;
    const bool consistent = !module.outOfStep && treerows::rowsMatch(module);
    if (!consistent) {
        resync(module);
        return;
    }
    int runStart = -1;
    int row = 0;
    auto mark = [&](bool changed) {
        if (changed && runStart < 0)
            runStart = row;
        if (!changed && runStart >= 0) {
            emitRowsChanged(module, runStart, row - 1);
            runStart = -1;
        }
        ++row;
    };
    for (auto [section, slots] : {std::pair{Section::Parameters, &m.parameters()},
                                  std::pair{Section::Buffers, &m.buffers()},
                                  std::pair{Section::Attributes, &m.tensorAttributes()}}) {
        std::vector<TreeTensorRow>& rows = tensorRows(module, section);
        for (size_t i = 0; i < rows.size(); ++i) {
            const bool stale = rows[i].stale;
            if (stale)
                rows[i] = treerows::readTensor((*slots)[i]);
            mark(stale);
        }
    }
    for (size_t i = 0; i < module.children.size(); ++i) {
        TreeModule& child = *module.children[i];
        const bool placeholder = !child.node;
        if (placeholder) {  // a new row, likely on screen: read all it shows now
            child.node = &m.child(i);
            treerows::readSummary(child);
            bind(child);
        }
        mark(placeholder);
    }
    mark(false);
}

// Re-reads a module's rows from the core: all rows removed, then the current ones inserted.
void ModuleTreeModel::resync(TreeModule& module)
{
    qWarning("ModuleTreeModel: the rows of '%s' were out of step with the model's changes; "
             "re-reading them",
             qPrintable(module.path.isEmpty() ? QStringLiteral("model") : module.path));
    module.outOfStep = false;
    const QModelIndex parent = indexOf(module);
    std::vector<std::unique_ptr<TreeModule>> dropped;
    if (module.rowCount() > 0) {
        beginRemoveRows(parent, 0, module.rowCount() - 1);
        dropped = std::move(module.children);
        module.children.clear();
        module.parameters.clear();
        module.buffers.clear();
        module.attributes.clear();
        endRemoveRows();
    }
    for (auto& d : dropped)
        forget(std::move(d));
    showRows(module);
}

// Reads a module's rows and announces them (the view was told it had none).
void ModuleTreeModel::showRows(TreeModule& module)
{
    module.rows = TreeModule::Rows::AnsweredEmpty;  // rowCount() stays 0 until beginInsertRows
    treerows::readRows(module);
    registerChildren(module);
    const int n = module.rowCount();
    if (n == 0) {
        module.rows = TreeModule::Rows::Shown;
        return;
    }
    beginInsertRows(indexOf(module), 0, n - 1);
    module.rows = TreeModule::Rows::Shown;
    endInsertRows();
}

void ModuleTreeModel::announceHeldBackRows()
{
    if (announcing_)
        return;
    announcing_ = true;
    while (!heldBack_.empty() && canRead()) {
        TreeModule* module = heldBack_.front();
        heldBack_.erase(heldBack_.begin());
        if (module->rows == TreeModule::Rows::AnsweredEmpty && module->node)
            showRows(*module);
    }
    announcing_ = false;
}

// Rows a view was given while the core could not be read: read what they show, then repaint.
void ModuleTreeModel::readUnread()
{
    const std::vector<TreeModule*> modules = std::exchange(unread_, {});
    for (TreeModule* module : modules) {
        module->unreadIndexed = false;
        if (!module->parent && !module->summaryRead) {  // the model's own row
            treerows::readSummary(*module);
            const QModelIndex row = index(0, 0);
            Q_EMIT dataChanged(row, row.siblingAtColumn(ColumnCount - 1));
        }
        if (module->rows != TreeModule::Rows::Shown || module->rowCount() == 0)
            continue;
        treerows::readAll(*module);
        emitRowsChanged(*module, 0, module->rowCount() - 1);
    }
}

// Texts and subtree totals of every module on the edited paths (not the whole tree): the rows of
// the edited modules and of every module above them, under each of their names.
void ModuleTreeModel::refreshSummaries(const std::vector<const ModuleNode*>& touched)
{
    std::unordered_set<TreeModule*> refreshed;
    std::vector<TreeModule*> order;
    for (const ModuleNode* node : touched) {
        node->forEachAncestor([&](const ModuleNode& above) {
            if (const auto it = modules_.find(&above); it != modules_.end())
                for (TreeModule* module : it->second)
                    for (; module && refreshed.insert(module).second; module = module->parent)
                        order.push_back(module);
        });
    }
    for (TreeModule* module : order) {
        if (module->summaryRead)
            treerows::readSummary(*module);
        else
            treerows::readTexts(*module);  // the rest is read if a view ever shows the row
        const QModelIndex row = indexOf(*module);
        if (row.isValid())
            Q_EMIT dataChanged(row, row.siblingAtColumn(ColumnCount - 1));
    }
}

// Which rows show a module under a later name ("shared with conv1"): after any edit that may have
// shared a module, or un-shared one (its first name deleted), re-read from named_modules.
void ModuleTreeModel::markSharedRows()
{
    if (!root_)
        return;
    bool shared = anyShared_;
    for (auto it = modules_.begin(); !shared && it != modules_.end(); ++it)
        shared = it->first->parents().size() > 1;
    if (!shared)
        return;
    const std::unordered_map<const ModuleNode*, std::string> firstNames =
        firstModuleNames(*root_->node);
    anyShared_ = false;
    for (const auto& [node, rows] : modules_) {
        for (TreeModule* module : rows) {
            const QString sharedWith = treerows::sharedWith(*module, firstNames);
            anyShared_ = anyShared_ || !sharedWith.isEmpty();
            if (sharedWith == module->sharedWith)
                continue;
            module->sharedWith = sharedWith;
            const QModelIndex row = indexOf(*module);
            if (row.isValid())
                Q_EMIT dataChanged(row, row.siblingAtColumn(ColumnCount - 1));
        }
    }
}

void ModuleTreeModel::refreshTensors()
{
    std::vector<const ModuleNode*> nodes;
    nodes.reserve(modules_.size());
    for (const auto& entry : modules_)
        nodes.push_back(entry.first);
    for (const ModuleNode* node : nodes) {
        const auto found = modules_.find(node);
        if (found == modules_.end())
            continue;  // forgotten by a re-read above
        // One node's rows are never inside each other, so re-reading one keeps the others.
        const std::vector<TreeModule*> rowsOfNode = found->second;
        for (TreeModule* module : rowsOfNode)
            refreshTensorRows(*module);
    }
    const QModelIndex rootRow = index(0, 0);
    Q_EMIT dataChanged(rootRow, rootRow.siblingAtColumn(ColumnCount - 1));
}

void ModuleTreeModel::refreshTensorRows(TreeModule& module)
{
    if (module.summaryRead)
        treerows::readSummary(module);
    if (module.rows != TreeModule::Rows::Shown)
        return;
    if (!treerows::rowsMatch(module)) {
        resync(module);
        return;
    }
    const ModuleNode& m = *module.node;
    for (auto [section, slots] : {std::pair{Section::Parameters, &m.parameters()},
                                  std::pair{Section::Buffers, &m.buffers()},
                                  std::pair{Section::Attributes, &m.tensorAttributes()}}) {
        std::vector<TreeTensorRow>& rows = tensorRows(module, section);
        for (size_t i = 0; i < rows.size(); ++i) {
            const bool shown = rows[i].metadataRead;
            rows[i] = treerows::rowFor((*slots)[i]);
            if (shown)
                treerows::readMetadata(rows[i]);
        }
    }
    if (module.rowCount() > 0)
        emitRowsChanged(module, 0, module.rowCount() - 1);
}

void ModuleTreeModel::setForwardTrace(const QHash<QString, QString>& outputByPath,
                                      const QSet<QString>& notCalled)
{
    if (traceOutputs_.isEmpty() && notCalled_.isEmpty() && outputByPath.isEmpty() && notCalled.isEmpty())
        return;  // nothing shown, nothing to show: keep that free
    traceOutputs_ = outputByPath;
    notCalled_ = notCalled;
    emitModuleShapesChanged();
}

void ModuleTreeModel::setLoadHighlights(const QHash<QString, QString>& statusByKey)
{
    if (loadStatus_.isEmpty() && statusByKey.isEmpty())
        return;
    // Only roles change: a layout change repaints every view without touching indexes.
    Q_EMIT layoutAboutToBeChanged();
    loadStatus_ = statusByKey;
    Q_EMIT layoutChanged();
}

void ModuleTreeModel::setTrainingMarks(const QHash<QString, TrainingMark>& marks)
{
    if (trainingMarks_.isEmpty() && marks.isEmpty())
        return;
    Q_EMIT layoutAboutToBeChanged();  // roles and the Summary text change, not the rows
    trainingMarks_ = marks;
    Q_EMIT layoutChanged();
}

void ModuleTreeModel::clearForwardTrace()
{
    if (traceOutputs_.isEmpty() && notCalled_.isEmpty())
        return;
    traceOutputs_.clear();
    notCalled_.clear();
    emitModuleShapesChanged();
}

void ModuleTreeModel::emitModuleShapesChanged()
{
    for (const auto& entry : modules_) {
        for (TreeModule* module : entry.second) {
            const QModelIndex shape = indexOf(*module, Shape);
            if (shape.isValid())
                Q_EMIT dataChanged(shape, shape);
        }
    }
}

void ModuleTreeModel::forget(std::unique_ptr<TreeModule> module)
{
    if (module->node) {
        const auto it = modules_.find(module->node);
        if (it != modules_.end()) {
            std::vector<TreeModule*>& rows = it->second;
            rows.erase(std::remove(rows.begin(), rows.end(), module.get()), rows.end());
            if (rows.empty())
                modules_.erase(it);
        }
    }
    if (module->rows == TreeModule::Rows::AnsweredEmpty)
        heldBack_.erase(std::remove(heldBack_.begin(), heldBack_.end(), module.get()),
                        heldBack_.end());
    if (module->unreadIndexed)
        unread_.erase(std::remove(unread_.begin(), unread_.end(), module.get()), unread_.end());
    for (auto& child : module->children)
        forget(std::move(child));
}

}  // namespace mx
