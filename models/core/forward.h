#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mx {
class ModuleNode;

/** How the forward runner fills its input tensor. */
/** How the input is filled; Ramp is arange(numel) / numel, reshaped (deterministic, no RNG). */
enum class InputFill { Randn, Rand, Zeros, Ones, Ramp };

/** One forward request: the input, where and how to run it, and how often to time it. */
struct ForwardOptions {
    std::vector<int64_t> inputShape;
    InputFill fill = InputFill::Randn;
    uint64_t seed = 0;             // seeds randn / rand
    std::string dtype = "float32"; // float32 | float64
    std::string device = "cpu";    // cpu | cuda
    bool train = false;            // module.train() for the run, else module.eval()
    bool noGrad = true;            // run under torch.no_grad()
    int warmup = 1;                // untimed runs after the traced one (eval mode only)
    int repeats = 1;               // timed runs (eval mode only)
};

/** A submodule's output in the traced run. */
struct ModuleTrace {
    std::string module;               // dotted path, e.g. "conv1" or "conv1.0"
    std::vector<int64_t> outputShape;
    bool returnedNone = false;
};

/**
 * How much memory a forward pass needs, measured before it runs: every allocation made on the
 * running thread while two small passes (batch 2 and 4, eval mode, the request's grad mode) walk
 * the model, the live bytes peaking inside each submodule. Each submodule's peak is a line in
 * the batch size (a + b * batch: activations, saved tensors and workspaces grow with the batch,
 * constant buffers do not); the pass's peak at a batch is the highest of these lines. Under
 * no_grad only the tensors alive while a layer runs count (its input and output, workspace);
 * with grad every tensor autograd saves stays alive, so the lines climb step by step.
 */
struct MemoryEstimate {
    struct Step {
        std::string module;  // the submodule that peaked
        double base = 0;     // bytes at batch 0 (constant part; may be negative)
        double perSample = 0;
    };
    std::vector<Step> steps;
    uint64_t inputBytesPerSample = 0;
    bool measured = false;  // false: no estimate (batch under 4, or the small passes raised)
    int64_t overBudgetAt = 0;  // the small pass at this batch already passed the budget (0: none)
    std::string overBudgetIn;  // ... in this submodule

    /** The peak bytes of a pass at `batch` (input included); 0 when not measured. */
    uint64_t peakBytes(int64_t batch) const;
    /** The largest batch whose peak fits `budget` (0: not even 1; INT64_MAX: no limit known). */
    int64_t largestBatchWithin(uint64_t budget) const;
};

/** What a forward run produced: output, per-submodule trace and timings, or PyTorch's error. */
struct ForwardResult {
    bool ok = false;
    bool cancelled = false;
    bool refused = false;             // over the memory budget: refused before the big allocations
    std::string error;                // the last line of Python's traceback: "RuntimeError: ..."
    bool returnedNone = false;        // forward returned None (the tutorial's Model B)
    std::vector<int64_t> outputShape;
    std::vector<double> preview;      // the output's first values
    double outputSum = 0.0;
    std::vector<ModuleTrace> trace;   // every called submodule, in the order it returned
    std::vector<double> timesMs;      // one per timed repeat (train mode: the one traced call)
    int forwardCalls = 0;             // calls of the model's forward on the input (train mode: 1)
    double medianMs = 0.0;
    double minMs = 0.0;
    double maxMs = 0.0;

    // What the run did to the model, so a caller never has to read it while the run goes on.
    uint64_t inputBytes = 0;
    uint64_t estimatedPeakBytes = 0;  // the estimate checked against the budget (0: none made)
    uint64_t measuredPeakBytes = 0;   // the traced pass's peak of live bytes it allocated
    MemoryEstimate estimate;          // for other batch sizes of the same input (the sweep)
    std::string deviceAfter;          // where parameters and buffers are now ("cpu", "cuda:0")
    bool movedDevice = false;         // module.to(device) moved at least one of them
    std::vector<std::string> changedTensors;  // named_parameters/named_buffers changed in place
};

