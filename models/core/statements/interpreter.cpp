#include "core/statements/interpreter.h"

#include "core/statements/budget.h"

#include "core/formatting.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/resourcebudget.h"
#include "core/statements/tensorops.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <set>

namespace mx::stmt {

void typeError(const std::string& message) { throw PythonError("TypeError", message); }

ValuePtr scalarValue(const tensors::Scalar& s)
{
    switch (s.kind) {
    case tensors::Scalar::Kind::Bool: return boolean(s.b);
    case tensors::Scalar::Kind::Int: return integer(s.i);
    case tensors::Scalar::Kind::Float: return floating(s.f);
    }
    return none();
}

void unsupported(const std::string& what)
{
    throw PythonError("NotImplementedError",
                      what + " is not supported by Module Explorer's console");
}

namespace {

std::string plural(size_t n, const std::string& word)
{
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string quotedList(const std::vector<std::string>& names)
{
    // CPython's format_missing: 'a', 'a' and 'b', 'a', 'b', and 'c'
    std::string out;
    for (size_t k = 0; k < names.size(); ++k) {
        if (k > 0)
            out += names.size() == 2 ? " and " : (k + 1 == names.size() ? ", and " : ", ");
        out += "'" + names[k] + "'";
    }
    return out;
}

bool isNumber(const Value& v)
{
    return v.kind == Value::Kind::Bool || v.kind == Value::Kind::Int || v.kind == Value::Kind::Float;
}

bool isIntLike(const Value& v) { return v.kind == Value::Kind::Bool || v.kind == Value::Kind::Int; }

int64_t intOf(const Value& v) { return v.kind == Value::Kind::Int ? v.i : (v.b ? 1 : 0); }

double floatOf(const Value& v) { return v.kind == Value::Kind::Float ? v.f : static_cast<double>(intOf(v)); }

tensors::Scalar scalarOf(const Value& v)
{
    if (v.kind == Value::Kind::Bool)
        return tensors::Scalar::boolean(v.b);
    if (v.kind == Value::Kind::Int)
        return tensors::Scalar::integer(v.i);
    return tensors::Scalar::floating(v.f);
}


[[noreturn]] void overflow() { unsupported("integer arithmetic beyond 64 bits"); }

constexpr uint64_t kMaxSteps = 2000000;          // items of one sequence built at once
constexpr uint64_t kMaxLoopSteps = 50000000;     // loop iterations of one statement (Stop ends it sooner)

std::vector<ValuePtr> codePoints(const std::string& s)
{
    // One value per character: bounded like every sequence the console builds at once.
    if (utf8Length(s) > kMaxSteps)
        unsupported("sequences of more than " + std::to_string(kMaxSteps) + " items");
    reserveBytes(saturatingMul(s.size(), sizeof(Value) + 48), "the characters of a string");
    std::vector<ValuePtr> out;
    size_t i = 0;
    while (i < s.size()) {
        const size_t start = i;
        decodeUtf8(s, i);
        out.push_back(str(s.substr(start, i - start)));
    }
    return out;
}

// Python's slice.indices(length).
void sliceIndices(const Value& slice, int64_t length, int64_t& start, int64_t& stop, int64_t& step,
                  Interpreter& in)
{
    const ValuePtr& a = slice.items[0];
    const ValuePtr& b = slice.items[1];
    const ValuePtr& c = slice.items[2];
    step = c->kind == Value::Kind::None ? 1 : in.indexValue(c, "slice indices");
    if (step == 0)
        throw PythonError("ValueError", "slice step cannot be zero");
    const int64_t lower = step < 0 ? -1 : 0;
    const int64_t upper = step < 0 ? length - 1 : length;
    auto clamp = [&](const ValuePtr& v, int64_t fallback) {
        if (v->kind == Value::Kind::None)
            return fallback;
        int64_t x = in.indexValue(v, "slice indices");
        if (x < 0) {
            x += length;
            if (x < lower)
                x = lower;
        } else if (x > upper) {
            x = upper;
        }
        return x;
    };
    start = clamp(a, step < 0 ? upper : lower);
    stop = clamp(b, step < 0 ? lower : upper);
}

template <typename T>
std::vector<T> sliced(const std::vector<T>& items, int64_t start, int64_t stop, int64_t step)
{
    std::vector<T> out;
    if (step > 0)
        for (int64_t k = start; k < stop; k += step)
            out.push_back(items[static_cast<size_t>(k)]);
    else
        for (int64_t k = start; k > stop; k += step)
            out.push_back(items[static_cast<size_t>(k)]);
    return out;
}

}  // namespace

std::vector<ValuePtr> bindArguments(const Signature& sig, const Args& args)
{
    const size_t self = sig.countsSelf ? 1 : 0;
    std::vector<ValuePtr> bound(sig.params.size());
    size_t positionalParams = 0;
    for (const auto& p : sig.params)
        if (!p.keywordOnly)
            ++positionalParams;
    for (size_t k = 0; k < args.positional.size() && k < positionalParams; ++k)
        bound[k] = args.positional[k];
    for (const auto& [name, value] : args.keywords) {
        size_t k = 0;
        while (k < sig.params.size() && sig.params[k].name != name)
            ++k;
        if (k == sig.params.size())
            typeError(sig.qualName + "() got an unexpected keyword argument '" + name + "'");
        if (bound[k])
            typeError(sig.qualName + "() got multiple values for argument '" + name + "'");
        bound[k] = value;
    }
    if (args.positional.size() > positionalParams) {
        size_t required = 0;
        for (size_t k = 0; k < positionalParams; ++k)
            if (!sig.params[k].defaultValue)
                ++required;
        const size_t given = args.positional.size() + self;
        std::string takes;
        if (required < positionalParams)
            takes = "from " + std::to_string(required + self) + " to " +
                    std::to_string(positionalParams + self) + " positional arguments";
        else
            takes = plural(positionalParams + self, "positional argument");
        typeError(sig.qualName + "() takes " + takes + " but " + std::to_string(given) +
                  (given == 1 ? " was" : " were") + " given");
    }
    std::vector<std::string> missing, missingKw;
    for (size_t k = 0; k < sig.params.size(); ++k) {
        if (bound[k])
            continue;
        if (sig.params[k].defaultValue)
            bound[k] = sig.params[k].defaultValue;
        else
            (sig.params[k].keywordOnly ? missingKw : missing).push_back(sig.params[k].name);
    }
    if (!missing.empty())
        typeError(sig.qualName + "() missing " + std::to_string(missing.size()) + " required positional argument" +
                  (missing.size() == 1 ? "" : "s") + ": " + quotedList(missing));
    if (!missingKw.empty())
        typeError(sig.qualName + "() missing " + std::to_string(missingKw.size()) +
                  " required keyword-only argument" + (missingKw.size() == 1 ? "" : "s") + ": " +
                  quotedList(missingKw));
    return bound;
}

Interpreter::Interpreter(ModuleNode& model)
{
    restoreModel(model);
    globals_["torch"] = namespaceValue("torch");
    globals_["nn"] = namespaceValue("torch.nn");
    globals_["__name__"] = str("__main__");
}

Interpreter::Interpreter() : echo_(false)
{
    globals_["__name__"] = str("__main__");  // a script imports torch itself
}

void Interpreter::setProgram(std::shared_ptr<const ParseResult> program,
                             std::shared_ptr<const std::string> source)
{
    program_ = std::move(program);
    programSource_ = std::move(source);
}

void Interpreter::rollback()
{
    while (!edits_.empty()) {
        edits_.back().revert();
        edits_.pop_back();
        ++version_;
    }
    editTargets_.clear();
    restoreTrainingState();  // after: train() reaches only the modules the model holds again
}

void Interpreter::record(Edit edit)
{
    ++version_;
    if (edit.target())
        editTargets_.push_back(edit.target()->weak_from_this().lock());  // (none for the root)
    edits_.push_back(std::move(edit));
}

std::vector<Edit> Interpreter::takeEdits()
{
    std::vector<Edit> kept;
    for (Edit& e : edits_)
        if (model_ && e.target() && (e.target() == model_ || model_->contains(*e.target())))
            kept.push_back(std::move(e));
    edits_.clear();
    editTargets_.clear();
    return kept;
}

namespace {


int64_t rangeLength(const Value& r)
{
    if (r.step > 0)
        return r.start < r.stop ? (r.stop - r.start - 1) / r.step + 1 : 0;
    return r.start > r.stop ? (r.start - r.stop - 1) / (-r.step) + 1 : 0;
}

}  // namespace

void Interpreter::execute(const Stmt& statement)
{
    steps_ = 0;
    valueBytesAtStart_ = liveValueBytes();
    deadline_ = std::chrono::steady_clock::time_point::max();
    if (timeLimitSeconds_ > 0)
        deadline_ = std::chrono::steady_clock::now() +
                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                        std::chrono::duration<double>(timeLimitSeconds_));
    journal_.clear();
    keptFlags_.clear();
    exec(statement);
    // A Stop or a time limit that came during the last long tensor operation still counts.
    checkInterrupt();
    journal_.clear();  // the statement stands: what it changed in place is no longer kept
    keptFlags_.clear();
}

void Interpreter::countSteps(uint64_t n)
{
    steps_ = saturatingAdd(steps_, n);
    if (steps_ > kMaxLoopSteps)
        unsupported("running more than " + std::to_string(kMaxLoopSteps) + " steps in one statement");
    checkInterrupt();
}

void Interpreter::appendOutput(const std::string& text)
{
    reserveBytes(saturatingAdd(output_.size(), text.size()), "the printed output");
    output_ += text;
}

void Interpreter::checkInterrupt() const
{
    // Values the statement keeps making (list.append in a loop, ...) count against the budget.
    const uint64_t values = liveValueBytes();
    if (values > valueBytesAtStart_ && budgetedLiveBytes() > memoryBudgetBytes())
        reserveBytes(values - valueBytesAtStart_, "the values this statement made");
    if (interrupt_ && interrupt_->load(std::memory_order_relaxed))
        throw ConsoleError("KeyboardInterrupt");
    if (timeLimitSeconds_ > 0 && std::chrono::steady_clock::now() > deadline_) {
        char limit[32];
        std::snprintf(limit, sizeof limit, "%g", timeLimitSeconds_);
        throw ConsoleError(std::string("TimeoutError: the statement ran longer than its time limit of ") +
                           limit + " s");
    }
}

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
                unsupported("augmented assignment to a tensor (an in-place change)");
            if (current->kind == Value::Kind::List && s.op == "+") {  // list.__iadd__ extends in place
                for (const ValuePtr& item : toVector(rhs))
                    current->items.push_back(item);
                return current;
            }
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
        while (const ValuePtr item = nextItem(it)) {
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

// ---- expressions -------------------------------------------------------------------------------

ValuePtr Interpreter::evalName(const std::string& name)
{
    if (ValuePtr local = lookupLocal(name))
        return local;
    const auto it = globals_.find(name);
    if (it != globals_.end())
        return it->second;
    static const std::set<std::string> builtins{
        "print", "len",   "type",  "str",     "repr",   "int",     "float",   "bool",
        "list",  "tuple", "dict",  "range",   "enumerate", "zip",  "sorted",  "reversed",
        "sum",   "min",   "max",   "abs",     "round",  "isinstance", "hasattr", "getattr",
        "setattr", "delattr", "iter", "next", "any",   "all",     "id",      "callable",
        "chr",   "ord"};
    if (builtins.count(name)) {
        static const std::set<std::string> classes{"str", "int", "float", "bool", "list",
                                                   "tuple", "dict", "range", "type", "enumerate",
                                                   "zip", "reversed"};
        return classes.count(name) ? classValue(name) : functionValue(name);
    }
    static const std::set<std::string> otherBuiltins{
        "open", "exec", "eval", "input", "compile", "globals", "locals", "vars", "super",
        "object", "set", "frozenset", "map", "filter", "format", "hex", "bin", "oct", "pow",
        "divmod", "hash", "issubclass", "property", "staticmethod", "classmethod", "memoryview",
        "bytes", "bytearray", "complex", "slice", "breakpoint", "exit", "quit", "help",
        "copyright", "credits", "license", "ascii", "aiter", "anext", "dir", "__import__",
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
    case Expr::Kind::Lambda: unsupported("lambda expressions");
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

// format(value, spec) for the format-spec mini-language on str, int, float and bool.
std::string Interpreter::formatField(const ValuePtr& value, const std::string& spec)
{
    if (spec.empty())
        return toStr(*value);
    ValuePtr v = value;
    if (v->kind == Value::Kind::Tensor) {
        if (v->tensor.numel() == 1 && v->tensor.shape().empty())
            v = scalarValue(tensors::item(v->tensor));
        else
            typeError("unsupported format string passed to Tensor.__format__");
    }
    if (!isNumber(*v) && v->kind != Value::Kind::Str)
        typeError("unsupported format string passed to " + typeShortName(*v) + ".__format__");
    // [[fill]align][sign][#][0][width][grouping][.precision][type]
    size_t i = 0;
    std::string fill = " ";
    char align = 0;
    {
        size_t j = 0;
        decodeUtf8(spec, j);
        if (j < spec.size() && std::string("<>=^").find(spec[j]) != std::string::npos) {
            fill = spec.substr(0, j);
            align = spec[j];
            i = j + 1;
        } else if (!spec.empty() && std::string("<>=^").find(spec[0]) != std::string::npos) {
            align = spec[0];
            i = 1;
        }
    }
    char sign = '-';
    if (i < spec.size() && (spec[i] == '+' || spec[i] == '-' || spec[i] == ' '))
        sign = spec[i++];
    bool alternate = false;
    if (i < spec.size() && spec[i] == '#') {
        alternate = true;
        ++i;
    }
    if (i < spec.size() && spec[i] == '0') {
        if (!align) {
            fill = "0";
            align = '=';
        }
        ++i;
    }
    // Widths and precisions saturate instead of overflowing; Python's limits are below.
    auto number = [&]() {
        int64_t n = 0;
        while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i]))) {
            if (n > (INT64_MAX - 9) / 10)
                throw PythonError("ValueError", "Too many decimal digits in format string");
            n = n * 10 + (spec[i++] - '0');
        }
        return n;
    };
    const int64_t width = number();
    char grouping = 0;
    if (i < spec.size() && (spec[i] == ',' || spec[i] == '_'))
        grouping = spec[i++];
    int64_t precision = -1;
    if (i < spec.size() && spec[i] == '.') {
        ++i;
        precision = number();
    }
    char type = 0;
    if (i < spec.size())
        type = spec[i++];
    if (i != spec.size())
        throw PythonError("ValueError", "Invalid format specifier");
    std::string body;
    std::string prefix;  // '#': 0x, 0X, 0o, 0b before the digits (after the sign)
    bool negative = false;
    if (v->kind == Value::Kind::Str) {
        if (alternate)
            throw PythonError("ValueError", "Alternate form (#) not allowed in string format specifier");
        if (type && type != 's')
            throw PythonError("ValueError", std::string("Unknown format code '") + type +
                                                "' for object of type 'str'");
        if (sign != '-')
            throw PythonError("ValueError", "Sign not allowed in string format specifier");
        if (align == '=')
            throw PythonError("ValueError", "'=' alignment not allowed in string format specifier");
        body = v->s;
        if (precision >= 0) {
            size_t k = 0, n = 0;
            while (k < body.size() && static_cast<int64_t>(n) < precision) {
                decodeUtf8(body, k);
                ++n;
            }
            body = body.substr(0, k);
        }
        if (!align)
            align = '<';
    } else {
        const bool integral = isIntLike(*v) && (!type || std::string("dxXobcn").find(type) != std::string::npos);
        if (integral) {
            if (precision >= 0)
                throw PythonError("ValueError", "Precision not allowed in integer format specifier");
            if (v->kind == Value::Kind::Bool && !type) {
                body = v->b ? "True" : "False";
            } else {
                const int64_t x = intOf(*v);
                negative = x < 0;
                const uint64_t mag = negative ? 0 - static_cast<uint64_t>(x) : static_cast<uint64_t>(x);
                char buf[80];
                if (type == 'x' || type == 'X' || type == 'o' || type == 'b') {
                    if (alternate)
                        prefix = std::string("0") + type;
                    if (type == 'b') {
                        std::string bits;
                        uint64_t m = mag;
                        do {
                            bits.insert(bits.begin(), static_cast<char>('0' + (m & 1)));
                            m >>= 1;
                        } while (m);
                        body = bits;
                    } else {
                        std::snprintf(buf, sizeof buf, type == 'x' ? "%llx" : type == 'X' ? "%llX" : "%llo",
                                      static_cast<unsigned long long>(mag));
                        body = buf;
                    }
                } else if (type == 'c') {
                    body.clear();
                    appendUtf8(body, static_cast<unsigned>(mag));
                } else {
                    body = std::to_string(mag);
                }
            }
        } else {
            if (type && std::string("eEfFgG%").find(type) == std::string::npos)
                throw PythonError("ValueError", std::string("Unknown format code '") + type +
                                                    "' for object of type '" + typeShortName(*v) + "'");
            if (alternate)
                unsupported("'#' (alternate form) in float format specs");
            double x = floatOf(*v);
            negative = std::signbit(x) && !std::isnan(x);
            x = std::fabs(x);
            if (precision > INT_MAX)
                throw PythonError("ValueError", "precision too big");
            const int p = precision < 0 ? 6 : static_cast<int>(precision);
            // Long precisions count each digit as a step of the statement's budget (glibc makes
            // them one by one), and the text is reserved first.
            if (p > 4096)
                countSteps(static_cast<uint64_t>(p));
            reserveBytes(static_cast<uint64_t>(p) * 2 + 1024);
            std::string buf(static_cast<size_t>(p) + 400, '\0');  // digits + exponent + '%'
            auto printed = [&](const char* fmt, int digits, double value) {
                const int n = std::snprintf(buf.data(), buf.size(), fmt, digits, value);
                if (n >= static_cast<int>(buf.size())) {  // %f of 1e308: the integer part is long
                    buf.assign(static_cast<size_t>(n) + 1, '\0');
                    std::snprintf(buf.data(), buf.size(), fmt, digits, value);
                }
                return std::string(buf.c_str());
            };
            if (std::isnan(x) || std::isinf(x)) {
                body = std::isnan(x) ? "nan" : "inf";
                if (type && std::isupper(static_cast<unsigned char>(type)))
                    std::transform(body.begin(), body.end(), body.begin(), ::toupper);
                if (type == '%')
                    body += "%";
            } else if (type == '%') {
                body = printed("%.*f", p, x * 100) + "%";
            } else if (type == 'f' || type == 'F' || type == 'e' || type == 'E') {
                const char fmt[] = {'%', '.', '*', type, 0};
                body = printed(fmt, p, x);
            } else if (type == 'g' || type == 'G') {
                const char fmt[] = {'%', '.', '*', type, 0};
                body = printed(fmt, p == 0 ? 1 : p, x);
            } else if (precision < 0) {
                body = pythonFloat(x);
            } else {
                body = printed("%.*g", p == 0 ? 1 : p, x);
                if (body.find_first_of(".e") == std::string::npos)
                    body += ".0";
            }
        }
        if (grouping) {
            const size_t dot = body.find_first_of(".e%");
            std::string intPart = body.substr(0, dot == std::string::npos ? body.size() : dot);
            const std::string rest = dot == std::string::npos ? "" : body.substr(dot);
            if (std::all_of(intPart.begin(), intPart.end(), ::isdigit)) {
                std::string grouped;
                for (size_t k = 0; k < intPart.size(); ++k) {
                    if (k && (intPart.size() - k) % 3 == 0)
                        grouped += grouping;
                    grouped += intPart[k];
                }
                body = grouped + rest;
            }
        }
        if (!align)
            align = '>';
    }
    const std::string signText = (negative ? "-" : (sign == '+' ? "+" : sign == ' ' ? " " : "")) + prefix;
    const int64_t len = static_cast<int64_t>(utf8Length(body) + signText.size());
    const int64_t padCount = std::max<int64_t>(0, width - len);
    reserveBytes(saturatingAdd(saturatingMul(static_cast<uint64_t>(padCount), fill.size()), body.size()));
    auto repeated = [&](int64_t count) {
        std::string out;
        out.reserve(static_cast<size_t>(count) * fill.size());
        for (int64_t k = 0; k < count; ++k)
            out += fill;
        return out;
    };
    const std::string pad = repeated(padCount);
    switch (align) {
    case '<': return signText + body + pad;
    case '=': return signText + pad + body;
    case '^': return repeated(padCount / 2) + signText + body + repeated(padCount - padCount / 2);
    default: return pad + signText + body;
    }
}

