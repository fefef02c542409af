#pragma once
// Private to models/core/statements: the recursive-descent parser behind parse() (ast.h), after
// CPython 3.11's PEG grammar and its error messages. Its members live in parser.cpp (errors and
// parse()), parserstatements.cpp (simple statements), parsercompound.cpp (blocks and compound
// statements), parserexpressions.cpp (operators, calls, subscripts) and parserliterals.cpp
// (atoms: numbers, strings, f-strings, displays).

#include "core/statements/ast.h"

#include <algorithm>
#include <climits>
#include <set>
#include <string>
#include <vector>

namespace mx::stmt::parsing {

/** Python's keywords. */
const std::set<std::string>& keywords();

/** A syntax error, thrown to the top of the parse. */
struct Fail {
    SyntaxIssue issue;
};

ExprPtr makeExpr(Expr::Kind kind, SourcePos pos);

/** What CPython calls an expression in its messages (_PyPegen_get_expr_name). */
std::string exprName(const Expr& e);

enum class TargetContext { Store, For, Del };

/** CPython's _PyPegen_get_invalid_target: the first sub-expression that cannot be a target. */
const Expr* invalidTarget(const Expr& e, TargetContext ctx);

// Nesting the console accepts before reporting what CPython reports for very deep code.
constexpr int kMaxNesting = 1000;

/** Parses one token stream into statements; throws Fail at the first syntax error. */
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

    // ---- errors (parser.cpp) ----------------------------------------------------------------
    void expectOp(const char* op);
    void compileFail(const std::string& message, SourcePos pos);
    bool startsExpression(const Token& t) const;
    [[noreturn]] void failExpectingComma(const Expr* last);

    // ---- simple statements (parserstatements.cpp) -------------------------------------------
    void statement(std::vector<StmtPtr>& out);
    void simpleStatements(std::vector<StmtPtr>& out);
    StmtPtr newStmt(Stmt::Kind kind, SourcePos pos);
    void skipSimple();
    StmtPtr simpleStatement();
    void checkTarget(const Expr& target, bool first);
    void walrusTarget(const Expr& target);
    void checkStarredTargets(const Expr& target);
    StmtPtr finish(StmtPtr s);
    StmtPtr delStatement();
    std::string dottedName();
    std::string plainName();
    StmtPtr importStatement();

    // ---- compound statements (parsercompound.cpp) --------------------------------------------
    std::vector<StmtPtr> block(const std::string& after, int headerLine);
    void expectColonAfterHeader(bool strict);
    ExprPtr targetList();
    StmtPtr forStatement();
    StmtPtr ifStatement(const char* keyword);
    void parameters(Stmt* def = nullptr, bool lambda = false);
    ImportName importName(bool dotted);
    void rejectAssignmentToOperand(const Expr& target);
    void loopBody(Stmt& s, const std::string& what, int line);
    StmtPtr whileStatement();
    StmtPtr withStatement();
    StmtPtr definition();
    StmtPtr unsupportedCompound();

    // ---- expressions (parserexpressions.cpp) ------------------------------------------------
    ExprPtr starExpressions();
    ExprPtr starExpression();
    ExprPtr bitwiseOrOrStar();
    ExprPtr namedExpression(bool callArgument = false);
    ExprPtr expression();
    ExprPtr disjunction() { return boolOperation("or", &Parser::conjunction); }
    ExprPtr conjunction() { return boolOperation("and", &Parser::inversion); }
    ExprPtr boolOperation(const char* keyword, ExprPtr (Parser::*operand)());
    ExprPtr inversion();
    bool compareOp(std::string& op);
    ExprPtr comparison();

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
    ExprPtr factor();
    ExprPtr power();
    ExprPtr primary();
    ExprPtr trailer(ExprPtr e);
    ExprPtr sliceItem();
    ExprPtr slices();
    ExprPtr call(ExprPtr func);
    ExprPtr comprehension(Expr::Kind kind, ExprPtr element, ExprPtr value);

    // ---- atoms: numbers, strings, f-strings, displays (parserliterals.cpp) ------------------
    ExprPtr atom();
    ExprPtr number();
    std::string decodeBody(const std::string& body, bool raw, const Token& t);
    ExprPtr strings();
    void fstring(const std::string& body, bool raw, const Token& t, std::vector<FStringPart>& parts);
    FStringPart field(const std::string& body, size_t& i, const Token& t, bool raw);
    ExprPtr parenthesized();
    ExprPtr listDisplay();
    ExprPtr braceDisplay();

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

}  // namespace mx::stmt::parsing