/** Called with (runs done, runs in all); return false to cancel before the next run. */
using ForwardProgress = std::function<bool(int done, int total)>;
/** Polled between submodules and between runs; true stops the job ("cancelled"). */
using CancelCheck = std::function<bool()>;

/** How a caller follows and steers a run. */
struct ForwardControl {
    ForwardProgress progress;
    CancelCheck cancelled;
    /** A measured estimate of the same input at another batch (a sweep reuses one); else made. */
    const MemoryEstimate* estimate = nullptr;
};

/**
 * Runs the model's forward: one traced run that walks each container's forward plan and records
 * every submodule's output shape, then `warmup` untimed and `repeats` timed runs of the compiled
 * forward. In train mode forward is called exactly once (the traced run, which is then the one
 * timing): every call would update BatchNorm's running stats and num_batches_tracked, so one
 * click is one batch, as in a lesson. Never throws.
 *
 * Memory first: checkForwardInput(), then (batch 4 and over) estimateForwardMemory() on the
 * device the model is on now; past memoryBudgetBytes() the run is refused (`refused`, a
 * "MemoryError: ..." line) before the model is touched or the input made. The traced run is
 * metered too and stops at the next submodule once it passes the budget.
 *
 * Then it moves the model to `options.device` (parameters and buffers, as module.to() does;
 * plain attributes stay) and keeps it there, as Python's `model.to(d); model(x)` would, also
 * when the run fails or is cancelled. The train/eval flag is restored however the run ends.
 * Train mode updates BatchNorm's running stats as Python does (listed in `changedTensors`),
 * including those of layers that ran before a cancel or an error.
 *
 * Cancel (progress returning false, or control.cancelled) is checked between submodules of the
 * traced run and of the estimate's passes, and between the warm-up and timed runs (each of
 * those is one call of the compiled forward); a layer already running finishes first.
 */
ForwardResult runForward(ModuleNode& model, const ForwardOptions& options,
                         const ForwardControl& control);
ForwardResult runForward(ModuleNode& model, const ForwardOptions& options,
                         const ForwardProgress& progress = {});

/**
 * Checks an input before anything is allocated: at least one dimension, every one > 0, numel *
 * element size without overflow, and those bytes within memoryBudgetBytes(). "" when fine, else
 * one error line ("RuntimeError: Storage size calculation overflowed with sizes=[...]", as
 * PyTorch says, or "MemoryError: ..."). `inputBytes` gets the size when it is computable.
 */
std::string checkForwardInput(const std::vector<int64_t>& shape, const std::string& dtype,
                              uint64_t* inputBytes = nullptr);

/**
 * Measures `options`' memory with two small passes (see MemoryEstimate) on the model's current
 * device, in eval mode, filled with zeros: the model's tensors, flags, devices and the random
 * generators are left as they were. Returns an unmeasured estimate when the small passes raise
 * (the real run then reports PyTorch's error) and throws nothing but ForwardCancelled.
 */
MemoryEstimate estimateForwardMemory(ModuleNode& model, const ForwardOptions& options,
                                     const CancelCheck& cancelled = {});

/** Thrown by estimateForwardMemory when `cancelled` said stop. */
struct ForwardCancelled {};

/** "" when `estimate` fits the budget at `batch`, else the one-line MemoryError saying by how much. */
std::string memoryRefusal(const MemoryEstimate& estimate, int64_t batch);

/** Every submodule (named_modules() order, the model itself excluded) that `result`'s traced run never reached. */
std::vector<std::string> uncalledModules(const ModuleNode& model, const ForwardResult& result);

/** module.to(device): moves parameters and buffers, never plain attributes. Throws std::runtime_error. */
void moveToDevice(ModuleNode& model, const std::string& device);

/** torch.cuda.is_available(). */
bool cudaAvailable();
/** Why CUDA cannot be used here ("" when it can). */
std::string cudaUnavailableReason();

/** Parses "64x1x28x28" into {64, 1, 28, 28}; false for anything else. */
bool parseShape(const std::string& text, std::vector<int64_t>* shape);

}  // namespace mx
