#include "core/statements/ast.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace mx::stmt {

namespace {

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

struct Fail {
    SyntaxIssue issue;
};

ExprPtr makeExpr(Expr::Kind kind, SourcePos pos)
{
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->pos = pos;
    e->end = pos;
    return e;
}

// CPython's _PyPegen_get_expr_name.
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

enum class TargetContext { Store, For, Del };

// CPython's _PyPegen_get_invalid_target: the first sub-expression that cannot be a target.
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

// Nesting the console accepts before reporting what CPython reports for very deep code.
constexpr int kMaxNesting = 1000;

class Parser {
public:
    explicit Parser(const TokenStream& stream) : toks_(stream.tokens)
    {
        if (toks_.empty() || toks_.back().kind != Token::Kind::End) {
            // The tokenizer stopped at an error: parsing up to here may still find an earlier one.
            Token stop;
            stop.kind = Token::Kind::Error;
            stop.pos = {INT_MAX, INT_MAX};
            stop.end = stop.pos;
            toks_.push_back(stop);
            stopped_ = true;
        }
    }

    bool reachedStop() const { return reachedStop_; }

    std::vector<StmtPtr> file()
    {
        std::vector<StmtPtr> out;
        while (cur().kind != Token::Kind::End) {
            if (cur().kind == Token::Kind::Newline) {
                ++p_;
                continue;
            }
            statement(out);
        }
        return out;
    }

    const SyntaxIssue& compileError() const { return compileError_; }

private:
    // ---- tokens -------------------------------------------------------------------------------
    const Token& cur() const { return at(p_); }
    const Token& peek(size_t k = 1) const { return at(p_ + k); }
    const Token& at(size_t index) const
    {
        const size_t i = std::min(index, toks_.size() - 1);
        if (i == toks_.size() - 1 && stopped_)
            reachedStop_ = true;  // the parser needed input the tokenizer could not give
        return toks_[i];
    }
    bool isOp(const char* op) const { return cur().kind == Token::Kind::Op && cur().text == op; }
    bool isOpAt(size_t k, const char* op) const
    {
        return peek(k).kind == Token::Kind::Op && peek(k).text == op;
    }
    bool isKw(const char* word) const { return cur().kind == Token::Kind::Name && cur().text == word; }
    static bool isKeyword(const Token& t)
    {
        return t.kind == Token::Kind::Name && keywords().count(t.text);
    }
    const Token& take() { return at(p_++); }
    SourcePos lastEnd() const { return p_ == 0 ? cur().pos : toks_[std::min(p_ - 1, toks_.size() - 1)].end; }

    [[noreturn]] void fail(const std::string& message, SourcePos pos,
                           const std::string& type = "SyntaxError") const
    {
        Fail f;
        f.issue.type = type;
        f.issue.message = message;
        f.issue.pos = pos;
        throw f;
    }
    [[noreturn]] void invalid() const { fail("invalid syntax", cur().pos); }

    // CPython's PEG parser stops an operator chain where its right operand fails ("a + <junk>"
    // parses as "a"); its error rules rely on that. Speculative parses emulating them are lenient.
    struct Lenient {
        Parser& p;
        bool old;
        explicit Lenient(Parser& parser) : p(parser), old(parser.lenient_) { p.lenient_ = true; }
        ~Lenient() { p.lenient_ = old; }
    };
    // Runs a speculative parse from the current token; restores the position; true if it parsed.
    template <typename F>
    bool speculate(F&& f, bool propagateComma = false)
    {
        const size_t save = p_;
        const Lenient lenient(*this);
        bool ok = true;
        try {
            f();
        } catch (const Fail& fail) {
            ok = false;
            if (propagateComma && fail.issue.message == "invalid syntax. Perhaps you forgot a comma?") {
                p_ = save;
                throw;
            }
        }
        p_ = save;
        return ok;
    }

    // Counts nested parsing (unary chains, nested expressions) and chain length (a.b.c..., 1+1+...).
    struct Nesting {
        Parser& p;
        explicit Nesting(Parser& parser) : p(parser)
        {
            if (++p.nesting_ > kMaxNesting)
                p.tooDeep();
        }
        ~Nesting() { --p.nesting_; }
    };
    [[noreturn]] void tooDeep() const
    {
        fail("maximum recursion depth exceeded during compilation", cur().pos, "RecursionError");
    }

    void expectOp(const char* op)
    {
        if (!isOp(op))
            invalid();
        ++p_;
    }

    void compileFail(const std::string& message, SourcePos pos)
    {
        if (!compileError_.valid()) {
            compileError_.message = message;
            compileError_.pos = pos;
        }
    }

