#pragma once
// torch-free entry points to what training does in the console (calling a module, losses,
// backward, grads); implemented in trainingops.cpp. Every function throws mx::PythonError worded
// as PyTorch 1.13 would.

#include "core/statements/tensorops.h"
#include "core/tensorref.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mx {
class ModuleNode;
}

namespace mx::stmt::training {

/** The name of forward's one parameter after self ("input" for torch.nn's layers, the compiled
 *  forward's own name, usually "x", for other modules). */
std::string forwardParameterName(const ModuleNode& module);

/**
 * module(x): runs the module's forward (containers step through their children, as the Forward
 * panel does) with autograd recording unless grad mode is off, in the modules' train/eval mode.
 * Returns None for a forward that returns None. `cancelled` is polled between submodules; when it
 * says stop, ForwardStopped is thrown. Errors are Python's last traceback line (PythonError or
 * ConsoleError-worded std::runtime_error).
 */
struct ForwardStopped {};
TensorRef callModule(const ModuleNode& module, const TensorRef& input,
                     const std::function<bool()>& cancelled);

/** While it lives, print() in TorchScript code (a user forward) appends to `into` instead of
 *  stdout, as the console shows what Python's print would. */
class ScriptPrintCapture {
public:
    explicit ScriptPrintCapture(std::string* into);
    ~ScriptPrintCapture();
    ScriptPrintCapture(const ScriptPrintCapture&) = delete;
    ScriptPrintCapture& operator=(const ScriptPrintCapture&) = delete;

private:
    void (*previous_)(const std::string&);
};

/** F.cross_entropy(input, target, ignore_index=, reduction=, label_smoothing=). */
TensorRef crossEntropy(const TensorRef& input, const TensorRef& target, int64_t ignoreIndex,
                       const std::string& reduction, double labelSmoothing);
/** F.mse_loss(input, target, reduction=) (broadcasting as torch.broadcast_tensors does). */
TensorRef mseLoss(const TensorRef& input, const TensorRef& target, const std::string& reduction);
/** F.l1_loss(input, target, reduction=). */
TensorRef l1Loss(const TensorRef& input, const TensorRef& target, const std::string& reduction);

/** t.backward(): RuntimeError for non-scalar outputs or tensors outside autograd. */
void backward(const TensorRef& t, bool retainGraph);
/** t.requires_grad_(flag) (RuntimeError for non-leaves and integer dtypes, as ATen says). */
void setRequiresGrad(const TensorRef& t, bool flag);
/** t.is_leaf or t.retains_grad: what an optimizer may optimize. */
bool isLeafOrRetainsGrad(const TensorRef& t);
/** torch.randint(low, high, size, dtype=) from the global generator (int64 by default). */
TensorRef randint(int64_t low, int64_t high, const std::vector<int64_t>& shape,
                  const std::string& dtype, bool requiresGrad);
/** Whether grad mode is on (torch.is_grad_enabled()). */
bool gradEnabled();

/**
 * What a console statement changed in place (tensor values, grads, requires_grad flags), kept so
 * a statement that fails can put the model back. Each tensor is kept once, the first time.
 */
class TensorJournal {
public:
    TensorJournal();
    ~TensorJournal();
    /** Keeps t's values (before an optimizer step or a train-mode forward changes them). */
    void keepValues(const TensorRef& t);
    /** Keeps t.grad (before backward or zero_grad). */
    void keepGrad(const TensorRef& t);
    /** Keeps t.requires_grad (before requires_grad_). */
    void keepFlag(const TensorRef& t);
    /** Puts every kept tensor back as it was, last kept first; then forgets them. */
    void restore();
    /** Forgets what was kept (the statement succeeded). */
    void clear();
    bool empty() const;

private:
    struct Entry;
    std::vector<Entry> entries_;
};

}  // namespace mx::stmt::training
