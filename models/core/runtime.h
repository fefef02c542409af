#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace mx {

/** torch.manual_seed(seed): reseeds the global CPU generator the examples draw from. */
void manualSeed(uint64_t seed);
/** Lets LibTorch use every core (Debian's default is one intra-op thread). */
void useAllCores();
/** LibTorch's intra-op thread count. */
int threadCount();

/** The LibTorch version this program was built against, e.g. "1.13.0". */
std::string libtorchVersion();
/** The CUDA runtime version LibTorch was built with, e.g. "11.7"; "" for a CPU-only LibTorch. */
std::string cudaBuildVersion();
/** How many CUDA GPUs this process sees (0 without CUDA). */
int cudaDeviceCount();

/** Saves the global CPU generator's state and restores it when destroyed (for dry runs). */
class GeneratorStateGuard {
public:
    GeneratorStateGuard();
    ~GeneratorStateGuard();
    GeneratorStateGuard(const GeneratorStateGuard&) = delete;
    GeneratorStateGuard& operator=(const GeneratorStateGuard&) = delete;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace mx
