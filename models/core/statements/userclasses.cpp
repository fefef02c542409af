// `def` and `class` statements: user functions, their calls and scopes, and user classes.

#include "core/statements/userclasses.h"

#include "core/pythonerror.h"
#include "core/statements/ast.h"
#include "core/statements/interpreter.h"

#include <algorithm>
#include <functional>

namespace mx::stmt {

namespace {

/** Calls nested deeper than this are refused (each costs several C++ frames). */
constexpr size_t kMaxCallDepth = 200;

void collectTargets(const Expr& t, std::set<std::string>& out)
{
    if (t.kind == Expr::Kind::Name)
        out.insert(t.name);
    else if (t.kind == Expr::Kind::Tuple || t.kind == Expr::Kind::List || t.kind == Expr::Kind::Starred)
        for (const ExprPtr& e : t.a)
            if (e)
                collectTargets(*e, out);
}

void collectBound(const std::vector<StmtPtr>& body, std::set<std::string>& out)
{
    for (const StmtPtr& s : body) {
        switch (s->kind) {
        case Stmt::Kind::Assign:
        case Stmt::Kind::AugAssign:
        case Stmt::Kind::Del:
        case Stmt::Kind::For:
            for (const ExprPtr& t : s->targets)
                collectTargets(*t, out);
            break;
        case Stmt::Kind::Import:
            for (const ImportName& n : s->imports)
                out.insert(!n.asName.empty() ? n.asName
                           : s->isFrom       ? n.name
                                             : n.name.substr(0, n.name.find('.')));
            break;
        case Stmt::Kind::FunctionDef:
        case Stmt::Kind::ClassDef: out.insert(s->name); break;
        default: break;
        }
        if (s->kind == Stmt::Kind::For || s->kind == Stmt::Kind::If || s->kind == Stmt::Kind::While) {
            collectBound(s->body, out);
            collectBound(s->orelse, out);
        }
    }
}

// The lines of `def` in `source`, dedented to the def's column.
std::vector<std::string> defLines(const std::string& source, const Stmt& def)
{
    std::vector<std::string> lines;
    const size_t indent = static_cast<size_t>(std::max(0, def.pos.column - 1));
    size_t start = 0;
    for (int line = 1; line <= def.lastLine && start <= source.size(); ++line) {
        size_t end = source.find('\n', start);
        if (end == std::string::npos)
            end = source.size();
        if (line >= def.pos.line) {
            std::string text = source.substr(start, end - start);
            if (!text.empty() && text.back() == '\r')
                text.pop_back();
            const size_t first = text.find_first_not_of(" \t");
            if (line > def.pos.line && first != std::string::npos && text[first] != '#' && first <= indent)
                break;  // the statement after the def (its last line may be counted up to it)
            size_t strip = 0;
            while (strip < indent && strip < text.size() && (text[strip] == ' ' || text[strip] == '\t'))
                ++strip;
            lines.push_back(text.substr(strip));
        }
        start = end + 1;
    }
    return lines;
}

}  // namespace

ValuePtr UserClass::find(const std::string& name) const
{
    const UserClass* c = definer(name);
    if (!c)
        return nullptr;
    for (const auto& [n, v] : c->members)
        if (n == name)
            return v;
    return nullptr;
}

const UserClass* UserClass::definer(const std::string& name) const
{
    for (const UserClass* c = this; c; c = c->base.get())
        for (const auto& member : c->members)
            if (member.first == name)
                return c;
    return nullptr;
}

std::set<std::string> boundNames(const std::vector<StmtPtr>& body)
{
    std::set<std::string> names;
    collectBound(body, names);
    return names;
}

Interpreter::FrameScope::FrameScope(Interpreter& interpreter, Frame frame, std::shared_ptr<UserClass> cls)
    : in(interpreter)
{
    in.frames_.push_back(std::move(frame));
    outer = std::exchange(in.classBeingDefined_, std::move(cls));
}

Interpreter::FrameScope::~FrameScope()
{
    in.frames_.pop_back();
    in.classBeingDefined_ = std::move(outer);
}

std::map<std::string, ValuePtr>& Interpreter::currentScope()
{
    return frames_.empty() ? globals_ : frames_.back().locals;
}

ValuePtr Interpreter::makeFunction(const Stmt& def, const std::string& qualPrefix,
                                   const std::shared_ptr<UserClass>& owner)
{
    auto fn = std::make_shared<UserFunction>();
    fn->name = def.name;
    fn->qualName = qualPrefix.empty() ? def.name : qualPrefix + "." + def.name;
    fn->def = &def;
    fn->program = program_;
    fn->lines = defLines(*programSource_, def);
    fn->owner = owner;
    for (const Param& p : def.params) {
        fn->defaults.push_back(p.defaultValue ? eval(*p.defaultValue) : nullptr);
        fn->localNames.insert(p.name);
    }
    const std::set<std::string> bound = boundNames(def.body);
    fn->localNames.insert(bound.begin(), bound.end());
    ValuePtr v = functionValue("__main__." + fn->qualName);
    v->function = std::move(fn);
    return v;
}

namespace {

// Every name an expression reads (over-approximated: nested targets and parameters count too).
void collectNames(const Expr& e, std::set<std::string>& out)
{
    if (e.kind == Expr::Kind::Name)
        out.insert(e.name);
    for (const std::vector<ExprPtr>* list : {&e.a, &e.b})
        for (const ExprPtr& c : *list)
            if (c)
                collectNames(*c, out);
    for (const Keyword& k : e.keywords)
        collectNames(*k.value, out);
    for (const Comprehension& g : e.generators) {
        collectNames(*g.target, out);
        collectNames(*g.iter, out);
        for (const ExprPtr& c : g.ifs)
            collectNames(*c, out);
    }
    std::function<void(const std::vector<FStringPart>&)> parts = [&](const std::vector<FStringPart>& ps) {
        for (const FStringPart& p : ps) {
            if (p.expr)
                collectNames(*p.expr, out);
            parts(p.spec);
        }
    };
    parts(e.parts);
    if (e.function) {
        for (const Param& p : e.function->params)
            if (p.defaultValue)
                collectNames(*p.defaultValue, out);
        collectNames(*e.function->body.front()->value, out);
    }
}

}  // namespace

// A lambda is a def of one return statement. The console keeps no closures, so a lambda that
// reads a variable of the function or comprehension it is written in is refused: called later,
// it would not see that variable as Python does.
ValuePtr Interpreter::makeLambda(const Expr& e)
{
    const Stmt& def = *e.function;
    std::set<std::string> names;
    collectNames(*def.body.front()->value, names);
    for (const Param& p : def.params)
        names.erase(p.name);
    const Frame* frame = frames_.empty() ? nullptr : &frames_.back();
    for (const std::string& n : names) {
        bool enclosing = frame && frame->function &&
                         (frame->function->localNames.count(n) || frame->locals.count(n));
        for (const std::set<std::string>& scope : comprehensionNames_)
            enclosing = enclosing || scope.count(n);
        if (enclosing)
            unsupported("a lambda that reads a variable of the function or comprehension around it ('" +
                        n + "')");
    }
    const std::string prefix = frame && frame->function ? frame->function->qualName + ".<locals>" : "";
    return makeFunction(def, prefix, nullptr);
}

ValuePtr Interpreter::callUserFunction(const std::shared_ptr<UserFunction>& fn, const Args& args)
{
    if (!fn->def->unsupportedParams.empty())  // (a forward with them is TorchScript's to judge)
        unsupported("calling functions with " + fn->def->unsupportedParams);
    if (frames_.size() >= kMaxCallDepth)
        unsupported("calls nested more than " + std::to_string(kMaxCallDepth) + " deep");
    Signature sig;
    sig.qualName = fn->qualName;
    sig.countsSelf = false;  // a method's self is among the arguments already
    for (size_t k = 0; k < fn->def->params.size(); ++k)
        sig.params.push_back({fn->def->params[k].name, fn->defaults[k], fn->def->params[k].keywordOnly});
    const std::vector<ValuePtr> bound = bindArguments(sig, args);
    Frame frame;
    frame.function = fn;
    for (size_t k = 0; k < bound.size(); ++k)
        frame.locals[sig.params[k].name] = bound[k];
    const int callerLine = currentLine_;
    const FrameScope scope(*this, std::move(frame), nullptr);
    countSteps(1);
    const Flow flow = execBlock(fn->def->body);
    currentLine_ = callerLine;  // an error after the call is the caller's line
    if (flow == Flow::Return)
        return std::exchange(returnValue_, nullptr);
    return none();
}

void Interpreter::defineClass(const Stmt& def)
{
    if (!def.keywords.empty())
        unsupported("class keywords (" + def.keywords.front().name + "=...)");
    if (def.targets.empty())
        unsupported("classes that are not nn.Module subclasses");
    if (def.targets.size() > 1)
        unsupported("classes with several base classes");
    const ValuePtr baseValue = eval(*def.targets[0]);
    std::shared_ptr<UserClass> base;
    if (baseValue->kind == Value::Kind::Class && baseValue->userClass) {
        base = baseValue->userClass;
    } else if (baseValue->kind != Value::Kind::Class ||
               baseValue->s != "torch.nn.modules.module.Module") {
        const bool torchClass = baseValue->kind == Value::Kind::Class &&
                                baseValue->s.rfind("torch.nn.", 0) == 0;
        unsupported(torchClass ? "subclassing nn." + baseValue->s.substr(baseValue->s.rfind('.') + 1)
                               : std::string("classes that are not nn.Module subclasses"));
    }
    auto cls = std::make_shared<UserClass>();
    cls->name = def.name;
    cls->base = std::move(base);
    {
        // The class body runs in its own namespace; its names become the class's members.
        const FrameScope scope(*this, Frame{}, cls);
        execBlock(def.body);
        const Frame& body = frames_.back();
        for (const std::string& name : body.order)
            cls->members.emplace_back(name, body.locals.at(name));
    }
    ValuePtr v = classValue("__main__." + def.name);
    v->userClass = cls;
    bindName(def.name, v);
}

ValuePtr Interpreter::makeSuper(const Args& args)
{
    if (!args.keywords.empty())
        typeError("super() takes no keyword arguments");
    std::shared_ptr<UserClass> cls;
    ValuePtr self;
    if (args.positional.empty()) {
        const Frame* frame = frames_.empty() ? nullptr : &frames_.back();
        if (!frame || !frame->function || frame->function->owner.expired())
            throw PythonError("RuntimeError", "super(): no arguments");
        if (frame->function->def->params.empty())
            throw PythonError("RuntimeError", "super(): no arguments");
        cls = frame->function->owner.lock();
        const auto it = frame->locals.find(frame->function->def->params[0].name);
        if (it == frame->locals.end())
            throw PythonError("RuntimeError", "super(): arg[0] deleted");
        self = it->second;
    } else if (args.positional.size() == 2) {
        if (args.positional[0]->kind != Value::Kind::Class)
            typeError("super() argument 1 must be a type, not " + typeShortName(*args.positional[0]));
        cls = args.positional[0]->userClass;
        self = args.positional[1];
        if (!cls)
            unsupported("super() of a class the console did not define");
    } else {
        unsupported("super() with one argument");
    }
    const std::shared_ptr<UserClass> selfClass = classOf(*self);
    bool isInstance = false;
    for (const UserClass* c = selfClass.get(); c; c = c->base.get())
        isInstance = isInstance || c == cls.get();
    if (!isInstance)
        typeError("super(type, obj): obj must be an instance or subtype of type");
    auto v = std::make_shared<Value>();
    v->kind = Value::Kind::Opaque;
    v->s = "super";
    v->repr = "<super: <class '" + cls->name + "'>, <" + selfClass->name + " object>>";
    v->receiver = self;
    v->userClass = cls;
    return v;
}

void Interpreter::bindName(const std::string& name, const ValuePtr& value)
{
    if (!frames_.empty()) {
        Frame& frame = frames_.back();
        if (!frame.locals.count(name))
            frame.order.push_back(name);
        frame.locals[name] = value;
        return;
    }
    const auto previous = globals_.find(name);
    const bool recompile = capturedConstants_.count(name) &&
                           (previous == globals_.end() || !equal(*previous->second, *value) ||
                            previous->second->kind != value->kind);
    globals_[name] = value;
    if (recompile)
        recompileUserForwards();  // forwards that read it see the new value, as in Python
    const auto it = std::find(bindingOrder_.begin(), bindingOrder_.end(), name);
    if (it != bindingOrder_.end())
        bindingOrder_.erase(it);
    bindingOrder_.push_back(name);
}

ValuePtr Interpreter::lookupLocal(const std::string& name)
{
    if (frames_.empty())
        return nullptr;
    const Frame& frame = frames_.back();
    const auto it = frame.locals.find(name);
    if (it != frame.locals.end())
        return it->second;
    if (frame.function && frame.function->localNames.count(name))
        throw PythonError("UnboundLocalError",
                          "cannot access local variable '" + name + "' where it is not associated with a value");
    return nullptr;
}

}  // namespace mx::stmt
