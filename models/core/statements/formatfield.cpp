// format(value, spec) and f-string fields: Python's format-spec mini-language.
#include "core/statements/interpreter.h"

#include "core/formatting.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/resourcebudget.h"
#include "core/statements/budget.h"
#include "core/statements/interpreterhelpers.h"
#include "core/statements/tensorops.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <set>
#include <string_view>

namespace mx::stmt {

// format(value, spec) for the format-spec mini-language on str, int, float and bool.
std::string Interpreter::formatField(const ValuePtr& value, const std::string& spec)
{
    if (spec.empty())
        return toStr(*value);
    ValuePtr v = value;
    if (v->kind == Value::Kind::Tensor) {
        if (v->tensor.numel() == 1 && v->tensor.shape().empty())
            v = scalarValue(tensors::item(v->tensor));
        else
            typeError("unsupported format string passed to Tensor.__format__");
    }
    if (!isNumber(*v) && v->kind != Value::Kind::Str)
        typeError("unsupported format string passed to " + typeShortName(*v) + ".__format__");
    // [[fill]align][sign][#][0][width][grouping][.precision][type]
    size_t i = 0;
    std::string fill = " ";
    char align = 0;
    {
        size_t j = 0;
        decodeUtf8(spec, j);
        if (j < spec.size() && std::string("<>=^").find(spec[j]) != std::string::npos) {
            fill = spec.substr(0, j);
            align = spec[j];
            i = j + 1;
        } else if (!spec.empty() && std::string("<>=^").find(spec[0]) != std::string::npos) {
            align = spec[0];
            i = 1;
        }
    }
    char sign = '-';
    if (i < spec.size() && (spec[i] == '+' || spec[i] == '-' || spec[i] == ' '))
        sign = spec[i++];
    bool alternate = false;
    if (i < spec.size() && spec[i] == '#') {
        alternate = true;
        ++i;
    }
    if (i < spec.size() && spec[i] == '0') {
        if (!align) {
            fill = "0";
            align = '=';
        }
        ++i;
    }
    // Widths and precisions saturate instead of overflowing; Python's limits are below.
    auto number = [&]() {
        int64_t n = 0;
        while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i]))) {
            if (n > (INT64_MAX - 9) / 10)
                throw PythonError("ValueError", "Too many decimal digits in format string");
            n = n * 10 + (spec[i++] - '0');
        }
        return n;
    };
    const int64_t width = number();
    char grouping = 0;
    if (i < spec.size() && (spec[i] == ',' || spec[i] == '_'))
        grouping = spec[i++];
    int64_t precision = -1;
    if (i < spec.size() && spec[i] == '.') {
        ++i;
        precision = number();
    }
    char type = 0;
    if (i < spec.size())
        type = spec[i++];
    if (i != spec.size())
        throw PythonError("ValueError", "Invalid format specifier");
    std::string body;
    std::string prefix;  // '#': 0x, 0X, 0o, 0b before the digits (after the sign)
    bool negative = false;
    if (v->kind == Value::Kind::Str) {
        if (alternate)
            throw PythonError("ValueError", "Alternate form (#) not allowed in string format specifier");
        if (type && type != 's')
            throw PythonError("ValueError", std::string("Unknown format code '") + type +
                                                "' for object of type 'str'");
        if (sign != '-')
            throw PythonError("ValueError", "Sign not allowed in string format specifier");
        if (align == '=')
            throw PythonError("ValueError", "'=' alignment not allowed in string format specifier");
        body = v->s;
        if (precision >= 0) {
            size_t k = 0, n = 0;
            while (k < body.size() && static_cast<int64_t>(n) < precision) {
                decodeUtf8(body, k);
                ++n;
            }
            body = body.substr(0, k);
        }
        if (!align)
            align = '<';
    } else {
        const bool integral = isIntLike(*v) && (!type || std::string("dxXobcn").find(type) != std::string::npos);
        if (integral) {
            if (precision >= 0)
                throw PythonError("ValueError", "Precision not allowed in integer format specifier");
            if (v->kind == Value::Kind::Bool && !type) {
                body = v->b ? "True" : "False";
            } else {
                const int64_t x = intOf(*v);
                negative = x < 0;
                const uint64_t mag = negative ? 0 - static_cast<uint64_t>(x) : static_cast<uint64_t>(x);
                char buf[80];
                if (type == 'x' || type == 'X' || type == 'o' || type == 'b') {
                    if (alternate)
                        prefix = std::string("0") + type;
                    if (type == 'b') {
                        std::string bits;
                        uint64_t m = mag;
                        do {
                            bits.insert(bits.begin(), static_cast<char>('0' + (m & 1)));
                            m >>= 1;
                        } while (m);
                        body = bits;
                    } else {
                        std::snprintf(buf, sizeof buf, type == 'x' ? "%llx" : type == 'X' ? "%llX" : "%llo",
                                      static_cast<unsigned long long>(mag));
                        body = buf;
                    }
                } else if (type == 'c') {
                    body.clear();
                    appendUtf8(body, static_cast<unsigned>(mag));
                } else {
                    body = std::to_string(mag);
                }
            }
        } else {
            if (type && std::string("eEfFgG%").find(type) == std::string::npos)
                throw PythonError("ValueError", std::string("Unknown format code '") + type +
                                                    "' for object of type '" + typeShortName(*v) + "'");
            if (alternate)
                unsupported("'#' (alternate form) in float format specs");
            double x = floatOf(*v);
            negative = std::signbit(x) && !std::isnan(x);
            x = std::fabs(x);
            if (precision > INT_MAX)
                throw PythonError("ValueError", "precision too big");
            const int p = precision < 0 ? 6 : static_cast<int>(precision);
            // Long precisions count each digit as a step of the statement's budget (glibc makes
            // them one by one), and the text is reserved first.
            if (p > 4096)
                countSteps(static_cast<uint64_t>(p));
            reserveBytes(static_cast<uint64_t>(p) * 2 + 1024);
            std::string buf(static_cast<size_t>(p) + 400, '\0');  // digits + exponent + '%'
            auto printed = [&](const char* fmt, int digits, double value) {
                const int n = std::snprintf(buf.data(), buf.size(), fmt, digits, value);
                if (n >= static_cast<int>(buf.size())) {  // %f of 1e308: the integer part is long
                    buf.assign(static_cast<size_t>(n) + 1, '\0');
                    std::snprintf(buf.data(), buf.size(), fmt, digits, value);
                }
                return std::string(buf.c_str());
            };
            if (std::isnan(x) || std::isinf(x)) {
                body = std::isnan(x) ? "nan" : "inf";
                if (type && std::isupper(static_cast<unsigned char>(type)))
                    std::transform(body.begin(), body.end(), body.begin(), ::toupper);
                if (type == '%')
                    body += "%";
            } else if (type == '%') {
                body = printed("%.*f", p, x * 100) + "%";
            } else if (type == 'f' || type == 'F' || type == 'e' || type == 'E') {
                const char fmt[] = {'%', '.', '*', type, 0};
                body = printed(fmt, p, x);
            } else if (type == 'g' || type == 'G') {
                const char fmt[] = {'%', '.', '*', type, 0};
                body = printed(fmt, p == 0 ? 1 : p, x);
            } else if (precision < 0) {
                body = pythonFloat(x);
            } else {
                body = printed("%.*g", p == 0 ? 1 : p, x);
                if (body.find_first_of(".e") == std::string::npos)
                    body += ".0";
            }
        }
        if (grouping) {
            const size_t dot = body.find_first_of(".e%");
            std::string intPart = body.substr(0, dot == std::string::npos ? body.size() : dot);
            const std::string rest = dot == std::string::npos ? "" : body.substr(dot);
            if (std::all_of(intPart.begin(), intPart.end(), ::isdigit)) {
                std::string grouped;
                for (size_t k = 0; k < intPart.size(); ++k) {
                    if (k && (intPart.size() - k) % 3 == 0)
                        grouped += grouping;
                    grouped += intPart[k];
                }
                body = grouped + rest;
            }
        }
        if (!align)
            align = '>';
    }
    const std::string signText = (negative ? "-" : (sign == '+' ? "+" : sign == ' ' ? " " : "")) + prefix;
    const int64_t len = static_cast<int64_t>(utf8Length(body) + signText.size());
    const int64_t padCount = std::max<int64_t>(0, width - len);
    reserveBytes(saturatingAdd(saturatingMul(static_cast<uint64_t>(padCount), fill.size()), body.size()));
    auto repeated = [&](int64_t count) {
        std::string out;
        out.reserve(static_cast<size_t>(count) * fill.size());
        for (int64_t k = 0; k < count; ++k)
            out += fill;
        return out;
    };
    const std::string pad = repeated(padCount);
    switch (align) {
    case '<': return signText + body + pad;
    case '=': return signText + pad + body;
    case '^': return repeated(padCount / 2) + signText + body + repeated(padCount - padCount / 2);
    default: return pad + signText + body;
    }
}

}  // namespace mx::stmt
