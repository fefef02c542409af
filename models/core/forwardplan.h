#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mx {

/**
 * A container module's forward as a list of steps over its children, e.g. Model A's
 * `conv1 -> view(-1, 25088) -> dense`. It compiles to TorchScript for the jit module and can
 * also be walked step by step, which is how the forward runner records each submodule's output.
 */
struct ForwardPlan {
    struct Step {
        enum class Kind { CallChild, View, ReturnNone };
        Kind kind;
        std::string child;           // CallChild
        std::vector<int64_t> shape;  // View: the target shape (-1 allowed)
    };
    std::vector<Step> steps;
    /** nn.Sequential's forward: every child in _modules order, whatever the children are now
     *  (`append`, `del seq[0]`, `seq[1] = ...` change it); `steps` is then unused. */
    bool callsEveryChild = false;

    /** The plan of nn.Sequential (callsEveryChild). */
    static std::shared_ptr<const ForwardPlan> sequential();

    ForwardPlan& call(const std::string& child);
    ForwardPlan& view(std::vector<int64_t> shape);
    ForwardPlan& returnNone();

    /** "def forward(self, x): ..." for ModuleNode::defineForward. */
    std::string torchScript() const;
};

}  // namespace mx
