// The allow-list of globals a torch.save pickle may name, and what each one makes: nothing here
// runs code from a file. Learned from torch/serialization.py (_save's persistent_id, _load's
// persistent_load), torch/_utils.py (_rebuild_tensor_v2, _rebuild_parameter) and
// torch/_tensor.py (__reduce_ex__) of PyTorch 1.13.
#include "core/files/torchsaveglobals.h"

#include <algorithm>
#include <limits>

namespace mx::files {

// ---- StorageDtype -----------------------------------------------------------------------------

namespace {
struct DtypeInfo {
    StorageDtype dtype;
    std::string_view name;
    size_t size;
    std::string_view storageClass;
};
constexpr DtypeInfo kDtypes[] = {
    {StorageDtype::Float64, "float64", 8, "DoubleStorage"},
    {StorageDtype::Float32, "float32", 4, "FloatStorage"},
    {StorageDtype::Float16, "float16", 2, "HalfStorage"},
    {StorageDtype::BFloat16, "bfloat16", 2, "BFloat16Storage"},
    {StorageDtype::Int64, "int64", 8, "LongStorage"},
    {StorageDtype::Int32, "int32", 4, "IntStorage"},
    {StorageDtype::Int16, "int16", 2, "ShortStorage"},
    {StorageDtype::Int8, "int8", 1, "CharStorage"},
    {StorageDtype::UInt8, "uint8", 1, "ByteStorage"},
    {StorageDtype::Bool, "bool", 1, "BoolStorage"},
    {StorageDtype::Complex64, "complex64", 8, "ComplexFloatStorage"},
    {StorageDtype::Complex128, "complex128", 16, "ComplexDoubleStorage"},
};
const DtypeInfo& dtypeInfo(StorageDtype dtype) { return kDtypes[static_cast<size_t>(dtype)]; }
}  // namespace

std::string_view storageDtypeName(StorageDtype dtype) { return dtypeInfo(dtype).name; }
size_t storageDtypeSize(StorageDtype dtype) { return dtypeInfo(dtype).size; }
std::string_view storageClassName(StorageDtype dtype) { return dtypeInfo(dtype).storageClass; }

std::optional<StorageDtype> storageDtypeFromClass(std::string_view className)
{
    for (const DtypeInfo& info : kDtypes)
        if (info.storageClass == className)
            return info.dtype;
    return std::nullopt;
}

// ---- the allow-list ---------------------------------------------------------------------------

namespace {

/** What an allowed global is for. */
enum class Role : uint8_t {
    OrderedDict, RebuildTensorV2, RebuildTensor, RebuildParameter, RebuildParameterWithState,
    StorageClass, Device, Size, CodecsEncode, Bytes, Set, FrozenSet, Dtype,
    TypedList,  // torch.jit._pickle.build_intlist and the like: the list itself (scriptObjects)
};

/** One allowed global. */
struct AllowedGlobal {
    std::string_view module;
    std::string_view name;
    std::string_view qualified;
    Role role;
    StorageDtype dtype = StorageDtype::UInt8;  // StorageClass only
};

const AllowedGlobal kAllowed[] = {
    {"collections", "OrderedDict", "collections.OrderedDict", Role::OrderedDict},
    {"torch._utils", "_rebuild_tensor_v2", "torch._utils._rebuild_tensor_v2", Role::RebuildTensorV2},
    {"torch._utils", "_rebuild_tensor", "torch._utils._rebuild_tensor", Role::RebuildTensor},
    {"torch._utils", "_rebuild_parameter", "torch._utils._rebuild_parameter", Role::RebuildParameter},
    {"torch._utils", "_rebuild_parameter_with_state", "torch._utils._rebuild_parameter_with_state",
     Role::RebuildParameterWithState},
    {"torch", "DoubleStorage", "torch.DoubleStorage", Role::StorageClass, StorageDtype::Float64},
    {"torch", "FloatStorage", "torch.FloatStorage", Role::StorageClass, StorageDtype::Float32},
    {"torch", "HalfStorage", "torch.HalfStorage", Role::StorageClass, StorageDtype::Float16},
    {"torch", "BFloat16Storage", "torch.BFloat16Storage", Role::StorageClass, StorageDtype::BFloat16},
    {"torch", "LongStorage", "torch.LongStorage", Role::StorageClass, StorageDtype::Int64},
    {"torch", "IntStorage", "torch.IntStorage", Role::StorageClass, StorageDtype::Int32},
    {"torch", "ShortStorage", "torch.ShortStorage", Role::StorageClass, StorageDtype::Int16},
    {"torch", "CharStorage", "torch.CharStorage", Role::StorageClass, StorageDtype::Int8},
    {"torch", "ByteStorage", "torch.ByteStorage", Role::StorageClass, StorageDtype::UInt8},
    {"torch", "BoolStorage", "torch.BoolStorage", Role::StorageClass, StorageDtype::Bool},
    {"torch", "ComplexFloatStorage", "torch.ComplexFloatStorage", Role::StorageClass, StorageDtype::Complex64},
    {"torch", "ComplexDoubleStorage", "torch.ComplexDoubleStorage", Role::StorageClass, StorageDtype::Complex128},
    {"torch", "device", "torch.device", Role::Device},
    {"torch.jit._pickle", "build_intlist", "torch.jit._pickle.build_intlist", Role::TypedList},
    {"torch.jit._pickle", "build_doublelist", "torch.jit._pickle.build_doublelist", Role::TypedList},
    {"torch.jit._pickle", "build_boollist", "torch.jit._pickle.build_boollist", Role::TypedList},
    {"torch.jit._pickle", "build_tensorlist", "torch.jit._pickle.build_tensorlist", Role::TypedList},
    {"torch", "Size", "torch.Size", Role::Size},
    {"_codecs", "encode", "_codecs.encode", Role::CodecsEncode},
    {"builtins", "bytes", "builtins.bytes", Role::Bytes},
    {"__builtin__", "bytes", "builtins.bytes", Role::Bytes},
    {"builtins", "set", "builtins.set", Role::Set},
    {"__builtin__", "set", "builtins.set", Role::Set},
    {"builtins", "frozenset", "builtins.frozenset", Role::FrozenSet},
    {"__builtin__", "frozenset", "builtins.frozenset", Role::FrozenSet},
    {"torch", "float64", "torch.float64", Role::Dtype},
    {"torch", "float32", "torch.float32", Role::Dtype},
    {"torch", "float16", "torch.float16", Role::Dtype},
    {"torch", "bfloat16", "torch.bfloat16", Role::Dtype},
    {"torch", "int64", "torch.int64", Role::Dtype},
    {"torch", "int32", "torch.int32", Role::Dtype},
    {"torch", "int16", "torch.int16", Role::Dtype},
    {"torch", "int8", "torch.int8", Role::Dtype},
    {"torch", "uint8", "torch.uint8", Role::Dtype},
    {"torch", "bool", "torch.bool", Role::Dtype},
    {"torch", "complex32", "torch.complex32", Role::Dtype},
    {"torch", "complex64", "torch.complex64", Role::Dtype},
    {"torch", "complex128", "torch.complex128", Role::Dtype},
};
constexpr uint32_t kAllowedCount = sizeof kAllowed / sizeof kAllowed[0];

/** The items of a tuple argument list, copied (new nodes may move the document's tables). */
std::vector<PickleValue> arguments(PickleBuilder& builder, const AllowedGlobal& global, PickleValue args,
                                   size_t least, size_t most)
{
    if (!args.is(PickleKind::Tuple))
        builder.fail(std::string(global.qualified) + " called with " + aKind(args.kind()) +
                     " as its arguments, not a tuple");
    std::vector<PickleValue> items = builder.document().items(args);
    if (items.size() < least || items.size() > most)
        builder.fail(std::string(global.qualified) + " called with " + std::to_string(items.size()) +
                     " arguments (expects " + std::to_string(least) +
                     (most != least ? " to " + std::to_string(most) : std::string()) + ")");
    return items;
}

bool isUnhashable(PickleValue value)
{
    return value.is(PickleKind::List) || value.is(PickleKind::Dict) || value.is(PickleKind::Set);
}

/** A tuple (or list) of ints, e.g. a tensor's size or stride. */
std::vector<int64_t> intSequence(PickleBuilder& builder, PickleValue value, const char* what)
{
    if (!value.is(PickleKind::Tuple) && !value.is(PickleKind::List))
        builder.fail(std::string("a tensor ") + what + " that is " + aKind(value.kind()) + ", not a tuple of ints");
    const std::vector<PickleValue>& items = builder.document().items(value);
    if (items.size() > builder.limits().maxRank)
        builder.fail(std::string("a tensor ") + what + " of " + std::to_string(items.size()) +
                     " dimensions (Module Explorer reads at most " + std::to_string(builder.limits().maxRank) + ")");
    std::vector<int64_t> numbers;
    numbers.reserve(items.size());
    for (const PickleValue& item : items) {
        if (!item.is(PickleKind::Int) || item.asInt() < 0)
            builder.fail(std::string("a tensor ") + what + " with " +
                         (item.is(PickleKind::Int) ? "a negative number" : aKind(item.kind())) +
                         ", not a tuple of non-negative ints");
        numbers.push_back(item.asInt());
    }
    return numbers;
}

std::string joined(const std::vector<int64_t>& numbers)
{
    std::string text = "[";
    for (size_t i = 0; i < numbers.size(); ++i)
        text += (i ? ", " : "") + std::to_string(numbers[i]);
    return text + "]";
}

/** _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]) and
 *  _rebuild_tensor(storage, offset, size, stride): a view of the storage, bounds-checked. */
PickleValue rebuildTensor(PickleBuilder& builder, const std::vector<PickleValue>& a, bool withRequiresGrad)
{
    if (!a[0].is(PickleKind::Storage))
        builder.fail("a tensor rebuilt from " + aKind(a[0].kind()) + ", not a storage");
    if (!a[1].is(PickleKind::Int) || a[1].asInt() < 0)
        builder.fail("a tensor with a storage offset that is not a non-negative int");
    PickleTensor tensor;
    tensor.storage = a[0].index();
    tensor.storageOffset = a[1].asInt();
    tensor.sizes = intSequence(builder, a[2], "size");
    tensor.strides = intSequence(builder, a[3], "stride");
    if (tensor.sizes.size() != tensor.strides.size())
        builder.fail("a tensor with " + std::to_string(tensor.sizes.size()) + " sizes but " +
                     std::to_string(tensor.strides.size()) + " strides");
    if (withRequiresGrad) {
        if (!a[4].is(PickleKind::Bool))
            builder.fail("a tensor whose requires_grad is " + aKind(a[4].kind()) + ", not a bool");
        tensor.requiresGrad = a[4].asBool();
    }
    // Elements of the view (times their size, below 2^63 as torch needs), and elements of the
    // storage it reaches: offset + sum((size - 1) * stride) + 1.
    const PickleStorage& storage = builder.document().storages()[tensor.storage];
    bool empty = false;
    int64_t bytes = static_cast<int64_t>(storageDtypeSize(storage.dtype));
    bool tooLarge = false;
    for (int64_t size : tensor.sizes) {
        empty = empty || size == 0;
        tooLarge = tooLarge || __builtin_mul_overflow(bytes, size, &bytes);
    }
    if (tooLarge && !empty)
        builder.fail("a tensor of size " + joined(tensor.sizes) + ", more than 2^63 bytes");
    int64_t needed = tensor.storageOffset;
    bool overflow = false;
    if (!empty) {
        for (size_t d = 0; d < tensor.sizes.size(); ++d) {
            int64_t reach = 0;
            overflow = overflow || __builtin_mul_overflow(tensor.sizes[d] - 1, tensor.strides[d], &reach) ||
                       __builtin_add_overflow(needed, reach, &needed);
        }
        overflow = overflow || __builtin_add_overflow(needed, int64_t(1), &needed);
    }
    if (overflow || needed > storage.numel)
        builder.fail("a tensor (offset " + std::to_string(tensor.storageOffset) + ", size " + joined(tensor.sizes) +
                     ", stride " + joined(tensor.strides) + ") that needs " +
                     (overflow ? std::string("more than 2^63") : std::to_string(needed)) + " elements of storage '" +
                     storage.key + "', which holds " + std::to_string(storage.numel));
    return builder.newTensor(std::move(tensor));
}

/** A storage key must name a zip member data/<key>: torch.save writes "0", "1", ... */
bool isPlainKey(std::string_view key)
{
    if (key.empty() || key.size() > 64)
        return false;
    return std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.' ||
               c == '-';
    });
}

