#pragma once

#include "core/forward.h"
#include "core/modulenode.h"
#include "core/optimizer.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mx {

enum class LossKind { CrossEntropy, MSE };

/** A training run as the Train dock and `--train` ask for it. */
struct TrainOptions {
    int steps = 1;
    OptimizerOptions optimizer;   // kind, lr, momentum, weight decay, betas
    LossKind loss = LossKind::CrossEntropy;
    std::vector<int64_t> inputShape;
    uint64_t seed = 0;            // torch.manual_seed(seed) before x and y are drawn
    bool train = true;            // model.train() for the steps (else model.eval())
    std::string device = "cpu";
};

/** What the steps did to one tensor of the model (a state_dict key, a non-persistent buffer or
 *  a plain tensor attribute). */
struct TensorChange {
    std::string name;              // dotted key / path
    EntryKind kind;
    bool requiresGrad = false;     // before the run
    bool frozen = false;           // a parameter with requires_grad False: the optimizer skips it
    double sumBefore = 0, sumAfter = 0;
    double maxAbsChange = 0;       // max |after - before|
    double relativeChange = 0;     // ||after - before||_2 / ||before||_2 (NaN when it changed from all zeros)
    bool changed = false;
    /** Who moved it: "optimizer" (a parameter), "forward" (BatchNorm's running stats and
     *  num_batches_tracked in train mode), or "" when unchanged. */
    std::string movedBy;
    TensorRef gradient;            // .grad after the run (None when backward never reached it)
};

/** What a training run produced. */
struct TrainResult {
    bool ok = false;
    bool cancelled = false;
    bool refused = false;          // over the memory budget before anything ran
    std::string error;             // Python's error line
    std::vector<double> losses;    // one per step done
    int stepsDone = 0;
    int forwardCalls = 0;          // calls of the model's forward (1 per step, plus the shape probe
                                   // which runs in eval mode under no_grad and changes nothing)
    std::vector<int64_t> outputShape;
    std::vector<int64_t> targetShape;
    int64_t classes = 0;           // cross-entropy: C, the output's last dimension
    std::vector<TensorChange> changes;
    std::shared_ptr<Optimizer> optimizer;  // its state after the steps (optimizer.state_dict())
    std::vector<std::string> parameterNames;  // optimizer.param_groups[0]['params'] by name
    std::vector<double> stepMs;    // each step's wall time (zero_grad + forward + loss + backward + step)
    uint64_t estimatedBytes = 0;   // what was checked against the memory budget
};

/** Called after each step with (steps done, steps in all); return false to cancel. */
using TrainProgress = std::function<bool(int done, int total)>;

/**
 * Trains the model as this Python does, so the results can be compared with PyTorch:
 *
 *     torch.manual_seed(seed); x = torch.randn(shape)
 *     y = torch.randint(0, C, (batch,))          # cross-entropy, C = output.shape[-1]
 *     y = torch.randn(output.shape)              # MSE
 *     model.train()                              # or model.eval()
 *     opt = torch.optim.SGD(model.parameters(), lr=..., momentum=..., weight_decay=...)  # or Adam
 *     for _ in range(steps):
 *         opt.zero_grad(); loss = F.cross_entropy(model(x), y)  # or F.mse_loss
 *         loss.backward(); opt.step()
 *
 * The output's shape comes from one probe call in eval mode under no_grad on zeros (it changes
 * no tensor and draws no random number). Dropout masks come from the global generator after x
 * and y, as in Python; the generator's state is restored afterwards, and so are the modules'
 * training flags. Memory is checked first: the forward's estimate with autograd, the gradients
 * and the optimizer's state against memoryBudgetBytes(); the run is refused before anything is
 * allocated when they do not fit. Cancel is checked between steps; steps done stay applied (as
 * in Python after a KeyboardInterrupt). A run that raises before its first step completes
 * changes nothing: what that step's forward moved (BatchNorm's running stats) and the gradients
 * are put back. Never throws.
 */
TrainResult runTraining(ModuleNode& model, const TrainOptions& options,
                        const TrainProgress& progress = {});

/** "sgd" / "adam" → kind; false for anything else. */
bool parseOptimizerKind(const std::string& text, OptimizerKind* kind);
/** "ce" / "mse" → kind; false for anything else. */
bool parseLossKind(const std::string& text, LossKind* kind);

}  // namespace mx
