#pragma once
// Private to models/core/statements: the console's share of the one memory budget.

#include <cstdint>
#include <string>

namespace mx::stmt {

/** Overflow-proof size arithmetic: UINT64_MAX when the true result does not fit in 64 bits
 *  (which no budget admits). */
uint64_t saturatingAdd(uint64_t a, uint64_t b);
uint64_t saturatingMul(uint64_t a, uint64_t b);

/** Bytes the budget covers now: live CPU tensors plus the console's live values. */
uint64_t budgetedLiveBytes();

/** Before allocating `bytes` for `what` ("a string", "a list"): raises MemoryError (a
 *  PythonError) when they would take the live bytes past the memory budget. */
void reserveBytes(uint64_t bytes, const std::string& what = "a string");

}  // namespace mx::stmt
