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

// Each example is written twice, side by side: as the Python class it is (what File > Export
// Python writes; tests/core/tst_pythonscript checks that running it builds the same model) and
// as the builder below it.

// The tutorial's first Model (shared/seeds/000_e630da2fee301504.txt), comments dropped.
const char* const kStateDictDemo =
    "class Model(torch.nn.Module):\n"
    "    def __init__(self):\n"
    "        super(Model,self).__init__()\n"
    "        self.conv1=torch.nn.Sequential(\n"
    "                torch.nn.Conv2d(1,64,kernel_size=3,stride=1,padding=1),\n"
    "                torch.nn.ReLU(),\n"
    "                torch.nn.Conv2d(64,128,kernel_size=3,stride=1,padding=1),\n"
    "                torch.nn.ReLU(),\n"
    "                torch.nn.MaxPool2d(stride=2,kernel_size=2)\n"
    "        )\n"
    "\n"
    "        self.dense=torch.nn.Sequential(\n"
    "                    torch.nn.Linear(14*14*128,1024),\n"
    "                    torch.nn.ReLU(),\n"
    "                    torch.nn.Dropout(p=0.5),\n"
    "                    torch.nn.Linear(1024,10)\n"
    "        )\n"
    "        self.layer4cxq1 = torch.nn.Conv2d(2,33,4,4)\n"
    "        self.layer4cxq2 = torch.nn.ReLU()\n"
    "        self.layer4cxq3 = torch.nn.MaxPool2d(stride=2,kernel_size=2)\n"
    "        self.layer4cxq4 = torch.nn.Linear(14*14*128,1024)\n"
    "        self.layer4cxq5 = torch.nn.Dropout(p=0.8)\n"
    "        self.attribute4cxq = nn.Parameter(torch.tensor(20200910.0))\n"
    "        self.attribute4lzq = nn.Parameter(torch.tensor([2.0,3.0,4.0,5.0]))\n"
    "        self.attribute4hh = nn.Parameter(torch.randn(3,4,5,6))\n"
    "        self.attribute4wyf = nn.Parameter(torch.randn(7,8,9,10))\n"
    "\n"
    "    def forward(self,x):\n"
    "        x = self.conv1(x)\n"
    "        x = x.view(-1,14*14*128)\n"
    "        x = self.dense(x)\n"
    "        return x\n";

// The tutorial's second Model.
const char* const kBufferDemo =
    "class Model(torch.nn.Module):\n"
    "    def __init__(self):\n"
    "        super(Model,self).__init__()\n"
    "        self.conv1=torch.nn.Sequential(\n"
    "                torch.nn.Conv2d(1,64,kernel_size=3,stride=1,padding=1),\n"
    "                torch.nn.ReLU(),\n"
    "        )\n"
    "        self.attribute_buffer_in = torch.randn(3,5)\n"
    "        register_buffer_in_temp = torch.randn(4,6)\n"
    "        self.register_buffer('register_buffer_in', register_buffer_in_temp)\n"
    "\n"
    "    def forward(self,x):\n"
    "        pass\n";

// The BatchNorm demo as Python; buildBatchNormDemo() builds the same.
const char* const kBatchNormDemo =
    "class BatchNormDemo(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8),\n"
    "                                      nn.ReLU(), nn.MaxPool2d(2))\n"
    "        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(8 * 4 * 4, 10))\n"
    "\n"
    "    def forward(self, x):\n"
    "        return self.classifier(self.features(x))\n";

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
         {64, 1, 28, 28}, "Model", kStateDictDemo},
        {"buffer-demo", "Model B: plain attribute vs. register_buffer",
         "A tensor assigned as a plain attribute is not a buffer; register_buffer makes one.",
         {64, 1, 28, 28}, "Model", kBufferDemo},
        {"batchnorm-demo", "BatchNorm2d: running averages as buffers",
         "BatchNorm2d keeps running_mean, running_var and num_batches_tracked as persistent buffers.",
         {4, 3, 8, 8}, "BatchNormDemo", kBatchNormDemo},
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
