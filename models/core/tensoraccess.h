#pragma once
// Private to models/core: converts between TensorRef and at::Tensor. Include only from .cpp files.

#include "core/tensorref.h"

#include <ATen/core/Tensor.h>

namespace mx {

/** Bridges the torch-free TensorRef and the at::Tensor it wraps; for core implementation files only. */
class TensorAccess {
public:
    static TensorRef wrap(const at::Tensor& tensor);
    static const at::Tensor& tensor(const TensorRef& ref);  // undefined tensor for None
};

}  // namespace mx
