#include "core/layers.h"

#include "core/formatting.h"
#include "core/forwardplan.h"
#include "core/tensoraccess.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace mx {

namespace {

std::string scriptList(const std::vector<int64_t>& values) { return bracketList(values); }

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
// Conv leaves the bias as torch.empty made it (here zeros) when fan_in is 0.
enum class ResetRule { Linear, Conv };

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
    else
        bias->zero_();
}

TensorRef parameter(at::Tensor t)
{
    t.set_requires_grad(true);
    return TensorAccess::wrap(t);
}

}  // namespace

std::unique_ptr<ModuleNode> makeConv2d(const Conv2dOptions& o)
{
    std::string extra = std::to_string(o.inChannels) + ", " + std::to_string(o.outChannels) +
                        ", kernel_size=" + pythonTuple(o.kernelSize) +
                        ", stride=" + pythonTuple(o.stride);
    auto anyOtherThan = [](const std::vector<int64_t>& values, int64_t v) {
        return std::any_of(values.begin(), values.end(), [v](int64_t x) { return x != v; });
    };
    if (anyOtherThan(o.padding, 0))
        extra += ", padding=" + pythonTuple(o.padding);
    if (anyOtherThan(o.dilation, 1))
        extra += ", dilation=" + pythonTuple(o.dilation);
    if (o.groups != 1)
        extra += ", groups=" + std::to_string(o.groups);
    if (!o.bias)
        extra += ", bias=False";
    auto node = std::make_unique<ModuleNode>("Conv2d", extra);

    at::Tensor weight = at::empty(
        {o.outChannels, o.inChannels / o.groups, o.kernelSize[0], o.kernelSize[1]});
    at::Tensor bias = o.bias ? at::empty({o.outChannels}) : at::Tensor();
    resetLikePyTorch(weight, o.bias ? &bias : nullptr, ResetRule::Conv);
    node->registerParameter("weight", parameter(weight));
    node->registerParameter("bias", o.bias ? parameter(bias) : TensorRef());
    node->defineForward("def forward(self, x):\n"
                        "    return torch.conv2d(x, self.weight, " +
                        std::string(o.bias ? "self.bias" : "None") + ", " +
                        scriptList(o.stride) + ", " + scriptList(o.padding) + ", " +
                        scriptList(o.dilation) + ", " + std::to_string(o.groups) + ")\n");
    return node;
}

std::unique_ptr<ModuleNode> makeLinear(int64_t inFeatures, int64_t outFeatures, bool hasBias)
{
    auto node = std::make_unique<ModuleNode>(
        "Linear", "in_features=" + std::to_string(inFeatures) +
                      ", out_features=" + std::to_string(outFeatures) +
                      ", bias=" + pythonBool(hasBias));
    at::Tensor weight = at::empty({outFeatures, inFeatures});
    at::Tensor bias = hasBias ? at::empty({outFeatures}) : at::Tensor();
    resetLikePyTorch(weight, hasBias ? &bias : nullptr, ResetRule::Linear);
    node->registerParameter("weight", parameter(weight));
    node->registerParameter("bias", hasBias ? parameter(bias) : TensorRef());
    node->defineForward(std::string("def forward(self, x):\n"
                                    "    return torch.linear(x, self.weight, ") +
                        (hasBias ? "self.bias" : "None") + ")\n");
    return node;
}

std::unique_ptr<ModuleNode> makeReLU()
{
    auto node = std::make_unique<ModuleNode>("ReLU");
    node->defineForward("def forward(self, x):\n    return torch.relu(x)\n");
    return node;
}

std::unique_ptr<ModuleNode> makeMaxPool2d(int64_t kernelSize, int64_t stride, int64_t padding,
                                          int64_t dilation, bool ceilMode)
{
    if (stride == 0)
        stride = kernelSize;  // stride=None means kernel_size
    auto node = std::make_unique<ModuleNode>(
        "MaxPool2d", "kernel_size=" + std::to_string(kernelSize) +
                         ", stride=" + std::to_string(stride) +
                         ", padding=" + std::to_string(padding) +
                         ", dilation=" + std::to_string(dilation) +
                         ", ceil_mode=" + pythonBool(ceilMode));
    auto pair = [](int64_t v) { return scriptList({v, v}); };
    node->defineForward("def forward(self, x):\n    return torch.max_pool2d(x, " +
                        pair(kernelSize) + ", " + pair(stride) + ", " + pair(padding) + ", " +
                        pair(dilation) + ", " + pythonBool(ceilMode) + ")\n");
    return node;
}

