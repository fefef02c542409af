#pragma once

#include <cstdint>

namespace mx {

/** torch.manual_seed(seed): reseeds the global CPU generator the examples draw from. */
void manualSeed(uint64_t seed);
/** Lets LibTorch use every core (Debian's default is one intra-op thread). */
void useAllCores();
/** LibTorch's intra-op thread count. */
int threadCount();

}  // namespace mx