// ---- operators ---------------------------------------------------------------------------------

ValuePtr Interpreter::binaryOp(const std::string& op, const ValuePtr& a, const ValuePtr& b)
{
    const Value& x = *a;
    const Value& y = *b;
    if (x.kind == Value::Kind::Tensor || y.kind == Value::Kind::Tensor) {
        if (x.kind == Value::Kind::Tensor && y.kind == Value::Kind::Tensor)
            return tensorValue(tensors::binary(op, x.tensor, y.tensor));
        if (x.kind == Value::Kind::Tensor && isNumber(y))
            return tensorValue(tensors::binaryScalar(op, x.tensor, scalarOf(y), false));
        if (y.kind == Value::Kind::Tensor && isNumber(x))
            return tensorValue(tensors::binaryScalar(op, y.tensor, scalarOf(x), true));
    }
    if (isNumber(x) && isNumber(y)) {
        if (isIntLike(x) && isIntLike(y)) {
            const int64_t p = intOf(x), q = intOf(y);
            int64_t r = 0;
            if (op == "+") { if (__builtin_add_overflow(p, q, &r)) overflow(); return integer(r); }
            if (op == "-") { if (__builtin_sub_overflow(p, q, &r)) overflow(); return integer(r); }
            if (op == "*") { if (__builtin_mul_overflow(p, q, &r)) overflow(); return integer(r); }
            if (op == "/") {
                if (q == 0)
                    throw PythonError("ZeroDivisionError", "division by zero");
                return floating(static_cast<double>(p) / static_cast<double>(q));
            }
            if (op == "//" || op == "%") {
                if (q == 0)
                    throw PythonError("ZeroDivisionError", "integer division or modulo by zero");
                if (p == INT64_MIN && q == -1)
                    overflow();
                int64_t div = p / q, mod = p % q;
                if (mod != 0 && ((mod < 0) != (q < 0))) {
                    mod += q;
                    div -= 1;
                }
                return integer(op == "//" ? div : mod);
            }
            if (op == "**") {
                if (q < 0) {
                    if (p == 0)
                        throw PythonError("ZeroDivisionError", "0.0 cannot be raised to a negative power");
                    return floating(std::pow(static_cast<double>(p), static_cast<double>(q)));
                }
                // By squaring: (-1) ** 10**12 takes 40 steps, not 10**12.
                int64_t result = 1, base = p;
                for (int64_t e = q; e > 0; e >>= 1) {
                    if ((e & 1) && __builtin_mul_overflow(result, base, &result))
                        overflow();
                    if (e > 1 && __builtin_mul_overflow(base, base, &base))
                        overflow();  // |p| >= 2 with bits left: the result overflows too
                }
                return integer(result);
            }
            if (op == "&") return x.kind == Value::Kind::Bool && y.kind == Value::Kind::Bool ? boolean(p & q) : integer(p & q);
            if (op == "|") return x.kind == Value::Kind::Bool && y.kind == Value::Kind::Bool ? boolean(p | q) : integer(p | q);
            if (op == "^") return x.kind == Value::Kind::Bool && y.kind == Value::Kind::Bool ? boolean(p ^ q) : integer(p ^ q);
            if (op == "<<" || op == ">>") {
                if (q < 0)
                    throw PythonError("ValueError", "negative shift count");
                if (op == ">>")
                    return integer(q >= 64 ? (p < 0 ? -1 : 0) : p >> q);
                if (q >= 63 || (p != 0 && (std::abs(p) >> (63 - q)) != 0))
                    overflow();
                return integer(p * (int64_t(1) << q));
            }
        } else {
            const double p = floatOf(x), q = floatOf(y);
            if (op == "+") return floating(p + q);
            if (op == "-") return floating(p - q);
            if (op == "*") return floating(p * q);
            if (op == "/") {
                if (q == 0)
                    throw PythonError("ZeroDivisionError", "float division by zero");
                return floating(p / q);
            }
            if (op == "//" || op == "%") {
                if (q == 0)
                    throw PythonError("ZeroDivisionError", op == "//" ? "float floor division by zero"
                                                                      : "float modulo");
                double mod = std::fmod(p, q);
                double div = (p - mod) / q;
                if (mod != 0) {
                    if ((q < 0) != (mod < 0)) {
                        mod += q;
                        div -= 1.0;
                    }
                } else {
                    mod = std::copysign(0.0, q);
                }
                double floordiv;
                if (div != 0) {
                    floordiv = std::floor(div);
                    if (div - floordiv > 0.5)
                        floordiv += 1.0;
                } else {
                    floordiv = std::copysign(0.0, p / q);
                }
                return floating(op == "//" ? floordiv : mod);
            }
            if (op == "**") {
                if (p == 0 && q < 0)
                    throw PythonError("ZeroDivisionError", "0.0 cannot be raised to a negative power");
                if (p < 0 && q != std::floor(q))
                    unsupported("complex numbers");
                return floating(std::pow(p, q));
            }
        }
    }
    if (op == "+") {
        if (x.kind == Value::Kind::Str) {
            if (y.kind != Value::Kind::Str)
                typeError("can only concatenate str (not \"" + typeShortName(y) + "\") to str");
            reserveBytes(saturatingAdd(x.s.size(), y.s.size()));
            return str(x.s + y.s);
        }
        if (x.kind == Value::Kind::List) {
            if (y.kind != Value::Kind::List)
                typeError("can only concatenate list (not \"" + typeShortName(y) + "\") to list");
            if (x.items.size() + y.items.size() > kMaxSteps)
                unsupported("sequences of more than " + std::to_string(kMaxSteps) + " items");
            std::vector<ValuePtr> items = x.items;
            items.insert(items.end(), y.items.begin(), y.items.end());
            return listValue(items);
        }
        if (x.kind == Value::Kind::Size && (y.kind == Value::Kind::Size || y.kind == Value::Kind::Tuple)) {
            std::vector<int64_t> dims = x.dims;
            for (const ValuePtr& item : toVector(b)) {
                if (item->kind != Value::Kind::Int)
                    typeError("torch.Size() takes an iterable of 'int' (item " +
                              std::to_string(dims.size()) + " is '" + typeShortName(*item) + "')");
                dims.push_back(item->i);
            }
            return sizeValue(dims);
        }
        if (x.kind == Value::Kind::Tuple || x.kind == Value::Kind::Size) {
            if (y.kind != Value::Kind::Tuple && y.kind != Value::Kind::Size)
                typeError("can only concatenate tuple (not \"" + typeShortName(y) + "\") to tuple");
            std::vector<ValuePtr> items = toVector(a);
            for (const ValuePtr& item : toVector(b))
                items.push_back(item);
            return tupleValue(items);
        }
    }
    if (op == "*") {
        const bool xs = x.kind == Value::Kind::Str || x.kind == Value::Kind::List || x.kind == Value::Kind::Tuple;
        const bool ys = y.kind == Value::Kind::Str || y.kind == Value::Kind::List || y.kind == Value::Kind::Tuple;
        if (xs || ys) {
            const Value& seq = xs ? x : y;
            const Value& count = xs ? y : x;
            if (!isIntLike(count))
                typeError("can't multiply sequence by non-int of type '" + typeShortName(count) + "'");
            const int64_t n = std::max<int64_t>(0, intOf(count));
            if (seq.kind == Value::Kind::Str) {
                if (n == 0 || seq.s.empty())
                    return str("");
                if (utf8Length(seq.s) > static_cast<size_t>(INT64_MAX / n))
                    throw PythonError("OverflowError", "repeated string is too long");
                const uint64_t total = saturatingMul(seq.s.size(), static_cast<uint64_t>(n));
                reserveBytes(total);
                std::string out;
                out.reserve(total);
                out = seq.s;
                while (out.size() * 2 <= total)  // doubling: 'a' * 10**9 is 30 appends
                    out += out;
                out.append(out, 0, total - out.size());
                return str(std::move(out));
            }
            if (!seq.items.empty() && static_cast<uint64_t>(n) > kMaxSteps / seq.items.size())
                unsupported("sequences of more than " + std::to_string(kMaxSteps) + " items");
            std::vector<ValuePtr> items;
            for (int64_t k = 0; k < n; ++k)
                items.insert(items.end(), seq.items.begin(), seq.items.end());
            return seq.kind == Value::Kind::List ? listValue(items) : tupleValue(items);
        }
    }
    if (op == "%" && x.kind == Value::Kind::Str)
        return percentFormat(x.s, b);
    typeError("unsupported operand type(s) for " + op + ": '" + typeShortName(x) + "' and '" +
              typeShortName(y) + "'");
}

