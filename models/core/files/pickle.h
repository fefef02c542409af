#pragma once

// Torch-free reader of the Python pickles inside torch.save files (protocol 2 as torch.save
// writes it, and the opcodes of protocols 0..4 that plain data needs). It never runs anything:
// a global outside a short allow-list (OrderedDict, torch's tensor rebuild functions, storage
// classes, torch.device, torch.Size, dtypes, bytes/set) is an error naming it. The result is a
// flat document of values; hostile bytes give FileFormatError (one line with the byte offset),
// never a crash, a hang, deep recursion or memory beyond PickleLimits.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mx::files {

/** The element types of torch.save storages, one per legacy storage class (FloatStorage, ...). */
enum class StorageDtype : uint8_t {
    Float64, Float32, Float16, BFloat16, Int64, Int32, Int16, Int8, UInt8, Bool, Complex64, Complex128,
};

/** PyTorch's name of a dtype: "float32", "bfloat16", "complex64", ... */
std::string_view storageDtypeName(StorageDtype dtype);
/** Bytes per element. */
size_t storageDtypeSize(StorageDtype dtype);
/** The storage class torch.save names for the dtype: "FloatStorage", "BFloat16Storage", ... */
std::string_view storageClassName(StorageDtype dtype);
/** The dtype of a storage class name ("FloatStorage"); nullopt for other names. */
std::optional<StorageDtype> storageDtypeFromClass(std::string_view className);

/** Limits that keep hostile pickles from exhausting memory or the stack. */
struct PickleLimits {
    /** Work units: each value pushed, memo entry and node costs about one unit per 16 bytes. */
    uint64_t maxUnits = 10'000'000;
    /** Containers nested in containers, counted from the root. */
    uint32_t maxDepth = 1000;
    /** Dimensions of a tensor. */
    uint32_t maxRank = 64;
    /** A TorchScript archive's data.pkl: module objects (GLOBAL '__torch__.<class>', NEWOBJ,
     *  BUILD with their attributes) become ScriptObject dicts, and torch.jit._pickle's typed
     *  list builders return their list. Still nothing runs. */
    bool scriptObjects = false;
};

/** What a PickleValue is. */
enum class PickleKind : uint8_t {
    None, Bool, Int, BigInt, Float, Str, Bytes, List, Tuple, Set, FrozenSet, Dict,
    Global,   // an allow-listed name that is a value itself, e.g. torch.float16
    Device,   // torch.device("cuda", 1), kept as its text "cuda:1"
    Storage,  // a persistent storage reference ('storage', FloatStorage, key, location, numel)
    Tensor,   // a tensor rebuilt from a storage (_rebuild_tensor_v2 / _rebuild_parameter)
    ScriptClass,  // scriptObjects only: a TorchScript class, "__torch__.torch.nn.modules.conv.Conv2d"
};

/** Python's name of a kind, for messages: "None", "int", "list", "tensor", ... */
std::string_view pickleKindName(PickleKind kind);

/** A handle to one value of a PickleDocument: scalars inline, other kinds an index into it. */
class PickleValue {
public:
    PickleValue() = default;  // None
    static PickleValue boolean(bool value);
    static PickleValue integer(int64_t value);
    static PickleValue real(double value);
    static PickleValue node(PickleKind kind, uint32_t index);

    PickleKind kind() const { return kind_; }
    bool is(PickleKind kind) const { return kind_ == kind; }
    bool asBool() const;      // Bool only
    int64_t asInt() const;    // Int, and Bool as 0/1
    double asFloat() const;   // Float only
    uint32_t index() const;   // the node kinds only

    bool sameAs(const PickleValue& other) const { return kind_ == other.kind_ && bits_ == other.bits_; }

private:
    PickleKind kind_ = PickleKind::None;
    uint64_t bits_ = 0;
};

/** A persistent storage reference: where the bytes of tensors are (zip member data/<key>). */
struct PickleStorage {
    std::string key;       // "0", "1", ...: the member data/<key>
    StorageDtype dtype = StorageDtype::UInt8;
    std::string location;  // "cpu", "cuda:0", ...
    int64_t numel = 0;     // elements of dtype the storage holds
};

/** A tensor descriptor: a strided view of a storage, bounds-checked against its numel. */
struct PickleTensor {
    uint32_t storage = 0;  // index into PickleDocument::storages()
    int64_t storageOffset = 0;
    std::vector<int64_t> sizes;
    std::vector<int64_t> strides;
    bool requiresGrad = false;
    bool isParameter = false;  // made by torch._utils._rebuild_parameter
};

/** One dict: entries in insertion order (duplicate keys merged as Python does). */
struct PickleDict {
    std::vector<std::pair<PickleValue, PickleValue>> entries;
    bool ordered = false;       // a collections.OrderedDict
    PickleValue attributes;     // None, or a Dict of attributes BUILD set (a state_dict's _metadata)
    /** A TorchScript object (scriptObjects): its class, and `attributes` holds its slots in
     *  order; entries is empty. "" for a plain dict. */
    std::string scriptClass;
};

/**
 * The object tree of one pickle. It owns every node in flat tables, so values may be shared
 * (the pickle's memo) and freeing it never recurses; the reader refuses reference cycles and
 * nesting past PickleLimits::maxDepth, so a walk from root() ends. A value reached twice is the
 * same Python object; walks that must not repeat work should remember visited indices.
 * Accessors given a value of another kind throw std::logic_error (a caller's mistake).
 */
class PickleDocument {
public:
    PickleValue root() const { return root_; }

    /** Str (UTF-8), Bytes, Global ("torch.float16"), Device ("cuda:1"), ScriptClass; BigInt:
     *  little-endian two's complement bytes. */
    std::string_view text(PickleValue value) const;
    /** Items of a List, Tuple, Set or FrozenSet. */
    const std::vector<PickleValue>& items(PickleValue value) const;
    const PickleDict& dict(PickleValue value) const;
    const PickleTensor& tensor(PickleValue value) const;
    const PickleStorage& storage(PickleValue value) const;

    /** The value of a Dict entry whose key is the string `key`; nullopt if there is none. */
    std::optional<PickleValue> get(PickleValue dict, std::string_view key) const;
    /** An attribute BUILD set on an OrderedDict (e.g. "_metadata"); nullopt if there is none. */
    std::optional<PickleValue> attribute(PickleValue dict, std::string_view name) const;
    /** A BigInt in decimal, e.g. "-1180591620717411303424"; other kinds: empty. */
    std::string bigIntDecimal(PickleValue value) const;

    /** Every tensor descriptor the pickle made, in the order it made them. */
    const std::vector<PickleTensor>& tensors() const { return tensors_; }
    /** Every storage it references, one per key, in first-reference order. */
    const std::vector<PickleStorage>& storages() const { return storages_; }

private:
    friend class PickleMachine;
    PickleValue root_;
    std::vector<std::string> texts_;
    std::vector<std::vector<PickleValue>> sequences_;
    std::vector<PickleDict> dicts_;
    std::vector<PickleTensor> tensors_;
    std::vector<PickleStorage> storages_;
};

/**
 * Reads one pickle. Accepts what Python's unpickler accepts for plain data and torch.save's
 * tensors; refuses code (any global not allow-listed), persistent ids other than torch.save's
 * storages, and anything past `limits`. Throws FileFormatError with one line:
 * "<problem> in the pickle at byte N" (N: the offset of the opcode that failed).
 */
PickleDocument parsePickle(std::string_view bytes, const PickleLimits& limits = {});

}  // namespace mx::files
