// nn.Module's listings, for the nn.Module table: state_dict() and the generators named_parameters,
// parameters, named_buffers, buffers, named_children, children, named_modules and modules.
#include "core/statements/methodtable.h"

#include "core/listings.h"
#include "core/modulenode.h"
#include "core/statements/tensorops.h"

#include <functional>
#include <unordered_set>

namespace mx::stmt {

namespace {

// state_dict(*, destination=None, prefix='', keep_vars=False); the deprecated positional form is refused.
ValuePtr stateDictOf(Interpreter& in, const ValuePtr& self, const Args& args)
{
    if (!args.positional.empty())
        unsupported("positional arguments to state_dict() (deprecated)");
    std::string prefix;
    bool keepVars = false;
    for (const auto& [k, v] : args.keywords) {
        if (k == "destination") {
            if (v->kind != Value::Kind::None)
                unsupported("state_dict(destination=...)");
        } else if (k == "prefix") {
            if (v->kind != Value::Kind::Str)
                unsupported("a non-str state_dict prefix");
            prefix = v->s;
        } else if (k == "keep_vars") {
            keepVars = in.truthy(*v);
        } else {
            typeError("Module.state_dict() got an unexpected keyword argument '" + k + "'");
        }
    }
    ValuePtr d = dictValue(true);
    for (const ListingEntry& e : stateDict(resolveModule(self->module), prefix)) {
        d->keys.push_back(str(e.name));
        d->items.push_back(keepVars ? tensorValue(e.tensor, e.kind == EntryKind::Parameter)
                                    : tensorValue(tensors::unary("detach", e.tensor)));
    }
    return d;
}

std::string prefixOf(const ValuePtr& prefix)
{
    if (prefix->kind != Value::Kind::Str)
        unsupported("a non-str prefix");
    return prefix->s;
}

// named_parameters(prefix='', recurse=True) / parameters(recurse=True), and the same for buffers:
// what the module holds when the generator first runs.
template <bool Parameters, bool Named>
ValuePtr tensorListing(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const std::vector<ValuePtr>& a = args.positional;
    const std::string prefix = Named ? prefixOf(a[0]) : "";
    const bool recurse = in.truthy(*a[Named ? 1 : 0]);
    const std::string method = std::string(Named ? "named_" : "") + (Parameters ? "parameters" : "buffers");
    return in.moduleGenerator(self, method, [prefix, recurse](Interpreter&, const ModuleRef& ref) {
        const ModuleNode& node = resolveModule(ref);
        std::vector<ValuePtr> items;
        for (const ListingEntry& e : Parameters ? namedParameters(node, prefix, recurse)
                                                : namedBuffers(node, prefix, recurse)) {
            const ValuePtr t = tensorValue(e.tensor, e.kind == EntryKind::Parameter);
            items.push_back(Named ? tupleValue({str(e.name), t}) : t);
        }
        return items;
    });
}

// named_children() / children(): a module held under two names is yielded once.
template <bool Named>
ValuePtr childListing(Interpreter& in, const ValuePtr& self, const Args&)
{
    return in.moduleGenerator(self, Named ? "named_children" : "children", [](Interpreter& in, const ModuleRef& ref) {
        std::vector<ValuePtr> items;
        std::unordered_set<const ModuleNode*> memo;
        for (const ChildSlot& c : resolveModule(ref).childSlots()) {
            if (!c.module || (!c.module->isScripted() && !memo.insert(c.module.get()).second))
                continue;
            const ValuePtr m = moduleValue(in.childRef(ref, c.name, c.module.get()));
            items.push_back(Named ? tupleValue({str(c.name), m}) : m);
        }
        return items;
    });
}

// named_modules(memo=None, prefix='', remove_duplicate=True) / modules(). With remove_duplicate,
// a module met again is skipped with its subtree: the first name wins.
template <bool Named>
ValuePtr moduleListing(Interpreter& in, const ValuePtr& self, const Args& args)
{
    std::string prefix;
    bool removeDuplicate = true;
    if (Named) {
        const std::vector<ValuePtr>& a = args.positional;
        if (a[0]->kind != Value::Kind::None)
            unsupported("named_modules(memo=...)");
        prefix = prefixOf(a[1]);
        removeDuplicate = in.truthy(*a[2]);
    }
    return in.moduleGenerator(self, Named ? "named_modules" : "modules", [=](Interpreter& in, const ModuleRef& ref) {
        std::vector<ValuePtr> items;
        std::unordered_set<const ModuleNode*> memo;
        std::function<void(const ModuleRef&, const ModuleNode&, const std::string&)> walk =
            [&](const ModuleRef& r, const ModuleNode& n, const std::string& path) {
                if (removeDuplicate && !n.isScripted() && !memo.insert(&n).second)
                    return;
                const ValuePtr m = moduleValue(r);
                items.push_back(Named ? tupleValue({str(path), m}) : m);
                for (const ChildSlot& c : n.childSlots())
                    if (c.module)
                        walk(in.childRef(r, c.name, c.module.get()), *c.module,
                             path.empty() ? c.name : path + "." + c.name);
            };
        walk(ref, resolveModule(ref), prefix);
        return items;
    });
}

ArgumentCheck signature(const std::string& name, std::vector<Signature::Param> params = {})
{
    return pythonSignature({"Module." + name, std::move(params)});
}

}  // namespace

ValuePtr Interpreter::moduleGenerator(const ValuePtr& module, const std::string& method,
                                      std::function<std::vector<ValuePtr>(Interpreter&, const ModuleRef&)> collect)
{
    struct State {
        std::vector<ValuePtr> items;
        size_t pos = 0;
        bool started = false;
        uint64_t version = 0;
    };
    auto state = std::make_shared<State>();
    const ModuleRef ref = module->module;
    return iteratorValue("generator", "Module." + method, [this, state, ref, method, collect]() -> ValuePtr {
        if (!state->started) {
            state->started = true;
            state->version = version_;
            state->items = collect(*this, ref);
        } else if (state->version != version_) {
            // Python's generator would walk the changed dicts (or raise "OrderedDict mutated
            // during iteration"); the console does not guess which.
            unsupported("changing the model while iterating over Module." + method + "()");
        }
        return state->pos < state->items.size() ? state->items[state->pos++] : nullptr;
    });
}

std::vector<MethodEntry> moduleListingEntries()
{
    const ValuePtr recurse = boolean(true);
    return {
        {"state_dict", ownCheck(), stateDictOf},
        {"named_parameters", signature("named_parameters", {{"prefix", str("")}, {"recurse", recurse}}),
         tensorListing<true, true>},
        {"parameters", signature("parameters", {{"recurse", recurse}}), tensorListing<true, false>},
        {"named_buffers", signature("named_buffers", {{"prefix", str("")}, {"recurse", recurse}}),
         tensorListing<false, true>},
        {"buffers", signature("buffers", {{"recurse", recurse}}), tensorListing<false, false>},
        {"named_children", signature("named_children"), childListing<true>},
        {"children", signature("children"), childListing<false>},
        {"named_modules",
         signature("named_modules", {{"memo", none()}, {"prefix", str("")}, {"remove_duplicate", boolean(true)}}),
         moduleListing<true>},
        {"modules", signature("modules"), moduleListing<false>},
    };
}

}  // namespace mx::stmt