ValuePtr Interpreter::unaryOp(const std::string& op, const ValuePtr& a)
{
    const Value& x = *a;
    if (x.kind == Value::Kind::Tensor)
        return tensorValue(tensors::unary(op == "-" ? "neg" : op == "+" ? "pos" : "invert", x.tensor));
    if (isIntLike(x)) {
        const int64_t v = intOf(x);
        if (op == "-") {
            if (v == INT64_MIN)
                overflow();
            return integer(-v);
        }
        if (op == "+")
            return integer(v);
        return integer(~v);
    }
    if (x.kind == Value::Kind::Float && op != "~")
        return floating(op == "-" ? -x.f : x.f);
    typeError("bad operand type for unary " + op + ": '" + typeShortName(x) + "'");
}

ValuePtr Interpreter::compare(const std::string& op, const ValuePtr& a, const ValuePtr& b)
{
    const Value& x = *a;
    const Value& y = *b;
    if (op == "is" || op == "is not") {
        bool same = a == b;
        if (!same && x.kind == y.kind) {
            switch (x.kind) {
            case Value::Kind::None:
            case Value::Kind::Ellipsis: same = true; break;
            case Value::Kind::Bool: same = x.b == y.b; break;
            case Value::Kind::Int: same = x.i == y.i && x.i >= -5 && x.i <= 256; break;
            case Value::Kind::Tensor: same = x.tensor.identity() == y.tensor.identity() && x.isParameter == y.isParameter; break;
            case Value::Kind::Module: same = x.module.expected == y.module.expected; break;
            case Value::Kind::Dtype:
            case Value::Kind::Namespace:
            case Value::Kind::Class:
                same = x.userClass || y.userClass ? x.userClass == y.userClass : x.s == y.s;
                break;
            default: break;
            }
        }
        return boolean(op == "is" ? same : !same);
    }
    if (op == "in")
        return boolean(contains(b, a));
    if (op == "not in")
        return boolean(!contains(b, a));
    if ((x.kind == Value::Kind::Tensor && (y.kind == Value::Kind::Tensor || isNumber(y))) ||
        (y.kind == Value::Kind::Tensor && isNumber(x)))
        return binaryOp(op, a, b);
    if (op == "==")
        return boolean(equal(x, y));
    if (op == "!=")
        return boolean(!equal(x, y));
    auto order = [&](int c) {
        if (op == "<") return c < 0;
        if (op == "<=") return c <= 0;
        if (op == ">") return c > 0;
        return c >= 0;
    };
    if (isNumber(x) && isNumber(y)) {
        if (isIntLike(x) && isIntLike(y))
            return boolean(order(intOf(x) < intOf(y) ? -1 : intOf(x) > intOf(y) ? 1 : 0));
        const double p = floatOf(x), q = floatOf(y);
        if (std::isnan(p) || std::isnan(q))
            return boolean(false);
        return boolean(order(p < q ? -1 : p > q ? 1 : 0));
    }
    if (x.kind == Value::Kind::Str && y.kind == Value::Kind::Str)
        return boolean(order(x.s.compare(y.s)));
    auto seq = [](const Value& v) {
        return v.kind == Value::Kind::List || v.kind == Value::Kind::Tuple || v.kind == Value::Kind::Size;
    };
    if (seq(x) && seq(y) && (x.kind == Value::Kind::List) == (y.kind == Value::Kind::List)) {
        const std::vector<ValuePtr> p = toVector(a), q = toVector(b);
        for (size_t k = 0; k < p.size() && k < q.size(); ++k) {
            if (equal(*p[k], *q[k]))
                continue;
            return compare(op, p[k], q[k]);
        }
        return boolean(order(p.size() < q.size() ? -1 : p.size() > q.size() ? 1 : 0));
    }
    typeError("'" + op + "' not supported between instances of '" + typeShortName(x) + "' and '" +
              typeShortName(y) + "'");
}

