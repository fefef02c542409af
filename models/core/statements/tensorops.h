#pragma once
// torch-free entry points to the tensor work the console does; implemented in tensorops.cpp.
// Every function throws mx::PythonError worded as PyTorch would (RuntimeError, IndexError, ...).
// Creating a tensor of more than 1e8 elements raises NotImplementedError (the app's memory).

#include "core/tensorref.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mx::stmt::tensors {

/** A Python number on its way into or out of a tensor. */
struct Scalar {
    enum class Kind { Bool, Int, Float };
    Kind kind = Kind::Float;
    bool b = false;
    int64_t i = 0;
    double f = 0.0;
    static Scalar boolean(bool v) { Scalar s; s.kind = Kind::Bool; s.b = v; return s; }
    static Scalar integer(int64_t v) { Scalar s; s.kind = Kind::Int; s.i = v; return s; }
    static Scalar floating(double v) { Scalar s; s.kind = Kind::Float; s.f = v; return s; }
};

/** One index of t[...]: an int, a slice (missing bounds as `has*` false), None or Ellipsis. */
struct Index {
    enum class Kind { Int, Slice, None, Ellipsis, Bool };
    Kind kind = Kind::Int;
    int64_t i = 0;
    bool hasStart = false, hasStop = false, hasStep = false;
    int64_t start = 0, stop = 0, step = 1;
};

/** repr(tensor) as torch/_tensor_str.py (1.13) prints it; "Parameter containing:\n..." for parameters. */
std::string repr(const TensorRef& t, bool isParameter);

/** Whether `name` is a dtype the console knows ("float32", "int64", "bool", ...). */
bool knownDtype(const std::string& name);

enum class Fill { Randn, Rand, Zeros, Ones, Empty };
/** torch.randn / rand / zeros / ones / empty(*shape, dtype=, requires_grad=); dtype "" is the default. */
TensorRef create(Fill fill, const std::vector<int64_t>& shape, const std::string& dtype,
                 bool requiresGrad);
/** torch.full(shape, value, dtype=, requires_grad=): the dtype follows the value when not given. */
TensorRef full(const std::vector<int64_t>& shape, const Scalar& value, const std::string& dtype,
               bool requiresGrad);
/** torch.arange(start, end, step, dtype=, requires_grad=). */
TensorRef arange(const Scalar& start, const Scalar& end, const Scalar& step,
                 const std::string& dtype, bool requiresGrad);
/** torch.tensor(data): `values` flattened in row-major order with `shape`; dtype inferred when "". */
TensorRef fromData(const std::vector<Scalar>& values, const std::vector<int64_t>& shape,
                   const std::string& dtype, bool requiresGrad);
/** torch.eye(n, m, dtype=, requires_grad=). */
TensorRef eye(int64_t n, int64_t m, const std::string& dtype, bool requiresGrad);
/** torch.linspace(start, end, steps, dtype=, requires_grad=). */
TensorRef linspace(const Scalar& start, const Scalar& end, int64_t steps, const std::string& dtype,
                   bool requiresGrad);
/** nn.Parameter(t, requires_grad): a new tensor object sharing t's storage. */
TensorRef parameter(const TensorRef& t, bool requiresGrad);

bool isFloatingPoint(const TensorRef& t);
/** type(t.grad_fn).__name__, e.g. "MulBackward0"; "" when the tensor has none. */
std::string gradFnName(const TensorRef& t);
bool isLeaf(const TensorRef& t);
/** t.item(). */
Scalar item(const TensorRef& t);
/** t.tolist() flattened (row-major); the shape gives the nesting. */
std::vector<Scalar> values(const TensorRef& t);

/** Methods without arguments (or with the given dims/dtype): "detach", "clone", "sum", "mean",
 *  "abs", "neg", "t", "float", "double", "long", "int", "bool", "half", "max", "min", "std",
 *  "flatten", "exp", "sqrt", "relu", "sigmoid", "tanh", "contiguous", "cpu". */
TensorRef unary(const std::string& op, const TensorRef& t);
/** t.reshape(shape) / t.view(shape). */
TensorRef reshape(const TensorRef& t, const std::vector<int64_t>& shape, bool view);
/** t.to(dtype). */
TensorRef toDtype(const TensorRef& t, const std::string& dtype);
/** t.squeeze(dim) / t.unsqueeze(dim) / t.transpose(a, b) / t.sum(dim) / t.mean(dim). */
TensorRef withDims(const std::string& op, const TensorRef& t, const std::vector<int64_t>& dims);
/** a <op> b for "+", "-", "*", "/", "//", "%", "**", "@", "==", "!=", "<", "<=", ">", ">=". */
TensorRef binary(const std::string& op, const TensorRef& a, const TensorRef& b);
/** t <op> scalar, or scalar <op> t when `scalarFirst`. */
TensorRef binaryScalar(const std::string& op, const TensorRef& t, const Scalar& s, bool scalarFirst);
/** t[indices]. */
TensorRef index(const TensorRef& t, const std::vector<Index>& indices);

/** An argument of an in-place method: None, a number or a tensor. */
struct Operand {
    enum class Kind { None, Number, Tensor };
    Kind kind = Kind::None;
    Scalar number;
    TensorRef tensor;
    static Operand of(const Scalar& s) { Operand o; o.kind = Kind::Number; o.number = s; return o; }
    static Operand of(const TensorRef& t) { Operand o; o.kind = Kind::Tensor; o.tensor = t; return o; }
};
/**
 * t.<op>_(...) in place, as ATen does it (its errors and autograd's in-place checks included):
 * "add" / "sub" (other, alpha), "mul", "div" (other; `roundingMode` "", "floor" or "trunc"),
 * "floor_divide", "remainder", "pow" (other), "copy" (src), "fill" (value), "zero",
 * "normal" (mean, std), "uniform" (from, to), "clamp" (min, max: None or number or tensor).
 */
void inPlace(const std::string& op, const TensorRef& t, const std::vector<Operand>& args,
             const std::string& roundingMode = {});
/** view[...] = value for a view of basic indexing, as Tensor.__setitem__ copies a tensor in:
 *  value's leading 1-dims dropped, expanded to the view's shape ("The expanded size ..."), copied. */
void assignInto(const TensorRef& view, const TensorRef& value);
/** t.data = other (RuntimeError as ATen's set_data). */
void setData(const TensorRef& t, const TensorRef& other);
/** What identifies t's storage: tensors that share it (views, t.data, detach()) give the same. */
const void* storageIdentity(const TensorRef& t);

bool cudaAvailable();

/** torch.no_grad() / torch.enable_grad() for a `with` block: autograd off (or on) on this
 *  thread until destroyed, then as it was. */
class GradModeScope {
public:
    explicit GradModeScope(bool enabled);
    ~GradModeScope();
    GradModeScope(const GradModeScope&) = delete;
    GradModeScope& operator=(const GradModeScope&) = delete;

private:
    bool previous_;
};
/** torch.__version__ of the LibTorch the app runs. */
std::string version();

}  // namespace mx::stmt::tensors
