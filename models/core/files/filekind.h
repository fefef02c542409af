#pragma once
// Torch-free: tells what a file is from its bytes (never from its name).

#include "core/files/zipdirectory.h"

#include <string>
#include <vector>

namespace mx::files {

/** The kinds of file Module Explorer opens. */
enum class FileKind { TorchScript, TorchSave, Safetensors, SafetensorsIndex };

/** "TorchScript archive", "torch.save file", "safetensors file", "sharded safetensors index". */
const char* fileKindName(FileKind kind);

/** What sniffFile() saw: the kind, and for zip archives their directory. */
struct SniffedFile {
    FileKind kind;
    uint64_t size = 0;
    std::vector<ZipEntry> zip;  // TorchScript and torch.save
    std::string zipFolder;      // the archive's top folder
};

/**
 * Reads the file's first bytes (and a zip archive's directory) and tells its kind: a zip with
 * `<folder>/data.pkl` and `<folder>/code/` is TorchScript, one with data.pkl alone is torch.save;
 * 8 bytes of header length then '{' is safetensors; a JSON object with "weight_map" is a sharded
 * safetensors index. Anything else throws FileFormatError with one line naming what was seen
 * ("the file is empty", "PyTorch's legacy (pre-1.6) torch.save format, ...", "not a TorchScript,
 * torch.save or safetensors file: it starts with text "..."").
 */
SniffedFile sniffFile(const std::string& path);

}  // namespace mx::files
