#pragma once

#include <cstddef>

namespace mx {
class ModuleNode;

/** Where an entry lives in the module tree: a module itself, or one slot of a module. */
struct EntryLocation {
    enum class Section { Module, Parameters, Buffers, Attributes };
    const ModuleNode* module = nullptr;
    Section section = Section::Module;
    size_t index = 0;  // slot index within the section (unused for Section::Module)

    bool operator==(const EntryLocation& o) const
    {
        return module == o.module && section == o.section &&
               (section == Section::Module || index == o.index);
    }
};

}  // namespace mx
