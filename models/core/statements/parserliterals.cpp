// The parser: atoms (names, numbers, strings, f-strings, parenthesized forms, displays).
#include "core/statements/parser.h"

#include <cerrno>
#include <cstdlib>

namespace mx::stmt::parsing {

ExprPtr Parser::atom()
{
    const Token& t = cur();
    const SourcePos pos = t.pos;
    switch (t.kind) {
    case Token::Kind::Name: {
        if (t.text == "None" || t.text == "True" || t.text == "False") {
            ++p_;
            auto e = makeExpr(t.text == "None" ? Expr::Kind::None
                              : t.text == "True" ? Expr::Kind::True
                                                 : Expr::Kind::False,
                              pos);
            e->end = lastEnd();
            return e;
        }
        if (isKeyword(t))
            invalid();
        auto e = makeExpr(Expr::Kind::Name, pos);
        e->name = take().text;
        e->end = lastEnd();
        return e;
    }
    case Token::Kind::Number: return number();
    case Token::Kind::String: return strings();
    case Token::Kind::Op:
        if (t.text == "(")
            return parenthesized();
        if (t.text == "[")
            return listDisplay();
        if (t.text == "{")
            return braceDisplay();
        if (t.text == "...") {
            ++p_;
            return makeExpr(Expr::Kind::Ellipsis, pos);
        }
        invalid();
    default: invalid();
    }
}

ExprPtr Parser::number()
{
    const Token& t = take();
    std::string text;
    for (char c : t.text)
        if (c != '_')
            text += c;
    const char last = static_cast<char>(::tolower(text.back()));
    if (last == 'j') {
        auto e = makeExpr(Expr::Kind::Imaginary, t.pos);
        e->floatValue = std::strtod(text.c_str(), nullptr);
        return e;
    }
    const bool prefixed = text.size() > 1 && text[0] == '0' &&
                          std::string("xXoObB").find(text[1]) != std::string::npos;
    if (!prefixed && text.find_first_of(".eE") != std::string::npos) {
        auto e = makeExpr(Expr::Kind::Float, t.pos);
        e->floatValue = std::strtod(text.c_str(), nullptr);
        e->end = t.end;
        return e;
    }
    auto e = makeExpr(Expr::Kind::Int, t.pos);
    int base = 10;
    std::string digits = text;
    if (prefixed) {
        const char k = static_cast<char>(::tolower(text[1]));
        base = k == 'x' ? 16 : k == 'o' ? 8 : 2;
        digits = text.substr(2);
    }
    errno = 0;
    const unsigned long long v = std::strtoull(digits.c_str(), nullptr, base);
    if (errno == ERANGE || v > static_cast<unsigned long long>(INT64_MAX)) {
        e->bigInt = true;
        e->strValue = text;
    } else {
        e->intValue = static_cast<int64_t>(v);
    }
    e->end = t.end;
    return e;
}

// Decodes one literal's body (escapes unless raw).
std::string Parser::decodeBody(const std::string& body, bool raw, const Token& t)
{
    if (raw)
        return body;
    std::string out;
    for (size_t i = 0; i < body.size(); ++i) {
        if (body[i] != '\\' || i + 1 >= body.size()) {
            out += body[i];
            continue;
        }
        const char c = body[++i];
        switch (c) {
        case '\n': break;
        case '\r':
            if (i + 1 < body.size() && body[i + 1] == '\n')
                ++i;
            break;
        case '\\': out += '\\'; break;
        case '\'': out += '\''; break;
        case '"': out += '"'; break;
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'v': out += '\v'; break;
        case 'x':
        case 'u':
        case 'U': {
            const size_t n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            if (i + n >= body.size()) {
                fail(std::string("(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\") +
                         c + std::string(c == 'x' ? "XX" : c == 'u' ? "XXXX" : "XXXXXXXX") + " escape",
                     t.pos);
            }
            const std::string hex = body.substr(i + 1, n);
            if (hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
                fail(std::string("(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\") +
                         c + std::string(c == 'x' ? "XX" : c == 'u' ? "XXXX" : "XXXXXXXX") + " escape",
                     t.pos);
            appendUtf8(out, static_cast<unsigned>(std::strtoul(hex.c_str(), nullptr, 16)));
            i += n;
            break;
        }
        case 'N': out += "\\N"; break;
        default:
            if (c >= '0' && c <= '7') {
                unsigned v = 0;
                size_t k = 0;
                while (k < 3 && i < body.size() && body[i] >= '0' && body[i] <= '7') {
                    v = v * 8 + static_cast<unsigned>(body[i] - '0');
                    ++i;
                    ++k;
                }
                --i;
                appendUtf8(out, v);
            } else {
                out += '\\';
                out += c;
            }
        }
    }
    return out;
}

ExprPtr Parser::strings()
{
    const SourcePos pos = cur().pos;
    bool anyF = false, anyBytes = false, anyStr = false;
    std::vector<FStringPart> parts;
    std::string joined;
    while (cur().kind == Token::Kind::String) {
        const Token& t = take();
        size_t q = t.text.find_first_of("'\"");
        std::string prefix = t.text.substr(0, q);
        std::transform(prefix.begin(), prefix.end(), prefix.begin(), ::tolower);
        const bool raw = prefix.find('r') != std::string::npos;
        const bool isF = prefix.find('f') != std::string::npos;
        const bool isBytes = prefix.find('b') != std::string::npos;
        (isBytes ? anyBytes : anyStr) = true;
        if (anyBytes && anyStr)
            fail("cannot mix bytes and nonbytes literals", t.end);
        const char quote = t.text[q];
        const size_t qlen = t.text.compare(q, 3, std::string(3, quote)) == 0 &&
                                    t.text.size() >= q + 6
                                ? 3
                                : 1;
        const std::string body = t.text.substr(q + qlen, t.text.size() - q - 2 * qlen);
        if (isF) {
            anyF = true;
            if (!joined.empty()) {
                FStringPart lit;
                lit.text = joined;
                parts.push_back(std::move(lit));
                joined.clear();
            }
            fstring(body, raw, t, parts);
        } else {
            joined += decodeBody(body, raw, t);
        }
    }
    if (anyF) {
        if (!joined.empty()) {
            FStringPart lit;
            lit.text = joined;
            parts.push_back(std::move(lit));
        }
        auto e = makeExpr(Expr::Kind::FString, pos);
        e->parts = std::move(parts);
        e->end = lastEnd();
        return e;
    }
    auto e = makeExpr(anyBytes ? Expr::Kind::Bytes : Expr::Kind::Str, pos);
    e->strValue = std::move(joined);
    e->end = lastEnd();
    return e;
}

// Splits an f-string body into literal text and {expression!conversion:spec} fields.
void Parser::fstring(const std::string& body, bool raw, const Token& t, std::vector<FStringPart>& parts)
{
    std::string literal;
    size_t i = 0;
    auto flush = [&] {
        if (!literal.empty()) {
            FStringPart lit;
            lit.text = decodeBody(literal, raw, t);
            parts.push_back(std::move(lit));
            literal.clear();
        }
    };
    while (i < body.size()) {
        const char c = body[i];
        if (c == '{' && i + 1 < body.size() && body[i + 1] == '{') {
            literal += '{';
            i += 2;
            continue;
        }
        if (c == '}' && i + 1 < body.size() && body[i + 1] == '}') {
            literal += '}';
            i += 2;
            continue;
        }
        if (c == '}')
            fail("f-string: single '}' is not allowed", t.end);
        if (c != '{') {
            literal += c;
            ++i;
            continue;
        }
        flush();
        ++i;
        parts.push_back(field(body, i, t, raw));
    }
    flush();
}

FStringPart Parser::field(const std::string& body, size_t& i, const Token& t, bool raw)
{
    // The expression runs to a top-level '!', ':', '=' (self-documenting) or '}'.
    int depth = 0;
    char quote = 0;
    const size_t start = i;
    for (; i < body.size(); ++i) {
        const char c = body[i];
        if (quote) {
            if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '(' || c == '[' || c == '{') {
            ++depth;
        } else if (c == ')' || c == ']' || c == '}') {
            if (depth == 0)
                break;
            --depth;
        } else if (depth == 0 && c == '!' && i + 1 < body.size() && body[i + 1] != '=') {
            break;
        } else if (depth == 0 && c == ':') {
            break;
        } else if (depth == 0 && c == '=' && i + 1 < body.size() && body[i + 1] != '=' &&
                   (i == start || std::string("=!<>").find(body[i - 1]) == std::string::npos)) {
            break;
        }
    }
    if (i >= body.size())
        fail("f-string: expecting '}'", t.end);
    FStringPart part;
    const std::string source = body.substr(start, i - start);
    if (source.find_first_not_of(" \t") == std::string::npos)
        fail("f-string: empty expression not allowed", t.end);
    if (body[i] == '=') {
        part.selfDocumenting = true;
        part.exprSource = source + "=";
        ++i;
    }
    ParseResult sub = parse("(" + source + ")");
    if (sub.error.valid() || sub.statements.size() != 1 ||
        sub.statements[0]->kind != Stmt::Kind::Expr)
        fail("f-string: invalid syntax", t.end);
    part.expr = std::move(sub.statements[0]->value);
    if (i < body.size() && body[i] == '!') {
        if (i + 1 >= body.size() || std::string("rsa").find(body[i + 1]) == std::string::npos)
            fail("f-string: invalid conversion character: expected 's', 'r', or 'a'", t.end);
        part.conversion = body[i + 1];
        i += 2;
    }
    if (i < body.size() && body[i] == ':') {
        ++i;
        std::string spec;
        int nested = 0;
        const size_t specStart = i;
        for (; i < body.size(); ++i) {
            if (body[i] == '{')
                ++nested;
            else if (body[i] == '}') {
                if (nested == 0)
                    break;
                --nested;
            }
        }
        spec = body.substr(specStart, i - specStart);
        fstring(spec, raw, t, part.spec);
    }
    if (i >= body.size() || body[i] != '}')
        fail("f-string: expecting '}'", t.end);
    ++i;
    return part;
}

ExprPtr Parser::parenthesized()
{
    const SourcePos pos = cur().pos;
    ++p_;
    if (isOp(")")) {
        ++p_;
        auto t = makeExpr(Expr::Kind::Tuple, pos);
        t->parenthesized = true;
        t->end = lastEnd();
        return t;
    }
    if (isKw("yield")) {
        if (functionDepth_ == 0)
            compileFail("'yield' outside function", cur().pos);
        auto y = makeExpr(Expr::Kind::Yield, cur().pos);
        const int inner = cur().depth;  // a closing bracket carries the depth after it
        while (!(isOp(")") && cur().depth == inner - 1) && cur().kind != Token::Kind::Error &&
               cur().kind != Token::Kind::End)
            ++p_;
        expectOp(")");
        return y;
    }
    ExprPtr first = isOp("*") ? starExpression() : namedExpression();
    if (isKw("for")) {
        ExprPtr g = comprehension(Expr::Kind::GenExp, std::move(first), nullptr);
        expectOp(")");
        g->pos = pos;
        g->parenthesized = true;
        return g;
    }
    if (isOp(")")) {
        ++p_;
        first->parenthesized = true;
        return first;
    }
    if (!isOp(","))
        failExpectingComma(first.get());
    auto t = makeExpr(Expr::Kind::Tuple, pos);
    t->parenthesized = true;
    t->a.push_back(std::move(first));
    while (isOp(",")) {
        ++p_;
        if (isOp(")"))
            break;
        t->a.push_back(isOp("*") ? starExpression() : namedExpression());
        if (!isOp(",") && !isOp(")"))
            failExpectingComma(t->a.back().get());
    }
    expectOp(")");
    t->end = lastEnd();
    return t;
}

ExprPtr Parser::listDisplay()
{
    const SourcePos pos = cur().pos;
    ++p_;
    auto l = makeExpr(Expr::Kind::List, pos);
    if (isOp("]")) {
        ++p_;
        return l;
    }
    ExprPtr first = isOp("*") ? starExpression() : namedExpression();
    if (isKw("for")) {
        ExprPtr c = comprehension(Expr::Kind::ListComp, std::move(first), nullptr);
        expectOp("]");
        c->pos = pos;
        return c;
    }
    l->a.push_back(std::move(first));
    while (true) {
        if (isOp("]"))
            break;
        if (!isOp(","))
            failExpectingComma(l->a.back().get());
        ++p_;
        if (isOp("]"))
            break;
        l->a.push_back(isOp("*") ? starExpression() : namedExpression());
    }
    ++p_;
    l->end = lastEnd();
    return l;
}

ExprPtr Parser::braceDisplay()
{
    const SourcePos pos = cur().pos;
    ++p_;
    if (isOp("}")) {
        ++p_;
        return makeExpr(Expr::Kind::Dict, pos);
    }
    // Dict: key ':' value or '**' mapping; set: elements.
    auto d = makeExpr(Expr::Kind::Dict, pos);
    bool isDict = false;
    ExprPtr firstKey;
    if (isOp("**")) {
        ++p_;
        isDict = true;
        d->a.push_back(nullptr);
        d->b.push_back(bitwiseOr());
    } else {
        firstKey = isOp("*") ? starExpression() : namedExpression();
        if (isOp(":")) {
            ++p_;
            isDict = true;
            ExprPtr value = expression();
            if (isKw("for")) {
                ExprPtr c = comprehension(Expr::Kind::DictComp, std::move(firstKey), std::move(value));
                expectOp("}");
                c->pos = pos;
                return c;
            }
            d->a.push_back(std::move(firstKey));
            d->b.push_back(std::move(value));
        }
    }
    if (isDict) {
        while (isOp(",")) {
            ++p_;
            if (isOp("}"))
                break;
            if (isOp("**")) {
                ++p_;
                d->a.push_back(nullptr);
                d->b.push_back(bitwiseOr());
                continue;
            }
            d->a.push_back(expression());
            expectOp(":");
            d->b.push_back(expression());
        }
        if (!isOp("}"))
            failExpectingComma(d->b.empty() ? nullptr : d->b.back().get());
        ++p_;
        d->end = lastEnd();
        return d;
    }
    if (isKw("for")) {
        ExprPtr c = comprehension(Expr::Kind::SetComp, std::move(firstKey), nullptr);
        expectOp("}");
        c->pos = pos;
        return c;
    }
    auto s = makeExpr(Expr::Kind::Set, pos);
    s->a.push_back(std::move(firstKey));
    while (isOp(",")) {
        ++p_;
        if (isOp("}"))
            break;
        s->a.push_back(isOp("*") ? starExpression() : namedExpression());
    }
    if (!isOp("}"))
        failExpectingComma(s->a.back().get());
    ++p_;
    s->end = lastEnd();
    return s;
}

}  // namespace mx::stmt::parsing
