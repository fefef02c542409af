#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mx::files {

/**
 * A cursor over untrusted JSON text (RFC 8259) that reads exactly the values its caller asks
 * for and throws FileFormatError at the first malformed byte. Strings must be valid UTF-8
 * (overlong forms, surrogates and lone \uD800 escapes are refused); values skipped with
 * skipValue() may nest at most kMaxDepth deep, without recursion. Errors are one line:
 * "<context>: <problem> at byte <offset>".
 */
class JsonCursor {
public:
    static constexpr int kMaxDepth = 64;

    JsonCursor(std::string_view text, std::string context);

    /** The next non-whitespace byte; throws at the end of the text. */
    char peek();
    /** Consumes `c` (after whitespace) or throws naming what was expected. */
    void expect(char c, const char* what);
    /** Consumes `c` (after whitespace) if it is next. */
    bool consumeIf(char c);
    std::string readString();
    /** A JSON number without sign, fraction or exponent that fits in 64 bits. */
    uint64_t readUnsigned(const char* what);
    /** Consumes `null` if it is next. */
    bool consumeNull();
    /** Skips one value of any kind and returns its text. */
    std::string_view skipValue();
    /** Throws unless only whitespace is left. */
    void expectEnd();
    /**
     * Reads an object: after '{', for each member calls onKey(key), which must consume the
     * member's value, until '}'. Commas and colons are checked here.
     */
    template <typename OnKey>
    void readObject(const char* what, OnKey onKey);
    /** Reads an array: for each element calls onElement(index), which must consume it. */
    template <typename OnElement>
    void readArray(const char* what, OnElement onElement);

    size_t position() const { return pos_; }
    [[noreturn]] void fail(const std::string& problem) const;

private:
    void skipWhitespace();
    void skipNumber();
    void skipLiteral(std::string_view word);
    void appendEscape(std::string& out);
    void appendUtf8Sequence(std::string& out);

    std::string_view text_;
    std::string context_;
    size_t pos_ = 0;
};

/** `text` in double quotes for an error message: control bytes escaped, long text shortened. */
std::string quotedForMessage(std::string_view text);

template <typename OnKey>
void JsonCursor::readObject(const char* what, OnKey onKey)
{
    expect('{', what);
    if (consumeIf('}'))
        return;
    do {
        if (peek() != '"')
            fail(std::string("expected a quoted key in ") + what);
        const std::string key = readString();
        expect(':', "':' after an object key");
        onKey(key);
    } while (consumeIf(','));
    expect('}', "',' or '}' in an object");
}

template <typename OnElement>
void JsonCursor::readArray(const char* what, OnElement onElement)
{
    expect('[', what);
    if (consumeIf(']'))
        return;
    size_t index = 0;
    do {
        onElement(index++);
    } while (consumeIf(','));
    expect(']', "',' or ']' in an array");
}

}  // namespace mx::files
