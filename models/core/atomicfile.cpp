#include "core/atomicfile.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mx {

namespace {

bool fail(const std::string& path, int errorNumber, std::string* error)
{
    if (error)
        *error = "cannot write '" + path + "': " + std::strerror(errorNumber);
    return false;
}

// Writes every byte (retrying short writes and EINTR); errno is set when it returns false.
bool writeAll(int fd, std::string_view contents)
{
    const char* data = contents.data();
    size_t left = contents.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, data, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        if (n == 0) {
            errno = EIO;
            return false;
        }
        data += n;
        left -= static_cast<size_t>(n);
    }
    return true;
}

std::string directoryOf(const std::string& path)
{
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// A symbolic link's final target (so the link survives); the path itself otherwise.
std::string resolveLink(const std::string& path)
{
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode))
        return path;
    std::unique_ptr<char, decltype(&std::free)> real(::realpath(path.c_str(), nullptr), &std::free);
    return real ? std::string(real.get()) : path;  // a dangling link is replaced by the file
}

// Devices and FIFOs: no temporary file can stand in for them, so write in place, checked.
bool writeInPlace(const std::string& shownPath, const std::string& target, std::string_view contents,
                  std::string* error)
{
    // O_NONBLOCK: a FIFO nobody reads fails with ENXIO instead of blocking forever.
    const int fd = ::open(target.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return fail(shownPath, errno, error);
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0)
        ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    const bool written = writeAll(fd, contents);
    const int writeErrno = errno;
    const bool closed = ::close(fd) == 0;
    if (!written)
        return fail(shownPath, writeErrno, error);
    if (!closed)
        return fail(shownPath, errno, error);
    return true;
}

// Creates a new, empty file next to `target`; its name on success.
int createTemporaryNextTo(const std::string& target, std::string* tempPath)
{
    static std::atomic<unsigned> counter{0};
    const std::string dir = directoryOf(target);
    std::string base = target.substr(target.rfind('/') == std::string::npos ? 0 : target.rfind('/') + 1);
    if (base.size() > 200)
        base.resize(200);  // keep the temporary name under NAME_MAX
    for (int attempt = 0; attempt < 100; ++attempt) {
        const auto tick = std::chrono::steady_clock::now().time_since_epoch().count();
        const unsigned long long salt = static_cast<unsigned long long>(tick) ^
                                        (static_cast<unsigned long long>(::getpid()) << 32) ^
                                        (counter.fetch_add(1) * 0x9e3779b97f4a7c15ull);
        char suffix[24];
        std::snprintf(suffix, sizeof suffix, "%016llx", salt);
        *tempPath = dir + "/." + base + "." + suffix + ".tmp";
        // 0666: the umask applies, as for any new file.
        const int fd = ::open(tempPath->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

void syncDirectory(const std::string& dir)
{
    // Best effort: the rename already happened, so a failure here cannot bring the old file back.
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

}  // namespace

bool writeFileAtomically(const std::string& path, std::string_view contents, std::string* error)
{
    if (path.empty())
        return fail(path, ENOENT, error);
    const std::string target = resolveLink(path);
    struct stat st;
    const bool exists = ::stat(target.c_str(), &st) == 0;
    if (!exists && errno != ENOENT)
        return fail(path, errno, error);  // e.g. ENOTDIR: a parent is a regular file
    if (exists && S_ISDIR(st.st_mode))
        return fail(path, EISDIR, error);
    if (exists && !S_ISREG(st.st_mode))
        return writeInPlace(path, target, contents, error);

    std::string tempPath;
    const int fd = createTemporaryNextTo(target, &tempPath);
    if (fd < 0)
        return fail(path, errno, error);
    auto abandon = [&](int errorNumber) {
        ::close(fd);
        ::unlink(tempPath.c_str());
        return fail(path, errorNumber, error);
    };
    if (exists && ::fchmod(fd, st.st_mode & 07777) != 0)
        return abandon(errno);
    if (!writeAll(fd, contents))
        return abandon(errno);
    if (::fsync(fd) != 0)
        return abandon(errno);
    if (::close(fd) != 0) {
        const int closeErrno = errno;
        ::unlink(tempPath.c_str());
        return fail(path, closeErrno, error);
    }
    if (::rename(tempPath.c_str(), target.c_str()) != 0) {
        const int renameErrno = errno;
        ::unlink(tempPath.c_str());
        return fail(path, renameErrno, error);
    }
    syncDirectory(directoryOf(target));
    return true;
}

}  // namespace mx
