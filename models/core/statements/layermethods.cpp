// The methods a layer class defines beyond nn.Module that the console runs: reset_parameters()
// of Conv2d, Linear and BatchNorm2d, and BatchNorm2d.reset_running_stats(). Each tensor they
// change is an undoable in-place edit, with the same random numbers as PyTorch 1.13.

#include "core/statements/methodtable.h"

#include "core/layers.h"
#include "core/moduleclassnames.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"

namespace mx::stmt {

namespace {

// Whether a layer's plain attribute is truthy as `if self.affine:` reads it; what the console
// cannot judge (a tensor or another object) is refused.
bool truthyAttribute(const ModuleNode& layer, const std::string& name)
{
    const AttributeLookup found = layer.getAttr(name);  // AttributeError as Python's
    if (found.source != AttributeLookup::Source::Attribute || !found.tensor.isNone() ||
        (found.value.kind() != PythonValue::Kind::Bool && !found.value.isNone()))
        unsupported("reset_parameters() when " + name + " is not True, False or None");
    return found.value.kind() == PythonValue::Kind::Bool && found.value.boolValue();
}

// The tensor `self.name` names, as reset_parameters reads it (AttributeError when deleted).
TensorRef layerTensor(const ModuleNode& layer, const std::string& name, bool noneAllowed)
{
    const AttributeLookup found = layer.getAttr(name);
    const bool tensor = found.source == AttributeLookup::Source::Parameter ||
                        found.source == AttributeLookup::Source::Buffer;
    if (!tensor || (found.tensor.isNone() && !noneAllowed))
        unsupported("reset_parameters() when " + name + " is not a tensor");
    return found.tensor;
}

ValuePtr reset(Interpreter& in, const ValuePtr& self, bool runningStatsOnly)
{
    const ModuleNode& layer = resolveModule(self->module);
    std::vector<TensorRef> changed;
    if (layer.typeName() == "BatchNorm2d") {
        if (truthyAttribute(layer, "track_running_stats"))
            for (const char* name : {"running_mean", "running_var", "num_batches_tracked"})
                changed.push_back(layerTensor(layer, name, false));
        if (!runningStatsOnly && truthyAttribute(layer, "affine"))
            for (const char* name : {"weight", "bias"})
                changed.push_back(layerTensor(layer, name, false));
    } else {
        changed.push_back(layerTensor(layer, "weight", false));
        if (TensorRef bias = layerTensor(layer, "bias", true); !bias.isNone())
            changed.push_back(bias);
    }
    // Each tensor's old values are kept (one undo step each) before the reset writes them all.
    std::function<void(size_t)> keepFrom = [&](size_t k) {
        if (k == changed.size())
            resetLayerParameters(layer, runningStatsOnly);
        else
            in.changeTensor(changed[k], Interpreter::TensorChange::Values, [&] { keepFrom(k + 1); });
    };
    keepFrom(0);
    return none();
}

ValuePtr resetParameters(Interpreter& in, const ValuePtr& self, const Args&) { return reset(in, self, false); }
ValuePtr resetRunningStats(Interpreter& in, const ValuePtr& self, const Args&) { return reset(in, self, true); }

}  // namespace

std::vector<MethodEntry> layerResetEntries(const std::string& className)
{
    // Argument errors name the class that defines the method ("_ConvNd.reset_parameters()").
    const ModuleClassNames* names = moduleClassNames(className);
    auto qualName = [&](const std::string& method) {
        const char* defined = names ? names->qualNameOf(method) : nullptr;
        return defined ? std::string(defined) : className + "." + method;
    };
    std::vector<MethodEntry> entries{
        {"reset_parameters", pythonSignature({qualName("reset_parameters"), {}}), resetParameters}};
    if (className == "BatchNorm2d")
        entries.push_back({"reset_running_stats", pythonSignature({qualName("reset_running_stats"), {}}),
                           resetRunningStats});
    return entries;
}

}  // namespace mx::stmt
