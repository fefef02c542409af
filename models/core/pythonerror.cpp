#include "core/pythonerror.h"

#include <cstdio>

namespace mx {

namespace {

std::string pythonLine(const std::string& type, const std::string& message)
{
    return type + ": " + (type == "KeyError" ? pythonStringRepr(message) : message);
}

}  // namespace

PythonError::PythonError(std::string type, std::string message)
    : std::runtime_error(pythonLine(type, message)), type_(std::move(type)),
      message_(std::move(message))
{
}

std::string pythonStringRepr(const std::string& text)
{
    // CPython's unicode_repr: single quotes unless the text has ' and no ".
    const bool hasSingle = text.find('\'') != std::string::npos;
    const bool hasDouble = text.find('"') != std::string::npos;
    const char quote = hasSingle && !hasDouble ? '"' : '\'';
    std::string out(1, quote);
    for (unsigned char c : text) {
        if (c == quote || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);  // printable ASCII, or UTF-8 bytes kept as they are
        }
    }
    return out + quote;
}

}  // namespace mx
