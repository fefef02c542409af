#include "core/forwardwalk.h"

#include "core/formatting.h"
#include "core/forwardplan.h"
#include "core/modulenode.h"
#include "core/moduleruntime.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace mx {

void AllocationMeter::reportMemoryUsage(void* ptr, int64_t allocSize, int64_t, int64_t, c10::Device)
{
    if (allocSize > 0) {
        blocks_[ptr] = static_cast<uint64_t>(allocSize);
        live_ += static_cast<uint64_t>(allocSize);
        peak_ = std::max(peak_, live_);
        markedPeak_ = std::max(markedPeak_, live_);
        return;
    }
    const auto it = blocks_.find(ptr);
    if (it == blocks_.end())
        return;  // allocated before the meter, or by another thread
    live_ -= std::min(live_, it->second);
    blocks_.erase(it);
}

namespace {

bool isDropout(const ModuleNode& module) { return module.typeName().rfind("Dropout", 0) == 0; }

c10::IValue runLeaf(const ModuleNode& module, const std::string& path, const c10::IValue& x,
                    ForwardWalk& walk)
{
    AllocationMeter* meter = walk.meter;
    if (meter)
        meter->markPeak();
    c10::IValue out = module.runtime().module.forward({x});
    if (walk.ranLeaves)
        walk.ranLeaves->push_back(&module);
    if (!meter)
        return out;
    uint64_t peak = meter->peakSinceMark();
    // Estimates run in eval mode, where Dropout returns its input; in train mode it allocates a
    // mask and an output the size of its input.
    if (walk.countTrainDropout && isDropout(module) && x.isTensor())
        peak += 2 * x.toTensor().nbytes();
    if (walk.peaks)
        walk.peaks->push_back({path.empty() ? std::string("forward") : path, peak});
    if (meter->overLimit())
        throw ForwardOverBudget{path.empty() ? std::string("forward") : path, meter->liveBytes()};
    return out;
}

}  // namespace

c10::IValue walkForward(const ModuleNode& module, const std::string& path, const c10::IValue& x,
                        ForwardWalk& walk)
{
    c10::IValue out;
    if (const ForwardPlan* plan = module.forwardPlan()) {
        out = x;
        for (const ForwardPlan::Step& step : plan->steps) {
            if (walk.cancelled && *walk.cancelled && (*walk.cancelled)())
                throw ForwardCancelled{};
            if (step.kind == ForwardPlan::Step::Kind::ReturnNone) {
                out = c10::IValue();
                break;
            }
            if (step.kind == ForwardPlan::Step::Kind::View) {
                out = out.toTensor().view(step.shape);
                continue;
            }
            const ModuleNode* child = module.findChild(step.child);
            if (!child)
                throw std::runtime_error("AttributeError: '" + module.typeName() +
                                         "' object has no attribute '" + step.child + "'");
            out = walkForward(*child, dottedName(path, step.child), out, walk);
        }
    } else {
        out = runLeaf(module, path, x, walk);
    }
    if (walk.trace && !path.empty()) {
        ModuleTrace t{path, {}, out.isNone()};
        if (out.isTensor()) {
            auto sizes = out.toTensor().sizes();
            t.outputShape.assign(sizes.begin(), sizes.end());
        }
        walk.trace->push_back(std::move(t));
    }
    return out;
}

TrainingFlagGuard::TrainingFlagGuard(ModuleNode& model)
{
    std::vector<ModuleNode*> stack{&model};
    while (!stack.empty()) {
        ModuleNode* node = stack.back();
        stack.pop_back();
        flags_.emplace_back(node, node->isTraining());
        for (size_t i = node->childCount(); i-- > 0;)
            stack.push_back(&node->child(i));
    }
}

TrainingFlagGuard::~TrainingFlagGuard()
{
    // module.train(flag) sets a whole subtree, so parents go first and children then override.
    bool uniform = true;
    for (const auto& [node, flag] : flags_)
        uniform = uniform && flag == flags_.front().second;
    if (uniform) {
        flags_.front().first->train(flags_.front().second);
        return;
    }
    for (const auto& [node, flag] : flags_)
        node->train(flag);
}

std::string pythonErrorLine(const std::string& message)
{
    std::istringstream lines(message);
    std::string line, found, first;
    while (std::getline(lines, line)) {
        if (first.empty() && !line.empty())
            first = line;
        const size_t colon = line.find(": ");
        if (colon != std::string::npos && colon >= 5 && line.compare(colon - 5, 5, "Error") == 0 &&
            line.find(' ') >= colon)
            found = line;
    }
    // A forward's `raise ValueError(...)`: the interpreter words it "RuntimeError: ValueError: ...".
    const std::string wrapped = "RuntimeError: ";
    if (found.rfind(wrapped, 0) == 0) {
        const std::string inner = found.substr(wrapped.size());
        const size_t colon = inner.find(": ");
        if (colon != std::string::npos && colon >= 5 && inner.compare(colon - 5, 5, "Error") == 0 &&
            inner.find(' ') >= colon)
            return inner;
    }
    return found.empty() ? "RuntimeError: " + first : found;
}

std::string currentDevice(const ModuleNode& model)
{
    torch::jit::Module& jit = model.runtime().module;
    for (const at::Tensor& p : jit.parameters())
        if (p.defined())
            return p.device().str();
    for (const at::Tensor& b : jit.buffers())
        if (b.defined())
            return b.device().str();
    return "cpu";
}

}  // namespace mx
