#include "core/runtime.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#include <ATen/core/Tensor.h>
#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/version.h>

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

std::string libtorchVersion() { return TORCH_VERSION; }

std::string cudaBuildVersion()
{
    // The CUDA hooks are LibTorch's own: a CPU-only build answers hasCUDART() false, a CUDA
    // build knows its CUDART_VERSION (major * 1000 + minor * 10) even with no GPU present.
    const at::CUDAHooksInterface& hooks = at::detail::getCUDAHooks();
    if (!hooks.hasCUDART())
        return {};
    try {
        const long v = hooks.versionCUDART();
        return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10);
    } catch (const std::exception&) {
        return {};
    }
}

int cudaDeviceCount()
{
    try {
        return at::detail::getCUDAHooks().getNumGPUs();
    } catch (const std::exception&) {
        return 0;
    }
}

struct GeneratorStateGuard::State {
    c10::intrusive_ptr<c10::TensorImpl> saved;
};

GeneratorStateGuard::GeneratorStateGuard() : state_(std::make_unique<State>())
{
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    state_->saved = gen.get_state().getIntrusivePtr();
}

GeneratorStateGuard::~GeneratorStateGuard()
{
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(at::Tensor(state_->saved));
}

}  // namespace mx
