#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mx {

/** The largest file --script reads: 16 MiB (a console session, not a data file). */
constexpr std::int64_t kMaxScriptBytes = std::int64_t(16) << 20;

/**
 * Reads a --script file: a regular file (not a directory, device or FIFO; checked on the open
 * descriptor before reading, so /dev/zero or a FIFO neither blocks nor fills memory) of at most
 * kMaxScriptBytes of UTF-8 text without NUL bytes. A leading UTF-8 byte order mark is dropped,
 * as Python does. On failure returns false with one line in `error`:
 * "cannot read script 'PATH': REASON".
 */
bool readScriptFile(const std::string& path, std::string* text, std::string* error);

/** FILE names a Python script to run (module-explorer script.py, File → Open): it ends in
 *  ".py", in any case. */
bool isPythonScriptPath(const std::string& path);

/** Where `text` stops being UTF-8 (strict: no overlong forms, surrogates or code points past U+10FFFF); npos when it is valid. */
size_t invalidUtf8Offset(std::string_view text);

}  // namespace mx
