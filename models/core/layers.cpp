#include "core/layers.h"

#include "core/moduleclassnames.h"

#include "core/formatting.h"
#include "core/forwardplan.h"
#include "core/pythonerror.h"
#include "core/tensoraccess.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace mx {

namespace {

// nn.init._calculate_fan_in_and_fan_out(tensor)[0]
int64_t fanIn(const at::Tensor& weight)
{
    int64_t receptive = 1;
    for (int64_t d = 2; d < weight.dim(); ++d)
        receptive *= weight.size(d);
    return weight.size(1) * receptive;
}

// What Conv and Linear's reset_parameters() do in PyTorch 1.13, in the same order and with the
// same double arithmetic, so the global generator yields the values Python gets:
// kaiming_uniform_(weight, a=sqrt(5)), then bias uniform_(-1/sqrt(fan_in), 1/sqrt(fan_in)).
// Zero-size layers (nn.Linear(0, 3)) as 1.13 has them: kaiming_uniform_ of a zero-element weight
// is a no-op that draws nothing; Linear then draws its bias from uniform_(-0, 0) (zeros), while
// Conv leaves the bias as torch.empty made it (here zeros) when fan_in is 0; reset_parameters()
// of a built Conv then leaves it as it is.
enum class ResetRule { Linear, Conv, ConvAgain };

void resetLikePyTorch(at::Tensor& weight, at::Tensor* bias, ResetRule rule)
{
    at::NoGradGuard noGrad;
    const double a = std::sqrt(5.0);
    const double gain = std::sqrt(2.0 / (1 + a * a));  // calculate_gain('leaky_relu', a)
    const int64_t fan = fanIn(weight);
    if (weight.numel() > 0) {  // then fan > 0
        const double bound = std::sqrt(3.0) * (gain / std::sqrt(static_cast<double>(fan)));
        weight.uniform_(-bound, bound);
    }
    if (!bias)
        return;
    if (fan > 0)
        bias->uniform_(-1 / std::sqrt(static_cast<double>(fan)), 1 / std::sqrt(static_cast<double>(fan)));
    else if (rule == ResetRule::Linear)
        bias->uniform_(-0.0, 0.0);
    else if (rule == ResetRule::Conv)
        bias->zero_();
}

TensorRef parameter(at::Tensor t)
{
    t.set_requires_grad(true);
    return TensorAccess::wrap(t);
}

using Kind = PythonValue::Kind;

[[noreturn]] void unsupported(const std::string& what)
{
    throw PythonError("NotImplementedError",
                      what + " is not supported by Module Explorer's console");
}

/** nn.modules.utils._pair for the sizes the app builds: n -> (n, n), or a pair of numbers
 *  (a float fails where Python's fails: torch.empty for kernel_size, forward for the others). */
PythonValue intPair(const PythonValue& v, const std::string& what)
{
    auto number = [](const PythonValue& x) { return x.kind() == Kind::Int || x.kind() == Kind::Float; };
    if (number(v))
        return PythonValue::tuple({v, v});
    if (!v.isTuple() || v.items().size() != 2 || !number(v.items()[0]) || !number(v.items()[1]))
        unsupported(what + " given as " + v.repr());
    return v;
}

/** _reverse_repeat_tuple(padding, 2): (a, b) -> (b, b, a, a). */
PythonValue reversedRepeatedTwice(const PythonValue& padding)
{
    std::vector<PythonValue> items;
    for (auto it = padding.items().rbegin(); it != padding.items().rend(); ++it)
        items.insert(items.end(), {*it, *it});
    return PythonValue::tuple(std::move(items));
}

/** torch.empty(size) as the layers call it: the TypeError and RuntimeError Python reports. */
std::vector<int64_t> checkedEmptySize(const std::vector<PythonValue>& size)
{
    std::vector<int64_t> dims;
    for (size_t k = 0; k < size.size(); ++k) {
        if (size[k].kind() == Kind::Bool)
            unsupported("layer sizes given as bool");
        if (size[k].kind() != Kind::Int)
            throw PythonError("TypeError",
                              "empty(): argument 'size' must be tuple of SymInts, but found "
                              "element of type " + size[k].typeName() + " at pos " +
                                  std::to_string(k + 1));
        dims.push_back(size[k].intValue());
    }
    double elements = 1;
    for (int64_t d : dims) {
        if (d < 0)
            throw PythonError("RuntimeError", "Trying to create tensor with negative dimension " +
                                                  std::to_string(d) + ": " + bracketList(dims));
        elements *= static_cast<double>(d);
    }
    if (elements > 1e8)
        unsupported("layers with more than 100000000 weights");
    return dims;
}

/** The layer's constructor attributes, set in __init__'s order (__dict__'s order). */
void setAttributes(ModuleNode& node, const std::vector<std::pair<std::string, PythonValue>>& values)
{
    for (const auto& [name, value] : values)
        node.setAttr(name, AttributeValue::plain(value));
}

/** Makes a built module a layer of its class: forward and extra_repr follow its attributes. */
std::unique_ptr<ModuleNode> asLayer(std::unique_ptr<ModuleNode> node)
{
    node->defineLayerForward(*layerClass(node->typeName()));
    return node;
}

}  // namespace