bool isDeviceText(std::string_view text)
{
    if (text.empty() || text.size() > 32)
        return false;
    const size_t colon = text.find(':');
    const std::string_view type = text.substr(0, colon);
    const bool typeOk = !type.empty() && std::all_of(type.begin(), type.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || c == '_';
    });
    if (colon == std::string_view::npos)
        return typeOk;
    const std::string_view index = text.substr(colon + 1);
    return typeOk && !index.empty() && index.size() <= 9 &&
           std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/** _codecs.encode(text, 'latin1'): how protocol 2 writes Python 3 bytes. */
PickleValue latin1Bytes(PickleBuilder& builder, std::string_view utf8)
{
    std::string bytes;
    bytes.reserve(utf8.size());
    for (size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c < 0x80) {
            bytes.push_back(static_cast<char>(c));
            ++i;
        } else if ((c & 0xE0) == 0xC0 && i + 1 < utf8.size() && c <= 0xC3) {
            bytes.push_back(static_cast<char>(((c & 0x1F) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3F)));
            i += 2;
        } else {
            builder.fail("_codecs.encode of a character past U+00FF to latin1");
        }
    }
    return builder.newText(PickleKind::Bytes, std::move(bytes));
}

PickleValue setOf(PickleBuilder& builder, PickleKind kind, const std::vector<PickleValue>& a)
{
    std::vector<PickleValue> items;
    if (!a.empty()) {
        const PickleValue source = a[0];
        if (!source.is(PickleKind::List) && !source.is(PickleKind::Tuple) && !source.is(PickleKind::Set) &&
            !source.is(PickleKind::FrozenSet))
            builder.fail(std::string(pickleKindName(kind)) + " of " + aKind(source.kind()) + ", not a list");
        items = builder.document().items(source);
        builder.charge(items.size());
        for (const PickleValue& item : items)
            if (isUnhashable(item))
                builder.fail(aKind(item.kind()) + " in a " + std::string(pickleKindName(kind)) + " (unhashable)");
    }
    return builder.newSequence(kind, std::move(items));
}

