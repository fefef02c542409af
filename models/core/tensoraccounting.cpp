// Counts live CPU tensor bytes and enforces the memory budget per thread (resourcebudget.h).
#include "core/resourcebudget.h"

#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>
#include <c10/util/Exception.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>

namespace mx {

namespace {

std::atomic<uint64_t> liveBytes{0};

struct ThreadBudget {
    int depth = 0;
    uint64_t (*extraLiveBytes)() = nullptr;
    std::string refusal;
};
thread_local ThreadBudget threadBudget;

// Each allocation carries its size in a header before the data; the header keeps the data at
// LibTorch's alignment, and the context stays the data pointer, so raw_allocate() works too.
constexpr size_t kHeader = 64;

void deleteCounted(void* data)
{
    if (!data)
        return;
    char* base = static_cast<char*>(data) - kHeader;
    size_t nbytes = 0;
    std::memcpy(&nbytes, base, sizeof nbytes);
    const uint64_t live = liveBytes.fetch_sub(nbytes, std::memory_order_relaxed) - nbytes;
    if (c10::memoryProfilingEnabled())  // as LibTorch's default allocator reports (forward's meter)
        c10::reportMemoryUsageToProfiler(data, -static_cast<int64_t>(nbytes), static_cast<int64_t>(live), 0,
                                         c10::Device(c10::DeviceType::CPU));
    c10::free_cpu(base);
}

/** LibTorch's CPU allocator, counting: what every CPU tensor of the process is allocated with. */
class CountingCpuAllocator final : public c10::Allocator {
public:
    c10::DataPtr allocate(size_t nbytes) const override
    {
        ThreadBudget& budget = threadBudget;
        if (budget.depth > 0) {
            const uint64_t live = liveBytes.load(std::memory_order_relaxed) +
                                  (budget.extraLiveBytes ? budget.extraLiveBytes() : 0);
            const uint64_t limit = memoryBudgetBytes();
            if (nbytes > limit || live > limit - nbytes) {
                const std::string message = memoryBudgetMessage("a tensor", nbytes, live);
                budget.refusal = "MemoryError: " + message;
                TORCH_CHECK(false, message);
            }
        }
        if (nbytes == 0)
            return {nullptr, nullptr, &deleteCounted, c10::Device(c10::DeviceType::CPU)};
        TORCH_CHECK(nbytes <= SIZE_MAX - kHeader, "DefaultCPUAllocator: can't allocate ", nbytes, " bytes");
        char* base = static_cast<char*>(c10::alloc_cpu(nbytes + kHeader));
        std::memcpy(base, &nbytes, sizeof nbytes);
        const uint64_t live = liveBytes.fetch_add(nbytes, std::memory_order_relaxed) + nbytes;
        void* data = base + kHeader;
        if (c10::memoryProfilingEnabled())
            c10::reportMemoryUsageToProfiler(data, static_cast<int64_t>(nbytes), static_cast<int64_t>(live), 0,
                                             c10::Device(c10::DeviceType::CPU));
        return {data, data, &deleteCounted, c10::Device(c10::DeviceType::CPU)};
    }
    c10::DeleterFnPtr raw_deleter() const override { return &deleteCounted; }
};

}  // namespace

void installTensorAccounting()
{
    static std::once_flag once;
    std::call_once(once, [] {
        static CountingCpuAllocator allocator;
        c10::SetCPUAllocator(&allocator, /*priority=*/1);  // over LibTorch's default (priority 0)
    });
}

uint64_t liveTensorBytes() { return liveBytes.load(std::memory_order_relaxed); }

TensorBudgetScope::TensorBudgetScope(uint64_t (*extraLiveBytes)())
    : previousExtra_(threadBudget.extraLiveBytes)
{
    ++threadBudget.depth;
    if (extraLiveBytes)
        threadBudget.extraLiveBytes = extraLiveBytes;
}

TensorBudgetScope::~TensorBudgetScope()
{
    --threadBudget.depth;
    threadBudget.extraLiveBytes = previousExtra_;
}

std::string takeTensorBudgetRefusal() { return std::exchange(threadBudget.refusal, {}); }

}  // namespace mx
