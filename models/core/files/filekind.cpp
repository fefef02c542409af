#include "core/files/filekind.h"

#include "core/files/fileerror.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sys/stat.h>

namespace mx::files {

namespace {

constexpr size_t kSniffBytes = 1 << 20;  // an index's "weight_map" must show up in the first MiB

struct FileCloser {
    void operator()(FILE* f) const { std::fclose(f); }
};

bool startsWith(const std::string& bytes, const char* magic, size_t n)
{
    return bytes.size() >= n && std::memcmp(bytes.data(), magic, n) == 0;
}

bool looksLikeText(const std::string& bytes)
{
    const size_t n = std::min<size_t>(bytes.size(), 256);
    for (size_t i = 0; i < n; ++i) {
        const unsigned char c = static_cast<unsigned char>(bytes[i]);
        if (c < 9 || (c > 13 && c < 32 && c != 27))
            return false;
    }
    return true;
}

// One line describing bytes nobody recognised.
std::string describe(const std::string& bytes)
{
    if (looksLikeText(bytes)) {
        std::string text = bytes.substr(0, 40);
        std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
        return "it starts with text \"" + text + (bytes.size() > 40 ? "...\"" : "\"");
    }
    static const char* hex = "0123456789abcdef";
    std::string out = "it starts with the bytes";
    for (size_t i = 0; i < std::min<size_t>(bytes.size(), 8); ++i) {
        const unsigned char c = static_cast<unsigned char>(bytes[i]);
        out += ' ';
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

bool isSafetensors(const std::string& bytes, uint64_t size)
{
    if (bytes.size() < 9 || size < 9)
        return false;
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<size_t>(i)]);
    return n >= 2 && n <= size - 8 && bytes[8] == '{';
}

bool isIndex(const std::string& bytes)
{
    const size_t first = bytes.find_first_not_of(" \t\r\n");
    return first != std::string::npos && bytes[first] == '{' &&
           bytes.find("\"weight_map\"") != std::string::npos;
}

}  // namespace

const char* fileKindName(FileKind kind)
{
    switch (kind) {
    case FileKind::TorchScript: return "TorchScript archive";
    case FileKind::TorchSave: return "torch.save file";
    case FileKind::Safetensors: return "safetensors file";
    case FileKind::SafetensorsIndex: return "sharded safetensors index";
    }
    return "?";
}

SniffedFile sniffFile(const std::string& path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw FileFormatError(std::strerror(errno));
    if (S_ISDIR(st.st_mode))
        throw FileFormatError("it is a folder, not a file");
    std::unique_ptr<FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file)
        throw FileFormatError(std::strerror(errno));
    SniffedFile out{FileKind::TorchSave, static_cast<uint64_t>(st.st_size), {}, {}};
    std::string bytes(static_cast<size_t>(std::min<uint64_t>(out.size, kSniffBytes)), '\0');
    bytes.resize(std::fread(bytes.data(), 1, bytes.size(), file.get()));
    if (bytes.empty())
        throw FileFormatError("the file is empty");

    if (startsWith(bytes, "PK\x03\x04", 4) || startsWith(bytes, "PK\x05\x06", 4)) {
        FILE* f = file.get();
        const ReadAt read = [f](uint64_t offset, void* buffer, size_t n) {
            return std::fseek(f, static_cast<long>(offset), SEEK_SET) == 0 &&
                   std::fread(buffer, 1, n, f) == n;
        };
        out.zip = readZipDirectory(read, out.size);
        out.zipFolder = zipTopFolder(out.zip);
        const std::string prefix = out.zipFolder + "/";
        if (out.zipFolder.empty() || !findZipEntry(out.zip, prefix + "data.pkl"))
            throw FileFormatError("a zip archive, but not a PyTorch one (it has no <folder>/data.pkl)");
        const bool hasCode = std::any_of(out.zip.begin(), out.zip.end(), [&](const ZipEntry& e) {
            return e.name.compare(0, prefix.size() + 5, prefix + "code/") == 0;
        });
        out.kind = hasCode ? FileKind::TorchScript : FileKind::TorchSave;
        return out;
    }
    // torch.save's legacy format opens with a pickled magic number (LONG1 0x1950a86a20f9469cfc6c).
    if (startsWith(bytes, "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 14) ||
        (bytes.size() > 262 && bytes.compare(257, 5, "ustar") == 0))
        throw FileFormatError("PyTorch's legacy (pre-1.6) torch.save format, which Module Explorer "
                              "cannot read; load it in Python and torch.save it again");
    if (isSafetensors(bytes, out.size)) {
        out.kind = FileKind::Safetensors;
        return out;
    }
    if (isIndex(bytes)) {
        out.kind = FileKind::SafetensorsIndex;
        return out;
    }
    throw FileFormatError("not a TorchScript, torch.save or safetensors file: " + describe(bytes));
}

}  // namespace mx::files
