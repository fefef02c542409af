#include "core/files/zipdirectory.h"

#include "core/files/fileerror.h"

#include <algorithm>

namespace mx::files {

namespace {

constexpr uint32_t kEndSignature = 0x06054b50;
constexpr uint32_t kZip64EndSignature = 0x06064b50;
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr uint32_t kDirectorySignature = 0x02014b50;
constexpr size_t kEndSize = 22;
constexpr size_t kMaxComment = 0xffff;

uint64_t le(const unsigned char* p, int bytes)
{
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

[[noreturn]] void fail(const std::string& what)
{
    throw FileFormatError("not a readable zip archive: " + what);
}

struct DirectoryPlace {
    uint64_t entries = 0;
    uint64_t size = 0;
    uint64_t offset = 0;
};

DirectoryPlace findDirectory(const ReadAt& read, uint64_t fileSize)
{
    if (fileSize < kEndSize)
        fail("the file is shorter than a zip end record");
    const size_t tailSize = static_cast<size_t>(std::min<uint64_t>(fileSize, kEndSize + kMaxComment));
    std::vector<unsigned char> tail(tailSize);
    const uint64_t tailStart = fileSize - tailSize;
    if (!read(tailStart, tail.data(), tailSize))
        fail("cannot read the end of the file");
    for (size_t pos = tailSize - kEndSize + 1; pos-- > 0;) {
        const unsigned char* e = tail.data() + pos;
        if (le(e, 4) != kEndSignature)
            continue;
        DirectoryPlace place{le(e + 10, 2), le(e + 12, 4), le(e + 16, 4)};
        const uint64_t endOffset = tailStart + pos;
        if (place.entries == 0xffff || place.size == 0xffffffff || place.offset == 0xffffffff) {
            if (endOffset < 20)
                fail("zip64 locator missing");
            unsigned char locator[20];
            if (!read(endOffset - 20, locator, 20) || le(locator, 4) != kZip64LocatorSignature)
                fail("zip64 locator missing");
            const uint64_t recordOffset = le(locator + 8, 8);
            unsigned char record[56];
            if (recordOffset > fileSize || fileSize - recordOffset < 56 ||
                !read(recordOffset, record, 56) || le(record, 4) != kZip64EndSignature)
                fail("zip64 end record missing or outside the file");
            place = {le(record + 32, 8), le(record + 40, 8), le(record + 48, 8)};
        }
        if (place.offset > fileSize || place.size > fileSize - place.offset)
            fail("the central directory (" + std::to_string(place.size) + " bytes at " +
                 std::to_string(place.offset) + ") lies past the end of the " +
                 std::to_string(fileSize) + "-byte file");
        return place;
    }
    fail("no end-of-directory record (the file may be truncated)");
}

}  // namespace

std::vector<ZipEntry> readZipDirectory(const ReadAt& read, uint64_t fileSize, size_t maxEntries)
{
    const DirectoryPlace place = findDirectory(read, fileSize);
    if (place.entries > maxEntries)
        fail("the directory lists " + std::to_string(place.entries) + " members (at most " +
             std::to_string(maxEntries) + " are read)");
    // Each directory record takes at least 46 bytes, so the count is bounded by the size read.
    if (place.entries * 46 > place.size)
        fail("the directory is too small for its " + std::to_string(place.entries) + " members");
    std::vector<unsigned char> dir(static_cast<size_t>(place.size));
    if (!read(place.offset, dir.data(), dir.size()))
        fail("cannot read the central directory");
    std::vector<ZipEntry> entries;
    entries.reserve(static_cast<size_t>(place.entries));
    size_t pos = 0;
    for (uint64_t i = 0; i < place.entries; ++i) {
        if (dir.size() - pos < 46 || le(&dir[pos], 4) != kDirectorySignature)
            fail("directory record " + std::to_string(i) + " is damaged");
        const unsigned char* r = &dir[pos];
        ZipEntry e;
        e.method = static_cast<uint16_t>(le(r + 10, 2));
        e.crc32 = static_cast<uint32_t>(le(r + 16, 4));
        e.compressedSize = le(r + 20, 4);
        e.size = le(r + 24, 4);
        const size_t nameLength = le(r + 28, 2), extraLength = le(r + 30, 2),
                     commentLength = le(r + 32, 2);
        e.localHeaderOffset = le(r + 42, 4);
        if (dir.size() - pos - 46 < nameLength + extraLength + commentLength)
            fail("directory record " + std::to_string(i) + " is truncated");
        e.name.assign(reinterpret_cast<const char*>(r + 46), nameLength);
        // The zip64 extra field carries the sizes and offset that did not fit in 32 bits.
        const unsigned char* extra = r + 46 + nameLength;
        for (size_t x = 0; x + 4 <= extraLength;) {
            const uint64_t id = le(extra + x, 2), length = le(extra + x + 2, 2);
            if (x + 4 + length > extraLength)
                break;
            if (id == 1) {
                const unsigned char* f = extra + x + 4;
                size_t left = length;
                for (uint64_t* field : {&e.size, &e.compressedSize, &e.localHeaderOffset}) {
                    if (*field != 0xffffffff)
                        continue;
                    if (left < 8)
                        fail("member '" + e.name + "' has a short zip64 field");
                    *field = le(f, 8);
                    f += 8;
                    left -= 8;
                }
            }
            x += 4 + length;
        }
        pos += 46 + nameLength + extraLength + commentLength;
        if (e.localHeaderOffset > fileSize || e.compressedSize > fileSize - e.localHeaderOffset)
            fail("member '" + e.name + "' claims " + std::to_string(e.compressedSize) +
                 " bytes at offset " + std::to_string(e.localHeaderOffset) + ", past the end of the " +
                 std::to_string(fileSize) + "-byte file");
        if (e.method == 0 && e.size != e.compressedSize)
            fail("stored member '" + e.name + "' claims " + std::to_string(e.size) +
                 " bytes but holds " + std::to_string(e.compressedSize));
        if (e.method != 0 && e.size / 1000 > e.compressedSize)
            fail("compressed member '" + e.name + "' claims to expand to " +
                 std::to_string(e.size) + " bytes from " + std::to_string(e.compressedSize));
        entries.push_back(std::move(e));
    }
    return entries;
}

std::string zipTopFolder(const std::vector<ZipEntry>& entries)
{
    if (entries.empty())
        return {};
    const std::string& first = entries.front().name;
    const size_t slash = first.find('/');
    return slash == std::string::npos ? std::string() : first.substr(0, slash);
}

const ZipEntry* findZipEntry(const std::vector<ZipEntry>& entries, const std::string& name)
{
    for (const ZipEntry& e : entries)
        if (e.name == name)
            return &e;
    return nullptr;
}

}  // namespace mx::files
