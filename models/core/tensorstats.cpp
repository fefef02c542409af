#include "core/tensorstats.h"

#include "core/resourcebudget.h"
#include "core/tensoraccess.h"
#include "core/tensorwalk.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>

// The 32-byte vector helpers below are internal (inlined); their ABI note does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace mx {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int64_t kGrain = 1 << 18;  // elements per parallel block; cancel is polled per block

bool cancelled(const std::atomic<bool>* cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

// Pass one's partial results for a block of elements.
struct Moments {
    double min = kInf, max = -kInf;  // over values that are not NaN
    double sum = 0, sumsq = 0;
    int64_t zeros = 0, nan = 0, posinf = 0, neginf = 0;

    void merge(const Moments& o)
    {
        min = std::min(min, o.min);
        max = std::max(max, o.max);
        sum += o.sum;
        sumsq += o.sumsq;
        zeros += o.zeros;
        nan += o.nan;
        posinf += o.posinf;
        neginf += o.neginf;
    }
};

// The finite range of the values, for the histogram: pass one keeps min/max over non-NaN values,
// which are the finite ones unless an infinity was seen; then a finite-only pass is needed.
struct FiniteRange {
    double low = kInf, high = -kInf;
    bool any() const { return low <= high; }
};

// Per-block pass one over values of type V (float for float32, double otherwise), with four
// independent accumulators so the loop is not one long dependency chain.
template <typename V, typename Read>
Moments momentsOf(int64_t n, Read read)
{
    Moments m;
    V lo = std::numeric_limits<V>::infinity(), hi = -std::numeric_limits<V>::infinity();
    double s[4] = {0, 0, 0, 0}, q[4] = {0, 0, 0, 0};
    int64_t zeros = 0, nan = 0, pinf = 0, ninf = 0;
    int64_t i = 0;
    auto one = [&](V v, int lane) {
        const double d = static_cast<double>(v);
        s[lane] += d;
        q[lane] += d * d;
        lo = v < lo ? v : lo;  // NaN compares false: never taken
        hi = v > hi ? v : hi;
        zeros += v == V(0);
        nan += v != v;
        pinf += v == std::numeric_limits<V>::infinity();
        ninf += v == -std::numeric_limits<V>::infinity();
    };
    for (; i + 4 <= n; i += 4) {
        one(read(i), 0);
        one(read(i + 1), 1);
        one(read(i + 2), 2);
        one(read(i + 3), 3);
    }
    for (; i < n; ++i)
        one(read(i), 0);
    m.min = lo;
    m.max = hi;
    m.sum = (s[0] + s[1]) + (s[2] + s[3]);
    m.sumsq = (q[0] + q[1]) + (q[2] + q[3]);
    m.zeros = zeros;
    m.nan = nan;
    m.posinf = pinf;
    m.neginf = ninf;
    return m;
}

template <typename V, typename Read>
FiniteRange finiteRangeOf(int64_t n, Read read)
{
    FiniteRange r;
    for (int64_t i = 0; i < n; ++i) {
        const V v = read(i);
        if (std::isfinite(static_cast<double>(v))) {
            r.low = std::min(r.low, static_cast<double>(v));
            r.high = std::max(r.high, static_cast<double>(v));
        }
    }
    return r;
}

// Pass two: torch.histc's bin of each value (computed in V, as histc computes in the input's
// dtype) and the squared deviations from the mean.
template <typename V, typename Read>
double histogramOf(int64_t n, Read read, V low, V high, int64_t bins, double mean, int64_t* counts)
{
    double dev[2] = {0, 0};
    const V width = high - low;
    for (int64_t i = 0; i < n; ++i) {
        const V v = read(i);
        const double d = static_cast<double>(v) - mean;
        dev[i & 1] += d * d;
        if (!(v >= low && v <= high))
            continue;  // NaN, infinities
        // PyTorch 1.13's order of operations: divide by the width first, then scale
        int64_t pos = static_cast<int64_t>((v - low) / width * static_cast<V>(bins));
        if (pos == bins)
            pos -= 1;
        ++counts[pos];
    }
    return dev[0] + dev[1];
}

// ---- contiguous float32: the same two passes on 8-float vectors (GCC vector extensions), built
// twice: for AVX2 and for the x86-64 baseline (two SSE halves), picked at load time. Partial sums
// stay in float for at most kFlush values per lane, then go into double lanes.
typedef float Floats8 __attribute__((vector_size(32)));
typedef int Ints8 __attribute__((vector_size(32)));
typedef double Doubles8 __attribute__((vector_size(64)));
constexpr int64_t kFlush = 8;  // vectors per float partial sum
constexpr int kLanes = 8;

#if defined(__x86_64__) && !defined(__clang__)
#define MX_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define MX_SIMD_CLONES
#endif

inline Floats8 load8(const float* p)
{
    Floats8 v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}
inline Floats8 splat(float x) { return Floats8{} + x; }
inline Ints8 splat(int x) { return Ints8{} + x; }
inline double lanesSum(Doubles8 v)
{
    double s = 0;
    for (int i = 0; i < kLanes; ++i)
        s += v[i];
    return s;
}

MX_SIMD_CLONES Moments momentsOfFloats(const float* p, int64_t n)
{
    const float inf = std::numeric_limits<float>::infinity();
    Floats8 lo = splat(inf), hi = splat(-inf);
    const Floats8 zero = splat(0.f);
    Ints8 zeros = splat(0), nan = splat(0);  // minus the counts (a true lane is -1)
    Doubles8 s = {}, q = {};
    const int64_t vectors = n / kLanes;
    for (int64_t v0 = 0; v0 < vectors; v0 += kFlush) {
        Floats8 fs = zero, fq = zero;  // float partial sums of at most kFlush values per lane
        const int64_t v1 = std::min(vectors, v0 + kFlush);
        for (int64_t v = v0; v < v1; ++v) {
            const Floats8 x = load8(p + kLanes * v);
            fs += x;
            fq += x * x;
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
            zeros += x == zero;
            nan |= x != x;
        }
        s += __builtin_convertvector(fs, Doubles8);
        q += __builtin_convertvector(fq, Doubles8);
    }
    const double sum = lanesSum(s), sumsq = lanesSum(q);
    Moments m;
    m.sum = sum;
    m.sumsq = sumsq;
    int anyNaN = 0;
    for (int i = 0; i < kLanes; ++i) {
        m.min = std::min<double>(m.min, lo[i]);
        m.max = std::max<double>(m.max, hi[i]);
        m.zeros -= zeros[i];
        anyNaN |= nan[i];
    }
    const int64_t done = kLanes * vectors;
    if (anyNaN || m.min == -inf || m.max == inf) {  // rare: count NaN and infinities one by one
        for (int64_t i = 0; i < done; ++i) {
            m.nan += p[i] != p[i];
            m.posinf += p[i] == inf;
            m.neginf += p[i] == -inf;
        }
    }
    if (done < n)
        m.merge(momentsOf<float>(n - done, [q = p + done](int64_t i) { return q[i]; }));
    return m;
}

// Bins of eight values at a time: the index arithmetic in vectors (torch.histc's, in float), the
// counting in eight interleaved count arrays (stride bins + 1; the last slot takes the values
// outside [low, high]: NaN and infinities).
MX_SIMD_CLONES double histogramOfFloats(const float* p, int64_t n, float low, float high,
                                        int64_t bins, double mean, bool allFinite, int64_t* counts)
{
    const int64_t stride = bins + 1;
    std::vector<int32_t> local(static_cast<size_t>(kLanes * stride), 0);
    const Floats8 lo = splat(low), hi = splat(high);
    const Floats8 width = hi - lo;
    const Floats8 scale = splat(static_cast<float>(bins));
    const float meanf = static_cast<float>(mean);
    const Floats8 m = splat(meanf);
    const Ints8 last = splat(int(bins - 1)), trash = splat(int(bins));
    Ints8 lane;
    for (int i = 0; i < kLanes; ++i)
        lane[i] = static_cast<int>(i * stride);
    Doubles8 dev8 = {};
    const int64_t vectors = n / kLanes;
    for (int64_t v0 = 0; v0 < vectors; v0 += kFlush) {
        Floats8 dev = splat(0.f);
        const int64_t v1 = std::min(vectors, v0 + kFlush);
        if (allFinite) {  // every value is in [low, high]: no masks
            for (int64_t v = v0; v < v1; ++v) {
                const Floats8 x = load8(p + kLanes * v);
                const Floats8 d = x - m;
                dev += d * d;
                Ints8 pos = __builtin_convertvector((x - lo) / width * scale, Ints8);
                pos = (pos > last ? last : pos) + lane;
                for (int i = 0; i < kLanes; ++i)
                    ++local[pos[i]];
            }
        } else {
            for (int64_t v = v0; v < v1; ++v) {
                const Floats8 x = load8(p + kLanes * v);
                const Floats8 d = x - m;
                dev += d * d;
                const Ints8 in = (x >= lo) & (x <= hi);
                const Floats8 safe = in ? x : lo;  // keeps the conversion in range
                Ints8 pos = __builtin_convertvector((safe - lo) / width * scale, Ints8);
                pos = pos > last ? last : pos;
                pos = (in ? pos : trash) + lane;
                for (int i = 0; i < kLanes; ++i)
                    ++local[pos[i]];
            }
        }
        dev8 += __builtin_convertvector(dev, Doubles8);
    }
    double deviations = lanesSum(dev8);
    for (int64_t k = 0; k < bins; ++k) {
        int64_t c = 0;
        for (int i = 0; i < kLanes; ++i)
            c += local[i * stride + k];
        counts[k] += c;
    }
    // the float mean's rounding: sum (x - m)^2 = sum (x - mf)^2 - n (m - mf)^2
    const int64_t done = kLanes * vectors;
    const double shift = mean - static_cast<double>(meanf);
    deviations -= static_cast<double>(done) * shift * shift;
    if (done < n)
        deviations += histogramOf<float>(n - done, [q = p + done](int64_t i) { return q[i]; }, low,
                                         high, bins, mean, counts);
    return deviations;
}

// Runs `block(begin, end)` over [0, n) in parallel blocks of kGrain; false when cancelled.
template <typename Block>
bool forBlocks(int64_t n, const std::atomic<bool>* cancel, Block block)
{
    std::atomic<bool> stopped{false};
    at::parallel_for(0, n, kGrain, [&](int64_t begin, int64_t end) {
        for (int64_t b = begin; b < end; b += kGrain) {
            if (cancelled(cancel)) {
                stopped = true;
                return;
            }
            block(b, std::min(end, b + kGrain));
        }
    });
    return !stopped && !cancelled(cancel);
}

// The two passes over `count` values that `reader(begin)` returns block readers for.
template <typename V, typename MakeReader>
void fusedPasses(int64_t count, int bins, const std::atomic<bool>* cancel, MakeReader makeReader,
                 TensorStats* out)
{
    std::mutex mutex;
    Moments total;
    if (!forBlocks(count, cancel, [&](int64_t b, int64_t e) {
            Moments m;
            if constexpr (std::is_same_v<decltype(makeReader(b)), ContiguousReader<float, float>>)
                m = momentsOfFloats(makeReader(b).data, e - b);
            else
                m = momentsOf<V>(e - b, makeReader(b));
            std::lock_guard<std::mutex> lock(mutex);
            total.merge(m);
        })) {
        out->state = TensorStats::State::Cancelled;
        return;
    }
    out->zeros = total.zeros;
    out->nan = total.nan;
    out->posinf = total.posinf;
    out->neginf = total.neginf;
    out->min = total.nan ? kNaN : total.min;
    out->max = total.nan ? kNaN : total.max;
    out->mean = total.sum / static_cast<double>(count);
    out->norm = std::sqrt(total.sumsq);

    FiniteRange range;
    if (total.posinf == 0 && total.neginf == 0) {
        range.low = total.min;
        range.high = total.max;
    } else if (!forBlocks(count, cancel, [&](int64_t b, int64_t e) {
                   const FiniteRange r = finiteRangeOf<V>(e - b, makeReader(b));
                   std::lock_guard<std::mutex> lock(mutex);
                   range.low = std::min(range.low, r.low);
                   range.high = std::max(range.high, r.high);
               })) {
        out->state = TensorStats::State::Cancelled;
        return;
    }

    // histc: min == max widens the range by one on each side; the edges are linspace's.
    V low = static_cast<V>(range.low), high = static_cast<V>(range.high);
    if (low == high) {
        low = low - V(1);
        high = high + V(1);
    }
    const int64_t nbins = range.any() ? bins : 0;
    std::vector<int64_t> counts(static_cast<size_t>(nbins), 0);
    double squares = 0;
    const bool allFinite = total.nan == 0 && total.posinf == 0 && total.neginf == 0;
    if (!forBlocks(count, cancel, [&](int64_t b, int64_t e) {
            std::vector<int64_t> local(static_cast<size_t>(nbins), 0);
            double s = 0;
            if constexpr (std::is_same_v<decltype(makeReader(b)), ContiguousReader<float, float>>) {
                if (range.any())
                    s = histogramOfFloats(makeReader(b).data, e - b, low, high, nbins, out->mean,
                                          allFinite, local.data());
            } else if (range.any()) {
                s = histogramOf<V>(e - b, makeReader(b), low, high, nbins, out->mean, local.data());
            }
            std::lock_guard<std::mutex> lock(mutex);
            squares += s;
            for (int64_t k = 0; k < nbins; ++k)
                counts[k] += local[k];
        })) {
        out->state = TensorStats::State::Cancelled;
        return;
    }
    out->std = count > 1 ? std::sqrt(squares / static_cast<double>(count - 1)) : kNaN;
    if (out->nan || out->posinf || out->neginf)
        out->std = kNaN;  // as torch: a NaN or infinity makes the deviation NaN
    if (range.any()) {
        Histogram& h = out->histogram;
        h.counts = std::move(counts);
        h.edges.resize(static_cast<size_t>(nbins) + 1);
        const double lo = static_cast<double>(low), hi = static_cast<double>(high);
        const double step = (hi - lo) / static_cast<double>(nbins);
        for (int64_t k = 0; k <= nbins; ++k)  // linspace: from both ends towards the middle
            h.edges[k] = k < nbins / 2 ? lo + step * static_cast<double>(k)
                                        : hi - step * static_cast<double>(nbins - k);
        for (int64_t c : h.counts)
            h.counted += c;
    }
}

void describe(const at::Tensor& t, TensorStats* out)
{
    const TensorRef ref = TensorAccess::wrap(t);
    out->shape = ref.shape();
    out->dtype = ref.dtypeName();
    out->device = ref.deviceName();
    out->numel = ref.numel();
    out->bytes = ref.bytes();
    out->integral = at::isIntegralType(t.scalar_type(), /*includeBool=*/true);
}

// Describes `t` into `out`; false when there is nothing to read: None (Unsupported) or numel 0
// (Empty), `out` saying which.
bool describeReadable(const at::Tensor& t, TensorStats* out)
{
    if (!t.defined()) {
        out->state = TensorStats::State::Unsupported;
        out->message = "None has no values";
        return false;
    }
    describe(t, out);
    if (out->numel == 0) {
        out->state = TensorStats::State::Empty;
        return false;
    }
    return true;
}

bool readableOnCpu(const at::Tensor& t, TensorStats* out)
{
    const std::string reason = unreadableOnCpu(t);
    if (reason.empty())
        return true;
    out->state = TensorStats::State::Unsupported;
    out->message = reason;
    return false;
}

template <typename F>
TensorStats timed(F compute)
{
    const auto start = std::chrono::steady_clock::now();
    TensorStats s = compute();
    s.elapsedMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return s;
}

int clampBins(int bins) { return std::clamp(bins, 1, kMaxHistogramBins); }

// Calls run(makeReader) with a factory of readers (from any element on) that suits `walk`.
template <typename V, typename T, typename Run>
void withReaders(const StridedWalk& walk, const T* base, Run run)
{
    if (walk.contiguous())
        run([&walk, base](int64_t begin) { return walk.contiguousReader<V>(base, begin); });
    else
        run([&walk, base](int64_t begin) { return walk.stridedReader<V>(base, begin); });
}

}  // namespace