bool Interpreter::contains(const ValuePtr& container, const ValuePtr& item)
{
    const Value& c = *container;
    switch (c.kind) {
    case Value::Kind::Str:
        if (item->kind != Value::Kind::Str)
            typeError("'in <string>' requires string as left operand, not " + typeShortName(*item));
        return c.s.find(item->s) != std::string::npos;
    case Value::Kind::Dict:
        for (const ValuePtr& k : c.keys)
            if (equal(*k, *item))
                return true;
        return false;
    case Value::Kind::Tensor: unsupported("'in' on tensors");
    case Value::Kind::Module:
        if (resolveModule(c.module).typeName() == "ModuleDict") {
            if (item->kind != Value::Kind::Str)
                return false;
            const std::vector<ChildSlot>& slots = resolveModule(c.module).childSlots();
            return std::any_of(slots.begin(), slots.end(),
                               [&](const ChildSlot& slot) { return slot.name == item->s; });
        }
        if (!isIndexedContainer(resolveModule(c.module).typeName()))
            typeError("argument of type '" + typeShortName(c) + "' is not iterable");
        [[fallthrough]];
    default: {
        const ValuePtr it = iterate(container);
        while (const ValuePtr v = nextItem(it))
            if (equal(*v, *item))
                return true;
        return false;
    }
    }
}

