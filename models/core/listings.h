#pragma once

#include "core/modulenode.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace mx {

/** One row of state_dict() / named_parameters() / named_buffers(), and where its tensor lives. */
struct ListingEntry {
    std::string name;
    TensorRef tensor;
    EntryKind kind;
    const ModuleNode* owner;  // the module whose slot holds the tensor
    size_t slotIndex;         // index into owner->parameters() or owner->buffers()
};

/** One row of named_modules(). */
struct NamedModule {
    std::string name;
    const ModuleNode* module;
};

/** The views PyTorch offers on a module's state, each in PyTorch's order. */
enum class Listing { StateDict, NamedParameters, NamedBuffers, Parameters, Buffers, NamedModules };

/** Python's method name for a listing: "state_dict", "named_parameters", ... */
const char* listingName(Listing listing);
/** Inverse of listingName; false when `name` is none of them. */
bool listingFromName(const std::string& name, Listing* out);

/** state_dict(): own parameters, own persistent buffers, then each child recursively; no de-duplication. */
std::vector<ListingEntry> stateDict(const ModuleNode& root, const std::string& prefix = {});
/** named_parameters(): like state_dict's order, skipping None and tensors already yielded. */
std::vector<ListingEntry> namedParameters(const ModuleNode& root, const std::string& prefix = {},
                                          bool recurse = true);
/** named_buffers(): persistent and non-persistent buffers, skipping None and duplicates. */
std::vector<ListingEntry> namedBuffers(const ModuleNode& root, const std::string& prefix = {},
                                       bool recurse = true);
/** For each module, the name named_modules() gives it (the first of its names, depth-first): a
 *  module shared under several names is "shared with" this name wherever else it appears. */
std::unordered_map<const ModuleNode*, std::string> firstModuleNames(const ModuleNode& root);
/** named_modules(): the module itself ("" or prefix) first, then children depth-first; a module
 *  met again is left out with its subtree unless removeDuplicate is false (remove_duplicate). */
std::vector<NamedModule> namedModules(const ModuleNode& root, const std::string& prefix = {},
                                      bool removeDuplicate = true);
/** The entries of a tensor listing (Parameters/Buffers give their named twin's entries). */
std::vector<ListingEntry> tensorListing(const ModuleNode& root, Listing listing);

}  // namespace mx
