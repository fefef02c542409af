// The parser: blocks and compound statements (for, if, while, with, def, class).
#include "core/statements/parser.h"

namespace mx::stmt::parsing {

// A block after a compound statement's ':'.
std::vector<StmtPtr> Parser::block(const std::string& after, int headerLine)
{
    std::vector<StmtPtr> body;
    if (cur().kind == Token::Kind::Newline) {
        const Token& newline = cur();
        ++p_;
        if (cur().kind != Token::Kind::Indent) {
            // Python points at the next token: past dedents, the statement that follows.
            size_t next = p_;
            while (at(next).kind == Token::Kind::Dedent)
                ++next;
            const SourcePos where = at(next).kind == Token::Kind::End ? newline.pos
                                                                      : at(next).pos;
            fail("expected an indented block after " + after + " on line " +
                     std::to_string(headerLine),
                 where, "IndentationError");
        }
        ++p_;
        while (cur().kind != Token::Kind::Dedent && cur().kind != Token::Kind::End) {
            if (cur().kind == Token::Kind::Newline) {
                ++p_;
                continue;
            }
            statement(body);
        }
        if (cur().kind == Token::Kind::Dedent)
            ++p_;
        return body;
    }
    simpleStatements(body);
    return body;
}

void Parser::expectColonAfterHeader(bool strict)
{
    if (isOp(":")) {
        ++p_;
        return;
    }
    if (strict || cur().kind == Token::Kind::Newline)
        fail("expected ':'", cur().pos);
    invalid();
}

// star_targets for `for` loops and comprehensions: no comparisons, so `in` ends them.
ExprPtr Parser::targetList()
{
    const SourcePos pos = cur().pos;
    std::vector<ExprPtr> items;
    bool comma = false;
    items.push_back(bitwiseOrOrStar());
    while (isOp(",")) {
        comma = true;
        ++p_;
        if (isKw("in"))
            break;
        items.push_back(bitwiseOrOrStar());
    }
    if (!comma)
        return std::move(items[0]);
    auto t = makeExpr(Expr::Kind::Tuple, pos);
    t->a = std::move(items);
    t->end = lastEnd();
    return t;
}

StmtPtr Parser::forStatement()
{
    auto s = newStmt(Stmt::Kind::For, cur().pos);
    const int line = cur().pos.line;
    ++p_;
    ExprPtr target = targetList();
    if (const Expr* bad = invalidTarget(*target, TargetContext::For))
        fail("cannot assign to " + exprName(*bad), bad->pos);
    if (!isKw("in"))
        invalid();
    ++p_;
    s->targets.push_back(std::move(target));
    s->value = starExpressions();
    loopBody(*s, "'for' statement", line);
    return s;
}

StmtPtr Parser::ifStatement(const char* keyword)
{
    auto s = newStmt(Stmt::Kind::If, cur().pos);
    const int line = cur().pos.line;
    ++p_;
    s->value = namedExpression();
    expectColonAfterHeader(false);
    s->body = block(std::string("'") + keyword + "' statement", line);
    if (isKw("elif")) {
        s->orelse.push_back(ifStatement("elif"));
    } else if (isKw("else")) {
        const int elseLine = cur().pos.line;
        ++p_;
        expectColonAfterHeader(true);
        s->orelse = block("'else' statement", elseLine);
    }
    s->lastLine = lastEnd().line;
    return s;
}

// A def's parameter list: names with annotations and defaults, '*', '**', '/'. A lambda's
// list has no parentheses or annotations and ends at its ':'.
void Parser::parameters(Stmt* def, bool lambda)
{
    if (!lambda)
        expectOp("(");
    const auto atEnd = [&] { return lambda ? isOp(":") : isOp(")"); };
    const auto annotation = [&] {
        if (!lambda && isOp(":")) {
            ++p_;
            expression();
        }
    };
    bool keywordOnly = false;
    std::set<std::string> seen;
    while (!atEnd()) {
        if (lambda && (cur().kind == Token::Kind::Newline || cur().kind == Token::Kind::End ||
                       cur().kind == Token::Kind::Error))
            invalid();
        if (isOp("/") || isOp("*")) {
            const bool star = isOp("*");
            ++p_;
            keywordOnly = keywordOnly || star;
            if (star && cur().kind == Token::Kind::Name && !isKeyword(cur())) {
                if (def)
                    def->unsupportedParams = "'*" + cur().text + "' parameters";
                ++p_;
                annotation();
            } else if (!star && def) {
                def->unsupportedParams = "positional-only parameters ('/')";
            }
        } else if (isOp("**")) {
            ++p_;
            if (def)
                def->unsupportedParams = "'**' parameters";
            plainName();
            annotation();
        } else {
            const SourcePos namePos = cur().pos;
            Param param;
            param.name = plainName();
            param.keywordOnly = keywordOnly;
            if (def && !seen.insert(param.name).second)
                compileFail("duplicate argument '" + param.name + "' in function definition", namePos);
            annotation();
            if (isOp("=")) {
                ++p_;
                param.defaultValue = expression();
            } else if (def && !keywordOnly && !def->params.empty() &&
                       def->params.back().defaultValue && !def->params.back().keywordOnly) {
                fail("non-default argument follows default argument", namePos);
            }
            if (def)
                def->params.push_back(std::move(param));
        }
        if (!isOp(","))
            break;
        ++p_;
    }
    if (!lambda)
        expectOp(")");
}

// A loop's `: body` and optional `else: orelse`, after its header.
void Parser::loopBody(Stmt& s, const std::string& what, int line)
{
    expectColonAfterHeader(false);
    ++loopDepth_;
    s.body = block(what, line);
    --loopDepth_;
    if (isKw("else")) {
        const int elseLine = cur().pos.line;
        ++p_;
        expectColonAfterHeader(true);
        s.orelse = block("'else' statement", elseLine);
    }
    s.lastLine = lastEnd().line;
}

// `while cond: body else: orelse`.
StmtPtr Parser::whileStatement()
{
    auto s = newStmt(Stmt::Kind::While, cur().pos);
    const int line = cur().pos.line;
    ++p_;
    s->value = namedExpression();
    loopBody(*s, "'while' statement", line);
    return s;
}

// `with context [as target], ...: body`.
StmtPtr Parser::withStatement()
{
    auto s = newStmt(Stmt::Kind::With, cur().pos);
    const int line = cur().pos.line;
    ++p_;
    while (true) {
        ExprPtr context = expression();
        ExprPtr target;
        if (isKw("as")) {
            ++p_;
            target = bitwiseOrOrStar();
            if (const Expr* bad = invalidTarget(*target, TargetContext::Store))
                fail("cannot assign to " + exprName(*bad), bad->pos);
        }
        s->withItems.emplace_back(std::move(context), std::move(target));
        if (!isOp(","))
            break;
        ++p_;
    }
    expectColonAfterHeader(false);
    s->body = block("'with' statement", line);
    s->lastLine = lastEnd().line;
    return s;
}

// `def name(params): body` and `class name(bases): body` (no decorators).
StmtPtr Parser::definition()
{
    const SourcePos pos = cur().pos;
    const int line = pos.line;
    const bool isClass = cur().text == "class";
    auto s = newStmt(isClass ? Stmt::Kind::ClassDef : Stmt::Kind::FunctionDef, pos);
    ++p_;
    s->name = plainName();
    if (isClass) {
        if (isOp("(")) {
            ExprPtr bases = call(makeExpr(Expr::Kind::Name, cur().pos));
            for (size_t k = 1; k < bases->a.size(); ++k)  // (a[0] is the callee)
                s->targets.push_back(std::move(bases->a[k]));
            s->keywords = std::move(bases->keywords);
        }
    } else {
        parameters(s.get());
        if (isOp("->")) {
            ++p_;
            expression();
        }
    }
    expectColonAfterHeader(true);
    ++functionDepth_;
    const int loops = loopDepth_;
    loopDepth_ = 0;
    s->body = block(isClass ? "class definition" : "function definition", line);
    loopDepth_ = loops;
    --functionDepth_;
    s->lastLine = lastEnd().line;
    return s;
}

StmtPtr Parser::unsupportedCompound()
{
    auto s = newStmt(Stmt::Kind::Unsupported, cur().pos);
    while (isOp("@")) {  // decorators
        ++p_;
        namedExpression();
        if (cur().kind != Token::Kind::Newline)
            invalid();
        ++p_;
    }
    if (isKw("async"))
        ++p_;
    const int line = cur().pos.line;
    const std::string word = cur().text;
    // Decorated or async definitions, `async with`: parsed as the plain forms are.
    if (word == "def" || word == "class") {
        definition();
        s->what = word == "def" ? "decorated or async function definitions" : "decorated class definitions";
    } else if (word == "with") {
        withStatement();
        s->what = "'async with' statements";
    } else if (word == "try") {
        ++p_;
        s->what = "'try' statements";
        expectColonAfterHeader(true);
        block("'try' statement", line);
        bool any = false;
        while (isKw("except")) {
            any = true;
            const int l = cur().pos.line;
            ++p_;
            if (!isOp(":")) {
                expression();
                if (isKw("as")) {
                    ++p_;
                    plainName();
                }
            }
            expectColonAfterHeader(false);
            block("'except' statement", l);
        }
        if (isKw("else")) {
            const int l = cur().pos.line;
            ++p_;
            expectColonAfterHeader(true);
            block("'else' statement", l);
        }
        if (isKw("finally")) {
            any = true;
            const int l = cur().pos.line;
            ++p_;
            expectColonAfterHeader(true);
            block("'finally' statement", l);
        }
        if (!any)
            fail("expected 'except' or 'finally' block", cur().pos);
    } else {
        invalid();
    }
    s->lastLine = lastEnd().line;
    return s;
}

}  // namespace mx::stmt::parsing
