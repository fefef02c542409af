// Issue budget: on a model with 10,000 state_dict entries, one register_buffer including the
// item-model update, and its undo, each within 16 ms. Prints medians; not a test.
//
// Usage: build/bin/edit_bench [children=100] [params-per-child=100] [rounds=50]

#include "core/modulenode.h"
#include "core/statements/statementsession.h"
#include "core/tensorfactory.h"
#include "items/listingmodel.h"
#include "items/moduletreemodel.h"

#include <QCoreApplication>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
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

void touchAll(const QAbstractItemModel& m, const QModelIndex& parent)
{
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, 0, parent);
        i.data();
        touchAll(m, i);
    }
}

}  // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int children = argc > 1 ? std::atoi(argv[1]) : 100;
    const int perChild = argc > 2 ? std::atoi(argv[2]) : 100;
    const int rounds = argc > 3 ? std::atoi(argv[3]) : 50;

    ModuleNode root("Model");
    for (int c = 0; c < children; ++c) {
        auto block = std::make_unique<ModuleNode>("Block");
        for (int p = 0; p < perChild; ++p)
            block->registerParameter("w" + std::to_string(p), asParameter(zeros({4})));
        root.addModule("block" + std::to_string(c), std::move(block));
    }
    ModuleTreeModel tree;
    ListingModel stateDict(Listing::StateDict);
    tree.setRoot(&root);
    stateDict.setRoot(&root);
    touchAll(tree, {});  // as if the whole tree had been expanded once
    std::printf("state_dict entries: %d\n", stateDict.rowCount());

    std::vector<double> doMs, undoMs, coreDoMs, coreUndoMs;
    for (int i = 0; i < rounds; ++i) {
        const auto t0 = Clock::now();
        Edit edit = root.registerBufferChecked("extra", AttributeValue::tensor(zeros({15, 15})));
        const auto t1 = Clock::now();
        tree.syncModule(edit.target());
        stateDict.refresh();
        const auto t2 = Clock::now();
        edit.revert();
        const auto t3 = Clock::now();
        tree.syncModule(edit.target());
        stateDict.refresh();
        const auto t4 = Clock::now();
        coreDoMs.push_back(ms(t0, t1));
        doMs.push_back(ms(t0, t2));
        coreUndoMs.push_back(ms(t2, t3));
        undoMs.push_back(ms(t2, t4));
    }
    // The same through the console, as a student types it (parse + run + item models).
    StatementSession session(root);
    std::vector<double> typedMs, typedUndoMs;
    for (int i = 0; i < rounds; ++i) {
        const auto t0 = Clock::now();
        StatementResult r = session.run("model.register_buffer('extra', torch.zeros(15, 15))");
        tree.syncModule(&root);
        stateDict.refresh();
        const auto t1 = Clock::now();
        for (auto it = r.edits.rbegin(); it != r.edits.rend(); ++it)
            it->revert();
        tree.syncModule(&root);
        stateDict.refresh();
        const auto t2 = Clock::now();
        if (!r.ok) {
            std::printf("error: %s\n", r.error.c_str());
            return 1;
        }
        typedMs.push_back(ms(t0, t1));
        typedUndoMs.push_back(ms(t1, t2));
    }
    if (stateDict.rowCount() != children * perChild) {
        std::printf("error: listing has %d rows after undo\n", stateDict.rowCount());
        return 1;
    }
    std::printf("register_buffer, core only: median %.3f ms\n", median(coreDoMs));
    std::printf("register_buffer + tree + state_dict listing update: median %.3f ms (budget 16)\n",
                median(doMs));
    std::printf("undo, core only: median %.3f ms\n", median(coreUndoMs));
    std::printf("undo + tree + state_dict listing update: median %.3f ms (budget 16)\n",
                median(undoMs));
    std::printf("console statement register_buffer + item models: median %.3f ms (budget 16)\n",
                median(typedMs));
    std::printf("its undo + item models: median %.3f ms (budget 16)\n", median(typedUndoMs));
    return 0;
}
