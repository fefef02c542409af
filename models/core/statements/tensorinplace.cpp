// The console's in-place tensor changes: Tensor.add_/sub_/mul_/div_/copy_/fill_/zero_/normal_/
// uniform_/clamp_, `t op= v` (Tensor.__iadd__ and the like), `t.data = u` and requires_grad.
// Python changes the same tensor object and returns it; the app does too, and a change of a
// tensor the model holds (a parameter, a buffer, a tensor attribute, or a view of one, such as
// `p.data`) is an undoable edit that keeps the old values of that tensor only.
#include "core/statements/interpreter.h"
#include "core/statements/methodtable.h"

#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/statements/budget.h"
#include "core/statements/tensorops.h"
#include "core/tensorfactory.h"

#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace mx::stmt {

/** Where the model holds each tensor (by storage), and what this statement already kept. */
struct TensorChanges {
    struct Owner {
        ModuleNode* module;
        Section section;
        size_t index;
        TensorRef tensor;
    };
    const ModuleNode* model = nullptr;
    uint64_t version = UINT64_MAX;  // the interpreter's model version the owners were found at
    std::unordered_map<const void*, std::vector<Owner>> byStorage;
    std::set<std::pair<const void*, int>> kept;  // (tensor, TensorState::Kind) since takeEdits()
};

namespace {

using Kind = TensorState::Kind;

void collectOwners(ModuleNode& node, TensorChanges& c, std::unordered_set<const ModuleNode*>& seen)
{
    if (!seen.insert(&node).second)
        return;
    auto add = [&](Section section, size_t index, const TensorRef& t) {
        if (const void* storage = tensors::storageIdentity(t))
            c.byStorage[storage].push_back({&node, section, index, t});
    };
    for (size_t k = 0; k < node.parameters().size(); ++k)
        add(Section::Parameters, k, node.parameters()[k].tensor);
    for (size_t k = 0; k < node.buffers().size(); ++k)
        add(Section::Buffers, k, node.buffers()[k].tensor);
    for (size_t k = 0; k < node.plainAttributes().size(); ++k)
        if (node.plainAttributes()[k].isTensor)
            add(Section::Attributes, k, node.plainAttributes()[k].tensor);
    for (const ChildSlot& child : node.childSlots())
        if (child.module)
            collectOwners(*child.module, c, seen);
}

// Python's argument parser's wording for a number argument: "must be float, not str".
tensors::Scalar numberOperand(const std::string& fn, const std::string& arg, int position,
                              const ValuePtr& v, const char* expected)
{
    switch (v->kind) {
    case Value::Kind::Bool: return tensors::Scalar::boolean(v->b);
    case Value::Kind::Int: return tensors::Scalar::integer(v->i);
    case Value::Kind::Float: return tensors::Scalar::floating(v->f);
    default: break;
    }
    if (v->kind == Value::Kind::Tensor && v->tensor.shape().empty())
        unsupported("Tensor." + fn + "() with a 0-dim tensor for '" + arg + "'");  // torch takes it
    const std::string type = v->kind == Value::Kind::Tensor ? "Tensor" : typeShortName(*v);
    typeError(fn + "(): argument '" + arg + "'" +
              (position > 0 ? " (position " + std::to_string(position) + ")" : "") + " must be " +
              expected + ", not " + type);
}

tensors::Operand operandOf(const ValuePtr& v)
{
    if (v->kind == Value::Kind::Tensor)
        return tensors::Operand::of(v->tensor);
    if (v->kind == Value::Kind::Bool)
        return tensors::Operand::of(tensors::Scalar::boolean(v->b));
    if (v->kind == Value::Kind::Int)
        return tensors::Operand::of(tensors::Scalar::integer(v->i));
    if (v->kind == Value::Kind::Float)
        return tensors::Operand::of(tensors::Scalar::floating(v->f));
    return {};
}

bool isNumberOrTensor(const Value& v)
{
    return v.kind == Value::Kind::Bool || v.kind == Value::Kind::Int ||
           v.kind == Value::Kind::Float || v.kind == Value::Kind::Tensor;
}

// The arguments of `fn` by position or keyword, for torch's one-signature methods; a shape of
// call the console does not word as torch would is refused.
std::vector<ValuePtr> methodArguments(const std::string& fn, const Args& args,
                                      const std::vector<std::string>& names, size_t required)
{
    std::vector<ValuePtr> out(names.size());
    if (args.positional.size() > names.size())
        unsupported("Tensor." + fn + "() with " + std::to_string(args.positional.size()) +
                    " positional arguments");
    for (size_t k = 0; k < args.positional.size(); ++k)
        out[k] = args.positional[k];
    for (const auto& [key, value] : args.keywords) {
        size_t k = 0;
        while (k < names.size() && names[k] != key)
            ++k;
        if (k == names.size())
            typeError(fn + "() got an unexpected keyword argument '" + key + "'");
        if (out[k])
            unsupported("Tensor." + fn + "() with '" + key + "' given twice");
        out[k] = value;
    }
    for (size_t k = 0; k < required; ++k)
        if (!out[k])
            unsupported("Tensor." + fn + "() without its '" + names[k] + "' argument");
    return out;
}

}  // namespace

