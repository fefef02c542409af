// torch's tensor factories (randn, zeros, full, arange, tensor, eye, empty, linspace, randint and
// the *_like ones), one function each, with the messages of torch's argument parser
// (torchparser.cpp). Every tensor is allocated through the counting allocator, which refuses one
// past the memory budget before taking memory (core/resourcebudget.h).
#include "core/statements/methodtable.h"

#include "core/pythonerror.h"
#include "core/statements/budget.h"
#include "core/statements/interpreterhelpers.h"
#include "core/statements/tensorops.h"
#include "core/statements/trainingops.h"

namespace mx::stmt {

namespace {

using Pos = std::vector<ValuePtr>;

// torch's parser: "linspace() missing 1 required positional arguments: "steps"" (its plural
// is the wrong way round, as printed).
[[noreturn]] void missingArguments(const std::string& fn, const std::vector<std::string>& names)
{
    std::string list;
    for (const std::string& n : names)
        list += (list.empty() ? "\"" : ", \"") + n + "\"";
    typeError(fn + "() missing " + std::to_string(names.size()) + " required positional argument" +
              (names.size() == 1 ? "s" : "") + ": " + list);
}

// The named arguments of `fn` from positions and keywords (others are left for factoryOptions);
// nullptr where not given.
std::vector<ValuePtr> namedArguments(const std::string& fn, const Args& args,
                                     const std::vector<std::string>& names, std::set<std::string>& consumed)
{
    std::vector<ValuePtr> out(names.size());
    for (size_t k = 0; k < args.positional.size() && k < names.size(); ++k)
        out[k] = args.positional[k];
    for (const auto& [key, value] : args.keywords)
        for (size_t k = 0; k < names.size(); ++k)
            if (names[k] == key) {
                if (out[k])
                    unsupported("torch." + fn + "() with '" + key + "' given twice");
                out[k] = value;
                consumed.insert(key);
            }
    return out;
}

void requireAll(const std::string& fn, const std::vector<std::string>& names, const std::vector<ValuePtr>& given)
{
    std::vector<std::string> missing;
    for (size_t k = 0; k < names.size(); ++k)
        if (!given[k])
            missing.push_back(names[k]);
    if (!missing.empty())
        missingArguments(fn, missing);
}

std::string givenBy(const Args& args, size_t position)
{
    return position < args.positional.size() ? " (position " + std::to_string(position + 1) + ")" : "";
}

int64_t intArgument(const std::string& fn, const std::string& name, const Args& args, size_t position,
                    const ValuePtr& v)
{
    if (v->kind != Value::Kind::Int)
        typeError(fn + "(): argument '" + name + "'" + givenBy(args, position) + " must be int, not " +
                  (v->kind == Value::Kind::Tensor ? std::string("Tensor") : typeShortName(*v)));
    return v->i;
}

tensors::Scalar numberArgument(const std::string& fn, const std::string& name, const Args& args,
                               size_t position, const ValuePtr& v)
{
    switch (v->kind) {
    case Value::Kind::Bool: return tensors::Scalar::boolean(v->b);
    case Value::Kind::Int: return tensors::Scalar::integer(v->i);
    case Value::Kind::Float: return tensors::Scalar::floating(v->f);
    case Value::Kind::Tensor: unsupported("torch." + fn + "() with a tensor '" + name + "'");
    default:
        typeError(fn + "(): argument '" + name + "'" + givenBy(args, position) + " must be Number, not " +
                  typeShortName(*v));
    }
}

// A number at `position` of the older factories (full, arange), worded with the parser's type names.
tensors::Scalar positionalNumber(const std::string& fn, const ValuePtr& v, const std::string& name, int position)
{
    if (v->kind == Value::Kind::Bool)
        return tensors::Scalar::boolean(v->b);
    if (v->kind == Value::Kind::Int)
        return tensors::Scalar::integer(v->i);
    if (v->kind == Value::Kind::Float)
        return tensors::Scalar::floating(v->f);
    typeError(fn + "(): argument '" + name + "' (position " + std::to_string(position) +
              ") must be Number, not " + parserTypeName(*v));
}

// factoryOptions words a bad dtype= or requires_grad= from the overloads it knows; the others
// are refused here rather than worded wrongly.
void checkOptionTypes(const std::string& fn, const Args& args)
{
    for (const auto& [key, value] : args.keywords)
        if ((key == "dtype" && value->kind != Value::Kind::Dtype && value->kind != Value::Kind::None) ||
            (key == "requires_grad" && value->kind != Value::Kind::Bool))
            unsupported("torch." + fn + "() with " + key + "=" + typeShortName(*value));
}

bool isShape(const Value& v)
{
    if (v.kind == Value::Kind::Size)
        return true;
    if (v.kind != Value::Kind::Tuple && v.kind != Value::Kind::List)
        return false;
    for (const ValuePtr& d : v.items)
        if (d->kind != Value::Kind::Int)
            return false;
    return true;
}

// torch's parser takes a 0-dim tensor where it wants a number: not modelled for the newer
// factories (the input of a *_like factory is its tensor).
void refuseTensorNumbers(const std::string& fn, const Args& args, bool like)
{
    for (size_t k = like ? 1 : 0; k < args.positional.size(); ++k)
        if (args.positional[k]->kind == Value::Kind::Tensor)
            unsupported("torch." + fn + "() with a tensor for a number");
    for (const auto& [key, value] : args.keywords)
        if (value->kind == Value::Kind::Tensor && key != "input")
            unsupported("torch." + fn + "() with a tensor for '" + key + "'");
}

// A size given as ints or one sequence, as torch's parser reads `*size`.
std::vector<int64_t> sizeArgument(const std::string& fn, const Pos& values, const std::string& intsName, bool varargs)
{
    Pos items = values;
    if (values.size() == 1 && (values[0]->kind == Value::Kind::Tuple || values[0]->kind == Value::Kind::List ||
                               values[0]->kind == Value::Kind::Size)) {
        items.clear();
        if (values[0]->kind == Value::Kind::Size)
            for (int64_t d : values[0]->dims)
                items.push_back(integer(d));
        else
            items = values[0]->items;
    } else if ((values.size() == 1 && values[0]->kind != Value::Kind::Int) || !varargs) {
        typeError(fn + "(): argument 'size' (position 1) must be " + intsName + ", not " +
                  parserTypeName(*values[0]));
    }
    std::vector<int64_t> dims;
    for (size_t k = 0; k < items.size(); ++k) {
        if (items[k]->kind != Value::Kind::Int)
            typeError(fn + "(): argument 'size' must be " + intsName + ", but found element of type " +
                      parserTypeName(*items[k]) + " at pos " + std::to_string(k + 1));
        dims.push_back(items[k]->i);
    }
    return dims;
}

const char* fillName(tensors::Fill fill)
{
    switch (fill) {
    case tensors::Fill::Randn: return "randn";
    case tensors::Fill::Rand: return "rand";
    case tensors::Fill::Zeros: return "zeros";
    case tensors::Fill::Ones: return "ones";
    case tensors::Fill::Empty: return "empty";
    }
    return "";
}

// ---- randn, rand, zeros, ones, empty (*size) ------------------------------------------------------

ValuePtr sizedTensor(tensors::Fill fill, const Args& args)
{
    const std::string fn = fillName(fill);
    Pos sizeArgs = args.positional;
    std::set<std::string> consumed;
    if (sizeArgs.empty()) {
        const ValuePtr size = keywordOr(args, "size", nullptr);
        if (!size)
            invalidCombination(fn, args);
        sizeArgs.push_back(size);
        consumed.insert("size");
    }
    const bool random = fill == tensors::Fill::Randn || fill == tensors::Fill::Rand;
    const std::vector<int64_t> shape = sizeArgument(fn, sizeArgs, random ? "tuple of ints" : "tuple of SymInts", true);
    const FactoryOptions o = factoryOptions(fn, args, random, consumed);
    return tensorValue(tensors::create(fill, shape, o.dtype, o.requiresGrad));
}

template <tensors::Fill fill>
ValuePtr torchSized(Interpreter&, const ValuePtr&, const Args& args)
{
    return sizedTensor(fill, args);
}

ValuePtr torchEmpty(Interpreter&, const ValuePtr&, const Args& args)
{
    refuseTensorNumbers("empty", args, false);
    for (const auto& [key, value] : args.keywords)
        if (key == "memory_format")
            unsupported("the memory_format= argument of torch.empty()");
    return sizedTensor(tensors::Fill::Empty, args);
}

// ---- full, arange, eye, linspace, randint --------------------------------------------------------

ValuePtr torchFull(Interpreter&, const ValuePtr&, const Args& args)
{
    const std::string fn = "full";
    const Pos& pos = args.positional;
    if (pos.size() != 2 && !(pos.size() < 2 && (keywordOr(args, "size", nullptr) || keywordOr(args, "fill_value", nullptr))))
        invalidCombination(fn, args);
    std::set<std::string> consumed;
    const ValuePtr size = pos.size() > 0 ? pos[0] : keywordOr(args, "size", nullptr);
    const ValuePtr fill = pos.size() > 1 ? pos[1] : keywordOr(args, "fill_value", nullptr);
    if (pos.size() < 1)
        consumed.insert("size");
    if (pos.size() < 2)
        consumed.insert("fill_value");
    if (!size || !fill)
        invalidCombination(fn, args);
    if (size->kind != Value::Kind::Tuple && size->kind != Value::Kind::List && size->kind != Value::Kind::Size)
        typeError("full(): argument 'size' (position 1) must be tuple of SymInts, not " + parserTypeName(*size));
    const std::vector<int64_t> shape = sizeArgument(fn, {size}, "tuple of SymInts", false);
    const tensors::Scalar value = positionalNumber(fn, fill, "fill_value", 2);
    const FactoryOptions o = factoryOptions(fn, args, false, consumed);
    return tensorValue(tensors::full(shape, value, o.dtype, o.requiresGrad));
}

ValuePtr torchArange(Interpreter&, const ValuePtr&, const Args& args)
{
    const std::string fn = "arange";
    const Pos& pos = args.positional;
    if (pos.empty() || pos.size() > 3)
        invalidCombination(fn, args);
    static const char* const names3[] = {"start", "end", "step"};
    std::vector<tensors::Scalar> v;
    for (size_t k = 0; k < pos.size(); ++k)
        v.push_back(positionalNumber(fn, pos[k], pos.size() == 1 ? "end" : names3[k], static_cast<int>(k + 1)));
    const FactoryOptions o = factoryOptions(fn, args, false, {});
    const tensors::Scalar zero = tensors::Scalar::integer(0), one = tensors::Scalar::integer(1);
    if (v.size() == 1)
        return tensorValue(tensors::arange(zero, v[0], one, o.dtype, o.requiresGrad));
    return tensorValue(tensors::arange(v[0], v[1], v.size() == 3 ? v[2] : one, o.dtype, o.requiresGrad));
}

ValuePtr torchEye(Interpreter&, const ValuePtr&, const Args& args)
{
    const std::string fn = "eye";
    refuseTensorNumbers(fn, args, false);
    std::set<std::string> consumed;
    const Pos a = namedArguments(fn, args, {"n", "m"}, consumed);
    if (!a[0] || args.positional.size() > 2)
        invalidCombination(fn, args);
    // Two overloads take (n) and (n, m): only the one-argument call names the bad argument.
    if (a[1] && (a[0]->kind != Value::Kind::Int || a[1]->kind != Value::Kind::Int))
        invalidCombination(fn, args);
    const int64_t n = intArgument(fn, "n", args, 0, a[0]);
    const int64_t m = a[1] ? a[1]->i : n;
    const FactoryOptions o = factoryOptions(fn, args, false, consumed);
    if (n < 0)  // at::eye(n, m) checks m first
        throw PythonError("RuntimeError", "n must be greater or equal to 0, got " + std::to_string(n));
    return tensorValue(tensors::eye(n, m, o.dtype, o.requiresGrad));
}

ValuePtr torchLinspace(Interpreter&, const ValuePtr&, const Args& args)
{
    const std::string fn = "linspace";
    refuseTensorNumbers(fn, args, false);
    const std::vector<std::string> names{"start", "end", "steps"};
    if (args.positional.size() > 3)
        unsupported("torch.linspace() with more than 3 positional arguments");
    std::set<std::string> consumed;
    const Pos a = namedArguments(fn, args, names, consumed);
    requireAll(fn, names, a);
    const tensors::Scalar start = numberArgument(fn, "start", args, 0, a[0]);
    const tensors::Scalar end = numberArgument(fn, "end", args, 1, a[1]);
    const int64_t steps = intArgument(fn, "steps", args, 2, a[2]);
    checkOptionTypes(fn, args);
    const FactoryOptions o = factoryOptions(fn, args, false, consumed);
    return tensorValue(tensors::linspace(start, end, steps, o.dtype, o.requiresGrad));
}

// randint(low=0, high, size, *, generator=None, dtype=None, requires_grad=False, ...): two
// overloads, (high, size) and (low, high, size), by position or keyword.
ValuePtr torchRandint(Interpreter& in, const ValuePtr&, const Args& args)
{
    const std::string fn = "randint";
    refuseTensorNumbers(fn, args, false);
    bool withLow = args.positional.size() >= 3;
    for (const auto& [key, value] : args.keywords)
        withLow = withLow || key == "low" || (key == "size" && args.positional.size() == 2);
    std::set<std::string> consumed;
    const std::vector<std::string> names = withLow ? std::vector<std::string>{"low", "high", "size"}
                                                   : std::vector<std::string>{"high", "size"};
    if (args.positional.size() > names.size())
        invalidCombination(fn, args);
    const Pos a = namedArguments(fn, args, names, consumed);
    for (const ValuePtr& v : a)
        if (!v)
            invalidCombination(fn, args);
    const ValuePtr& size = a.back();
    if (!withLow && args.positional.size() == 2 && a[0]->kind == Value::Kind::Int && size->kind == Value::Kind::Int)
        typeError("randint(): argument 'size' (position 2) must be tuple of ints, not int");
    for (size_t k = 0; k + 1 < a.size(); ++k)
        if (a[k]->kind != Value::Kind::Int)
            invalidCombination(fn, args);
    if (!isShape(*size))
        invalidCombination(fn, args);
    const FactoryOptions o = factoryOptions(fn, args, true, consumed);
    std::vector<int64_t> dims;  // a tensor past the memory budget is refused as it is allocated
    for (const ValuePtr& d : in.toVector(size))
        dims.push_back(d->i);
    return tensorValue(training::randint(withLow ? a[0]->i : 0, a[a.size() - 2]->i, dims, o.dtype, o.requiresGrad));
}

// ---- the *_like factories ------------------------------------------------------------------------

// zeros_like(input, *, dtype, ...), full_like(input, fill_value, *, ...): input checked, the
// fill_value (for full_like) in given[1].
Pos likeArguments(const std::string& fn, const Args& args, size_t count, std::set<std::string>& consumed)
{
    refuseTensorNumbers(fn, args, true);
    const std::vector<std::string> names =
        count == 2 ? std::vector<std::string>{"input", "fill_value"} : std::vector<std::string>{"input"};
    if (args.positional.size() > names.size())
        typeError(fn + "() takes " + std::to_string(names.size()) + " positional argument" +
                  (names.size() == 1 ? "" : "s") + " but " + std::to_string(args.positional.size()) + " were given");
    const Pos a = namedArguments(fn, args, names, consumed);
    requireAll(fn, names, a);
    if (a[0]->kind != Value::Kind::Tensor)
        typeError(fn + "(): argument 'input'" + givenBy(args, 0) + " must be Tensor, not " + typeShortName(*a[0]));
    for (const auto& [key, value] : args.keywords) {
        if (key == "memory_format")
            unsupported("the memory_format= argument of torch." + fn + "()");
        if (!consumed.count(key) && key != "dtype" && key != "requires_grad" && key != "device" &&
            key != "layout" && key != "pin_memory")
            typeError(fn + "() got an unexpected keyword argument '" + key + "'");
    }
    checkOptionTypes(fn, args);
    return a;
}

// The dtype a *_like factory makes: the option's, else the input's.
std::string likeDtype(const std::string& fn, const FactoryOptions& o, const TensorRef& input)
{
    const std::string dtype = o.dtype.empty() ? input.dtypeName() : o.dtype;
    if (!tensors::knownDtype(dtype))
        unsupported("torch." + fn + "() of a " + dtype + " tensor");
    return dtype;
}

template <tensors::Fill fill>
ValuePtr torchLike(Interpreter&, const ValuePtr&, const Args& args)
{
    const std::string fn = std::string(fillName(fill)) + "_like";
    std::set<std::string> consumed;
    const Pos a = likeArguments(fn, args, 1, consumed);
    const TensorRef& input = a[0]->tensor;
    const FactoryOptions o = factoryOptions(fn, args, false, consumed);
    return tensorValue(tensors::create(fill, input.shape(), likeDtype(fn, o, input), o.requiresGrad));
}

ValuePtr torchFullLike(Interpreter&, const ValuePtr&, const Args& args)
{
    const std::string fn = "full_like";
    std::set<std::string> consumed;
    const Pos a = likeArguments(fn, args, 2, consumed);
    const FactoryOptions o = factoryOptions(fn, args, false, consumed);
    const TensorRef& input = a[0]->tensor;
    const std::string dtype = likeDtype(fn, o, input);
    return tensorValue(tensors::full(input.shape(), numberArgument(fn, "fill_value", args, 1, a[1]), dtype, o.requiresGrad));
}

// ---- torch.tensor(data) --------------------------------------------------------------------------

// Walks nested sequences like torch's compute_sizes / recursive_store.
void collectData(const ValuePtr& v, size_t dim, std::vector<int64_t>& shape, std::vector<tensors::Scalar>& out,
                 Interpreter& in)
{
    const bool sequence = v->kind == Value::Kind::List || v->kind == Value::Kind::Tuple || v->kind == Value::Kind::Size;
    if (dim == shape.size()) {
        if (sequence)
            unsupported("ragged nested sequences in torch.tensor()");
        switch (v->kind) {
        case Value::Kind::Bool: out.push_back(tensors::Scalar::boolean(v->b)); return;
        case Value::Kind::Int: out.push_back(tensors::Scalar::integer(v->i)); return;
        case Value::Kind::Float: out.push_back(tensors::Scalar::floating(v->f)); return;
        case Value::Kind::Tensor: unsupported("tensors inside torch.tensor() data");
        default: typeError("new(): invalid data type '" + typeShortName(*v) + "'");
        }
    }
    if (!sequence)
        typeError("not a sequence");
    const Pos items = in.toVector(v);
    if (static_cast<int64_t>(items.size()) != shape[dim])
        throw PythonError("ValueError", "expected sequence of length " + std::to_string(shape[dim]) + " at dim " +
                                            std::to_string(dim) + " (got " + std::to_string(items.size()) + ")");
    for (const ValuePtr& item : items)
        collectData(item, dim + 1, shape, out, in);
}

// tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False): the options.
void tensorOptions(Interpreter& in, const Args& args, std::string& dtype, bool& requiresGrad)
{
    for (const auto& [k, v] : args.keywords) {
        if (k == "data" && args.positional.empty())
            continue;
        if (k == "dtype") {
            if (v->kind == Value::Kind::Dtype)
                dtype = v->s;
            else if (v->kind != Value::Kind::None)
                typeError("tensor(): argument 'dtype' must be torch.dtype, not " + parserTypeName(*v));
        } else if (k == "requires_grad") {
            if (v->kind != Value::Kind::Bool)
                typeError("tensor(): argument 'requires_grad' must be bool, not " + parserTypeName(*v));
            requiresGrad = v->b;
        } else if (k == "device") {
            if (!(v->kind == Value::Kind::None ||
                  ((v->kind == Value::Kind::Str || v->kind == Value::Kind::Device) && v->s == "cpu")))
                unsupported("creating tensors on other devices");
        } else if (k == "pin_memory") {
            if (in.truthy(*v))
                unsupported("tensor(pin_memory=True)");
        } else {
            typeError("tensor() got an unexpected keyword argument '" + k + "'");
        }
    }
}

ValuePtr torchTensor(Interpreter& in, const ValuePtr&, const Args& args)
{
    const Pos& pos = args.positional;
    if (pos.empty() && !keywordOr(args, "data", nullptr))
        typeError("tensor() missing 1 required positional arguments: \"data\"");
    const ValuePtr data = pos.empty() ? keywordOr(args, "data", nullptr) : pos[0];
    if (pos.size() > 1)
        typeError("tensor() takes 1 positional argument but " + std::to_string(pos.size()) + " were given");
    std::string dtype;
    bool requiresGrad = false;
    tensorOptions(in, args, dtype, requiresGrad);
    if (data->kind == Value::Kind::Tensor)
        unsupported("torch.tensor() of a tensor (use t.clone().detach())");
    std::vector<int64_t> shape;
    uint64_t elements = 1;
    for (ValuePtr v = data;
         v->kind == Value::Kind::List || v->kind == Value::Kind::Tuple || v->kind == Value::Kind::Size;) {
        const Pos items = in.toVector(v);
        shape.push_back(static_cast<int64_t>(items.size()));
        elements = saturatingMul(elements, items.size());
        if (shape.size() > 128)  // torch's compute_sizes (MAX_DIMS); a list holding itself ends here
            throw PythonError("ValueError", "too many dimensions '" + typeShortName(*v) + "'");
        if (items.empty())
            break;
        v = items[0];
    }
    // Every element is walked and kept once before the tensor is made: budget both first.
    reserveBytes(saturatingMul(elements, sizeof(tensors::Scalar) + 8), "a tensor's data");
    in.countSteps(elements);
    std::vector<tensors::Scalar> values;
    values.reserve(elements);
    if (!(shape.size() == 1 && shape[0] == 0))
        collectData(data, 0, shape, values, in);
    return tensorValue(tensors::fromData(values, shape, dtype, requiresGrad));
}

}  // namespace

std::vector<MethodEntry> tensorFactoryEntries()
{
    using tensors::Fill;
    return {
        {"randn", ownCheck(), torchSized<Fill::Randn>},
        {"rand", ownCheck(), torchSized<Fill::Rand>},
        {"zeros", ownCheck(), torchSized<Fill::Zeros>},
        {"ones", ownCheck(), torchSized<Fill::Ones>},
        {"empty", ownCheck(), torchEmpty},
        {"full", ownCheck(), torchFull},
        {"arange", ownCheck(), torchArange},
        {"tensor", ownCheck(), torchTensor},
        {"eye", ownCheck(), torchEye},
        {"linspace", ownCheck(), torchLinspace},
        {"randint", ownCheck(), torchRandint},
        {"zeros_like", ownCheck(), torchLike<Fill::Zeros>},
        {"ones_like", ownCheck(), torchLike<Fill::Ones>},
        {"randn_like", ownCheck(), torchLike<Fill::Randn>},
        {"rand_like", ownCheck(), torchLike<Fill::Rand>},
        {"empty_like", ownCheck(), torchLike<Fill::Empty>},
        {"full_like", ownCheck(), torchFullLike},
    };
}

}  // namespace mx::stmt