    bool startsExpression(const Token& t) const
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
    [[noreturn]] void failExpectingComma(const Expr* last)
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

    // ---- statements ---------------------------------------------------------------------------
    void statement(std::vector<StmtPtr>& out)
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

    void simpleStatements(std::vector<StmtPtr>& out)
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

    StmtPtr newStmt(Stmt::Kind kind, SourcePos pos)
    {
        auto s = std::make_unique<Stmt>();
        s->kind = kind;
        s->pos = pos;
        return s;
    }

    // Skips to the end of a simple statement (for statements the console does not run).
    void skipSimple()
    {
        while (cur().kind != Token::Kind::Newline && cur().kind != Token::Kind::End &&
               !(cur().kind == Token::Kind::Op && cur().text == ";" && cur().depth == 0)) {
            if (cur().kind == Token::Kind::Error)
                invalid();
            ++p_;
        }
    }

    StmtPtr simpleStatement()
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
    void checkTarget(const Expr& target, bool first)
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
        fail("cannot assign to " + exprName(*bad), bad->pos);
    }

    // `a.b := 1`: CPython names what cannot be assigned to, once a value follows.
    void walrusTarget(const Expr& target)
    {
        const bool value = speculate([&] {
            ++p_;
            expression();
        });
        if (value)
            fail("cannot use assignment expressions with " + exprName(target), target.pos);
        invalid();
    }

    void checkStarredTargets(const Expr& target)
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

    StmtPtr finish(StmtPtr s)
    {
        s->lastLine = lastEnd().line;
        return s;
    }

    StmtPtr delStatement()
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

    std::string dottedName()
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

    std::string plainName()
    {
        if (cur().kind != Token::Kind::Name || isKeyword(cur()))
            invalid();
        return take().text;
    }

