#include "core/forward.h"

#include "core/forwardplan.h"
#include "core/listings.h"
#include "core/modulenode.h"
#include "core/moduleruntime.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/cuda.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <sstream>
#include <stdexcept>

namespace mx {

namespace {

// The last "SomethingError: ..." line of a LibTorch / TorchScript message, as Python's traceback
// ends; a bare ATen message becomes "RuntimeError: <first line>".
std::string pythonErrorLine(const std::string& message)
{
    std::istringstream lines(message);
    std::string line, found, first;
    while (std::getline(lines, line)) {
        if (first.empty() && !line.empty())
            first = line;
        const size_t colon = line.find(": ");
        if (colon != std::string::npos && colon >= 5 && line.compare(colon - 5, 5, "Error") == 0 &&
            line.find(' ') >= colon)
            found = line;
    }
    return found.empty() ? "RuntimeError: " + first : found;
}

at::Tensor makeInput(const ForwardOptions& o)
{
    const auto dtype = o.dtype == "float64" ? at::kDouble : at::kFloat;
    const auto options = at::TensorOptions().dtype(dtype);
    at::Tensor input;
    if (o.fill == InputFill::Randn || o.fill == InputFill::Rand) {
        auto gen = at::make_generator<at::CPUGeneratorImpl>(o.seed);
        input = o.fill == InputFill::Randn ? at::randn(o.inputShape, gen, options)
                                           : at::rand(o.inputShape, gen, options);
    } else {
        input = o.fill == InputFill::Zeros ? at::zeros(o.inputShape, options)
                                           : at::ones(o.inputShape, options);
    }
    return input.to(at::Device(o.device));
}

std::string join(const std::string& prefix, const std::string& name)
{
    return prefix.empty() ? name : prefix + "." + name;
}

// Runs `module` on x, recording every submodule's output: containers walk their plan (calling each
// child's own forward), leaves run their compiled forward.
c10::IValue tracedCall(const ModuleNode& module, const std::string& path, c10::IValue x,
                       std::vector<ModuleTrace>& trace)
{
    c10::IValue out;
    if (const ForwardPlan* plan = module.forwardPlan()) {
        out = x;
        for (const ForwardPlan::Step& step : plan->steps) {
            if (step.kind == ForwardPlan::Step::Kind::ReturnNone) {
                out = c10::IValue();
                break;
            }
            if (step.kind == ForwardPlan::Step::Kind::View) {
                out = out.toTensor().view(step.shape);
                continue;
            }
            const ModuleNode* child = module.findChild(step.child);
            if (!child)
                throw std::runtime_error("AttributeError: '" + module.typeName() +
                                         "' object has no attribute '" + step.child + "'");
            out = tracedCall(*child, join(path, step.child), out, trace);
        }
    } else {
        out = module.runtime().module.forward({x});
    }
    if (!path.empty()) {
        ModuleTrace t{path, {}, out.isNone()};
        if (out.isTensor()) {
            auto sizes = out.toTensor().sizes();
            t.outputShape.assign(sizes.begin(), sizes.end());
        }
        trace.push_back(std::move(t));
    }
    return out;
}

void synchronize(const std::string& device)
{
    if (device != "cpu")
        torch::cuda::synchronize();
}

void summarize(ForwardResult& r)
{
    if (r.timesMs.empty())
        return;
    std::vector<double> sorted = r.timesMs;
    std::sort(sorted.begin(), sorted.end());
    const size_t n = sorted.size();
    r.medianMs = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    r.minMs = sorted.front();
    r.maxMs = sorted.back();
}

// Restores module.training on every module when the run ends, however it ends.
class TrainingFlagGuard {
public:
    explicit TrainingFlagGuard(ModuleNode& model) : model_(model), wasTraining_(model.isTraining()) {}
    ~TrainingFlagGuard() { model_.train(wasTraining_); }

private:
    ModuleNode& model_;
    bool wasTraining_;
};

}  // namespace

std::vector<std::string> uncalledModules(const ModuleNode& model, const ForwardResult& result)
{
    std::set<std::string> called;
    for (const ModuleTrace& t : result.trace)
        called.insert(t.module);
    std::vector<std::string> out;
    for (const NamedModule& m : namedModules(model))
        if (!m.name.empty() && !called.count(m.name))
            out.push_back(m.name);
    return out;
}

bool cudaAvailable() { return torch::cuda::is_available(); }

std::string cudaUnavailableReason()
{
    if (!at::hasCUDA())
        return "this LibTorch was built without CUDA (Debian's libtorch is CPU-only); build "
               "against a CUDA LibTorch to use a GPU (see the README)";
    if (!torch::cuda::is_available())
        return "no CUDA GPU is visible to this process";
    return {};
}

void moveToDevice(ModuleNode& model, const std::string& device)
{
    if (device != "cpu" && !cudaAvailable())
        throw std::runtime_error("AssertionError: Torch not compiled with CUDA enabled");
    // torch.nn.Module.to(): each parameter and buffer gets its data moved in place (set_data, as
    // jit's Module::to does); tensors already there are left alone. Plain attributes never move.
    const at::Device target(device);
    auto move = [&](at::Tensor t) {
        if (t.defined() && t.device() != target)
            t.set_data(t.to(target));
    };
    for (const at::Tensor& p : model.runtime().module.parameters())
        move(p);
    for (const at::Tensor& b : model.runtime().module.buffers())
        move(b);
}

ForwardResult runForward(ModuleNode& model, const ForwardOptions& options,
                         const ForwardProgress& progress)
{
    ForwardResult result;
    const int total = 1 + std::max(0, options.warmup) + std::max(0, options.repeats);
    int done = 0;
    auto keepGoing = [&] { return !progress || progress(done, total); };
    TrainingFlagGuard restoreMode(model);
    try {
        model.prepareForward();  // edits only mark the jit mirror stale
        if (options.device != "cpu" && !cudaAvailable())
            throw std::runtime_error("RuntimeError: CUDA is not available: " + cudaUnavailableReason());
        moveToDevice(model, options.device);
        model.train(options.train);
        at::Tensor input = makeInput(options);
        std::unique_ptr<at::NoGradGuard> noGrad;
        if (options.noGrad)
            noGrad = std::make_unique<at::NoGradGuard>();

        c10::IValue out = tracedCall(model, "", input, result.trace);
        ++done;
        result.returnedNone = out.isNone();
        if (out.isTensor()) {
            const at::Tensor t = out.toTensor();
            result.outputShape.assign(t.sizes().begin(), t.sizes().end());
            const at::Tensor head = t.reshape({-1}).slice(0, 0, 8).to(at::kCPU, at::kDouble);
            result.preview.assign(head.data_ptr<double>(), head.data_ptr<double>() + head.numel());
            result.outputSum = t.sum(at::kDouble).item<double>();
        }
        torch::jit::Module& jit = model.runtime().module;
        for (int i = 0; i < options.warmup; ++i, ++done) {
            if (!keepGoing()) {
                result.cancelled = true;
                return result;
            }
            jit.forward({input});
        }
        for (int i = 0; i < options.repeats; ++i, ++done) {
            if (!keepGoing()) {
                result.cancelled = true;
                summarize(result);
                return result;
            }
            const auto start = std::chrono::steady_clock::now();
            jit.forward({input});
            synchronize(options.device);
            const std::chrono::duration<double, std::milli> ms =
                std::chrono::steady_clock::now() - start;
            result.timesMs.push_back(ms.count());
        }
        keepGoing();
        summarize(result);
        result.ok = true;
    } catch (const c10::Error& e) {
        result.error = pythonErrorLine(e.what_without_backtrace());
    } catch (const std::exception& e) {
        result.error = pythonErrorLine(e.what());
    }
    return result;
}

bool parseShape(const std::string& text, std::vector<int64_t>* shape)
{
    std::vector<int64_t> dims;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('x', start);
        if (end == std::string::npos)
            end = text.size();
        const std::string part = text.substr(start, end - start);
        if (part.empty() || part.size() > 9 ||
            !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return false;
        const int64_t d = std::stoll(part);
        if (d <= 0)
            return false;
        dims.push_back(d);
        start = end + 1;
    }
    *shape = std::move(dims);
    return !shape->empty();
}

}  // namespace mx
