// The torch.nn layer constructors in the console: Python's argument binding, then the layer
// factories of core/layers.h with the values as given (their checks are PyTorch's).

#include "core/statements/layerconstructors.h"

#include "core/layers.h"
#include "core/statements/interpreter.h"

namespace mx::stmt {

namespace {

/** A constructor argument as the layer keeps it: None, bool, int, float, str or a tuple of
 *  them (a list or torch.Size too where `listOk`: _pair makes a tuple of it). */
PythonValue argument(Interpreter& in, const ValuePtr& v, const std::string& what, bool listOk)
{
    switch (v->kind) {
    case Value::Kind::None: return PythonValue::none();
    case Value::Kind::Bool: return PythonValue::boolean(v->b);
    case Value::Kind::Int: return PythonValue::integer(v->i);
    case Value::Kind::Float: return PythonValue::floating(v->f);
    case Value::Kind::Str: return PythonValue::string(v->s);
    case Value::Kind::List:
    case Value::Kind::Size:
        if (!listOk)
            break;
        [[fallthrough]];
    case Value::Kind::Tuple: {
        std::vector<PythonValue> items;
        for (const ValuePtr& item : in.toVector(v))
            items.push_back(argument(in, item, what, false));
        return PythonValue::tuple(std::move(items));
    }
    default: break;
    }
    unsupported(what + " given as " + typeShortName(*v));
}

void noDeviceDtype(const std::string& layer, const ValuePtr& device, const ValuePtr& dtype)
{
    if (device->kind != Value::Kind::None || dtype->kind != Value::Kind::None)
        unsupported("device= and dtype= arguments of nn." + layer);
}

std::unique_ptr<ModuleNode> linear(Interpreter& in, const Args& args)
{
    const std::vector<ValuePtr> a = bindArguments(
        {"Linear.__init__", {{"in_features", nullptr}, {"out_features", nullptr},
                             {"bias", boolean(true)}, {"device", none()}, {"dtype", none()}}},
        args);
    noDeviceDtype("Linear", a[3], a[4]);
    return makeLinear(argument(in, a[0], "Linear in_features", false),
                      argument(in, a[1], "Linear out_features", false), in.truthy(*a[2]));
}

std::unique_ptr<ModuleNode> conv2d(Interpreter& in, const Args& args)
{
    const std::vector<ValuePtr> a = bindArguments(
        {"Conv2d.__init__",
         {{"in_channels", nullptr}, {"out_channels", nullptr}, {"kernel_size", nullptr},
          {"stride", integer(1)}, {"padding", integer(0)}, {"dilation", integer(1)},
          {"groups", integer(1)}, {"bias", boolean(true)}, {"padding_mode", str("zeros")},
          {"device", none()}, {"dtype", none()}}},
        args);
    noDeviceDtype("Conv2d", a[9], a[10]);
    Conv2dArguments c;
    c.inChannels = argument(in, a[0], "Conv2d in_channels", false);
    c.outChannels = argument(in, a[1], "Conv2d out_channels", false);
    c.kernelSize = argument(in, a[2], "Conv2d kernel_size", true);
    c.stride = argument(in, a[3], "Conv2d stride", true);
    c.padding = argument(in, a[4], "Conv2d padding", true);
    c.dilation = argument(in, a[5], "Conv2d dilation", true);
    c.groups = argument(in, a[6], "Conv2d groups", false);
    c.bias = in.truthy(*a[7]);
    c.paddingMode = argument(in, a[8], "Conv2d padding_mode", false);
    return makeConv2d(c);
}

std::unique_ptr<ModuleNode> maxPool2d(Interpreter& in, const Args& args)
{
    const std::vector<ValuePtr> a = bindArguments(
        {"_MaxPoolNd.__init__",
         {{"kernel_size", nullptr}, {"stride", none()}, {"padding", integer(0)},
          {"dilation", integer(1)}, {"return_indices", boolean(false)},
          {"ceil_mode", boolean(false)}}},
        args);
    MaxPool2dArguments m;
    m.kernelSize = argument(in, a[0], "MaxPool2d kernel_size", false);
    m.stride = argument(in, a[1], "MaxPool2d stride", false);
    m.padding = argument(in, a[2], "MaxPool2d padding", false);
    m.dilation = argument(in, a[3], "MaxPool2d dilation", false);
    m.returnIndices = argument(in, a[4], "MaxPool2d return_indices", false);
    m.ceilMode = argument(in, a[5], "MaxPool2d ceil_mode", false);
    return makeMaxPool2d(m);
}

std::unique_ptr<ModuleNode> batchNorm2d(Interpreter& in, const Args& args)
{
    const std::vector<ValuePtr> a = bindArguments(
        {"_BatchNorm.__init__",
         {{"num_features", nullptr}, {"eps", floating(1e-5)}, {"momentum", floating(0.1)},
          {"affine", boolean(true)}, {"track_running_stats", boolean(true)},
          {"device", none()}, {"dtype", none()}}},
        args);
    noDeviceDtype("BatchNorm2d", a[5], a[6]);
    BatchNorm2dArguments b;
    b.numFeatures = argument(in, a[0], "BatchNorm2d num_features", false);
    b.eps = argument(in, a[1], "BatchNorm2d eps", false);
    b.momentum = argument(in, a[2], "BatchNorm2d momentum", false);
    b.affine = argument(in, a[3], "BatchNorm2d affine", false);
    b.trackRunningStats = argument(in, a[4], "BatchNorm2d track_running_stats", false);
    return makeBatchNorm2d(b);
}

}  // namespace

std::unique_ptr<ModuleNode> buildTorchLayer(Interpreter& in, const std::string& layer,
                                            const Args& args)
{
    if (layer == "Linear")
        return linear(in, args);
    if (layer == "Conv2d")
        return conv2d(in, args);
    if (layer == "ReLU") {
        const std::vector<ValuePtr> a =
            bindArguments({"ReLU.__init__", {{"inplace", boolean(false)}}}, args);
        return makeReLU(argument(in, a[0], "ReLU inplace", false));
    }
    if (layer == "MaxPool2d")
        return maxPool2d(in, args);
    if (layer == "Dropout") {
        const std::vector<ValuePtr> a = bindArguments(
            {"_DropoutNd.__init__", {{"p", floating(0.5)}, {"inplace", boolean(false)}}}, args);
        return makeDropout(argument(in, a[0], "Dropout p", false),
                           argument(in, a[1], "Dropout inplace", false));
    }
    if (layer == "BatchNorm2d")
        return batchNorm2d(in, args);
    if (layer == "Flatten") {
        const std::vector<ValuePtr> a = bindArguments(
            {"Flatten.__init__", {{"start_dim", integer(1)}, {"end_dim", integer(-1)}}}, args);
        return makeFlatten(argument(in, a[0], "Flatten start_dim", false),
                           argument(in, a[1], "Flatten end_dim", false));
    }
    return nullptr;
}

}  // namespace mx::stmt