// ---- subscripts --------------------------------------------------------------------------------

// s[index] and s[slice] by byte offsets: no value per character, so long strings index cheaply.
ValuePtr Interpreter::stringItem(const std::string& s, const ValuePtr& index, bool isSlice)
{
    const bool ascii = std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    std::vector<size_t> offsets;  // of each character, then the end (non-ASCII only)
    if (!ascii) {
        reserveBytes(saturatingMul(s.size(), sizeof(size_t)), "the characters of a string");
        for (size_t i = 0; i < s.size();) {
            offsets.push_back(i);
            decodeUtf8(s, i);
        }
        offsets.push_back(s.size());
    }
    const int64_t n = ascii ? static_cast<int64_t>(s.size()) : static_cast<int64_t>(offsets.size()) - 1;
    auto character = [&](int64_t k) {
        const size_t from = ascii ? static_cast<size_t>(k) : offsets[static_cast<size_t>(k)];
        const size_t to = ascii ? from + 1 : offsets[static_cast<size_t>(k) + 1];
        return std::string_view(s).substr(from, to - from);
    };
    if (isSlice) {
        int64_t start, stop, step;
        sliceIndices(*index, n, start, stop, step, *this);
        const int64_t count = step > 0 ? (start < stop ? (stop - start - 1) / step + 1 : 0)
                                       : (start > stop ? (start - stop - 1) / (-step) + 1 : 0);
        reserveBytes(saturatingMul(static_cast<uint64_t>(count), 4));
        std::string out;
        for (int64_t k = 0, at = start; k < count; ++k, at += step)
            out += character(at);
        return str(std::move(out));
    }
    if (!isIntLike(*index) && index->kind != Value::Kind::Tensor)
        typeError("string indices must be integers or slices, not " + typeShortName(*index));
    int64_t k = indexValue(index, "string indices");
    if (k < 0)
        k += n;
    if (k < 0 || k >= n)
        throw PythonError("IndexError", "string index out of range");
    return str(std::string(character(k)));
}

