#include "core/statements/trainingops.h"

#include "core/forward.h"
#include "core/forwardwalk.h"
#include "core/modulenode.h"
#include "core/moduleruntime.h"
#include "core/pythonerror.h"
#include "core/statements/torcherrors.h"
#include "core/tensoraccess.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/jit/runtime/print_handler.h>

#include <atomic>
#include <set>

namespace mx::stmt::training {

namespace {

// A LibTorch / TorchScript failure as Python's last traceback line (a TorchScript failure quotes
// the original error last).
[[noreturn]] void rethrowAsPython(const std::string& message)
{
    const std::string line = pythonErrorLine(message);
    const size_t colon = line.find(": ");
    throw PythonError(line.substr(0, colon), line.substr(colon + 2));
}

const at::Tensor& raw(const TensorRef& t) { return TensorAccess::tensor(t); }

TensorRef wrap(const at::Tensor& t) { return TensorAccess::wrap(t); }

int64_t reductionEnum(const std::string& reduction)
{
    // torch/nn/_reduction.py get_enum
    if (reduction == "none")
        return at::Reduction::None;
    if (reduction == "mean")
        return at::Reduction::Mean;
    if (reduction == "sum")
        return at::Reduction::Sum;
    throw PythonError("ValueError", reduction + " is not a valid value for reduction");
}

}  // namespace

std::string forwardParameterName(const ModuleNode& module)
{
    static const std::set<std::string> builtin{"Linear", "Conv2d", "ReLU", "MaxPool2d", "Dropout",
                                               "BatchNorm2d", "Flatten", "Sequential"};
    if (!module.isScripted() && builtin.count(module.typeName()))
        return "input";
    return guarded([&]() -> std::string {
        const torch::jit::Module& jit = module.runtime().module;
        const auto method = jit.find_method("forward");
        if (!method || method->function().getSchema().arguments().size() != 2)
            return {};
        return method->function().getSchema().arguments()[1].name();
    });
}

namespace {

std::atomic<std::string*> printTarget{nullptr};  // (console statements run one at a time)

void printToTarget(const std::string& text)
{
    if (std::string* into = printTarget.load())
        *into += text;
}

}  // namespace

ScriptPrintCapture::ScriptPrintCapture(std::string* into) : previous_(torch::jit::getPrintHandler())
{
    printTarget.store(into);
    torch::jit::setPrintHandler(&printToTarget);
}

ScriptPrintCapture::~ScriptPrintCapture()
{
    torch::jit::setPrintHandler(previous_);
    printTarget.store(nullptr);
}

TensorRef callModule(const ModuleNode& module, const TensorRef& input,
                     const std::function<bool()>& cancelled)
{
    module.prepareForward();  // edits only mark the jit mirror stale
    if (const std::string& why = module.forwardError(); !why.empty())
        rethrowAsPython(why);
    const CancelCheck stop = [&] { return cancelled && cancelled(); };
    ForwardWalk walk;
    walk.cancelled = &stop;
    try {
        const c10::IValue out = walkForward(module, "", c10::IValue(raw(input)), walk);
        if (out.isNone())
            return TensorRef();
        if (!out.isTensor())
            throw PythonError("NotImplementedError",
                              "a forward that returns " + out.tagKind() +
                                  " is not supported by Module Explorer's console");
        return wrap(out.toTensor());
    } catch (const ForwardCancelled&) {
        throw ForwardStopped{};
    } catch (const c10::Error& e) {
        rethrowAsPython(e.what_without_backtrace());
    } catch (const PythonError&) {
        throw;
    } catch (const std::runtime_error& e) {
        rethrowAsPython(e.what());
    }
}

TensorRef crossEntropy(const TensorRef& input, const TensorRef& target, int64_t ignoreIndex,
                       const std::string& reduction, double labelSmoothing)
{
    const int64_t r = reductionEnum(reduction);
    return guarded([&] {
        return wrap(at::cross_entropy_loss(raw(input), raw(target), {}, r, ignoreIndex,
                                           labelSmoothing));
    });
}

TensorRef mseLoss(const TensorRef& input, const TensorRef& target, const std::string& reduction)
{
    const int64_t r = reductionEnum(reduction);
    return guarded([&] {
        const std::vector<at::Tensor> both = at::broadcast_tensors({raw(input), raw(target)});
        return wrap(at::mse_loss(both[0], both[1], r));
    });
}

TensorRef l1Loss(const TensorRef& input, const TensorRef& target, const std::string& reduction)
{
    const int64_t r = reductionEnum(reduction);
    return guarded([&] {
        const std::vector<at::Tensor> both = at::broadcast_tensors({raw(input), raw(target)});
        return wrap(at::l1_loss(both[0], both[1], r));
    });
}

void backward(const TensorRef& t, bool retainGraph)
{
    guarded([&] {
        const at::Tensor& x = raw(t);
        // torch/autograd/__init__.py _make_grads: only a scalar gets an implicit grad of 1.
        if (x.requires_grad() && x.numel() != 1)
            throw PythonError("RuntimeError", "grad can be implicitly created only for scalar outputs");
        torch::autograd::backward({x}, {}, retainGraph ? c10::optional<bool>(true) : c10::nullopt);
    });
}

void setRequiresGrad(const TensorRef& t, bool flag)
{
    guarded([&] {
        // torch/csrc/autograd/python_variable_methods.cpp THPVariable_requires_grad_ (1.13)
        at::Tensor x = raw(t);
        if (!x.is_leaf() && !flag)
            throw PythonError("RuntimeError", "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
        if (flag && !at::isFloatingType(x.scalar_type()) && !at::isComplexType(x.scalar_type()))
            throw PythonError("RuntimeError", "only Tensors of floating point dtype can require gradients");
        x.requires_grad_(flag);
    });
}

bool isLeafOrRetainsGrad(const TensorRef& t)
{
    const at::Tensor& x = raw(t);
    return x.is_leaf() || x.retains_grad();
}

TensorRef randint(int64_t low, int64_t high, const std::vector<int64_t>& shape,
                  const std::string& dtype, bool requiresGrad)
{
    return guarded([&] {
        at::ScalarType type = at::kLong;
        if (!dtype.empty()) {
            static const std::vector<std::pair<std::string, at::ScalarType>> dtypes{
                {"float32", at::kFloat}, {"float64", at::kDouble}, {"float16", at::kHalf},
                {"bfloat16", at::kBFloat16}, {"int64", at::kLong}, {"int32", at::kInt},
                {"int16", at::kShort}, {"int8", at::kChar}, {"uint8", at::kByte}, {"bool", at::kBool}};
            for (const auto& [name, t] : dtypes)
                if (name == dtype)
                    type = t;
        }
        at::Tensor r = at::randint(low, high, shape, at::TensorOptions().dtype(type));
        if (requiresGrad)
            r.set_requires_grad(true);
        return wrap(r);
    });
}

bool gradEnabled() { return at::GradMode::is_enabled(); }

// ---- the journal -------------------------------------------------------------------------------

struct TensorJournal::Entry {
    enum class What { Values, Grad, Flag };
    What what;
    at::Tensor tensor;
    at::Tensor saved;     // Values: a clone; Grad: the grad object (undefined: None)
    at::Tensor savedValues;  // Grad: the grad's values, to put back into that object
    bool flag = false;
};

TensorJournal::TensorJournal() = default;
TensorJournal::~TensorJournal() = default;

namespace {

template <typename Entries>
bool kept(const Entries& entries, int what, const at::Tensor& t)
{
    for (const auto& e : entries)
        if (static_cast<int>(e.what) == what && e.tensor.unsafeGetTensorImpl() == t.unsafeGetTensorImpl())
            return true;
    return false;
}

}  // namespace

void TensorJournal::keepValues(const TensorRef& t)
{
    const at::Tensor& x = raw(t);
    if (!x.defined() || kept(entries_, static_cast<int>(Entry::What::Values), x))
        return;
    guarded([&] {
        at::NoGradGuard noGrad;
        entries_.push_back({Entry::What::Values, x, x.detach().clone(), {}, false});
    });
}

void TensorJournal::keepGrad(const TensorRef& t)
{
    const at::Tensor& x = raw(t);
    if (!x.defined() || kept(entries_, static_cast<int>(Entry::What::Grad), x))
        return;
    guarded([&] {
        at::NoGradGuard noGrad;
        const at::Tensor& grad = x.grad();
        entries_.push_back({Entry::What::Grad, x, grad,
                            grad.defined() ? grad.detach().clone() : at::Tensor(), false});
    });
}

void TensorJournal::keepFlag(const TensorRef& t)
{
    const at::Tensor& x = raw(t);
    if (!x.defined() || kept(entries_, static_cast<int>(Entry::What::Flag), x))
        return;
    entries_.push_back({Entry::What::Flag, x, {}, {}, x.requires_grad()});
}

void TensorJournal::restore()
{
    at::NoGradGuard noGrad;
    for (auto e = entries_.rbegin(); e != entries_.rend(); ++e) {
        try {
            at::Tensor x = e->tensor;
            switch (e->what) {
            case Entry::What::Values: x.detach().copy_(e->saved); break;
            case Entry::What::Grad:
                if (e->saved.defined())
                    e->saved.detach().copy_(e->savedValues);
                x.mutable_grad() = e->saved;
                break;
            case Entry::What::Flag:
                if (x.is_leaf())
                    x.set_requires_grad(e->flag);
                break;
            }
        } catch (const c10::Error&) {
            // A tensor whose shape changed meanwhile cannot take its old values; keep going.
        }
    }
    entries_.clear();
}

void TensorJournal::clear() { entries_.clear(); }

bool TensorJournal::empty() const { return entries_.empty(); }

}  // namespace mx::stmt::training
