#include "core/statements/budget.h"

#include "core/pythonerror.h"
#include "core/resourcebudget.h"
#include "core/statements/value.h"

namespace mx::stmt {

uint64_t saturatingAdd(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

uint64_t saturatingMul(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

uint64_t budgetedLiveBytes() { return saturatingAdd(liveTensorBytes(), liveValueBytes()); }

void reserveBytes(uint64_t bytes, const std::string& what)
{
    const uint64_t live = budgetedLiveBytes();
    const uint64_t limit = memoryBudgetBytes();
    if (bytes > limit || live > limit - bytes)
        throw PythonError("MemoryError", memoryBudgetMessage(what, bytes, live));
}

}  // namespace mx::stmt
