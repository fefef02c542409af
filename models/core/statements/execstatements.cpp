// Running statements: blocks, assignment and augmented assignment, del, for/while/if/with,
// import, def and class.
#include "core/statements/interpreter.h"

#include "core/formatting.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/resourcebudget.h"
#include "core/statements/budget.h"
#include "core/statements/interpreterhelpers.h"
#include "core/statements/tensorops.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <set>
#include <string_view>

namespace mx::stmt {

Interpreter::Flow Interpreter::execBlock(const std::vector<StmtPtr>& body)
{
    for (const StmtPtr& s : body) {
        checkInterrupt();
        const Flow f = exec(*s);
        if (f != Flow::Normal)
            return f;
    }
    return Flow::Normal;
}

Interpreter::Flow Interpreter::exec(const Stmt& s)
{
    currentLine_ = s.pos.line;
    switch (s.kind) {
    case Stmt::Kind::Expr: {
        const ValuePtr v = eval(*s.value);
        if (!echo_ || !frames_.empty())
            return Flow::Normal;  // a script (or a function body) prints only what it prints
        if (v->kind != Value::Kind::None)
            appendOutput(repr(*v) + "\n");  // the interactive interpreter echoes expression values
        if (v->kind == Value::Kind::Tensor && !v->tensor.isNone())
            echoedTensor_ = v->tensor;  // for the Inspector
        return Flow::Normal;
    }
    case Stmt::Kind::Assign: {
        const ValuePtr v = eval(*s.value);
        for (const ExprPtr& target : s.targets)
            assign(*target, v);
        return Flow::Normal;
    }
    case Stmt::Kind::AugAssign: {
        const Expr& target = *s.targets[0];
        auto combine = [&](const ValuePtr& current) {
            const ValuePtr rhs = eval(*s.value);
            if (current->kind == Value::Kind::Tensor)
                return augmentedTensorAssign(s.op, current, rhs);  // in place, same object
            if (current->kind == Value::Kind::List && s.op == "+") {  // list.__iadd__ extends in place
                for (const ValuePtr& item : toVector(rhs))
                    current->items.push_back(item);
                return current;
            }
            if (current->kind == Value::Kind::Module)  // ModuleList.__iadd__, Sequential.__iadd__/__imul__
                if (ValuePtr combined = containerOperator(s.op, current, rhs, true))
                    return combined;
            return binaryOp(s.op, current, rhs);
        };
        if (target.kind == Expr::Kind::Name) {
            if (namesOpenModel(target.name))
                unsupported("rebinding '" + target.name + "'");
            bindName(target.name, combine(evalName(target.name)));
        } else if (target.kind == Expr::Kind::Attribute) {
            const ValuePtr obj = eval(*target.a[0]);
            setAttribute(obj, target.name, combine(getAttribute(obj, target.name)));
        } else {
            const ValuePtr obj = eval(*target.a[0]);
            const ValuePtr index = eval(*target.a[1]);
            setItem(obj, index, combine(subscript(obj, index)));
        }
        return Flow::Normal;
    }
    case Stmt::Kind::Del:
        for (const ExprPtr& target : s.targets)
            deleteTarget(*target);
        return Flow::Normal;
    case Stmt::Kind::Pass: return Flow::Normal;
    case Stmt::Kind::Break: return Flow::Break;
    case Stmt::Kind::Continue: return Flow::Continue;
    case Stmt::Kind::Import: import(s); return Flow::Normal;
    case Stmt::Kind::For: {
        const ValuePtr it = iterate(eval(*s.value));
        bool broke = false;
        while (true) {
            currentLine_ = s.pos.line;  // what the iterator raises is the `for` line's error
            const ValuePtr item = nextItem(it);
            if (!item)
                break;
            assign(*s.targets[0], item);
            const Flow f = execBlock(s.body);
            if (f == Flow::Return)
                return f;
            if (f == Flow::Break) {
                broke = true;
                break;
            }
        }
        if (!broke)
            return execBlock(s.orelse);
        return Flow::Normal;
    }
    case Stmt::Kind::While: {
        while (true) {
            countSteps(1);
            currentLine_ = s.pos.line;
            if (!truthy(*eval(*s.value)))
                return execBlock(s.orelse);
            const Flow f = execBlock(s.body);
            if (f == Flow::Return)
                return f;
            if (f == Flow::Break)
                return Flow::Normal;
        }
    }
    case Stmt::Kind::FunctionDef: {
        if (!frames_.empty() && frames_.back().function)
            unsupported("functions defined inside functions");
        bindName(s.name, makeFunction(s, classBeingDefined_ ? classBeingDefined_->name : "",
                                      classBeingDefined_));
        return Flow::Normal;
    }
    case Stmt::Kind::ClassDef:
        if (!frames_.empty())
            unsupported(frames_.back().function ? "classes defined inside functions"
                                                 : "classes defined inside classes");
        defineClass(s);
        return Flow::Normal;
    case Stmt::Kind::Return:
        returnValue_ = s.value ? eval(*s.value) : none();
        return Flow::Return;
    case Stmt::Kind::With: {
        if (s.withItems.size() != 1)
            unsupported("'with' statements with several context managers");
        const ValuePtr context = eval(*s.withItems[0].first);
        const bool noGrad = context->kind == Value::Kind::Opaque && context->s == "torch.autograd.grad_mode.no_grad";
        const bool enableGrad = context->kind == Value::Kind::Opaque && context->s == "torch.autograd.grad_mode.enable_grad";
        if (!noGrad && !enableGrad)
            unsupported("'with' statements over " + typeShortName(*context) + " objects");
        tensors::GradModeScope gradMode(enableGrad);
        if (s.withItems[0].second)
            assign(*s.withItems[0].second, none());  // no_grad.__enter__ returns None
        return execBlock(s.body);
    }
    case Stmt::Kind::If:
        return truthy(*eval(*s.value)) ? execBlock(s.body) : execBlock(s.orelse);
    case Stmt::Kind::AnnAssign:
    case Stmt::Kind::Unsupported: unsupported(s.what);
    }
    return Flow::Normal;
}

void Interpreter::import(const Stmt& s)
{
    auto moduleFor = [](const std::string& name) -> ValuePtr {
        static const std::set<std::string> known{"torch", "torch.nn", "torch.cuda",
                                                 "torch.nn.functional", "torch.optim",
                                                 "collections"};
        if (known.count(name))
            return namespaceValue(name);
        unsupported("importing '" + name + "'");
    };
    if (!s.isFrom) {
        for (const ImportName& n : s.imports) {
            const ValuePtr module = moduleFor(n.name);
            if (!n.asName.empty()) {
                bindName(n.asName, module);
            } else {
                const std::string top = n.name.substr(0, n.name.find('.'));
                bindName(top, namespaceValue(top));
            }
        }
        return;
    }
    if (s.module.empty() || s.module[0] == '.')
        throw PythonError("ImportError", "attempted relative import with no known parent package");
    const ValuePtr module = moduleFor(s.module);
    for (const ImportName& n : s.imports) {
        if (n.name == "*")
            unsupported("'from " + s.module + " import *'");
        ValuePtr v;
        const std::string full = s.module + "." + n.name;
        if (full == "torch.nn" || full == "torch.cuda" || full == "torch.nn.functional" ||
            full == "torch.optim") {
            v = namespaceValue(full);
        } else {
            try {
                v = namespaceAttribute(module, n.name);
            } catch (const PythonError& e) {
                if (e.type() != "AttributeError")
                    throw;
                std::string file = s.module;
                std::replace(file.begin(), file.end(), '.', '/');
                throw PythonError("ImportError", "cannot import name '" + n.name + "' from '" +
                                                     s.module + "' (/usr/lib/python3/dist-packages/" +
                                                     file + "/__init__.py)");
            }
        }
        bindName(n.asName.empty() ? n.name : n.asName, v);
    }
}

void Interpreter::assign(const Expr& target, const ValuePtr& value)
{
    switch (target.kind) {
    case Expr::Kind::Name:
        if (namesOpenModel(target.name)) {
            if (value == modelValue_)
                return;
            replaceModel(value, target.name);
            return;
        }
        bindName(target.name, value);
        return;
    case Expr::Kind::Attribute: setAttribute(eval(*target.a[0]), target.name, value); return;
    case Expr::Kind::Subscript: {
        const ValuePtr obj = eval(*target.a[0]);
        setItem(obj, eval(*target.a[1]), value);
        return;
    }
    case Expr::Kind::Tuple:
    case Expr::Kind::List: {
        size_t starred = target.a.size();
        for (size_t k = 0; k < target.a.size(); ++k)
            if (target.a[k]->kind == Expr::Kind::Starred)
                starred = k;
        const std::vector<ValuePtr> items = toVector(value);
        const size_t n = target.a.size();
        if (starred == n) {
            if (items.size() > n)
                throw PythonError("ValueError", "too many values to unpack (expected " +
                                                    std::to_string(n) + ")");
            if (items.size() < n)
                throw PythonError("ValueError", "not enough values to unpack (expected " +
                                                    std::to_string(n) + ", got " +
                                                    std::to_string(items.size()) + ")");
            for (size_t k = 0; k < n; ++k)
                assign(*target.a[k], items[k]);
            return;
        }
        if (items.size() < n - 1)
            throw PythonError("ValueError", "not enough values to unpack (expected at least " +
                                                std::to_string(n - 1) + ", got " +
                                                std::to_string(items.size()) + ")");
        const size_t rest = items.size() - (n - 1);
        for (size_t k = 0; k < starred; ++k)
            assign(*target.a[k], items[k]);
        assign(*target.a[starred]->a[0],
               listValue({items.begin() + starred, items.begin() + starred + rest}));
        for (size_t k = starred + 1; k < n; ++k)
            assign(*target.a[k], items[k - 1 + rest]);
        return;
    }
    default: unsupported("this assignment target");
    }
}

void Interpreter::deleteTarget(const Expr& target)
{
    switch (target.kind) {
    case Expr::Kind::Name:
        if (namesOpenModel(target.name))
            unsupported("deleting '" + target.name + "' (it is the open model)");
        if (!frames_.empty()) {
            if (!frames_.back().locals.erase(target.name)) {
                lookupLocal(target.name);  // UnboundLocalError for a local not yet bound
                throw PythonError("NameError", "name '" + target.name + "' is not defined");
            }
            return;
        }
        if (!globals_.erase(target.name))
            throw PythonError("NameError", "name '" + target.name + "' is not defined");
        return;
    case Expr::Kind::Attribute: deleteAttribute(eval(*target.a[0]), target.name); return;
    case Expr::Kind::Subscript: {
        const ValuePtr obj = eval(*target.a[0]);
        delItem(obj, eval(*target.a[1]));
        return;
    }
    case Expr::Kind::Tuple:
    case Expr::Kind::List:
        for (const ExprPtr& e : target.a)
            deleteTarget(*e);
        return;
    default: unsupported("this del target");
    }
}

}  // namespace mx::stmt
