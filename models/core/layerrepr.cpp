// What a built layer's extra_repr and forward do with its current attributes, per class, as
// PyTorch 1.13's torch/nn/modules (conv.py, linear.py, batchnorm.py, pooling.py, dropout.py,
// activation.py, flatten.py) do: extra_repr reads self.<name> (AttributeError when deleted) or
// formats **self.__dict__ (KeyError), and forward is TorchScript text written from the values,
// raising the Python error the eager forward would raise, where it would raise it. Values the
// app cannot reproduce exactly are refused (NotImplementedError), never guessed.

#include "core/layers.h"

#include "core/formatting.h"
#include "core/pythonerror.h"

#include <map>

namespace mx {

namespace {

using Kind = PythonValue::Kind;

[[noreturn]] void unsupported(const std::string& what)
{
    throw PythonError("NotImplementedError",
                      what + " is not supported by Module Explorer's console");
}

/** `layer.name` as Python's lookup finds it: a plain value (None for a None parameter), or a
 *  tensor or module, which the layer code here never formats. */
struct Found {
    bool plain = false;  // value holds it
    PythonValue value;
};

Found lookup(const ModuleNode& layer, const std::string& name)
{
    const AttributeLookup found = layer.getAttr(name);  // AttributeError when absent
    Found out;
    switch (found.source) {
    case AttributeLookup::Source::Attribute:
        out.plain = !layer.plainAttributes()[found.index].isTensor;
        out.value = found.value;
        break;
    case AttributeLookup::Source::Parameter:
    case AttributeLookup::Source::Buffer: out.plain = found.tensor.isNone(); break;
    case AttributeLookup::Source::Module: out.plain = found.module == nullptr; break;
    case AttributeLookup::Source::ModuleMember: break;
    }
    return out;
}

/** `layer.name` when the code at hand needs a plain value; refused for a tensor or module. */
PythonValue plainValue(const ModuleNode& layer, const std::string& name)
{
    Found found = lookup(layer, name);
    if (!found.plain)
        unsupported(layer.typeName() + " code reading '" + name + "' when it holds a tensor or module");
    return std::move(found.value);
}

/** str(value) where the app knows it: None, bool, int, float, str and tuples of them. */
std::string pythonStr(const PythonValue& v, const std::string& what)
{
    if (v.kind() == Kind::Other && !v.isTuple())
        unsupported("formatting a " + v.typeName() + " as " + what);
    return v.str();
}

bool truthy(const PythonValue& v, const std::string& what)
{
    switch (v.kind()) {
    case Kind::None: return false;
    case Kind::Bool: return v.boolValue();
    case Kind::Int: return v.intValue() != 0;
    case Kind::Float: return v.floatValue() != 0.0;
    case Kind::Str: return !v.stringValue().empty();
    case Kind::Other:
        if (v.isTuple())
            return !v.items().empty();
        break;
    }
    unsupported("the truth value of a " + v.typeName() + " as " + what);
}

bool isNumber(const PythonValue& v)
{
    return v.kind() == Kind::Int || v.kind() == Kind::Float || v.kind() == Kind::Bool;
}

double number(const PythonValue& v)
{
    switch (v.kind()) {
    case Kind::Bool: return v.boolValue() ? 1.0 : 0.0;
    case Kind::Int: return static_cast<double>(v.intValue());
    default: return v.floatValue();
    }
}

/** Python's `v != k` for a number k. */
bool differsFrom(const PythonValue& v, double k) { return !isNumber(v) || number(v) != k; }

/** Python's `v != (k,) * len(v)`: TypeError for a value without len(). */
bool differsFromRepeated(const PythonValue& v, double k, const std::string& what)
{
    if (v.isTuple()) {
        for (const PythonValue& item : v.items())
            if (differsFrom(item, k))
                return true;
        return false;
    }
    if (v.kind() == Kind::Str)
        return true;  // a str never equals a tuple
    if (v.kind() == Kind::Other)
        unsupported("len() of a " + v.typeName() + " as " + what);
    throw PythonError("TypeError", "object of type '" + v.typeName() + "' has no len()");
}

/** template.format(**self.__dict__): each {name} from the instance dict (KeyError if absent). */
std::string formatFromDict(const ModuleNode& layer, const std::string& format)
{
    std::string out;
    size_t at = 0;
    while (at < format.size()) {
        const size_t open = format.find('{', at);
        if (open == std::string::npos) {
            out += format.substr(at);
            break;
        }
        const size_t close = format.find('}', open);
        out += format.substr(at, open - at);
        const std::string key = format.substr(open + 1, close - open - 1);
        const PlainAttribute* entry = nullptr;
        for (const PlainAttribute& a : layer.plainAttributes())
            if (a.name == key)
                entry = &a;
        if (!entry)
            throw PythonError("KeyError", key);
        if (entry->isTensor)
            unsupported("formatting a tensor in " + layer.typeName() + ".extra_repr()");
        out += pythonStr(entry->value, key);
        at = close + 1;
    }
    return out;
}

// ---- extra_repr -------------------------------------------------------------------------------

std::string conv2dExtraRepr(const ModuleNode& m)
{
    std::string s = "{in_channels}, {out_channels}, kernel_size={kernel_size}, stride={stride}";
    if (differsFromRepeated(plainValue(m, "padding"), 0, "Conv2d padding"))
        s += ", padding={padding}";
    if (differsFromRepeated(plainValue(m, "dilation"), 1, "Conv2d dilation"))
        s += ", dilation={dilation}";
    if (differsFromRepeated(plainValue(m, "output_padding"), 0, "Conv2d output_padding"))
        s += ", output_padding={output_padding}";
    if (differsFrom(plainValue(m, "groups"), 1))
        s += ", groups={groups}";
    const Found bias = lookup(m, "bias");
    if (bias.plain && bias.value.isNone())
        s += ", bias=False";
    const PythonValue mode = plainValue(m, "padding_mode");
    if (mode.kind() != Kind::Str || mode.stringValue() != "zeros")
        s += ", padding_mode={padding_mode}";
    return formatFromDict(m, s);
}

std::string linearExtraRepr(const ModuleNode& m)
{
    const PythonValue in = plainValue(m, "in_features");
    const PythonValue out = plainValue(m, "out_features");
    const Found bias = lookup(m, "bias");
    return "in_features=" + pythonStr(in, "in_features") + ", out_features=" +
           pythonStr(out, "out_features") +
           ", bias=" + pythonBool(!(bias.plain && bias.value.isNone()));
}

std::string reluExtraRepr(const ModuleNode& m)
{
    return truthy(plainValue(m, "inplace"), "ReLU inplace") ? "inplace=True" : "";
}

std::string dropoutExtraRepr(const ModuleNode& m)
{
    const PythonValue p = plainValue(m, "p");
    const PythonValue inplace = plainValue(m, "inplace");
    return "p=" + pythonStr(p, "p") + ", inplace=" + pythonStr(inplace, "inplace");
}

std::string maxPool2dExtraRepr(const ModuleNode& m)
{
    return formatFromDict(m, "kernel_size={kernel_size}, stride={stride}, padding={padding}"
                             ", dilation={dilation}, ceil_mode={ceil_mode}");
}

std::string batchNorm2dExtraRepr(const ModuleNode& m)
{
    return formatFromDict(m, "{num_features}, eps={eps}, momentum={momentum}, affine={affine}, "
                             "track_running_stats={track_running_stats}");
}

std::string flattenExtraRepr(const ModuleNode& m)
{
    const PythonValue start = plainValue(m, "start_dim");
    const PythonValue end = plainValue(m, "end_dim");
    return "start_dim=" + pythonStr(start, "start_dim") + ", end_dim=" + pythonStr(end, "end_dim");
}

// ---- forward ----------------------------------------------------------------------------------

const std::string kHead = "def forward(self, x):\n";
// A forward that may end in a raise declares its return type (TorchScript would infer None).
const std::string kTypedHead = "def forward(self, x: Tensor) -> Tensor:\n";

/** A forward that raises what Python's would (after `prefix`, the statements before it). */
std::string raising(const std::string& type, const std::string& message,
                    const std::string& prefix = {})
{
    return kTypedHead + prefix + "    raise " + type + "(" + pythonStringRepr(message) +
           ")\n    return x\n";
}

std::string raising(const PythonError& e, const std::string& prefix = {})
{
    return raising(e.type(), e.message(), prefix);
}

/** "stride=2.0 (a float)": how a refusal names the value it cannot run with. */
std::string described(const std::string& name, const PythonValue& v)
{
    return name + "=" + v.repr() + " (a " + v.typeName() + ")";
}

/** A tensor argument: self.<name>, or None; refused when it is a plain value. */
std::string tensorArgument(const ModuleNode& m, const std::string& name, bool noneAllowed)
{
    const Found found = lookup(m, name);
    if (!found.plain)
        return "self." + name;
    if (found.value.isNone() && noneAllowed)
        return "None";
    unsupported("running " + m.typeName() + " with " + described(name, found.value));
}

/** An int[] argument as TorchScript's list literal: an int n is [n, n] (int[2] expands it). */
std::string intList(const ModuleNode& m, const std::string& name, const PythonValue& v)
{
    if (v.kind() == Kind::Int)
        return bracketList({v.intValue(), v.intValue()});
    std::vector<int64_t> values;
    for (const PythonValue& item : v.items()) {
        if (item.kind() != Kind::Int)
            unsupported("running " + m.typeName() + " with " + described(name, v));
        values.push_back(item.intValue());
    }
    if (values.empty())
        unsupported("running " + m.typeName() + " with " + described(name, v));
    return bracketList(values);
}

int64_t intArgument(const ModuleNode& m, const std::string& name, const PythonValue& v)
{
    if (v.kind() != Kind::Int)
        unsupported("running " + m.typeName() + " with " + described(name, v));
    return v.intValue();
}

/** A layer's forward source, or the forward that raises what writing it found. */
template <typename Write>
std::string guarded(Write write)
{
    try {
        return write();
    } catch (const PythonError& e) {
        return raising(e);
    }
}

std::string conv2dForward(const ModuleNode& m)
{
    return guarded([&] {
        // Conv2d.forward: self._conv_forward(input, self.weight, self.bias)
        const std::string weight = tensorArgument(m, "weight", false);
        const std::string bias = tensorArgument(m, "bias", true);
        const PythonValue mode = plainValue(m, "padding_mode");
        if (mode.kind() != Kind::Str)
            unsupported("running Conv2d with " + described("padding_mode", mode));
        std::string input = "x";
        std::string paddingText = "[0, 0]";  // _pair(0) after F.pad
        if (mode.stringValue() != "zeros") {
            // F.pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
            const PythonValue pad = plainValue(m, "_reversed_padding_repeated_twice");
            std::vector<int64_t> amounts;
            for (const PythonValue& item : pad.items())
                amounts.push_back(intArgument(m, "_reversed_padding_repeated_twice", item));
            if (!pad.isTuple())
                unsupported("running Conv2d with " + described("_reversed_padding_repeated_twice", pad));
            const std::string& name = mode.stringValue();
            if (name != "constant" && name != "reflect" && name != "replicate" && name != "circular")
                return raising("NotImplementedError", "Unrecognised padding mode " + name);
            input = "torch.pad(x, " + bracketList(amounts) + ", " +
                    pythonStringRepr(mode.stringValue()) + ")";
        }
        const PythonValue stride = plainValue(m, "stride");
        if (mode.stringValue() == "zeros") {
            const PythonValue padding = plainValue(m, "padding");
            paddingText = padding.kind() == Kind::Str ? pythonStringRepr(padding.stringValue())
                                                      : intList(m, "padding", padding);
        }
        const PythonValue dilation = plainValue(m, "dilation");
        const PythonValue groups = plainValue(m, "groups");
        return kHead + "    return torch.conv2d(" + input + ", " + weight + ", " + bias + ", " +
               intList(m, "stride", stride) + ", " + paddingText + ", " +
               intList(m, "dilation", dilation) + ", " +
               std::to_string(intArgument(m, "groups", groups)) + ")\n";
    });
}

std::string linearForward(const ModuleNode& m)
{
    return guarded([&] {
        const std::string weight = tensorArgument(m, "weight", false);
        const std::string bias = tensorArgument(m, "bias", true);
        return kHead + "    return torch.linear(x, " + weight + ", " + bias + ")\n";
    });
}

std::string reluForward(const ModuleNode& m)
{
    return guarded([&] {
        const bool inplace = truthy(plainValue(m, "inplace"), "ReLU inplace");
        return kHead + "    return torch." + (inplace ? "relu_" : "relu") + "(x)\n";
    });
}

std::string dropoutForward(const ModuleNode& m)
{
    return guarded([&] {
        // F.dropout(input, self.p, self.training, self.inplace)
        const PythonValue p = plainValue(m, "p");
        const PythonValue inplace = plainValue(m, "inplace");
        if (!isNumber(p)) {
            if (p.kind() == Kind::Other && !p.isTuple())
                unsupported("running Dropout with " + described("p", p));
            return raising("TypeError", "'<' not supported between instances of '" +
                                            p.typeName() + "' and 'float'");
        }
        if (number(p) < 0 || number(p) > 1)
            return raising("ValueError",
                           "dropout probability has to be between 0 and 1, but got " + p.str());
        return kHead + "    return torch." +
               (truthy(inplace, "Dropout inplace") ? "dropout_" : "dropout") + "(x, " +
               pythonFloat(number(p)) + ", self.training)\n";
    });
}

std::string maxPool2dForward(const ModuleNode& m)
{
    return guarded([&] {
        // F.max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation,
        //              ceil_mode=self.ceil_mode, return_indices=self.return_indices)
        const PythonValue kernel = plainValue(m, "kernel_size");
        const PythonValue stride = plainValue(m, "stride");
        const PythonValue padding = plainValue(m, "padding");
        const PythonValue dilation = plainValue(m, "dilation");
        const PythonValue ceil = plainValue(m, "ceil_mode");
        const PythonValue indices = plainValue(m, "return_indices");
        if (truthy(indices, "MaxPool2d return_indices"))
            unsupported("running MaxPool2d with return_indices=True (its forward returns a tuple)");
        const std::string strideText = stride.isNone() ? "empty" : intList(m, "stride", stride);
        const std::string kernelText = intList(m, "kernel_size", kernel);
        const std::string paddingText = intList(m, "padding", padding);
        const std::string dilationText = intList(m, "dilation", dilation);
        if (ceil.kind() != Kind::Bool)
            return raising("TypeError",
                           "max_pool2d(): argument 'ceil_mode' (position 6) must be bool, not " +
                               ceil.typeName());
        return kHead + (stride.isNone() ? "    empty: List[int] = []\n" : "") +
               "    return torch.max_pool2d(x, " + kernelText + ", " + strideText +
               ", " + paddingText + ", " + dilationText + ", " + pythonBool(ceil.boolValue()) +
               ")\n";
    });
}

std::string flattenForward(const ModuleNode& m)
{
    return guarded([&] {
        const int64_t start = intArgument(m, "start_dim", plainValue(m, "start_dim"));
        const int64_t end = intArgument(m, "end_dim", plainValue(m, "end_dim"));
        return kHead + "    return torch.flatten(x, " + std::to_string(start) + ", " +
               std::to_string(end) + ")\n";
    });
}

/** batch_norm()'s float arguments: TypeError for a value its parser rejects. */
std::string batchNormFloat(const PythonValue& v, const std::string& name, int position,
                           std::string* typeError)
{
    if (v.kind() == Kind::Int || v.kind() == Kind::Float)
        return pythonFloat(number(v));
    if (v.kind() == Kind::Bool || (v.kind() == Kind::Other && !v.isTuple()))
        unsupported("running BatchNorm2d with " + described(name, v));
    if (typeError->empty())
        *typeError = "batch_norm(): argument '" + name + "' (position " +
                     std::to_string(position) + ") must be float, not " + v.typeName();
    return "0.0";
}

std::string batchNorm2dForward(const ModuleNode& m)
{
    // _BatchNorm.forward and F.batch_norm; the attributes it reads must be there (a deleted one
    // is refused, not raised where Python would raise it).
    const std::string check = "    if x.dim() != 4:\n"
                              "        raise ValueError('expected 4D input (got {}D input)'"
                              ".format(x.dim()))\n";
    try {
        const PythonValue momentum = plainValue(m, "momentum");
        const bool track = truthy(plainValue(m, "track_running_stats"),
                                  "BatchNorm2d track_running_stats");
        const std::string counter = tensorArgument(m, "num_batches_tracked", true);
        const std::string mean = tensorArgument(m, "running_mean", true);
        const std::string var = tensorArgument(m, "running_var", true);
        const std::string weight = tensorArgument(m, "weight", true);
        const std::string bias = tensorArgument(m, "bias", true);
        std::string typeError;
        const std::string factor =
            momentum.isNone() ? "0.0" : batchNormFloat(momentum, "momentum", 7, &typeError);
        const std::string eps = batchNormFloat(plainValue(m, "eps"), "eps", 8, &typeError);

        std::string body = check + "    factor = " + factor + "\n";
        if (track && counter != "None") {
            body += "    if self.training:\n"
                    "        self.num_batches_tracked.add_(1)\n";
            if (momentum.isNone())
                body += "        factor = 1.0 / float(self.num_batches_tracked)\n";
        }
        const bool noStats = mean == "None" && var == "None";
        body += "    bn_training = self.training or " + pythonBool(noStats) + "\n";
        std::string stats;
        if (track) {
            stats = mean + ", " + var;
        } else {  // the running stats only outside training
            body += "    mean: Optional[Tensor] = None\n"
                    "    var: Optional[Tensor] = None\n"
                    "    if not self.training:\n"
                    "        mean = " + mean + "\n"
                    "        var = " + var + "\n";
            stats = "mean, var";
        }
        body += "    if bn_training:\n"
                "        size_prods = x.size(0)\n"
                "        for i in range(x.dim() - 2):\n"
                "            size_prods *= x.size(i + 2)\n"
                "        if size_prods == 1:\n"
                "            raise ValueError('Expected more than 1 value per channel when "
                "training, got input size torch.Size({})'.format(x.size()))\n";
        if (!typeError.empty())
            return kTypedHead + body + "    raise TypeError(" + pythonStringRepr(typeError) +
                   ")\n    return x\n";
        return kHead + body + "    return torch.batch_norm(x, " + weight + ", " + bias + ", " +
               stats + ", bn_training, factor, " + eps + ", True)\n";
    } catch (const PythonError& e) {
        if (e.type() == "AttributeError")
            return raising("NotImplementedError",
                           "running a BatchNorm2d whose attribute was deleted is not supported "
                           "by Module Explorer's console",
                           check);
        return raising(e, check);
    }
}

const std::map<std::string, LayerClass>& layerClasses()
{
    static const std::map<std::string, LayerClass> classes{
        {"Conv2d", {conv2dExtraRepr, conv2dForward}},
        {"Linear", {linearExtraRepr, linearForward}},
        {"ReLU", {reluExtraRepr, reluForward}},
        {"Dropout", {dropoutExtraRepr, dropoutForward}},
        {"MaxPool2d", {maxPool2dExtraRepr, maxPool2dForward}},
        {"BatchNorm2d", {batchNorm2dExtraRepr, batchNorm2dForward}},
        {"Flatten", {flattenExtraRepr, flattenForward}},
    };
    return classes;
}

}  // namespace

const LayerClass* layerClass(const std::string& typeName)
{
    const auto it = layerClasses().find(typeName);
    return it == layerClasses().end() ? nullptr : &it->second;
}

}  // namespace mx
