#pragma once

#include <cstdint>
#include <string>

namespace mx {

// The one memory budget every job of the app checks before it allocates: console statements
// (live tensors and strings they create) and forward passes (estimated activations). One value for
// the whole process, set at start-up (CLI --memory-budget, Preferences) and read by every job.

/** The machine's physical memory in bytes (sysconf); 0 when unknown. */
uint64_t physicalMemoryBytes();
/** The default budget: a quarter of physical memory (1 GiB when that is unknown). */
uint64_t defaultMemoryBudgetBytes();
/** The budget in force (thread-safe); defaultMemoryBudgetBytes() until set. */
uint64_t memoryBudgetBytes();
/** Sets the budget in force (thread-safe); 0 restores the default. */
void setMemoryBudgetBytes(uint64_t bytes);
/** Parses a size as users type it: "1048576", "512K", "512M", "2G", "1.5G" (binary units, case
 *  insensitive, optional "iB"/"B"). False for anything else, zero, or a value past 2^63. */
bool parseByteSize(const std::string& text, uint64_t* bytes);
/** "1.5 GiB", "512 MiB", "12 KiB", "100 bytes" — for messages. */
std::string formatByteSize(uint64_t bytes);

// ---- tensor bytes (core/tensoraccounting.cpp) ---------------------------------------------------
// LibTorch's CPU allocator is wrapped once per process by one that counts the bytes of every live
// CPU tensor allocated after that. While a TensorBudgetScope is alive on a thread, an allocation
// on that thread that would take the live bytes (tensors + what `extraLiveBytes` reports) past
// the budget is refused before any memory is taken: LibTorch raises, and the refusal is kept for
// takeTensorBudgetRefusal().

/** Installs the counting allocator (idempotent, thread-safe). */
void installTensorAccounting();
/** Bytes of live CPU tensors allocated since installTensorAccounting(). */
uint64_t liveTensorBytes();

/** Enforces the budget on allocations of the current thread while alive (nestable). */
class TensorBudgetScope {
public:
    /** `extraLiveBytes` (may be null): other live bytes the budget covers (console values). */
    explicit TensorBudgetScope(uint64_t (*extraLiveBytes)() = nullptr);
    ~TensorBudgetScope();
    TensorBudgetScope(const TensorBudgetScope&) = delete;
    TensorBudgetScope& operator=(const TensorBudgetScope&) = delete;

private:
    uint64_t (*previousExtra_)();
};

/** The error line of the last allocation this thread's scope refused ("" if none), and clears
 *  it: "MemoryError: a tensor of 3.4 GiB would take Module Explorer past its memory budget ...". */
std::string takeTensorBudgetRefusal();

/** MemoryError's message for `what` of `requested` bytes when `live` bytes are held: "a tensor of
 *  3.4 GiB would take Module Explorer past its memory budget of 1 GiB (12 KiB in use)". */
std::string memoryBudgetMessage(const std::string& what, uint64_t requested, uint64_t live);

}  // namespace mx
