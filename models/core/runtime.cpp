#include "core/runtime.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>

#include <thread>

namespace mx {

void manualSeed(uint64_t seed) { at::manual_seed(seed); }

void useAllCores()
{
    const unsigned cores = std::thread::hardware_concurrency();
    if (cores > 0)
        at::set_num_threads(static_cast<int>(cores));
}

int threadCount() { return at::get_num_threads(); }

}  // namespace mx
