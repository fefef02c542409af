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

}  // namespace mx