std::unique_ptr<ModuleNode> makeConv2d(const Conv2dArguments& a)
{
    // Conv2d.__init__ (_pair of each size) and _ConvNd.__init__'s checks, in their order.
    for (const PythonValue* channels : {&a.inChannels, &a.outChannels})
        if (channels->kind() != Kind::Int && channels->kind() != Kind::Float)
            unsupported("Conv2d channels given as " + channels->typeName());
    if (a.groups.kind() != Kind::Int)
        unsupported("Conv2d groups given as " + a.groups.typeName());
    const int64_t groups = a.groups.intValue();
    if (groups <= 0)
        throw PythonError("ValueError", "groups must be a positive integer");
    auto divisible = [groups](const PythonValue& v) {
        return v.kind() == Kind::Int ? v.intValue() % groups == 0
                                     : std::fmod(v.floatValue(), static_cast<double>(groups)) == 0;
    };
    if (!divisible(a.inChannels))
        throw PythonError("ValueError", "in_channels must be divisible by groups");
    if (!divisible(a.outChannels))
        throw PythonError("ValueError", "out_channels must be divisible by groups");
    if (a.padding.kind() == Kind::Str)
        unsupported("string padding ('same', 'valid') in Conv2d");
    if (a.paddingMode.kind() != Kind::Str)
        unsupported("Conv2d padding_mode given as " + a.paddingMode.typeName());
    const std::string& mode = a.paddingMode.stringValue();
    if (mode != "zeros" && mode != "reflect" && mode != "replicate" && mode != "circular")
        throw PythonError("ValueError", "padding_mode must be one of {'zeros', 'replicate', "
                                        "'reflect', 'circular'}, but got padding_mode='" +
                                            mode + "'");
    const PythonValue kernel = intPair(a.kernelSize, "Conv2d kernel_size");
    const PythonValue stride = intPair(a.stride, "Conv2d stride");
    const PythonValue padding = intPair(a.padding, "Conv2d padding");
    const PythonValue dilation = intPair(a.dilation, "Conv2d dilation");
    const PythonValue inPerGroup =
        a.inChannels.kind() == Kind::Int
            ? PythonValue::integer(a.inChannels.intValue() / groups)
            : PythonValue::floating(std::floor(a.inChannels.floatValue() / groups));
    const std::vector<int64_t> shape = checkedEmptySize(
        {a.outChannels, inPerGroup, kernel.items()[0], kernel.items()[1]});

    auto node = std::make_unique<ModuleNode>("Conv2d");
    setAttributes(*node, {{"in_channels", a.inChannels},
                          {"out_channels", a.outChannels},
                          {"kernel_size", kernel},
                          {"stride", stride},
                          {"padding", padding},
                          {"dilation", dilation},
                          {"transposed", PythonValue::boolean(false)},
                          {"output_padding", intPair(PythonValue::integer(0), "")},
                          {"groups", a.groups},
                          {"padding_mode", a.paddingMode},
                          {"_reversed_padding_repeated_twice", reversedRepeatedTwice(padding)}});
    at::Tensor weight = at::empty(shape);
    at::Tensor bias = a.bias ? at::empty({shape[0]}) : at::Tensor();
    resetLikePyTorch(weight, a.bias ? &bias : nullptr, ResetRule::Conv);
    node->registerParameter("weight", parameter(weight));
    node->registerParameter("bias", a.bias ? parameter(bias) : TensorRef());
    return asLayer(std::move(node));
}

