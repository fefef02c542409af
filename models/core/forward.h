#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mx {
class ModuleNode;

/** How the forward runner fills its input tensor. */
enum class InputFill { Randn, Rand, Zeros, Ones };

/** One forward request: the input, where and how to run it, and how often to time it. */
struct ForwardOptions {
    std::vector<int64_t> inputShape;
    InputFill fill = InputFill::Randn;
    uint64_t seed = 0;             // seeds randn / rand
    std::string dtype = "float32"; // float32 | float64
    std::string device = "cpu";    // cpu | cuda
    bool train = false;            // module.train() for the run, else module.eval()
    bool noGrad = true;            // run under torch.no_grad()
    int warmup = 1;                // untimed runs after the traced one
    int repeats = 1;               // timed runs
};

/** A submodule's output in the traced run. */
struct ModuleTrace {
    std::string module;               // dotted path, e.g. "conv1" or "conv1.0"
    std::vector<int64_t> outputShape;
    bool returnedNone = false;
};

/** What a forward run produced: output, per-submodule trace and timings, or PyTorch's error. */
struct ForwardResult {
    bool ok = false;
    bool cancelled = false;
    std::string error;                // the last line of Python's traceback: "RuntimeError: ..."
    bool returnedNone = false;        // forward returned None (the tutorial's Model B)
    std::vector<int64_t> outputShape;
    std::vector<double> preview;      // the output's first values
    double outputSum = 0.0;
    std::vector<ModuleTrace> trace;   // every called submodule, in the order it returned
    std::vector<double> timesMs;      // one per timed repeat
    double medianMs = 0.0;
    double minMs = 0.0;
    double maxMs = 0.0;
};

/** Called with (runs done, runs in all); return false to cancel before the next run. */
using ForwardProgress = std::function<bool(int done, int total)>;

/**
 * Runs the model's forward: one traced run that walks each container's forward plan and records
 * every submodule's output shape, then `warmup` untimed and `repeats` timed runs of the compiled
 * forward. Moves the model to `options.device` first (parameters and buffers, as module.to()
 * does; plain attributes stay). The model's train/eval flag is restored afterwards. Never throws.
 */
ForwardResult runForward(ModuleNode& model, const ForwardOptions& options,
                         const ForwardProgress& progress = {});

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
