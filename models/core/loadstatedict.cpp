#include "core/loadstatedict.h"

#include "core/formatting.h"
#include "core/modulenode.h"
#include "core/tensoraccess.h"

#include <ATen/ATen.h>

#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace mx {

namespace {

// repr() of a Python str, as a list prints its items.
std::string pyStr(const std::string& s)
{
    const bool useDouble = s.find('\'') != std::string::npos && s.find('"') == std::string::npos;
    const char quote = useDouble ? '"' : '\'';
    std::string out(1, quote);
    for (const char c : s) {
        if (c == '\\' || c == quote)
            out += '\\';
        out += c;
    }
    return out + quote;
}

std::string pyList(const std::vector<std::string>& items)
{
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i)
        out += (i ? ", " : "") + pyStr(items[i]);
    return out + "]";
}

bool isNormWithRunningStats(const ModuleNode& m)
{
    // _NormBase._load_from_state_dict (BatchNorm/InstanceNorm with track_running_stats): the
    // app's norm layers carry num_batches_tracked exactly when they track running stats.
    if (m.isScripted())
        return false;  // RecursiveScriptModule has no such hook
    for (const TensorSlot& b : m.buffers())
        if (b.name == "num_batches_tracked" && !b.tensor.isNone())
            return true;
    return false;
}

struct Planner {
    const StateDictInput& input;
    std::unordered_map<std::string, size_t> index;  // key -> position in input.entries
    LoadStateDictReport& report;
    TensorRef zeroLong;  // the hook's torch.tensor(0, dtype=torch.long)

    std::optional<int64_t> version(const std::string& prefix) const
    {
        if (!input.versions)
            return std::nullopt;
        const std::string name = prefix.empty() ? prefix : prefix.substr(0, prefix.size() - 1);
        for (const auto& [p, v] : *input.versions)
            if (p == name)
                return v;
        return std::nullopt;
    }

    void visit(const ModuleNode& m, const std::string& prefix)
    {
        const std::optional<int64_t> v = version(prefix);
        const bool addBatches = isNormWithRunningStats(m) && (!v || *v < 2) &&
                                !index.count(prefix + "num_batches_tracked");
        std::unordered_set<std::string> local;
        auto consider = [&](const TensorSlot& slot) {
            if (slot.tensor.isNone())
                return;
            local.insert(slot.name);
            const std::string key = prefix + slot.name;
            TensorRef source;
            if (const auto it = index.find(key); it != index.end()) {
                source = input.entries[it->second].second;
            } else if (addBatches && slot.name == "num_batches_tracked") {
                source = zeroLong;
            } else {
                report.missing.push_back(key);
                return;
            }
            at::Tensor in = TensorAccess::tensor(source);
            const at::Tensor& param = TensorAccess::tensor(slot.tensor);
            if (param.dim() == 0 && in.dim() == 1 && in.numel() > 0)
                in = in[0];  // backward compatibility with 0.3's 1-dim scalars
            if (in.sizes() != param.sizes()) {
                report.mismatched.push_back(key);
                report.errorMessages.push_back(
                    "size mismatch for " + key + ": copying a param with shape " +
                    torchSize(in.sizes().vec()) + " from checkpoint, the shape in current model is " +
                    torchSize(param.sizes().vec()) + ".");
                return;
            }
            report.copies.push_back({key, slot.tensor, TensorAccess::wrap(in)});
        };
        for (const TensorSlot& p : m.parameters())
            consider(p);
        for (const TensorSlot& b : m.buffers())
            if (b.kind == EntryKind::Buffer)
                consider(b);
        // Unexpected: keys under this prefix naming neither a child nor a local entry.
        for (const auto& [key, tensor] : input.entries) {
            if (key.compare(0, prefix.size(), prefix) != 0)
                continue;
            const std::string rest = key.substr(prefix.size());
            const std::string name = rest.substr(0, rest.find('.'));
            bool isChild = false;
            for (const ChildSlot& c : m.childSlots())
                isChild = isChild || c.name == name;
            if (!isChild && !local.count(name))
                report.unexpected.push_back(key);
        }
        for (const ChildSlot& c : m.childSlots())
            if (c.module)
                visit(*c.module, prefix + c.name + ".");
    }
};

}  // namespace