PickleValue orderedDictOf(PickleBuilder& builder, const std::vector<PickleValue>& a)
{
    const PickleValue dict = builder.newDict(true);
    if (a.empty())
        return dict;
    const PickleValue source = a[0];
    std::vector<std::pair<PickleValue, PickleValue>> pairs;
    if (source.is(PickleKind::Dict)) {
        pairs = builder.document().dict(source).entries;
    } else if (source.is(PickleKind::List) || source.is(PickleKind::Tuple)) {
        for (const PickleValue& pair : builder.document().items(source)) {
            if ((!pair.is(PickleKind::Tuple) && !pair.is(PickleKind::List)) ||
                builder.document().items(pair).size() != 2)
                builder.fail("OrderedDict of a list whose item is not a (key, value) pair");
            const auto& kv = builder.document().items(pair);
            pairs.emplace_back(kv[0], kv[1]);
        }
    } else {
        builder.fail("OrderedDict of " + aKind(source.kind()) + ", not a dict or a list of pairs");
    }
    builder.charge(2 * pairs.size());
    for (const auto& [key, value] : pairs)
        builder.addEntry(dict, key, value);
    return dict;
}

}  // namespace

std::string aKind(PickleKind kind)
{
    const std::string_view name = pickleKindName(kind);
    if (kind == PickleKind::None)
        return "None";
    return (name.find_first_of("aeiou") == 0 ? "an " : "a ") + std::string(name);
}

