#pragma once

// Safetensors files as torch tensors (private to models/core: includes torch headers).
//
// Reading maps the whole file (mmap MAP_PRIVATE, PROT_READ|PROT_WRITE) and makes each tensor with
// torch::from_blob over the mapping; the tensors' deleters keep the mapping alive. Nothing is
// read until a tensor's values are used, so a 10 GB file opens at once with little resident
// memory, and in-place edits of a tensor are copy-on-write: they never reach the file. If
// another program truncates the file while it is mapped, touching the lost pages raises SIGBUS
// (as with any mmap reader, the reference's included); writeSafetensors() itself never
// rewrites a file in place. Tensors whose data does not start on a multiple of their element
// size (never written by the reference, which aligns) are copied at open. BOOL bytes other than
// 0 and 1 are passed through unchecked.
//
// Dtypes LibTorch 1.13 lacks (decision): such tensors are exposed, never refused, with their
// bits unchanged and `standIn` saying so, so FP8 and unsigned checkpoints open and re-save
// byte-identically:
//   F8_E5M2, F8_E4M3, F8_E8M0, F8_E4M3FNUZ, F8_E5M2FNUZ -> uint8, same shape (SameWidthBits)
//   U16, U32, U64                                        -> int16/int32/int64, same shape
//                                                           (SameWidthBits: values >= 2^(w-1)
//                                                           read negative)
//   F4, F6_E2M3, F6_E3M2 (sub-byte, packed)              -> 1-D uint8 of the packed bytes
//                                                           (RawBytes; fileShape keeps the shape)
// C64 is complex64 and exact; every other dtype maps to its torch type exactly.

#include "core/files/safetensorsheader.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mx::files {

/** How a tensor's torch dtype relates to the dtype it has in the file. */
enum class SafetensorsStandIn {
    None,           // the torch dtype is the file's dtype
    SameWidthBits,  // a torch dtype of the same width holds the bits (FP8 as uint8, U32 as int32)
    RawBytes,       // 1-D uint8 of the packed bytes (F4, F6)
};

/** One named tensor of a safetensors file, as read or as to be written. */
struct SafetensorsTensor {
    std::string name;
    at::Tensor tensor;
    /** The dtype in the file ("F32", "F8_E4M3", ...); may be empty when writing (taken from tensor). */
    std::string fileDtype;
    /** The shape in the file; equals tensor's shape unless standIn is RawBytes. */
    std::vector<int64_t> fileShape;
    SafetensorsStandIn standIn = SafetensorsStandIn::None;
};

/** What a safetensors file or sharded index holds, in the order a user expects. */
struct SafetensorsContent {
    /** A single file: the order of its header; an index: the order of its weight_map. */
    std::vector<SafetensorsTensor> tensors;
    /** A single file: "__metadata__"; an index: its "metadata" (e.g. total_size); file order. */
    SafetensorsMetadata metadata;
};

/** Opens and maps one .safetensors file; throws FileFormatError (or std::runtime_error for I/O). */
SafetensorsContent openSafetensors(const std::string& path);

/**
 * Opens a sharded checkpoint from its model.safetensors.index.json: each shard named in
 * weight_map (relative to the index's directory; absolute paths and ".." components refused,
 * checked on the name: a symbolic link inside the directory is followed) is opened
 * and mapped once. Refuses a missing shard, a tensor listed but absent from its shard, and a
 * tensor present in a shard but not listed for that shard. Errors name the shard and tensor.
 */
SafetensorsContent openSafetensorsIndex(const std::string& indexPath);

/**
 * Serializes as the reference writer does: tensors ordered by dtype alignment descending then
 * name, offsets contiguous, header padded with spaces to a multiple of 8, "__metadata__" first
 * when not empty. Tensors are written C-contiguous from the CPU; an entry with a stand-in is
 * written as its fileDtype and fileShape, so a file read here re-saves byte-identically.
 * Refuses (std::invalid_argument, naming them) tensors whose memory overlaps, as the reference's
 * torch save_file does: they would load back as independent copies. Also refuses duplicate
 * names, torch dtypes safetensors lacks (e.g. complex128, quantized) and sparse tensors.
 */
std::string serializeSafetensors(const std::vector<SafetensorsTensor>& tensors,
                                 const SafetensorsMetadata& metadata = {});

/**
 * Writes the same bytes as serializeSafetensors() to `path` one tensor at a time, through a
 * temporary file in the same directory renamed over `path`, so a file that is still mapped by a
 * reader keeps its old bytes. Throws std::runtime_error on I/O failure (the old file is kept).
 */
void writeSafetensors(const std::string& path, const std::vector<SafetensorsTensor>& tensors,
                      const SafetensorsMetadata& metadata = {});

/** The torch dtype that holds a safetensors dtype here, and how exactly. */
struct TorchDtypeChoice {
    c10::ScalarType type;
    SafetensorsStandIn standIn;
};
TorchDtypeChoice torchDtypeFor(SafetensorsDtype dtype);
/** The safetensors dtype of a torch dtype, or nullopt (complex128, quantized, ...). */
std::optional<SafetensorsDtype> safetensorsDtypeFor(c10::ScalarType type);

/** Convenience for writers: entries with only name and tensor set. */
std::vector<SafetensorsTensor> safetensorsEntries(
    const std::vector<std::pair<std::string, at::Tensor>>& namedTensors);

}  // namespace mx::files
