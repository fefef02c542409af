#include "core/statements/value.h"

#include "core/statements/userclasses.h"

#include "core/attributevalue.h"
#include "core/formatting.h"
#include "core/layers.h"
#include "core/modulenode.h"
#include "core/optimizer.h"
#include "core/pythonerror.h"
#include "core/statements/interpreterhelpers.h"
#include "core/statements/budget.h"
#include "core/statements/parameterobjects.h"
#include "core/statements/tensorops.h"

#include <atomic>
#include <mutex>
#include <set>
#include <cmath>
#include <cstdio>

namespace mx::stmt {

ModuleHolder::~ModuleHolder() = default;

namespace {
std::atomic<uint64_t> valueBytes{0};
}

uint64_t liveValueBytes() { return valueBytes.load(std::memory_order_relaxed); }

Value::~Value()
{
    valueBytes.fetch_sub(accountedBytes, std::memory_order_relaxed);
    static thread_local bool draining = false;
    static thread_local std::vector<ValuePtr> pending;
    // A child held only here is freed later, from the loop below; a reference that is not the
    // last is dropped now, so that a child held twice by this value (a = [a, a]) is deferred
    // when its last reference comes up instead of being freed recursively by the vector.
    auto defer = [](ValuePtr& p) {
        if (p && p.use_count() == 1)
            pending.push_back(std::move(p));
        else
            p.reset();
    };
    for (ValuePtr& p : items)
        defer(p);
    for (ValuePtr& p : keys)
        defer(p);
    defer(receiver);
    if (draining)
        return;
    draining = true;
    while (!pending.empty()) {
        ValuePtr p = std::move(pending.back());
        pending.pop_back();
        p.reset();  // its destructor defers its own children
    }
    draining = false;
}

namespace {

constexpr int kMaxReprDepth = 1000;

// Guards repr() and == against cycles ([...]) and very deep nesting (RecursionError, as Python).
struct ReprGuard {
    static thread_local std::vector<const Value*> active;
    bool cycle = false;
    explicit ReprGuard(const Value* v, const char* what)
    {
        for (const Value* a : active)
            if (a == v)
                cycle = true;
        if (cycle)
            return;
        if (static_cast<int>(active.size()) >= kMaxReprDepth)
            throw PythonError("RecursionError", std::string("maximum recursion depth exceeded ") + what);
        active.push_back(v);
    }
    ~ReprGuard()
    {
        if (!cycle)
            active.pop_back();
    }
};
thread_local std::vector<const Value*> ReprGuard::active;

ValuePtr make(Value::Kind kind, size_t extraBytes = 0)
{
    auto v = std::make_shared<Value>();
    v->kind = kind;
    v->accountedBytes = sizeof(Value) + 16 + extraBytes;  // 16: make_shared's control block
    valueBytes.fetch_add(v->accountedBytes, std::memory_order_relaxed);
    return v;
}

// A repr grows item by item; past 1 MiB each step is checked against the memory budget, so
// [s] * 2000000 of a long s raises MemoryError instead of taking the machine's memory.
void checkReprSize(const std::string& out)
{
    if (out.size() > (size_t(1) << 20))
        reserveBytes(out.size(), "a repr");
}

std::string joinReprs(const std::vector<ValuePtr>& items)
{
    std::string out;
    for (size_t k = 0; k < items.size(); ++k) {
        out += (k ? ", " : "") + repr(*items[k]);
        checkReprSize(out);
    }
    return out;
}

std::string tupleRepr(const std::vector<ValuePtr>& items)
{
    return "(" + joinReprs(items) + (items.size() == 1 ? ",)" : ")");
}

}  // namespace

ValuePtr none()
{
    static const ValuePtr v = make(Value::Kind::None);
    return v;
}

ValuePtr boolean(bool b)
{
    auto v = make(Value::Kind::Bool);
    v->b = b;
    return v;
}

ValuePtr integer(int64_t i)
{
    auto v = make(Value::Kind::Int);
    v->i = i;
    return v;
}

ValuePtr floating(double f)
{
    auto v = make(Value::Kind::Float);
    v->f = f;
    return v;
}

ValuePtr str(std::string s)
{
    auto v = make(Value::Kind::Str, s.capacity() > 15 ? s.capacity() : 0);
    v->s = std::move(s);
    return v;
}

ValuePtr tensorValue(TensorRef t, bool isParameter)
{
    if (t.isNone())
        return none();
    auto v = make(Value::Kind::Tensor);
    if (isParameter)
        markParameterObject(t);
    else
        isParameter = isParameterObject(t);
    v->tensor = std::move(t);
    v->isParameter = isParameter;
    return v;
}

ValuePtr sizeValue(std::vector<int64_t> dims)
{
    auto v = make(Value::Kind::Size);
    v->dims = std::move(dims);
    return v;
}

ValuePtr dtypeValue(std::string name)
{
    auto v = make(Value::Kind::Dtype);
    v->s = std::move(name);
    return v;
}

ValuePtr listValue(std::vector<ValuePtr> items)
{
    auto v = make(Value::Kind::List);
    v->items = std::move(items);
    return v;
}

ValuePtr tupleValue(std::vector<ValuePtr> items)
{
    auto v = make(Value::Kind::Tuple);
    v->items = std::move(items);
    return v;
}

ValuePtr dictValue(bool ordered)
{
    auto v = make(Value::Kind::Dict);
    v->ordered = ordered;
    return v;
}

ValuePtr namespaceValue(std::string name)
{
    auto v = make(Value::Kind::Namespace);
    v->s = std::move(name);
    return v;
}

ValuePtr functionValue(std::string name)
{
    auto v = make(Value::Kind::Function);
    v->s = std::move(name);
    return v;
}

ValuePtr methodValue(ValuePtr receiver, std::string name)
{
    auto v = make(Value::Kind::Method);
    v->receiver = std::move(receiver);
    v->s = std::move(name);
    return v;
}

ValuePtr classValue(std::string name)
{
    auto v = make(Value::Kind::Class);
    v->s = std::move(name);
    return v;
}

ValuePtr iteratorValue(std::string typeName, std::string qualName, std::function<ValuePtr()> next)
{
    auto v = make(Value::Kind::Iterator);
    v->iterator = std::make_shared<IteratorState>();
    v->iterator->typeName = std::move(typeName);
    v->iterator->qualName = std::move(qualName);
    v->iterator->next = std::move(next);
    return v;
}

ValuePtr moduleValue(ModuleRef ref)
{
    auto v = make(Value::Kind::Module);
    v->module = std::move(ref);
    return v;
}

ModuleNode& resolveModule(const ModuleRef& ref)
{
    std::shared_ptr<ModuleHolder> holder = ref.holder;
    std::vector<std::string> path = ref.path;
    while (holder->movedTo) {
        std::vector<std::string> full = holder->movedPath;
        full.insert(full.end(), path.begin(), path.end());
        path = std::move(full);
        holder = holder->movedTo;
    }
    const std::string stale =
        "using a module object that is no longer part of the model (it was deleted or replaced) "
        "is not supported by Module Explorer's console";
    ModuleNode* top = holder->root ? holder->root : holder->owned.get();
    ModuleNode* node = top;
    for (const std::string& name : path)
        node = node ? node->findChild(name) : nullptr;
    if (node && node == ref.expected)
        return *node;
    // The path no longer leads to it: it may still be in the model under another name.
    const std::shared_ptr<const ModuleNode> same = ref.identity.lock();
    if (same && same.get() == ref.expected && top && top->contains(*same))
        return const_cast<ModuleNode&>(*same);
    throw PythonError("NotImplementedError", stale);
}

std::shared_ptr<ModuleNode> sharedModule(const ModuleRef& ref)
{
    ModuleNode& node = resolveModule(ref);
    if (isUnattached(ref))
        return ref.holder->owned;
    return node.weak_from_this().lock();  // held by its parents' _modules slots
}

bool isUnattached(const ModuleRef& ref)
{
    return !ref.holder->root && !ref.holder->movedTo && ref.path.empty();
}

const void* objectIdentity(const ValuePtr& v)
{
    // One address per interned name: dtypes, namespaces and built-in classes are singletons.
    auto interned = [](const std::string& kind, const std::string& name) -> const void* {
        static std::mutex mutex;
        static std::set<std::string> names;
        std::lock_guard<std::mutex> lock(mutex);
        return &*names.insert(kind + ":" + name).first;
    };
    static const char singletons[4] = {};
    switch (v->kind) {
    case Value::Kind::None: return &singletons[0];
    case Value::Kind::Ellipsis: return &singletons[1];
    case Value::Kind::Bool: return &singletons[v->b ? 3 : 2];
    case Value::Kind::Int:  // CPython caches -5..256
        return v->i >= -5 && v->i <= 256 ? interned("int", std::to_string(v->i)) : v.get();
    case Value::Kind::Tensor: return v->tensor.identity();
    case Value::Kind::Module: {
        const ModuleRef& ref = v->module;
        if (const auto node = ref.identity.lock())
            return node.get();
        if (ref.expected)
            return ref.expected;
        if (ref.path.empty() && ref.holder)
            return ref.holder->root ? static_cast<const void*>(ref.holder->root) : ref.holder->owned.get();
        return v.get();
    }
    case Value::Kind::Class:
        if (v->userClass)
            return v->userClass.get();
        return interned("class", v->s);
    case Value::Kind::Dtype:
    case Value::Kind::Namespace: return interned(std::to_string(static_cast<int>(v->kind)), v->s);
    default: return v.get();
    }
}

std::string addressOf(const void* p)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%012llx",
                  static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(p)));
    return buf;
}

