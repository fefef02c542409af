// tree_bench: how the lazy ModuleTreeModel and ListingModel cope with a model of 100,000
// state_dict entries (1,000 blocks of 100 small parameters). Prints one "name: X ms" line per
// measurement. Not a test; run it by hand: build/bin/tree_bench [blocks] [params-per-block]

#include "core/listings.h"
#include "core/modeldocument.h"
#include "core/modulenode.h"
#include "core/tensorfactory.h"
#include "items/listingmodel.h"
#include "items/moduletreemodel.h"

#include <QCoreApplication>
#include <QModelIndex>
#include <QVariant>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;

template <typename F>
auto measure(const char* name, F&& f)
{
    const auto start = Clock::now();
    auto result = f();
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    std::printf("%s: %.3f ms\n", name, ms);
    std::fflush(stdout);
    return result;
}

std::unique_ptr<mx::ModuleNode> buildModel(int blocks, int paramsPerBlock)
{
    auto root = std::make_unique<mx::ModuleNode>("Model");
    for (int b = 0; b < blocks; ++b) {
        auto block = std::make_unique<mx::ModuleNode>("Block");
        for (int p = 0; p < paramsPerBlock; ++p)
            block->registerParameter("p" + std::to_string(p), mx::asParameter(mx::zeros({4})));
        root->addModule("block" + std::to_string(b), std::move(block));
    }
    return root;
}

}  // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int blocks = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int paramsPerBlock = argc > 2 ? std::atoi(argv[2]) : 100;
    std::printf("model: %d blocks x %d parameters = %d state_dict entries\n", blocks,
                paramsPerBlock, blocks * paramsPerBlock);

    const auto total = Clock::now();
    mx::ModelDocument document;
    document.replaceModel(
        measure("build model", [&] { return buildModel(blocks, paramsPerBlock); }), "bench");
    document.deliverChanges();
    const mx::ModuleNode* model = document.root();
    const size_t keys = measure("core stateDict()", [&] { return mx::stateDict(*model).size(); });
    std::printf("state_dict entries: %zu\n", keys);

    mx::ModuleTreeModel tree;
    measure("ModuleTreeModel setDocument", [&] {
        tree.setDocument(&document);
        return 0;
    });

    // What a view does on first show: expand the model row and paint one screenful.
    const QModelIndex modelRow = tree.index(0, 0);
    const int shown = measure("tree first screenful (50 rows x all columns, display data)", [&] {
        const int rows = std::min(tree.rowCount(modelRow), 50);
        int cells = 0;
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < tree.columnCount(modelRow); ++c)
                cells += tree.data(tree.index(r, c, modelRow), Qt::DisplayRole).isValid();
        return cells;
    });
    std::printf("  (%d non-empty cells)\n", shown);

    // Expand everything: every row's name, as a view with all nodes expanded would ask.
    const int walked = measure("tree full walk (data DisplayRole, column 0)", [&] {
        int rows = 1;
        tree.data(modelRow, Qt::DisplayRole);
        for (int b = 0; b < tree.rowCount(modelRow); ++b) {
            const QModelIndex block = tree.index(b, 0, modelRow);
            tree.data(block, Qt::DisplayRole);
            ++rows;
            for (int p = 0; p < tree.rowCount(block); ++p) {
                tree.data(tree.index(p, 0, block), Qt::DisplayRole);
                ++rows;
            }
        }
        return rows;
    });
    std::printf("  (%d rows)\n", walked);

    // Repainting everything once more, every column, as a view does after an edit or a scroll.
    const int cells = measure("tree full walk again (data DisplayRole, every column)", [&] {
        int nonEmpty = 0;
        auto paint = [&](const QModelIndex& index) {
            for (int c = 0; c < mx::ModuleTreeModel::ColumnCount; ++c)
                nonEmpty += !tree.data(index.siblingAtColumn(c), Qt::DisplayRole).toString().isEmpty();
        };
        paint(modelRow);
        for (int b = 0; b < tree.rowCount(modelRow); ++b) {
            const QModelIndex block = tree.index(b, 0, modelRow);
            paint(block);
            for (int p = 0; p < tree.rowCount(block); ++p)
                paint(tree.index(p, 0, block));
        }
        return nonEmpty;
    });
    std::printf("  (%d non-empty cells)\n", cells);

    const mx::ModuleNode& lastBlock = model->child(model->childCount() - 1);
    const mx::EntryLocation lastEntry{&lastBlock, mx::EntryLocation::Section::Parameters,
                                      lastBlock.parameters().size() - 1};
    const QModelIndex lastIndex = tree.indexFor(lastEntry);
    const bool parentOk = measure("tree parent() of last entry", [&] {
        return tree.parent(lastIndex) == tree.index(tree.rowCount(modelRow) - 1, 0, modelRow);
    });
    std::printf("  (parent %s)\n", parentOk ? "ok" : "WRONG");

    mx::ListingModel listing(mx::Listing::StateDict);
    measure("ListingModel(StateDict) setDocument", [&] {
        listing.setDocument(&document);
        return 0;
    });
    const int lastRow = listing.rowCount() - 1;
    const int found = measure("ListingModel rowOf(last row)",
                              [&] { return listing.rowOf(listing.locationOf(lastRow)); });
    std::printf("  (row %d of %d, %s)\n", found, listing.rowCount(),
                found == lastRow ? "ok" : "WRONG");
    const int fromTree = measure("ListingModel rowOf(tree.locationOf(last entry))",
                                 [&] { return listing.rowOf(tree.locationOf(lastIndex)); });
    std::printf("  (%s)\n", fromTree == lastRow ? "ok" : "WRONG");

    std::printf("total: %.3f ms\n",
                std::chrono::duration<double, std::milli>(Clock::now() - total).count());
    return parentOk && found == lastRow && fromTree == lastRow ? 0 : 1;
}
