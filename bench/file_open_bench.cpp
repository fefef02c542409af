// Issue 9: how long opening a file takes inside the process (libtorch's own start-up, about
// 0.7 s on 2 cores, is not counted): openModelFile, then state_dict() listed and printed.
// Usage: build/bin/file_open_bench FILE [RUNS=5]
#include "core/listings.h"
#include "core/modelfile.h"
#include "core/modulenode.h"
#include "core/formatting.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: file_open_bench FILE [RUNS]\n");
        return 2;
    }
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
    std::vector<double> openMs, listMs;
    size_t keys = 0;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        mx::OpenedModel opened = mx::openModelFile(argv[1]);
        const auto t1 = std::chrono::steady_clock::now();
        std::string text;
        const std::vector<mx::ListingEntry> entries = mx::stateDict(*opened.root);
        for (const mx::ListingEntry& e : entries)
            text += e.name + " --> " + mx::torchSize(e.tensor.shape()) + "\n";
        const auto t2 = std::chrono::steady_clock::now();
        keys = entries.size();
        openMs.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        listMs.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    std::sort(openMs.begin(), openMs.end());
    std::sort(listMs.begin(), listMs.end());
    std::printf("%s: %zu state_dict keys; open median %.1f ms (min %.1f), list+format median %.2f ms\n",
                argv[1], keys, openMs[openMs.size() / 2], openMs.front(), listMs[listMs.size() / 2]);
    return 0;
}
