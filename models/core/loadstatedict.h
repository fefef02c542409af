#pragma once
// model.load_state_dict(state_dict, strict) with PyTorch 1.13's rules and report, torch-free.

#include "core/tensorref.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mx {

class ModuleNode;

/** A state_dict to load: keys and tensors in order, and its `_metadata` versions if it had any. */
struct StateDictInput {
    std::vector<std::pair<std::string, TensorRef>> entries;
    std::optional<std::vector<std::pair<std::string, int64_t>>> versions;
};

/** One entry of the model that load_state_dict would fill, and with what. */
struct PlannedCopy {
    std::string key;
    TensorRef target;  // the model's parameter or buffer
    TensorRef source;  // from the state_dict (a 1-element 1-dim tensor indexed for a 0-dim target)
};

/**
 * What model.load_state_dict(sd, strict) does, worked out before anything is copied, as PyTorch
 * 1.13's Module.load_state_dict and _load_from_state_dict do it (the BatchNorm hook that adds
 * num_batches_tracked to state_dicts older than version 2 included).
 */
struct LoadStateDictReport {
    std::string className;                  // self.__class__.__name__ in the error
    bool strict = true;
    std::vector<std::string> missing;       // in the model's order
    std::vector<std::string> unexpected;    // in the state_dict's order, module by module
    std::vector<std::string> mismatched;    // keys with a size mismatch
    std::vector<std::string> errorMessages; // PyTorch's error_msgs, in its order
    std::vector<PlannedCopy> copies;        // what is copied when nothing failed

    /** Python raises RuntimeError (error() is its text); nothing is copied by the app then. */
    bool failed() const { return !error().empty(); }
    /** "RuntimeError: Error(s) in loading state_dict for Model:\n\tMissing key(s) ...". */
    std::string error() const;
    /** repr of the return value: "<All keys matched successfully>" or
     *  "_IncompatibleKeys(missing_keys=['a'], unexpected_keys=[])". */
    std::string result() const;
};

/** Plans model.load_state_dict(input, strict) on `root` (which it does not change); throws
 *  std::runtime_error (AttributeError) for a tree grouped from a state_dict. */
LoadStateDictReport planLoadStateDict(const ModuleNode& root, const StateDictInput& input,
                                      bool strict);

/**
 * The values a load copied into the model's tensors, in place (param.copy_(input) under
 * no_grad, as PyTorch does: tensor identity, dtype and device stay), with the old values kept
 * so it can be undone and redone.
 */
class ValueEdit {
public:
    /** Copies every planned value (throws std::runtime_error, restoring what it copied, when a
     *  copy fails); the edit is applied. */
    static std::unique_ptr<ValueEdit> apply(const std::vector<PlannedCopy>& copies);
    ValueEdit(const ValueEdit&) = delete;
    ValueEdit& operator=(const ValueEdit&) = delete;
    ~ValueEdit();
    void undo();
    void redo();
    size_t size() const { return targets_.size(); }

private:
    ValueEdit() = default;
    std::vector<TensorRef> targets_;
    std::vector<TensorRef> before_;  // clones of the values the load overwrote
    std::vector<TensorRef> after_;   // the state_dict's tensors it copied in
};

}  // namespace mx
