#include "core/attributevalue.h"

#include "core/formatting.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"

#include <map>

namespace mx {

PythonValue::PythonValue() = default;

PythonValue PythonValue::boolean(bool value)
{
    PythonValue v;
    v.kind_ = Kind::Bool;
    v.typeName_ = "bool";
    v.repr_ = pythonBool(value);
    v.bool_ = value;
    return v;
}

PythonValue PythonValue::integer(int64_t value)
{
    PythonValue v;
    v.kind_ = Kind::Int;
    v.typeName_ = "int";
    v.repr_ = std::to_string(value);
    v.int_ = value;
    return v;
}

PythonValue PythonValue::floating(double value)
{
    PythonValue v;
    v.kind_ = Kind::Float;
    v.typeName_ = "float";
    v.repr_ = pythonFloat(value);
    v.float_ = value;
    return v;
}

PythonValue PythonValue::string(std::string value)
{
    PythonValue v;
    v.kind_ = Kind::Str;
    v.typeName_ = "str";
    v.repr_ = pythonStringRepr(value);
    v.string_ = std::move(value);
    return v;
}

PythonValue PythonValue::tuple(std::vector<PythonValue> items)
{
    std::string repr = "(";
    for (size_t i = 0; i < items.size(); ++i)
        repr += (i ? ", " : "") + items[i].repr();
    repr += items.size() == 1 ? ",)" : ")";
    PythonValue v = other("tuple", std::move(repr));
    v.isTuple_ = true;
    v.items_ = std::move(items);
    return v;
}

PythonValue PythonValue::other(std::string typeName, std::string repr)
{
    PythonValue v;
    v.kind_ = Kind::Other;
    v.typeName_ = std::move(typeName);
    v.repr_ = std::move(repr);
    return v;
}

PythonValue PythonValue::other(std::string typeName, std::string repr,
                               std::shared_ptr<const void> payload)
{
    PythonValue v = other(std::move(typeName), std::move(repr));
    v.payload_ = std::move(payload);
    return v;
}

AttributeValue::AttributeValue() = default;
AttributeValue::~AttributeValue() = default;
AttributeValue::AttributeValue(AttributeValue&&) noexcept = default;
AttributeValue& AttributeValue::operator=(AttributeValue&&) noexcept = default;

AttributeValue AttributeValue::tensor(TensorRef tensor)
{
    AttributeValue v;
    if (!tensor.isNone()) {
        v.kind_ = Kind::Tensor;
        v.tensor_ = std::move(tensor);
    }
    return v;
}

AttributeValue AttributeValue::parameter(TensorRef tensor)
{
    AttributeValue v = AttributeValue::tensor(std::move(tensor));
    v.isParameter_ = v.isTensor();
    return v;
}

AttributeValue AttributeValue::module(std::unique_ptr<ModuleNode> module)
{
    return AttributeValue::module(std::shared_ptr<ModuleNode>(std::move(module)));
}

AttributeValue AttributeValue::module(std::shared_ptr<ModuleNode> module)
{
    AttributeValue v;
    if (module) {
        v.kind_ = Kind::Module;
        v.module_ = std::move(module);
    }
    return v;
}

AttributeValue AttributeValue::plain(PythonValue value)
{
    AttributeValue v;
    if (!value.isNone()) {
        v.kind_ = Kind::Plain;
        v.plain_ = std::move(value);
    }
    return v;
}

std::shared_ptr<ModuleNode> AttributeValue::takeModule()
{
    if (kind_ == Kind::Module)
        kind_ = Kind::None;
    return std::move(module_);
}

std::string AttributeValue::typeName() const
{
    switch (kind_) {
    case Kind::None: return "NoneType";
    case Kind::Tensor: return tensorTypeName(tensor_);  // an nn.Parameter's type() is its data's
    case Kind::Module: return moduleTypeName(module_->pythonClassName());
    case Kind::Plain: return plain_.typeName();
    }
    return {};
}

std::string tensorTypeName(const TensorRef& tensor)
{
    if (tensor.isNone())
        return "NoneType";
    static const std::map<std::string, std::string> names{
        {"float32", "Float"}, {"float64", "Double"}, {"float16", "Half"},
        {"bfloat16", "BFloat16"}, {"int64", "Long"}, {"int32", "Int"},
        {"int16", "Short"}, {"int8", "Char"}, {"uint8", "Byte"},
        {"bool", "Bool"}, {"complex64", "ComplexFloat"}, {"complex128", "ComplexDouble"}};
    const std::string dtype = tensor.dtypeName();
    const auto it = names.find(dtype);
    const std::string scalar = it == names.end() ? dtype : it->second;
    const bool cuda = tensor.deviceName().rfind("cuda", 0) == 0;
    return std::string(cuda ? "torch.cuda." : "torch.") + scalar + "Tensor";
}

std::string moduleTypeName(const std::string& typeName)
{
    // The module (file) each torch.nn class the app builds lives in, as its __module__ says.
    static const std::map<std::string, std::string> modules{
        {"Module", "module"},        {"Sequential", "container"}, {"Conv2d", "conv"},
        {"Linear", "linear"},        {"ReLU", "activation"},      {"MaxPool2d", "pooling"},
        {"Dropout", "dropout"},      {"BatchNorm2d", "batchnorm"}, {"Flatten", "flatten"},
        {"ModuleList", "container"}, {"ModuleDict", "container"}};
    if (typeName == "RecursiveScriptModule")  // a module loaded from a TorchScript file
        return "torch.jit._script.RecursiveScriptModule";
    const auto it = modules.find(typeName);
    if (it == modules.end())
        return "__main__." + typeName;
    return "torch.nn.modules." + it->second + "." + typeName;
}

}  // namespace mx
