// What training does to state, in the console: calling a module (forward with autograd),
// Tensor.backward / requires_grad_ / grad, Module.train / eval / zero_grad / requires_grad_; and
// putting back what a failing statement changed. The losses of torch.nn.functional: functional.cpp.
#include "core/statements/methodtable.h"

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

std::vector<TensorRef> parametersOf(const ModuleNode& node)
{
    std::vector<TensorRef> out;
    for (const ListingEntry& e : namedParameters(node))
        out.push_back(e.tensor);
    return out;
}

}  // namespace

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

// ---- tensors -----------------------------------------------------------------------------------

void Interpreter::backward(const TensorRef& t, bool retainGraph)
{
    // Backward accumulates into the grads of the leaves it reaches: the model's parameters.
    if (model_)
        for (const TensorRef& p : parametersOf(*model_))
            if (p.requiresGrad())
                journal_.keepGrad(p);
    checkInterrupt();
    training::backward(t, retainGraph);
    tensorsChanged_ = true;
}

void Interpreter::setRequiresGrad(const TensorRef& t, bool flag)
{
    setRequiresGradFlag(t, flag);
    tensorsChanged_ = true;
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
    // Every module whose flag may have changed was kept: each gets its own flag back.
    for (const KeptFlag& k : keptFlags_) {
        const std::shared_ptr<ModuleNode> held = k.module.lock();
        if (ModuleNode* module = k.root ? k.root : held.get())
            module->setTrainingFlag(k.training);
    }
    keptFlags_.clear();
    journal_.restore();
}

void Interpreter::trainModules(const ValuePtr& module, bool mode)
{
    ModuleNode& node = resolveModule(module->module);
    keepTrainingFlags(node);
    node.train(mode);
    tensorsChanged_ = true;
}

void Interpreter::zeroGrads(std::vector<TensorRef> params, bool setToNone)
{
    for (const TensorRef& p : params)
        journal_.keepGrad(p);
    if (!params.empty())  // the same code as Optimizer.zero_grad in 1.13
        Optimizer(std::move(params), OptimizerOptions()).zeroGrad(setToNone);
    tensorsChanged_ = true;
}

namespace {

ValuePtr moduleTrain(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const ValuePtr& mode = args.positional[0];
    if (mode->kind != Value::Kind::Bool)
        throw PythonError("ValueError", "training mode is expected to be boolean");
    in.trainModules(self, mode->b);
    return self;
}

ValuePtr moduleEval(Interpreter& in, const ValuePtr& self, const Args&)
{
    in.trainModules(self, false);
    return self;
}

ValuePtr moduleZeroGrad(Interpreter& in, const ValuePtr& self, const Args& args)
{
    in.zeroGrads(parametersOf(resolveModule(self->module)), in.truthy(*args.positional[0]));
    return none();
}

// for p in self.parameters(): p.requires_grad_(requires_grad), each an undoable edit.
ValuePtr moduleRequiresGrad(Interpreter& in, const ValuePtr& self, const Args& args)
{
    for (const TensorRef& p : parametersOf(resolveModule(self->module)))
        in.setRequiresGrad(p, boolArgument("requires_grad_", "requires_grad", args.positional[0]));
    return self;
}

// module.forward(x): what module(x) runs (the console keeps no hooks for __call__ to skip).
ValuePtr moduleForward(Interpreter& in, const ValuePtr& self, const Args& args) { return in.callModule(self, args); }

}  // namespace

std::vector<MethodEntry> trainingModuleEntries()
{
    return {
        {"forward", ownCheck(), moduleForward},
        {"train", pythonSignature({"Module.train", {{"mode", boolean(true)}}}), moduleTrain},
        {"eval", pythonSignature({"Module.eval", {}}), moduleEval},
        {"zero_grad", pythonSignature({"Module.zero_grad", {{"set_to_none", boolean(false)}}}), moduleZeroGrad},
        {"requires_grad_", pythonSignature({"Module.requires_grad_", {{"requires_grad", boolean(true)}}}),
         moduleRequiresGrad},
    };
}

}  // namespace mx::stmt
