#pragma once

#include "core/attributevalue.h"
#include "core/tensorref.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mx {

enum class OptimizerKind { SGD, Adam };

/** The hyper-parameters of torch.optim.SGD / torch.optim.Adam (PyTorch 1.13 defaults). */
struct OptimizerOptions {
    OptimizerKind kind = OptimizerKind::SGD;
    double lr = 0.001;  // SGD has no default in Python (the console asks for it)
    // SGD
    double momentum = 0, dampening = 0;
    bool nesterov = false;
    // Adam
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    bool amsgrad = false;
    // both
    double weightDecay = 0;
    bool maximize = false;
    /** Whether the user gave these as Python ints (`momentum=0` prints 0, `momentum=0.0` 0.0). */
    bool lrIsInt = false, momentumIsInt = true, dampeningIsInt = true, weightDecayIsInt = true;
};

/** One entry of an optimizer's per-parameter state: a tensor (exp_avg, step, ...) or None. */
struct OptimizerStateEntry {
    std::string name;  // "momentum_buffer", "step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"
    TensorRef tensor;  // None for SGD's momentum_buffer without momentum
};

/**
 * torch.optim.SGD / torch.optim.Adam over a list of parameter tensors, computing exactly what
 * PyTorch 1.13's single-tensor implementations do (torch/optim/sgd.py `_single_tensor_sgd`,
 * adam.py `_single_tensor_adam`), with the state Python keeps (`optimizer.state_dict()`).
 * Parameters whose .grad is None are skipped by step(), as in Python.
 */
class Optimizer {
public:
    /** Throws PythonError "ValueError: optimizer got an empty parameter list" when `params` is empty. */
    Optimizer(std::vector<TensorRef> params, OptimizerOptions options);
    ~Optimizer();

    /** optimizer.zero_grad(set_to_none=False) as 1.13 does by default: grads zeroed in place
     *  (detached first); with setToNone the grads become None. */
    void zeroGrad(bool setToNone = false);
    /** optimizer.step() under no_grad. */
    void step();

    const std::vector<TensorRef>& params() const { return params_; }
    const OptimizerOptions& options() const { return options_; }
    /** "SGD" or "Adam". */
    std::string className() const;
    /** param_groups[0] without 'params', in Python's key order, values as Python prints them
     *  ('lr': 0.1, 'momentum': 0, 'betas' as a tuple repr, 'foreach': None, ...). */
    std::vector<std::pair<std::string, PythonValue>> paramGroup() const;
    /** state_dict()['state']: for each parameter index that has state, its entries in Python's
     *  order ({0: {'momentum_buffer': None}} after one SGD step). Empty before the first step. */
    std::vector<std::pair<size_t, std::vector<OptimizerStateEntry>>> state() const;
    /** repr(optimizer): "SGD (\nParameter Group 0\n    dampening: 0\n ...\n)". */
    std::string repr() const;

private:
    struct State;
    std::vector<TensorRef> params_;
    OptimizerOptions options_;
    std::unique_ptr<State> state_;
};

}  // namespace mx
