// Issue 8's budget: 10,000 `model.register_buffer('b'+str(i), torch.zeros(1))` calls in one
// console loop (core only) within 3x of Python's own loop, the N-th costing what the first does,
// and the undo of all of them. Prints medians; not a test.
//
// Usage: build/bin/console_loop_bench

#include "core/examples.h"
#include "core/modulenode.h"
#include "core/statements/statementsession.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

using namespace mx;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double, std::milli>(b - a).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}
std::string registerLoop(int from, int to)
{
    return "for i in range(" + std::to_string(from) + ", " + std::to_string(to) +
           "):\n    model.register_buffer('b'+str(i), torch.zeros(1))\n";
}

// The tutorial's Model B and the same loop in Python, timed around the loop only (seconds, one
// line per run); nothing when /usr/bin/python3 or its torch is missing.
std::vector<double> pythonLoopSeconds(int count, int runs)
{
    const char* python = "/usr/bin/python3";
    if (access(python, X_OK) != 0)
        return {};
    const std::string script =
        "import time, torch\n"
        "from torch import nn\n"
        "class Model(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.conv1 = nn.Sequential(nn.Conv2d(1, 64, 3, 1, 1), nn.ReLU())\n"
        "        self.attribute_buffer_in = torch.randn(3, 5)\n"
        "        self.register_buffer('register_buffer_in', torch.randn(4, 6))\n"
        "for run in range(" + std::to_string(runs) + "):\n"
        "    model = Model()\n"
        "    start = time.perf_counter()\n"
        "    for i in range(" + std::to_string(count) + "):\n"
        "        model.register_buffer('b'+str(i), torch.zeros(1))\n"
        "    print(time.perf_counter() - start)\n";
    const std::string command = std::string(python) + " -c \"" + script + "\" 2>/dev/null";
    std::vector<double> out;
    if (FILE* pipe = popen(command.c_str(), "r")) {
        double seconds = 0;
        while (std::fscanf(pipe, "%lf", &seconds) == 1)
            out.push_back(seconds);
        pclose(pipe);
    }
    return out;
}

void revertAll(std::vector<Edit>& edits)
{
    for (auto it = edits.rbegin(); it != edits.rend(); ++it)
        it->revert();
}

// Issue 8: the console loop on Model B, core only (no item models).
int consoleLoopBudget()
{
    constexpr int count = 10000;
    constexpr int runs = 5;
    std::vector<double> loopS, undoS, syncS, undoSyncS;
    for (int run = 0; run < runs; ++run) {
        auto model = buildExample("buffer-demo");
        model->prepareForward();
        StatementSession session(*model);
        const auto t0 = Clock::now();
        StatementResult r = session.run(registerLoop(0, count));
        const auto t1 = Clock::now();
        model->prepareForward();
        const auto t2 = Clock::now();
        revertAll(r.edits);
        const auto t3 = Clock::now();
        model->prepareForward();
        const auto t4 = Clock::now();
        if (!r.ok || r.edits.size() != count) {
            std::printf("error: %s (%zu edits)\n", r.error.c_str(), r.edits.size());
            return 1;
        }
        loopS.push_back(ms(t0, t1) / 1000);
        syncS.push_back(ms(t1, t2) / 1000);
        undoS.push_back(ms(t2, t3) / 1000);
        undoSyncS.push_back(ms(t3, t4) / 1000);
    }
    std::printf("\nconsole loop: %d x model.register_buffer('b'+str(i), torch.zeros(1)) on "
                "buffer-demo, core only, %d runs\n", count, runs);
    std::printf("  loop: median %.4f s (runs:", median(loopS));
    for (double s : loopS)
        std::printf(" %.4f", s);
    std::printf(")\n");
    std::printf("  undo of its %d edits: median %.4f s\n", count, median(undoS));
    std::printf("  jit mirror brought up to date afterwards (next forward), median %.4f s; "
                "after the undo %.4f s\n", median(syncS), median(undoSyncS));

    // Ten loops of 1,000 in a row on one model: the last thousand cost what the first did.
    auto model = buildExample("buffer-demo");
    StatementSession session(*model);
    std::printf("  1,000 at a time on one model (ms):");
    for (int k = 0; k < 10; ++k) {
        const auto t0 = Clock::now();
        StatementResult r = session.run(registerLoop(k * 1000, (k + 1) * 1000));
        const auto t1 = Clock::now();
        if (!r.ok) {
            std::printf("\nerror: %s\n", r.error.c_str());
            return 1;
        }
        std::printf(" %.1f", ms(t0, t1));
    }
    std::printf("\n");

    const std::vector<double> python = pythonLoopSeconds(count, runs);
    const double reference = python.empty() ? 0.03 : median(python);
    if (python.empty())
        std::printf("  Python's loop: no /usr/bin/python3 with torch here; the issue's "
                    "reference is 0.03 s\n");
    else
        std::printf("  Python's loop (torch %d runs, /usr/bin/python3): median %.4f s\n", runs,
                    reference);
    std::printf("  ratio to Python: %.2fx (budget 3x = %.4f s)\n", median(loopS) / reference,
                3 * reference);
    return 0;
}

}  // namespace

int main() { return consoleLoopBudget(); }
