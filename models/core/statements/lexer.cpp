#include "core/statements/lexer.h"

#include <algorithm>
#include <cstdio>

namespace mx::stmt {

size_t utf8Length(const std::string& text)
{
    size_t n = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80)
            ++n;
    return n;
}

unsigned decodeUtf8(const std::string& text, size_t& i)
{
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (extra == 0) {
        ++i;
        return c;
    }
    unsigned cp = c & (0x3F >> extra);
    size_t j = i + 1;
    for (int k = 0; k < extra; ++k, ++j) {
        if (j >= text.size() || (static_cast<unsigned char>(text[j]) & 0xC0) != 0x80) {
            ++i;
            return c;
        }
        cp = (cp << 6) | (static_cast<unsigned char>(text[j]) & 0x3F);
    }
    i = j;
    return cp;
}

namespace {

bool isAsciiIdentStart(unsigned c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isDigit(unsigned c) { return c >= '0' && c <= '9'; }

// Code points Python rejects in identifiers that students type by accident: the punctuation of
// Chinese / full-width keyboards and Latin-1 symbols. Everything else non-ASCII counts as a letter
// (an approximation of XID_Start / XID_Continue that accepts CJK identifiers).
bool isInvalidCharacter(unsigned c)
{
    if (c < 0x80)
        return false;
    return (c >= 0x80 && c <= 0xBF) || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x206F) ||
           (c >= 0x2190 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF0F) ||
           (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
           (c >= 0xFF5B && c <= 0xFF65) || (c >= 0xFFE0 && c <= 0xFFEF);
}

bool isIdentStart(unsigned c) { return isAsciiIdentStart(c) || (c >= 0x80 && !isInvalidCharacter(c)); }
bool isIdentChar(unsigned c) { return isIdentStart(c) || isDigit(c); }

const char* const kOperators[] = {
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "==", "!=", "<=", ">=", "+=", "-=",
    "*=",  "/=",  "%=",  "&=",  "|=",  "^=", "@=", "<<", ">>", "+",  "-",  "*",  "/",  "%",  "@",
    "&",   "|",   "^",   "~",   "<",   ">",  "(",  ")",  "[",  "]",  "{",  "}",  ",",  ":",  ".",
    ";",   "="};

class Lexer {
public:
    explicit Lexer(const std::string& source) : src_(source) {}

    TokenStream run()
    {
        indents_.push_back(0);
        while (!out_.error.valid()) {
            if (atLineStart_ && brackets_.empty()) {
                if (!lineStart())
                    break;
                continue;
            }
            if (i_ >= src_.size()) {
                finish();
                break;
            }
            const char c = src_[i_];
            if (c == ' ' || c == '\t' || c == '\f') {
                advance();
            } else if (c == '#') {
                commentStart_ = here();
                hasComment_ = true;
                while (i_ < src_.size() && src_[i_] != '\n' && src_[i_] != '\r')
                    advance();
            } else if (c == '\\' && nextIsNewline(i_ + 1)) {
                advance();
                newline();
                atLineStart_ = false;
            } else if (c == '\\') {
                advance();
                if (i_ >= src_.size())
                    fail("unexpected EOF while parsing", here());
                else
                    fail("unexpected character after line continuation character", here());
                out_.raisedByTokenizer = false;  // CPython's E_EOF / E_LINECONT: no exception yet
            } else if (c == '\n' || c == '\r') {
                if (brackets_.empty()) {
                    const SourcePos at = hasComment_ ? commentStart_ : here();
                    emit(Token::Kind::Newline, "\n", at, at);
                }
                newline();
            } else {
                token();
            }
        }
        return std::move(out_);
    }

private:
    SourcePos here() const { return {line_, col_}; }

    bool nextIsNewline(size_t at) const
    {
        return at < src_.size() && (src_[at] == '\n' || src_[at] == '\r');
    }

    unsigned peekCp(size_t at) const
    {
        if (at >= src_.size())
            return 0;
        size_t j = at;
        return decodeUtf8(src_, j);
    }

    // Advances over one code point.
    unsigned advance()
    {
        const unsigned cp = decodeUtf8(src_, i_);
        ++col_;
        return cp;
    }

    void newline()
    {
        if (src_[i_] == '\r' && i_ + 1 < src_.size() && src_[i_ + 1] == '\n')
            ++i_;
        ++i_;
        ++line_;
        col_ = 1;
        lineBegin_ = i_;
        hasComment_ = false;
        atLineStart_ = brackets_.empty();  // inside brackets, lines join (no indentation)
    }

    void emit(Token::Kind kind, std::string text, SourcePos pos, SourcePos end)
    {
        Token t;
        t.kind = kind;
        t.text = std::move(text);
        t.pos = pos;
        t.end = end;
        t.depth = static_cast<int>(brackets_.size());
        out_.tokens.push_back(std::move(t));
        if (kind != Token::Kind::Newline && kind != Token::Kind::Indent &&
            kind != Token::Kind::Dedent) {
            lineHasTokens_ = true;
            atLineStart_ = false;
        }
        if (kind == Token::Kind::Newline)
            lineHasTokens_ = false;
    }

    void fail(const std::string& message, SourcePos pos, const std::string& type = "SyntaxError")
    {
        out_.error.type = type;
        out_.error.message = message;
        out_.error.pos = pos;
        out_.raisedByTokenizer = type == "SyntaxError";
    }

    // Length in code points of the current physical line.
    int lineLength() const
    {
        const size_t start = lineBegin_;
        size_t end = src_.find('\n', start);
        if (end == std::string::npos)
            end = src_.size();
        std::string line = src_.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        return static_cast<int>(utf8Length(line));
    }

    // Indentation at the start of a logical line; false at the end of input.
    bool lineStart()
    {
        int width = 0;
        int chars = 0;
        while (i_ < src_.size() && (src_[i_] == ' ' || src_[i_] == '\t' || src_[i_] == '\f')) {
            width = src_[i_] == '\t' ? (width / 8 + 1) * 8 : src_[i_] == '\f' ? 0 : width + 1;
            ++chars;
            advance();
        }
        if (i_ >= src_.size()) {
            finish();
            return false;
        }
        const char c = src_[i_];
        if (c == '#' || c == '\n' || c == '\r') {  // blank or comment-only line
            while (i_ < src_.size() && src_[i_] != '\n' && src_[i_] != '\r')
                advance();
            if (i_ < src_.size())
                newline();
            return true;
        }
        if (c == '\\' && nextIsNewline(i_ + 1)) {
            advance();
            newline();
            atLineStart_ = false;
            return true;
        }
        atLineStart_ = false;
        if (width > indents_.back()) {
            if (indents_.size() >= 100) {  // CPython's MAXINDENT
                fail("too many levels of indentation", {line_, chars}, "IndentationError");
                return false;
            }
            indents_.push_back(width);
            emit(Token::Kind::Indent, "", {line_, chars}, here());
        } else if (width < indents_.back()) {
            while (width < indents_.back()) {
                indents_.pop_back();
                emit(Token::Kind::Dedent, "", here(), here());
            }
            if (width != indents_.back()) {
                fail("unindent does not match any outer indentation level",
                     {line_, lineLength() + 1}, "IndentationError");
                return false;
            }
        }
        return true;
    }

    void finish()
    {
        if (!brackets_.empty()) {
            const Open& open = brackets_.back();
            fail(std::string("'") + open.ch + "' was never closed", open.pos);
            out_.unclosedAtEnd = true;
            out_.raisedByTokenizer = false;
            return;
        }
        if (lineHasTokens_) {
            const SourcePos at = hasComment_ ? commentStart_ : here();
            emit(Token::Kind::Newline, "", at, at);
        }
        while (indents_.size() > 1) {
            indents_.pop_back();
            emit(Token::Kind::Dedent, "", here(), here());
        }
        emit(Token::Kind::End, "", here(), here());
    }

    void token()
    {
        const SourcePos start = here();
        const size_t begin = i_;
        const unsigned cp = peekCp(i_);
        if (isIdentStart(cp)) {
            while (i_ < src_.size() && isIdentChar(peekCp(i_)))
                advance();
            std::string word = src_.substr(begin, i_ - begin);
            std::string lower = word;
            std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
            static const char* const prefixes[] = {"r", "u", "b", "f", "br", "rb", "fr", "rf"};
            const bool quote = i_ < src_.size() && (src_[i_] == '\'' || src_[i_] == '"');
            if (quote && std::find_if(std::begin(prefixes), std::end(prefixes), [&](const char* p) {
                             return lower == p;
                         }) != std::end(prefixes)) {
                string(begin, start);
                return;
            }
            emit(Token::Kind::Name, word, start, here());
            return;
        }
        if (isDigit(cp) || (cp == '.' && isDigit(peekCp(i_ + 1)))) {
            number(begin, start);
            return;
        }
        if (cp == '\'' || cp == '"') {
            string(begin, start);
            return;
        }
        if (isInvalidCharacter(cp)) {
            char buf[64];
            std::snprintf(buf, sizeof buf, " (U+%04X)", cp);
            std::string ch;
            appendUtf8(ch, cp);
            fail("invalid character '" + ch + "'" + buf, start);
            return;
        }
        for (const char* op : kOperators) {
            const size_t n = std::char_traits<char>::length(op);
            if (src_.compare(i_, n, op) == 0) {
                for (size_t k = 0; k < n; ++k)
                    advance();
                const char c = op[0];
                if (n == 1 && (c == '(' || c == '[' || c == '{')) {
                    if (brackets_.size() >= 200) {  // CPython's MAXLEVEL
                        fail("too many nested parentheses", start);
                        return;
                    }
                    emit(Token::Kind::Op, op, start, here());
                    brackets_.push_back({c, start});
                    return;
                }
                if (n == 1 && (c == ')' || c == ']' || c == '}')) {
                    if (brackets_.empty()) {
                        fail(std::string("unmatched '") + c + "'", start);
                        return;
                    }
                    const Open open = brackets_.back();
                    const char expected = open.ch == '(' ? ')' : open.ch == '[' ? ']' : '}';
                    if (c != expected) {
                        std::string message = std::string("closing parenthesis '") + c +
                                              "' does not match opening parenthesis '" + open.ch +
                                              "'";
                        if (open.pos.line != start.line)
                            message += " on line " + std::to_string(open.pos.line);
                        fail(message, start);
                        return;
                    }
                    brackets_.pop_back();
                }
                emit(Token::Kind::Op, op, start, here());
                return;
            }
        }
        // '$', '?', '!', '`': CPython's ERRORTOKEN, which the parser reports as invalid syntax.
        advance();
        emit(Token::Kind::Error, src_.substr(begin, i_ - begin), start, here());
    }

    void digits(bool (*accept)(unsigned))
    {
        while (i_ < src_.size()) {
            const unsigned c = peekCp(i_);
            if (accept(c) || (c == '_' && i_ + 1 < src_.size() && accept(peekCp(i_ + 1))))
                advance();
            else
                break;
        }
    }

    void number(size_t begin, SourcePos start)
    {
        SourcePos lastGood = start;
        auto dec = [](unsigned c) { return isDigit(c); };
        const unsigned first = peekCp(i_);
        const unsigned second = peekCp(i_ + 1);
        if (first == '0' && (second == 'x' || second == 'X' || second == 'o' || second == 'O' ||
                             second == 'b' || second == 'B')) {
            advance();
            advance();
            const char kind = static_cast<char>(::tolower(static_cast<int>(second)));
            const char* kindName = kind == 'x' ? "hexadecimal" : kind == 'o' ? "octal" : "binary";
            bool (*accept)(unsigned) =
                kind == 'x' ? +[](unsigned c) {
                    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                }
                : kind == 'o' ? +[](unsigned c) { return c >= '0' && c <= '7'; }
                              : +[](unsigned c) { return c == '0' || c == '1'; };
            const size_t before = i_;
            digits(accept);
            if (i_ == before || (i_ < src_.size() && isIdentChar(peekCp(i_)))) {
                fail(std::string("invalid ") + kindName + " literal",
                     {line_, i_ == before ? col_ - 1 : col_ - 1});
                return;
            }
            emit(Token::Kind::Number, src_.substr(begin, i_ - begin), start, here());
            return;
        }
        bool isFloat = false;
        if (first != '.') {
            digits(dec);
        }
        const std::string intPart = src_.substr(begin, i_ - begin);
        if (i_ < src_.size() && src_[i_] == '.') {
            isFloat = true;
            advance();
            digits(dec);
        }
        lastGood = {line_, col_ - 1};
        if (i_ < src_.size() && (src_[i_] == 'e' || src_[i_] == 'E')) {
            size_t j = i_ + 1;
            if (j < src_.size() && (src_[j] == '+' || src_[j] == '-'))
                ++j;
            if (j < src_.size() && isDigit(static_cast<unsigned char>(src_[j]))) {
                isFloat = true;
                while (i_ < j)
                    advance();
                digits(dec);
                lastGood = {line_, col_ - 1};
            } else if (!keywordFollows()) {  // "2else" is 2 followed by else
                fail("invalid decimal literal", lastGood);
                return;
            }
        }
        if (i_ < src_.size() && (src_[i_] == 'j' || src_[i_] == 'J')) {
            advance();
            lastGood = {line_, col_ - 1};
        }
        if (i_ < src_.size() && src_[i_] == '_') {  // "1_" or "2.0_": at the underscore
            fail("invalid decimal literal", here());
            return;
        }
        if (i_ < src_.size() && (isIdentChar(peekCp(i_)) || peekCp(i_) >= 0x80) && !keywordFollows()) {
            fail("invalid decimal literal", lastGood);
            return;
        }
        if (!isFloat && intPart.size() > 1 && intPart[0] == '0' &&
            intPart.find_first_not_of("0_") != std::string::npos) {
            fail("leading zeros in decimal integer literals are not permitted; use an 0o prefix "
                 "for octal integers",
                 start);
            return;
        }
        emit(Token::Kind::Number, src_.substr(begin, i_ - begin), start, here());
    }

    // CPython's verify_end_of_number: a number directly followed by "and", "else", "for",
    // "if", "in", "is", "or" or "not" is only deprecated, not an error.
    bool keywordFollows() const
    {
        const std::string rest = src_.substr(i_, 4);
        auto starts = [&](const char* w) { return rest.compare(0, std::char_traits<char>::length(w), w) == 0; };
        return starts("and") || starts("else") || starts("for") || starts("if") || starts("in") ||
               starts("is") || starts("or") || starts("not");
    }

    void string(size_t begin, SourcePos start)
    {
        while (src_[i_] != '\'' && src_[i_] != '"')
            advance();  // prefix
        const char quote = src_[i_];
        const bool triple = src_.compare(i_, 3, std::string(3, quote)) == 0;
        for (int k = 0; k < (triple ? 3 : 1); ++k)
            advance();
        while (true) {
            if (i_ >= src_.size()) {
                fail(std::string(triple ? "unterminated triple-quoted string literal"
                                        : "unterminated string literal") +
                         " (detected at line " + std::to_string(line_) + ")",
                     start);
                return;
            }
            const char c = src_[i_];
            if (c == '\\') {
                advance();
                if (i_ < src_.size()) {
                    if (nextIsNewline(i_)) {
                        newline();
                        atLineStart_ = false;
                    } else {
                        advance();
                    }
                }
                continue;
            }
            if (c == '\n' || c == '\r') {
                if (!triple) {
                    fail("unterminated string literal (detected at line " +
                             std::to_string(line_) + ")",
                         start);
                    return;
                }
                newline();
                atLineStart_ = false;
                continue;
            }
            if (c == quote && (!triple || src_.compare(i_, 3, std::string(3, quote)) == 0)) {
                for (int k = 0; k < (triple ? 3 : 1); ++k)
                    advance();
                break;
            }
            advance();
        }
        emit(Token::Kind::String, src_.substr(begin, i_ - begin), start, here());
    }

    struct Open {
        char ch;
        SourcePos pos;
    };

    const std::string& src_;
    size_t i_ = 0;
    size_t lineBegin_ = 0;
    int line_ = 1;
    int col_ = 1;
    bool atLineStart_ = true;
    bool lineHasTokens_ = false;
    bool hasComment_ = false;
    SourcePos commentStart_;
    std::vector<int> indents_;
    std::vector<Open> brackets_;
    TokenStream out_;
};

}  // namespace

TokenStream tokenize(const std::string& source) { return Lexer(source).run(); }

}  // namespace mx::stmt
