#pragma once

#include "core/statements/lexer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mx::stmt {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;

/** `name=value` in a call; an empty name with `doubleStar` is `**value`. */
struct Keyword {
    std::string name;
    ExprPtr value;
    bool doubleStar = false;
};

/** One `for target in iter if cond...` clause of a comprehension. */
struct Comprehension {
    ExprPtr target;
    ExprPtr iter;
    std::vector<ExprPtr> ifs;
};

/** One piece of an f-string: literal text, or an expression with conversion and format spec. */
struct FStringPart {
    std::string text;      // literal text (when expr is null)
    ExprPtr expr;
    char conversion = 0;   // 'r', 's', 'a' or 0
    std::vector<FStringPart> spec;  // the format spec, itself an f-string
    std::string exprSource;         // for `{x=}`: the text before '='
    bool selfDocumenting = false;
};

/** An expression node; one struct for every kind, with the fields each kind uses. */
struct Expr {
    enum class Kind {
        Name,       // name
        None, True, False, Ellipsis,
        Int,        // intValue (bigInt when it does not fit int64)
        Float,      // floatValue
        Imaginary,  // floatValue
        Str,        // strValue (adjacent literals joined)
        Bytes,      // strValue
        FString,    // parts
        Attribute,  // a[0].name
        Subscript,  // a[0][a[1]]
        Slice,      // a[0]:a[1]:a[2], any may be null
        Call,       // a[0](a[1..], keywords)
        Tuple, List, Set, Dict,  // a = elements; Dict: a = keys (null for **), b = values
        UnaryOp,    // name = "-", "+", "~", "not"; a[0]
        BinOp,      // name = operator; a[0], a[1]
        BoolOp,     // name = "and"/"or"; a = operands
        Compare,    // a = operands; ops = operators ("<", "in", "not in", "is not", ...)
        IfExp,      // a[0] if a[1] else a[2]
        ListComp, SetComp, GenExp,  // a[0] for generators
        DictComp,   // a[0]: a[1] for generators
        Starred,    // *a[0]
        Lambda,     // function: the def it stands for
        NamedExpr,  // unsupported (:=)
        Await, Yield  // unsupported
    };
    Kind kind;
    SourcePos pos;
    SourcePos end;
    std::string name;
    std::vector<ExprPtr> a;
    std::vector<ExprPtr> b;
    std::vector<std::string> ops;
    std::vector<Keyword> keywords;
    std::vector<Comprehension> generators;
    std::vector<FStringPart> parts;
    int64_t intValue = 0;
    bool bigInt = false;
    double floatValue = 0.0;
    std::string strValue;
    bool parenthesized = false;
    std::shared_ptr<Stmt> function;  // Lambda: `def <lambda>(params): return <body>`
};

/** `import a.b as c` / `from a import b as c`: one name. */
struct ImportName {
    std::string name;   // dotted
    std::string asName; // "" when none
};

/** One parameter of a def: `name`, `name=default`, or keyword-only after `*`. */
struct Param {
    std::string name;
    ExprPtr defaultValue;  // null: required
    bool keywordOnly = false;
};

/** A statement node. */
struct Stmt {
    enum class Kind {
        Expr,       // value
        Assign,     // targets = value
        AugAssign,  // targets[0] op= value
        AnnAssign,  // unsupported (x: int = 1)
        Del,        // targets
        Pass, Break, Continue,
        Import,     // imports; module for `from module import ...` (level dots kept)
        For,        // for targets[0] in value: body else: orelse
        If,         // if value: body else: orelse (elif nests an If in orelse)
        While,      // while value: body else: orelse
        FunctionDef,  // def name(params): body
        ClassDef,   // class name(targets = bases, keywords): body
        Return,     // return value (value may be null)
        With,       // with withItems: body
        Unsupported // what: "class definitions", "'while' loops", ...
    };
    Kind kind;
    SourcePos pos;
    int lastLine = 0;
    std::vector<ExprPtr> targets;
    ExprPtr value;
    std::string op;
    std::vector<StmtPtr> body;
    std::vector<StmtPtr> orelse;
    std::vector<ImportName> imports;
    std::string module;
    bool isFrom = false;
    std::string what;
    // FunctionDef / ClassDef
    std::string name;
    std::vector<Param> params;
    /** The def has `*args`, `**kwargs` or a `/` marker (the console does not run those). */
    std::string unsupportedParams;
    std::vector<Keyword> keywords;
    /** With: each `context as target` (target may be null). */
    std::vector<std::pair<ExprPtr, ExprPtr>> withItems;
};

/** The outcome of parsing console input: statements, or the syntax error Python would raise. */
struct ParseResult {
    std::vector<StmtPtr> statements;
    SyntaxIssue error;
};

/** Parses Python 3.11 source (the subset the console runs, and enough more to name what it doesn't). */
ParseResult parse(const std::string& source);

}  // namespace mx::stmt
