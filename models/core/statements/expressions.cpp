// Evaluating expressions: names, literals, calls, comprehensions and f-strings.
#include "core/statements/interpreter.h"

#include "core/formatting.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/resourcebudget.h"
#include "core/statements/budget.h"
#include "core/statements/interpreterhelpers.h"
#include "core/statements/methodtable.h"
#include "core/statements/tensorops.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <set>
#include <string_view>

namespace mx::stmt {

// ---- expressions -------------------------------------------------------------------------------

ValuePtr Interpreter::evalName(const std::string& name)
{
    if (ValuePtr local = lookupLocal(name))
        return local;
    const auto it = globals_.find(name);
    if (it != globals_.end())
        return it->second;
    // Built-in classes (called through construct()), then the functions of the builtins table.
    static const std::set<std::string> classes{"str", "int", "float", "bool", "list", "tuple", "dict",
                                               "range", "type", "enumerate", "zip", "reversed"};
    if (classes.count(name))
        return classValue(name);
    if (builtinFunctionTable().find(name))
        return functionValue(name);
    static const std::set<std::string> otherBuiltins{
        "open", "exec", "eval", "input", "compile", "globals", "locals", "vars", "super",
        "object", "set", "frozenset", "map", "filter", "format", "hex", "bin", "oct", "pow",
        "divmod", "hash", "issubclass", "property", "staticmethod", "classmethod", "memoryview",
        "bytes", "bytearray", "complex", "slice", "breakpoint", "exit", "quit", "help",
        "copyright", "credits", "license", "ascii", "aiter", "anext", "__import__",
        "Exception", "NotImplemented", "__name__", "__builtins__", "print_function"};
    static const std::set<std::string> otherClasses{
        "super", "object", "set", "frozenset", "map", "filter", "complex", "bytes", "bytearray",
        "memoryview", "property", "staticmethod", "classmethod", "slice", "Exception"};
    if (otherClasses.count(name))
        return classValue(name);  // calling it says it is unsupported (after evaluating arguments)
    if (otherBuiltins.count(name))
        return functionValue(name);
    if (name == "Ellipsis") {
        auto v = std::make_shared<Value>();
        v->kind = Value::Kind::Ellipsis;
        return v;
    }
    throw PythonError("NameError", "name '" + name + "' is not defined");
}

ValuePtr Interpreter::eval(const Expr& e)
{
    switch (e.kind) {
    case Expr::Kind::Name: return evalName(e.name);
    case Expr::Kind::None: return none();
    case Expr::Kind::True: return boolean(true);
    case Expr::Kind::False: return boolean(false);
    case Expr::Kind::Ellipsis: {
        auto v = std::make_shared<Value>();
        v->kind = Value::Kind::Ellipsis;
        return v;
    }
    case Expr::Kind::Int:
        if (e.bigInt)
            unsupported("integers beyond 64 bits");
        return integer(e.intValue);
    case Expr::Kind::Float: return floating(e.floatValue);
    case Expr::Kind::Imaginary: unsupported("complex numbers");
    case Expr::Kind::Str: return str(e.strValue);
    case Expr::Kind::Bytes: unsupported("bytes literals");
    case Expr::Kind::FString: return evalFString(e);
    case Expr::Kind::Attribute: return getAttribute(eval(*e.a[0]), e.name);
    case Expr::Kind::Subscript: {
        const ValuePtr obj = eval(*e.a[0]);
        return subscript(obj, eval(*e.a[1]));
    }
    case Expr::Kind::Slice: {
        auto v = std::make_shared<Value>();
        v->kind = Value::Kind::Slice;
        for (const ExprPtr& part : e.a)
            v->items.push_back(part ? eval(*part) : none());
        return v;
    }
    case Expr::Kind::Call: return evalCall(e);
    case Expr::Kind::Tuple:
    case Expr::Kind::List: {
        std::vector<ValuePtr> items;
        for (const ExprPtr& item : e.a) {
            if (item->kind == Expr::Kind::Starred) {
                for (const ValuePtr& v : toVector(eval(*item->a[0])))
                    items.push_back(v);
            } else {
                items.push_back(eval(*item));
            }
        }
        return e.kind == Expr::Kind::Tuple ? tupleValue(std::move(items)) : listValue(std::move(items));
    }
    case Expr::Kind::Dict: {
        ValuePtr d = dictValue(false);
        for (size_t k = 0; k < e.a.size(); ++k) {
            if (!e.a[k]) {
                const ValuePtr other = eval(*e.b[k]);
                if (other->kind != Value::Kind::Dict)
                    typeError("'" + typeShortName(*other) + "' object is not a mapping");
                for (size_t j = 0; j < other->keys.size(); ++j)
                    setItem(d, other->keys[j], other->items[j]);
                continue;
            }
            const ValuePtr key = eval(*e.a[k]);
            setItem(d, key, eval(*e.b[k]));
        }
        return d;
    }
    case Expr::Kind::Set:
    case Expr::Kind::SetComp: unsupported("sets");
    case Expr::Kind::UnaryOp:
        if (e.name == "not")
            return boolean(!truthy(*eval(*e.a[0])));
        return unaryOp(e.name, eval(*e.a[0]));
    case Expr::Kind::BinOp: {
        const ValuePtr a = eval(*e.a[0]);
        return binaryOp(e.name, a, eval(*e.a[1]));
    }
    case Expr::Kind::BoolOp: {
        ValuePtr v;
        for (const ExprPtr& operand : e.a) {
            v = eval(*operand);
            const bool t = truthy(*v);
            if ((e.name == "and" && !t) || (e.name == "or" && t))
                return v;
        }
        return v;
    }
    case Expr::Kind::Compare: {
        ValuePtr left = eval(*e.a[0]);
        ValuePtr result;
        for (size_t k = 0; k < e.ops.size(); ++k) {
            const ValuePtr right = eval(*e.a[k + 1]);
            result = compare(e.ops[k], left, right);
            if (k + 1 < e.ops.size() && !truthy(*result))
                return result;
            left = right;
        }
        return result;
    }
    case Expr::Kind::IfExp:
        return truthy(*eval(*e.a[1])) ? eval(*e.a[0]) : eval(*e.a[2]);
    case Expr::Kind::ListComp:
    case Expr::Kind::GenExp:
    case Expr::Kind::DictComp: return evalComprehension(e);
    case Expr::Kind::Starred: throw PythonError("SyntaxError", "can't use starred expression here");
    case Expr::Kind::Lambda: return makeLambda(e);
    case Expr::Kind::NamedExpr: unsupported("assignment expressions (:=)");
    case Expr::Kind::Await: unsupported("'await'");
    case Expr::Kind::Yield: unsupported("'yield'");
    }
    unsupported("this expression");
}

ValuePtr Interpreter::evalCall(const Expr& e)
{
    const ValuePtr f = eval(*e.a[0]);
    Args args;
    for (size_t k = 1; k < e.a.size(); ++k) {
        const Expr& arg = *e.a[k];
        if (arg.kind == Expr::Kind::Starred) {
            for (const ValuePtr& v : toVector(eval(*arg.a[0])))
                args.positional.push_back(v);
        } else {
            args.positional.push_back(eval(arg));
        }
    }
    for (const Keyword& k : e.keywords) {
        const ValuePtr v = eval(*k.value);
        if (!k.doubleStar) {
            args.keywords.emplace_back(k.name, v);
            continue;
        }
        if (v->kind != Value::Kind::Dict)
            typeError("argument after ** must be a mapping, not " + typeShortName(*v));
        for (size_t j = 0; j < v->keys.size(); ++j) {
            if (v->keys[j]->kind != Value::Kind::Str)
                typeError("keywords must be strings");
            args.keywords.emplace_back(v->keys[j]->s, v->items[j]);
        }
    }
    return call(f, args);
}

ValuePtr Interpreter::evalComprehension(const Expr& e)
{
    // Comprehension variables live in their own scope: save and restore the names they bind.
    std::set<std::string> names;
    std::function<void(const Expr&)> collect = [&](const Expr& t) {
        if (t.kind == Expr::Kind::Name)
            names.insert(t.name);
        for (const ExprPtr& c : t.a)
            if (c)
                collect(*c);
    };
    for (const Comprehension& g : e.generators)
        collect(*g.target);
    comprehensionNames_.push_back(names);
    struct Leave {
        std::vector<std::set<std::string>>& scopes;
        ~Leave() { scopes.pop_back(); }
    } leave{comprehensionNames_};
    std::map<std::string, ValuePtr> saved;
    std::map<std::string, ValuePtr>& scope = currentScope();
    for (const std::string& n : names) {
        if (namesOpenModel(n))
            unsupported("rebinding '" + n + "'");
        const auto it = scope.find(n);
        if (it != scope.end())
            saved[n] = it->second;
    }
    auto restore = [&] {
        for (const std::string& n : names) {
            const auto it = saved.find(n);
            if (it == saved.end())
                scope.erase(n);
            else
                scope[n] = it->second;
        }
    };
    std::vector<ValuePtr> items;
    ValuePtr dict = dictValue(false);
    std::function<void(size_t)> loop = [&](size_t level) {
        if (level == e.generators.size()) {
            if (e.kind == Expr::Kind::DictComp) {
                const ValuePtr key = eval(*e.a[0]);
                setItem(dict, key, eval(*e.a[1]));
            } else {
                items.push_back(eval(*e.a[0]));
            }
            return;
        }
        const Comprehension& g = e.generators[level];
        const ValuePtr it = iterate(eval(*g.iter));
        while (const ValuePtr item = nextItem(it)) {
            assign(*g.target, item);
            bool keep = true;
            for (const ExprPtr& cond : g.ifs)
                if (!truthy(*eval(*cond))) {
                    keep = false;
                    break;
                }
            if (keep)
                loop(level + 1);
        }
    };
    try {
        loop(0);
    } catch (...) {
        restore();
        throw;
    }
    restore();
    if (e.kind == Expr::Kind::DictComp)
        return dict;
    if (e.kind == Expr::Kind::ListComp)
        return listValue(std::move(items));
    auto list = std::make_shared<std::vector<ValuePtr>>(std::move(items));
    auto pos = std::make_shared<size_t>(0);
    return iteratorValue("generator", "<genexpr>", [list, pos]() -> ValuePtr {
        return *pos < list->size() ? (*list)[(*pos)++] : nullptr;
    });
}

ValuePtr Interpreter::evalFString(const Expr& e)
{
    std::function<std::string(const std::vector<FStringPart>&)> render =
        [&](const std::vector<FStringPart>& parts) {
            std::string out;
            for (const FStringPart& p : parts) {
                if (!p.expr) {
                    out += p.text;
                    continue;
                }
                ValuePtr v = eval(*p.expr);
                if (p.selfDocumenting)
                    out += p.exprSource;
                char conversion = p.conversion;
                if (p.selfDocumenting && !conversion && p.spec.empty())
                    conversion = 'r';
                if (conversion == 'r' || conversion == 'a')
                    v = str(repr(*v));
                else if (conversion == 's')
                    v = str(toStr(*v));
                out += formatField(v, render(p.spec));
            }
            return out;
        };
    return str(render(e.parts));
}

}  // namespace mx::stmt
