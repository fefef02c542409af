// torch.optim.SGD / torch.optim.Adam in the console: construction with PyTorch 1.13's checks and
// error texts, step(), zero_grad(), state_dict() and repr, over the core's mx::Optimizer.
#include "core/statements/interpreter.h"

#include "core/optimizer.h"
#include "core/pythonerror.h"
#include "core/statements/interpreterhelpers.h"
#include "core/statements/trainingops.h"

#include <algorithm>
#include <set>

namespace mx::stmt {

namespace {

[[noreturn]] void valueError(const std::string& message) { throw PythonError("ValueError", message); }

// `value <op> 0.0` (or `0.0 <op> value` when `floatFirst`) as Python evaluates it, for checks
// such as `lr < 0.0`: a TypeError for values that do not compare with a float.
double comparable(const ValuePtr& v, const std::string& op, bool floatFirst)
{
    if (isNumber(*v))
        return floatOf(*v);
    if (v->kind == Value::Kind::Tensor)
        unsupported("a tensor as an optimizer hyper-parameter");
    const std::string other = typeShortName(*v);
    typeError("'" + op + "' not supported between instances of '" + (floatFirst ? "float" : other) +
              "' and '" + (floatFirst ? other : "float") + "'");
}

// A hyper-parameter the core optimizer keeps as a double, remembering whether it was an int.
double hyper(const ValuePtr& v, const std::string& name, bool* isInt)
{
    if (v->kind == Value::Kind::Int || v->kind == Value::Kind::Float) {
        if (isInt)
            *isInt = v->kind == Value::Kind::Int;
        else if (v->kind == Value::Kind::Int)
            unsupported("an int " + name);
        return floatOf(*v);
    }
    unsupported("a " + typeShortName(*v) + " " + name);
}

bool flag(const ValuePtr& v, const std::string& name)
{
    if (v->kind != Value::Kind::Bool)
        unsupported("a " + typeShortName(*v) + " " + name);
    return v->b;
}

Optimizer& optimizerOf(const ValuePtr& v) { return *v->optimizer; }

}  // namespace

const std::set<std::string>& optimizerMethods()
{
    static const std::set<std::string> names{"step", "zero_grad", "state_dict"};
    return names;
}

ValuePtr Interpreter::constructOptimizer(const std::string& cls, const Args& args)
{
    const bool sgd = cls == "torch.optim.sgd.SGD";
    if (!sgd && cls != "torch.optim.adam.Adam")
        unsupported(cls);
    static const ValuePtr required = str("<required parameter>");  // torch.optim.optimizer.required
    OptimizerOptions o;
    std::vector<ValuePtr> a;
    if (sgd) {
        a = bindArguments({"SGD.__init__",
                           {{"params", nullptr},
                            {"lr", required},
                            {"momentum", integer(0)},
                            {"dampening", integer(0)},
                            {"weight_decay", integer(0)},
                            {"nesterov", boolean(false)},
                            {"maximize", boolean(false), true},
                            {"foreach", none(), true},
                            {"differentiable", boolean(false), true}}},
                          args);
        o.kind = OptimizerKind::SGD;
        // torch/optim/sgd.py SGD.__init__ (1.13), in its order
        if (a[1] != required && comparable(a[1], "<", false) < 0.0)
            valueError("Invalid learning rate: " + toStr(*a[1]));
        if (comparable(a[2], "<", false) < 0.0)
            valueError("Invalid momentum value: " + toStr(*a[2]));
        if (comparable(a[4], "<", false) < 0.0)
            valueError("Invalid weight_decay value: " + toStr(*a[4]));
        o.momentum = hyper(a[2], "momentum", &o.momentumIsInt);
        o.dampening = hyper(a[3], "dampening", &o.dampeningIsInt);
        o.weightDecay = hyper(a[4], "weight_decay", &o.weightDecayIsInt);
        o.nesterov = truthy(*a[5]);
        if (o.nesterov && (o.momentum <= 0 || o.dampening != 0))
            valueError("Nesterov momentum requires a momentum and zero dampening");
        if (a[5]->kind != Value::Kind::Bool)
            unsupported("a non-bool nesterov");
        o.maximize = flag(a[6], "maximize");
        if (a[7]->kind != Value::Kind::None || truthy(*a[8]))
            unsupported("SGD with foreach or differentiable");
    } else {
        a = bindArguments({"Adam.__init__",
                           {{"params", nullptr},
                            {"lr", floating(1e-3)},
                            {"betas", tupleValue({floating(0.9), floating(0.999)})},
                            {"eps", floating(1e-8)},
                            {"weight_decay", integer(0)},
                            {"amsgrad", boolean(false)},
                            {"foreach", none(), true},
                            {"maximize", boolean(false), true},
                            {"capturable", boolean(false), true},
                            {"differentiable", boolean(false), true},
                            {"fused", boolean(false), true}}},
                          args);
        o.kind = OptimizerKind::Adam;
        // torch/optim/adam.py Adam.__init__ (1.13), in its order
        if (!(comparable(a[1], "<=", true) >= 0.0))
            valueError("Invalid learning rate: " + toStr(*a[1]));
        if (!(comparable(a[3], "<=", true) >= 0.0))
            valueError("Invalid epsilon value: " + toStr(*a[3]));
        const ValuePtr& betas = a[2];
        if (betas->kind != Value::Kind::Tuple && betas->kind != Value::Kind::List)
            typeError("'" + typeShortName(*betas) + "' object is not subscriptable");
        for (size_t k = 0; k < 2; ++k) {
            if (betas->items.size() <= k)
                throw PythonError("IndexError", typeShortName(*betas) + " index out of range");
            const double b = comparable(betas->items[k], "<=", true);
            if (!(0.0 <= b && b < 1.0))
                valueError("Invalid beta parameter at index " + std::to_string(k) + ": " +
                           toStr(*betas->items[k]));
        }
        if (!(comparable(a[4], "<=", true) >= 0.0))
            valueError("Invalid weight_decay value: " + toStr(*a[4]));
        if (betas->kind != Value::Kind::Tuple || betas->items.size() != 2)
            unsupported("betas other than a tuple of two floats");
        o.beta1 = hyper(betas->items[0], "beta", nullptr);
        o.beta2 = hyper(betas->items[1], "beta", nullptr);
        o.eps = hyper(a[3], "eps", nullptr);
        o.weightDecay = hyper(a[4], "weight_decay", &o.weightDecayIsInt);
        o.amsgrad = flag(a[5], "amsgrad");
        o.maximize = flag(a[7], "maximize");
        if (a[6]->kind != Value::Kind::None || truthy(*a[8]) || truthy(*a[9]) || truthy(*a[10]))
            unsupported("Adam with foreach, capturable, differentiable or fused");
    }
    if (a[1] != required)
        o.lr = hyper(a[1], "lr", &o.lrIsInt);

    // torch/optim/optimizer.py Optimizer.__init__ and add_param_group
    const ValuePtr& params = a[0];
    if (params->kind == Value::Kind::Tensor)
        typeError("params argument given to the optimizer should be an iterable of Tensors or "
                  "dicts, but got " + torchTypeName(*params));
    const std::vector<ValuePtr> items = toVector(params);
    if (items.empty())
        valueError("optimizer got an empty parameter list");
    if (items[0]->kind == Value::Kind::Dict)
        unsupported("optimizer parameter groups (dicts)");
    std::vector<TensorRef> tensors;
    std::set<const void*> seen;
    for (const ValuePtr& p : items) {
        if (p->kind != Value::Kind::Tensor)
            typeError("optimizer can only optimize Tensors, but one of the params is " + torchTypeName(*p));
        if (!training::isLeafOrRetainsGrad(p->tensor))
            valueError("can't optimize a non-leaf Tensor");
        tensors.push_back(p->tensor);
    }
    if (a[1] == required)
        valueError("parameter group didn't specify a value of required optimization parameter lr");
    for (const TensorRef& t : tensors)
        if (!seen.insert(t.identity()).second)
            unsupported("an optimizer over duplicate parameters");
    auto v = std::make_shared<Value>();
    v->kind = Value::Kind::Optimizer;
    v->optimizer = std::make_shared<Optimizer>(std::move(tensors), o);
    return v;
}

ValuePtr Interpreter::optimizerAttribute(const ValuePtr& opt, const std::string& name)
{
    if (optimizerMethods().count(name))
        return methodValue(opt, name);
    static const std::set<std::string> members{
        "param_groups", "state", "defaults", "add_param_group", "load_state_dict",
        "register_step_pre_hook", "register_step_post_hook", "__dict__", "__getstate__",
        "__setstate__", "__repr__", "__init__", "__class__"};
    if (members.count(name) || name.rfind("__", 0) == 0 || name.rfind("_", 0) == 0)
        unsupported("Optimizer." + name);
    throw PythonError("AttributeError",
                      "'" + optimizerOf(opt).className() + "' object has no attribute '" + name + "'");
}

ValuePtr Interpreter::callOptimizerMethod(const ValuePtr& opt, const std::string& name, const Args& args)
{
    Optimizer& o = optimizerOf(opt);
    if (name == "step") {
        // step(closure=None), wrapped in 1.13 by a decorator that takes *args, **kwargs
        const std::vector<ValuePtr> a =
            bindArguments({o.className() + ".step", {{"closure", none()}}}, args);
        if (a[0]->kind != Value::Kind::None) {
            const Value::Kind k = a[0]->kind;
            if (k == Value::Kind::Function || k == Value::Kind::Method || k == Value::Kind::Class ||
                k == Value::Kind::Module)
                unsupported("Optimizer.step(closure)");
            typeError("'" + typeShortName(*a[0]) + "' object is not callable");
        }
        // What a failing statement must put back: the parameters that will move and the state
        // tensors the step updates in place (state made by a first step stays; see the report).
        for (const TensorRef& p : o.params())
            if (!p.gradient().isNone())
                journal_.keepValues(p);
        for (const auto& [index, entries] : o.state())
            for (const OptimizerStateEntry& e : entries)
                journal_.keepValues(e.tensor);
        checkInterrupt();
        o.step();
        tensorsChanged_ = true;
        return none();
    }
    if (name == "zero_grad") {
        const std::vector<ValuePtr> a =
            bindArguments({"Optimizer.zero_grad", {{"set_to_none", boolean(false)}}}, args);
        for (const TensorRef& p : o.params())
            journal_.keepGrad(p);
        o.zeroGrad(truthy(*a[0]));
        tensorsChanged_ = true;
        return none();
    }
    if (name == "state_dict") {
        bindArguments({"Optimizer.state_dict", {}}, args);
        ValuePtr state = dictValue(false);
        for (const auto& [index, entries] : o.state()) {
            ValuePtr perParam = dictValue(false);
            for (const OptimizerStateEntry& e : entries) {
                perParam->keys.push_back(str(e.name));
                perParam->items.push_back(e.tensor.isNone() ? none() : tensorValue(e.tensor));
            }
            state->keys.push_back(integer(static_cast<int64_t>(index)));
            state->items.push_back(perParam);
        }
        ValuePtr group = dictValue(false);
        for (const auto& [key, value] : o.paramGroup()) {
            group->keys.push_back(str(key));
            if (key == "betas")
                group->items.push_back(tupleValue({floating(o.options().beta1), floating(o.options().beta2)}));
            else
                group->items.push_back(fromPython(value));
        }
        std::vector<ValuePtr> indices;
        for (size_t k = 0; k < o.params().size(); ++k)
            indices.push_back(integer(static_cast<int64_t>(k)));
        group->keys.push_back(str("params"));
        group->items.push_back(listValue(std::move(indices)));
        ValuePtr out = dictValue(false);
        out->keys = {str("state"), str("param_groups")};
        out->items = {state, listValue({group})};
        return out;
    }
    unsupported("Optimizer." + name + "()");
}

}  // namespace mx::stmt
