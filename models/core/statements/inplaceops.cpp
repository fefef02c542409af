// The tensor side of the console's in-place methods (tensorops.h): ATen does the work, so
// results, type promotion and errors are PyTorch's own.
#include "core/statements/tensorops.h"

#include "core/statements/torchconvert.h"
#include "core/statements/torcherrors.h"

namespace mx::stmt::tensors {

namespace {

// A number as Python's argument parser passes it where a Tensor is expected (copy_(5)).
at::Tensor asTensor(const Operand& o, const at::Tensor& like)
{
    if (o.kind == Operand::Kind::Tensor)
        return raw(o.tensor);
    return at::scalar_tensor(toAt(o.number), like.options().dtype(
                                                 o.number.kind == Scalar::Kind::Float ? at::kDouble
                                                 : o.number.kind == Scalar::Kind::Int ? at::kLong
                                                                                      : at::kBool));
}

// A Python number as the argument parser passes it to a Tensor overload (add_, mul_, ...): a
// 0-dim "wrapped number" that does not promote the tensor's category (and autograd names the
// Tensor overload's node: AddBackward0, as Python shows).
at::Tensor wrappedNumber(const Scalar& s)
{
    at::Tensor t = at::scalar_tensor(toAt(s), at::TensorOptions().dtype(
                                                  s.kind == Scalar::Kind::Float ? at::kDouble
                                                  : s.kind == Scalar::Kind::Int ? at::kLong
                                                                                : at::kBool));
    t.unsafeGetTensorImpl()->set_wrapped_number(true);
    return t;
}

c10::optional<at::Scalar> optionalNumber(const Operand& o)
{
    return o.kind == Operand::Kind::Number ? c10::optional<at::Scalar>(toAt(o.number)) : c10::nullopt;
}

void binaryInPlace(const std::string& op, at::Tensor& t, const Operand& other, const Operand& alpha,
                   const std::string& roundingMode)
{
    const bool number = other.kind == Operand::Kind::Number;
    if (op == "remainder") {
        number ? t.remainder_(toAt(other.number)) : t.remainder_(raw(other.tensor));
        return;
    }
    if (op == "pow") {
        number ? t.pow_(toAt(other.number)) : t.pow_(raw(other.tensor));
        return;
    }
    const at::Tensor value = number ? wrappedNumber(other.number) : raw(other.tensor);
    if (op == "add" || op == "sub") {
        const at::Scalar a = alpha.kind == Operand::Kind::Number ? toAt(alpha.number) : at::Scalar(1);
        op == "add" ? t.add_(value, a) : t.sub_(value, a);
    } else if (op == "mul") {
        t.mul_(value);
    } else if (op == "div") {
        roundingMode.empty() ? t.div_(value) : t.div_(value, c10::string_view(roundingMode));
    } else {  // floor_divide
        t.floor_divide_(value);
    }
}

void clampInPlace(at::Tensor& t, const Operand& min, const Operand& max)
{
    if (min.kind == Operand::Kind::Tensor || max.kind == Operand::Kind::Tensor) {
        const auto tensorOr = [](const Operand& o) {
            return o.kind == Operand::Kind::Tensor ? c10::optional<at::Tensor>(raw(o.tensor)) : c10::nullopt;
        };
        t.clamp_(tensorOr(min), tensorOr(max));
        return;
    }
    t.clamp_(optionalNumber(min), optionalNumber(max));
}

}  // namespace

void inPlace(const std::string& op, const TensorRef& ref, const std::vector<Operand>& args,
             const std::string& roundingMode)
{
    guarded([&] {
        at::Tensor t = raw(ref);
        const Operand none;
        const auto arg = [&](size_t k) -> const Operand& { return k < args.size() ? args[k] : none; };
        if (op == "copy")
            t.copy_(asTensor(arg(0), t));
        else if (op == "fill")
            arg(0).kind == Operand::Kind::Tensor ? t.fill_(raw(arg(0).tensor)) : t.fill_(toAt(arg(0).number));
        else if (op == "zero")
            t.zero_();
        else if (op == "normal")
            t.normal_(toAt(arg(0).number).toDouble(), toAt(arg(1).number).toDouble());
        else if (op == "uniform")
            t.uniform_(toAt(arg(0).number).toDouble(), toAt(arg(1).number).toDouble());
        else if (op == "clamp")
            clampInPlace(t, arg(0), arg(1));
        else
            binaryInPlace(op, t, arg(0), arg(1), roundingMode);
    });
}

void assignInto(const TensorRef& view, const TensorRef& value)
{
    guarded([&] {
        at::Tensor dst = raw(view);
        const at::Tensor& src = raw(value);
        std::vector<int64_t> sizes(src.sizes().begin(), src.sizes().end());
        size_t ones = 0;
        while (ones < sizes.size() && sizes[ones] == 1)
            ++ones;
        sizes.erase(sizes.begin(), sizes.begin() + static_cast<long>(ones));
        dst.copy_(src.view(sizes).expand(dst.sizes()));
    });
}

void setData(const TensorRef& t, const TensorRef& other)
{
    guarded([&] {
        at::Tensor x = raw(t);
        x.set_data(raw(other));
    });
}

const void* storageIdentity(const TensorRef& t)
{
    const at::Tensor& x = raw(t);
    return x.defined() && x.has_storage() ? x.storage().unsafeGetStorageImpl() : nullptr;
}

}  // namespace mx::stmt::tensors
