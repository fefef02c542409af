// torch.Tensor's methods (nn.Parameter adds none): one function per method, bound in the tensor
// table. Methods torch writes as METH_NOARGS are checked by the table in torch's words; the others
// check their own arguments and refuse the forms the console does not run. So do the METH_NOARGS
// methods that are torch functions too (abs, exp, t, numel, ...): torch.abs(t, ...) is called
// through this table (torchfunctions.cpp), and torch words its function's errors otherwise. Methods that PyTorch
// returns unchanged (`.to(same dtype)`, `.cpu()`, `.contiguous()`, in-place ones) give back the
// same tensor object: the same Value, or a Value of the same TensorImpl (parameterobjects.h).
#include "core/statements/methodtable.h"

#include "core/attributevalue.h"
#include "core/pythonerror.h"
#include "core/statements/pythonnames.h"
#include "core/statements/tensorops.h"

namespace mx::stmt {

namespace {

using Pos = std::vector<ValuePtr>;

// A method the console runs only without arguments, though torch takes some.
void refuseArguments(const std::string& name, const Args& args)
{
    if (!args.positional.empty() || !args.keywords.empty())
        unsupported("Tensor." + name + "() with arguments");
}

void refuseKeywords(const std::string& name, const Args& args)
{
    if (!args.keywords.empty())
        unsupported("Tensor." + name + "() with keyword arguments");
}

ValuePtr unaryOf(const ValuePtr& self, const char* op) { return tensorValue(tensors::unary(op, self->tensor)); }

// A method torch also takes arguments for, run by the console in its no-argument form only:
// t.float(), t.max(), t.abs(), ...; `op` names it.
template <const char* op>
ValuePtr withoutArguments(Interpreter&, const ValuePtr& self, const Args& args)
{
    refuseArguments(op, args);
    return unaryOf(self, op);
}

constexpr char k_t[] = "t", k_contiguous[] = "contiguous", k_float[] = "float", k_double[] = "double",
               k_half[] = "half", k_long[] = "long", k_int[] = "int", k_bool[] = "bool", k_cpu[] = "cpu",
               k_clone[] = "clone", k_max[] = "max", k_min[] = "min", k_std[] = "std", k_var[] = "var",
               k_norm[] = "norm", k_argmax[] = "argmax", k_argmin[] = "argmin", k_abs[] = "abs",
               k_exp[] = "exp", k_sqrt[] = "sqrt", k_relu[] = "relu", k_sigmoid[] = "sigmoid",
               k_tanh[] = "tanh";

std::vector<ValuePtr> nestedList(const std::vector<tensors::Scalar>& values, const std::vector<int64_t>& shape,
                                 size_t dim, size_t& pos)
{
    std::vector<ValuePtr> out;
    for (int64_t k = 0; k < shape[dim]; ++k) {
        if (dim + 1 == shape.size())
            out.push_back(scalarValue(values[pos++]));
        else
            out.push_back(listValue(nestedList(values, shape, dim + 1, pos)));
    }
    return out;
}

// reshape / view: the shape as separate ints or one tuple, list or torch.Size. torch's parser
// takes a bool after the first element as an int; a first element of another type, or a tensor,
// takes it other ways the console does not word.
std::vector<int64_t> shapeArgument(Interpreter& in, const std::string& name, const Pos& values)
{
    Pos items = values;
    if (values.size() == 1 && (values[0]->kind == Value::Kind::Tuple || values[0]->kind == Value::Kind::List ||
                               values[0]->kind == Value::Kind::Size))
        items = in.toVector(values[0]);
    std::vector<int64_t> dims;
    for (const ValuePtr& v : items) {
        if (v->kind == Value::Kind::Int || (v->kind == Value::Kind::Bool && !dims.empty())) {
            dims.push_back(v->kind == Value::Kind::Int ? v->i : int64_t(v->b));
            continue;
        }
        if (dims.empty() || v->kind == Value::Kind::Tensor)
            unsupported("Tensor." + name + "() with a " + typeShortName(*v) + " in the shape");
        typeError(name + "(): argument '" + (name == "view" ? "size" : "shape") +
                  "' must be tuple of SymInts, but found element of type " + parserTypeName(*v) + " at pos " +
                  std::to_string(dims.size() + 1));
    }
    return dims;
}

// sum / mean / flatten / squeeze / unsqueeze / transpose / permute with dims as ints (or, for
// `tupleDims`, one tuple or list); without any, the whole-tensor form unless `dimsRequired`.
ValuePtr withDims(Interpreter& in, const ValuePtr& self, const Args& args, const std::string& name, bool tupleDims,
                  bool dimsRequired)
{
    refuseKeywords(name, args);
    const Pos& pos = args.positional;
    if (pos.empty() && !dimsRequired)
        return unaryOf(self, name.c_str());
    const bool oneTuple =
        tupleDims && pos.size() == 1 && (pos[0]->kind == Value::Kind::Tuple || pos[0]->kind == Value::Kind::List);
    std::vector<int64_t> dims;
    for (const ValuePtr& v : oneTuple ? in.toVector(pos[0]) : pos)
        dims.push_back(in.indexValue(v, ""));
    if (dims.empty())
        typeError(name + "() missing required arguments");
    return tensorValue(tensors::withDims(name, self->tensor, dims));
}

// ---- what a tensor is ---------------------------------------------------------------------------

ValuePtr tensorSize(Interpreter& in, const ValuePtr& self, const Args& args)
{
    if (!args.keywords.empty() || args.positional.size() > 1)
        unsupported("Tensor.size() with these arguments");
    const TensorRef& x = self->tensor;
    if (args.positional.empty())
        return sizeValue(x.shape());
    const ValuePtr r = tensorValue(tensors::withDims("size", x, {in.indexValue(args.positional[0], "")}));
    return scalarValue(tensors::item(r->tensor));
}

ValuePtr tensorDim(Interpreter&, const ValuePtr& self, const Args&)
{
    return integer(static_cast<int64_t>(self->tensor.shape().size()));
}

ValuePtr tensorNumel(Interpreter&, const ValuePtr& self, const Args& args)
{
    refuseArguments("numel", args);  // torch.numel(t, ...) comes here too (see the top)
    return integer(self->tensor.numel());
}

ValuePtr tensorNelement(Interpreter&, const ValuePtr& self, const Args&) { return integer(self->tensor.numel()); }

ValuePtr tensorElementSize(Interpreter&, const ValuePtr& self, const Args&)
{
    const TensorRef& x = self->tensor;
    return integer(x.numel() ? x.bytes() / x.numel() : 0);
}

ValuePtr tensorItem(Interpreter&, const ValuePtr& self, const Args&)
{
    return scalarValue(tensors::item(self->tensor));
}

ValuePtr tensorTolist(Interpreter&, const ValuePtr& self, const Args&)
{
    const std::vector<tensors::Scalar> values = tensors::values(self->tensor);
    const std::vector<int64_t> shape = self->tensor.shape();
    if (shape.empty())
        return scalarValue(values.at(0));
    size_t p = 0;
    return listValue(nestedList(values, shape, 0, p));
}

ValuePtr tensorIsFloatingPoint(Interpreter&, const ValuePtr& self, const Args&)
{
    return boolean(tensors::isFloatingPoint(self->tensor));
}

ValuePtr tensorType(Interpreter&, const ValuePtr& self, const Args& args)
{
    refuseArguments("type", args);
    return str(tensorTypeName(self->tensor));
}

// ---- shape --------------------------------------------------------------------------------------

ValuePtr reshaped(Interpreter& in, const ValuePtr& self, const Args& args, const std::string& name)
{
    refuseKeywords(name, args);
    return tensorValue(tensors::reshape(self->tensor, shapeArgument(in, name, args.positional), name == "view"));
}

ValuePtr tensorReshape(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return reshaped(in, self, args, "reshape");
}

ValuePtr tensorView(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return reshaped(in, self, args, "view");
}

ValuePtr tensorFlatten(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return withDims(in, self, args, "flatten", false, false);
}

ValuePtr tensorSqueeze(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return withDims(in, self, args, "squeeze", false, false);
}

ValuePtr tensorUnsqueeze(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return withDims(in, self, args, "unsqueeze", false, true);
}

ValuePtr tensorTranspose(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return withDims(in, self, args, "transpose", false, true);
}

ValuePtr tensorPermute(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return withDims(in, self, args, "permute", true, true);
}

// ---- conversions --------------------------------------------------------------------------------

ValuePtr tensorTo(Interpreter&, const ValuePtr& self, const Args& args)
{
    const Pos& pos = args.positional;
    if (pos.size() == 1 && args.keywords.empty() && pos[0]->kind == Value::Kind::Dtype)
        return pos[0]->s == self->tensor.dtypeName() ? self : tensorValue(tensors::toDtype(self->tensor, pos[0]->s));
    if (pos.size() == 1 && args.keywords.empty() &&
        (pos[0]->kind == Value::Kind::Str || pos[0]->kind == Value::Kind::Device) && pos[0]->s == "cpu")
        return self;
    unsupported("Tensor.to() other than .to(dtype) or .to('cpu')");
}

ValuePtr tensorDetach(Interpreter&, const ValuePtr& self, const Args&) { return unaryOf(self, "detach"); }

// ---- reductions ---------------------------------------------------------------------------------

ValuePtr tensorSum(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return withDims(in, self, args, "sum", true, false);
}

ValuePtr tensorMean(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return withDims(in, self, args, "mean", true, false);
}

// ---- autograd -----------------------------------------------------------------------------------

// Tensor.backward(gradient=None, retain_graph=None, create_graph=False, inputs=None), bound.
ValuePtr tensorBackward(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const Pos& a = args.positional;
    if (a[0]->kind != Value::Kind::None || a[3]->kind != Value::Kind::None || in.truthy(*a[2]))
        unsupported("Tensor.backward() with gradient, create_graph or inputs");
    in.backward(self->tensor, a[1]->kind != Value::Kind::None && in.truthy(*a[1]));
    return none();
}

// requires_grad_(requires_grad=True), bound; torch's parser: "... must be bool, not int".
ValuePtr tensorRequiresGrad(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const ValuePtr& flag = args.positional[0];
    if (flag->kind != Value::Kind::Bool)
        typeError("requires_grad_(): argument 'requires_grad' (position 1) must be bool, not " +
                  typeShortName(*flag));
    in.setRequiresGrad(self->tensor, flag->b);  // an undoable edit for the model's tensors
    return self;
}

std::vector<MethodEntry> tensorEntries()
{
    std::vector<MethodEntry> entries{
        {"size", ownCheck(), tensorSize},
        {"dim", noArgs(), tensorDim},
        {"ndimension", noArgs(), tensorDim},
        {"numel", ownCheck(), tensorNumel},
        {"nelement", noArgs(), tensorNelement},
        {"element_size", noArgs(), tensorElementSize},
        {"item", noArgs(), tensorItem},
        {"tolist", noArgs(), tensorTolist},
        {"is_floating_point", noArgs(), tensorIsFloatingPoint},
        {"type", ownCheck(), tensorType},
        {"reshape", ownCheck(), tensorReshape},
        {"view", ownCheck(), tensorView},
        {"flatten", ownCheck(), tensorFlatten},
        {"squeeze", ownCheck(), tensorSqueeze},
        {"unsqueeze", ownCheck(), tensorUnsqueeze},
        {"transpose", ownCheck(), tensorTranspose},
        {"permute", ownCheck(), tensorPermute},
        {"t", ownCheck(), withoutArguments<k_t>},
        {"contiguous", ownCheck(), withoutArguments<k_contiguous>},
        {"to", ownCheck(), tensorTo},
        {"float", ownCheck(), withoutArguments<k_float>},
        {"double", ownCheck(), withoutArguments<k_double>},
        {"half", ownCheck(), withoutArguments<k_half>},
        {"long", ownCheck(), withoutArguments<k_long>},
        {"int", ownCheck(), withoutArguments<k_int>},
        {"bool", ownCheck(), withoutArguments<k_bool>},
        {"cpu", ownCheck(), withoutArguments<k_cpu>},
        {"clone", ownCheck(), withoutArguments<k_clone>},
        {"detach", noArgs(), tensorDetach},
        {"sum", ownCheck(), tensorSum},
        {"mean", ownCheck(), tensorMean},
        {"max", ownCheck(), withoutArguments<k_max>},
        {"min", ownCheck(), withoutArguments<k_min>},
        {"std", ownCheck(), withoutArguments<k_std>},
        {"var", ownCheck(), withoutArguments<k_var>},
        {"norm", ownCheck(), withoutArguments<k_norm>},
        {"argmax", ownCheck(), withoutArguments<k_argmax>},
        {"argmin", ownCheck(), withoutArguments<k_argmin>},
        {"abs", ownCheck(), withoutArguments<k_abs>},
        {"exp", ownCheck(), withoutArguments<k_exp>},
        {"sqrt", ownCheck(), withoutArguments<k_sqrt>},
        {"relu", ownCheck(), withoutArguments<k_relu>},
        {"sigmoid", ownCheck(), withoutArguments<k_sigmoid>},
        {"tanh", ownCheck(), withoutArguments<k_tanh>},
        {"backward",
         pythonSignature({"Tensor.backward",
                          {{"gradient", none()}, {"retain_graph", none()}, {"create_graph", boolean(false)},
                           {"inputs", none()}}}),
         tensorBackward},
        {"requires_grad_", pythonSignature({"requires_grad_", {{"requires_grad", boolean(true)}}, false}),
         tensorRequiresGrad}};
    const std::vector<MethodEntry> inPlace = inPlaceTensorEntries();  // tensorinplace.cpp
    entries.insert(entries.end(), inPlace.begin(), inPlace.end());
    return entries;
}

}  // namespace

const MethodTable& tensorMethodTable()
{
    // "_TensorBase": the C class torch names its METH_NOARGS methods by in their TypeErrors.
    static const MethodTable table("_TensorBase", tensorEntries(), tensorMembers);
    return table;
}

}  // namespace mx::stmt
