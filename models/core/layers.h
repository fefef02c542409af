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

// Layer factories with PyTorch 1.13's defaults, initialisation (drawing from the global
// generator in the same order as Python), extra_repr and forward.
std::unique_ptr<ModuleNode> makeConv2d(const Conv2dOptions& options);
std::unique_ptr<ModuleNode> makeLinear(int64_t inFeatures, int64_t outFeatures, bool bias = true);
std::unique_ptr<ModuleNode> makeReLU();
/** MaxPool2d(kernel_size, stride=None -> kernel_size, padding, dilation, ceil_mode). */
std::unique_ptr<ModuleNode> makeMaxPool2d(int64_t kernelSize, int64_t stride = 0,
                                          int64_t padding = 0, int64_t dilation = 1,
                                          bool ceilMode = false);
std::unique_ptr<ModuleNode> makeDropout(double p = 0.5);
std::unique_ptr<ModuleNode> makeBatchNorm2d(const BatchNorm2dOptions& options);
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
 * What each layer class keeps in its instance __dict__ (its constructor's hyperparameters) or
 * defines on the class beyond nn.Module, in PyTorch 1.13: `hasattr(conv, 'padding')` is True, so
 * `conv.register_buffer('padding', t)` raises "attribute 'padding' already exists". Empty for
 * other types.
 */
const std::set<std::string>& layerOnlyNames(const std::string& typeName);

}  // namespace mx