std::unique_ptr<ModuleNode> makeDropout(double p)
{
    auto node = std::make_unique<ModuleNode>("Dropout",
                                             "p=" + pythonFloat(p) + ", inplace=False");
    node->defineForward("def forward(self, x):\n    return torch.dropout(x, " + pythonFloat(p) +
                        ", self.training)\n");
    return node;
}

std::unique_ptr<ModuleNode> makeBatchNorm2d(const BatchNorm2dOptions& o)
{
    auto node = std::make_unique<ModuleNode>(
        "BatchNorm2d", std::to_string(o.numFeatures) + ", eps=" + pythonFloat(o.eps) +
                           ", momentum=" + pythonFloat(o.momentum) +
                           ", affine=" + pythonBool(o.affine) +
                           ", track_running_stats=" + pythonBool(o.trackRunningStats));
    if (o.affine) {
        node->registerParameter("weight", parameter(at::ones({o.numFeatures})));
        node->registerParameter("bias", parameter(at::zeros({o.numFeatures})));
    } else {
        node->registerParameter("weight", TensorRef());
        node->registerParameter("bias", TensorRef());
    }
    if (o.trackRunningStats) {
        node->registerBuffer("running_mean", TensorAccess::wrap(at::zeros({o.numFeatures})));
        node->registerBuffer("running_var", TensorAccess::wrap(at::ones({o.numFeatures})));
        node->registerBuffer("num_batches_tracked",
                             TensorAccess::wrap(at::zeros({}, at::kLong)));
    } else {
        node->registerBuffer("running_mean", TensorRef());
        node->registerBuffer("running_var", TensorRef());
        node->registerBuffer("num_batches_tracked", TensorRef());
    }
    const std::string affineArgs = o.affine ? "self.weight, self.bias" : "None, None";
    const std::string stats = o.trackRunningStats ? "self.running_mean, self.running_var"
                                                  : "None, None";
    // _BatchNorm.forward: count batches in training, then F.batch_norm (training when no stats).
    std::string source = "def forward(self, x):\n";
    if (o.trackRunningStats)
        source += "    if self.training:\n"
                  "        self.num_batches_tracked.add_(1)\n";
    source += "    return torch.batch_norm(x, " + affineArgs + ", " + stats + ", " +
              (o.trackRunningStats ? std::string("self.training") : std::string("True")) +
              ", " + pythonFloat(o.momentum) + ", " + pythonFloat(o.eps) + ", True)\n";
    node->defineForward(source);
    return node;
}

std::unique_ptr<ModuleNode> makeFlatten(int64_t startDim, int64_t endDim)
{
    auto node = std::make_unique<ModuleNode>(
        "Flatten", "start_dim=" + std::to_string(startDim) + ", end_dim=" + std::to_string(endDim));
    node->defineForward("def forward(self, x):\n    return torch.flatten(x, " +
                        std::to_string(startDim) + ", " + std::to_string(endDim) + ")\n");
    return node;
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

const std::set<std::string>& layerOnlyNames(const std::string& type)
{
    static const std::map<std::string, std::set<std::string>> table{
        {"Conv2d",
         {"in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
          "transposed", "output_padding", "groups", "padding_mode",
          "_reversed_padding_repeated_twice", "reset_parameters", "_conv_forward",
          "__constants__"}},
        {"Linear", {"in_features", "out_features", "reset_parameters", "__constants__"}},
        {"ReLU", {"inplace", "__constants__"}},
        {"MaxPool2d",
         {"kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode",
          "__constants__"}},
        {"Dropout", {"p", "inplace", "__constants__"}},
        {"BatchNorm2d",
         {"num_features", "eps", "momentum", "affine", "track_running_stats",
          "reset_parameters", "reset_running_stats", "_check_input_dim", "__constants__"}},
        {"Flatten", {"start_dim", "end_dim", "__constants__"}},
        {"Sequential", {"extend", "insert", "pop", "__iadd__", "__add__", "__mul__"}},
        // set(dir(nn.ModuleList())) - set(dir(nn.Module())) in 1.13, and the same for ModuleDict
        {"ModuleList",
         {"append", "extend", "insert", "pop", "_get_abs_string_index", "__add__", "__iadd__",
          "__getitem__", "__setitem__", "__delitem__", "__len__", "__iter__"}},
        {"ModuleDict",
         {"keys", "items", "values", "update", "pop", "clear", "__contains__", "__getitem__",
          "__setitem__", "__delitem__", "__len__", "__iter__"}},
    };
    static const std::set<std::string> empty;
    const auto it = table.find(type);
    return it == table.end() ? empty : it->second;
}

}  // namespace mx