std::string repr(const Value& v)
{
    const bool container = v.kind == Value::Kind::List || v.kind == Value::Kind::Tuple ||
                           v.kind == Value::Kind::Dict || v.kind == Value::Kind::DictView;
    std::unique_ptr<ReprGuard> guard;
    if (container) {
        guard = std::make_unique<ReprGuard>(&v, "while getting the repr of an object");
        if (guard->cycle)
            return v.kind == Value::Kind::List ? "[...]" : v.kind == Value::Kind::Dict && !v.ordered ? "{...}" : "...";
    }
    switch (v.kind) {
    case Value::Kind::None: return "None";
    case Value::Kind::Bool: return pythonBool(v.b);
    case Value::Kind::Int: return std::to_string(v.i);
    case Value::Kind::Float: return pythonFloat(v.f);
    case Value::Kind::Str: return pythonStringRepr(v.s);
    case Value::Kind::Tensor: return tensors::repr(v.tensor, v.isParameter);
    case Value::Kind::Size: return torchSize(v.dims);
    case Value::Kind::Dtype: return "torch." + v.s;
    case Value::Kind::Device: return "device(type='" + v.s + "')";
    case Value::Kind::Module: return resolveModule(v.module).repr();
    case Value::Kind::List: return "[" + joinReprs(v.items) + "]";
    case Value::Kind::Tuple: return tupleRepr(v.items);
    case Value::Kind::Dict: {
        std::string out;
        for (size_t k = 0; k < v.keys.size(); ++k) {
            if (v.ordered)
                out += (k ? ", (" : "(") + repr(*v.keys[k]) + ", " + repr(*v.items[k]) + ")", checkReprSize(out);
            else
                out += (k ? ", " : "") + repr(*v.keys[k]) + ": " + repr(*v.items[k]), checkReprSize(out);
        }
        if (v.ordered)
            return v.keys.empty() ? "OrderedDict()" : "OrderedDict([" + out + "])";
        return "{" + out + "}";
    }
    case Value::Kind::DictView: {
        const Value& d = *v.receiver;
        std::string out;
        for (size_t k = 0; k < d.keys.size(); ++k) {
            out += k ? ", " : "";
            if (v.s == "keys")
                out += repr(*d.keys[k]);
            else if (v.s == "values")
                out += repr(*d.items[k]);
            else
                out += "(" + repr(*d.keys[k]) + ", " + repr(*d.items[k]) + ")";
        }
        return (d.ordered ? "odict_" : "dict_") + v.s + "([" + out + "])";
    }
    case Value::Kind::Iterator:
        if (v.iterator->typeName == "generator")
            return "<generator object " + v.iterator->qualName + " at " + addressOf(&v) + ">";
        return "<" + v.iterator->typeName + " object at " + addressOf(&v) + ">";
    case Value::Kind::Range:
        return "range(" + std::to_string(v.start) + ", " + std::to_string(v.stop) +
               (v.step != 1 ? ", " + std::to_string(v.step) : "") + ")";
    case Value::Kind::Namespace: {
        std::string file = v.s;
        for (char& c : file)
            if (c == '.')
                c = '/';
        file = v.s == "torch.nn.functional" ? file + ".py" : file + "/__init__.py";
        return "<module '" + v.s + "' from '/usr/lib/python3/dist-packages/" + file + "'>";
    }
    case Value::Kind::Function: {
        if (v.function)
            return "<function " + v.function->qualName + " at " + addressOf(v.function.get()) + ">";
        const size_t dot = v.s.rfind('.');
        if (dot == std::string::npos)
            return "<built-in function " + v.s + ">";
        return "<function " + v.s.substr(dot + 1) + " at " + addressOf(&v) + ">";
    }
    case Value::Kind::Method:
        if (v.function)
            return "<bound method " + v.function->qualName + " of " + repr(*v.receiver) + ">";
        if (v.receiver->kind == Value::Kind::Module)
            return "<bound method " + moduleMethodQualName(resolveModule(v.receiver->module), v.s) +
                   " of " + repr(*v.receiver) + ">";
        if (v.receiver->kind == Value::Kind::Optimizer)  // step is wrapped by a decorator in 1.13
            return "<bound method " +
                   std::string(v.s == "step" ? "_use_grad_for_differentiable.<locals>._use_grad"
                                             : "Optimizer." + v.s) +
                   " of " + repr(*v.receiver) + ">";
        return "<built-in method " + v.s + " of " + typeShortName(*v.receiver) + " object at " +
               addressOf(v.receiver.get()) + ">";
    case Value::Kind::Class: return "<class '" + v.s + "'>";
    case Value::Kind::Generator: return "<torch._C.Generator object at " + addressOf(&v) + ">";
    case Value::Kind::Opaque: return v.repr;
    case Value::Kind::Slice: return "slice(" + joinReprs(v.items) + ")";
    case Value::Kind::Ellipsis: return "Ellipsis";
    case Value::Kind::Optimizer: return v.optimizer->repr();
    }
    return "?";
}