std::unique_ptr<ModuleNode> makeConv2d(const Conv2dOptions& o)
{
    auto tuple = [](const std::vector<int64_t>& v) {
        std::vector<PythonValue> items;
        for (int64_t x : v)
            items.push_back(PythonValue::integer(x));
        return PythonValue::tuple(std::move(items));
    };
    Conv2dArguments a;
    a.inChannels = PythonValue::integer(o.inChannels);
    a.outChannels = PythonValue::integer(o.outChannels);
    a.kernelSize = tuple(o.kernelSize);
    a.stride = tuple(o.stride);
    a.padding = tuple(o.padding);
    a.dilation = tuple(o.dilation);
    a.groups = PythonValue::integer(o.groups);
    a.bias = o.bias;
    return makeConv2d(a);
}

std::unique_ptr<ModuleNode> makeLinear(const PythonValue& inFeatures,
                                       const PythonValue& outFeatures, bool hasBias)
{
    for (const PythonValue* size : {&inFeatures, &outFeatures})
        if (size->kind() == Kind::Bool)
            unsupported("Linear sizes given as bool");
    const std::vector<int64_t> shape = checkedEmptySize({outFeatures, inFeatures});
    auto node = std::make_unique<ModuleNode>("Linear");
    setAttributes(*node, {{"in_features", inFeatures}, {"out_features", outFeatures}});
    at::Tensor weight = at::empty(shape);
    at::Tensor bias = hasBias ? at::empty({shape[0]}) : at::Tensor();
    resetLikePyTorch(weight, hasBias ? &bias : nullptr, ResetRule::Linear);
    node->registerParameter("weight", parameter(weight));
    node->registerParameter("bias", hasBias ? parameter(bias) : TensorRef());
    return asLayer(std::move(node));
}

std::unique_ptr<ModuleNode> makeLinear(int64_t inFeatures, int64_t outFeatures, bool hasBias)
{
    return makeLinear(PythonValue::integer(inFeatures), PythonValue::integer(outFeatures), hasBias);
}

std::unique_ptr<ModuleNode> makeReLU(const PythonValue& inplace)
{
    auto node = std::make_unique<ModuleNode>("ReLU");
    setAttributes(*node, {{"inplace", inplace}});
    return asLayer(std::move(node));
}

std::unique_ptr<ModuleNode> makeMaxPool2d(const MaxPool2dArguments& a)
{
    // _MaxPoolNd.__init__ checks nothing: forward meets what the values are.
    auto node = std::make_unique<ModuleNode>("MaxPool2d");
    setAttributes(*node, {{"kernel_size", a.kernelSize},
                          {"stride", a.stride.isNone() ? a.kernelSize : a.stride},
                          {"padding", a.padding},
                          {"dilation", a.dilation},
                          {"return_indices", a.returnIndices},
                          {"ceil_mode", a.ceilMode}});
    return asLayer(std::move(node));
}

std::unique_ptr<ModuleNode> makeMaxPool2d(int64_t kernelSize, int64_t stride, int64_t padding,
                                          int64_t dilation, bool ceilMode)
{
    MaxPool2dArguments a;
    a.kernelSize = PythonValue::integer(kernelSize);
    if (stride != 0)
        a.stride = PythonValue::integer(stride);
    a.padding = PythonValue::integer(padding);
    a.dilation = PythonValue::integer(dilation);
    a.ceilMode = PythonValue::boolean(ceilMode);
    return makeMaxPool2d(a);
}

