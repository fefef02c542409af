// The parser: simple statements (assignments, del, import, return, ...).
#include "core/statements/parser.h"

namespace mx::stmt::parsing {

void Parser::statement(std::vector<StmtPtr>& out)
{
    const Token& t = cur();
    if (t.kind == Token::Kind::Indent)
        fail("unexpected indent", t.pos, "IndentationError");
    if (t.kind == Token::Kind::Dedent || t.kind == Token::Kind::Error)
        invalid();
    if (t.kind == Token::Kind::Name) {
        if (t.text == "for") {
            out.push_back(forStatement());
            return;
        }
        if (t.text == "if") {
            out.push_back(ifStatement("if"));
            return;
        }
        if (t.text == "while") {
            out.push_back(whileStatement());
            return;
        }
        if (t.text == "def" || t.text == "class") {
            out.push_back(definition());
            return;
        }
        if (t.text == "with") {
            out.push_back(withStatement());
            return;
        }
        if (t.text == "try" || t.text == "async") {
            out.push_back(unsupportedCompound());
            return;
        }
    }
    if (isOp("@")) {
        out.push_back(unsupportedCompound());
        return;
    }
    simpleStatements(out);
}

void Parser::simpleStatements(std::vector<StmtPtr>& out)
{
    out.push_back(simpleStatement());
    while (isOp(";")) {
        ++p_;
        if (cur().kind == Token::Kind::Newline)
            break;
        out.push_back(simpleStatement());
    }
    if (cur().kind != Token::Kind::Newline) {
        // After an expression, CPython's invalid rules parse what follows before giving up:
        // running into the end of an unclosed bracket, or into a specific error, reports that.
        const Stmt::Kind last = out.back()->kind;
        if (startsExpression(cur()) && (last == Stmt::Kind::Expr || last == Stmt::Kind::Assign ||
                                        last == Stmt::Kind::AugAssign))
            speculate([&] { expression(); }, true);
        invalid();
    }
    ++p_;
}

StmtPtr Parser::newStmt(Stmt::Kind kind, SourcePos pos)
{
    auto s = std::make_unique<Stmt>();
    s->kind = kind;
    s->pos = pos;
    return s;
}

// Skips to the end of a simple statement (for statements the console does not run).
void Parser::skipSimple()
{
    while (cur().kind != Token::Kind::Newline && cur().kind != Token::Kind::End &&
           !(cur().kind == Token::Kind::Op && cur().text == ";" && cur().depth == 0)) {
        if (cur().kind == Token::Kind::Error)
            invalid();
        ++p_;
    }
}

StmtPtr Parser::simpleStatement()
{
    const Token& t = cur();
    const SourcePos pos = t.pos;
    if (t.kind == Token::Kind::Name) {
        if (t.text == "pass") {
            ++p_;
            return finish(newStmt(Stmt::Kind::Pass, pos));
        }
        if (t.text == "break" || t.text == "continue") {
            ++p_;
            if (loopDepth_ == 0)
                compileFail(t.text == "break" ? "'break' outside loop"
                                              : "'continue' not properly in loop",
                            pos);
            return finish(newStmt(t.text == "break" ? Stmt::Kind::Break : Stmt::Kind::Continue, pos));
        }
        if (t.text == "del")
            return delStatement();
        if (t.text == "import" || t.text == "from")
            return importStatement();
        if (t.text == "return" || t.text == "raise" || t.text == "global" ||
            t.text == "nonlocal" || t.text == "assert" || t.text == "yield") {
            const std::string word = t.text;
            ++p_;
            if (word == "return" && functionDepth_ == 0)
                compileFail("'return' outside function", pos);
            if (word == "return") {
                auto s = newStmt(Stmt::Kind::Return, pos);
                if (cur().kind != Token::Kind::Newline && !isOp(";"))
                    s->value = starExpressions();
                return finish(std::move(s));
            }
            if (word == "yield" && functionDepth_ == 0)
                compileFail("'yield' outside function", pos);
            if (word == "nonlocal" && functionDepth_ == 0)
                compileFail("nonlocal declaration not allowed at module level", pos);
            skipSimple();
            auto s = newStmt(Stmt::Kind::Unsupported, pos);
            s->what = "'" + word + "' statements";
            return finish(std::move(s));
        }
    }
    ExprPtr first = starExpressions();
    if (first->kind == Expr::Kind::Name && (first->name == "print" || first->name == "exec") &&
        !first->parenthesized && startsExpression(cur()) && !isOp("(")) {
        fail("Missing parentheses in call to '" + first->name + "'. Did you mean " +
                 first->name + "(...)?",
             first->pos);
    }
    if (isOp(":=") && first->kind != Expr::Kind::Name)
        walrusTarget(*first);
    if (isOp("=")) {
        checkTarget(*first, true);
        auto s = newStmt(Stmt::Kind::Assign, pos);
        std::vector<ExprPtr> items;
        items.push_back(std::move(first));
        while (isOp("=")) {
            if (items.size() > 1)
                checkTarget(*items.back(), false);
            ++p_;
            if (isKw("yield")) {
                if (functionDepth_ == 0)
                    compileFail("'yield' outside function", cur().pos);
                items.push_back(makeExpr(Expr::Kind::Yield, cur().pos));
                skipSimple();
            } else {
                items.push_back(starExpressions());
            }
        }
        s->value = std::move(items.back());
        items.pop_back();
        if (s->value->kind == Expr::Kind::Starred)
            compileFail("can't use starred expression here", s->value->pos);
        for (const ExprPtr& target : items)
            checkStarredTargets(*target);
        s->targets = std::move(items);
        return finish(std::move(s));
    }
    static const char* const augOps[] = {"+=", "-=", "*=", "/=", "//=", "%=", "**=",
                                          "@=", "&=", "|=", "^=", ">>=", "<<="};
    for (const char* op : augOps) {
        if (isOp(op)) {
            if (first->kind != Expr::Kind::Name && first->kind != Expr::Kind::Attribute &&
                first->kind != Expr::Kind::Subscript)
                fail("'" + exprName(*first) + "' is an illegal expression for augmented assignment",
                     first->pos);
            ++p_;
            auto s = newStmt(Stmt::Kind::AugAssign, pos);
            s->op = std::string(op).substr(0, std::string(op).size() - 1);
            s->targets.push_back(std::move(first));
            s->value = starExpressions();
            return finish(std::move(s));
        }
    }
    if (isOp(":")) {
        const bool target = first->kind == Expr::Kind::Name ||
                            first->kind == Expr::Kind::Attribute ||
                            first->kind == Expr::Kind::Subscript;
        if (!target) {
            // CPython names the bad target only when an annotation follows; otherwise the
            // ':' itself is the error.
            const SourcePos colon = cur().pos;
            const bool annotated = speculate([&] {
                ++p_;
                expression();
            });
            if (!annotated)
                fail("invalid syntax", colon);
            if (first->kind == Expr::Kind::Tuple && !first->parenthesized)
                fail("only single target (not tuple) can be annotated", first->pos);
            if (first->kind == Expr::Kind::Tuple || first->kind == Expr::Kind::List)
                fail(std::string("only single target (not ") +
                         (first->kind == Expr::Kind::List ? "list" : "tuple") + ") can be annotated",
                     first->pos);
            fail("illegal target for annotation", first->pos);
        }
        ++p_;
        expression();
        if (isOp("=")) {
            ++p_;
            starExpressions();
        }
        auto s = newStmt(Stmt::Kind::Unsupported, pos);
        s->what = "annotated assignments";
        return finish(std::move(s));
    }
    auto s = newStmt(Stmt::Kind::Expr, pos);
    if (first->kind == Expr::Kind::Starred)
        compileFail("can't use starred expression here", first->pos);
    s->value = std::move(first);
    return finish(std::move(s));
}

// At an '=': CPython reports an invalid target before looking at the value; with a single
// simple target followed by a value (and no further '='), as "... here. Maybe you meant '=='".
void Parser::checkTarget(const Expr& target, bool first)
{
    const Expr* bad = invalidTarget(target, TargetContext::Store);
    if (!bad)
        return;
    const bool bitwiseLevel = target.kind != Expr::Kind::Tuple && target.kind != Expr::Kind::List &&
                              target.kind != Expr::Kind::GenExp && target.kind != Expr::Kind::True &&
                              target.kind != Expr::Kind::False && target.kind != Expr::Kind::None &&
                              target.kind != Expr::Kind::Compare && target.kind != Expr::Kind::BoolOp &&
                              target.kind != Expr::Kind::IfExp && target.kind != Expr::Kind::Lambda &&
                              target.kind != Expr::Kind::NamedExpr &&
                              !(target.kind == Expr::Kind::UnaryOp && target.name == "not") &&
                              !target.parenthesized;
    if (first && bitwiseLevel) {
        rejectAssignmentToOperand(target);
    }
    fail("cannot assign to " + exprName(*bad), bad->pos);
}

// `a.b := 1`: CPython names what cannot be assigned to, once a value follows.
void Parser::walrusTarget(const Expr& target)
{
    const bool value = speculate([&] {
        ++p_;
        expression();
    });
    if (value)
        fail("cannot use assignment expressions with " + exprName(target), target.pos);
    invalid();
}

void Parser::checkStarredTargets(const Expr& target)
{
    if (target.kind != Expr::Kind::Tuple && target.kind != Expr::Kind::List)
        return;
    int starred = 0;
    for (const ExprPtr& e : target.a)
        if (e->kind == Expr::Kind::Starred)
            ++starred;
    if (starred > 1)
        compileFail("multiple starred expressions in assignment", target.pos);
}

StmtPtr Parser::finish(StmtPtr s)
{
    s->lastLine = lastEnd().line;
    return s;
}

StmtPtr Parser::delStatement()
{
    auto s = newStmt(Stmt::Kind::Del, cur().pos);
    ++p_;
    while (true) {
        ExprPtr target = bitwiseOrOrStar();
        if (const Expr* bad = invalidTarget(*target, TargetContext::Del))
            fail("cannot delete " + exprName(*bad), bad->pos);
        s->targets.push_back(std::move(target));
        if (!isOp(","))
            break;
        ++p_;
        if (cur().kind == Token::Kind::Newline || isOp(";"))
            break;
    }
    // `del a b`: the next token is the error.
    if (cur().kind != Token::Kind::Newline && !isOp(";"))
        invalid();
    return finish(std::move(s));
}

std::string Parser::dottedName()
{
    if (cur().kind != Token::Kind::Name || isKeyword(cur()))
        invalid();
    std::string name = take().text;
    while (isOp(".")) {
        ++p_;
        if (cur().kind != Token::Kind::Name || isKeyword(cur()))
            invalid();
        name += "." + take().text;
    }
    return name;
}

std::string Parser::plainName()
{
    if (cur().kind != Token::Kind::Name || isKeyword(cur()))
        invalid();
    return take().text;
}

// `name [as alias]` of an import: a dotted module name after `import`, a plain one after `from`.
ImportName Parser::importName(bool dotted)
{
    ImportName n;
    n.name = dotted ? dottedName() : plainName();
    if (isKw("as")) {
        ++p_;
        n.asName = plainName();
    }
    return n;
}

StmtPtr Parser::importStatement()
{
    auto s = newStmt(Stmt::Kind::Import, cur().pos);
    if (isKw("import")) {
        ++p_;
        while (true) {
            s->imports.push_back(importName(true));
            if (!isOp(","))
                break;
            ++p_;
        }
        return finish(std::move(s));
    }
    ++p_;  // from
    s->isFrom = true;
    while (isOp(".") || isOp("...")) {
        s->module += take().text;
    }
    if (!isKw("import"))
        s->module += dottedName();
    if (!isKw("import"))
        invalid();
    ++p_;
    if (isOp("*")) {
        ++p_;
        s->imports.push_back({"*", ""});
        return finish(std::move(s));
    }
    const bool paren = isOp("(");
    if (paren)
        ++p_;
    while (true) {
        s->imports.push_back(importName(false));
        if (!isOp(","))
            break;
        ++p_;
        if (paren && isOp(")"))
            break;
    }
    if (paren)
        expectOp(")");
    return finish(std::move(s));
}

}  // namespace mx::stmt::parsing