std::string toStr(const Value& v)
{
    if (v.kind == Value::Kind::Str)
        return v.s;
    if (v.kind == Value::Kind::Device)
        return v.s;
    return repr(v);
}

std::string typeQualName(const Value& v)
{
    switch (v.kind) {
    case Value::Kind::None: return "NoneType";
    case Value::Kind::Bool: return "bool";
    case Value::Kind::Int: return "int";
    case Value::Kind::Float: return "float";
    case Value::Kind::Str: return "str";
    case Value::Kind::Tensor: return v.isParameter ? "torch.nn.parameter.Parameter" : "torch.Tensor";
    case Value::Kind::Size: return "torch.Size";
    case Value::Kind::Dtype: return "torch.dtype";
    case Value::Kind::Device: return "torch.device";
    case Value::Kind::Module: return moduleTypeName(resolveModule(v.module).pythonClassName());
    case Value::Kind::List: return "list";
    case Value::Kind::Tuple: return "tuple";
    case Value::Kind::Dict: return v.ordered ? "collections.OrderedDict" : "dict";
    case Value::Kind::DictView: return (v.receiver->ordered ? "odict_" : "dict_") + v.s;
    case Value::Kind::Iterator: return v.iterator->typeName;
    case Value::Kind::Range: return "range";
    case Value::Kind::Namespace: return "module";
    case Value::Kind::Function: return v.s.find('.') == std::string::npos ? "builtin_function_or_method" : "function";
    case Value::Kind::Method:
        return v.receiver->kind == Value::Kind::Module || v.receiver->kind == Value::Kind::Optimizer
                   ? "method"
                   : "builtin_function_or_method";
    case Value::Kind::Class: return "type";
    case Value::Kind::Generator: return "torch._C.Generator";
    case Value::Kind::Opaque: return v.s;
    case Value::Kind::Slice: return "slice";
    case Value::Kind::Ellipsis: return "ellipsis";
    case Value::Kind::Optimizer:
        return v.optimizer->className() == "SGD" ? "torch.optim.sgd.SGD" : "torch.optim.adam.Adam";
    }
    return "object";
}