    StmtPtr importStatement()
    {
        auto s = newStmt(Stmt::Kind::Import, cur().pos);
        if (isKw("import")) {
            ++p_;
            while (true) {
                ImportName n;
                n.name = dottedName();
                if (isKw("as")) {
                    ++p_;
                    n.asName = plainName();
                }
                s->imports.push_back(n);
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
            ImportName n;
            n.name = plainName();
            if (isKw("as")) {
                ++p_;
                n.asName = plainName();
            }
            s->imports.push_back(n);
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

    // A block after a compound statement's ':'.
    std::vector<StmtPtr> block(const std::string& after, int headerLine)
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

    void expectColonAfterHeader(bool strict)
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
    ExprPtr targetList()
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

    StmtPtr forStatement()
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

    StmtPtr ifStatement(const char* keyword)
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

    // A def's parameter list: names with annotations and defaults, '*', '**', '/'.
    void parameters(Stmt* def = nullptr)
    {
        expectOp("(");
        bool keywordOnly = false;
        std::set<std::string> seen;
        while (!isOp(")")) {
            if (isOp("/") || isOp("*")) {
                const bool star = isOp("*");
                ++p_;
                keywordOnly = keywordOnly || star;
                if (star && cur().kind == Token::Kind::Name && !isKeyword(cur())) {
                    if (def)
                        def->unsupportedParams = "'*" + cur().text + "' parameters";
                    ++p_;
                    if (isOp(":")) {
                        ++p_;
                        expression();
                    }
                } else if (!star && def) {
                    def->unsupportedParams = "positional-only parameters ('/')";
                }
            } else if (isOp("**")) {
                ++p_;
                if (def)
                    def->unsupportedParams = "'**' parameters";
                plainName();
                if (isOp(":")) {
                    ++p_;
                    expression();
                }
            } else {
                const SourcePos namePos = cur().pos;
                Param param;
                param.name = plainName();
                param.keywordOnly = keywordOnly;
                if (def && !seen.insert(param.name).second)
                    compileFail("duplicate argument '" + param.name + "' in function definition", namePos);
                if (isOp(":")) {
                    ++p_;
                    expression();
                }
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
        expectOp(")");
    }

    // A loop's `: body` and optional `else: orelse`, after its header.
    void loopBody(Stmt& s, const std::string& what, int line)
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
    StmtPtr whileStatement()
    {
        auto s = newStmt(Stmt::Kind::While, cur().pos);
        const int line = cur().pos.line;
        ++p_;
        s->value = namedExpression();
        loopBody(*s, "'while' statement", line);
        return s;
    }

    // `with context [as target], ...: body`.
    StmtPtr withStatement()
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
    StmtPtr definition()
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

    StmtPtr unsupportedCompound()
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

    // ---- expressions --------------------------------------------------------------------------
    ExprPtr starExpressions()
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

    ExprPtr starExpression()
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

    ExprPtr bitwiseOrOrStar()
    {
        if (isOp("*")) {
            auto s = makeExpr(Expr::Kind::Starred, cur().pos);
            ++p_;
            s->a.push_back(bitwiseOr());
            return s;
        }
        return bitwiseOr();
    }

    ExprPtr namedExpression(bool callArgument = false)
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
            bool here = false;
            speculate([&] {
                ++p_;
                bitwiseOr();
                here = !isOp("=") && !isOp(":=");
            });
            if (here)
                fail("cannot assign to " + exprName(*e) + " here. Maybe you meant '==' instead of '='?",
                     e->pos);
        }
        return e;
    }

    ExprPtr expression()
    {
        const Nesting guard(*this);
        if (isKw("lambda")) {
            auto e = makeExpr(Expr::Kind::Lambda, cur().pos);
            ++p_;
            while (!isOp(":")) {
                if (cur().kind == Token::Kind::Newline || cur().kind == Token::Kind::End ||
                    cur().kind == Token::Kind::Error)
                    invalid();
                if (isOp(",") || isOp("*") || isOp("**") || isOp("/")) {
                    ++p_;
                } else if (cur().kind == Token::Kind::Name && !isKeyword(cur())) {
                    ++p_;
                    if (isOp("=")) {
                        ++p_;
                        expression();
                    }
                } else {
                    invalid();
                }
            }
            ++p_;
            e->a.push_back(expression());
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

    ExprPtr disjunction() { return boolOperation("or", &Parser::conjunction); }

    ExprPtr conjunction() { return boolOperation("and", &Parser::inversion); }

    // `a or b or c` / `a and b`: one BoolOp over the operands (a lone operand is returned as is).
    ExprPtr boolOperation(const char* keyword, ExprPtr (Parser::*operand)())
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

    ExprPtr inversion()
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

    bool compareOp(std::string& op)
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

    ExprPtr comparison()
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

    template <typename Next>
    ExprPtr binaryLevel(std::initializer_list<const char*> ops, Next next)
    {
        ExprPtr left = (this->*next)();
        for (int length = 0;; ++length) {
            if (length > kMaxNesting)
                tooDeep();
            const char* matched = nullptr;
            for (const char* op : ops)
                if (isOp(op))
                    matched = op;
            if (!matched)
                return left;
            const size_t before = p_;
            ++p_;
            ExprPtr right;
            try {
                right = (this->*next)();
            } catch (const Fail&) {
                if (!lenient_)
                    throw;
                p_ = before;
                return left;
            }
            auto e = makeExpr(Expr::Kind::BinOp, left->pos);
            e->name = matched;
            e->a.push_back(std::move(left));
            e->a.push_back(std::move(right));
            e->end = lastEnd();
            left = std::move(e);
        }
    }

    ExprPtr bitwiseOr() { return binaryLevel({"|"}, &Parser::bitwiseXor); }
    ExprPtr bitwiseXor() { return binaryLevel({"^"}, &Parser::bitwiseAnd); }
    ExprPtr bitwiseAnd() { return binaryLevel({"&"}, &Parser::shiftExpr); }
    ExprPtr shiftExpr() { return binaryLevel({"<<", ">>"}, &Parser::sum); }
    ExprPtr sum() { return binaryLevel({"+", "-"}, &Parser::term); }
    ExprPtr term() { return binaryLevel({"*", "/", "//", "%", "@"}, &Parser::factor); }

    ExprPtr factor()
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

    ExprPtr power()
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

    ExprPtr primary()
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
    ExprPtr trailer(ExprPtr e)
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

    ExprPtr sliceItem()
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

    ExprPtr slices()
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

    ExprPtr call(ExprPtr func)
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

    ExprPtr comprehension(Expr::Kind kind, ExprPtr element, ExprPtr value)
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

    ExprPtr atom()
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

    ExprPtr number()
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
    std::string decodeBody(const std::string& body, bool raw, const Token& t)
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

    ExprPtr strings()
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
    void fstring(const std::string& body, bool raw, const Token& t, std::vector<FStringPart>& parts)
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

    FStringPart field(const std::string& body, size_t& i, const Token& t, bool raw)
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

    ExprPtr parenthesized()
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

    ExprPtr listDisplay()
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

    ExprPtr braceDisplay()
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

    std::vector<Token> toks_;
    size_t p_ = 0;
    int loopDepth_ = 0;
    int functionDepth_ = 0;
    int nesting_ = 0;
    bool lenient_ = false;
    bool stopped_ = false;
    mutable bool reachedStop_ = false;
    SyntaxIssue compileError_;
};


}  // namespace

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
    Parser parser(stream);
    SyntaxIssue parserError;
    try {
        result.statements = parser.file();
    } catch (const Fail& f) {
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
