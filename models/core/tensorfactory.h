#pragma once

#include "core/tensorref.h"

#include <cstdint>
#include <vector>

namespace mx {

// torch-free entry points for creating tensors (float32 on the CPU unless stated).

/** torch.randn(*shape): draws from the global generator. */
TensorRef randn(const std::vector<int64_t>& shape);
/** torch.zeros(*shape). */
TensorRef zeros(const std::vector<int64_t>& shape);
/** torch.full(shape, value). */
TensorRef full(const std::vector<int64_t>& shape, double value);
/** nn.Parameter(t, requires_grad): a new tensor object sharing t's storage. */
TensorRef asParameter(const TensorRef& t, bool requiresGrad = true);

/** What an in-place change of a tensor overwrote, kept for undo, and its requires_grad flag. */
struct TensorState {
    enum class Kind {
        Flag,    // only the flag (requires_grad_)
        Values,  // a copy of the values, put back into the same storage (add_, fill_, ...)
        Data     // the data object itself: storage, shape and dtype (`t.data = other`)
    };
    Kind kind = Kind::Flag;
    TensorRef data;
    bool requiresGrad = false;
};
/** t's state now, of `kind`: Values copies the values (the caller checked the memory budget);
 *  Data keeps t's current data without a copy (`t.data = other` leaves it untouched). */
TensorState tensorState(const TensorRef& t, TensorState::Kind kind);
/** Puts `held` into t (the same tensor object: its values or data and its flag change) and
 *  leaves t's state before in `held`, so calling it again redoes. */
void exchangeTensorState(const TensorRef& t, TensorState& held);

}  // namespace mx
