#pragma once

#include "core/utf8.h"

#include <string>
#include <vector>

namespace mx::stmt {

/** A position in console source: 1-based line and 1-based column in characters (code points). */
struct SourcePos {
    int line = 1;
    int column = 1;
};

/** One token of Python source, as CPython 3.11's tokenizer splits it. */
struct Token {
    enum class Kind { Name, Number, String, Op, Newline, Indent, Dedent, End, Error };
    Kind kind = Kind::End;
    std::string text;   // the source text (for String: the literal as written, prefix and quotes included)
    SourcePos pos;      // first character
    SourcePos end;      // one past the last character
    int depth = 0;      // bracket nesting level before this token
};

/** A syntax error as CPython reports it: type ("SyntaxError", "IndentationError"), message, position. */
struct SyntaxIssue {
    std::string type = "SyntaxError";
    std::string message;
    SourcePos pos;
    bool valid() const { return !message.empty(); }
};

/** The tokens of a whole source, and the first tokenizer error (tokens stop there). */
struct TokenStream {
    std::vector<Token> tokens;  // ends with End unless `error` is set
    SyntaxIssue error;
    /** Set when the error is "'(' was never closed": where that bracket opened. */
    bool unclosedAtEnd = false;
    /** Whether CPython raises this error as soon as it tokenizes it, so that it replaces an
     *  earlier parser error (unterminated strings, invalid characters, ...); indentation errors
     *  and unclosed brackets at the end are only reported when the parser gets there. */
    bool raisedByTokenizer = false;
};

/** Tokenizes `source` (UTF-8) like CPython 3.11, with INDENT/DEDENT and implicit line joining. */
TokenStream tokenize(const std::string& source);

/** Number of code points in a UTF-8 string (Python's len of a str). */
size_t utf8Length(const std::string& text);
/** Decodes one code point at `i` (advancing i); invalid bytes come back as themselves. */
unsigned decodeUtf8(const std::string& text, size_t& i);
using mx::appendUtf8;  // core/utf8.h

}  // namespace mx::stmt
