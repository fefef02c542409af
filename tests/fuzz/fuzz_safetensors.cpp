// libFuzzer target: the torch-free safetensors parsers (models/core/files/safetensorsheader.h)
// must refuse any input with FileFormatError, never crash, hang or allocate by declared sizes.
// An accepted header must survive placing and re-encoding: what the writer makes of it parses
// back to the same names, dtypes and shapes.
#include "core/files/fileerror.h"
#include "core/files/safetensorsheader.h"

#include <cstdlib>
#include <string>

using namespace mx::files;

namespace {

void checkReencodes(const SafetensorsHeader& header)
{
    std::vector<SafetensorsTensorInfo> tensors = header.tensors;
    placeSafetensorsTensors(tensors);
    std::string file = encodeSafetensorsHeader(tensors, header.metadata);
    const uint64_t dataBytes = tensors.empty() ? 0 : tensors.back().end;
    if (dataBytes > (1u << 20))
        return;  // keep the copy small (fuzz inputs are a few KB, so is their data area)
    file.append(dataBytes, '\0');
    const SafetensorsHeader again = parseSafetensorsHeader(
        reinterpret_cast<const unsigned char*>(file.data()), file.size(), file.size());
    if (again.tensors.size() != tensors.size() || again.metadata != header.metadata)
        std::abort();
    for (size_t i = 0; i < tensors.size(); ++i) {
        const auto& a = again.tensors[i];
        const auto& b = tensors[i];
        if (a.name != b.name || a.dtype != b.dtype || a.shape != b.shape || a.begin != b.begin
            || a.end != b.end)
            std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    try {
        checkReencodes(parseSafetensorsHeader(data, size, size));
    } catch (const FileFormatError&) {
    }
    try {
        parseSafetensorsIndex(std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const FileFormatError&) {
    }
    looksLikeSafetensors(data, size, size);
    looksLikeSafetensorsIndex(data, size, size);
    return 0;
}