ValuePtr Interpreter::subscript(const ValuePtr& obj, const ValuePtr& index)
{
    const Value& o = *obj;
    const bool isSlice = index->kind == Value::Kind::Slice;
    auto sequenceItem = [&](const std::vector<ValuePtr>& items, const std::string& what) -> ValuePtr {
        if (isSlice) {
            int64_t start, stop, step;
            sliceIndices(*index, static_cast<int64_t>(items.size()), start, stop, step, *this);
            return listValue(sliced(items, start, stop, step));
        }
        if (!isIntLike(*index) && index->kind != Value::Kind::Tensor)
            typeError(what + " indices must be integers or slices, not " + typeShortName(*index));
        int64_t k = indexValue(index, what + " indices");
        const int64_t n = static_cast<int64_t>(items.size());
        if (k < 0)
            k += n;
        if (k < 0 || k >= n)
            throw PythonError("IndexError", what + " index out of range");
        return items[static_cast<size_t>(k)];
    };
    switch (o.kind) {
    case Value::Kind::List: return sequenceItem(o.items, "list");
    case Value::Kind::Tuple: {
        ValuePtr r = sequenceItem(o.items, "tuple");
        return isSlice ? tupleValue(r->items) : r;
    }
    case Value::Kind::Size: {
        ValuePtr r = sequenceItem(toVector(obj), "tuple");
        if (!isSlice)
            return r;
        std::vector<int64_t> dims;
        for (const ValuePtr& v : r->items)
            dims.push_back(v->i);
        return sizeValue(dims);
    }
    case Value::Kind::Str: return stringItem(o.s, index, isSlice);
    case Value::Kind::Range: {
        std::vector<ValuePtr> items = toVector(obj);
        ValuePtr r = sequenceItem(items, "range object");
        if (isSlice)
            unsupported("slicing a range");
        return r;
    }
    case Value::Kind::Dict:
        if (!hashable(*index))
            typeError("unhashable type: '" + typeShortName(*index) + "'");
        for (size_t k = 0; k < o.keys.size(); ++k)
            if (equal(*o.keys[k], *index))
                return o.items[k];
        if (index->kind == Value::Kind::Str)
            throw PythonError("KeyError", index->s);
        throw ConsoleError("KeyError: " + repr(*index));
    case Value::Kind::Tensor: {
        std::vector<tensors::Index> list;
        const std::vector<ValuePtr> parts =
            index->kind == Value::Kind::Tuple ? index->items : std::vector<ValuePtr>{index};
        for (const ValuePtr& p : parts) {
            tensors::Index ix;
            if (p->kind == Value::Kind::Int) {
                ix.i = p->i;
            } else if (p->kind == Value::Kind::Bool) {
                ix.kind = tensors::Index::Kind::Bool;
                ix.i = p->b;
            } else if (p->kind == Value::Kind::None) {
                ix.kind = tensors::Index::Kind::None;
            } else if (p->kind == Value::Kind::Ellipsis) {
                ix.kind = tensors::Index::Kind::Ellipsis;
            } else if (p->kind == Value::Kind::Slice) {
                ix.kind = tensors::Index::Kind::Slice;
                if ((ix.hasStart = p->items[0]->kind != Value::Kind::None))
                    ix.start = indexValue(p->items[0], "slice indices");
                if ((ix.hasStop = p->items[1]->kind != Value::Kind::None))
                    ix.stop = indexValue(p->items[1], "slice indices");
                if ((ix.hasStep = p->items[2]->kind != Value::Kind::None))
                    ix.step = indexValue(p->items[2], "slice indices");
            } else {
                unsupported("indexing a tensor with " + typeShortName(*p) + " values");
            }
            list.push_back(ix);
        }
        return tensorValue(tensors::index(o.tensor, list));
    }
    case Value::Kind::Module: {
        ModuleNode& node = resolveModule(o.module);
        if (node.typeName() == "ModuleDict") {
            for (const ChildSlot& slot : node.childSlots())
                if (index->kind == Value::Kind::Str && slot.name == index->s)
                    return slot.module ? moduleValue(childRef(o.module, slot.name, slot.module.get())) : none();
            if (index->kind == Value::Kind::Str)
                throw PythonError("KeyError", index->s);
            throw ConsoleError("KeyError: " + repr(*index));
        }
        if (!isIndexedContainer(node.typeName()))
            typeError("'" + node.typeName() + "' object is not subscriptable");
        if (isSlice)
            unsupported("slicing a " + node.typeName());
        const auto& slots = node.childSlots();
        const int64_t size = static_cast<int64_t>(slots.size());
        if (!isIntLike(*index))
            typeError("'" + typeShortName(*index) + "' object cannot be interpreted as an integer");
        int64_t k = intOf(*index);
        if (!(-size <= k && k < size))
            throw PythonError("IndexError", "index " + std::to_string(k) + " is out of range");
        k = ((k % size) + size) % size;
        const ChildSlot& slot = slots[static_cast<size_t>(k)];
        if (!slot.module)
            return none();
        return moduleValue(childRef(o.module, slot.name, slot.module.get()));
    }
    default:
        typeError("'" + typeShortName(o) + "' object is not subscriptable");
    }
}

// `list[i] = v` and `del list[i]`: the position i names (negative counts from the end), or
// Python's TypeError / IndexError; slices are not supported (`sliceWhat` says which use).
size_t Interpreter::listAssignmentIndex(const Value& list, const ValuePtr& index, const char* sliceWhat)
{
    if (index->kind == Value::Kind::Slice)
        unsupported(sliceWhat);
    if (!isIntLike(*index))
        typeError("list indices must be integers or slices, not " + typeShortName(*index));
    int64_t k = intOf(*index);
    const int64_t n = static_cast<int64_t>(list.items.size());
    if (k < 0)
        k += n;
    if (k < 0 || k >= n)
        throw PythonError("IndexError", "list assignment index out of range");
    return static_cast<size_t>(k);
}

void Interpreter::setItem(const ValuePtr& obj, const ValuePtr& index, const ValuePtr& value)
{
    Value& o = *obj;
    switch (o.kind) {
    case Value::Kind::List: {
        o.items[listAssignmentIndex(o, index, "slice assignment")] = value;
        return;
    }
    case Value::Kind::Dict:
        if (!hashable(*index))
            typeError("unhashable type: '" + typeShortName(*index) + "'");
        for (size_t k = 0; k < o.keys.size(); ++k)
            if (equal(*o.keys[k], *index)) {
                o.items[k] = value;
                return;
            }
        o.keys.push_back(index);
        o.items.push_back(value);
        ++o.version;
        return;
    case Value::Kind::Module: {
        ModuleNode& node = resolveModule(o.module);
        if (node.typeName() == "ModuleDict") {
            addChildModule(obj, index, value);
            return;
        }
        if (!isIndexedContainer(node.typeName()))
            typeError("'" + node.typeName() + "' object does not support item assignment");
        if (!isIntLike(*index))
            typeError("'" + typeShortName(*index) + "' object cannot be interpreted as an integer");
        const auto& slots = node.childSlots();
        const int64_t size = static_cast<int64_t>(slots.size());
        int64_t k = intOf(*index);
        if (!(-size <= k && k < size))
            throw PythonError("IndexError", "index " + std::to_string(k) + " is out of range");
        k = ((k % size) + size) % size;
        setAttribute(obj, slots[static_cast<size_t>(k)].name, value);
        return;
    }
    case Value::Kind::Tensor: unsupported("assigning into a tensor (an in-place change)");
    default: typeError("'" + typeShortName(o) + "' object does not support item assignment");
    }
}

