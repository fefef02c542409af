#pragma once

#include "core/modulenode.h"

#include <string>

namespace mx {

/** A tensor found by the name a user types (--stats NAME, --plot NAME). */
struct NamedTensor {
    std::string name;
    TensorRef tensor;
    EntryKind kind = EntryKind::Parameter;
};

/**
 * Finds `name` as a state_dict key ("conv1.0.weight"), a named_buffers name (non-persistent
 * buffers too) or a plain tensor attribute's dotted path ("attribute_buffer_in",
 * "block.scale"), in that order. False when none matches or the entry is None.
 */
bool findNamedTensor(const ModuleNode& root, const std::string& name, NamedTensor* out);

}  // namespace mx
