#include "app/scriptfile.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mx {

namespace {

const char* fileTypeName(mode_t mode)
{
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISSOCK(mode))
        return "a socket";
    return "a special file";
}

int lineAt(std::string_view text, size_t offset)
{
    int line = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i)
        line += text[i] == '\n';
    return line;
}

// Reads up to limit + 1 bytes (one more than allowed, to notice a file over the limit).
bool readAtMost(int fd, std::int64_t limit, std::string* into)
{
    char chunk[65536];
    while (static_cast<std::int64_t>(into->size()) <= limit) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        if (n == 0)
            break;
        into->append(chunk, static_cast<size_t>(n));
    }
    return true;
}

}  // namespace

size_t invalidUtf8Offset(std::string_view text)
{
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t length;
        unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            if (c == 0xE0)
                low = 0xA0;   // no overlong forms
            if (c == 0xED)
                high = 0x9F;  // no surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            if (c == 0xF0)
                low = 0x90;
            if (c == 0xF4)
                high = 0x8F;  // nothing past U+10FFFF
        } else {
            return i;
        }
        if (i + length > n || s[i + 1] < low || s[i + 1] > high)
            return i;
        for (size_t k = 2; k < length; ++k)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return i;
        i += length;
    }
    return std::string_view::npos;
}

bool readScriptFile(const std::string& path, std::string* text, std::string* error)
{
    const std::string prefix = "cannot read script '" + path + "': ";
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the type check follows on the fd.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        *error = prefix + std::strerror(errno);
        return false;
    }
    struct stat st;
    std::string bytes;
    bool ok = false;
    if (::fstat(fd, &st) != 0) {
        *error = prefix + std::strerror(errno);
    } else if (S_ISDIR(st.st_mode)) {
        *error = prefix + std::strerror(EISDIR);
    } else if (!S_ISREG(st.st_mode)) {
        *error = prefix + "not a regular file (" + fileTypeName(st.st_mode) + ")";
    } else if (st.st_size > kMaxScriptBytes) {
        *error = prefix + "larger than the 16 MiB limit for scripts";
    } else if (!readAtMost(fd, kMaxScriptBytes, &bytes)) {
        *error = prefix + std::strerror(errno);
    } else if (static_cast<std::int64_t>(bytes.size()) > kMaxScriptBytes) {
        *error = prefix + "larger than the 16 MiB limit for scripts";  // it grew while read
    } else {
        ok = true;
    }
    ::close(fd);
    if (!ok)
        return false;
    if (const size_t bad = invalidUtf8Offset(bytes); bad != std::string::npos) {
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned char>(bytes[bad]));
        *error = prefix + "not UTF-8 text (byte " + byte + " on line " +
                 std::to_string(lineAt(bytes, bad)) + ")";
        return false;
    }
    if (const size_t nul = bytes.find('\0'); nul != std::string::npos) {
        *error = prefix + "source code cannot contain null bytes (line " +
                 std::to_string(lineAt(bytes, nul)) + ")";
        return false;
    }
    if (bytes.compare(0, 3, "\xEF\xBB\xBF") == 0)
        bytes.erase(0, 3);
    *text = std::move(bytes);
    return true;
}

bool isPythonScriptPath(const std::string& path)
{
    if (path.size() < 3)
        return false;
    std::string suffix = path.substr(path.size() - 3);
    for (char& c : suffix)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return suffix == ".py";
}

}  // namespace mx
