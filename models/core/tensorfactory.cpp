#include "core/tensorfactory.h"

#include "core/tensoraccess.h"

#include <ATen/ATen.h>

namespace mx {

TensorRef randn(const std::vector<int64_t>& shape) { return TensorAccess::wrap(at::randn(shape)); }

TensorRef zeros(const std::vector<int64_t>& shape) { return TensorAccess::wrap(at::zeros(shape)); }

TensorRef full(const std::vector<int64_t>& shape, double value)
{
    return TensorAccess::wrap(at::full(shape, value));
}

TensorRef asParameter(const TensorRef& t, bool requiresGrad)
{
    const at::Tensor& source = TensorAccess::tensor(t);
    if (!source.defined())
        return {};
    at::Tensor alias = source.detach();  // Tensor._make_subclass: new object, same storage
    alias.set_requires_grad(requiresGrad);
    return TensorAccess::wrap(alias);
}

}  // namespace mx
