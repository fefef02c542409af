// The parser: expressions (operators, comparisons, calls, subscripts, comprehensions).
#include "core/statements/parser.h"

namespace mx::stmt::parsing {

ExprPtr Parser::starExpressions()
{
    const SourcePos pos = cur().pos;
    ExprPtr first = starExpression();
    if (!isOp(","))
        return first;
    auto t = makeExpr(Expr::Kind::Tuple, pos);
    t->a.push_back(std::move(first));
    while (isOp(",")) {
        ++p_;
        if (!startsExpression(cur()) && !isOp("*"))
            break;
        t->a.push_back(starExpression());
    }
    t->end = lastEnd();
    return t;
}

ExprPtr Parser::starExpression()
{
    if (isOp("*")) {
        auto s = makeExpr(Expr::Kind::Starred, cur().pos);
        ++p_;
        s->a.push_back(bitwiseOr());
        s->end = lastEnd();
        return s;
    }
    return expression();
}

ExprPtr Parser::bitwiseOrOrStar()
{
    if (isOp("*")) {
        auto s = makeExpr(Expr::Kind::Starred, cur().pos);
        ++p_;
        s->a.push_back(bitwiseOr());
        return s;
    }
    return bitwiseOr();
}

ExprPtr Parser::namedExpression(bool callArgument)
{
    if (cur().kind == Token::Kind::Name && !isKeyword(cur()) && isOpAt(1, "=")) {
        // `(x=1)`, `[a=1]`, `if x=1:`: CPython's invalid_named_expression.
        const SourcePos pos = cur().pos;
        bool hint = false;
        speculate([&] {
            p_ += 2;
            bitwiseOr();
            hint = !isOp("=") && !isOp(":=");
        });
        if (hint)
            fail("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", pos);
    }
    if (cur().kind == Token::Kind::Name && !isKeyword(cur()) && isOpAt(1, ":=")) {
        auto e = makeExpr(Expr::Kind::NamedExpr, cur().pos);
        ++p_;
        ++p_;
        e->a.push_back(expression());
        return e;
    }
    ExprPtr e = expression();
    if (isOp(":=") && !callArgument)
        walrusTarget(*e);
    if (isOp("=") && !callArgument && invalidTarget(*e, TargetContext::Store) &&
        e->kind != Expr::Kind::Tuple && e->kind != Expr::Kind::List &&
        e->kind != Expr::Kind::GenExp && e->kind != Expr::Kind::True &&
        e->kind != Expr::Kind::False && e->kind != Expr::Kind::None &&
        e->kind != Expr::Kind::Compare && e->kind != Expr::Kind::BoolOp &&
        e->kind != Expr::Kind::IfExp && e->kind != Expr::Kind::Lambda && !e->parenthesized &&
        !(e->kind == Expr::Kind::UnaryOp && e->name == "not")) {
        rejectAssignmentToOperand(*e);
    }
    return e;
}

// At `=` after an operand that cannot be assigned to (`a + b = 1`, `f() = 1`): when what follows
// is an expression that is not itself assigned to, Python reports the operand.
void Parser::rejectAssignmentToOperand(const Expr& target)
{
    bool here = false;
    speculate([&] {
        ++p_;
        bitwiseOr();
        here = !isOp("=") && !isOp(":=");
    });
    if (here)
        fail("cannot assign to " + exprName(target) + " here. Maybe you meant '==' instead of '='?",
             target.pos);
}

ExprPtr Parser::expression()
{
    const Nesting guard(*this);
    if (isKw("lambda")) {  // stands for `def <lambda>(params): return body`
        auto e = makeExpr(Expr::Kind::Lambda, cur().pos);
        auto def = newStmt(Stmt::Kind::FunctionDef, cur().pos);
        def->name = "<lambda>";
        ++p_;
        parameters(def.get(), true);
        expectOp(":");
        auto ret = newStmt(Stmt::Kind::Return, cur().pos);
        ret->value = expression();
        ret->lastLine = lastEnd().line;
        def->lastLine = ret->lastLine;
        def->body.push_back(std::move(ret));
        e->function = std::shared_ptr<Stmt>(std::move(def));
        e->end = lastEnd();
        return e;
    }
    ExprPtr body = disjunction();
    if (!isKw("if"))
        return body;
    ++p_;
    ExprPtr test = disjunction();
    if (!isKw("else")) {
        fail("expected 'else' after 'if' expression", body->pos);
    }
    ++p_;
    auto e = makeExpr(Expr::Kind::IfExp, body->pos);
    e->a.push_back(std::move(body));
    e->a.push_back(std::move(test));
    e->a.push_back(expression());
    e->end = lastEnd();
    return e;
}

// `a or b or c` / `a and b`: one BoolOp over the operands (a lone operand is returned as is).
ExprPtr Parser::boolOperation(const char* keyword, ExprPtr (Parser::*operand)())
{
    ExprPtr first = (this->*operand)();
    if (!isKw(keyword))
        return first;
    auto e = makeExpr(Expr::Kind::BoolOp, first->pos);
    e->name = keyword;
    e->a.push_back(std::move(first));
    while (isKw(keyword)) {
        const size_t before = p_;
        ++p_;
        try {
            e->a.push_back((this->*operand)());
        } catch (const Fail&) {
            if (!lenient_)
                throw;
            p_ = before;
            break;
        }
    }
    if (e->a.size() == 1)
        return std::move(e->a[0]);
    e->end = lastEnd();
    return e;
}

ExprPtr Parser::inversion()
{
    const Nesting guard(*this);
    if (isKw("not")) {
        auto e = makeExpr(Expr::Kind::UnaryOp, cur().pos);
        ++p_;
        e->name = "not";
        e->a.push_back(inversion());
        e->end = lastEnd();
        return e;
    }
    return comparison();
}

bool Parser::compareOp(std::string& op)
{
    static const char* const ops[] = {"==", "!=", "<", "<=", ">", ">="};
    for (const char* o : ops)
        if (isOp(o)) {
            op = o;
            ++p_;
            return true;
        }
    if (isKw("in")) {
        op = "in";
        ++p_;
        return true;
    }
    if (isKw("not") && peek().kind == Token::Kind::Name && peek().text == "in") {
        op = "not in";
        p_ += 2;
        return true;
    }
    if (isKw("is")) {
        ++p_;
        op = "is";
        if (isKw("not")) {
            ++p_;
            op = "is not";
        }
        return true;
    }
    return false;
}

ExprPtr Parser::comparison()
{
    ExprPtr first = bitwiseOr();
    std::string op;
    size_t before = p_;
    if (!compareOp(op))
        return first;
    auto e = makeExpr(Expr::Kind::Compare, first->pos);
    e->a.push_back(std::move(first));
    do {
        ExprPtr right;
        try {
            right = bitwiseOr();
        } catch (const Fail&) {
            if (!lenient_)
                throw;
            p_ = before;
            break;
        }
        e->ops.push_back(op);
        e->a.push_back(std::move(right));
        before = p_;
    } while (compareOp(op));
    if (e->ops.empty())
        return std::move(e->a[0]);
    e->end = lastEnd();
    return e;
}

ExprPtr Parser::factor()
{
    const Nesting guard(*this);
    if (isOp("-") || isOp("+") || isOp("~")) {
        auto e = makeExpr(Expr::Kind::UnaryOp, cur().pos);
        e->name = take().text;
        e->a.push_back(factor());
        e->end = lastEnd();
        return e;
    }
    return power();
}

ExprPtr Parser::power()
{
    ExprPtr base;
    if (isKw("await")) {
        base = makeExpr(Expr::Kind::Await, cur().pos);
        ++p_;
        base->a.push_back(primary());
    } else {
        base = primary();
    }
    if (!isOp("**"))
        return base;
    ++p_;
    auto e = makeExpr(Expr::Kind::BinOp, base->pos);
    e->name = "**";
    e->a.push_back(std::move(base));
    e->a.push_back(factor());
    e->end = lastEnd();
    return e;
}

ExprPtr Parser::primary()
{
    ExprPtr e = atom();
    for (int length = 0;; ++length) {
        if (length > kMaxNesting)
            tooDeep();
        if (lenient_ && (isOp(".") || isOp("(") || isOp("["))) {
            const size_t before = p_;
            bool ok = true;
            try {
                trailer(makeExpr(Expr::Kind::Name, e->pos));  // the trailer alone decides
            } catch (const Fail&) {
                ok = false;
            }
            p_ = before;
            if (!ok)
                return e;
            e = trailer(std::move(e));
            continue;
        }
        if (isOp(".")) {
            ++p_;
            if (cur().kind != Token::Kind::Name || isKeyword(cur()))
                invalid();
            auto a = makeExpr(Expr::Kind::Attribute, e->pos);
            a->name = take().text;
            a->a.push_back(std::move(e));
            a->end = lastEnd();
            e = std::move(a);
        } else if (isOp("(")) {
            e = call(std::move(e));
        } else if (isOp("[")) {
            ++p_;
            auto s = makeExpr(Expr::Kind::Subscript, e->pos);
            s->a.push_back(std::move(e));
            s->a.push_back(slices());
            if (!isOp("]"))
                failExpectingComma(s->a[1].get());
            ++p_;
            s->end = lastEnd();
            e = std::move(s);
        } else {
            return e;
        }
    }
}

// One trailer (.name, (args), [index]) applied to e.
ExprPtr Parser::trailer(ExprPtr e)
{
    if (isOp(".")) {
        ++p_;
        if (cur().kind != Token::Kind::Name || isKeyword(cur()))
            invalid();
        auto a = makeExpr(Expr::Kind::Attribute, e->pos);
        a->name = take().text;
        a->a.push_back(std::move(e));
        a->end = lastEnd();
        return a;
    }
    if (isOp("("))
        return call(std::move(e));
    ++p_;
    auto s = makeExpr(Expr::Kind::Subscript, e->pos);
    s->a.push_back(std::move(e));
    s->a.push_back(slices());
    if (!isOp("]"))
        failExpectingComma(s->a[1].get());
    ++p_;
    s->end = lastEnd();
    return s;
}

ExprPtr Parser::sliceItem()
{
    const SourcePos pos = cur().pos;
    ExprPtr lower;
    if (!isOp(":")) {
        if (isOp("*"))
            return starExpression();
        lower = namedExpression();
        if (!isOp(":"))
            return lower;
    }
    auto s = makeExpr(Expr::Kind::Slice, pos);
    ++p_;  // ':'
    ExprPtr upper, step;
    if (!isOp(":") && !isOp("]") && !isOp(","))
        upper = expression();
    if (isOp(":")) {
        ++p_;
        if (!isOp("]") && !isOp(","))
            step = expression();
    }
    s->a.push_back(std::move(lower));
    s->a.push_back(std::move(upper));
    s->a.push_back(std::move(step));
    s->end = lastEnd();
    return s;
}

ExprPtr Parser::slices()
{
    const SourcePos pos = cur().pos;
    ExprPtr first = sliceItem();
    if (!isOp(","))
        return first;
    auto t = makeExpr(Expr::Kind::Tuple, pos);
    t->a.push_back(std::move(first));
    while (isOp(",")) {
        ++p_;
        if (isOp("]"))
            break;
        t->a.push_back(sliceItem());
    }
    return t;
}

ExprPtr Parser::call(ExprPtr func)
{
    auto c = makeExpr(Expr::Kind::Call, func->pos);
    c->a.push_back(std::move(func));
    ++p_;  // '('
    bool sawKeyword = false, sawDoubleStar = false;
    const Expr* last = nullptr;
    std::string deferred;  // CPython reports these at the last token it read: the ')'
    while (!isOp(")")) {
        if (isOp("**")) {
            ++p_;
            Keyword k;
            k.doubleStar = true;
            k.value = expression();
            last = k.value.get();
            c->keywords.push_back(std::move(k));
            sawDoubleStar = true;
        } else if (isOp("*")) {
            if (sawDoubleStar)
                fail("iterable argument unpacking follows keyword argument unpacking",
                     cur().pos);
            c->a.push_back(starExpression());
            last = c->a.back().get();
        } else if (cur().kind == Token::Kind::Name && !isKeyword(cur()) && isOpAt(1, "=")) {
            Keyword k;
            k.name = take().text;
            ++p_;
            k.value = expression();
            last = k.value.get();
            c->keywords.push_back(std::move(k));
            sawKeyword = true;
        } else {
            const SourcePos pos = cur().pos;
            ExprPtr arg = namedExpression(true);
            if (isKw("for")) {
                ExprPtr gen = comprehension(Expr::Kind::GenExp, std::move(arg), nullptr);
                if (c->a.size() > 1 || !c->keywords.empty() || isOp(","))
                    fail("Generator expression must be parenthesized", gen->pos);
                if (!isOp(")"))
                    invalid();
                c->a.push_back(std::move(gen));
                break;
            }
            if (isOp("="))
                fail("expression cannot contain assignment, perhaps you meant \"==\"?", pos);
            if (sawDoubleStar && deferred.empty())
                deferred = "positional argument follows keyword argument unpacking";
            if (sawKeyword && deferred.empty())
                deferred = "positional argument follows keyword argument";
            c->a.push_back(std::move(arg));
            last = c->a.back().get();
        }
        if (isOp(",")) {
            ++p_;
            continue;
        }
        if (!isOp(")"))
            failExpectingComma(last);
    }
    if (!deferred.empty())
        fail(deferred, cur().pos);
    expectOp(")");
    c->end = lastEnd();
    return c;
}

ExprPtr Parser::comprehension(Expr::Kind kind, ExprPtr element, ExprPtr value)
{
    auto e = makeExpr(kind, element->pos);
    e->a.push_back(std::move(element));
    if (value)
        e->a.push_back(std::move(value));
    while (isKw("for") || (isKw("async") && peek().text == "for")) {
        if (isKw("async"))
            fail("asynchronous comprehension outside of an asynchronous function", cur().pos);
        ++p_;
        Comprehension g;
        g.target = targetList();
        if (const Expr* bad = invalidTarget(*g.target, TargetContext::For))
            fail("cannot assign to " + exprName(*bad), bad->pos);
        if (!isKw("in")) {
            const Expr* last = g.target->kind == Expr::Kind::Tuple && !g.target->a.empty()
                                   ? g.target->a.back().get()
                                   : g.target.get();
            failExpectingComma(last);
        }
        ++p_;
        g.iter = disjunction();
        while (isKw("if")) {
            ++p_;
            g.ifs.push_back(disjunction());
        }
        e->generators.push_back(std::move(g));
    }
    e->end = lastEnd();
    return e;
}

}  // namespace mx::stmt::parsing
