// Issue 14's budget: the Graph dock's work for resnet18 (graph from the compiled forward, then
// graphviz's dot layout, then the QGraphicsScene), collapsed to the top level and fully expanded.
// Not a test: prints medians of RUNS runs. The first build also loads the file's jit module
// (a TorchScript tree is read without it), so it is printed on its own.
// Usage: build/bin/graph_layout_bench [FILE=/tmp/mx-bench-files/resnet18.script.pt] [RUNS=10]
// (bench/make_bench_files.py DIR writes DIR/resnet18.script.pt)
#include "core/forwardgraph.h"
#include "core/modelfile.h"
#include "core/modulenode.h"
#include "items/graphmodel.h"
#include "widgets/graphview.h"

#include <QApplication>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

double msSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

void measure(const char* name, const mx::ModuleNode& model, const mx::GraphExpansion& expansion, int runs)
{
    std::vector<double> build, layout, scene, total;
    int nodes = 0, edges = 0;
    for (int i = 0; i < runs; ++i) {
        mx::GraphModel graph;
        const auto t0 = std::chrono::steady_clock::now();
        graph.setModel(&model);  // builds the collapsed graph and lays it out
        if (expansion.all || !expansion.paths.empty())
            graph.setExpansion(expansion);  // the view's path: collapsed first, then expanded
        const double modelMs = msSince(t0);
        const auto t1 = std::chrono::steady_clock::now();
        mx::GraphScene s(&graph);
        const double sceneMs = msSince(t1);
        build.push_back(graph.buildMs());
        layout.push_back(graph.layoutMs());
        scene.push_back(sceneMs);
        total.push_back(modelMs + sceneMs);
        nodes = static_cast<int>(graph.graph().nodes.size());
        edges = static_cast<int>(graph.graph().edges.size());
    }
    std::printf("%-10s %3d nodes %3d edges: graph %6.1f ms, dot layout %6.1f ms, scene %5.1f ms; "
                "all steps the dock takes %6.1f ms (median of %d)\n",
                name, nodes, edges, median(build), median(layout), median(scene), median(total), runs);
}

}  // namespace

int main(int argc, char** argv)
{
    const std::string path = argc > 1 ? argv[1] : "/tmp/mx-bench-files/resnet18.script.pt";
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 10;
    if (!std::getenv("QT_QPA_PLATFORM"))
        ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
    QApplication app(argc, argv);
    mx::OpenedModel opened;
    try {
        opened = mx::openModelFile(path);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "graph_layout_bench: %s (make it with bench/make_bench_files.py)\n", e.what());
        return 2;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const mx::ForwardGraph first = mx::buildForwardGraph(*opened.root);
    std::printf("%s: first graph %.1f ms (loads the file's jit module once), %zu nodes\n",
                path.c_str(), msSince(t0), first.nodes.size());
    mx::GraphExpansion all;
    all.all = true;
    measure("collapsed", *opened.root, {}, runs);
    measure("expanded", *opened.root, all, runs);
    return 0;
}
