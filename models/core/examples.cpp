#include "core/examples.h"

#include "core/forwardplan.h"
#include "core/layers.h"
#include "core/runtime.h"
#include "core/tensoraccess.h"

#include <ATen/ATen.h>

#include <stdexcept>

namespace mx {

namespace {

// Collects layers for a Sequential. Each then() call finishes before the next argument is
// evaluated (C++17 sequencing of chained calls), so layers draw from the generator in Python's
// left-to-right order; a variadic call would not guarantee that.
class SequentialBuilder {
public:
    SequentialBuilder& then(std::unique_ptr<ModuleNode> layer)
    {
        layers_.push_back(std::move(layer));
        return *this;
    }
    std::unique_ptr<ModuleNode> build() { return makeSequential(std::move(layers_)); }

private:
    std::vector<std::unique_ptr<ModuleNode>> layers_;
};

TensorRef parameter(at::Tensor t)
{
    t.set_requires_grad(true);
    return TensorAccess::wrap(t);
}

Conv2dOptions conv(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding)
{
    Conv2dOptions o;
    o.inChannels = in;
    o.outChannels = out;
    o.kernelSize = {kernel, kernel};
    o.stride = {stride, stride};
    o.padding = {padding, padding};
    return o;
}

// The tutorial's first Model: state_dict() lists 16 keys; layer4cxq1..5 are never called.
std::unique_ptr<ModuleNode> buildStateDictDemo()
{
    auto model = std::make_unique<ModuleNode>("Model");
    model->addModule("conv1", SequentialBuilder()
                                  .then(makeConv2d(conv(1, 64, 3, 1, 1)))
                                  .then(makeReLU())
                                  .then(makeConv2d(conv(64, 128, 3, 1, 1)))
                                  .then(makeReLU())
                                  .then(makeMaxPool2d(2, 2))
                                  .build());
    model->addModule("dense", SequentialBuilder()
                                  .then(makeLinear(14 * 14 * 128, 1024))
                                  .then(makeReLU())
                                  .then(makeDropout(0.5))
                                  .then(makeLinear(1024, 10))
                                  .build());
    model->addModule("layer4cxq1", makeConv2d(conv(2, 33, 4, 4, 0)));
    model->addModule("layer4cxq2", makeReLU());
    model->addModule("layer4cxq3", makeMaxPool2d(2, 2));
    model->addModule("layer4cxq4", makeLinear(14 * 14 * 128, 1024));
    model->addModule("layer4cxq5", makeDropout(0.8));
    model->registerParameter("attribute4cxq", parameter(at::scalar_tensor(20200910.0, at::kFloat)));
    model->registerParameter("attribute4lzq", parameter(at::tensor({2.0f, 3.0f, 4.0f, 5.0f})));
    model->registerParameter("attribute4hh", parameter(at::randn({3, 4, 5, 6})));
    model->registerParameter("attribute4wyf", parameter(at::randn({7, 8, 9, 10})));
    // forward: x = self.conv1(x); x = x.view(-1, 14*14*128); x = self.dense(x); return x
    model->setForwardPlan(std::make_shared<ForwardPlan>(
        ForwardPlan().call("conv1").view({-1, 14 * 14 * 128}).call("dense")));
    return model;
}

// The tutorial's second Model: a plain tensor attribute next to a registered buffer.
std::unique_ptr<ModuleNode> buildBufferDemo()
{
    auto model = std::make_unique<ModuleNode>("Model");
    model->addModule("conv1", SequentialBuilder()
                                  .then(makeConv2d(conv(1, 64, 3, 1, 1)))
                                  .then(makeReLU())
                                  .build());
    model->setTensorAttribute("attribute_buffer_in", TensorAccess::wrap(at::randn({3, 5})));
    model->registerBuffer("register_buffer_in", TensorAccess::wrap(at::randn({4, 6})));
    model->setForwardPlan(std::make_shared<ForwardPlan>(ForwardPlan().returnNone()));  // pass
    return model;
}

// A small conv net whose BatchNorm2d carries persistent buffers: the docstring's "running averages".
std::unique_ptr<ModuleNode> buildBatchNormDemo()
{
    auto model = std::make_unique<ModuleNode>("BatchNormDemo");
    BatchNorm2dOptions bn;
    bn.numFeatures = 8;
    model->addModule("features", SequentialBuilder()
                                     .then(makeConv2d(conv(3, 8, 3, 1, 1)))
                                     .then(makeBatchNorm2d(bn))
                                     .then(makeReLU())
                                     .then(makeMaxPool2d(2))
                                     .build());
    model->addModule("classifier", SequentialBuilder()
                                       .then(makeFlatten())
                                       .then(makeLinear(8 * 4 * 4, 10))
                                       .build());
    model->setForwardPlan(
        std::make_shared<ForwardPlan>(ForwardPlan().call("features").call("classifier")));
    return model;
}

}  // namespace

const std::vector<ExampleInfo>& examples()
{
    static const std::vector<ExampleInfo> list{
        {"state-dict-demo", "Model A: state_dict() of the tutorial's model",
         "Parameters of used and unused layers and four nn.Parameter attributes: 16 state_dict keys.",
         {64, 1, 28, 28}},
        {"buffer-demo", "Model B: plain attribute vs. register_buffer",
         "A tensor assigned as a plain attribute is not a buffer; register_buffer makes one.",
         {64, 1, 28, 28}},
        {"batchnorm-demo", "BatchNorm2d: running averages as buffers",
         "BatchNorm2d keeps running_mean, running_var and num_batches_tracked as persistent buffers.",
         {4, 3, 8, 8}},
    };
    return list;
}

const ExampleInfo* findExample(const std::string& name)
{
    for (const ExampleInfo& e : examples())
        if (e.name == name)
            return &e;
    return nullptr;
}

std::unique_ptr<ModuleNode> buildExample(const std::string& name)
{
    if (!findExample(name))
        throw std::invalid_argument("unknown example '" + name + "'");
    manualSeed(kTutorialSeed);
    if (name == "state-dict-demo")
        return buildStateDictDemo();
    if (name == "buffer-demo")
        return buildBufferDemo();
    return buildBatchNormDemo();
}

}  // namespace mx
