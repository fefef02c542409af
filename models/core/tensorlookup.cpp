#include "core/tensorlookup.h"

#include "core/listings.h"

namespace mx {

bool findNamedTensor(const ModuleNode& root, const std::string& name, NamedTensor* out)
{
    for (Listing listing : {Listing::StateDict, Listing::NamedBuffers}) {
        for (const ListingEntry& e : tensorListing(root, listing)) {
            if (e.name == name && !e.tensor.isNone()) {
                *out = {e.name, e.tensor, e.kind};
                return true;
            }
        }
    }
    // A plain attribute: walk the module path, then look among the module's tensor attributes.
    const ModuleNode* module = &root;
    std::string rest = name;
    for (size_t dot; (dot = rest.find('.')) != std::string::npos && module;) {
        module = module->findChild(rest.substr(0, dot));
        rest = rest.substr(dot + 1);
    }
    if (!module)
        return false;
    for (const TensorSlot& s : module->tensorAttributes()) {
        if (s.name == rest && !s.tensor.isNone()) {
            *out = {name, s.tensor, s.kind};
            return true;
        }
    }
    return false;
}

}  // namespace mx
