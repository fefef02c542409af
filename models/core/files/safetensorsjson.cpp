#include "core/files/safetensorsjson.h"

#include "core/files/fileerror.h"
#include "core/utf8.h"

namespace mx::files {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

}  // namespace

JsonCursor::JsonCursor(std::string_view text, std::string context)
    : text_(text), context_(std::move(context))
{
}

void JsonCursor::fail(const std::string& problem) const
{
    throw FileFormatError(context_ + ": " + problem + " at byte " + std::to_string(pos_));
}

void JsonCursor::skipWhitespace()
{
    while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return;
        ++pos_;
    }
}

char JsonCursor::peek()
{
    skipWhitespace();
    if (pos_ >= text_.size())
        fail("unexpected end of the JSON text");
    return text_[pos_];
}

void JsonCursor::expect(char c, const char* what)
{
    if (peek() != c)
        fail(std::string("expected ") + what + ", found " + quotedForMessage(text_.substr(pos_, 1)));
    ++pos_;
}

bool JsonCursor::consumeIf(char c)
{
    skipWhitespace();
    if (pos_ < text_.size() && text_[pos_] == c) {
        ++pos_;
        return true;
    }
    return false;
}

bool JsonCursor::consumeNull()
{
    skipWhitespace();
    if (text_.substr(pos_, 4) != "null")
        return false;
    skipLiteral("null");
    return true;
}

void JsonCursor::expectEnd()
{
    skipWhitespace();
    if (pos_ != text_.size())
        fail("unexpected text after the JSON value");
}

std::string JsonCursor::readString()
{
    expect('"', "a string");
    std::string out;
    for (;;) {
        if (pos_ >= text_.size())
            fail("unterminated string");
        const auto byte = static_cast<unsigned char>(text_[pos_]);
        if (byte == '"') {
            ++pos_;
            return out;
        }
        if (byte == '\\') {
            appendEscape(out);
        } else if (byte < 0x20) {
            fail("control character in a string");
        } else if (byte < 0x80) {
            out += static_cast<char>(byte);
            ++pos_;
        } else {
            appendUtf8Sequence(out);
        }
    }
}

void JsonCursor::appendEscape(std::string& out)
{
    ++pos_;  // the backslash
    if (pos_ >= text_.size())
        fail("unterminated escape");
    const char c = text_[pos_++];
    switch (c) {
    case '"': out += '"'; return;
    case '\\': out += '\\'; return;
    case '/': out += '/'; return;
    case 'b': out += '\b'; return;
    case 'f': out += '\f'; return;
    case 'n': out += '\n'; return;
    case 'r': out += '\r'; return;
    case 't': out += '\t'; return;
    case 'u': break;
    default: --pos_; fail("invalid escape in a string");
    }
    auto readHex4 = [this]() {
        if (text_.size() - pos_ < 4)
            fail("truncated \\u escape");
        uint32_t value = 0;
        for (int i = 0; i < 4; ++i) {
            const int digit = hexValue(text_[pos_ + i]);
            if (digit < 0)
                fail("invalid hex digit in a \\u escape");
            value = value * 16 + static_cast<uint32_t>(digit);
        }
        pos_ += 4;
        return value;
    };
    uint32_t cp = readHex4();
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        fail("lone low surrogate in a \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (text_.substr(pos_, 2) != "\\u")
            fail("high surrogate not followed by a low surrogate");
        pos_ += 2;
        const uint32_t low = readHex4();
        if (low < 0xDC00 || low > 0xDFFF)
            fail("high surrogate not followed by a low surrogate");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    appendUtf8(out, cp);
}

void JsonCursor::appendUtf8Sequence(std::string& out)
{
    const auto lead = static_cast<unsigned char>(text_[pos_]);
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0)
            low = 0xA0;  // no overlong forms
        if (lead == 0xED)
            high = 0x9F;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0)
            low = 0x90;
        if (lead == 0xF4)
            high = 0x8F;  // nothing above U+10FFFF
    } else {
        fail("invalid UTF-8 in a string");
    }
    if (text_.size() - pos_ < length)
        fail("truncated UTF-8 sequence in a string");
    for (size_t i = 1; i < length; ++i) {
        const auto byte = static_cast<unsigned char>(text_[pos_ + i]);
        const unsigned char min = i == 1 ? low : 0x80;
        const unsigned char max = i == 1 ? high : 0xBF;
        if (byte < min || byte > max)
            fail("invalid UTF-8 in a string");
    }
    out.append(text_.substr(pos_, length));
    pos_ += length;
}

