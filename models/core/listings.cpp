#include "core/listings.h"

#include "core/formatting.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace mx {

namespace {

void collectStateDict(const ModuleNode& module, const std::string& prefix,
                      std::vector<ListingEntry>& out)
{
    const auto& params = module.parameters();
    for (size_t i = 0; i < params.size(); ++i)
        if (!params[i].tensor.isNone())
            out.push_back({prefix + params[i].name, params[i].tensor, params[i].kind, &module, i});
    const auto& bufs = module.buffers();
    for (size_t i = 0; i < bufs.size(); ++i)
        if (!bufs[i].tensor.isNone() && bufs[i].kind == EntryKind::Buffer)
            out.push_back({prefix + bufs[i].name, bufs[i].tensor, bufs[i].kind, &module, i});
    for (size_t c = 0; c < module.childCount(); ++c)
        collectStateDict(module.child(c), prefix + module.childName(c) + ".", out);
}

// Module.named_modules(memo, prefix, remove_duplicate=True): a module met again is skipped with
// its whole subtree, so the first name wins. A scripted module is never skipped: Python wraps the
// module object anew under each name (torch.jit._recursive.wrap_cpp_module), so the memo, which
// holds the wrappers, never matches.
// With remove_duplicate=False every module is listed under every name (the visits of state_dict).
// `scriptedToo` puts scripted modules in the memo as well: each module once, whatever Python's
// wrappers do.
void collectModules(const ModuleNode& module, const std::string& prefix,
                    std::vector<NamedModule>& out, std::unordered_set<const ModuleNode*>* memo,
                    bool scriptedToo = false)
{
    if (memo && (scriptedToo || !module.isScripted()) && !memo->insert(&module).second)
        return;
    out.push_back({prefix, &module});
    for (size_t c = 0; c < module.childCount(); ++c)
        collectModules(module.child(c), dottedName(prefix, module.childName(c)), out, memo,
                       scriptedToo);
}

// Module._named_members in PyTorch 1.13: walk named_modules, skip None and repeated tensors.
template <typename SlotsOf>
std::vector<ListingEntry> namedMembers(const ModuleNode& root, const std::string& prefix,
                                       bool recurse, SlotsOf slotsOf)
{
    std::vector<NamedModule> modules;
    if (recurse)
        modules = namedModules(root, prefix);
    else
        modules.push_back({prefix, &root});
    std::unordered_set<const void*> seen;
    std::vector<ListingEntry> out;
    for (const NamedModule& m : modules) {
        const std::vector<TensorSlot>& slots = slotsOf(*m.module);
        for (size_t i = 0; i < slots.size(); ++i) {
            const TensorSlot& s = slots[i];
            if (s.tensor.isNone() || !seen.insert(s.tensor.identity()).second)
                continue;
            out.push_back({dottedName(m.name, s.name), s.tensor, s.kind, m.module, i});
        }
    }
    return out;
}

}  // namespace

const char* listingName(Listing listing)
{
    switch (listing) {
    case Listing::StateDict: return "state_dict";
    case Listing::NamedParameters: return "named_parameters";
    case Listing::NamedBuffers: return "named_buffers";
    case Listing::Parameters: return "parameters";
    case Listing::Buffers: return "buffers";
    case Listing::NamedModules: return "named_modules";
    }
    return "?";
}

bool listingFromName(const std::string& name, Listing* out)
{
    for (Listing l : {Listing::StateDict, Listing::NamedParameters, Listing::NamedBuffers,
                      Listing::Parameters, Listing::Buffers, Listing::NamedModules}) {
        if (name == listingName(l)) {
            *out = l;
            return true;
        }
    }
    return false;
}

std::vector<ListingEntry> stateDict(const ModuleNode& root, const std::string& prefix)
{
    std::vector<ListingEntry> out;
    collectStateDict(root, prefix, out);
    if (!root.fileKeyOrder().empty() && prefix.empty()) {
        // A tree grouped from a state_dict file lists the file's order (keys it lacks last).
        std::unordered_map<std::string, size_t> rank;
        for (size_t i = 0; i < root.fileKeyOrder().size(); ++i)
            rank.emplace(root.fileKeyOrder()[i], i);
        auto rankOf = [&rank](const ListingEntry& e) {
            const auto it = rank.find(e.name);
            return it == rank.end() ? rank.size() : it->second;
        };
        std::stable_sort(out.begin(), out.end(), [&](const ListingEntry& a, const ListingEntry& b) {
            return rankOf(a) < rankOf(b);
        });
    }
    return out;
}

std::vector<ListingEntry> namedParameters(const ModuleNode& root, const std::string& prefix,
                                          bool recurse)
{
    return namedMembers(root, prefix, recurse,
                        [](const ModuleNode& m) -> const auto& { return m.parameters(); });
}

std::vector<ListingEntry> namedBuffers(const ModuleNode& root, const std::string& prefix,
                                       bool recurse)
{
    return namedMembers(root, prefix, recurse,
                        [](const ModuleNode& m) -> const auto& { return m.buffers(); });
}

std::vector<NamedModule> namedModules(const ModuleNode& root, const std::string& prefix,
                                      bool removeDuplicate)
{
    std::vector<NamedModule> out;
    std::unordered_set<const ModuleNode*> memo;
    collectModules(root, prefix, out, removeDuplicate ? &memo : nullptr);
    return out;
}

std::unordered_map<const ModuleNode*, std::string> firstModuleNames(const ModuleNode& root)
{
    // named_modules() with its memo for every module (scripted ones too): each module once.
    std::vector<NamedModule> modules;
    std::unordered_set<const ModuleNode*> memo;
    collectModules(root, {}, modules, &memo, /*scriptedToo=*/true);
    std::unordered_map<const ModuleNode*, std::string> out;
    for (NamedModule& m : modules)
        out.emplace(m.module, std::move(m.name));
    return out;
}

std::vector<ListingEntry> tensorListing(const ModuleNode& root, Listing listing)
{
    switch (listing) {
    case Listing::StateDict: return stateDict(root);
    case Listing::NamedParameters:
    case Listing::Parameters: return namedParameters(root);
    case Listing::NamedBuffers:
    case Listing::Buffers: return namedBuffers(root);
    case Listing::NamedModules: break;
    }
    return {};
}

}  // namespace mx
