// torch.nn.functional: the losses, one function per name, bound in the F table.
#include "core/statements/methodtable.h"

#include "core/pythonerror.h"
#include "core/statements/trainingops.h"

namespace mx::stmt {

namespace {

std::string reductionArgument(const ValuePtr& v)
{
    if (v->kind != Value::Kind::Str)
        unsupported("a reduction other than a string");
    return v->s;
}

// cross_entropy(input, target, weight, size_average, ignore_index, reduce, reduction,
// label_smoothing), bound.
ValuePtr crossEntropy(Interpreter&, const ValuePtr&, const Args& args)
{
    const std::vector<ValuePtr>& a = args.positional;
    for (size_t k : {size_t(2), size_t(3), size_t(5)})
        if (a[k]->kind != Value::Kind::None)
            unsupported("cross_entropy() with weight, size_average or reduce");
    for (size_t k : {size_t(0), size_t(1)})
        if (a[k]->kind != Value::Kind::Tensor)
            typeError(std::string("cross_entropy_loss(): argument '") + (k ? "target" : "input") +
                      "' (position " + std::to_string(k + 1) + ") must be Tensor, not " + typeShortName(*a[k]));
    if (a[4]->kind != Value::Kind::Int)
        unsupported("cross_entropy() with a non-int ignore_index");
    if (a[7]->kind != Value::Kind::Float && a[7]->kind != Value::Kind::Int)
        unsupported("cross_entropy() with a non-number label_smoothing");
    const double smoothing = a[7]->kind == Value::Kind::Float ? a[7]->f : static_cast<double>(a[7]->i);
    return tensorValue(
        training::crossEntropy(a[0]->tensor, a[1]->tensor, a[4]->i, reductionArgument(a[6]), smoothing));
}

// mse_loss / l1_loss(input, target, size_average, reduce, reduction), bound: their tensors.
void checkPointwiseLoss(const std::string& fn, const std::vector<ValuePtr>& a)
{
    if (a[2]->kind != Value::Kind::None || a[3]->kind != Value::Kind::None)
        unsupported(fn + "() with size_average or reduce");
    // Python reads target.size() first, then input.size().
    for (size_t k : {size_t(1), size_t(0)})
        if (a[k]->kind != Value::Kind::Tensor)
            throw PythonError("AttributeError", "'" + typeShortName(*a[k]) + "' object has no attribute 'size'");
}

ValuePtr mseLoss(Interpreter&, const ValuePtr&, const Args& args)
{
    const std::vector<ValuePtr>& a = args.positional;
    checkPointwiseLoss("mse_loss", a);
    return tensorValue(training::mseLoss(a[0]->tensor, a[1]->tensor, reductionArgument(a[4])));
}

ValuePtr l1Loss(Interpreter&, const ValuePtr&, const Args& args)
{
    const std::vector<ValuePtr>& a = args.positional;
    checkPointwiseLoss("l1_loss", a);
    return tensorValue(training::l1Loss(a[0]->tensor, a[1]->tensor, reductionArgument(a[4])));
}

Signature pointwiseLoss(const std::string& fn)
{
    return {fn,
            {{"input", nullptr}, {"target", nullptr}, {"size_average", none()}, {"reduce", none()},
             {"reduction", str("mean")}},
            false};
}

// No dir() list of torch.nn.functional is generated: every name the table lacks is refused.
bool alwaysInPython(const std::string&) { return true; }

}  // namespace

const MethodTable& functionalTable()
{
    static const MethodTable table(
        "torch.nn.functional",
        {
            {"cross_entropy",
             pythonSignature({"cross_entropy",
                              {{"input", nullptr}, {"target", nullptr}, {"weight", none()},
                               {"size_average", none()}, {"ignore_index", integer(-100)}, {"reduce", none()},
                               {"reduction", str("mean")}, {"label_smoothing", floating(0.0)}},
                              false}),
             crossEntropy},
            {"mse_loss", pythonSignature(pointwiseLoss("mse_loss")), mseLoss},
            {"l1_loss", pythonSignature(pointwiseLoss("l1_loss")), l1Loss},
        },
        alwaysInPython);
    return table;
}

}  // namespace mx::stmt
