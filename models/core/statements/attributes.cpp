#include "core/statements/interpreter.h"

#include "core/layers.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/statements/methodtable.h"
#include "core/statements/pythonnames.h"
#include "core/statements/tensorops.h"

#include <algorithm>
#include <map>
#include <set>

namespace mx::stmt {

namespace {

[[noreturn]] void attributeError(const Value& v, const std::string& name)
{
    throw PythonError("AttributeError",
                      "'" + typeShortName(v) + "' object has no attribute '" + name + "'");
}

const std::set<std::string>& tensorProperties()
{
    static const std::set<std::string> names{"shape", "dtype", "device", "requires_grad",
                                             "is_leaf", "data", "T", "ndim", "is_cuda",
                                             "grad_fn", "grad"};
    return names;
}

const std::map<std::string, std::string>& dtypeAliases()
{
    static const std::map<std::string, std::string> names{
        {"float32", "float32"}, {"float", "float32"},  {"float64", "float64"},
        {"double", "float64"},  {"float16", "float16"}, {"half", "float16"},
        {"bfloat16", "bfloat16"}, {"int64", "int64"},  {"long", "int64"},
        {"int32", "int32"},     {"int", "int32"},      {"int16", "int16"},
        {"short", "int16"},     {"int8", "int8"},      {"uint8", "uint8"},
        {"bool", "bool"}};
    return names;
}

const std::map<std::string, std::string>& nnClasses()
{
    static const std::map<std::string, std::string> names{
        {"Linear", "torch.nn.modules.linear.Linear"},
        {"Conv2d", "torch.nn.modules.conv.Conv2d"},
        {"ReLU", "torch.nn.modules.activation.ReLU"},
        {"MaxPool2d", "torch.nn.modules.pooling.MaxPool2d"},
        {"Dropout", "torch.nn.modules.dropout.Dropout"},
        {"BatchNorm2d", "torch.nn.modules.batchnorm.BatchNorm2d"},
        {"Flatten", "torch.nn.modules.flatten.Flatten"},
        {"Identity", "torch.nn.modules.linear.Identity"},
        {"Sequential", "torch.nn.modules.container.Sequential"},
        {"ModuleList", "torch.nn.modules.container.ModuleList"},
        {"ModuleDict", "torch.nn.modules.container.ModuleDict"},
        {"Module", "torch.nn.modules.module.Module"},
        {"Parameter", "torch.nn.parameter.Parameter"}};
    return names;
}

}  // namespace

ValuePtr fromPython(const PythonValue& p)
{
    switch (p.kind()) {
    case PythonValue::Kind::None: return none();
    case PythonValue::Kind::Bool: return boolean(p.boolValue());
    case PythonValue::Kind::Int: return integer(p.intValue());
    case PythonValue::Kind::Float: return floating(p.floatValue());
    case PythonValue::Kind::Str: return str(p.stringValue());
    case PythonValue::Kind::Other: {
        if (p.isTuple()) {  // a layer's kernel_size, or a tuple the console assigned
            std::vector<ValuePtr> items;
            for (const PythonValue& item : p.items())
                items.push_back(fromPython(item));
            return tupleValue(std::move(items));
        }
        auto v = std::make_shared<Value>();
        v->kind = Value::Kind::Opaque;
        v->s = p.typeName();
        v->repr = p.repr();
        return v;
    }
    }
    return none();
}

namespace {

// Values that cannot change after assignment, so the repr the semantics layer keeps stays true.
bool immutable(const Value& v)
{
    switch (v.kind) {
    case Value::Kind::None:
    case Value::Kind::Bool:
    case Value::Kind::Int:
    case Value::Kind::Float:
    case Value::Kind::Str:
    case Value::Kind::Size:
    case Value::Kind::Dtype:
    case Value::Kind::Device:
    case Value::Kind::Ellipsis:
    case Value::Kind::Range: return true;
    case Value::Kind::Tuple:
        return std::all_of(v.items.begin(), v.items.end(), [](const ValuePtr& i) { return immutable(*i); });
    default: return false;
    }
}

// A member the module's class (a layer or container class) adds to nn.Module's: reset_parameters,
// append, ...
bool ownClassMember(const Value& module, const std::string& name)
{
    return methodTableFor(module)->inPython(name) && !moduleMethodTable().inPython(name);
}

// Runs a semantics-layer mutation; its UnsupportedError becomes Python's NotImplementedError.
template <typename F>
Edit mutate(F&& f)
{
    try {
        return f();
    } catch (const UnsupportedError& e) {
        throw PythonError("NotImplementedError", e.what());
    }
}

}  // namespace

ModuleRef Interpreter::childRef(const ModuleRef& parent, const std::string& name,
                                const ModuleNode* child) const
{
    ModuleRef ref = parent;
    ref.path.push_back(name);
    ref.expected = child;
    ref.identity = child ? child->weak_from_this() : std::weak_ptr<const ModuleNode>();
    return ref;
}

namespace {

// A tuple of None, bool, int, float, str and such tuples, as a PythonValue tuple.
bool plainTuple(const Value& v, PythonValue& out)
{
    std::vector<PythonValue> items;
    for (const ValuePtr& item : v.items) {
        switch (item->kind) {
        case Value::Kind::None: items.push_back(PythonValue::none()); break;
        case Value::Kind::Bool: items.push_back(PythonValue::boolean(item->b)); break;
        case Value::Kind::Int: items.push_back(PythonValue::integer(item->i)); break;
        case Value::Kind::Float: items.push_back(PythonValue::floating(item->f)); break;
        case Value::Kind::Str: items.push_back(PythonValue::string(item->s)); break;
        case Value::Kind::Tuple:
            items.emplace_back();
            if (!plainTuple(*item, items.back()))
                return false;
            break;
        default: return false;
        }
    }
    out = PythonValue::tuple(std::move(items));
    return true;
}

}  // namespace

AttributeValue Interpreter::toAttributeValue(const ValuePtr& v, bool forModuleSlot)
{
    switch (v->kind) {
    case Value::Kind::None: return AttributeValue::none();
    case Value::Kind::Tensor:
        return v->isParameter ? AttributeValue::parameter(v->tensor) : AttributeValue::tensor(v->tensor);
    case Value::Kind::Bool: return AttributeValue::plain(PythonValue::boolean(v->b));
    case Value::Kind::Int: return AttributeValue::plain(PythonValue::integer(v->i));
    case Value::Kind::Float: return AttributeValue::plain(PythonValue::floating(v->f));
    case Value::Kind::Str: return AttributeValue::plain(PythonValue::string(v->s));
    case Value::Kind::Tuple:
        if (PythonValue tuple; plainTuple(*v, tuple))  // read by layers (conv.stride = (2, 2))
            return AttributeValue::plain(std::move(tuple));
        return AttributeValue::plain(PythonValue::other(torchTypeName(*v), repr(*v)));
    case Value::Kind::Module: {
        if (!forModuleSlot)  // the semantics layer rejects it by its type name, as Python does
            return AttributeValue::plain(PythonValue::other(torchTypeName(*v), repr(*v)));
        // A module already in the model becomes shared (`model.a = model.conv1`), as in Python.
        std::shared_ptr<ModuleNode> module = sharedModule(v->module);
        if (!module || module.get() == model_)
            unsupported("putting the model itself into a module");
        return AttributeValue::module(std::move(module));
    }
    default:
        return AttributeValue::plain(PythonValue::other(torchTypeName(*v), repr(*v)));
    }
}

void Interpreter::attached(const ValuePtr& v, const ModuleRef& parent, const std::string& name)
{
    // A module made in the console is now found through its first parent; one already in the
    // model keeps its own path.
    if (v->kind != Value::Kind::Module || !isUnattached(v->module))
        return;
    const std::shared_ptr<ModuleHolder>& holder = v->module.holder;
    holder->owned.reset();
    holder->movedTo = parent.holder;
    holder->movedPath = parent.path;
    holder->movedPath.push_back(name);
}

// ---- get ---------------------------------------------------------------------------------------

ValuePtr Interpreter::getAttribute(const ValuePtr& obj, const std::string& name)
{
    const Value& v = *obj;
    if (name == "__class__")
        return typeOf(obj);
    if (v.kind == Value::Kind::Module && classOf(v)) {
        // Python's lookup: the instance's __dict__, then its class (user methods and class
        // attributes), then nn.Module.__getattr__ (parameters, buffers, submodules).
        ModuleNode& node = resolveModule(v.module);
        const auto& plain = node.plainAttributes();
        const bool inDict = std::any_of(plain.begin(), plain.end(), [&](const PlainAttribute& a) { return a.name == name; });
        if (!inDict) {
            if (ValuePtr member = userMember(obj, name))
                return member;
            if (beforeModuleInit(v) && !methodTableFor(v)->find(name))
                throw PythonError("AttributeError", "'" + node.typeName() + "' object has no attribute '" + name + "'");
        }
    } else if (v.kind == Value::Kind::Class || (v.kind == Value::Kind::Opaque && v.s == "super")) {
        if (ValuePtr member = userMember(obj, name))
            return member;
    }
    switch (v.kind) {
    case Value::Kind::Module: return moduleAttribute(obj, name);
    case Value::Kind::Tensor: return tensorAttribute(obj, name);
    case Value::Kind::Namespace: return namespaceAttribute(obj, name);
    case Value::Kind::Optimizer: return optimizerAttribute(obj, name);
    case Value::Kind::Str:
    case Value::Kind::List:
    case Value::Kind::Dict:
    case Value::Kind::DictView:
    case Value::Kind::Tuple:
    case Value::Kind::Size: return methodTableFor(v)->attribute(obj, name);
    case Value::Kind::Dtype:
        if (name == "is_floating_point")
            return boolean(v.s.rfind("float", 0) == 0 || v.s == "bfloat16");
        if (name == "is_complex")
            return boolean(false);
        if (name == "is_signed")
            return boolean(v.s != "uint8" && v.s != "bool");
        attributeError(v, name);
    case Value::Kind::Device:
        if (name == "type")
            return str(v.s);
        if (name == "index")
            return none();
        attributeError(v, name);
    case Value::Kind::Range:
        if (name == "start")
            return integer(v.start);
        if (name == "stop")
            return integer(v.stop);
        if (name == "step")
            return integer(v.step);
        attributeError(v, name);
    case Value::Kind::Class:
        if (name == "__name__") {
            const size_t dot = v.s.rfind('.');
            return str(dot == std::string::npos ? v.s : v.s.substr(dot + 1));
        }
        unsupported("class attributes");
    case Value::Kind::None: {
        if (name.rfind("__", 0) == 0)
            unsupported("None." + name);
        attributeError(v, name);
    }
    case Value::Kind::Int:
    case Value::Kind::Bool:
    case Value::Kind::Float: {
        static const std::set<std::string> numberNames{
            "real", "imag", "numerator", "denominator", "bit_length", "bit_count", "conjugate",
            "to_bytes", "from_bytes", "as_integer_ratio", "is_integer", "hex", "fromhex"};
        if (numberNames.count(name) || name.rfind("__", 0) == 0)
            unsupported(typeShortName(v) + "." + name);
        attributeError(v, name);
    }
    case Value::Kind::Opaque:  // load_state_dict's namedtuple
        if (v.s == "_IncompatibleKeys" && (name == "missing_keys" || name == "unexpected_keys"))
            return v.items[name == "missing_keys" ? 0 : 1];
        [[fallthrough]];
    default:
        if (name.rfind("__", 0) == 0)
            unsupported(typeShortName(v) + "." + name);
        attributeError(v, name);
    }
}

ValuePtr Interpreter::moduleAttribute(const ValuePtr& module, const std::string& name)
{
    ModuleNode& node = resolveModule(module->module);
    AttributeLookup lookup;
    try {
        lookup = node.getAttr(name);
    } catch (const PythonError& e) {
        if (e.type() == "AttributeError")
            if (ValuePtr member = moduleClassMember(module, name))  // a method of its class
                return member;
        throw;
    }
    switch (lookup.source) {
    case AttributeLookup::Source::Attribute: {
        if (!lookup.tensor.isNone())
            return tensorValue(lookup.tensor);
        if (lookup.value.kind() == PythonValue::Kind::Other) {
            const auto kept = keptValues_.find({&node, name});
            if (kept != keptValues_.end() && repr(*kept->second) == lookup.value.repr())
                return kept->second;
        }
        return fromPython(lookup.value);
    }
    case AttributeLookup::Source::ModuleMember:
        if (name == "training")
            return boolean(node.isTraining());
        if (name == "_parameters" || name == "_buffers" || name == "_modules")
            return moduleNamespaceView(module, name);
        if (!lookup.typeName.empty())
            unsupported("reading nn.Module's internal attribute '" + name + "'");
        if (ValuePtr method = moduleClassMember(module, name))
            return method;
        unsupported("Module." + name);
    case AttributeLookup::Source::Parameter: return tensorValue(lookup.tensor, true);
    case AttributeLookup::Source::Buffer: return tensorValue(lookup.tensor);
    case AttributeLookup::Source::Module:
        if (!lookup.module)
            return none();
        return moduleValue(childRef(module->module, name, lookup.module));
    }
    return none();
}

ValuePtr Interpreter::tensorAttribute(const ValuePtr& t, const std::string& name)
{
    const TensorRef& x = t->tensor;
    if (tensorProperties().count(name)) {
        if (name == "shape")
            return sizeValue(x.shape());
        if (name == "dtype")
            return dtypeValue(x.dtypeName());
        if (name == "device") {
            auto d = std::make_shared<Value>();
            d->kind = Value::Kind::Device;
            d->s = x.deviceName();
            return d;
        }
        if (name == "requires_grad")
            return boolean(x.requiresGrad());
        if (name == "is_leaf")
            return boolean(tensors::isLeaf(x));
        if (name == "data")
            return tensorValue(tensors::unary("detach", x));
        if (name == "ndim")
            return integer(static_cast<int64_t>(x.shape().size()));
        if (name == "is_cuda")
            return boolean(x.deviceName().rfind("cuda", 0) == 0);
        if (name == "grad_fn") {
            const std::string fn = tensors::gradFnName(x);
            if (fn.empty())
                return none();
            auto v = std::make_shared<Value>();
            v->kind = Value::Kind::Opaque;
            v->s = fn;
            v->repr = "<" + fn + " object at " + addressOf(v.get()) + ">";
            return v;
        }
        if (name == "T") {
            if (x.shape().size() > 2)
                unsupported("Tensor.T on tensors with more than 2 dimensions");
            return tensorValue(tensors::unary("t", x));
        }
        if (name == "grad") {
            const TensorRef grad = x.gradient();
            return grad.isNone() ? none() : tensorValue(grad);
        }
    }
    return tensorMethodTable().attribute(t, name);  // a method, refused, or AttributeError
}

ValuePtr Interpreter::namespaceAttribute(const ValuePtr& ns, const std::string& name)
{
    const std::string& module = ns->s;
    const MethodTable* functions = functionTableOf(module);
    if (functions && functions->find(name))
        return functionValue(module + "." + name);
    if (module == "torch") {
        const auto dtype = dtypeAliases().find(name);
        if (dtype != dtypeAliases().end())
            return dtypeValue(dtype->second);
        if (name == "nn" || name == "cuda" || name == "optim")
            return namespaceValue("torch." + name);
        if (name == "Size")
            return classValue("torch.Size");
        if (name == "no_grad" || name == "enable_grad")
            return classValue("torch.autograd.grad_mode." + name);
        if (name == "Tensor")
            return classValue("torch.Tensor");
        if (name == "__version__")
            return str(tensors::version());
    } else if (module == "torch.nn") {
        const auto cls = nnClasses().find(name);
        if (cls != nnClasses().end())
            return classValue(cls->second);
        if (name == "functional")
            return namespaceValue("torch.nn.functional");
        if (nnMembers(name))
            unsupported("torch.nn." + name);
    } else if (module == "torch.optim") {
        if (name == "SGD" || name == "Adam")
            return classValue("torch.optim." + std::string(name == "SGD" ? "sgd.SGD" : "adam.Adam"));
        unsupported("torch.optim." + name);
    } else if (module == "collections") {
        if (name == "OrderedDict")
            return classValue("collections.OrderedDict");
        unsupported("collections." + name);
    } else if (!functions) {
        unsupported(module + "." + name);
    }
    // torch, torch.cuda, torch.nn.functional: a name PyTorch has that the table lacks is refused.
    if (functions && functions->inPython(name))
        unsupported(module + "." + name);
    throw PythonError("AttributeError", "module '" + module + "' has no attribute '" + name + "'");
}

// ---- set / delete ------------------------------------------------------------------------------

void Interpreter::setAttribute(const ValuePtr& obj, const std::string& name, const ValuePtr& value)
{
    switch (obj->kind) {
    case Value::Kind::Module: {
        ModuleNode& node = resolveModule(obj->module);
        if (name == "training") {
            setTrainingAttribute(obj, value);
            return;
        }
        if (ownClassMember(*obj, name))
            unsupported("setting " + node.typeName() + "." + name);
        if (value->kind == Value::Kind::Tensor && value->isParameter && classOf(*obj) &&
            classOf(*obj)->find(name) && !node.hasAttr(name))  // register_parameter's hasattr check
            throw PythonError("KeyError", "attribute '" + name + "' already exists");
        if (beforeModuleInit(*obj)) {  // Module.__setattr__ before Module.__init__ ran
            if (value->kind == Value::Kind::Tensor && value->isParameter)
                throw PythonError("AttributeError", "cannot assign parameters before Module.__init__() call");
            if (value->kind == Value::Kind::Module)
                throw PythonError("AttributeError", "cannot assign module before Module.__init__() call");
        }
        if (!immutable(*value) && value->kind != Value::Kind::Tensor &&
            value->kind != Value::Kind::Module) {
            // A mutable value (a list, a dict, ...) would go stale in the model's views; only
            // where Python itself rejects it (parameter, buffer or child slots) is it passed on.
            bool rejected = false;
            try {
                const AttributeLookup lookup = node.getAttr(name);
                rejected = lookup.source == AttributeLookup::Source::Parameter ||
                           lookup.source == AttributeLookup::Source::Buffer ||
                           lookup.source == AttributeLookup::Source::Module;
            } catch (const PythonError&) {
            }
            if (!rejected)
                unsupported("assigning a " + typeShortName(*value) + " to a module attribute");
        }
        AttributeValue av = toAttributeValue(value, true);
        record(mutate([&] { return node.setAttr(name, std::move(av)); }));
        attached(value, obj->module, name);
        if (value->kind == Value::Kind::Tuple || value->kind == Value::Kind::Size ||
            value->kind == Value::Kind::Dtype || value->kind == Value::Kind::Device ||
            value->kind == Value::Kind::Range || value->kind == Value::Kind::Ellipsis)
            keptValues_[{&node, name}] = value;
        return;
    }
    case Value::Kind::Tensor: {
        if (name == "requires_grad" || name == "data") {
            setTensorAttribute(obj, name, value);
            return;
        }
        unsupported("setting tensor attributes (an in-place change)");
    }
    case Value::Kind::Namespace: unsupported("changing attributes of '" + obj->s + "'");
    case Value::Kind::Class:
        if (UserClass* cls = obj->userClass.get()) {  // `Net.count += 1`: the class's own dict
            for (auto& member : cls->members)
                if (member.first == name) {
                    member.second = value;
                    return;
                }
            cls->members.emplace_back(name, value);
            return;
        }
        unsupported("setting attributes of classes the console did not define");
    case Value::Kind::Function: unsupported("setting attributes of functions");
    default: attributeError(*obj, name);
    }
}

void Interpreter::deleteAttribute(const ValuePtr& obj, const std::string& name)
{
    switch (obj->kind) {
    case Value::Kind::Module: {
        ModuleNode& node = resolveModule(obj->module);
        if (ownClassMember(*obj, name))
            unsupported("deleting " + node.typeName() + "." + name);
        record(mutate([&] { return node.delAttr(name); }));
        return;
    }
    case Value::Kind::Tensor: unsupported("deleting tensor attributes");
    case Value::Kind::Namespace: unsupported("changing attributes of '" + obj->s + "'");
    case Value::Kind::Class:
    case Value::Kind::Function: unsupported("deleting attributes of classes and functions");
    default: attributeError(*obj, name);
    }
}

bool Interpreter::hasAttribute(const ValuePtr& obj, const std::string& name)
{
    if (obj->kind == Value::Kind::Module) {
        ModuleNode& node = resolveModule(obj->module);
        if (userMember(obj, name))
            return true;
        const MethodTable& methods = *methodTableFor(*obj);
        return node.hasAttr(name) || methods.find(name) || (!node.isScripted() && methods.inPython(name));
    }
    try {
        getAttribute(obj, name);
        return true;
    } catch (const PythonError& e) {
        if (e.type() == "AttributeError")
            return false;
        if (e.type() == "NotImplementedError")
            return true;
        throw;
    }
}

// ---- completion --------------------------------------------------------------------------------

std::vector<std::string> Interpreter::globalNames() const
{
    std::set<std::string> names;
    for (const auto& [name, value] : globals_)
        names.insert(name);
    for (const std::string& function : builtinFunctionTable().names())
        names.insert(function);
    for (const char* b : {"type", "str", "int", "float", "bool", "list", "tuple", "dict", "range",
                          "enumerate", "zip", "reversed", "for", "in", "del", "import", "from", "as",
                          "if", "elif", "else", "not", "and", "or", "is", "pass", "break", "continue",
                          "True", "False", "None"})
        names.insert(b);
    return {names.begin(), names.end()};
}

std::vector<std::string> Interpreter::attributeNames(const Value& v) const
{
    std::set<std::string> names;
    switch (v.kind) {
    case Value::Kind::Module: {
        ModuleNode* node = nullptr;
        try {
            node = &resolveModule(v.module);
        } catch (const std::exception&) {
            return {};
        }
        for (const std::string& method : moduleClassTable(node->typeName()).names())
            names.insert(method);
        names.insert("training");
        for (const PlainAttribute& a : node->plainAttributes())
            names.insert(a.name);
        for (const TensorSlot& s : node->parameters())
            names.insert(s.name);
        for (const TensorSlot& s : node->buffers())
            names.insert(s.name);
        for (const ChildSlot& c : node->childSlots())
            names.insert(c.name);
        break;
    }
    case Value::Kind::Tensor:
        names.insert(tensorProperties().begin(), tensorProperties().end());
        for (const std::string& method : tensorMethodTable().names())
            names.insert(method);
        break;
    case Value::Kind::Optimizer: names.insert(optimizerMethods().begin(), optimizerMethods().end()); break;
    case Value::Kind::Namespace:
        if (const MethodTable* functions = functionTableOf(v.s))
            for (const std::string& function : functions->names())
                names.insert(function);
        if (v.s == "torch") {
            for (const auto& [alias, dtype] : dtypeAliases())
                names.insert(alias);
            names.insert({"nn", "cuda", "optim", "Size", "Tensor", "__version__"});
        } else if (v.s == "torch.nn") {
            for (const auto& [cls, qual] : nnClasses())
                names.insert(cls);
            names.insert("functional");
        } else if (v.s == "torch.optim") {
            names.insert({"SGD", "Adam"});
        } else if (v.s == "collections") {
            names.insert("OrderedDict");
        }
        break;
    case Value::Kind::Dtype: names.insert({"is_floating_point", "is_complex", "is_signed"}); break;
    default:
        if (const MethodTable* table = methodTableFor(v))
            for (const std::string& method : table->names())
                names.insert(method);
        break;
    }
    std::vector<std::string> out;
    for (const std::string& n : names)
        if (!n.empty() && !std::isdigit(static_cast<unsigned char>(n[0])))
            out.push_back(n);
    return out;
}

}  // namespace mx::stmt
