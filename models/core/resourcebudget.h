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

}  // namespace mx
