#pragma once

// Torch-free reading and writing of safetensors headers and sharded-index files, following the
// reference implementation (huggingface/safetensors, safetensors/src/tensor.rs):
//
//   [8 bytes: N, little-endian u64][N bytes: JSON header][data area]
//   header = {"__metadata__": {str: str}, "<name>": {"dtype": "F32", "shape": [..],
//             "data_offsets": [begin, end]}, ...}, offsets relative to the data area.
//
// Every function that reads bytes treats them as hostile and throws mx::files::FileFormatError
// (one line naming what was seen) instead of crashing, hanging or allocating by declared sizes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mx::files {

/** "__metadata__" (or an index's "metadata") as key/value pairs in the order of the file. */
using SafetensorsMetadata = std::vector<std::pair<std::string, std::string>>;

/** The element types of safetensors, in the reference's order of increasing alignment. */
enum class SafetensorsDtype {
    BOOL, F4, F6_E2M3, F6_E3M2, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, F8_E4M3FNUZ, F8_E5M2FNUZ,
    I16, U16, F16, BF16, I32, U32, F32, C64, F64, I64, U64,
};

/** "F32", "BF16", ... as written in headers. */
std::string_view safetensorsDtypeName(SafetensorsDtype dtype);
std::optional<SafetensorsDtype> safetensorsDtypeFromName(std::string_view name);
/** Bits per element: 4 for F4, 6 for F6_*, 8 to 64 for the others. */
unsigned safetensorsDtypeBits(SafetensorsDtype dtype);

/** One tensor entry of a header; begin/end are byte offsets relative to the data area. */
struct SafetensorsTensorInfo {
    std::string name;
    SafetensorsDtype dtype = SafetensorsDtype::F32;
    std::vector<uint64_t> shape;
    uint64_t begin = 0;
    uint64_t end = 0;
};

/** A parsed and validated safetensors header. */
struct SafetensorsHeader {
    uint64_t headerLength = 0;  // N: the JSON bytes, padding included
    SafetensorsMetadata metadata;  // "__metadata__" in file order; empty when absent or null
    std::vector<SafetensorsTensorInfo> tensors;   // in the order the header lists them

    /** Where the data area starts, counted from the start of the file. */
    uint64_t dataStart() const { return 8 + headerLength; }
};

constexpr uint64_t kSafetensorsMaxHeaderLength = 100'000'000;  // the reference's limit
constexpr size_t kSafetensorsMaxRank = 64;                       // our limit on shape lengths
constexpr uint64_t kSafetensorsMaxIndexLength = 100'000'000;     // our limit on index files

/**
 * Reads and checks the 8-byte length prefix: N <= 100 MB and 8 + N <= fileSize. Returns N;
 * a caller then needs the first 8 + N bytes of the file for parseSafetensorsHeader().
 */
uint64_t readSafetensorsHeaderLength(const unsigned char* first, size_t n, uint64_t fileSize);

/**
 * Parses the header from the first `n` bytes of a file of `fileSize` bytes (n >= 8 + N) and
 * makes every check of the reference reader: UTF-8 JSON object starting with '{' (trailing
 * spaces allowed), known dtypes, non-negative integer shapes and offsets, numel * bits / 8 ==
 * end - begin computed with overflow checks, offsets that tile the data area exactly (sorted by
 * offset: no overlap, no gap, nothing past the end, nothing left over). Unknown keys inside a
 * tensor entry are skipped, as the reference skips them. Beyond the reference it refuses
 * duplicate tensor names and duplicate keys (the reference keeps the last), a rank over
 * kSafetensorsMaxRank, JSON nested deeper than JsonCursor::kMaxDepth, and shapes whose non-zero
 * dimensions multiply past 2^63 - 1 (torch's sizes and strides are int64).
 */
SafetensorsHeader parseSafetensorsHeader(const unsigned char* bytes, size_t n, uint64_t fileSize);

/**
 * Cheap content sniff for format detection: plausible length prefix, and the JSON starts with
 * '{' followed by '"' or '}'. Needs only the first 10 bytes; never decides by extension.
 */
bool looksLikeSafetensors(const unsigned char* first, size_t n, uint64_t fileSize);

/**
 * Orders tensors as the reference writer does (dtype alignment descending, then name by bytes
 * ascending) and assigns contiguous offsets from 0; `shape` and `dtype` must already be set.
 * Throws FileFormatError when a size overflows or a sub-byte tensor does not end on a byte.
 */
void placeSafetensorsTensors(std::vector<SafetensorsTensorInfo>& tensors);

/**
 * The 8-byte length prefix plus the JSON header for `tensors` in the given order, laid out as the
 * reference's serde_json writes it ("__metadata__" first when not empty, its keys in the given
 * order; no whitespace) and padded with spaces to a multiple of 8 bytes. Throws
 * std::invalid_argument on a duplicate metadata key or a header over the 100 MB limit.
 */
std::string encodeSafetensorsHeader(const std::vector<SafetensorsTensorInfo>& tensors,
                                    const SafetensorsMetadata& metadata);

/** A parsed `model.safetensors.index.json`. */
struct SafetensorsIndex {
    /** "metadata": strings as they are, other values as their JSON text (e.g. total_size). */
    SafetensorsMetadata metadata;
    /** "weight_map" in the order written: tensor name -> shard file relative to the index. */
    std::vector<std::pair<std::string, std::string>> weightMap;
};

/**
 * Parses an index file's text. Refuses duplicate tensor names, non-string shard names, and shard
 * names that are empty, absolute, contain a ".." component, a backslash or a NUL byte.
 */
SafetensorsIndex parseSafetensorsIndex(std::string_view json);

/** Cheap sniff: a JSON object with a "weight_map" key within its first `n` bytes (pass >= 4 KiB). */
bool looksLikeSafetensorsIndex(const unsigned char* first, size_t n, uint64_t fileSize);

}  // namespace mx::files
