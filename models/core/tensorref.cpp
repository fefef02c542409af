#include "core/tensorref.h"

#include "core/tensoraccess.h"

#include <ATen/ATen.h>

namespace mx {

struct TensorRef::Box {
    at::Tensor tensor;
};

TensorRef::TensorRef() = default;
TensorRef::~TensorRef() = default;
TensorRef::TensorRef(const TensorRef&) = default;
TensorRef& TensorRef::operator=(const TensorRef&) = default;

TensorRef TensorAccess::wrap(const at::Tensor& tensor)
{
    TensorRef ref;
    if (tensor.defined())
        ref.box_ = std::make_shared<TensorRef::Box>(TensorRef::Box{tensor});
    return ref;
}

const at::Tensor& TensorAccess::tensor(const TensorRef& ref)
{
    static const at::Tensor none;
    return ref.box_ ? ref.box_->tensor : none;
}

bool TensorRef::isNone() const { return !box_; }

std::vector<int64_t> TensorRef::shape() const
{
    if (!box_)
        return {};
    auto sizes = box_->tensor.sizes();
    return {sizes.begin(), sizes.end()};
}

std::string TensorRef::dtypeName() const
{
    if (!box_)
        return "None";
    switch (box_->tensor.scalar_type()) {
    case at::kFloat: return "float32";
    case at::kDouble: return "float64";
    case at::kHalf: return "float16";
    case at::kBFloat16: return "bfloat16";
    case at::kLong: return "int64";
    case at::kInt: return "int32";
    case at::kShort: return "int16";
    case at::kChar: return "int8";
    case at::kByte: return "uint8";
    case at::kBool: return "bool";
    case at::kComplexFloat: return "complex64";
    case at::kComplexDouble: return "complex128";
    default: return c10::toString(box_->tensor.scalar_type());
    }
}

std::string TensorRef::deviceName() const
{
    return box_ ? box_->tensor.device().str() : std::string("None");
}

bool TensorRef::requiresGrad() const { return box_ && box_->tensor.requires_grad(); }

int64_t TensorRef::numel() const { return box_ ? box_->tensor.numel() : 0; }

int64_t TensorRef::bytes() const
{
    return box_ ? box_->tensor.numel() * static_cast<int64_t>(box_->tensor.element_size()) : 0;
}

double TensorRef::sum() const
{
    if (!box_)
        return 0.0;
    at::NoGradGuard noGrad;
    return box_->tensor.sum(at::kDouble).item<double>();
}

std::vector<double> TensorRef::firstValues(int64_t count) const
{
    if (!box_ || box_->tensor.numel() == 0 || box_->tensor.is_complex())
        return {};
    at::NoGradGuard noGrad;
    const at::Tensor head =
        box_->tensor.reshape({-1}).slice(0, 0, count).to(at::kCPU, at::kDouble).contiguous();
    return {head.data_ptr<double>(), head.data_ptr<double>() + head.numel()};
}

const void* TensorRef::identity() const
{
    return box_ ? static_cast<const void*>(box_->tensor.unsafeGetTensorImpl()) : nullptr;
}

TensorRef TensorRef::gradient() const
{
    return box_ ? TensorAccess::wrap(box_->tensor.grad()) : TensorRef();
}

}  // namespace mx
