// What training does to state, in the console: calling a module (forward with autograd), the
// losses of torch.nn.functional, Tensor.backward / requires_grad_ / grad, Module.train / eval /
// zero_grad / requires_grad_, torch.randint; and putting back what a failing statement changed.
#include "core/statements/interpreter.h"

#include "core/listings.h"
#include "core/modulenode.h"
#include "core/optimizer.h"
#include "core/pythonerror.h"
#include "core/statements/trainingops.h"

#include <algorithm>

namespace mx::stmt {

namespace {


// torch's argument parser: "requires_grad_(): argument 'requires_grad' (position 1) must be bool, not int".
bool boolArgument(const std::string& fn, const std::string& arg, const ValuePtr& v)
{
    if (v->kind != Value::Kind::Bool)
        typeError(fn + "(): argument '" + arg + "' (position 1) must be bool, not " + typeShortName(*v));
    return v->b;
}

std::string reductionArgument(const ValuePtr& v)
{
    if (v->kind != Value::Kind::Str)
        unsupported("a reduction other than a string");
    return v->s;
}

std::vector<TensorRef> parametersOf(const ModuleNode& node)
{
    std::vector<TensorRef> out;
    for (const ListingEntry& e : namedParameters(node))
        out.push_back(e.tensor);
    return out;
}

}  // namespace

const std::set<std::string>& trainingTensorMethods()
{
    static const std::set<std::string> names{"backward", "requires_grad_"};
    return names;
}

const std::set<std::string>& trainingModuleMethods()
{
    static const std::set<std::string> names{"train", "eval", "zero_grad", "requires_grad_"};
    return names;
}

const std::set<std::string>& functionalNames()
{
    static const std::set<std::string> names{"cross_entropy", "mse_loss", "l1_loss"};
    return names;
}

// ---- calling a module --------------------------------------------------------------------------

ValuePtr Interpreter::callModule(const ValuePtr& module, const Args& args)
{
    ModuleNode& node = resolveModule(module->module);
    if (std::string why = node.forwardError(); !why.empty()) {
        why = why.substr(0, why.find('\n'));
        if (why.rfind("NotImplementedError: ", 0) == 0)
            throw ConsoleError(why);  // PyTorch's own (no forward), or the app's refusal
        // Python would run the forward eagerly; the app runs only what TorchScript compiled.
        if (why.rfind("RuntimeError: ", 0) == 0)
            why = why.substr(14);
        unsupported("calling a module whose forward TorchScript cannot compile (" + why + ")");
    }
    const std::string param = training::forwardParameterName(node);
    if (param.empty())
        unsupported("calling a module whose forward takes other than one argument");
    const std::vector<ValuePtr> a =
        bindArguments({node.pythonClassName() + ".forward", {{param, nullptr}}}, args);
    if (a[0]->kind != Value::Kind::Tensor)
        unsupported("calling a module on a " + typeShortName(*a[0]) + " (on a tensor it runs)");
    // A train-mode BatchNorm updates its running statistics in place.
    bool changesBuffers = false;
    for (const ListingEntry& b : namedBuffers(node))
        if (b.owner->isTraining()) {
            journal_.keepValues(b.tensor);
            changesBuffers = true;
        }
    checkInterrupt();
    const auto stop = [this] {
        return (interrupt_ && interrupt_->load(std::memory_order_relaxed)) ||
               (timeLimitSeconds_ > 0 && std::chrono::steady_clock::now() > deadline_);
    };
    TensorRef out;
    std::string printed;  // what print() in a compiled forward printed
    try {
        const training::ScriptPrintCapture capture(&printed);
        out = training::callModule(node, a[0]->tensor, stop);
    } catch (const training::ForwardStopped&) {
        appendOutput(printed);
        checkInterrupt();  // raises KeyboardInterrupt or TimeoutError
        throw ConsoleError("KeyboardInterrupt");
    } catch (...) {
        appendOutput(printed);
        throw;
    }
    appendOutput(printed);
    tensorsChanged_ = tensorsChanged_ || changesBuffers;
    checkInterrupt();
    return out.isNone() ? none() : tensorValue(out);
}

// ---- torch.nn.functional, torch.randint ----------------------------------------------------------

ValuePtr Interpreter::callTrainingFunction(const std::string& name, const Args& args)
{
    const std::string prefix = "torch.nn.functional.";
    if (name == "torch.randint") {
        // randint(low=0, high, size, *, generator=None, dtype=None, requires_grad=False, ...)
        const std::vector<ValuePtr>& pos = args.positional;
        for (const auto& [k, v] : args.keywords)
            if (k == "low" || k == "high" || k == "size")
                unsupported("torch.randint() with '" + k + "' given by keyword");
        auto isInt = [](const ValuePtr& v) { return v->kind == Value::Kind::Int; };
        auto isShape = [](const ValuePtr& v) {
            if (v->kind == Value::Kind::Size)
                return true;
            return (v->kind == Value::Kind::Tuple || v->kind == Value::Kind::List) &&
                   std::all_of(v->items.begin(), v->items.end(),
                               [](const ValuePtr& i) { return i->kind == Value::Kind::Int; });
        };
        if (pos.size() == 2 && isInt(pos[0]) && isInt(pos[1]))
            typeError("randint(): argument 'size' (position 2) must be tuple of ints, not int");
        const bool withLow = pos.size() == 3 && isInt(pos[0]) && isInt(pos[1]) && isShape(pos[2]);
        if (!withLow && !(pos.size() == 2 && isInt(pos[0]) && isShape(pos[1])))
            invalidCombination("randint", args);
        const FactoryOptions o = factoryOptions("randint", args, true, {});
        std::vector<int64_t> dims;  // a tensor past the memory budget is refused as it is allocated
        for (const ValuePtr& d : toVector(pos.back()))
            dims.push_back(d->i);
        return tensorValue(training::randint(withLow ? pos[0]->i : 0, pos[pos.size() - 2]->i, dims,
                                             o.dtype, o.requiresGrad));
    }
    const std::string fn = name.substr(prefix.size());
    if (fn == "cross_entropy") {
        const std::vector<ValuePtr> a = bindArguments(
            {"cross_entropy",
             {{"input", nullptr}, {"target", nullptr}, {"weight", none()}, {"size_average", none()},
              {"ignore_index", integer(-100)}, {"reduce", none()}, {"reduction", str("mean")},
              {"label_smoothing", floating(0.0)}},
             false},
            args);
        for (size_t k : {size_t(2), size_t(3), size_t(5)})
            if (a[k]->kind != Value::Kind::None)
                unsupported("cross_entropy() with weight, size_average or reduce");
        for (size_t k : {size_t(0), size_t(1)})
            if (a[k]->kind != Value::Kind::Tensor)
                typeError(std::string("cross_entropy_loss(): argument '") + (k ? "target" : "input") +
                          "' (position " + std::to_string(k + 1) + ") must be Tensor, not " +
                          typeShortName(*a[k]));
        if (a[4]->kind != Value::Kind::Int)
            unsupported("cross_entropy() with a non-int ignore_index");
        if (a[7]->kind != Value::Kind::Float && a[7]->kind != Value::Kind::Int)
            unsupported("cross_entropy() with a non-number label_smoothing");
        const double smoothing = a[7]->kind == Value::Kind::Float ? a[7]->f : static_cast<double>(a[7]->i);
        return tensorValue(training::crossEntropy(a[0]->tensor, a[1]->tensor, a[4]->i,
                                                  reductionArgument(a[6]), smoothing));
    }
    if (fn == "mse_loss" || fn == "l1_loss") {
        const std::vector<ValuePtr> a = bindArguments(
            {fn,
             {{"input", nullptr}, {"target", nullptr}, {"size_average", none()}, {"reduce", none()},
              {"reduction", str("mean")}},
             false},
            args);
        if (a[2]->kind != Value::Kind::None || a[3]->kind != Value::Kind::None)
            unsupported(fn + "() with size_average or reduce");
        // Python reads target.size() first, then input.size().
        for (size_t k : {size_t(1), size_t(0)})
            if (a[k]->kind != Value::Kind::Tensor)
                throw PythonError("AttributeError",
                                  "'" + typeShortName(*a[k]) + "' object has no attribute 'size'");
        const std::string reduction = reductionArgument(a[4]);
        return tensorValue(fn == "mse_loss" ? training::mseLoss(a[0]->tensor, a[1]->tensor, reduction)
                                            : training::l1Loss(a[0]->tensor, a[1]->tensor, reduction));
    }
    unsupported("torch.nn.functional." + fn);
}

// ---- tensors -----------------------------------------------------------------------------------

ValuePtr Interpreter::callTrainingTensorMethod(const ValuePtr& t, const std::string& name, const Args& args)
{
    if (name == "backward") {
        const std::vector<ValuePtr> a = bindArguments(
            {"Tensor.backward",
             {{"gradient", none()}, {"retain_graph", none()}, {"create_graph", boolean(false)},
              {"inputs", none()}}},
            args);
        if (a[0]->kind != Value::Kind::None || a[3]->kind != Value::Kind::None ||
            truthy(*a[2]))
            unsupported("Tensor.backward() with gradient, create_graph or inputs");
        const bool retain = a[1]->kind != Value::Kind::None && truthy(*a[1]);
        // Backward accumulates into the grads of the leaves it reaches: the model's parameters.
        if (model_)
            for (const TensorRef& p : parametersOf(*model_))
                if (p.requiresGrad())
                    journal_.keepGrad(p);
        checkInterrupt();
        training::backward(t->tensor, retain);
        tensorsChanged_ = true;
        return none();
    }
    if (name == "requires_grad_") {
        const std::vector<ValuePtr> a =
            bindArguments({"requires_grad_", {{"requires_grad", boolean(true)}}, false}, args);
        const bool flag = boolArgument("requires_grad_", "requires_grad", a[0]);
        journal_.keepFlag(t->tensor);
        training::setRequiresGrad(t->tensor, flag);
        tensorsChanged_ = true;
        return t;
    }
    unsupported("Tensor." + name + "()");
}

// ---- modules -----------------------------------------------------------------------------------

void Interpreter::keepTrainingFlags(ModuleNode& node)
{
    for (const NamedModule& m : namedModules(node, {}, false)) {
        auto* module = const_cast<ModuleNode*>(m.module);
        const bool seen = std::any_of(keptFlags_.begin(), keptFlags_.end(), [&](const KeptFlag& k) {
            return module == model_ ? k.root == module : k.module.lock().get() == module;
        });
        if (!seen)
            keptFlags_.push_back({module == model_ ? module : nullptr,
                                  module == model_ ? std::weak_ptr<ModuleNode>() : module->weak_from_this(),
                                  module->isTraining()});
    }
}

void Interpreter::restoreTrainingState()
{
    // train() sets a whole subtree, so a module set right may be set wrong again by an ancestor
    // set after it; each pass leaves the shallowest wrong modules right, so passes end.
    for (size_t pass = 0; pass <= keptFlags_.size(); ++pass) {
        bool changed = false;
        for (const KeptFlag& k : keptFlags_) {
            const std::shared_ptr<ModuleNode> held = k.module.lock();
            ModuleNode* module = k.root ? k.root : held.get();
            if (module && module->isTraining() != k.training) {
                module->train(k.training);
                changed = true;
            }
        }
        if (!changed)
            break;
    }
    keptFlags_.clear();
    journal_.restore();
}

ValuePtr Interpreter::callTrainingModuleMethod(const ValuePtr& module, const std::string& name,
                                               const Args& args)
{
    ModuleNode& node = resolveModule(module->module);
    if (name == "train" || name == "eval") {
        bool mode = false;
        if (name == "train") {
            const std::vector<ValuePtr> a = bindArguments({"Module.train", {{"mode", boolean(true)}}}, args);
            if (a[0]->kind != Value::Kind::Bool)
                throw PythonError("ValueError", "training mode is expected to be boolean");
            mode = a[0]->b;
        } else {
            bindArguments({"Module.eval", {}}, args);
        }
        keepTrainingFlags(node);
        node.train(mode);
        tensorsChanged_ = true;
        return module;
    }
    if (name == "zero_grad") {
        const std::vector<ValuePtr> a =
            bindArguments({"Module.zero_grad", {{"set_to_none", boolean(false)}}}, args);
        const bool setToNone = truthy(*a[0]);
        std::vector<TensorRef> params = parametersOf(node);
        for (const TensorRef& p : params)
            journal_.keepGrad(p);
        if (!params.empty())  // the same code as Optimizer.zero_grad in 1.13
            Optimizer(std::move(params), OptimizerOptions()).zeroGrad(setToNone);
        tensorsChanged_ = true;
        return none();
    }
    if (name == "requires_grad_") {
        const std::vector<ValuePtr> a =
            bindArguments({"Module.requires_grad_", {{"requires_grad", boolean(true)}}}, args);
        const std::vector<TensorRef> params = parametersOf(node);
        for (const TensorRef& p : params) {
            const bool flag = boolArgument("requires_grad_", "requires_grad", a[0]);
            journal_.keepFlag(p);
            training::setRequiresGrad(p, flag);
        }
        tensorsChanged_ = true;
        return module;
    }
    unsupported("Module." + name + "()");
}

}  // namespace mx::stmt
