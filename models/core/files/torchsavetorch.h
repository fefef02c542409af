#pragma once

// Internal to torchsave.cpp and torchsavewriter.cpp: dtypes between the pickle and ATen, and
// LibTorch's exceptions as FileFormatError.

#include "core/files/fileerror.h"
#include "core/files/pickle.h"

#include <c10/core/ScalarType.h>
#include <c10/util/Exception.h>

#include <new>
#include <optional>
#include <string>

namespace mx::files {

inline c10::ScalarType scalarTypeOf(StorageDtype dtype)
{
    switch (dtype) {
    case StorageDtype::Float64: return c10::kDouble;
    case StorageDtype::Float32: return c10::kFloat;
    case StorageDtype::Float16: return c10::kHalf;
    case StorageDtype::BFloat16: return c10::kBFloat16;
    case StorageDtype::Int64: return c10::kLong;
    case StorageDtype::Int32: return c10::kInt;
    case StorageDtype::Int16: return c10::kShort;
    case StorageDtype::Int8: return c10::kChar;
    case StorageDtype::UInt8: return c10::kByte;
    case StorageDtype::Bool: return c10::kBool;
    case StorageDtype::Complex64: return c10::kComplexFloat;
    case StorageDtype::Complex128: return c10::kComplexDouble;
    }
    return c10::kByte;
}

inline std::optional<StorageDtype> storageDtypeOf(c10::ScalarType type)
{
    for (int i = 0; i <= static_cast<int>(StorageDtype::Complex128); ++i)
        if (scalarTypeOf(static_cast<StorageDtype>(i)) == type)
            return static_cast<StorageDtype>(i);
    return std::nullopt;
}

/** The first line of a message (LibTorch's carry backtraces and context lines), without
 *  LibTorch's "(Could this error message be improved? ...)" plea. */
inline std::string firstLine(const char* text)
{
    std::string line(text ? text : "");
    line = line.substr(0, line.find('\n'));
    const size_t plea = line.find("  (Could this error message be improved?");
    return plea == std::string::npos ? line : line.substr(0, plea);
}

/** `message` with control characters (newlines from file names, ...) shown as '?'. */
inline std::string oneLine(std::string message)
{
    for (char& c : message)
        if ((c >= 0 && c < 0x20) || c == 0x7f)
            c = '?';
    return message;
}

/** Runs `call`, turning LibTorch's and the standard library's exceptions into FileFormatError
 *  "<context>: <first line of the message>". */
template <typename Call>
auto torchCall(const std::string& context, Call&& call) -> decltype(call())
{
    try {
        return call();
    } catch (const FileFormatError&) {
        throw;
    } catch (const OperationCancelled&) {
        throw;
    } catch (const c10::Error& e) {
        throw FileFormatError(context + ": " + firstLine(e.what_without_backtrace()));
    } catch (const std::bad_alloc&) {
        throw FileFormatError(context + ": out of memory");
    } catch (const std::exception& e) {
        throw FileFormatError(context + ": " + firstLine(e.what()));
    }
}

}  // namespace mx::files
