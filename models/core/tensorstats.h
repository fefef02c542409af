#pragma once

#include "core/tensorref.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace mx {

/** torch.histc's bins: equal width from `low` to `high`, the maximum counted in the last bin. */
struct Histogram {
    std::vector<double> edges;    // bins + 1 values, edges.front() == low, edges.back() == high
    std::vector<int64_t> counts;  // one per bin
    int64_t counted = 0;          // values in the bins (finite ones)
};

/**
 * What the inspector and `--stats` show of one tensor, read in two parallel passes over its
 * memory (no copy): min, max, sums and counts, then the histogram and the squared deviations.
 * NaN and infinities propagate into min/max/mean/std/norm as in torch; the histogram covers the
 * finite values (torch.histc refuses a range that is not finite).
 */
struct TensorStats {
    enum class State {
        Ok,
        Empty,        // numel 0: shape, dtype and counts only
        Unsupported,  // a dtype or device the fused pass does not read (`message` says why)
        Cancelled,
    };
    State state = State::Ok;
    std::string message;  // for Unsupported

    std::vector<int64_t> shape;
    std::string dtype;
    std::string device;
    int64_t numel = 0;
    int64_t bytes = 0;
    bool integral = false;  // an integer or bool dtype

    double min = 0, max = 0, mean = 0;
    double std = 0;   // with Bessel's correction, as torch.std (NaN for one element)
    double norm = 0;  // L2, as torch.linalg.norm / Tensor.norm()
    int64_t zeros = 0, nan = 0, posinf = 0, neginf = 0;
    Histogram histogram;  // empty when there is no finite value
    double elapsedMs = 0;  // the passes alone

    bool ok() const { return state == State::Ok; }
    /** The one value of a 0-d (or one-element) tensor. */
    double value() const { return min; }
};

/** At most this many bins (what --bins and the inspector accept). */
constexpr int kMaxHistogramBins = 10000;

/**
 * Statistics and a `bins`-bin histogram of `tensor`, computed in parallel over its memory. The
 * histogram's edge rule and bin arithmetic are torch.histc's (min == max widens to ±1). Reads
 * CPU tensors of every real dtype, contiguous or strided; a CUDA tensor is read with LibTorch's
 * own reductions on its device (no copy to the host). `cancel` (may be null) is polled between
 * blocks: when it becomes true the result is Cancelled.
 */
TensorStats computeTensorStats(const TensorRef& tensor, int bins,
                               const std::atomic<bool>* cancel = nullptr);

/** The same for `after - before` element-wise (same shape), without materialising the difference. */
TensorStats computeDifferenceStats(const TensorRef& after, const TensorRef& before, int bins,
                                   const std::atomic<bool>* cancel = nullptr);

/**
 * The same numbers from a chain of LibTorch calls (torch.aminmax, torch.std_mean, linalg norm,
 * torch.histc, counts): the path for CUDA tensors, and the baseline of bench/tensor_stats_bench.
 */
TensorStats torchOpsStats(const TensorRef& tensor, int bins);

/** Runs torch.histc, torch.aminmax and torch.std_mean on `tensor` (the baseline for the
 *  benchmark); returns nothing useful. */
void timeHistcAminmaxStdMean(const TensorRef& tensor, int bins);

/** A private copy of `tensor` (for "pin to compare"), or None with `error` when it would take
 *  the process past the memory budget. */
TensorRef snapshotTensor(const TensorRef& tensor, std::string* error);

}  // namespace mx
