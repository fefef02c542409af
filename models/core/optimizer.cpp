#include "core/optimizer.h"

#include "core/formatting.h"
#include "core/pythonerror.h"
#include "core/tensoraccess.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace mx {

/** Per-parameter state, by position in params_: what Python keeps in optimizer.state[p]. */
struct Optimizer::State {
    struct PerParam {
        bool started = false;        // the parameter took part in a step (has an entry)
        at::Tensor momentumBuffer;   // SGD (undefined: None)
        at::Tensor step;             // Adam: torch.tensor(0.) counting steps
        at::Tensor expAvg, expAvgSq, maxExpAvgSq;
    };
    std::vector<PerParam> perParam;
};

Optimizer::Optimizer(std::vector<TensorRef> params, OptimizerOptions options)
    : params_(std::move(params)), options_(options), state_(std::make_unique<State>())
{
    if (params_.empty())
        throw PythonError("ValueError", "optimizer got an empty parameter list");
    state_->perParam.resize(params_.size());
}

Optimizer::~Optimizer() = default;

std::string Optimizer::className() const
{
    return options_.kind == OptimizerKind::SGD ? "SGD" : "Adam";
}

void Optimizer::zeroGrad(bool setToNone)
{
    for (const TensorRef& ref : params_) {
        at::Tensor p = TensorAccess::tensor(ref);
        if (!p.defined())
            continue;
        at::Tensor& grad = p.mutable_grad();
        if (!grad.defined())
            continue;
        if (setToNone) {
            grad.reset();
            continue;
        }
        if (grad.grad_fn())
            grad.detach_();
        else
            grad.requires_grad_(false);
        grad.zero_();
    }
}

void Optimizer::step()
{
    at::NoGradGuard noGrad;
    const OptimizerOptions& o = options_;
    for (size_t i = 0; i < params_.size(); ++i) {
        at::Tensor param = TensorAccess::tensor(params_[i]);
        if (!param.defined() || !param.grad().defined())
            continue;
        State::PerParam& s = state_->perParam[i];
        at::Tensor grad = o.maximize ? -param.grad() : param.grad();
        if (o.weightDecay != 0)
            grad = grad.add(param, o.weightDecay);
        if (o.kind == OptimizerKind::SGD) {
            // torch/optim/sgd.py _single_tensor_sgd (1.13)
            s.started = true;
            if (o.momentum != 0) {
                if (!s.momentumBuffer.defined())
                    s.momentumBuffer = grad.clone().detach();
                else
                    s.momentumBuffer.mul_(o.momentum).add_(grad, 1 - o.dampening);
                grad = o.nesterov ? grad.add(s.momentumBuffer, o.momentum) : s.momentumBuffer;
            }
            param.add_(grad, -o.lr);
            continue;
        }
        // torch/optim/adam.py _single_tensor_adam (1.13)
        if (!s.started) {
            s.started = true;
            s.step = at::zeros({}, at::kFloat);
            s.expAvg = at::zeros_like(param, at::MemoryFormat::Preserve);
            s.expAvgSq = at::zeros_like(param, at::MemoryFormat::Preserve);
            if (o.amsgrad)
                s.maxExpAvgSq = at::zeros_like(param, at::MemoryFormat::Preserve);
        }
        s.step.add_(1);
        s.expAvg.mul_(o.beta1).add_(grad, 1 - o.beta1);
        s.expAvgSq.mul_(o.beta2).addcmul_(grad, grad, 1 - o.beta2);
        const double step = s.step.item<float>();
        const double biasCorrection1 = 1 - std::pow(o.beta1, step);
        const double biasCorrection2 = 1 - std::pow(o.beta2, step);
        const double stepSize = o.lr / biasCorrection1;
        const double biasCorrection2Sqrt = std::sqrt(biasCorrection2);
        at::Tensor denom;
        if (o.amsgrad) {
            at::maximum_out(s.maxExpAvgSq, s.maxExpAvgSq, s.expAvgSq);
            denom = (s.maxExpAvgSq.sqrt() / biasCorrection2Sqrt).add_(o.eps);
        } else {
            denom = (s.expAvgSq.sqrt() / biasCorrection2Sqrt).add_(o.eps);
        }
        param.addcdiv_(s.expAvg, denom, -stepSize);
    }
}

namespace {

PythonValue number(double value, bool isInt)
{
    return isInt ? PythonValue::integer(static_cast<int64_t>(value)) : PythonValue::floating(value);
}

}  // namespace

std::vector<std::pair<std::string, PythonValue>> Optimizer::paramGroup() const
{
    const OptimizerOptions& o = options_;
    const PythonValue lr = number(o.lr, o.lrIsInt);
    const PythonValue weightDecay = number(o.weightDecay, o.weightDecayIsInt);
    if (o.kind == OptimizerKind::SGD)
        return {{"lr", lr},
                {"momentum", number(o.momentum, o.momentumIsInt)},
                {"dampening", number(o.dampening, o.dampeningIsInt)},
                {"weight_decay", weightDecay},
                {"nesterov", PythonValue::boolean(o.nesterov)},
                {"maximize", PythonValue::boolean(o.maximize)},
                {"foreach", PythonValue::none()},
                {"differentiable", PythonValue::boolean(false)}};
    const std::string betas = "(" + pythonFloat(o.beta1) + ", " + pythonFloat(o.beta2) + ")";
    return {{"lr", lr},
            {"betas", PythonValue::other("tuple", betas)},
            {"eps", PythonValue::floating(o.eps)},
            {"weight_decay", weightDecay},
            {"amsgrad", PythonValue::boolean(o.amsgrad)},
            {"maximize", PythonValue::boolean(o.maximize)},
            {"foreach", PythonValue::none()},
            {"capturable", PythonValue::boolean(false)},
            {"differentiable", PythonValue::boolean(false)},
            {"fused", PythonValue::boolean(false)}};
}

std::vector<std::pair<size_t, std::vector<OptimizerStateEntry>>> Optimizer::state() const
{
    std::vector<std::pair<size_t, std::vector<OptimizerStateEntry>>> out;
    for (size_t i = 0; i < state_->perParam.size(); ++i) {
        const State::PerParam& s = state_->perParam[i];
        if (!s.started)
            continue;
        std::vector<OptimizerStateEntry> entries;
        if (options_.kind == OptimizerKind::SGD) {
            entries.push_back({"momentum_buffer", TensorAccess::wrap(s.momentumBuffer)});
        } else {
            entries.push_back({"step", TensorAccess::wrap(s.step)});
            entries.push_back({"exp_avg", TensorAccess::wrap(s.expAvg)});
            entries.push_back({"exp_avg_sq", TensorAccess::wrap(s.expAvgSq)});
            if (options_.amsgrad)
                entries.push_back({"max_exp_avg_sq", TensorAccess::wrap(s.maxExpAvgSq)});
        }
        out.emplace_back(i, std::move(entries));
    }
    return out;
}

std::string Optimizer::repr() const
{
    // torch.optim.Optimizer.__repr__: the group's keys sorted, 'params' left out.
    auto group = paramGroup();
    std::sort(group.begin(), group.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out = className() + " (\nParameter Group 0\n";
    for (const auto& [key, value] : group)
        out += "    " + key + ": " + value.repr() + "\n";
    return out + ")";
}

}  // namespace mx
