#include "items/treerows.h"

#include <algorithm>

namespace mx::treerows {

std::vector<TreeTensorRow>& tensorRows(TreeModule& module, Section section)
{
    switch (section) {
    case Section::Parameters: return module.parameters;
    case Section::Buffers: return module.buffers;
    default: return module.attributes;
    }
}

TreeTensorRow rowFor(const TensorSlot& slot)
{
    TreeTensorRow row;
    row.name = slot.name;
    row.kind = slot.kind;
    row.stale = false;
    row.tensor = slot.tensor;
    row.none = slot.tensor.isNone();
    return row;
}

void readMetadata(TreeTensorRow& row)
{
    row.metadataRead = true;
    if (row.none)
        return;
    row.shape = row.tensor.shape();
    row.dtype = row.tensor.dtypeName();
    row.device = row.tensor.deviceName();
    row.requiresGrad = row.tensor.requiresGrad();
    row.numel = row.tensor.numel();
    row.bytes = row.tensor.bytes();
}

TreeTensorRow readTensor(const TensorSlot& slot)
{
    TreeTensorRow row = rowFor(slot);
    readMetadata(row);
    return row;
}

TreeTotals subtreeTotals(const ModuleNode& module)
{
    // Each tensor counts once however many slots hold it (as parameters() and buffers() yield
    // it once): collect them, sort by identity, add up the distinct ones.
    struct Counted {
        const void* identity;
        int64_t numel;
        int64_t bytes;
        bool parameter;
        bool trainable;
    };
    std::vector<Counted> tensors;
    std::vector<const ModuleNode*> stack{&module};
    while (!stack.empty()) {
        const ModuleNode* m = stack.back();
        stack.pop_back();
        for (const TensorSlot& p : m->parameters())
            if (!p.tensor.isNone())
                tensors.push_back({p.tensor.identity(), p.tensor.numel(), 0, true,
                                   p.tensor.requiresGrad()});
        for (const TensorSlot& b : m->buffers())
            if (!b.tensor.isNone())
                tensors.push_back({b.tensor.identity(), 0, b.tensor.bytes(), false, false});
        for (size_t i = 0; i < m->childCount(); ++i)
            stack.push_back(&m->child(i));
    }
    // Stable: a tensor that is both a parameter and a buffer somewhere counts as the first seen.
    std::stable_sort(tensors.begin(), tensors.end(),
                     [](const Counted& a, const Counted& b) { return a.identity < b.identity; });
    TreeTotals t;
    for (size_t i = 0; i < tensors.size(); ++i) {
        if (i > 0 && tensors[i].identity == tensors[i - 1].identity)
            continue;
        const Counted& c = tensors[i];
        if (c.parameter) {
            t.parameters += c.numel;
            if (c.trainable)
                t.trainable += c.numel;
        } else {
            t.bufferBytes += c.bytes;
        }
    }
    return t;
}

void readTexts(TreeModule& module)
{
    if (!module.node)
        return;
    module.typeName = module.node->typeName();
    module.headline = module.node->headline();
    module.fromStateDict = module.node->isStateDictGroup();
    if (module.node->isScripted()) {
        std::string qualified = module.node->qualifiedName();
        if (qualified.rfind("__torch__.", 0) == 0)
            qualified.erase(0, 10);
        module.origin = "TorchScript class " + qualified + ": forward is the file's compiled code.";
    } else if (module.fromStateDict) {
        module.origin = "From a state_dict file: keys grouped by their dotted prefixes; no module type.";
    }
}

void readSummary(TreeModule& module)
{
    if (!module.node)
        return;
    readTexts(module);
    module.repr = module.node->displayRepr();
    module.totals = subtreeTotals(*module.node);
    module.summaryRead = true;
}

std::unique_ptr<TreeModule> makeModule(const ModuleNode* node, const QString& name,
                                       TreeModule* parent, size_t position)
{
    auto module = std::make_unique<TreeModule>();
    module->node = node;
    module->parent = parent;
    module->position = position;
    module->name = name;
    if (parent)
        module->path = parent->path.isEmpty() ? name : parent->path + QLatin1Char('.') + name;
    readTexts(*module);
    return module;
}

void readRows(TreeModule& module)
{
    const ModuleNode& m = *module.node;
    auto rowsFor = [](const std::vector<TensorSlot>& slots) {
        std::vector<TreeTensorRow> rows;
        rows.reserve(slots.size());
        for (const TensorSlot& s : slots)
            rows.push_back(rowFor(s));
        return rows;
    };
    module.parameters = rowsFor(m.parameters());
    module.buffers = rowsFor(m.buffers());
    module.attributes = rowsFor(m.tensorAttributes());
    module.attributeIsTensor.clear();
    for (const PlainAttribute& a : m.plainAttributes())
        module.attributeIsTensor.push_back(a.isTensor);
    module.childIsModule.clear();
    for (const ChildSlot& c : m.childSlots())
        module.childIsModule.push_back(c.module != nullptr);
    module.shownAttributes = module.attributes.size();
    module.shownChildren = m.childCount();
    module.children.clear();
    module.children.reserve(m.childCount());
    for (size_t i = 0; i < m.childCount(); ++i)
        module.children.push_back(
            makeModule(&m.child(i), QString::fromStdString(m.childName(i)), &module, i));
}

void readAll(TreeModule& module)
{
    for (auto* rows : {&module.parameters, &module.buffers, &module.attributes})
        for (TreeTensorRow& row : *rows)
            if (!row.metadataRead)
                readMetadata(row);
    for (const auto& child : module.children)
        if (!child->summaryRead)
            readSummary(*child);
}

QString sharedWith(const TreeModule& row,
                   const std::unordered_map<const ModuleNode*, std::string>& firstNames)
{
    auto firstName = [&firstNames](const ModuleNode* node) {
        const auto first = firstNames.find(node);
        return first == firstNames.end() ? QString() : QString::fromStdString(first->second);
    };
    if (!row.parent || firstName(row.parent->node) != row.parent->path)
        return {};
    const QString first = firstName(row.node);
    return first != row.path ? first : QString();
}

bool rowsMatch(const TreeModule& module)
{
    const ModuleNode& m = *module.node;
    auto sameNames = [](const std::vector<TreeTensorRow>& rows, const std::vector<TensorSlot>& slots) {
        if (rows.size() != slots.size())
            return false;
        for (size_t i = 0; i < rows.size(); ++i)
            if (rows[i].name != slots[i].name)
                return false;
        return true;
    };
    if (!sameNames(module.parameters, m.parameters()) || !sameNames(module.buffers, m.buffers()) ||
        !sameNames(module.attributes, m.tensorAttributes()))
        return false;
    if (module.attributeIsTensor.size() != m.plainAttributes().size() ||
        module.childIsModule.size() != m.childSlots().size() ||
        module.shownAttributes != module.attributes.size() ||
        module.shownChildren != module.children.size() || module.children.size() != m.childCount())
        return false;
    for (size_t i = 0; i < module.attributeIsTensor.size(); ++i)
        if (bool(module.attributeIsTensor[i]) != m.plainAttributes()[i].isTensor)
            return false;
    for (size_t i = 0; i < module.childIsModule.size(); ++i)
        if (bool(module.childIsModule[i]) != (m.childSlots()[i].module != nullptr))
            return false;
    for (size_t i = 0; i < module.children.size(); ++i) {
        const TreeModule& c = *module.children[i];
        if (c.node ? c.node != &m.child(i) : c.name.toStdString() != m.childName(i))
            return false;
    }
    return true;
}

}  // namespace mx::treerows
