#include "core/forward.h"

#include "core/formatting.h"
#include "core/forwardwalk.h"
#include "core/listings.h"
#include "core/modulenode.h"
#include "core/moduleruntime.h"
#include "core/resourcebudget.h"
#include "core/tensoraccess.h"

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

at::Tensor makeInput(const ForwardOptions& o)
{
    const auto dtype = o.dtype == "float64" ? at::kDouble : at::kFloat;
    const auto options = at::TensorOptions().dtype(dtype);
    at::Tensor input;
    if (o.fill == InputFill::Randn || o.fill == InputFill::Rand) {
        auto gen = at::make_generator<at::CPUGeneratorImpl>(o.seed);
        input = o.fill == InputFill::Randn ? at::randn(o.inputShape, gen, options)
                                           : at::rand(o.inputShape, gen, options);
    } else if (o.fill == InputFill::Ramp) {
        int64_t numel = 1;
        for (const int64_t size : o.inputShape)
            numel *= size;
        input = (at::arange(numel, options) / static_cast<double>(numel)).reshape(o.inputShape);
    } else {
        input = o.fill == InputFill::Zeros ? at::zeros(o.inputShape, options)
                                           : at::ones(o.inputShape, options);
    }
    return input.to(at::Device(o.device));
}

// The version counter and device of every parameter and buffer, to say afterwards what a run
// changed in place and whether it moved the model. ATen's batch_norm kernel writes the running
// stats without bumping their version, so a train-mode BatchNorm that ran counts as changing them.
class TensorSnapshot {
public:
    explicit TensorSnapshot(const ModuleNode& model)
    {
        for (const auto& list : {namedParameters(model), namedBuffers(model)})
            for (const ListingEntry& e : list)
                if (const at::Tensor& t = TensorAccess::tensor(e.tensor); t.defined())
                    entries_.push_back({e.name, e.owner, e.kind, t, t._version(), t.device()});
    }

    void describeChanges(ForwardResult& r, bool train, const std::vector<const ModuleNode*>& ran) const
    {
        for (const Entry& e : entries_) {
            const std::string leaf = e.name.substr(e.name.rfind('.') + 1);
            const bool runningStat = train && e.kind != EntryKind::Parameter &&
                                     (leaf == "running_mean" || leaf == "running_var") &&
                                     e.owner->typeName().rfind("BatchNorm", 0) == 0 &&
                                     std::find(ran.begin(), ran.end(), e.owner) != ran.end();
            if (runningStat || e.tensor._version() != e.version)
                r.changedTensors.push_back(e.name);
            r.movedDevice = r.movedDevice || e.tensor.device() != e.device;
        }
    }

private:
    struct Entry {
        std::string name;
        const ModuleNode* owner;
        EntryKind kind;
        at::Tensor tensor;
        int64_t version;
        at::Device device;
    };
    std::vector<Entry> entries_;
};

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

}  // namespace

std::vector<std::string> uncalledModules(const ModuleNode& model, const ForwardResult& result)
{
    // By module, not by name: a module shared under several names ran if it ran under any.
    std::set<const ModuleNode*> called;
    for (const ModuleTrace& t : result.trace) {
        const ModuleNode* node = &model;
        for (const std::string& name : dottedParts(t.module))
            node = node ? node->findChild(name) : nullptr;
        called.insert(node);
    }
    // A module whose forward ran as one piece of compiled code (a layer, a TorchScript file's
    // module) calls its submodules unseen: they are not reported as not called.
    if (!model.forwardPlan())
        return {};
    std::vector<std::string> out;
    std::vector<std::string> opaque;  // paths of modules that ran as one piece
    for (const NamedModule& m : namedModules(model)) {
        if (m.name.empty())
            continue;
        const bool inside = std::any_of(opaque.begin(), opaque.end(), [&m](const std::string& p) {
            return m.name.rfind(p + ".", 0) == 0;
        });
        if (inside)
            continue;
        if (!called.count(m.module))
            out.push_back(m.name);
        else if (!m.module->forwardPlan())
            opaque.push_back(m.name);
    }
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
    ForwardControl control;
    control.progress = progress;
    return runForward(model, options, control);
}

