#pragma once

#include <stdexcept>
#include <string>

namespace mx {

/**
 * An exception PyTorch would raise: PythonError("KeyError", "buffer name can't contain \".\"").
 * what() is the last line of Python's traceback: "KeyError: 'buffer name can\'t contain \".\"'"
 * (str() of a KeyError is the repr of its argument; other types print the message as is).
 */
class PythonError : public std::runtime_error {
public:
    PythonError(std::string type, std::string message);

    /** The exception class: "TypeError", "KeyError", "AttributeError", ... */
    const std::string& type() const { return type_; }
    /** The argument the exception was raised with (unquoted, even for KeyError). */
    const std::string& message() const { return message_; }

private:
    std::string type_;
    std::string message_;
};

/** Something Python allows but Module Explorer does not model (shadowing nn.Module's members). */
class UnsupportedError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/** Python's repr() of a str: 'abc', "it's", 'a\'b"c', with \\, \n, \t, \xNN escapes. */
std::string pythonStringRepr(const std::string& text);

}  // namespace mx