std::string typeShortName(const Value& v)
{
    if (v.kind == Value::Kind::Module)
        return resolveModule(v.module).pythonClassName();
    const std::string q = typeQualName(v);
    const size_t dot = q.rfind('.');
    return dot == std::string::npos ? q : q.substr(dot + 1);
}

std::string torchTypeName(const Value& v)
{
    switch (v.kind) {
    case Value::Kind::Tensor: return tensorTypeName(v.tensor);
    case Value::Kind::Module: return moduleTypeName(resolveModule(v.module).pythonClassName());
    case Value::Kind::Size: return "Size";
    case Value::Kind::Dtype: return "torch.dtype";
    case Value::Kind::Device: return "device";
    default: return typeQualName(v);
    }
}

namespace {

bool sequenceEqual(const std::vector<ValuePtr>& a, const std::vector<ValuePtr>& b)
{
    if (a.size() != b.size())
        return false;
    for (size_t k = 0; k < a.size(); ++k)
        if (!equal(*a[k], *b[k]))
            return false;
    return true;
}

}  // namespace

bool equal(const Value& a, const Value& b)
{
    if (&a == &b)
        return true;
    const ReprGuard guard(&a, "in comparison");
    if (guard.cycle)
        throw PythonError("RecursionError", "maximum recursion depth exceeded in comparison");
    if (isNumber(a) && isNumber(b)) {
        if (a.kind != Value::Kind::Float && b.kind != Value::Kind::Float) {
            const int64_t x = a.kind == Value::Kind::Int ? a.i : a.b;
            const int64_t y = b.kind == Value::Kind::Int ? b.i : b.b;
            return x == y;
        }
        return floatOf(a) == floatOf(b);
    }
    // torch.Size is a tuple.
    auto tupleLike = [](const Value& v) { return v.kind == Value::Kind::Tuple || v.kind == Value::Kind::Size; };
    if (tupleLike(a) && tupleLike(b)) {
        auto items = [](const Value& v) {
            if (v.kind == Value::Kind::Tuple)
                return v.items;
            std::vector<ValuePtr> out;
            for (int64_t d : v.dims)
                out.push_back(integer(d));
            return out;
        };
        return sequenceEqual(items(a), items(b));
    }
    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
    case Value::Kind::None:
    case Value::Kind::Ellipsis: return true;
    case Value::Kind::Str:
    case Value::Kind::Dtype:
    case Value::Kind::Device:
    case Value::Kind::Namespace:
    case Value::Kind::Function:
    case Value::Kind::Class:
        if (a.function || b.function)
            return a.function == b.function;
        if (a.userClass || b.userClass)
            return a.userClass == b.userClass;
        return a.s == b.s;
    case Value::Kind::List: return sequenceEqual(a.items, b.items);
    case Value::Kind::Dict: {
        if (a.keys.size() != b.keys.size())
            return false;
        for (size_t k = 0; k < a.keys.size(); ++k) {
            bool found = false;
            for (size_t j = 0; j < b.keys.size() && !found; ++j)
                if (equal(*a.keys[k], *b.keys[j]))
                    found = equal(*a.items[k], *b.items[j]);
            if (!found)
                return false;
        }
        return true;
    }
    case Value::Kind::Range:
        return a.start == b.start && a.stop == b.stop && a.step == b.step;
    case Value::Kind::Module: return a.module.expected == b.module.expected;
    case Value::Kind::Opaque: return a.s == b.s && a.repr == b.repr;
    case Value::Kind::Method: return a.s == b.s && a.receiver == b.receiver && a.function == b.function;
    default: return false;  // identity only
    }
}

bool hashable(const Value& v)
{
    const ReprGuard guard(&v, "while calling a Python object");
    switch (v.kind) {
    case Value::Kind::List:
    case Value::Kind::Dict:
    case Value::Kind::DictView:
    case Value::Kind::Slice: return false;
    case Value::Kind::Tuple:
        for (const ValuePtr& item : v.items)
            if (!hashable(*item))
                return false;
        return true;
    default: return true;
    }
}

}  // namespace mx::stmt
