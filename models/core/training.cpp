#include "core/training.h"

#include "core/forwardwalk.h"
#include "core/listings.h"
#include "core/moduleruntime.h"
#include "core/resourcebudget.h"
#include "core/runtime.h"
#include "core/tensoraccess.h"

#include <ATen/ATen.h>
#include <torch/csrc/jit/runtime/graph_executor.h>
#include <torch/csrc/autograd/generated/variable_factories.h>

#include <chrono>
#include <limits>
#include <stdexcept>

namespace mx {

namespace {

/** One tensor watched across the run: its value before (a copy) and what it is. */
struct Watched {
    std::string name;
    EntryKind kind;
    at::Tensor tensor;
    at::Tensor before;
    bool requiresGrad;
    at::Tensor gradBefore;  // a parameter's .grad before the run (undefined: None)
};

/** A run that failed before its first step completed leaves the model as it was: values moved
 *  by that step's forward (BatchNorm's running stats) and gradients are put back. */
void restoreBefore(std::vector<Watched>& watched)
{
    at::NoGradGuard noGrad;
    for (Watched& w : watched) {
        if (!w.before.defined())
            continue;
        if (!at::equal(w.before, w.tensor.detach().to(at::kCPU)))
            w.tensor.detach().copy_(w.before);
        if (w.kind == EntryKind::Parameter)
            w.tensor.mutable_grad() = w.gradBefore;
    }
}

/** The tensors a run may change: state_dict, then non-persistent buffers, then plain tensor
 *  attributes (every module's, by dotted path). */
std::vector<Watched> watchedTensors(const ModuleNode& model)
{
    std::vector<Watched> out;
    auto add = [&out](const std::string& name, EntryKind kind, const TensorRef& ref) {
        const at::Tensor& t = TensorAccess::tensor(ref);
        if (t.defined())
            out.push_back({name, kind, t, at::Tensor(), t.requires_grad(),
                           t.grad().defined() ? t.grad().clone() : at::Tensor()});
    };
    for (const ListingEntry& e : stateDict(model))
        add(e.name, e.kind, e.tensor);
    for (const ListingEntry& e : namedBuffers(model))
        if (e.kind == EntryKind::NonPersistentBuffer)
            add(e.name, e.kind, e.tensor);
    for (const NamedModule& m : namedModules(model))
        for (const TensorSlot& slot : m.module->tensorAttributes())
            add(m.name.empty() ? slot.name : m.name + "." + slot.name, EntryKind::Attribute, slot.tensor);
    return out;
}

uint64_t bytesOf(const at::Tensor& t) { return static_cast<uint64_t>(t.numel()) * t.element_size(); }

/** Bytes the steps need besides the forward's activations: a copy of every watched tensor,
 *  a gradient per trainable parameter and the optimizer's state per parameter. */
uint64_t bookkeepingBytes(const std::vector<Watched>& watched, const std::vector<at::Tensor>& params,
                          const OptimizerOptions& o)
{
    uint64_t bytes = 0;
    for (const Watched& w : watched)
        bytes += bytesOf(w.tensor);
    const int statePerParam = o.kind == OptimizerKind::Adam ? (o.amsgrad ? 3 : 2) : (o.momentum != 0 ? 1 : 0);
    for (const at::Tensor& p : params)
        if (p.requires_grad())
            bytes += bytesOf(p) * (1 + statePerParam);
    return bytes;
}

void describeChanges(TrainResult& r, const std::vector<Watched>& watched)
{
    at::NoGradGuard noGrad;
    for (const Watched& w : watched) {
        TensorChange c;
        c.name = w.name;
        c.kind = w.kind;
        c.requiresGrad = w.requiresGrad;
        c.frozen = w.kind == EntryKind::Parameter && !w.requiresGrad;
        const at::Tensor before = w.before.to(at::kDouble);
        const at::Tensor after = w.tensor.detach().to(at::kCPU, at::kDouble);
        c.sumBefore = before.sum().item<double>();
        c.sumAfter = after.sum().item<double>();
        c.changed = !at::equal(w.before, w.tensor.detach().to(at::kCPU));
        if (c.changed && w.tensor.numel() > 0) {
            const at::Tensor diff = after - before;
            c.maxAbsChange = diff.abs().max().item<double>();
            const double norm = before.norm().item<double>();
            c.relativeChange = norm > 0 ? diff.norm().item<double>() / norm
                                        : std::numeric_limits<double>::quiet_NaN();  // was all zeros
            c.movedBy = w.kind == EntryKind::Parameter ? "optimizer" : "forward";
        }
        if (w.kind == EntryKind::Parameter)
            c.gradient = TensorAccess::wrap(w.tensor.grad());
        r.changes.push_back(std::move(c));
    }
}

at::Tensor computeLoss(LossKind kind, const c10::IValue& out, const at::Tensor& target)
{
    if (!out.isTensor()) {
        if (kind == LossKind::CrossEntropy)
            throw std::runtime_error("TypeError: cross_entropy_loss(): argument 'input' (position 1) "
                                     "must be Tensor, not " + std::string(out.isNone() ? "NoneType" : out.tagKind()));
        throw std::runtime_error("AttributeError: '" + std::string(out.isNone() ? "NoneType" : out.tagKind()) +
                                 "' object has no attribute 'size'");
    }
    const at::Tensor output = out.toTensor();
    if (kind == LossKind::CrossEntropy)
        return at::cross_entropy_loss(output, target);
    return at::mse_loss(output, target);
}

}  // namespace

bool parseOptimizerKind(const std::string& text, OptimizerKind* kind)
{
    if (text == "sgd")
        *kind = OptimizerKind::SGD;
    else if (text == "adam")
        *kind = OptimizerKind::Adam;
    else
        return false;
    return true;
}

bool parseLossKind(const std::string& text, LossKind* kind)
{
    if (text == "ce")
        *kind = LossKind::CrossEntropy;
    else if (text == "mse")
        *kind = LossKind::MSE;
    else
        return false;
    return true;
}

TrainResult runTraining(ModuleNode& model, const TrainOptions& o, const TrainProgress& progress)
{
    TrainResult r;
    TrainingFlagGuard restoreMode(model);
    std::vector<Watched> watched;
    try {
        if (o.steps < 1)
            throw std::runtime_error("ValueError: the number of steps must be at least 1, not " +
                                     std::to_string(o.steps));
        if (!(o.optimizer.lr >= 0))
            throw std::runtime_error("ValueError: Invalid learning rate: " + std::to_string(o.optimizer.lr));
        if (model.isStateDictGroup())
            throw std::runtime_error("RuntimeError: a state_dict file holds tensors, not a module with "
                                     "a forward: there is nothing to train (open the model's "
                                     "TorchScript file, or load these weights into a model)");
        model.prepareForward();
        if (const std::string& why = model.forwardError(); !why.empty())
            throw std::runtime_error(why.find("Error: ") != std::string::npos ? why : "RuntimeError: " + why);
        if (o.device != "cpu" && !cudaAvailable())
            throw std::runtime_error("RuntimeError: CUDA is not available: " + cudaUnavailableReason());
        uint64_t inputBytes = 0;
        r.error = checkForwardInput(o.inputShape, "float32", &inputBytes);
        if (!r.error.empty()) {
            r.refused = r.error.rfind("MemoryError", 0) == 0;
            return r;
        }

        torch::jit::Module& jit = model.runtime().module;
        // model.parameters() with their names: named_parameters() already lists each tensor once;
        // r.parameterNames[i] names the optimizer's parameter i.
        std::vector<at::Tensor> params;
        for (const ListingEntry& e : namedParameters(model)) {
            if (e.tensor.isNone())
                continue;
            params.push_back(TensorAccess::tensor(e.tensor));
            r.parameterNames.push_back(e.name);
        }
        watched = watchedTensors(model);

        // Memory: the forward with autograd (measured on small batches), the copies, the grads
        // and the optimizer's state, all before anything big is allocated.
        ForwardOptions probe;
        probe.inputShape = o.inputShape;
        probe.fill = InputFill::Zeros;
        probe.device = o.device;
        probe.noGrad = false;
        MemoryEstimate estimate;
        if (o.inputShape[0] >= 4)
            estimate = estimateForwardMemory(model, probe);
        r.estimatedBytes = estimate.peakBytes(o.inputShape[0]) + inputBytes +
                           bookkeepingBytes(watched, params, o.optimizer);
        if (r.estimatedBytes > memoryBudgetBytes()) {
            r.refused = true;
            r.error = "MemoryError: " + memoryBudgetMessage("training " + std::to_string(o.steps) +
                                                                " step(s) at this input",
                                                            r.estimatedBytes, 0);
            return r;
        }
        moveToDevice(model, o.device);
        for (Watched& w : watched)
            w.before = w.tensor.detach().to(at::kCPU, /*non_blocking=*/false, /*copy=*/true);

        // The output's shape, for the targets: eval mode, no_grad, zeros (changes nothing).
        const at::TensorOptions onDevice = at::TensorOptions().device(at::Device(o.device));
        {
            at::NoGradGuard noGrad;
            model.train(false);
            const c10::IValue out = jit.forward({at::zeros(o.inputShape, onDevice)});
            if (out.isTensor())
                r.outputShape.assign(out.toTensor().sizes().begin(), out.toTensor().sizes().end());
        }

        GeneratorStateGuard keepGenerator;  // the console's random stream goes on as before
        manualSeed(o.seed);
        const at::Tensor x = at::randn(o.inputShape).to(at::Device(o.device));
        at::Tensor y;
        if (!r.outputShape.empty() && o.loss == LossKind::CrossEntropy) {
            r.classes = r.outputShape.back();
            if (r.classes < 1)
                throw std::runtime_error("RuntimeError: random_ expects 'from' to be less than 'to', "
                                         "but got from=0 >= to=" + std::to_string(r.classes));
            y = at::randint(0, r.classes, {o.inputShape[0]}, at::TensorOptions().dtype(at::kLong));
        } else if (!r.outputShape.empty()) {
            y = at::randn(r.outputShape);
        }
        if (y.defined()) {
            r.targetShape.assign(y.sizes().begin(), y.sizes().end());
            y = y.to(at::Device(o.device));
        }

        model.train(o.train);
        std::vector<TensorRef> refs;
        for (const at::Tensor& p : params)
            refs.push_back(TensorAccess::wrap(p));
        r.optimizer = std::make_shared<Optimizer>(std::move(refs), o.optimizer);

        // The compiled forward runs op by op, as eager Python does: autograd records the same
        // ATen ops, and the profiling executor does not stop at step 2 to re-optimise the graph
        // (squeezenet's second step took 3.0 s against 0.8 s for the first). Process-wide while
        // the steps run; nothing else runs TorchScript meanwhile (the job owns the model).
        const torch::jit::GraphOptimizerEnabledGuard opTimesAsEager(false);
        const TensorBudgetScope budget;  // a step that would pass the budget raises MemoryError
        at::AutoGradMode withGrad(true);
        for (int step = 0; step < o.steps; ++step) {
            if (progress && !progress(step, o.steps)) {
                r.cancelled = true;
                break;
            }
            const auto start = std::chrono::steady_clock::now();
            r.optimizer->zeroGrad();
            ++r.forwardCalls;
            const c10::IValue out = jit.forward({x});
            const at::Tensor loss = computeLoss(o.loss, out, y);
            loss.backward();
            r.optimizer->step();
            r.losses.push_back(loss.item<double>());
            ++r.stepsDone;
            const std::chrono::duration<double, std::milli> ms = std::chrono::steady_clock::now() - start;
            r.stepMs.push_back(ms.count());
        }
        if (!r.cancelled && progress)
            progress(o.steps, o.steps);
        r.ok = !r.cancelled;
    } catch (const c10::Error& e) {
        const std::string refusal = takeTensorBudgetRefusal();
        r.error = refusal.empty() ? pythonErrorLine(e.what_without_backtrace()) : refusal;
        r.refused = !refusal.empty();
    } catch (const std::exception& e) {
        r.error = pythonErrorLine(e.what());
    }
    if (!r.ok && !r.cancelled && r.stepsDone == 0)
        restoreBefore(watched);
    if (!watched.empty() && watched.front().before.defined())
        describeChanges(r, watched);
    return r;
}

}  // namespace mx
