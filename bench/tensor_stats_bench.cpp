// Issue 12's budget: statistics + histogram of Model A's dense.0.weight (25.7 M float32) with the
// fused parallel pass vs the chain of LibTorch calls (torch.histc + aminmax + std_mean + norm +
// counts) on the same tensor in the same run. Prints medians; not a test.
//   build/bin/tensor_stats_bench [--name KEY] [--runs N] [--bins N] [--fused-only]
#include "core/examples.h"
#include "core/runtime.h"
#include "core/tensorlookup.h"
#include "core/tensorslice.h"
#include "core/tensorstats.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

template <typename F>
double medianMs(int runs, F f)
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv)
{
    std::string name = "dense.0.weight";
    int runs = 9, bins = 100;
    bool fusedOnly = false;  // --fused-only: for profiling the fused pass alone
    for (int i = 1; i < argc; ++i)
        if (!std::strcmp(argv[i], "--fused-only"))
            fusedOnly = true;
    for (int i = 1; i + 1 < argc; ++i) {
        if (!std::strcmp(argv[i], "--name"))
            name = argv[++i];
        else if (!std::strcmp(argv[i], "--runs"))
            runs = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--bins"))
            bins = std::max(1, std::atoi(argv[++i]));
    }
    mx::useAllCores();
    const auto model = mx::buildExample("state-dict-demo");
    mx::NamedTensor t;
    if (!mx::findNamedTensor(*model, name, &t)) {
        std::fprintf(stderr, "no tensor '%s'\n", name.c_str());
        return 2;
    }
    std::printf("tensor %s: %lld elements, %s, %.1f MB, %d threads, %d bins, median of %d runs\n",
                name.c_str(), static_cast<long long>(t.tensor.numel()), t.tensor.dtypeName().c_str(),
                t.tensor.bytes() / 1e6, mx::threadCount(), bins, runs);
    mx::TensorStats fused, ops;
    if (fusedOnly) {
        const double ms = medianMs(runs, [&] { fused = mx::computeTensorStats(t.tensor, bins); });
        std::printf("fused pass (stats + histogram): %8.1f ms\n", ms);
        return 0;
    }
    const double threeMs = medianMs(runs, [&] { mx::timeHistcAminmaxStdMean(t.tensor, bins); });
    const double torchMs = medianMs(runs, [&] { ops = mx::torchOpsStats(t.tensor, bins); });
    const double fusedMs = medianMs(runs, [&] { fused = mx::computeTensorStats(t.tensor, bins); });
    const mx::TensorSlice slice(t.tensor, {});
    const double gridMs = medianMs(3, [&] { (void)mx::reduceSlice(slice, 1080, 1920); });
    std::printf("torch.histc + torch.aminmax + torch.std_mean:         %8.1f ms\n", threeMs);
    std::printf("all LibTorch calls of torchOpsStats (+norm, counts):  %8.1f ms\n", torchMs);
    std::printf("fused pass (stats + histogram):                       %8.1f ms  (%.3f of histc+aminmax+std_mean; budget 0.2)\n",
                fusedMs, fusedMs / threeMs);
    std::printf("heatmap reduction to 1080x1920 cells:                 %8.1f ms\n", gridMs);
    bool same = fused.histogram.counts == ops.histogram.counts && fused.zeros == ops.zeros;
    std::printf("histogram counts equal torch.histc: %s; min %.9g/%.9g max %.9g/%.9g std %.9g/%.9g\n",
                same ? "yes" : "NO", fused.min, ops.min, fused.max, ops.max, fused.std, ops.std);
    for (size_t k = 0; k < fused.histogram.counts.size() && !same; ++k)
        if (fused.histogram.counts[k] != ops.histogram.counts[k])
            std::printf("  bin %zu: fused %lld, histc %lld\n", k, (long long)fused.histogram.counts[k],
                        (long long)ops.histogram.counts[k]);
    return same ? 0 : 1;
}
