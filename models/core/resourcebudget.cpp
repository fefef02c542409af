#include "core/resourcebudget.h"

#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <unistd.h>

namespace mx {

namespace {
std::atomic<uint64_t> budgetInForce{0};
}

uint64_t physicalMemoryBytes()
{
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || pageSize <= 0)
        return 0;
    return static_cast<uint64_t>(pages) * static_cast<uint64_t>(pageSize);
}

uint64_t defaultMemoryBudgetBytes()
{
    static const uint64_t physical = physicalMemoryBytes();  // once: sysconf is a system call
    return physical ? physical / 4 : (uint64_t(1) << 30);
}

uint64_t memoryBudgetBytes()
{
    const uint64_t set = budgetInForce.load(std::memory_order_relaxed);
    return set ? set : defaultMemoryBudgetBytes();
}

void setMemoryBudgetBytes(uint64_t bytes)
{
    budgetInForce.store(bytes, std::memory_order_relaxed);
}

bool parseByteSize(const std::string& text, uint64_t* bytes)
{
    size_t k = 0;
    while (k < text.size() && (std::isdigit(static_cast<unsigned char>(text[k])) || text[k] == '.'))
        ++k;
    if (k == 0 || text.find_first_of("0123456789") >= k)
        return false;
    const std::string number = text.substr(0, k);
    if (number.find('.') != number.rfind('.'))
        return false;
    std::string unit;
    for (size_t j = k; j < text.size(); ++j)
        unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[j])));
    double scale = 1;
    if (!unit.empty() && unit != "b") {
        const char prefix = unit[0];
        const std::string rest = unit.substr(1);
        if (rest != "" && rest != "b" && rest != "ib")
            return false;
        switch (prefix) {
        case 'k': scale = 1024.0; break;
        case 'm': scale = 1024.0 * 1024; break;
        case 'g': scale = 1024.0 * 1024 * 1024; break;
        case 't': scale = 1024.0 * 1024 * 1024 * 1024; break;
        default: return false;
        }
    }
    const double value = std::strtod(number.c_str(), nullptr) * scale;
    if (!(value >= 1) || value >= 9.2e18)
        return false;
    *bytes = static_cast<uint64_t>(value);
    return true;
}

std::string formatByteSize(uint64_t bytes)
{
    const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024)
        return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    double value = static_cast<double>(bytes) / 1024;
    int unit = 0;
    while (value >= 1023.95 && unit < 5) {  // 1023.97 MiB reads "1 GiB", not "1024.0 MiB"
        value /= 1024;
        ++unit;
    }
    char text[32];
    if (value == std::floor(value))
        std::snprintf(text, sizeof text, "%.0f %s", value, units[unit]);
    else
        std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    return text;
}

std::string memoryBudgetMessage(const std::string& what, uint64_t requested, uint64_t live)
{
    return what + " of " + formatByteSize(requested) +
           " would take Module Explorer past its memory budget of " +
           formatByteSize(memoryBudgetBytes()) + " (" + formatByteSize(live) + " in use)";
}

}  // namespace mx
