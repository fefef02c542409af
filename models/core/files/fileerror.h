#pragma once

// Errors shared by the readers and writers of models/core/files.

#include <stdexcept>
#include <string>

namespace mx::files {

/** A file (or bytes) that is not what its format says: one line naming what was seen and where. */
class FileFormatError : public std::runtime_error {
public:
    explicit FileFormatError(const std::string& message) : std::runtime_error(message) {}
};

/** A long read or write stopped because its progress callback asked it to. */
class OperationCancelled : public std::runtime_error {
public:
    OperationCancelled() : std::runtime_error("cancelled") {}
};

}  // namespace mx::files