std::string excerpt(std::string_view text, size_t limit)
{
    std::string shown(text.substr(0, limit));
    for (char& c : shown)
        if (c < 0x20 || c > 0x7e)
            c = '?';
    return shown;
}

std::optional<uint32_t> findAllowedGlobal(std::string_view module, std::string_view name)
{
    for (uint32_t id = 0; id < kAllowedCount; ++id)
        if (kAllowed[id].module == module && kAllowed[id].name == name)
            return id;
    return std::nullopt;
}

std::string_view allowedGlobalName(uint32_t id)
{
    return id < kAllowedCount ? kAllowed[id].qualified : std::string_view("?");
}

PickleValue callGlobal(PickleBuilder& builder, uint32_t id, PickleValue args)
{
    const AllowedGlobal& global = kAllowed[id];
    switch (global.role) {
    case Role::OrderedDict:
        return orderedDictOf(builder, arguments(builder, global, args, 0, 1));
    case Role::TypedList: {
        if (!builder.limits().scriptObjects)
            builder.fail(std::string(global.qualified) + " in a torch.save file (only TorchScript archives use it)");
        const std::vector<PickleValue> a = arguments(builder, global, args, 1, 1);
        if (!a[0].is(PickleKind::List))
            builder.fail(std::string(global.qualified) + " of " + aKind(a[0].kind()) + ", not a list");
        return a[0];
    }
    case Role::RebuildTensorV2:
        return rebuildTensor(builder, arguments(builder, global, args, 6, 7), true);
    case Role::RebuildTensor:
        return rebuildTensor(builder, arguments(builder, global, args, 4, 4), false);
    case Role::RebuildParameter:
    case Role::RebuildParameterWithState: {
        const size_t count = global.role == Role::RebuildParameter ? 3 : 4;
        const std::vector<PickleValue> a = arguments(builder, global, args, count, count);
        if (!a[0].is(PickleKind::Tensor))
            builder.fail("a Parameter made of " + aKind(a[0].kind()) + ", not a tensor");
        if (!a[1].is(PickleKind::Bool))
            builder.fail("a Parameter whose requires_grad is " + aKind(a[1].kind()) + ", not a bool");
        PickleTensor parameter = builder.document().tensor(a[0]);
        parameter.isParameter = true;
        parameter.requiresGrad = a[1].asBool();
        return builder.newTensor(std::move(parameter));
    }
    case Role::Device: {
        const std::vector<PickleValue> a = arguments(builder, global, args, 1, 2);
        if (!a[0].is(PickleKind::Str) || !isDeviceText(builder.document().text(a[0])))
            builder.fail("torch.device of something other than a device name");
        std::string text(builder.document().text(a[0]));
        if (a.size() == 2) {
            if (!a[1].is(PickleKind::Int) || a[1].asInt() < 0 || a[1].asInt() > 1'000'000 ||
                text.find(':') != std::string::npos)
                builder.fail("torch.device with a bad index");
            text += ":" + std::to_string(a[1].asInt());
        }
        return builder.newText(PickleKind::Device, std::move(text));
    }
    case Role::Size: {
        const std::vector<PickleValue> a = arguments(builder, global, args, 0, 1);
        std::vector<PickleValue> items;
        if (!a.empty()) {
            intSequence(builder, a[0], "size");  // checks: a tuple of non-negative ints
            items = builder.document().items(a[0]);
        }
        return builder.newSequence(PickleKind::Tuple, std::move(items));
    }
    case Role::CodecsEncode: {
        const std::vector<PickleValue> a = arguments(builder, global, args, 2, 2);
        if (!a[0].is(PickleKind::Str) || !a[1].is(PickleKind::Str))
            builder.fail("_codecs.encode of something other than two strings");
        const std::string_view encoding = builder.document().text(a[1]);
        if (encoding != "latin1" && encoding != "latin-1")
            builder.fail("_codecs.encode to '" + excerpt(encoding) + "' (only latin1 is read)");
        return latin1Bytes(builder, builder.document().text(a[0]));
    }
    case Role::Bytes: {
        const std::vector<PickleValue> a = arguments(builder, global, args, 0, 1);
        if (a.empty())
            return builder.newText(PickleKind::Bytes, {});
        if (!a[0].is(PickleKind::Bytes))
            builder.fail("bytes of " + aKind(a[0].kind()) + " (only bytes() and bytes(b'...') are read)");
        return a[0];
    }
    case Role::Set:
        return setOf(builder, PickleKind::Set, arguments(builder, global, args, 0, 1));
    case Role::FrozenSet:
        return setOf(builder, PickleKind::FrozenSet, arguments(builder, global, args, 0, 1));
    case Role::StorageClass:
    case Role::Dtype:
        break;
    }
    builder.fail("a call of " + std::string(global.qualified) + ", which torch.save never writes");
}