std::unique_ptr<ModuleNode> makeDropout(const PythonValue& p, const PythonValue& inplace)
{
    // _DropoutNd.__init__: `if p < 0 or p > 1: raise ValueError(...)`.
    if (p.kind() != Kind::Int && p.kind() != Kind::Float && p.kind() != Kind::Bool) {
        if (p.kind() == Kind::Other && !p.isTuple())
            unsupported("Dropout p given as " + p.typeName());
        throw PythonError("TypeError", "'<' not supported between instances of '" +
                                           p.typeName() + "' and 'int'");
    }
    const double value = p.kind() == Kind::Int    ? static_cast<double>(p.intValue())
                         : p.kind() == Kind::Bool ? (p.boolValue() ? 1.0 : 0.0)
                                                  : p.floatValue();
    if (value < 0 || value > 1)
        throw PythonError("ValueError",
                          "dropout probability has to be between 0 and 1, but got " + p.str());
    auto node = std::make_unique<ModuleNode>("Dropout");
    setAttributes(*node, {{"p", p}, {"inplace", inplace}});
    return asLayer(std::move(node));
}

std::unique_ptr<ModuleNode> makeDropout(double p) { return makeDropout(PythonValue::floating(p)); }

std::unique_ptr<ModuleNode> makeBatchNorm2d(const BatchNorm2dArguments& a)
{
    if (a.numFeatures.kind() != Kind::Int)
        unsupported("BatchNorm2d num_features given as " + a.numFeatures.typeName());
    for (const PythonValue* flag : {&a.affine, &a.trackRunningStats})
        if (flag->kind() != Kind::Bool && flag->kind() != Kind::Int)
            unsupported("BatchNorm2d flags given as " + flag->typeName());
    const bool affine = a.affine.kind() == Kind::Bool ? a.affine.boolValue() : a.affine.intValue() != 0;
    const bool track = a.trackRunningStats.kind() == Kind::Bool ? a.trackRunningStats.boolValue()
                                                                : a.trackRunningStats.intValue() != 0;
    if (affine || track)
        checkedEmptySize({a.numFeatures});
    const int64_t n = a.numFeatures.intValue();
    auto node = std::make_unique<ModuleNode>("BatchNorm2d");
    setAttributes(*node, {{"num_features", a.numFeatures},
                          {"eps", a.eps},
                          {"momentum", a.momentum},
                          {"affine", a.affine},
                          {"track_running_stats", a.trackRunningStats}});
    node->registerParameter("weight", affine ? parameter(at::ones({n})) : TensorRef());
    node->registerParameter("bias", affine ? parameter(at::zeros({n})) : TensorRef());
    auto buffer = [track](at::Tensor t) { return track ? TensorAccess::wrap(t) : TensorRef(); };
    node->registerBuffer("running_mean", buffer(track ? at::zeros({n}) : at::Tensor()));
    node->registerBuffer("running_var", buffer(track ? at::ones({n}) : at::Tensor()));
    node->registerBuffer("num_batches_tracked",
                         buffer(track ? at::zeros({}, at::kLong) : at::Tensor()));
    return asLayer(std::move(node));
}

std::unique_ptr<ModuleNode> makeBatchNorm2d(const BatchNorm2dOptions& o)
{
    BatchNorm2dArguments a;
    a.numFeatures = PythonValue::integer(o.numFeatures);
    a.eps = PythonValue::floating(o.eps);
    a.momentum = PythonValue::floating(o.momentum);
    a.affine = PythonValue::boolean(o.affine);
    a.trackRunningStats = PythonValue::boolean(o.trackRunningStats);
    return makeBatchNorm2d(a);
}

