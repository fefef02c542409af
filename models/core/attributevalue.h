#pragma once

#include "core/tensorref.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mx {

class ModuleNode;

/** A plain Python value: int, float, str, bool, None, or any other type by its name and repr. */
class PythonValue {
public:
    enum class Kind { None, Bool, Int, Float, Str, Other };

    PythonValue();  // None
    static PythonValue none() { return {}; }
    static PythonValue boolean(bool value);
    static PythonValue integer(int64_t value);
    static PythonValue floating(double value);
    static PythonValue string(std::string value);
    /** A tuple of plain values (kind Other, type "tuple"; its items() are kept): (3, 3). */
    static PythonValue tuple(std::vector<PythonValue> items);
    /** A value the app only shows, e.g. other("list", "[1, 2]"); has no jit counterpart. */
    static PythonValue other(std::string typeName, std::string repr);
    /** A value read from a file that the app only shows; `payload` keeps the original (an opaque
     *  handle the file's reader can put back: same payload, same value). */
    static PythonValue other(std::string typeName, std::string repr,
                             std::shared_ptr<const void> payload);
    const std::shared_ptr<const void>& payload() const { return payload_; }

    Kind kind() const { return kind_; }
    bool isNone() const { return kind_ == Kind::None; }
    /** type(value).__name__: "int", "float", "str", "bool", "NoneType", ... */
    const std::string& typeName() const { return typeName_; }
    /** repr(value): "5", "1e-05", "'hi'", "True", "None", ... */
    const std::string& repr() const { return repr_; }
    bool boolValue() const { return bool_; }
    int64_t intValue() const { return int_; }
    double floatValue() const { return float_; }
    const std::string& stringValue() const { return string_; }
    /** A tuple made by tuple(): its items; empty for every other value. */
    bool isTuple() const { return isTuple_; }
    const std::vector<PythonValue>& items() const { return items_; }
    /** str(value): the text of a str, else its repr (int, float, bool, None and tuples). */
    const std::string& str() const { return kind_ == Kind::Str ? string_ : repr_; }

private:
    Kind kind_ = Kind::None;
    std::string typeName_ = "NoneType";
    std::string repr_ = "None";
    bool bool_ = false;
    int64_t int_ = 0;
    double float_ = 0.0;
    std::string string_;
    bool isTuple_ = false;
    std::vector<PythonValue> items_;
    std::shared_ptr<const void> payload_;
};

/**
 * A value on the right of `module.name = value`, or the value argument of register_buffer,
 * register_parameter and add_module: None, a tensor (an nn.Parameter or a plain torch.Tensor),
 * a module (owned until a mutation takes it), or a plain Python value. Move-only.
 */
class AttributeValue {
public:
    enum class Kind { None, Tensor, Module, Plain };

    AttributeValue();  // None
    ~AttributeValue();
    AttributeValue(AttributeValue&&) noexcept;
    AttributeValue& operator=(AttributeValue&&) noexcept;

    static AttributeValue none() { return {}; }
    /** A torch.Tensor (None stays None). */
    static AttributeValue tensor(TensorRef tensor);
    /** An nn.Parameter wrapping `tensor` (None stays None). */
    static AttributeValue parameter(TensorRef tensor);
    /** A module instance (nullptr is None). */
    static AttributeValue module(std::unique_ptr<ModuleNode> module);
    /** A module that may already be held elsewhere (a shared submodule: `model.a = model.conv1`). */
    static AttributeValue module(std::shared_ptr<ModuleNode> module);
    /** A plain value; PythonValue::none() gives None. */
    static AttributeValue plain(PythonValue value);

    Kind kind() const { return kind_; }
    bool isNone() const { return kind_ == Kind::None; }
    bool isTensor() const { return kind_ == Kind::Tensor; }
    bool isParameter() const { return kind_ == Kind::Tensor && isParameter_; }
    bool isModule() const { return kind_ == Kind::Module; }
    bool isPlain() const { return kind_ == Kind::Plain; }
    /** A plain str: what Python accepts as an attribute name. */
    bool isString() const { return isPlain() && plain_.kind() == PythonValue::Kind::Str; }

    const TensorRef& tensor() const { return tensor_; }
    const ModuleNode* module() const { return module_.get(); }
    std::shared_ptr<ModuleNode> takeModule();
    const PythonValue& plain() const { return plain_; }

    /** torch.typename(value): "NoneType", "torch.FloatTensor", "int",
     *  "torch.nn.modules.linear.Linear". */
    std::string typeName() const;

private:
    Kind kind_ = Kind::None;
    bool isParameter_ = false;
    TensorRef tensor_;
    std::shared_ptr<ModuleNode> module_;
    PythonValue plain_;
};

/** torch.typename(tensor), i.e. tensor.type(): "torch.FloatTensor", "torch.cuda.LongTensor";
 *  "NoneType" for None. */
std::string tensorTypeName(const TensorRef& tensor);
/**
 * torch.typename(module) for a module of the app's type name: "torch.nn.modules.conv.Conv2d" for
 * the torch.nn layers the app builds, "__main__.Model" for a user class defined in a script.
 */
std::string moduleTypeName(const std::string& typeName);

}  // namespace mx
