#include "app/cliforward.h"

#include "app/commandline.h"
#include "app/statementwatchdog.h"
#include "core/formatting.h"
#include "core/forward.h"
#include "core/resourcebudget.h"
#include "core/runtime.h"

#include <QJsonArray>

#include <chrono>
#include <cstdio>
#include <iomanip>
#include <memory>
#include <ostream>

namespace mx {

namespace {

QJsonValue shapeJson(bool none, const std::vector<int64_t>& shape)
{
    if (none)
        return QJsonValue::Null;
    QJsonArray a;
    for (int64_t d : shape)
        a.append(static_cast<qint64>(d));
    return a;
}

// Submodules that forward never reached (the tutorial's layer4cxq1..5). A module inside an
// uncalled one is implied, so only the outermost are listed.
std::vector<std::string> notCalled(const ModuleNode& model, const ForwardResult& r)
{
    std::vector<std::string> out;
    for (const std::string& name : uncalledModules(model, r))
        if (out.empty() || name.rfind(out.back() + ".", 0) != 0)
            out.push_back(name);
    return out;
}

std::string forwardTimeoutError(double seconds)
{
    char limit[32];
    std::snprintf(limit, sizeof limit, "%g", seconds);
    return std::string("TimeoutError: the forward pass ran longer than its time limit of ") + limit + " s";
}

}  // namespace

int runForwardBatch(const CommandLine& cl, ModuleNode& model, std::ostream& out,
                    std::ostream& err, QJsonObject* json)
{
    useAllCores();
    ForwardOptions options;
    options.inputShape = cl.forwardShape;
    options.device = cl.device;
    options.train = cl.train;
    options.repeats = cl.repeats;
    // --timeout covers the whole --forward (estimate, traced run, warm-up and timed runs): the
    // runner stops at its next check (between submodules and runs) past the limit; one layer
    // still running 5 s after it ends the process (exitAfterTimeout).
    ForwardControl control;
    std::unique_ptr<StatementWatchdog> watchdog;
    const double limit = cl.timeoutSeconds;
    if (limit > 0) {
        const auto deadline = std::chrono::steady_clock::now() + watchdogDelay(limit, 0);
        control.cancelled = [deadline] { return std::chrono::steady_clock::now() > deadline; };
        watchdog = std::make_unique<StatementWatchdog>(
            [&out, &err](const std::string& message) { exitAfterTimeout(out, err, message); });
        watchdog->arm(watchdogDelay(limit, kWatchdogGraceSeconds),
                      "module-explorer: forward failed: " + forwardTimeoutError(limit));
    }
    // Past the memory budget the run is refused before the input is made: a runtime failure like
    // PyTorch's own out-of-memory error (exit 1), not a usage error.
    const ForwardResult r = runForward(model, options, control);
    if (watchdog)
        watchdog->disarm();
    if (r.cancelled) {
        err << "module-explorer: forward failed: " << forwardTimeoutError(limit) << "\n";
        return 1;
    }
    if (!r.ok) {
        err << "module-explorer: forward failed: " << r.error << "\n";
        return 1;
    }
    const std::vector<std::string> skipped = notCalled(model, r);
    if (json) {
        QJsonArray trace;
        for (const ModuleTrace& t : r.trace)
            trace.append(QJsonObject{{"module", QString::fromStdString(t.module)},
                                     {"output_shape", shapeJson(t.returnedNone, t.outputShape)}});
        QJsonArray uncalled;
        for (const std::string& name : skipped)
            uncalled.append(QString::fromStdString(name));
        *json = QJsonObject{{"output_shape", shapeJson(r.returnedNone, r.outputShape)},
                            {"trace", trace},
                            {"not_called", uncalled},
                            {"median_ms", r.medianMs},
                            {"min_ms", r.minMs},
                            {"max_ms", r.maxMs},
                            {"repeats", static_cast<int>(r.timesMs.size())},
                            {"forward_calls", r.forwardCalls},
                            {"estimated_peak_bytes", static_cast<qint64>(r.estimatedPeakBytes)},
                            {"measured_peak_bytes", static_cast<qint64>(r.measuredPeakBytes)},
                            {"memory_budget_bytes", static_cast<qint64>(memoryBudgetBytes())},
                            {"device", QString::fromStdString(cl.device)},
                            {"mode", cl.train ? "train" : "eval"},
                            {"threads", threadCount()}};
        return 0;
    }
    out << "input: " << torchSize(cl.forwardShape) << "\n";
    if (r.returnedNone)
        out << "output: None (forward returned None)\n";
    else
        out << "output: " << torchSize(r.outputShape) << "\n";
    if (r.trace.empty())
        out << "trace: none (forward ran as one piece of compiled code, so its submodules' outputs "
               "are not seen)\n";
    else
        out << "trace (each submodule's output, in the order it returned):\n";
    for (const ModuleTrace& t : r.trace)
        out << "  " << t.module << " --> " << (t.returnedNone ? "None" : torchSize(t.outputShape))
            << "\n";
    if (!skipped.empty()) {
        out << "not called:";
        for (const std::string& name : skipped)
            out << " " << name;
        out << "\n";
    }
    out << "memory: the traced pass allocated at most " << formatByteSize(r.measuredPeakBytes);
    if (r.estimatedPeakBytes)
        out << " (estimated " << formatByteSize(r.estimatedPeakBytes) << ")";
    out << "; budget " << formatByteSize(memoryBudgetBytes()) << "\n";
    if (cl.train)  // one call: each would move BatchNorm's running stats (core/forward.h)
        out << std::fixed << std::setprecision(3) << "time: " << r.medianMs << " ms (forward "
            << "called once: train mode times the one traced call; --repeat applies in eval "
            << "mode, " << cl.device << ", " << threadCount() << " threads)\n";
    else
        out << std::fixed << std::setprecision(3) << "time: median " << r.medianMs << " ms, min "
            << r.minMs << " ms, max " << r.maxMs << " ms (" << r.timesMs.size() << " runs after 1 "
            << "warm-up, " << cl.device << ", eval, " << threadCount() << " threads)\n";
    out << "forward calls: " << r.forwardCalls << "\n";
    return 0;
}

}  // namespace mx