// ---- recording ---------------------------------------------------------------------------------

void Interpreter::forgetTensorChanges()
{
    if (!tensorChanges_)
        return;
    tensorChanges_->kept.clear();
    tensorChanges_->byStorage.clear();  // holds no tensor the model let go of
    tensorChanges_->version = UINT64_MAX;
}

void Interpreter::changeTensor(const TensorRef& t, TensorChange what, const std::function<void()>& change)
{
    if (!model_) {
        change();
        return;
    }
    if (!tensorChanges_)
        tensorChanges_ = std::make_shared<TensorChanges>();
    TensorChanges& c = *tensorChanges_;
    if (c.model != model_ || c.version != version_) {
        c.byStorage.clear();
        std::unordered_set<const ModuleNode*> seen;
        collectOwners(*model_, c, seen);
        c.model = model_;
        c.version = version_;
    }
    // The tensor the model holds: t itself, else (for its values) the largest one sharing t's
    // storage, t being a view of it (`p.data`, `p[0]`); the flag and the data object are t's own.
    const TensorChanges::Owner* owner = nullptr;
    if (const auto it = c.byStorage.find(tensors::storageIdentity(t)); it != c.byStorage.end())
        for (const TensorChanges::Owner& o : it->second) {
            if (o.tensor.identity() == t.identity()) {
                owner = &o;
                break;
            }
            if (what == TensorChange::Values && (!owner || o.tensor.numel() > owner->tensor.numel()))
                owner = &o;
        }
    const Kind kind = what == TensorChange::Flag     ? Kind::Flag
                      : what == TensorChange::Values ? Kind::Values
                                                     : Kind::Data;
    const std::pair<const void*, int> key{owner ? owner->tensor.identity() : nullptr, static_cast<int>(kind)};
    if (!owner || c.kept.count(key)) {
        change();
        tensorsChanged_ = tensorsChanged_ || owner;
        return;
    }
    if (kind == Kind::Values)
        reserveBytes(static_cast<uint64_t>(owner->tensor.bytes()), "the undo copy of a tensor");
    TensorState before = tensorState(owner->tensor, kind);
    try {
        change();  // ATen checks before it writes; the values are put back all the same
    } catch (...) {
        if (kind == Kind::Values)
            exchangeTensorState(owner->tensor, before);
        throw;
    }
    const TensorChanges::Owner o = *owner;
    Edit edit = o.module->tensorChanged(o.section, o.index, std::move(before));
    editTargets_.push_back(o.module->weak_from_this().lock());
    edits_.push_back(std::move(edit));  // not record(): the model's dicts did not change
    c.kept.insert(key);
    tensorsChanged_ = true;
}

// ---- methods ------------------------------------------------------------------------------------

ValuePtr Interpreter::changeInPlace(const ValuePtr& t, const std::string& op,
                                    const std::vector<tensors::Operand>& operands, const std::string& roundingMode)
{
    changeTensor(t->tensor, TensorChange::Values, [&] { tensors::inPlace(op, t->tensor, operands, roundingMode); });
    return t;
}