void Interpreter::delItem(const ValuePtr& obj, const ValuePtr& index)
{
    Value& o = *obj;
    switch (o.kind) {
    case Value::Kind::List: {
        o.items.erase(o.items.begin() + long(listAssignmentIndex(o, index, "deleting a slice")));
        return;
    }
    case Value::Kind::Dict:
        for (size_t k = 0; k < o.keys.size(); ++k)
            if (equal(*o.keys[k], *index)) {
                o.keys.erase(o.keys.begin() + static_cast<long>(k));
                o.items.erase(o.items.begin() + static_cast<long>(k));
                ++o.version;
                return;
            }
        if (index->kind == Value::Kind::Str)
            throw PythonError("KeyError", index->s);
        throw ConsoleError("KeyError: " + repr(*index));
    case Value::Kind::Module: {
        // Sequential.__delitem__ in PyTorch 1.13: delattr of the key(s) at that position (or
        // slice), then `self._modules` is rebuilt with keys "0", "1", ... (`del seq[1]` on 0, 1,
        // 2 leaves 0, 1). One edit: undo brings back the names and the deleted modules.
        ModuleNode& node = resolveModule(o.module);
        if (node.typeName() == "ModuleDict") {
            const bool present = index->kind == Value::Kind::Str &&
                                 std::any_of(node.childSlots().begin(), node.childSlots().end(),
                                             [&](const ChildSlot& slot) { return slot.name == index->s; });
            if (!present) {
                if (index->kind == Value::Kind::Str)
                    throw PythonError("KeyError", index->s);
                throw ConsoleError("KeyError: " + repr(*index));
            }
            deleteAttribute(obj, index->s);
            return;
        }
        if (!isIndexedContainer(node.typeName()))
            typeError("'" + typeShortName(o) + "' object doesn't support item deletion");
        const int64_t size = static_cast<int64_t>(node.childSlots().size());
        std::vector<size_t> doomed;
        if (index->kind == Value::Kind::Slice) {
            int64_t start, stop, step;
            sliceIndices(*index, size, start, stop, step, *this);
            for (int64_t k = start; step > 0 ? k < stop : k > stop; k += step)
                doomed.push_back(static_cast<size_t>(k));
        } else {
            if (!isIntLike(*index))
                typeError("'" + typeShortName(*index) + "' object cannot be interpreted as an integer");
            int64_t k = intOf(*index);
            if (!(-size <= k && k < size))
                throw PythonError("IndexError", "index " + std::to_string(k) + " is out of range");
            doomed.push_back(static_cast<size_t>(k < 0 ? k + size : k));
        }
        record(node.deleteChildrenRenumbered(std::move(doomed)));
        return;
    }
    default: typeError("'" + typeShortName(o) + "' object doesn't support item deletion");
    }
}

// ---- protocols ---------------------------------------------------------------------------------

bool Interpreter::truthy(const Value& v)
{
    switch (v.kind) {
    case Value::Kind::None: return false;
    case Value::Kind::Bool: return v.b;
    case Value::Kind::Int: return v.i != 0;
    case Value::Kind::Float: return v.f != 0;
    case Value::Kind::Str: return !v.s.empty();
    case Value::Kind::List:
    case Value::Kind::Tuple: return !v.items.empty();
    case Value::Kind::Dict: return !v.keys.empty();
    case Value::Kind::DictView: return !v.receiver->keys.empty();
    case Value::Kind::Size: return !v.dims.empty();
    case Value::Kind::Range: return v.step > 0 ? v.start < v.stop : v.start > v.stop;
    case Value::Kind::Tensor: {
        const int64_t n = v.tensor.numel();
        if (n == 0)
            throw PythonError("RuntimeError", "Boolean value of Tensor with no values is ambiguous");
        if (n > 1)
            throw PythonError("RuntimeError",
                              "Boolean value of Tensor with more than one value is ambiguous");
        const tensors::Scalar s = tensors::item(v.tensor);
        return s.kind == tensors::Scalar::Kind::Bool ? s.b
               : s.kind == tensors::Scalar::Kind::Int ? s.i != 0
                                                      : s.f != 0;
    }
    case Value::Kind::Module: {
        ModuleNode& node = resolveModule(v.module);
        return (!isIndexedContainer(node.typeName()) && node.typeName() != "ModuleDict") ||
               !node.childSlots().empty();
    }
    default: return true;
    }
}

ValuePtr Interpreter::iterate(const ValuePtr& v)
{
    switch (v->kind) {
    case Value::Kind::Iterator: return v;
    case Value::Kind::List: {
        auto pos = std::make_shared<size_t>(0);
        return iteratorValue("list_iterator", "", [v, pos]() -> ValuePtr {
            return *pos < v->items.size() ? v->items[(*pos)++] : nullptr;
        });
    }
    case Value::Kind::Range: {
        auto next = std::make_shared<int64_t>(v->start);
        auto left = std::make_shared<int64_t>(rangeLength(*v));
        const int64_t step = v->step;
        return iteratorValue("range_iterator", "", [next, left, step]() -> ValuePtr {
            if (*left <= 0)
                return nullptr;
            --*left;
            const int64_t value = *next;
            *next += step;
            return integer(value);
        });
    }
    case Value::Kind::Tuple:
    case Value::Kind::Size:
    case Value::Kind::Str: {
        auto items = std::make_shared<std::vector<ValuePtr>>(toVector(v));
        auto pos = std::make_shared<size_t>(0);
        const std::string type = v->kind == Value::Kind::Str ? "str_ascii_iterator" : "tuple_iterator";
        return iteratorValue(type, "", [items, pos]() -> ValuePtr {
            return *pos < items->size() ? (*items)[(*pos)++] : nullptr;
        });
    }
    case Value::Kind::Dict:
    case Value::Kind::DictView: {
        const ValuePtr dict = v->kind == Value::Kind::Dict ? v : v->receiver;
        const std::string view = v->kind == Value::Kind::Dict ? "keys" : v->s;
        auto pos = std::make_shared<size_t>(0);
        const uint64_t version = dict->version;
        const size_t size = dict->keys.size();
        const std::string type = std::string(dict->ordered ? "odict_" : "dict_") +
                                 (view == "keys" ? "keyiterator" : view == "values" ? "valueiterator" : "itemiterator");
        return iteratorValue(type, "", [dict, view, pos, version, size]() -> ValuePtr {
            if (dict->version != version || dict->keys.size() != size)
                throw PythonError("RuntimeError", dict->ordered ? "OrderedDict mutated during iteration"
                                                                : "dictionary changed size during iteration");
            if (*pos >= dict->keys.size())
                return nullptr;
            const size_t k = (*pos)++;
            if (view == "keys")
                return dict->keys[k];
            if (view == "values")
                return dict->items[k];
            return tupleValue({dict->keys[k], dict->items[k]});
        });
    }
    case Value::Kind::Tensor: {
        const std::vector<int64_t> shape = v->tensor.shape();
        if (shape.empty())
            typeError("iteration over a 0-d tensor");
        auto pos = std::make_shared<int64_t>(0);
        const TensorRef t = v->tensor;
        const int64_t n = shape[0];
        return iteratorValue("iterator", "", [t, pos, n]() -> ValuePtr {
            if (*pos >= n)
                return nullptr;
            tensors::Index ix;
            ix.i = (*pos)++;
            return tensorValue(tensors::index(t, {ix}));
        });
    }
    case Value::Kind::Module: {
        ModuleNode& node = resolveModule(v->module);
        const bool dict = node.typeName() == "ModuleDict";  // iterates over its keys
        if (!isIndexedContainer(node.typeName()) && !dict)
            typeError("'" + node.typeName() + "' object is not iterable");
        std::vector<ValuePtr> children;
        for (const ChildSlot& slot : node.childSlots())
            children.push_back(dict          ? str(slot.name)
                               : slot.module ? moduleValue(childRef(v->module, slot.name, slot.module.get()))
                                             : none());
        auto items = std::make_shared<std::vector<ValuePtr>>(std::move(children));
        auto pos = std::make_shared<size_t>(0);
        return iteratorValue("odict_valueiterator", "", [items, pos]() -> ValuePtr {
            return *pos < items->size() ? (*items)[(*pos)++] : nullptr;
        });
    }
    default: typeError("'" + typeShortName(*v) + "' object is not iterable");
    }
}

ValuePtr Interpreter::nextItem(const ValuePtr& iterator)
{
    countSteps(1);
    return iterator->iterator->next();
}

