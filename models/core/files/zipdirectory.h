#pragma once
// Torch-free: the central directory of a zip archive (the container of TorchScript and
// torch.save files), read with every size checked against the file before anything is trusted.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mx::files {

/** One member of a zip archive as its central directory describes it. */
struct ZipEntry {
    std::string name;
    uint16_t method = 0;            // 0 stored, 8 deflated
    uint64_t compressedSize = 0;
    uint64_t size = 0;              // uncompressed
    uint64_t localHeaderOffset = 0;
    uint32_t crc32 = 0;             // of the uncompressed bytes, as the directory records it
};

/** Reads `n` bytes at `offset` into `buffer`; returns false when the file has fewer. */
using ReadAt = std::function<bool(uint64_t offset, void* buffer, size_t n)>;

/**
 * The archive's members, in directory order. Throws FileFormatError with one line when the end
 * record or the directory is missing, truncated or inconsistent, when a member claims bytes past
 * the end of the file (or more than 1000 times its stored size, for compressed ones), or when
 * there are more than `maxEntries` members.
 */
std::vector<ZipEntry> readZipDirectory(const ReadAt& read, uint64_t fileSize,
                                       size_t maxEntries = 1000000);

/** The archive's top folder ("archive", "resnet18", ...): the part of the first member's name
 *  before its first '/'; "" when members have none. */
std::string zipTopFolder(const std::vector<ZipEntry>& entries);

/** The member called `name`, or nullptr. */
const ZipEntry* findZipEntry(const std::vector<ZipEntry>& entries, const std::string& name);

}  // namespace mx::files
