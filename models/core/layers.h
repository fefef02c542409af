#pragma once

#include "core/modulenode.h"

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace mx {

/** torch.nn.Conv2d's constructor arguments (square kernels and strides as pairs). */
struct Conv2dOptions {
    int64_t inChannels = 1;
    int64_t outChannels = 1;
    std::vector<int64_t> kernelSize{3, 3};
    std::vector<int64_t> stride{1, 1};
    std::vector<int64_t> padding{0, 0};
    std::vector<int64_t> dilation{1, 1};
    int64_t groups = 1;
    bool bias = true;
};

/** torch.nn.BatchNorm2d's constructor arguments. */
struct BatchNorm2dOptions {
    int64_t numFeatures = 1;
    double eps = 1e-5;
    double momentum = 0.1;
    bool affine = true;
    bool trackRunningStats = true;
};

/** torch.nn.Conv2d's arguments as Python passed them: kernel_size 3 or (3, 5), padding 1. */
struct Conv2dArguments {
    PythonValue inChannels = PythonValue::integer(1);
    PythonValue outChannels = PythonValue::integer(1);
    PythonValue kernelSize = PythonValue::integer(3);
    PythonValue stride = PythonValue::integer(1);
    PythonValue padding = PythonValue::integer(0);
    PythonValue dilation = PythonValue::integer(1);
    PythonValue groups = PythonValue::integer(1);
    bool bias = true;
    PythonValue paddingMode = PythonValue::string("zeros");
};

/** torch.nn.MaxPool2d's arguments as Python passed them (stride None: kernel_size). */
struct MaxPool2dArguments {
    PythonValue kernelSize = PythonValue::integer(2);
    PythonValue stride;  // None
    PythonValue padding = PythonValue::integer(0);
    PythonValue dilation = PythonValue::integer(1);
    PythonValue returnIndices = PythonValue::boolean(false);
    PythonValue ceilMode = PythonValue::boolean(false);
};

/** torch.nn.BatchNorm2d's arguments as Python passed them (momentum may be None). */
struct BatchNorm2dArguments {
    PythonValue numFeatures = PythonValue::integer(1);
    PythonValue eps = PythonValue::floating(1e-5);
    PythonValue momentum = PythonValue::floating(0.1);
    PythonValue affine = PythonValue::boolean(true);
    PythonValue trackRunningStats = PythonValue::boolean(true);
};

// Layer factories with PyTorch 1.13's argument checks (PythonError worded as Python's, or
// UnsupportedError for what the app does not build), initialisation (drawing from the global
// generator in the same order as Python) and instance attributes: each layer keeps its
// constructor's values as plain attributes in __dict__'s order (conv.kernel_size == (3, 3)),
// and its extra_repr and forward follow their current values (see LayerClass).
std::unique_ptr<ModuleNode> makeConv2d(const Conv2dArguments& arguments);
std::unique_ptr<ModuleNode> makeConv2d(const Conv2dOptions& options);
std::unique_ptr<ModuleNode> makeLinear(const PythonValue& inFeatures,
                                       const PythonValue& outFeatures, bool bias = true);
std::unique_ptr<ModuleNode> makeLinear(int64_t inFeatures, int64_t outFeatures, bool bias = true);
std::unique_ptr<ModuleNode> makeReLU(const PythonValue& inplace = PythonValue::boolean(false));
std::unique_ptr<ModuleNode> makeMaxPool2d(const MaxPool2dArguments& arguments);
/** MaxPool2d(kernel_size, stride=None -> kernel_size, padding, dilation, ceil_mode). */
std::unique_ptr<ModuleNode> makeMaxPool2d(int64_t kernelSize, int64_t stride = 0,
                                          int64_t padding = 0, int64_t dilation = 1,
                                          bool ceilMode = false);
std::unique_ptr<ModuleNode> makeDropout(const PythonValue& p,
                                        const PythonValue& inplace = PythonValue::boolean(false));
std::unique_ptr<ModuleNode> makeDropout(double p = 0.5);
std::unique_ptr<ModuleNode> makeBatchNorm2d(const BatchNorm2dArguments& arguments);
std::unique_ptr<ModuleNode> makeBatchNorm2d(const BatchNorm2dOptions& options);
std::unique_ptr<ModuleNode> makeFlatten(const PythonValue& startDim, const PythonValue& endDim);
std::unique_ptr<ModuleNode> makeFlatten(int64_t startDim = 1, int64_t endDim = -1);
/** Sequential: children named "0", "1", ...; forward chains them. */
std::unique_ptr<ModuleNode> makeSequential(std::vector<std::unique_ptr<ModuleNode>> layers);
/** nn.ModuleList: children named "0", "1", ...; no forward (calling it raises
 *  NotImplementedError as in PyTorch); a user's script forward iterates or indexes it. */
std::unique_ptr<ModuleNode> makeModuleList(std::vector<std::unique_ptr<ModuleNode>> modules);
/** nn.ModuleDict: children under their keys, in order; no forward. */
std::unique_ptr<ModuleNode> makeModuleDict(
    std::vector<std::pair<std::string, std::unique_ptr<ModuleNode>>> modules);

/**
 * A torch.nn layer class the app builds, as its module's behaviour follows its current
 * attributes: PyTorch 1.13's extra_repr (throws PythonError where Python raises, as for a
 * deleted attribute) and the TorchScript forward that does what the class's forward does with
 * these values (a Python error it would raise is raised by the forward, at the same point).
 */
struct LayerClass {
    std::string (*extraRepr)(const ModuleNode& layer);
    std::string (*forwardSource)(const ModuleNode& layer);
};

/** The class of a layer built by the factories above ("Conv2d", ...); nullptr for others. */
const LayerClass* layerClass(const std::string& typeName);

/**
 * Whether the torch.nn class `typeName` defines `name` beyond nn.Module in PyTorch 1.13 (methods
 * such as reset_parameters or Sequential.append, and __constants__): `hasattr(conv,
 * 'reset_parameters')` is True, so `conv.register_buffer('reset_parameters', t)` raises "attribute
 * 'reset_parameters' already exists". Instance attributes (conv.padding) are plain attributes.
 */
bool moduleClassAdds(const std::string& typeName, const std::string& name);

/**
 * layer.reset_parameters() as PyTorch 1.13 runs it for Conv2d, Linear (kaiming_uniform_ of the
 * weight, then the bias from the global generator) and BatchNorm2d (reset_running_stats(), then
 * weight ones and bias zeros when affine); `runningStatsOnly`: BatchNorm2d.reset_running_stats().
 * In place, without autograd. The caller checks that the tensors it reads are there.
 */
void resetLayerParameters(const ModuleNode& layer, bool runningStatsOnly = false);

/** The __qualname__ of `module.method` in PyTorch 1.13, as a bound method's repr shows it:
 *  "_ConvNd.extra_repr", "Sequential.append", "_forward_unimplemented", "Module.train". */
std::string moduleMethodQualName(const ModuleNode& module, const std::string& method);

}  // namespace mx
