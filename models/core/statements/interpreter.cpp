// The console's interpreter: argument binding, the edit log, running statements and calls.
// Statements, expressions, operators, subscripts and Python's protocols live in the files beside it.
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

tensors::Scalar scalarOf(const Value& v)
{
    if (v.kind == Value::Kind::Bool)
        return tensors::Scalar::boolean(v.b);
    if (v.kind == Value::Kind::Int)
        return tensors::Scalar::integer(v.i);
    return tensors::Scalar::floating(v.f);
}

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

[[noreturn]] void overflow() { unsupported("integer arithmetic beyond 64 bits"); }

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

int64_t rangeLength(const Value& r)
{
    if (r.step > 0)
        return r.start < r.stop ? (r.stop - r.start - 1) / r.step + 1 : 0;
    return r.start > r.stop ? (r.start - r.stop - 1) / (-r.step) + 1 : 0;
}

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
    forgetTensorChanges();
    restoreTrainingState();  // after: train() reaches only the modules the model holds again
    refreshModuleViews();
}

void Interpreter::record(Edit edit)
{
    ++version_;
    if (edit.target())
        editTargets_.push_back(edit.target()->weak_from_this().lock());  // (none for the root)
    edits_.push_back(std::move(edit));
    if (!liveViews_.empty())
        refreshModuleViews();
}

std::vector<Edit> Interpreter::takeEdits()
{
    std::vector<Edit> kept;
    for (Edit& e : edits_)
        if (model_ && e.target() && (e.target() == model_ || model_->contains(*e.target())))
            kept.push_back(std::move(e));
    edits_.clear();
    editTargets_.clear();
    forgetTensorChanges();
    return kept;
}

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
    if (!liveViews_.empty())  // the model may have changed since (undo, an edit from the tree)
        refreshModuleViews();
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
