// The parser's shared helpers, its error rules, and parse().
#include "core/statements/parser.h"

#include <cstdio>

namespace mx::stmt::parsing {

const std::set<std::string>& keywords()
{
    static const std::set<std::string> words{
        "False", "None",   "True",    "and",      "as",     "assert", "async", "await",
        "break", "class",  "continue", "def",     "del",    "elif",   "else",  "except",
        "finally", "for",  "from",    "global",   "if",     "import", "in",    "is",
        "lambda", "nonlocal", "not",  "or",       "pass",   "raise",  "return", "try",
        "while", "with",   "yield"};
    return words;
}

ExprPtr makeExpr(Expr::Kind kind, SourcePos pos)
{
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->pos = pos;
    e->end = pos;
    return e;
}

std::string exprName(const Expr& e)
{
    switch (e.kind) {
    case Expr::Kind::Attribute: return "attribute";
    case Expr::Kind::Subscript: return "subscript";
    case Expr::Kind::Starred: return "starred";
    case Expr::Kind::Name: return "name";
    case Expr::Kind::List: return "list";
    case Expr::Kind::Tuple: return "tuple";
    case Expr::Kind::Lambda: return "lambda";
    case Expr::Kind::Call: return "function call";
    case Expr::Kind::BoolOp:
    case Expr::Kind::BinOp:
    case Expr::Kind::UnaryOp: return "expression";
    case Expr::Kind::GenExp: return "generator expression";
    case Expr::Kind::Yield: return "yield expression";
    case Expr::Kind::Await: return "await expression";
    case Expr::Kind::ListComp: return "list comprehension";
    case Expr::Kind::SetComp: return "set comprehension";
    case Expr::Kind::DictComp: return "dict comprehension";
    case Expr::Kind::Dict: return "dict literal";
    case Expr::Kind::Set: return "set display";
    case Expr::Kind::FString: return "f-string expression";
    case Expr::Kind::None: return "None";
    case Expr::Kind::True: return "True";
    case Expr::Kind::False: return "False";
    case Expr::Kind::Ellipsis: return "ellipsis";
    case Expr::Kind::Compare: return "comparison";
    case Expr::Kind::IfExp: return "conditional expression";
    case Expr::Kind::NamedExpr: return "named expression";
    default: return "literal";
    }
}

const Expr* invalidTarget(const Expr& e, TargetContext ctx)
{
    switch (e.kind) {
    case Expr::Kind::Tuple:
    case Expr::Kind::List:
        for (const ExprPtr& child : e.a)
            if (const Expr* bad = invalidTarget(*child, ctx))
                return bad;
        return nullptr;
    case Expr::Kind::Starred:
        if (ctx == TargetContext::Del)
            return &e;
        return invalidTarget(*e.a[0], ctx);
    case Expr::Kind::Name:
    case Expr::Kind::Attribute:
    case Expr::Kind::Subscript: return nullptr;
    default: return &e;
    }
}

void Parser::expectOp(const char* op)
{
    if (!isOp(op))
        invalid();
    ++p_;
}

void Parser::compileFail(const std::string& message, SourcePos pos)
{
    if (!compileError_.valid()) {
        compileError_.message = message;
        compileError_.pos = pos;
    }
}

bool Parser::startsExpression(const Token& t) const
{
    switch (t.kind) {
    case Token::Kind::Number:
    case Token::Kind::String: return true;
    case Token::Kind::Name:
        return !isKeyword(t) || t.text == "None" || t.text == "True" || t.text == "False" ||
               t.text == "not" || t.text == "lambda" || t.text == "await";
    case Token::Kind::Op:
        return t.text == "(" || t.text == "[" || t.text == "{" || t.text == "-" ||
               t.text == "+" || t.text == "~" || t.text == "...";
    default: return false;
    }
}

// Where a ',' or a closing bracket was expected inside brackets: CPython 3.11 suggests a
// missing comma when another expression starts right there.
void Parser::failExpectingComma(const Expr* last)
{
    bool follows = false;
    if (startsExpression(cur()) || (isOp("=") && startsExpression(peek()))) {
        // CPython's invalid rules parse the following expression (and so may run into the
        // end of an unclosed bracket) whether or not they then suggest a comma.
        const bool equals = isOp("=");
        follows = speculate([&] {
            if (equals)
                ++p_;
            expression();
            cur();
        }) && !equals;
    }
    if (last && cur().depth > 0 && follows) {
        const bool nameThenString = last->kind == Expr::Kind::Name &&
                                    cur().kind == Token::Kind::String;
        // CPython 3.11's _PyPegen_is_soft_keyword compares only the name's length of each
        // soft keyword, so "c", "ma", ... count as soft keywords too.
        auto prefixOf = [&](const char* word) {
            return std::string(word).compare(0, last->name.size(), last->name) == 0;
        };
        const bool softKeyword = last->kind == Expr::Kind::Name &&
                                 (prefixOf("match") || prefixOf("case") || prefixOf("_"));
        const bool disjunction = last->kind != Expr::Kind::IfExp &&
                                 last->kind != Expr::Kind::Lambda &&
                                 last->kind != Expr::Kind::Starred &&
                                 last->kind != Expr::Kind::NamedExpr;
        if (!nameThenString && !softKeyword && disjunction)
            fail("invalid syntax. Perhaps you forgot a comma?", last->pos);
    }
    invalid();
}

}  // namespace mx::stmt::parsing