TensorStats computeTensorStats(const TensorRef& ref, int bins, const std::atomic<bool>* cancel)
{
    const at::Tensor& t = TensorAccess::tensor(ref);
    TensorStats out;
    if (!describeReadable(t, &out))
        return out;
    if (t.is_cuda() && !at::isComplexType(t.scalar_type()))
        return torchOpsStats(ref, bins);
    if (!readableOnCpu(t, &out))
        return out;
    bins = clampBins(bins);
    return timed([&] {
        TensorStats s = out;
        const StridedWalk walk(t);
        AT_DISPATCH_ALL_TYPES_AND3(at::kHalf, at::kBFloat16, at::kBool, t.scalar_type(), "stats", [&] {
            using V = std::conditional_t<std::is_same_v<scalar_t, double>, double, float>;
            const scalar_t* base = t.data_ptr<scalar_t>();
            // integers in double: exact up to 2^53
            using W = std::conditional_t<std::is_integral_v<scalar_t> && !std::is_same_v<scalar_t, bool>,
                                         double, V>;
            withReaders<W>(walk, base, [&](auto makeReader) {
                fusedPasses<W>(out.numel, bins, cancel, makeReader, &s);
            });
        });
        return s;
    });
}

TensorStats computeDifferenceStats(const TensorRef& afterRef, const TensorRef& beforeRef, int bins,
                                   const std::atomic<bool>* cancel)
{
    const at::Tensor& a = TensorAccess::tensor(afterRef);
    const at::Tensor& b = TensorAccess::tensor(beforeRef);
    TensorStats out;
    if (!b.defined()) {
        out.state = TensorStats::State::Unsupported;
        out.message = "None has no values";
        return out;
    }
    if (!describeReadable(a, &out))
        return out;
    if (a.sizes() != b.sizes()) {
        out.state = TensorStats::State::Unsupported;
        out.message = "the shapes differ: " + out.dtype + " " + c10::str(a.sizes()) + " vs " +
                      c10::str(b.sizes());
        return out;
    }
    if (a.scalar_type() != b.scalar_type()) {
        out.state = TensorStats::State::Unsupported;
        out.message = "the dtypes differ: " + out.dtype + " vs " + TensorAccess::wrap(b).dtypeName();
        return out;
    }
    TensorStats other;
    describe(b, &other);
    if (!readableOnCpu(a, &out) || !readableOnCpu(b, &other)) {
        if (out.ok()) {
            out.state = other.state;
            out.message = other.message;
        }
        return out;
    }
    bins = clampBins(bins);
    return timed([&] {
        TensorStats s = out;
        const StridedWalk walkA(a), walkB(b);
        AT_DISPATCH_ALL_TYPES_AND3(at::kHalf, at::kBFloat16, at::kBool, a.scalar_type(), "diff", [&] {
            // float32 differences in float (as torch subtracts), everything else in double
            using V = std::conditional_t<std::is_same_v<scalar_t, float>, float, double>;
            const scalar_t* pa = a.data_ptr<scalar_t>();
            const scalar_t* pb = b.data_ptr<scalar_t>();
            withReaders<V>(walkA, pa, [&](auto readersA) {
                withReaders<V>(walkB, pb, [&](auto readersB) {
                    fusedPasses<V>(out.numel, bins, cancel, [&](int64_t begin) {
                        return [ra = readersA(begin), rb = readersB(begin)](int64_t i) mutable {
                            return static_cast<V>(ra(i) - rb(i));
                        };
                    }, &s);
                });
            });
        });
        return s;
    });
}

