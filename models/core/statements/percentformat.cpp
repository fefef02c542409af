// `'...' % values`: printf-style string formatting (Python's str.__mod__), each conversion
// rewritten as the format() spec that prints the same and formatted by formatField.

#include "core/pythonerror.h"
#include "core/statements/interpreter.h"
#include "core/statements/tensorops.h"

#include <cmath>

namespace mx::stmt {

namespace {

bool isRealNumber(const Value& v)
{
    return v.kind == Value::Kind::Int || v.kind == Value::Kind::Float || v.kind == Value::Kind::Bool;
}

// A one-element tensor as Python's __int__ / __float__ see it, other values unchanged.
ValuePtr scalarOf(const ValuePtr& v)
{
    return v->kind == Value::Kind::Tensor && v->tensor.numel() == 1 ? scalarValue(tensors::item(v->tensor)) : v;
}

}  // namespace

ValuePtr Interpreter::percentFormat(const std::string& format, const ValuePtr& values)
{
    if (values->kind == Value::Kind::Dict)
        unsupported("'%'-formatting with a mapping (%(name)s)");
    const std::vector<ValuePtr> args =
        values->kind == Value::Kind::Tuple ? values->items : std::vector<ValuePtr>{values};
    size_t next = 0;
    std::string out;
    for (size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%') {
            out += format[i];
            continue;
        }
        if (++i >= format.size())
            throw PythonError("ValueError", "incomplete format");
        if (format[i] == '%') {
            out += '%';
            continue;
        }
        if (format[i] == '(')
            unsupported("'%'-formatting with a mapping (%(name)s)");
        bool left = false, zero = false, alternate = false;
        char sign = 0;
        for (; i < format.size() && std::string("-0+ #").find(format[i]) != std::string::npos; ++i) {
            switch (format[i]) {
            case '-': left = true; break;
            case '0': zero = true; break;
            case '#': alternate = true; break;
            default: sign = sign == '+' ? '+' : format[i];
            }
        }
        std::string width, precision;
        for (; i < format.size() && std::isdigit(static_cast<unsigned char>(format[i])); ++i)
            width += format[i];
        if (i < format.size() && format[i] == '*')
            unsupported("'%'-formatting with '*' widths");
        if (i < format.size() && format[i] == '.') {
            precision = ".";
            for (++i; i < format.size() && std::isdigit(static_cast<unsigned char>(format[i])); ++i)
                precision += format[i];
            if (precision == ".")
                precision = ".0";
        }
        for (; i < format.size() && (format[i] == 'l' || format[i] == 'h' || format[i] == 'L'); ++i) {
        }
        if (i >= format.size())
            throw PythonError("ValueError", "incomplete format");
        const char type = format[i];
        if (next >= args.size())
            typeError("not enough arguments for format string");
        ValuePtr arg = args[next++];
        std::string spec;
        if (type == 's' || type == 'r' || type == 'a') {
            if (type == 'a')
                unsupported("'%a' formatting");
            arg = str(type == 's' ? toStr(*arg) : repr(*arg));
            spec = std::string(left ? "<" : ">") + width + precision;
        } else if (std::string("diuxXofFeEgG").find(type) != std::string::npos) {
            arg = scalarOf(arg);
            const bool integral = std::string("diuxXo").find(type) != std::string::npos;
            if (!isRealNumber(*arg)) {
                if (integral && type != 'd' && type != 'i' && type != 'u')
                    typeError(std::string("%") + type + " format: an integer is required, not " +
                              typeShortName(*arg));
                typeError(integral ? std::string("%") + type + " format: a real number is required, not " +
                                         typeShortName(*arg)
                                   : "must be real number, not " + typeShortName(*arg));
            }
            if (integral) {
                if (arg->kind == Value::Kind::Float) {
                    if (type != 'd' && type != 'i' && type != 'u')
                        typeError(std::string("%") + type + " format: an integer is required, not float");
                    if (!std::isfinite(arg->f))
                        unsupported("'%d' of an infinite or NaN float");
                    arg = integer(static_cast<int64_t>(std::trunc(arg->f)));
                } else if (arg->kind == Value::Kind::Bool) {
                    arg = integer(arg->b ? 1 : 0);
                }
                if (!precision.empty())
                    unsupported("a precision in integer '%'-formatting");
            } else if (arg->kind != Value::Kind::Float) {
                arg = floating(arg->kind == Value::Kind::Bool ? (arg->b ? 1.0 : 0.0) : static_cast<double>(arg->i));
            }
            const char formatType = type == 'i' || type == 'u' ? 'd' : type;
            if (!integral && precision.empty())
                precision = ".6";
            spec = std::string(left ? "<" : "") + (sign ? std::string(1, sign) : std::string()) +
                   (alternate ? "#" : "") + (zero && !left ? "0" : "") + width + precision + formatType;
        } else if (type == 'c') {
            unsupported("'%c' formatting");
        } else {
            throw PythonError("ValueError", std::string("unsupported format character '") + type + "' (0x" +
                                                [&] {
                                                    char hex[8];
                                                    std::snprintf(hex, sizeof hex, "%x",
                                                                  static_cast<unsigned char>(type));
                                                    return std::string(hex);
                                                }() +
                                                ") at index " + std::to_string(i));
        }
        out += formatField(arg, spec);
    }
    if (next < args.size())
        typeError("not all arguments converted during string formatting");
    return str(std::move(out));
}

}  // namespace mx::stmt