std::string LoadStateDictReport::error() const
{
    std::vector<std::string> messages = errorMessages;
    auto quoted = [](const std::vector<std::string>& keys) {
        std::string out;
        for (size_t i = 0; i < keys.size(); ++i)
            out += (i ? ", \"" : "\"") + keys[i] + "\"";
        return out;
    };
    if (strict && !unexpected.empty())
        messages.insert(messages.begin(), "Unexpected key(s) in state_dict: " + quoted(unexpected) + ". ");
    if (strict && !missing.empty())
        messages.insert(messages.begin(), "Missing key(s) in state_dict: " + quoted(missing) + ". ");
    if (messages.empty())
        return {};
    std::string out = "RuntimeError: Error(s) in loading state_dict for " + className + ":";
    for (const std::string& m : messages)
        out += "\n\t" + m;
    return out;
}

std::string LoadStateDictReport::result() const
{
    if (missing.empty() && unexpected.empty())
        return "<All keys matched successfully>";
    return "_IncompatibleKeys(missing_keys=" + pyList(missing) +
           ", unexpected_keys=" + pyList(unexpected) + ")";
}

LoadStateDictReport planLoadStateDict(const ModuleNode& root, const StateDictInput& input,
                                      bool strict)
{
    if (root.isStateDictGroup())
        throw std::runtime_error(
            "AttributeError: 'collections.OrderedDict' object has no attribute 'load_state_dict' "
            "(the open file is a state_dict, not a module)");
    LoadStateDictReport report;
    report.strict = strict;
    report.className = root.isScripted() ? "RecursiveScriptModule" : root.typeName();
    Planner planner{input, {}, report, TensorAccess::wrap(at::zeros({}, at::kLong))};
    for (size_t i = 0; i < input.entries.size(); ++i)
        planner.index[input.entries[i].first] = i;  // OrderedDict(state_dict): the last one wins
    // Missing and unexpected keys are found whatever `strict` says (Python calls each module's
    // loader with strict=True); only with strict do they raise.
    planner.visit(root, "");
    return report;
}

std::unique_ptr<ValueEdit> ValueEdit::apply(const std::vector<PlannedCopy>& copies)
{
    std::unique_ptr<ValueEdit> edit(new ValueEdit());
    at::NoGradGuard noGrad;
    for (const PlannedCopy& c : copies) {
        at::Tensor target = TensorAccess::tensor(c.target);
        try {
            edit->before_.push_back(TensorAccess::wrap(target.clone()));
            target.copy_(TensorAccess::tensor(c.source));
        } catch (const std::exception& e) {
            edit->before_.pop_back();
            edit->undo();
            throw std::runtime_error("While copying the parameter named \"" + c.key +
                                     "\", an exception occurred : ('" +
                                     std::string(e.what()).substr(0, std::string(e.what()).find('\n')) +
                                     "',).");
        }
        edit->targets_.push_back(c.target);
        edit->after_.push_back(c.source);  // redo copies it again: no clone of the new values
    }
    return edit;
}

ValueEdit::~ValueEdit() = default;

void ValueEdit::undo()
{
    at::NoGradGuard noGrad;
    for (size_t i = before_.size(); i-- > 0;)
        TensorAccess::tensor(targets_[i]).copy_(TensorAccess::tensor(before_[i]));
}

void ValueEdit::redo()
{
    at::NoGradGuard noGrad;
    for (size_t i = 0; i < after_.size(); ++i)
        TensorAccess::tensor(targets_[i]).copy_(TensorAccess::tensor(after_[i]));
}

}  // namespace mx
