#include "core/formatting.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace mx {

std::string bracketList(const std::vector<int64_t>& values)
{
    std::string out = "[";
    for (size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + std::to_string(values[i]);
    return out + "]";
}

std::string torchSize(const std::vector<int64_t>& shape)
{
    return "torch.Size(" + bracketList(shape) + ")";
}

std::string pythonTuple(const std::vector<int64_t>& values)
{
    std::string out = "(";
    for (size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + std::to_string(values[i]);
    return out + (values.size() == 1 ? ",)" : ")");
}

std::string pythonFloat(double value)
{
    // Python's float repr: the shortest digits that round-trip, positional for exponents in
    // [-4, 16), else scientific with at least two exponent digits ("1e-05").
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    if (std::isnan(value))
        return "nan";
    char buf[64];
    for (int precision = 0; precision <= 16; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*e", precision, value);
        if (std::strtod(buf, nullptr) == value)
            break;
    }
    std::string s = buf;
    const bool negative = s[0] == '-';
    if (negative)
        s.erase(0, 1);
    const size_t e = s.find('e');
    const int exponent = std::atoi(s.c_str() + e + 1);
    std::string digits;
    for (size_t i = 0; i < e; ++i)
        if (s[i] != '.')
            digits += s[i];
    while (digits.size() > 1 && digits.back() == '0')
        digits.pop_back();
    std::string out;
    if (exponent >= -4 && exponent < 16) {
        if (exponent < 0) {
            out = "0." + std::string(-exponent - 1, '0') + digits;
        } else if (static_cast<int>(digits.size()) <= exponent + 1) {
            out = digits + std::string(exponent + 1 - digits.size(), '0') + ".0";
        } else {
            out = digits.substr(0, exponent + 1) + "." + digits.substr(exponent + 1);
        }
    } else {
        out = digits.substr(0, 1);
        if (digits.size() > 1)
            out += "." + digits.substr(1);
        char exp[16];
        std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        out += exp;
    }
    return negative ? "-" + out : out;
}

std::string pythonBool(bool value) { return value ? "True" : "False"; }

std::string dottedName(const std::string& prefix, const std::string& name)
{
    return prefix.empty() ? name : prefix + "." + name;
}

std::vector<std::string> dottedParts(const std::string& path)
{
    std::vector<std::string> out;
    if (path.empty())
        return out;
    for (size_t start = 0;;) {
        const size_t dot = path.find('.', start);
        out.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos)
            return out;
        start = dot + 1;
    }
}

}  // namespace mx
