#include "core/runtime.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#include <ATen/core/Tensor.h>
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