namespace mx::stmt {

namespace {

// CPython decodes source as UTF-8 before tokenizing; the console gets text from Qt (valid UTF-8)
// or from tests and pastes, so it checks the same.
bool checkEncoding(const std::string& source, SyntaxIssue& issue)
{
    size_t i = 0;
    int line = 1, column = 1;
    while (i < source.size()) {
        const unsigned char c = static_cast<unsigned char>(source[i]);
        if (c == 0) {
            issue.message = "source code cannot contain null bytes";
            issue.pos = {line, column};
            return false;
        }
        int extra = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
        bool ok = extra >= 0 && i + static_cast<size_t>(extra) < source.size() + (extra == 0 ? 1 : 0);
        for (int k = 1; ok && k <= extra; ++k)
            ok = i + k < source.size() && (static_cast<unsigned char>(source[i + k]) & 0xC0) == 0x80;
        if (!ok) {
            char buf[160];
            std::snprintf(buf, sizeof buf,
                          "(unicode error) 'utf-8' codec can't decode byte 0x%02x in position %zu: %s",
                          c, i, extra < 0 ? "invalid start byte" : "invalid continuation byte");
            issue.message = buf;
            issue.pos = {line, column};
            return false;
        }
        if (c == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        i += static_cast<size_t>(extra) + 1;
    }
    return true;
}

}  // namespace

ParseResult parse(const std::string& source)
{
    ParseResult result;
    if (!checkEncoding(source, result.error))
        return result;
    const TokenStream stream = tokenize(source);
    parsing::Parser parser(stream);
    SyntaxIssue parserError;
    try {
        result.statements = parser.file();
    } catch (const parsing::Fail& f) {
        parserError = f.issue;
    }
    if (stream.error.valid()) {
        // CPython reports the tokenizer's error when the parser needed the input it stopped at.
        // When the parser failed earlier, it tokenizes the rest of the source: errors the
        // tokenizer raises itself (unterminated strings, ...) win, an unclosed bracket wins only
        // over an error on a later line, indentation errors never; "unexpected indent" skips it.
        const bool unexpectedIndent = parserError.message == "unexpected indent";
        if (!parserError.valid() || parser.reachedStop())
            result.error = stream.error;
        else if (unexpectedIndent)
            result.error = parserError;
        else if (stream.raisedByTokenizer)
            result.error = stream.error;
        else if (stream.unclosedAtEnd && parserError.pos.line > stream.error.pos.line)
            result.error = stream.error;
        else
            result.error = parserError;
    } else if (parserError.valid()) {
        result.error = parserError;
    } else if (parser.compileError().valid()) {
        result.error = parser.compileError();
    }
    if (result.error.valid())
        result.statements.clear();
    return result;
}

}  // namespace mx::stmt