std::unique_ptr<ModuleNode> makeFlatten(const PythonValue& startDim, const PythonValue& endDim)
{
    auto node = std::make_unique<ModuleNode>("Flatten");
    setAttributes(*node, {{"start_dim", startDim}, {"end_dim", endDim}});
    return asLayer(std::move(node));
}

std::unique_ptr<ModuleNode> makeFlatten(int64_t startDim, int64_t endDim)
{
    return makeFlatten(PythonValue::integer(startDim), PythonValue::integer(endDim));
}

std::unique_ptr<ModuleNode> makeSequential(std::vector<std::unique_ptr<ModuleNode>> layers)
{
    auto node = std::make_unique<ModuleNode>("Sequential");
    for (size_t i = 0; i < layers.size(); ++i)
        node->addModule(std::to_string(i), std::move(layers[i]));
    node->setForwardPlan(ForwardPlan::sequential());
    return node;
}

std::unique_ptr<ModuleNode> makeModuleList(std::vector<std::unique_ptr<ModuleNode>> modules)
{
    auto node = std::make_unique<ModuleNode>("ModuleList");
    for (size_t i = 0; i < modules.size(); ++i)
        node->addModule(std::to_string(i), std::move(modules[i]));
    node->declareNoForward();
    return node;
}

std::unique_ptr<ModuleNode> makeModuleDict(
    std::vector<std::pair<std::string, std::unique_ptr<ModuleNode>>> modules)
{
    auto node = std::make_unique<ModuleNode>("ModuleDict");
    for (auto& [key, module] : modules)
        node->addModule(key, std::move(module));
    node->declareNoForward();
    return node;
}

namespace {

at::Tensor entryTensor(const std::vector<TensorSlot>& slots, const std::string& name)
{
    for (const TensorSlot& s : slots)
        if (s.name == name)
            return TensorAccess::tensor(s.tensor);
    return at::Tensor();
}

// A bool attribute of a layer (bn.affine); false when it is not a bool.
bool flag(const ModuleNode& layer, const std::string& name)
{
    for (const PlainAttribute& a : layer.plainAttributes())
        if (a.name == name)
            return !a.isTensor && a.value.kind() == PythonValue::Kind::Bool && a.value.boolValue();
    return false;
}

}  // namespace

void resetLayerParameters(const ModuleNode& layer, bool runningStatsOnly)
{
    at::NoGradGuard noGrad;
    const std::string& type = layer.typeName();
    at::Tensor weight = entryTensor(layer.parameters(), "weight");
    at::Tensor bias = entryTensor(layer.parameters(), "bias");
    if (type == "Conv2d" || type == "Linear") {
        resetLikePyTorch(weight, bias.defined() ? &bias : nullptr,
                         type == "Linear" ? ResetRule::Linear : ResetRule::ConvAgain);
        return;
    }
    if (type != "BatchNorm2d")
        return;
    if (flag(layer, "track_running_stats")) {  // _NormBase.reset_running_stats
        entryTensor(layer.buffers(), "running_mean").zero_();
        entryTensor(layer.buffers(), "running_var").fill_(1);
        entryTensor(layer.buffers(), "num_batches_tracked").zero_();
    }
    if (!runningStatsOnly && flag(layer, "affine")) {
        weight.fill_(1);
        bias.zero_();
    }
}

bool moduleClassAdds(const std::string& type, const std::string& name)
{
    const ModuleClassNames* cls = moduleClassNames(type);
    return cls && cls->adds(name);
}

std::string moduleMethodQualName(const ModuleNode& module, const std::string& method)
{
    const std::string& type = module.typeName();
    if (module.isScripted())
        return "Module." + method;
    // Where a torch.nn class's methods are defined (generated from PyTorch 1.13's __qualname__s).
    if (const ModuleClassNames* cls = moduleClassNames(type))
        if (const char* qualName = cls->qualNameOf(method))
            return qualName;
    if (method == "forward")  // the class's own forward (the examples' Model), or nn.Module's stub
        return type == "Module" ? "_forward_unimplemented" : type + ".forward";
    return "Module." + method;
}

}  // namespace mx