namespace {

// zero_() (the table checks it takes no arguments, as METH_NOARGS does).
ValuePtr tensorZero(Interpreter& in, const ValuePtr& self, const Args&) { return in.changeInPlace(self, "zero", {}); }

// normal_(mean=0, std=1) / uniform_(from=0, to=1).
ValuePtr randomInPlace(Interpreter& in, const ValuePtr& self, const Args& args, const std::string& op,
                       const std::vector<std::string>& names)
{
    const std::string name = op + "_";
    if (args.positional.size() > 2)
        typeError(name + "() takes from 0 to 2 positional arguments but " + std::to_string(args.positional.size()) +
                  " were given");
    const std::vector<ValuePtr> a = methodArguments(name, args, names, 0);
    const double defaults[2] = {0.0, 1.0};
    std::vector<tensors::Operand> operands;
    for (size_t k = 0; k < 2; ++k)
        operands.push_back(tensors::Operand::of(
            a[k] ? numberOperand(name, names[k], k < args.positional.size() ? int(k + 1) : 0, a[k], "float")
                 : tensors::Scalar::floating(defaults[k])));
    return in.changeInPlace(self, op, operands);
}

ValuePtr tensorNormal(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return randomInPlace(in, self, args, "normal", {"mean", "std"});
}

ValuePtr tensorUniform(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return randomInPlace(in, self, args, "uniform", {"from", "to"});
}

ValuePtr tensorCopy(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const std::vector<ValuePtr> a = methodArguments("copy_", args, {"src", "non_blocking"}, 1);
    if (!isNumberOrTensor(*a[0]))
        unsupported("Tensor.copy_() of a " + typeShortName(*a[0]));
    return in.changeInPlace(self, "copy", {operandOf(a[0])});
}

ValuePtr tensorFill(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const std::vector<ValuePtr> a = methodArguments("fill_", args, {"value"}, 1);
    if (!isNumberOrTensor(*a[0]))
        unsupported("Tensor.fill_() with a " + typeShortName(*a[0]));
    return in.changeInPlace(self, "fill", {operandOf(a[0])});
}

ValuePtr tensorClamp(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const std::vector<ValuePtr> a = methodArguments("clamp_", args, {"min", "max"}, 0);
    for (const ValuePtr& v : a)
        if (v && v->kind != Value::Kind::None && !isNumberOrTensor(*v))
            unsupported("Tensor.clamp_() with a " + typeShortName(*v));
    if (a[0] && a[1] && a[0]->kind != Value::Kind::None && a[1]->kind != Value::Kind::None &&
        (a[0]->kind == Value::Kind::Tensor) != (a[1]->kind == Value::Kind::Tensor))
        unsupported("Tensor.clamp_() with a number and a tensor");
    std::vector<tensors::Operand> operands;
    for (const ValuePtr& v : a)
        operands.push_back(v ? operandOf(v) : tensors::Operand());
    return in.changeInPlace(self, "clamp", operands);
}

// add_(other, alpha=1) / sub_(other, alpha=1) / mul_(other) / div_(other, rounding_mode=None).
ValuePtr arithmeticInPlace(Interpreter& in, const ValuePtr& self, const Args& args, const std::string& op,
                           const std::vector<std::string>& names)
{
    const std::string name = op + "_";
    if (args.positional.size() > 1)
        unsupported("Tensor." + name + "() with more than one positional argument");
    const std::vector<ValuePtr> a = methodArguments(name, args, names, 1);
    if (!isNumberOrTensor(*a[0]))
        typeError(name + "(): argument 'other' (position 1) must be Tensor, not " + typeShortName(*a[0]));
    std::vector<tensors::Operand> operands{operandOf(a[0])};
    std::string roundingMode;
    if (names.size() > 1 && names[1] == "alpha" && a[1])
        operands.push_back(tensors::Operand::of(numberOperand(name, "alpha", 0, a[1], "Number")));
    if (names.size() > 1 && names[1] == "rounding_mode" && a[1] && a[1]->kind != Value::Kind::None) {
        if (a[1]->kind != Value::Kind::Str)
            unsupported("Tensor.div_() with a non-str rounding_mode");
        roundingMode = a[1]->s;
    }
    return in.changeInPlace(self, op, operands, roundingMode);
}

ValuePtr tensorAdd(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return arithmeticInPlace(in, self, args, "add", {"other", "alpha"});
}

ValuePtr tensorSub(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return arithmeticInPlace(in, self, args, "sub", {"other", "alpha"});
}

ValuePtr tensorMul(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return arithmeticInPlace(in, self, args, "mul", {"other"});
}

ValuePtr tensorDiv(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return arithmeticInPlace(in, self, args, "div", {"other", "rounding_mode"});
}

}  // namespace