TensorStats torchOpsStats(const TensorRef& ref, int bins)
{
    const at::Tensor& t = TensorAccess::tensor(ref);
    TensorStats out;
    if (!describeReadable(t, &out))
        return out;
    if (at::isComplexType(t.scalar_type()) || t.is_sparse() || t.is_quantized()) {
        out.state = TensorStats::State::Unsupported;
        out.message = "only dense real tensors are read";
        return out;
    }
    bins = clampBins(bins);
    return timed([&] {
        TensorStats s = out;
        at::NoGradGuard noGrad;
        const at::Tensor x = out.integral ? t.to(at::kDouble) : t;
        auto [lo, hi] = at::aminmax(x);
        auto [sd, mean] = at::std_mean(x, /*unbiased=*/true);
        s.min = lo.item<double>();
        s.max = hi.item<double>();
        s.mean = mean.item<double>();
        s.std = sd.item<double>();
        s.norm = at::linalg_vector_norm(x).item<double>();
        s.zeros = (x == 0).sum().item<int64_t>();
        s.nan = at::isnan(x).sum().item<int64_t>();
        s.posinf = at::isposinf(x).sum().item<int64_t>();
        s.neginf = at::isneginf(x).sum().item<int64_t>();
        const at::Tensor finite = s.nan || s.posinf || s.neginf ? x.masked_select(at::isfinite(x)) : x;
        if (finite.numel() > 0) {
            const at::Tensor counts = at::histc(finite, bins).to(at::kLong).cpu();
            double low = finite.min().item<double>(), high = finite.max().item<double>();
            if (low == high) {
                low -= 1;
                high += 1;
            }
            const at::Tensor edges = at::linspace(low, high, bins + 1, x.options().device(at::kCPU))
                                         .to(at::kDouble);
            s.histogram.counts.assign(counts.data_ptr<int64_t>(), counts.data_ptr<int64_t>() + bins);
            s.histogram.edges.assign(edges.data_ptr<double>(), edges.data_ptr<double>() + bins + 1);
            for (int64_t c : s.histogram.counts)
                s.histogram.counted += c;
        }
        return s;
    });
}

void timeHistcAminmaxStdMean(const TensorRef& ref, int bins)
{
    const at::Tensor& t = TensorAccess::tensor(ref);
    at::NoGradGuard noGrad;
    (void)at::histc(t, bins);
    (void)at::aminmax(t);
    (void)at::std_mean(t, /*unbiased=*/true);
}

TensorRef snapshotTensor(const TensorRef& ref, std::string* error)
{
    const at::Tensor& t = TensorAccess::tensor(ref);
    if (!t.defined())
        return {};
    at::NoGradGuard noGrad;
    takeTensorBudgetRefusal();
    try {
        TensorBudgetScope budget;  // the copy is refused before it is allocated past the budget
        return TensorAccess::wrap(t.detach().clone(at::MemoryFormat::Contiguous));
    } catch (const c10::Error& e) {
        const std::string refusal = takeTensorBudgetRefusal();
        const std::string what = e.what_without_backtrace();
        *error = refusal.empty() ? "cannot copy the tensor: " + what.substr(0, what.find('\n')) : refusal;
        return {};
    }
}

}  // namespace mx