ForwardResult runForward(ModuleNode& model, const ForwardOptions& options,
                         const ForwardControl& control)
{
    ForwardResult result;
    const int total = options.train ? 1 : 1 + std::max(0, options.warmup) + std::max(0, options.repeats);
    int done = 0;
    const CancelCheck stop = [&] { return control.cancelled && control.cancelled(); };
    auto keepGoing = [&] { return !stop() && (!control.progress || control.progress(done, total)); };
    TrainingFlagGuard restoreMode(model);
    const TensorSnapshot before(model);
    std::vector<const ModuleNode*> ranLeaves;
    try {
        model.prepareForward();  // edits only mark the jit mirror stale
        if (const std::string& why = model.forwardError(); !why.empty())  // says why there is none
            throw std::runtime_error(why.find("Error: ") != std::string::npos ? why : "RuntimeError: " + why);
        if (options.device != "cpu" && !cudaAvailable())
            throw std::runtime_error("RuntimeError: CUDA is not available: " + cudaUnavailableReason());
        result.error = checkForwardInput(options.inputShape, options.dtype, &result.inputBytes);
        if (!result.error.empty()) {
            result.refused = result.error.rfind("MemoryError", 0) == 0;
            result.deviceAfter = currentDevice(model);
            return result;
        }
        const int64_t batch = options.inputShape[0];
        if (control.estimate)
            result.estimate = *control.estimate;
        else if (batch >= 4)
            result.estimate = estimateForwardMemory(model, options, stop);
        result.estimatedPeakBytes = result.estimate.peakBytes(batch);
        result.error = memoryRefusal(result.estimate, batch);
        if (!result.error.empty()) {
            result.refused = true;
            result.deviceAfter = currentDevice(model);
            return result;
        }

        moveToDevice(model, options.device);
        model.train(options.train);
        auto meter = std::make_shared<AllocationMeter>(memoryBudgetBytes());
        const MeterScope metered(meter);
        at::Tensor input = makeInput(options);
        std::unique_ptr<at::NoGradGuard> noGrad;
        if (options.noGrad)
            noGrad = std::make_unique<at::NoGradGuard>();

        ForwardWalk walk;
        walk.trace = &result.trace;
        walk.cancelled = &stop;
        walk.meter = meter.get();
        walk.ranLeaves = &ranLeaves;
        const auto tracedStart = std::chrono::steady_clock::now();
        c10::IValue out = walkForward(model, "", input, walk);
        synchronize(options.device);
        const std::chrono::duration<double, std::milli> tracedMs =
            std::chrono::steady_clock::now() - tracedStart;
        ++done;
        ++result.forwardCalls;
        result.returnedNone = out.isNone();
        if (out.isTensor()) {
            const at::Tensor t = out.toTensor();
            result.outputShape.assign(t.sizes().begin(), t.sizes().end());
            const at::Tensor head = t.reshape({-1}).slice(0, 0, 8).to(at::kCPU, at::kDouble);
            result.preview.assign(head.data_ptr<double>(), head.data_ptr<double>() + head.numel());
            result.outputSum = t.sum(at::kDouble).item<double>();
        }
        out = c10::IValue();  // with grad, the output holds every saved tensor: let them go
        result.measuredPeakBytes = meter->peakBytes();
        torch::jit::Module& jit = model.runtime().module;
        // Train mode: the traced call is the only one (see runForward's comment).
        const int timedCalls = options.train ? 0 : options.warmup + options.repeats;
        if (options.train)
            result.timesMs.push_back(tracedMs.count());
        for (int i = 0; i < timedCalls; ++i, ++done) {
            if (!keepGoing())
                throw ForwardCancelled{};
            const auto start = std::chrono::steady_clock::now();
            jit.forward({input});
            ++result.forwardCalls;
            synchronize(options.device);
            const std::chrono::duration<double, std::milli> ms =
                std::chrono::steady_clock::now() - start;
            if (i >= options.warmup)
                result.timesMs.push_back(ms.count());
            if (meter->overLimit())
                throw ForwardOverBudget{"forward", meter->liveBytes()};
        }
        keepGoing();
        result.ok = true;
    } catch (const ForwardCancelled&) {
        result.cancelled = true;
    } catch (const ForwardOverBudget& overrun) {
        result.refused = true;
        result.error = overBudgetMessage(overrun);
    } catch (const c10::Error& e) {
        result.error = pythonErrorLine(e.what_without_backtrace());
    } catch (const std::exception& e) {
        result.error = pythonErrorLine(e.what());
    }
    summarize(result);
    if (result.cancelled || result.refused)
        result.ok = false;
    result.deviceAfter = currentDevice(model);
    before.describeChanges(result, options.train, ranLeaves);
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