std::vector<MethodEntry> inPlaceTensorEntries()
{
    return {{"zero_", noArgs(), tensorZero},     {"normal_", ownCheck(), tensorNormal},
            {"uniform_", ownCheck(), tensorUniform}, {"copy_", ownCheck(), tensorCopy},
            {"fill_", ownCheck(), tensorFill},     {"clamp_", ownCheck(), tensorClamp},
            {"add_", ownCheck(), tensorAdd},       {"sub_", ownCheck(), tensorSub},
            {"mul_", ownCheck(), tensorMul},       {"div_", ownCheck(), tensorDiv}};
}

ValuePtr Interpreter::augmentedTensorAssign(const std::string& op, const ValuePtr& t, const ValuePtr& rhs)
{
    static const std::map<std::string, std::string> inPlaceOps{
        {"+", "add"}, {"-", "sub"}, {"*", "mul"}, {"/", "div"}, {"//", "floor_divide"},
        {"%", "remainder"}, {"**", "pow"}};
    if (op == "@")
        return binaryOp(op, t, rhs);  // Tensor has no __imatmul__: Python makes t @ rhs
    const auto it = inPlaceOps.find(op);
    if (it == inPlaceOps.end())
        unsupported("the in-place operator " + op + "= on tensors");
    if (!isNumberOrTensor(*rhs)) {
        const Value::Kind k = rhs->kind;
        if (k == Value::Kind::None || k == Value::Kind::Str || k == Value::Kind::List ||
            k == Value::Kind::Tuple || k == Value::Kind::Dict)
            typeError("unsupported operand type(s) for " + op + "=: 'Tensor' and '" +
                      typeShortName(*rhs) + "'");
        unsupported("tensor " + op + "= " + typeShortName(*rhs));
    }
    return changeInPlace(t, it->second, {operandOf(rhs)});
}

void Interpreter::setTensorItem(const ValuePtr& t, const ValuePtr& index, const ValuePtr& value)
{
    if (value->kind == Value::Kind::None || value->kind == Value::Kind::Str ||
        value->kind == Value::Kind::List || value->kind == Value::Kind::Tuple ||
        value->kind == Value::Kind::Dict)
        typeError("can't assign a " + typeShortName(*value) + " to a " + tensorTypeName(t->tensor));
    if (!isNumberOrTensor(*value))
        unsupported("assigning a " + typeShortName(*value) + " into a tensor");
    const ValuePtr view = subscript(t, index);  // basic indexing: a view of t (others are refused)
    changeTensor(view->tensor, TensorChange::Values, [&] {
        if (value->kind == Value::Kind::Tensor)
            tensors::assignInto(view->tensor, value->tensor);
        else
            tensors::inPlace("fill", view->tensor, {operandOf(value)});
    });
}

void Interpreter::setTensorAttribute(const ValuePtr& t, const std::string& name, const ValuePtr& value)
{
    if (name == "data") {
        if (value->kind != Value::Kind::Tensor)
            typeError("Variable data has to be a tensor, but got " + typeShortName(*value));
        changeTensor(t->tensor, TensorChange::Data, [&] { tensors::setData(t->tensor, value->tensor); });
        return;
    }
    // requires_grad
    if (value->kind != Value::Kind::Bool)
        throw PythonError("RuntimeError", "requires_grad must be a bool");
    if (!tensors::isLeaf(t->tensor))
        throw PythonError("RuntimeError",
                          std::string("you can only change requires_grad flags of leaf variables.") +
                              (value->b ? "" : " If you want to use a computed variable in a subgraph "
                                               "that doesn't require differentiation use "
                                               "var_no_grad = var.detach()."));
    if (value->b && !tensors::isFloatingPoint(t->tensor))
        throw PythonError("RuntimeError", "only Tensors of floating point and complex dtype can require gradients");
    setRequiresGradFlag(t->tensor, value->b);
}

void Interpreter::setRequiresGradFlag(const TensorRef& t, bool flag)
{
    changeTensor(t, TensorChange::Flag, [&] {
        journal_.keepFlag(t);
        training::setRequiresGrad(t, flag);
    });
}

}  // namespace mx::stmt
