#pragma once

#include <string>
#include <string_view>

namespace mx {

/**
 * Replaces the file at `path` with `contents` so that the file holds either its old bytes or all
 * of the new ones, never a part: the bytes go to a temporary file in the same directory, which
 * is flushed to disk (fsync), renamed over `path`, and the directory is synced. On any failure
 * (full disk, missing directory, a directory at `path`, ...) the temporary file is removed, the
 * old file is left as it was, and `error` gets one line: "cannot write 'PATH': REASON" (REASON
 * is strerror's text, e.g. "No space left on device").
 *
 * A symbolic link is followed: the file it points to is replaced and the link stays. A path that
 * exists and is neither a regular file nor a directory (a device such as /dev/stdout or
 * /dev/full, a FIFO with a reader) is written directly, every write checked, since renaming a
 * regular file over a device node would destroy the node; a FIFO without a reader is refused
 * rather than waited for. A new file gets mode 0666 less the umask, a replaced one keeps its mode.
 */
bool writeFileAtomically(const std::string& path, std::string_view contents, std::string* error);

}  // namespace mx
