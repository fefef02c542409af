#include "items/treerows.h"

#include <unordered_set>

namespace mx::treerows {

TreeTensorRow readTensor(const TensorSlot& slot)
{
    TreeTensorRow row;
    row.name = slot.name;
    row.kind = slot.kind;
    row.stale = false;
    row.tensor = slot.tensor;
    row.none = slot.tensor.isNone();
    if (!row.none) {
        row.shape = slot.tensor.shape();
        row.dtype = slot.tensor.dtypeName();
        row.device = slot.tensor.deviceName();
        row.requiresGrad = slot.tensor.requiresGrad();
        row.numel = slot.tensor.numel();
        row.bytes = slot.tensor.bytes();
    }
    return row;
}

TreeTotals subtreeTotals(const ModuleNode& module)
{
    TreeTotals t;
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
    return t;
}

void readSummary(TreeModule& module)
{
    if (!module.node)
        return;
    module.typeName = module.node->typeName();
    module.headline = module.node->headline();
    module.repr = module.node->repr();
    module.totals = subtreeTotals(*module.node);
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
    readSummary(*module);
    return module;
}

void readRows(TreeModule& module)
{
    const ModuleNode& m = *module.node;
    auto readAll = [](const std::vector<TensorSlot>& slots) {
        std::vector<TreeTensorRow> rows;
        rows.reserve(slots.size());
        for (const TensorSlot& s : slots)
            rows.push_back(readTensor(s));
        return rows;
    };
    module.parameters = readAll(m.parameters());
    module.buffers = readAll(m.buffers());
    module.attributes = readAll(m.tensorAttributes());
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