std::vector<ValuePtr> Interpreter::toVector(const ValuePtr& v)
{
    switch (v->kind) {
    case Value::Kind::List:
    case Value::Kind::Tuple: return v->items;
    case Value::Kind::Size: {
        std::vector<ValuePtr> out;
        for (int64_t d : v->dims)
            out.push_back(integer(d));
        return out;
    }
    case Value::Kind::Str: return codePoints(v->s);
    case Value::Kind::Range: {
        if (static_cast<uint64_t>(rangeLength(*v)) > kMaxSteps)
            unsupported("ranges of more than " + std::to_string(kMaxSteps) + " items");
        std::vector<ValuePtr> out;
        if (v->step > 0)
            for (int64_t k = v->start; k < v->stop; k += v->step)
                out.push_back(integer(k));
        else
            for (int64_t k = v->start; k > v->stop; k += v->step)
                out.push_back(integer(k));
        return out;
    }
    default: {
        std::vector<ValuePtr> out;
        const ValuePtr it = iterate(v);
        while (const ValuePtr item = nextItem(it))
            out.push_back(item);
        return out;
    }
    }
}

int64_t Interpreter::len(const ValuePtr& v)
{
    switch (v->kind) {
    case Value::Kind::Str: return static_cast<int64_t>(utf8Length(v->s));
    case Value::Kind::List:
    case Value::Kind::Tuple: return static_cast<int64_t>(v->items.size());
    case Value::Kind::Dict: return static_cast<int64_t>(v->keys.size());
    case Value::Kind::DictView: return static_cast<int64_t>(v->receiver->keys.size());
    case Value::Kind::Size: return static_cast<int64_t>(v->dims.size());
    case Value::Kind::Range: return rangeLength(*v);
    case Value::Kind::Tensor: {
        const std::vector<int64_t> shape = v->tensor.shape();
        if (shape.empty())
            typeError("len() of a 0-d tensor");
        return shape[0];
    }
    case Value::Kind::Module: {
        ModuleNode& node = resolveModule(v->module);
        if (isIndexedContainer(node.typeName()) || node.typeName() == "ModuleDict")
            return static_cast<int64_t>(node.childSlots().size());
        typeError("object of type '" + node.typeName() + "' has no len()");
    }
    default: typeError("object of type '" + typeShortName(*v) + "' has no len()");
    }
}

int64_t Interpreter::indexValue(const ValuePtr& v, const std::string& what)
{
    if (isIntLike(*v))
        return intOf(*v);
    if (v->kind == Value::Kind::Tensor && v->tensor.numel() == 1 && !tensors::isFloatingPoint(v->tensor)) {
        const tensors::Scalar s = tensors::item(v->tensor);
        if (s.kind == tensors::Scalar::Kind::Int)
            return s.i;
    }
    if (what == "slice indices")
        typeError("slice indices must be integers or None or have an __index__ method");
    typeError("'" + typeShortName(*v) + "' object cannot be interpreted as an integer");
}

ValuePtr Interpreter::call(const ValuePtr& f, const Args& args)
{
    if (f->function) {  // a def the console ran: a function, or a method bound to its object
        if (f->kind == Value::Kind::Method) {
            Args withSelf = args;
            withSelf.positional.insert(withSelf.positional.begin(), f->receiver);
            return callUserFunction(f->function, withSelf);
        }
        return callUserFunction(f->function, args);
    }
    if (f->kind == Value::Kind::Class && f->userClass)
        return instantiate(f->userClass, args);
    if (f->kind == Value::Kind::Class && f->s == "super")
        return makeSuper(args);
    if (f->kind == Value::Kind::Class && (f->s == "torch.autograd.grad_mode.no_grad" ||
                                          f->s == "torch.autograd.grad_mode.enable_grad")) {
        bindArguments({f->s.substr(f->s.rfind('.') + 1) + ".__init__", {}}, args);
        auto v = std::make_shared<Value>();
        v->kind = Value::Kind::Opaque;
        v->s = f->s;
        v->repr = "<" + f->s + " object at " + addressOf(v.get()) + ">";
        return v;
    }
    if (f->kind == Value::Kind::Function && f->s == "torch.nn.modules.module.Module.__init__") {
        if (args.positional.empty())
            typeError("Module.__init__() missing 1 required positional argument: 'self'");
        Args rest = args;
        rest.positional.erase(rest.positional.begin());
        moduleInit(args.positional[0], rest);
        return none();
    }
    if (f->kind == Value::Kind::Method && f->receiver->kind == Value::Kind::Module) {
        if (f->s == "__init__") {
            moduleInit(f->receiver, args);
            return none();
        }
        if (const std::shared_ptr<UserClass> cls = classOf(*f->receiver);
            cls && (f->s == "register_buffer" || f->s == "register_parameter" || f->s == "add_module" ||
                    f->s == "register_module")) {
            // hasattr(self, name) is True for the class's methods and class attributes too.
            ValuePtr name = args.positional.empty() ? nullptr : args.positional[0];
            for (const auto& [key, value] : args.keywords)
                if (key == "name")
                    name = value;
            if (name && name->kind == Value::Kind::Str && cls->find(name->s) &&
                !resolveModule(f->receiver->module).hasAttr(name->s) && !beforeModuleInit(*f->receiver))
                throw PythonError("KeyError", "attribute '" + name->s + "' already exists");
        }
        if (beforeModuleInit(*f->receiver)) {
            if (f->s == "register_buffer")
                throw PythonError("AttributeError", "cannot assign buffer before Module.__init__() call");
            if (f->s == "register_parameter")
                throw PythonError("AttributeError", "cannot assign parameter before Module.__init__() call");
            unsupported("calling Module." + f->s + "() before Module.__init__() ran");
        }
    }
    if (f->kind == Value::Kind::Function && (f->s == "open" || f->s == "__import__" ||
                                             f->s == "exec" || f->s == "eval" || f->s == "compile"))
        unsupported(f->s + "() (a script cannot reach files, other modules or the network)");
    switch (f->kind) {
    case Value::Kind::Function: return callFunction(f->s, args);
    case Value::Kind::Method: return callMethod(f->receiver, f->s, args);
    case Value::Kind::Class: return construct(f->s, args);
    case Value::Kind::Module: return callModule(f, args);
    default: typeError("'" + typeShortName(*f) + "' object is not callable");
    }
}

ValuePtr Interpreter::evaluateQuietly(const Expr& e)
{
    switch (e.kind) {
    case Expr::Kind::Name: {
        if (!frames_.empty())
            return nullptr;
        const auto it = globals_.find(e.name);
        return it == globals_.end() ? nullptr : it->second;
    }
    case Expr::Kind::Str: return str(e.strValue);
    case Expr::Kind::Int: return e.bigInt ? nullptr : integer(e.intValue);
    case Expr::Kind::Attribute: {
        const ValuePtr obj = evaluateQuietly(*e.a[0]);
        if (!obj)
            return nullptr;
        try {
            return getAttribute(obj, e.name);
        } catch (const std::exception&) {
            return nullptr;
        }
    }
    case Expr::Kind::Subscript: {
        const ValuePtr obj = evaluateQuietly(*e.a[0]);
        const ValuePtr index = evaluateQuietly(*e.a[1]);
        if (!obj || !index || (obj->kind != Value::Kind::Module && obj->kind != Value::Kind::Dict &&
                               obj->kind != Value::Kind::List && obj->kind != Value::Kind::Tuple))
            return nullptr;
        try {
            return subscript(obj, index);
        } catch (const std::exception&) {
            return nullptr;
        }
    }
    default: return nullptr;
    }
}

}  // namespace mx::stmt
