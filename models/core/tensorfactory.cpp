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

TensorState tensorState(const TensorRef& t, TensorState::Kind kind)
{
    const at::Tensor& x = TensorAccess::tensor(t);
    TensorState state;
    state.kind = kind;
    state.requiresGrad = x.requires_grad();
    if (kind != TensorState::Kind::Flag) {
        at::NoGradGuard noGrad;
        at::Tensor data = x.detach();  // shares x's storage, sizes and dtype
        state.data = TensorAccess::wrap(kind == TensorState::Kind::Values ? data.clone() : data);
    }
    return state;
}

void exchangeTensorState(const TensorRef& t, TensorState& held)
{
    at::Tensor x = TensorAccess::tensor(t);
    const bool flag = x.requires_grad();
    // The flag goes off before integer data comes in and on after float data did.
    if (x.is_leaf() && flag && !held.requiresGrad)
        x.set_requires_grad(false);
    if (!held.data.isNone()) {
        at::NoGradGuard noGrad;
        at::Tensor data = x.detach();
        const at::Tensor& kept = TensorAccess::tensor(held.data);
        if (held.kind == TensorState::Kind::Values) {
            // Into the same storage, so views of t (and tensors sharing it) change back too.
            at::Tensor now = data.clone();
            data.copy_(kept);
            held.data = TensorAccess::wrap(now);
        } else {
            x.set_data(kept);  // x keeps its identity and autograd meta
            held.data = TensorAccess::wrap(data);
        }
    }
    if (x.is_leaf() && !flag && held.requiresGrad)
        x.set_requires_grad(true);
    held.requiresGrad = flag;
}

}  // namespace mx
