#include "core/statements/tensorops.h"

#include "core/pythonerror.h"
#include "core/statements/torchconvert.h"
#include "core/statements/torcherrors.h"
#include "core/tensoraccess.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <torch/csrc/autograd/function.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <cmath>
#include <cstdio>
#include <map>

namespace mx::stmt::tensors {

namespace {

void requireGrad(at::Tensor& t, bool requiresGrad)
{
    if (requiresGrad)
        t.set_requires_grad(true);
}

// Sizes are not capped here: every allocation goes through the counting allocator, which refuses
// past the memory budget (core/resourcebudget.h) before taking memory.
std::vector<int64_t> checkedShape(const std::vector<int64_t>& shape)
{
    for (int64_t d : shape)
        if (d < 0) {
            std::string list = "[";
            for (size_t k = 0; k < shape.size(); ++k)
                list += (k ? ", " : "") + std::to_string(shape[k]);
            throw PythonError("RuntimeError", "Trying to create tensor with negative dimension " +
                                                  std::to_string(d) + ": " + list + "]");
        }
    return shape;
}

}  // namespace

GradModeScope::GradModeScope(bool enabled) : previous_(at::GradMode::is_enabled())
{
    at::GradMode::set_enabled(enabled);
}

GradModeScope::~GradModeScope() { at::GradMode::set_enabled(previous_); }

bool knownDtype(const std::string& name) { return dtypes().count(name) > 0; }

TensorRef create(Fill fill, const std::vector<int64_t>& shape, const std::string& dtype,
                 bool requiresGrad)
{
    return guarded([&] {
        const auto options = at::TensorOptions().dtype(scalarType(dtype, at::kFloat));
        const std::vector<int64_t> dims = checkedShape(shape);
        at::Tensor t;
        switch (fill) {
        case Fill::Randn: t = at::randn(dims, options); break;
        case Fill::Rand: t = at::rand(dims, options); break;
        case Fill::Zeros: t = at::zeros(dims, options); break;
        case Fill::Ones: t = at::ones(dims, options); break;
        case Fill::Empty: t = at::empty(dims, options); break;
        }
        requireGrad(t, requiresGrad);
        return wrap(t);
    });
}

TensorRef full(const std::vector<int64_t>& shape, const Scalar& value, const std::string& dtype,
               bool requiresGrad)
{
    return guarded([&] {
        const at::ScalarType fallback = value.kind == Scalar::Kind::Bool  ? at::kBool
                                        : value.kind == Scalar::Kind::Int ? at::kLong
                                                                          : at::kFloat;
        at::Tensor t = at::full(checkedShape(shape), toAt(value),
                                at::TensorOptions().dtype(scalarType(dtype, fallback)));
        requireGrad(t, requiresGrad);
        return wrap(t);
    });
}

TensorRef eye(int64_t n, int64_t m, const std::string& dtype, bool requiresGrad)
{
    return guarded([&] {
        at::Tensor t = at::eye(n, m, at::TensorOptions().dtype(scalarType(dtype, at::kFloat)));
        requireGrad(t, requiresGrad);
        return wrap(t);
    });
}

TensorRef linspace(const Scalar& start, const Scalar& end, int64_t steps, const std::string& dtype,
                   bool requiresGrad)
{
    return guarded([&] {
        at::Tensor t = at::linspace(toAt(start), toAt(end), steps,
                                    at::TensorOptions().dtype(scalarType(dtype, at::kFloat)));
        requireGrad(t, requiresGrad);
        return wrap(t);
    });
}

TensorRef arange(const Scalar& start, const Scalar& end, const Scalar& step,
                 const std::string& dtype, bool requiresGrad)
{
    return guarded([&] {
        const bool anyFloat = start.kind == Scalar::Kind::Float || end.kind == Scalar::Kind::Float ||
                              step.kind == Scalar::Kind::Float;
        at::Tensor t = at::arange(toAt(start), toAt(end), toAt(step),
                                  at::TensorOptions().dtype(
                                      scalarType(dtype, anyFloat ? at::kFloat : at::kLong)));
        requireGrad(t, requiresGrad);
        return wrap(t);
    });
}

TensorRef fromData(const std::vector<Scalar>& values, const std::vector<int64_t>& shape,
                   const std::string& dtype, bool requiresGrad)
{
    return guarded([&] {
        bool allBool = !values.empty(), anyFloat = values.empty();
        for (const Scalar& s : values) {
            allBool = allBool && s.kind == Scalar::Kind::Bool;
            anyFloat = anyFloat || s.kind == Scalar::Kind::Float;
        }
        const at::ScalarType inferred = allBool ? at::kBool : anyFloat ? at::kFloat : at::kLong;
        at::Tensor t;
        if (anyFloat) {
            std::vector<double> data;
            for (const Scalar& s : values)
                data.push_back(s.kind == Scalar::Kind::Float ? s.f
                               : s.kind == Scalar::Kind::Int ? static_cast<double>(s.i)
                                                             : (s.b ? 1.0 : 0.0));
            t = at::tensor(data, at::kDouble);
        } else {
            std::vector<int64_t> data;
            for (const Scalar& s : values)
                data.push_back(s.kind == Scalar::Kind::Int ? s.i : (s.b ? 1 : 0));
            t = at::tensor(data, at::kLong);
        }
        t = t.reshape(shape).to(scalarType(dtype, inferred)).clone();
        requireGrad(t, requiresGrad);
        return wrap(t);
    });
}

TensorRef parameter(const TensorRef& t, bool requiresGrad)
{
    return guarded([&] {
        at::Tensor alias = raw(t).detach();
        alias.set_requires_grad(requiresGrad);
        return wrap(alias);
    });
}

bool isFloatingPoint(const TensorRef& t) { return at::isFloatingType(raw(t).scalar_type()); }

std::string gradFnName(const TensorRef& t)
{
    const auto& fn = raw(t).grad_fn();
    if (!fn)
        return {};
    const std::string name = fn->name();
    const size_t sep = name.rfind("::");
    return sep == std::string::npos ? name : name.substr(sep + 2);
}

bool isLeaf(const TensorRef& t) { return raw(t).is_leaf(); }

Scalar item(const TensorRef& t)
{
    return guarded([&] {
        const at::Tensor& x = raw(t);
        if (x.numel() != 1)
            throw PythonError("ValueError", "only one element tensors can be converted to Python scalars");
        if (x.scalar_type() == at::kBool)
            return Scalar::boolean(x.item<bool>());
        if (at::isFloatingType(x.scalar_type()))
            return Scalar::floating(x.item<double>());
        return Scalar::integer(x.item<int64_t>());
    });
}

TensorRef unary(const std::string& op, const TensorRef& ref)
{
    return guarded([&] {
        const at::Tensor& t = raw(ref);
        at::Tensor r;
        if (op == "detach") r = t.detach();
        else if (op == "clone") r = t.clone();
        else if (op == "sum") r = t.sum();
        else if (op == "mean") r = t.mean();
        else if (op == "abs") r = t.abs();
        else if (op == "neg") r = t.neg();
        else if (op == "pos") r = t;
        else if (op == "invert") r = t.bitwise_not();
        else if (op == "t") r = t.t();
        else if (op == "float") r = t.to(at::kFloat);
        else if (op == "double") r = t.to(at::kDouble);
        else if (op == "half") r = t.to(at::kHalf);
        else if (op == "long") r = t.to(at::kLong);
        else if (op == "int") r = t.to(at::kInt);
        else if (op == "bool") r = t.to(at::kBool);
        else if (op == "max") r = t.max();
        else if (op == "min") r = t.min();
        else if (op == "std") r = t.std();
        else if (op == "var") r = t.var();
        else if (op == "norm") r = t.norm();
        else if (op == "flatten") r = t.flatten();
        else if (op == "exp") r = t.exp();
        else if (op == "sqrt") r = t.sqrt();
        else if (op == "relu") r = t.relu();
        else if (op == "sigmoid") r = t.sigmoid();
        else if (op == "tanh") r = t.tanh();
        else if (op == "contiguous") r = t.contiguous();
        else if (op == "cpu") r = t.cpu();
        else if (op == "argmax") r = t.argmax();
        else if (op == "argmin") r = t.argmin();
        else if (op == "squeeze") r = t.squeeze();
        else if (op == "numel") r = at::scalar_tensor(t.numel(), at::kLong);
        else throw PythonError("NotImplementedError", "Tensor." + op +
                                   "() is not supported by Module Explorer's console");
        return wrap(r);
    });
}

TensorRef reshape(const TensorRef& t, const std::vector<int64_t>& shape, bool view)
{
    return guarded([&] { return wrap(view ? raw(t).view(shape) : raw(t).reshape(shape)); });
}

TensorRef toDtype(const TensorRef& t, const std::string& dtype)
{
    return guarded([&] { return wrap(raw(t).to(scalarType(dtype, at::kFloat))); });
}

TensorRef withDims(const std::string& op, const TensorRef& ref, const std::vector<int64_t>& dims)
{
    return guarded([&] {
        const at::Tensor& t = raw(ref);
        if (op == "squeeze") return wrap(t.squeeze(dims.at(0)));
        if (op == "unsqueeze") return wrap(t.unsqueeze(dims.at(0)));
        if (op == "transpose") return wrap(t.transpose(dims.at(0), dims.at(1)));
        if (op == "permute") return wrap(t.permute(dims));
        if (op == "sum") return wrap(t.sum(dims));
        if (op == "mean") return wrap(t.mean(dims));
        if (op == "flatten") return wrap(t.flatten(dims.at(0), dims.size() > 1 ? dims[1] : -1));
        if (op == "size") return wrap(at::scalar_tensor(t.size(dims.at(0)), at::kLong));
        throw PythonError("NotImplementedError",
                          "Tensor." + op + "() is not supported by Module Explorer's console");
    });
}

namespace {

at::Tensor apply(const std::string& op, const at::Tensor& a, const at::Tensor& b)
{
    if (op == "+") return at::add(a, b);
    if (op == "-") return at::sub(a, b);
    if (op == "*") return at::mul(a, b);
    if (op == "/") return at::div(a, b);
    if (op == "//") return at::div(a, b, "floor");
    if (op == "%") return at::remainder(a, b);
    if (op == "**") return at::pow(a, b);
    if (op == "@") return at::matmul(a, b);
    if (op == "==") return at::eq(a, b);
    if (op == "!=") return at::ne(a, b);
    if (op == "<") return at::lt(a, b);
    if (op == "<=") return at::le(a, b);
    if (op == ">") return at::gt(a, b);
    if (op == ">=") return at::ge(a, b);
    throw PythonError("NotImplementedError", "the operator " + op +
                                                 " on tensors is not supported by Module Explorer's console");
}

}  // namespace

TensorRef binary(const std::string& op, const TensorRef& a, const TensorRef& b)
{
    return guarded([&] { return wrap(apply(op, raw(a), raw(b))); });
}

TensorRef binaryScalar(const std::string& op, const TensorRef& t, const Scalar& s, bool scalarFirst)
{
    return guarded([&] {
        // Python wraps the number as a 0-dim tensor that does not promote the tensor's category.
        const at::Tensor& x = raw(t);
        at::Tensor scalar = at::scalar_tensor(toAt(s), at::TensorOptions().dtype(
                                                             s.kind == Scalar::Kind::Float ? at::kDouble
                                                             : s.kind == Scalar::Kind::Int ? at::kLong
                                                                                           : at::kBool));
        scalar.unsafeGetTensorImpl()->set_wrapped_number(true);
        if (op == "**" && !scalarFirst)
            return wrap(at::pow(x, toAt(s)));
        if (op == "**")
            return wrap(at::pow(toAt(s), x));
        return wrap(scalarFirst ? apply(op, scalar, x) : apply(op, x, scalar));
    });
}

TensorRef index(const TensorRef& t, const std::vector<Index>& indices)
{
    return guarded([&] {
        std::vector<at::indexing::TensorIndex> list;
        list.reserve(indices.size());  // no relocation: TensorIndex copies an uninitialized bool
        for (const Index& ix : indices) {
            switch (ix.kind) {
            case Index::Kind::Int: list.emplace_back(ix.i); break;
            case Index::Kind::Bool: list.emplace_back(ix.i != 0); break;
            case Index::Kind::None: list.emplace_back(at::indexing::None); break;
            case Index::Kind::Ellipsis: list.emplace_back(at::indexing::Ellipsis); break;
            case Index::Kind::Slice:
                list.emplace_back(at::indexing::Slice(
                    ix.hasStart ? c10::optional<int64_t>(ix.start) : c10::nullopt,
                    ix.hasStop ? c10::optional<int64_t>(ix.stop) : c10::nullopt,
                    ix.hasStep ? c10::optional<int64_t>(ix.step) : c10::nullopt));
                break;
            }
        }
        return wrap(raw(t).index(list));
    });
}

bool cudaAvailable() { return torch::cuda::is_available(); }

std::string version() { return TORCH_VERSION; }

}  // namespace mx::stmt::tensors