uint64_t JsonCursor::readUnsigned(const char* what)
{
    const char first = peek();
    if (!isDigit(first))
        fail(std::string("expected a non-negative integer for ") + what);
    const size_t start = pos_;
    uint64_t value = 0;
    while (pos_ < text_.size() && isDigit(text_[pos_])) {
        const auto digit = static_cast<uint64_t>(text_[pos_] - '0');
        if (value > (UINT64_MAX - digit) / 10)
            fail(std::string("integer too large for ") + what);
        value = value * 10 + digit;
        ++pos_;
    }
    if (first == '0' && pos_ - start > 1)
        fail(std::string("leading zero in the integer for ") + what);
    if (pos_ < text_.size() && (text_[pos_] == '.' || text_[pos_] == 'e' || text_[pos_] == 'E'))
        fail(std::string("expected an integer without fraction or exponent for ") + what);
    return value;
}

void JsonCursor::skipNumber()
{
    auto skipDigits = [this]() {
        const size_t start = pos_;
        while (pos_ < text_.size() && isDigit(text_[pos_]))
            ++pos_;
        if (pos_ == start)
            fail("malformed number");
        return pos_ - start;
    };
    if (text_[pos_] == '-')
        ++pos_;
    const bool leadingZero = pos_ < text_.size() && text_[pos_] == '0';
    if (skipDigits() > 1 && leadingZero)
        fail("leading zero in a number");
    if (pos_ < text_.size() && text_[pos_] == '.') {
        ++pos_;
        skipDigits();
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
        ++pos_;
        if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-'))
            ++pos_;
        skipDigits();
    }
}

void JsonCursor::skipLiteral(std::string_view word)
{
    if (text_.substr(pos_, word.size()) != word)
        fail("unexpected character " + quotedForMessage(text_.substr(pos_, 1)));
    pos_ += word.size();
}

std::string_view JsonCursor::skipValue()
{
    skipWhitespace();
    const size_t start = pos_;
    char open[kMaxDepth];  // the '{' or '[' of each container still open
    int depth = 0;
    for (;;) {
        // One value starts here.
        const char c = peek();
        bool valueComplete = true;
        if (c == '{' || c == '[') {
            if (depth == kMaxDepth)
                fail("JSON nested deeper than " + std::to_string(kMaxDepth) + " levels");
            ++pos_;
            if (consumeIf(c == '{' ? '}' : ']')) {
                valueComplete = true;
            } else {
                open[depth++] = c;
                if (c == '{') {
                    if (peek() != '"')
                        fail("expected a quoted key in an object");
                    readString();
                    expect(':', "':' after an object key");
                }
                valueComplete = false;
            }
        } else if (c == '"') {
            readString();
        } else if (c == '-' || isDigit(c)) {
            skipNumber();
        } else if (c == 't') {
            skipLiteral("true");
        } else if (c == 'f') {
            skipLiteral("false");
        } else {
            skipLiteral("null");
        }
        // After a complete value: close finished containers, or move to the next element.
        while (valueComplete) {
            if (depth == 0)
                return text_.substr(start, pos_ - start);
            const char container = open[depth - 1];
            if (consumeIf(',')) {
                if (container == '{') {
                    if (peek() != '"')
                        fail("expected a quoted key in an object");
                    readString();
                    expect(':', "':' after an object key");
                }
                break;
            }
            expect(container == '{' ? '}' : ']', container == '{' ? "',' or '}' in an object"
                                                                   : "',' or ']' in an array");
            --depth;
        }
    }
}

std::string quotedForMessage(std::string_view text)
{
    constexpr size_t kMaxShown = 120;
    const bool shortened = text.size() > kMaxShown;
    if (shortened) {
        size_t cut = kMaxShown;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
            --cut;  // do not split a UTF-8 sequence
        text = text.substr(0, cut);
    }
    static const char* hex = "0123456789abcdef";
    std::string out = "\"";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (byte < 0x20 || byte == 0x7F) {
            out += "\\x";
            out += hex[byte >> 4];
            out += hex[byte & 0xF];
        } else {
            out += c;
        }
    }
    out += shortened ? "\"..." : "\"";
    return out;
}

}  // namespace mx::files
