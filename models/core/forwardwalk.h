#pragma once
// Private to models/core: the step-by-step forward walk and the allocation meter it reports to.
// Include only from .cpp files (it includes torch headers).

#include "core/forward.h"

#include <ATen/core/ivalue.h>
#include <c10/core/Allocator.h>
#include <c10/util/ThreadLocalDebugInfo.h>

#include <memory>
#include <unordered_map>

namespace mx {

/**
 * Counts the bytes LibTorch allocates on the thread that installed it (through c10's per-thread
 * memory reporting, which every allocator calls): live bytes, the peak since the last mark,
 * and whether the live bytes passed a limit. Frees of blocks it did not see allocated are ignored.
 */
class AllocationMeter : public c10::MemoryReportingInfoBase {
public:
    explicit AllocationMeter(uint64_t limitBytes) : limit_(limitBytes) {}

    void reportMemoryUsage(void* ptr, int64_t allocSize, int64_t totalAllocated,
                           int64_t totalReserved, c10::Device device) override;
    bool memoryProfilingEnabled() const override { return true; }

    uint64_t liveBytes() const { return live_; }
    /** The highest live bytes since the last markPeak(). */
    uint64_t peakSinceMark() const { return markedPeak_; }
    /** The highest live bytes since the meter was made. */
    uint64_t peakBytes() const { return peak_; }
    void markPeak() { markedPeak_ = live_; }
    bool overLimit() const { return peak_ > limit_; }

private:
    uint64_t limit_;
    uint64_t live_ = 0;
    uint64_t peak_ = 0;
    uint64_t markedPeak_ = 0;
    std::unordered_map<void*, uint64_t> blocks_;
};

/** Installs a meter on the current thread for the guard's lifetime. */
class MeterScope {
public:
    explicit MeterScope(std::shared_ptr<AllocationMeter> meter)
        : meter_(meter), guard_(c10::DebugInfoKind::PROFILER_STATE, std::move(meter)) {}
    AllocationMeter& meter() const { return *meter_; }

private:
    std::shared_ptr<AllocationMeter> meter_;
    c10::DebugInfoGuard guard_;
};

/** The peak live bytes while one leaf submodule ran. */
struct StepPeak {
    std::string module;
    uint64_t bytes;
};

/** Thrown by the walk when the meter passed its limit (checked after each leaf submodule). */
struct ForwardOverBudget {
    std::string module;
    uint64_t liveBytes;
};

/** What the walk records and checks besides running forward; every member is optional. */
struct ForwardWalk {
    std::vector<ModuleTrace>* trace = nullptr;  // each submodule's output shape
    const CancelCheck* cancelled = nullptr;     // polled before each step: throws ForwardCancelled
    AllocationMeter* meter = nullptr;           // checked after each leaf: throws ForwardOverBudget
    std::vector<StepPeak>* peaks = nullptr;     // each leaf's peak (needs meter)
    std::vector<const ModuleNode*>* ranLeaves = nullptr;  // each leaf that returned
    bool countTrainDropout = false;  // add what train-mode Dropout would allocate (mask, output)
};

/** Runs `module` on x: containers walk their plan (each child's own forward), leaves run their compiled forward. */
c10::IValue walkForward(const ModuleNode& module, const std::string& path, const c10::IValue& x,
                        ForwardWalk& walk);

/** Restores every module's `training` flag when the run ends, however it ends. */
class TrainingFlagGuard {
public:
    explicit TrainingFlagGuard(ModuleNode& model);
    ~TrainingFlagGuard();
    TrainingFlagGuard(const TrainingFlagGuard&) = delete;
    TrainingFlagGuard& operator=(const TrainingFlagGuard&) = delete;

private:
    std::vector<std::pair<ModuleNode*, bool>> flags_;  // parents before their children
};

/** The MemoryError line for a pass the meter stopped. */
std::string overBudgetMessage(const ForwardOverBudget& stop);

/** The last "SomethingError: ..." line of a LibTorch / TorchScript message, as Python's
 *  traceback ends; a bare ATen message becomes "RuntimeError: <first line>". */
std::string pythonErrorLine(const std::string& message);

/** The device of the model's first parameter or buffer ("cpu" when it has none). */
std::string currentDevice(const ModuleNode& model);

}  // namespace mx
