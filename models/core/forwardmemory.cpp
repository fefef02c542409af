// A forward pass's memory, checked before it runs: the input's size, then two metered small
// passes that give each submodule's peak as a line in the batch size (see MemoryEstimate).

#include "core/formatting.h"
#include "core/forward.h"
#include "core/forwardwalk.h"
#include "core/modulenode.h"
#include "core/resourcebudget.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mx {

namespace {

constexpr int64_t kSmallBatches[2] = {2, 4};

int64_t elementSize(const std::string& dtype) { return dtype == "float64" ? 8 : 4; }

std::string budget() { return "Module Explorer's memory budget of " + formatByteSize(memoryBudgetBytes()); }

const char* const kWhereToChange = " (Preferences / --memory-budget)";

bool isAllocationFailure(const std::string& message)
{
    return message.find("can't allocate memory") != std::string::npos ||
           message.find("not enough memory") != std::string::npos ||
           message.find("out of memory") != std::string::npos;
}

// An estimate that says "over the budget from `batch` on": the small pass at `batch` passed it.
MemoryEstimate overBudgetFrom(int64_t batch, const std::string& module, uint64_t seenBytes,
                              uint64_t inputBytesPerSample)
{
    MemoryEstimate e;
    e.measured = true;
    e.inputBytesPerSample = inputBytesPerSample;
    e.overBudgetAt = batch;
    e.overBudgetIn = module;
    const double over = static_cast<double>(std::max(seenBytes, memoryBudgetBytes() + 1));
    e.steps.push_back({module, 0, over / static_cast<double>(batch)});
    return e;
}

}  // namespace

uint64_t MemoryEstimate::peakBytes(int64_t batch) const
{
    if (!measured)
        return 0;
    double peak = 0;
    for (const Step& s : steps)
        peak = std::max(peak, s.base + s.perSample * static_cast<double>(batch));
    if (peak >= 1.8e19)
        return std::numeric_limits<uint64_t>::max();
    return static_cast<uint64_t>(std::ceil(peak));
}

int64_t MemoryEstimate::largestBatchWithin(uint64_t budget) const
{
    if (!measured)
        return std::numeric_limits<int64_t>::max();
    double largest = 9.0e18;
    for (const Step& s : steps) {
        const double room = static_cast<double>(budget) - s.base;
        if (room < 0)
            return 0;
        if (s.perSample > 0)
            largest = std::min(largest, std::floor(room / s.perSample));
    }
    return static_cast<int64_t>(largest);
}

std::string checkForwardInput(const std::vector<int64_t>& shape, const std::string& dtype,
                              uint64_t* inputBytes)
{
    if (shape.empty())
        return "ValueError: the input shape needs at least one dimension";
    for (int64_t d : shape) {
        if (d < 0)
            return "RuntimeError: Trying to create tensor with negative dimension " +
                   std::to_string(d) + ": " + bracketList(shape);
        if (d == 0)
            return "ValueError: every dimension of the input must be positive, got " +
                   bracketList(shape);
    }
    int64_t bytes = elementSize(dtype);
    for (int64_t d : shape)
        if (__builtin_mul_overflow(bytes, d, &bytes))
            return "RuntimeError: Storage size calculation overflowed with sizes=" +
                   bracketList(shape);
    if (inputBytes)
        *inputBytes = static_cast<uint64_t>(bytes);
    if (static_cast<uint64_t>(bytes) > memoryBudgetBytes())
        return "MemoryError: the input alone needs " + formatByteSize(static_cast<uint64_t>(bytes)) +
               " (" + torchSize(shape) + ", " + (dtype == "float64" ? "float64" : "float32") +
               "), more than " + budget() + kWhereToChange;
    return {};
}

MemoryEstimate estimateForwardMemory(ModuleNode& model, const ForwardOptions& options,
                                     const CancelCheck& cancelled)
{
    model.prepareForward();  // the walk below runs the compiled code: make it current
    uint64_t inputBytes = 0;
    if (!checkForwardInput(options.inputShape, options.dtype, &inputBytes).empty())
        return {};
    const uint64_t perSample = inputBytes / static_cast<uint64_t>(options.inputShape[0]);
    TrainingFlagGuard restoreMode(model);
    model.train(false);  // BatchNorm must not update its running stats, Dropout not draw numbers
    std::unique_ptr<at::NoGradGuard> noGrad;
    if (options.noGrad)
        noGrad = std::make_unique<at::NoGradGuard>();
    const auto tensorOptions = at::TensorOptions()
                                   .dtype(options.dtype == "float64" ? at::kDouble : at::kFloat)
                                   .device(at::Device(currentDevice(model)));

    std::vector<StepPeak> peaks[2];
    for (int k = 0; k < 2; ++k) {
        std::vector<int64_t> shape = options.inputShape;
        shape[0] = kSmallBatches[k];
        auto meter = std::make_shared<AllocationMeter>(memoryBudgetBytes());
        try {
            MeterScope scope(meter);
            const at::Tensor input = at::zeros(shape, tensorOptions);
            peaks[k].push_back({"input", meter->liveBytes()});
            ForwardWalk walk;
            walk.cancelled = &cancelled;
            walk.meter = meter.get();
            walk.peaks = &peaks[k];
            walk.countTrainDropout = options.train;
            walkForward(model, "", input, walk);
        } catch (const ForwardOverBudget& stop) {
            return overBudgetFrom(kSmallBatches[k], stop.module, meter->peakBytes(), perSample);
        } catch (const c10::Error& e) {
            if (isAllocationFailure(e.what_without_backtrace()))
                return overBudgetFrom(kSmallBatches[k], "forward", meter->peakBytes(), perSample);
            return {};
        } catch (const std::exception&) {
            return {};
        }
    }
    if (peaks[0].size() != peaks[1].size())
        return {};
    MemoryEstimate e;
    e.measured = true;
    e.inputBytesPerSample = perSample;
    const double span = static_cast<double>(kSmallBatches[1] - kSmallBatches[0]);
    for (size_t i = 0; i < peaks[0].size(); ++i) {
        const double small = static_cast<double>(peaks[0][i].bytes);
        const double large = static_cast<double>(peaks[1][i].bytes);
        const double slope = std::max(0.0, (large - small) / span);
        e.steps.push_back({peaks[0][i].module, small - slope * kSmallBatches[0], slope});
    }
    return e;
}

std::string memoryRefusal(const MemoryEstimate& estimate, int64_t batch)
{
    const uint64_t peak = estimate.peakBytes(batch);
    if (!estimate.measured || peak <= memoryBudgetBytes())
        return {};
    if (estimate.overBudgetAt && batch >= estimate.overBudgetAt)
        return "MemoryError: this forward pass needs more than " + budget() +
               ": a trial pass at batch " + std::to_string(estimate.overBudgetAt) +
               " already passed it in " + estimate.overBudgetIn + kWhereToChange;
    const uint64_t input = estimate.inputBytesPerSample * static_cast<uint64_t>(batch);
    return "MemoryError: this forward pass needs about " + formatByteSize(peak) + " (input " +
           formatByteSize(input) + " + activations " + formatByteSize(peak - std::min(peak, input)) +
           "), more than " + budget() + kWhereToChange;
}

std::string overBudgetMessage(const ForwardOverBudget& stop)
{
    return "MemoryError: this forward pass passed " + budget() + " in " + stop.module + " (" +
           formatByteSize(stop.liveBytes) + " live) and was stopped there" + kWhereToChange;
}

}  // namespace mx
