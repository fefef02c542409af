#pragma once

#include <set>
#include <string>
#include <vector>

namespace mx {
class ModuleNode;

/** One node of a forward's dataflow graph: the input, the output, a submodule call or a tensor op. */
struct GraphNode {
    enum class Kind { Input, Output, Module, Op };
    int id = 0;
    Kind kind = Kind::Op;
    std::string path;   // Module: dotted path ("conv1.0"); Op: the module whose forward runs it
    std::string type;   // Module: its type name ("Conv2d"); Op: the qualified op ("aten::view")
    std::string op;     // Op: the short name ("view", "add_", "flatten"); Module: the method called
    bool expandable = false;  // a Module node whose forward calls submodules (a container)
    /** The expanded container whose forward holds this node ("" for the model's own forward). */
    std::string group;
};

/** An expanded container: its nodes carry its path as their group. */
struct GraphGroup {
    std::string path;
    std::string type;
    std::string parent;  // the enclosing group ("" for the top level)
};

/**
 * A module's forward as a dataflow graph at module granularity, read from its compiled
 * TorchScript forward: a node per submodule call and per tensor op, edges from producer to
 * consumer in execution order, and the registered submodules that forward never calls.
 */
struct ForwardGraph {
    std::vector<GraphNode> nodes;  // in execution order; nodes[0] is the input, the last the output
    std::vector<std::pair<int, int>> edges;  // (from id, to id), ids index nodes
    std::vector<GraphGroup> groups;          // expanded containers, outer before inner
    /** Registered submodules forward never calls (topmost only: layer4cxq1, not its children). */
    std::vector<std::string> unused;
    /** Why the graph is empty or partial ("" when forward was read): a compile error, or that
     *  forward returns None. */
    std::string message;
    bool returnsNone = false;

    const GraphNode* find(const std::string& modulePath) const;
    int moduleCount() const;
};

/** Which containers to show expanded. */
struct GraphExpansion {
    bool all = false;                // every container
    std::set<std::string> paths;     // these containers (dotted paths)
    bool expanded(const std::string& path) const { return all || paths.count(path) > 0; }
};

/**
 * Builds `model`'s forward graph. Containers in `expansion` are replaced by their own forward's
 * graph (nested as groups). Prepares the model's jit mirror first, so, like any read of the jit
 * module, it must not run while another job uses the model. Never throws: a forward that does
 * not compile, or cannot be read, gives the input and output nodes and a message.
 */
ForwardGraph buildForwardGraph(const ModuleNode& model, const GraphExpansion& expansion = {});

/** The containers (expandable module paths) of a full expansion, outer before inner. */
std::vector<std::string> expandablePaths(const ModuleNode& model);

}  // namespace mx
