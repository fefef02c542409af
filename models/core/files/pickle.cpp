// Values and documents of the pickle reader; the reading itself is the machine in
// torchsaveunpickler.cpp and torchsaveopcodes.cpp.
#include "core/files/pickle.h"

#include "core/files/torchsaveglobals.h"
#include "core/files/torchsaveunpickler.h"

#include <cstring>
#include <stdexcept>

namespace mx::files {

std::string_view pickleKindName(PickleKind kind)
{
    switch (kind) {
    case PickleKind::None: return "None";
    case PickleKind::Bool: return "bool";
    case PickleKind::Int: return "int";
    case PickleKind::BigInt: return "int";
    case PickleKind::Float: return "float";
    case PickleKind::Str: return "str";
    case PickleKind::Bytes: return "bytes";
    case PickleKind::List: return "list";
    case PickleKind::Tuple: return "tuple";
    case PickleKind::Set: return "set";
    case PickleKind::FrozenSet: return "frozenset";
    case PickleKind::Dict: return "dict";
    case PickleKind::Global: return "global";
    case PickleKind::Device: return "torch.device";
    case PickleKind::Storage: return "storage";
    case PickleKind::Tensor: return "tensor";
    case PickleKind::ScriptClass: return "TorchScript class";
    }
    return "value";
}

// ---- PickleValue ------------------------------------------------------------------------------

PickleValue PickleValue::boolean(bool value)
{
    PickleValue v;
    v.kind_ = PickleKind::Bool;
    v.bits_ = value ? 1 : 0;
    return v;
}

PickleValue PickleValue::integer(int64_t value)
{
    PickleValue v;
    v.kind_ = PickleKind::Int;
    std::memcpy(&v.bits_, &value, sizeof value);
    return v;
}

PickleValue PickleValue::real(double value)
{
    PickleValue v;
    v.kind_ = PickleKind::Float;
    std::memcpy(&v.bits_, &value, sizeof value);
    return v;
}

PickleValue PickleValue::node(PickleKind kind, uint32_t index)
{
    PickleValue v;
    v.kind_ = kind;
    v.bits_ = index;
    return v;
}

bool PickleValue::asBool() const
{
    if (kind_ != PickleKind::Bool)
        throw std::logic_error("PickleValue::asBool on a " + std::string(pickleKindName(kind_)));
    return bits_ != 0;
}

int64_t PickleValue::asInt() const
{
    if (kind_ != PickleKind::Int && kind_ != PickleKind::Bool)
        throw std::logic_error("PickleValue::asInt on a " + std::string(pickleKindName(kind_)));
    int64_t value;
    std::memcpy(&value, &bits_, sizeof value);
    return value;
}

double PickleValue::asFloat() const
{
    if (kind_ != PickleKind::Float)
        throw std::logic_error("PickleValue::asFloat on a " + std::string(pickleKindName(kind_)));
    double value;
    std::memcpy(&value, &bits_, sizeof value);
    return value;
}

uint32_t PickleValue::index() const
{
    switch (kind_) {
    case PickleKind::None: case PickleKind::Bool: case PickleKind::Int: case PickleKind::Float:
        throw std::logic_error("PickleValue::index on a " + std::string(pickleKindName(kind_)));
    default:
        return static_cast<uint32_t>(bits_);
    }
}

// ---- PickleDocument ---------------------------------------------------------------------------

namespace {
[[noreturn]] void wrongKind(const char* what, PickleValue value)
{
    throw std::logic_error(std::string("PickleDocument::") + what + " on a " +
                           std::string(pickleKindName(value.kind())));
}
}  // namespace

std::string_view PickleDocument::text(PickleValue value) const
{
    switch (value.kind()) {
    case PickleKind::Str: case PickleKind::Bytes: case PickleKind::BigInt: case PickleKind::Device:
    case PickleKind::ScriptClass:
        return texts_.at(value.index());
    case PickleKind::Global:
        return allowedGlobalName(value.index());
    default:
        wrongKind("text", value);
    }
}

const std::vector<PickleValue>& PickleDocument::items(PickleValue value) const
{
    switch (value.kind()) {
    case PickleKind::List: case PickleKind::Tuple: case PickleKind::Set: case PickleKind::FrozenSet:
        return sequences_.at(value.index());
    default:
        wrongKind("items", value);
    }
}

const PickleDict& PickleDocument::dict(PickleValue value) const
{
    if (!value.is(PickleKind::Dict))
        wrongKind("dict", value);
    return dicts_.at(value.index());
}

const PickleTensor& PickleDocument::tensor(PickleValue value) const
{
    if (!value.is(PickleKind::Tensor))
        wrongKind("tensor", value);
    return tensors_.at(value.index());
}

const PickleStorage& PickleDocument::storage(PickleValue value) const
{
    if (!value.is(PickleKind::Storage))
        wrongKind("storage", value);
    return storages_.at(value.index());
}

std::optional<PickleValue> PickleDocument::get(PickleValue dictValue, std::string_view key) const
{
    for (const auto& [k, v] : dict(dictValue).entries)
        if (k.is(PickleKind::Str) && texts_[k.index()] == key)
            return v;
    return std::nullopt;
}

std::optional<PickleValue> PickleDocument::attribute(PickleValue dictValue, std::string_view name) const
{
    const PickleValue attributes = dict(dictValue).attributes;
    if (!attributes.is(PickleKind::Dict))
        return std::nullopt;
    return get(attributes, name);
}

std::string PickleDocument::bigIntDecimal(PickleValue value) const
{
    if (!value.is(PickleKind::BigInt))
        return {};
    const std::string_view le = texts_.at(value.index());
    std::vector<uint8_t> magnitude(le.begin(), le.end());  // little-endian
    const bool negative = !magnitude.empty() && (magnitude.back() & 0x80);
    if (negative) {  // two's complement negation
        unsigned carry = 1;
        for (uint8_t& byte : magnitude) {
            const unsigned sum = static_cast<uint8_t>(~byte) + carry;
            byte = static_cast<uint8_t>(sum);
            carry = sum >> 8;
        }
    }
    std::string digits;
    bool nonZero = true;
    while (nonZero) {
        unsigned remainder = 0;
        nonZero = false;
        for (size_t i = magnitude.size(); i-- > 0;) {
            const unsigned current = (remainder << 8) | magnitude[i];
            magnitude[i] = static_cast<uint8_t>(current / 10);
            remainder = current % 10;
            nonZero = nonZero || magnitude[i] != 0;
        }
        digits.push_back(static_cast<char>('0' + remainder));
    }
    if (negative)
        digits.push_back('-');
    return std::string(digits.rbegin(), digits.rend());
}

PickleDocument parsePickle(std::string_view bytes, const PickleLimits& limits)
{
    return PickleMachine(bytes, limits).run();
}

}  // namespace mx::files