PickleValue newObject(PickleBuilder& builder, uint32_t id, PickleValue args)
{
    const AllowedGlobal& global = kAllowed[id];
    if (!args.is(PickleKind::Tuple))
        builder.fail("NEWOBJ of " + std::string(global.qualified) + " with " + aKind(args.kind()) + ", not a tuple");
    switch (global.role) {
    case Role::OrderedDict:  // OrderedDict.__new__ and set.__new__ ignore their arguments
        return builder.newDict(true);
    case Role::Set:
        return builder.newSequence(PickleKind::Set, {});
    case Role::FrozenSet:
        return setOf(builder, PickleKind::FrozenSet, arguments(builder, global, args, 0, 1));
    default:
        builder.fail("NEWOBJ of " + std::string(global.qualified) + ", which torch.save never writes");
    }
}

PickleValue persistentLoad(PickleBuilder& builder, PickleValue pid)
{
    const PickleDocument& document = builder.document();
    if (!pid.is(PickleKind::Tuple))
        builder.fail("a persistent id that is " + aKind(pid.kind()) + ", not torch.save's ('storage', ...) tuple");
    const std::vector<PickleValue> a = document.items(pid);
    if (a.empty() || !a[0].is(PickleKind::Str) || document.text(a[0]) != "storage")
        builder.fail("a persistent id that is not torch.save's ('storage', ...) tuple");
    if (a.size() != 5)
        builder.fail("a storage persistent id of " + std::to_string(a.size()) +
                     " items (torch.save writes 5: 'storage', class, key, location, numel)");
    if (!a[1].is(PickleKind::Global) || kAllowed[a[1].index()].role != Role::StorageClass)
        builder.fail("a storage whose class is " +
                     (a[1].is(PickleKind::Global) ? std::string(allowedGlobalName(a[1].index())) : aKind(a[1].kind())) +
                     ", not a storage class");
    if (!a[2].is(PickleKind::Str) || !isPlainKey(document.text(a[2])))
        builder.fail("a storage key that is not a short plain name");
    if (!a[3].is(PickleKind::Str) || !isDeviceText(document.text(a[3])))
        builder.fail("a storage location that is not a device name");
    PickleStorage storage;
    storage.dtype = kAllowed[a[1].index()].dtype;
    storage.key = std::string(document.text(a[2]));
    storage.location = std::string(document.text(a[3]));
    int64_t bytes = 0;
    if (!a[4].is(PickleKind::Int) || a[4].asInt() < 0 ||
        __builtin_mul_overflow(a[4].asInt(), static_cast<int64_t>(storageDtypeSize(storage.dtype)), &bytes))
        builder.fail("storage '" + storage.key + "' with a size that is not a count of elements below 2^63 bytes");
    storage.numel = a[4].asInt();
    return builder.storageReference(std::move(storage));
}

}  // namespace mx::files
