#include "core/forwardgraph.h"

#include "core/listings.h"
#include "core/modulenode.h"
#include "core/moduleruntime.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/ir/ir.h>

#include <algorithm>
#include <exception>
#include <unordered_map>
#include <unordered_set>

namespace mx {

const GraphNode* ForwardGraph::find(const std::string& modulePath) const
{
    for (const GraphNode& n : nodes)
        if (n.kind == GraphNode::Kind::Module && n.path == modulePath)
            return &n;
    return nullptr;
}

int ForwardGraph::moduleCount() const
{
    return static_cast<int>(std::count_if(nodes.begin(), nodes.end(), [](const GraphNode& n) {
        return n.kind == GraphNode::Kind::Module;
    }));
}

namespace {

using torch::jit::Block;
using torch::jit::Node;
using torch::jit::Value;
using Producers = std::set<int>;

std::string joinPath(const std::string& prefix, const std::string& name)
{
    return prefix.empty() ? name : prefix + "." + name;
}

bool isTensor(const Value* v) { return v->type()->kind() == c10::TypeKind::TensorType; }

/** A value that is a module: its path, its jit module and the eager module behind it. */
struct ModuleRef {
    std::string path;
    torch::jit::Module module;
    const ModuleNode* node = nullptr;
};

bool hasForward(const ModuleRef& ref) { return ref.module.find_method("forward").has_value(); }

bool isContainer(const ModuleRef& ref)
{
    if (ref.node)
        return ref.node->childCount() > 0 && hasForward(ref);
    return ref.module.named_children().size() > 0 && hasForward(ref);
}

std::string typeNameOf(const ModuleRef& ref)
{
    if (ref.node && !ref.node->typeName().empty())
        return ref.node->typeName();
    const auto name = ref.module.type()->name();
    return name ? name->name() : std::string("Module");
}

/** Walks TorchScript graphs, emitting nodes for what the shown level calls and recording every
 *  module called at any depth (for the unused list). */
class GraphWalker {
public:
    GraphWalker(const GraphExpansion& expansion, ForwardGraph& graph)
        : expansion_(expansion), graph_(graph)
    {
    }

    std::unordered_set<const ModuleNode*> called;
    std::unordered_set<const ModuleNode*> walked;

    /** Walks `method` of `self` with its explicit arguments' producers; returns the producers of
     *  each returned value. */
    std::vector<Producers> walkMethod(const ModuleRef& self, const std::string& method,
                                      const std::vector<Producers>& args, bool emit,
                                      const std::string& group, int depth)
    {
        if (depth > kMaxDepth)
            throw std::runtime_error("forward calls nest more than 64 deep");
        const std::shared_ptr<torch::jit::Graph> g = self.module.get_method(method).graph();
        if (self.node)
            walked.insert(self.node);
        Scope scope{self, emit, group, depth, {}, {}};
        const auto inputs = g->inputs();
        if (!inputs.empty())
            scope.modules.emplace(inputs[0], self);
        for (size_t i = 1; i < inputs.size(); ++i)
            scope.producers[inputs[i]] = i - 1 < args.size() ? args[i - 1] : Producers{};
        return walkBlock(g->block(), scope);
    }

    /** Whether a graph value is always None (Model B's `pass` returns one). */
    bool isNone(const Value* v) const { return v->type()->kind() == c10::TypeKind::NoneType; }

private:
    static constexpr int kMaxDepth = 64;

    /** One method being walked: its module, whether it draws nodes, its values. */
    struct Scope {
        ModuleRef self;
        bool emit;
        std::string group;
        int depth;
        std::unordered_map<const Value*, Producers> producers;
        std::unordered_map<const Value*, ModuleRef> modules;
    };

    Producers producersOf(const Scope& s, const Value* v) const
    {
        const auto it = s.producers.find(v);
        return it == s.producers.end() ? Producers{} : it->second;
    }

    Producers unionOf(const Scope& s, torch::jit::ArrayRef<Value*> values) const
    {
        Producers out;
        for (const Value* v : values) {
            const Producers p = producersOf(s, v);
            out.insert(p.begin(), p.end());
        }
        return out;
    }

    int addNode(GraphNode node, const Producers& from)
    {
        node.id = static_cast<int>(graph_.nodes.size());
        graph_.nodes.push_back(node);
        for (int f : from)
            graph_.edges.emplace_back(f, node.id);
        return node.id;
    }

    std::vector<Producers> walkBlock(Block* block, Scope& s)
    {
        for (Node* n : block->nodes())
            walkNode(n, s);
        std::vector<Producers> out;
        for (const Value* v : block->outputs())
            out.push_back(producersOf(s, v));
        return out;
    }

    void setOutputs(Node* n, Scope& s, const Producers& p)
    {
        for (const Value* v : n->outputs())
            s.producers[v] = p;
    }

    void walkNode(Node* n, Scope& s)
    {
        const c10::Symbol kind = n->kind();
        if (kind == c10::prim::Constant)
            return;
        if (kind == c10::prim::GetAttr) {
            const auto in = s.modules.find(n->input(0));
            const auto cls = n->output()->type()->cast<c10::ClassType>();
            if (in != s.modules.end() && cls && cls->is_module()) {
                const std::string name = n->s(c10::attr::name);
                ModuleRef ref{joinPath(in->second.path, name),
                              in->second.module.attr(name).toModule(),
                              in->second.node ? in->second.node->findChild(name) : nullptr};
                s.modules.emplace(n->output(), std::move(ref));
            }
            return;  // parameters and buffers are no dataflow
        }
        if (kind == c10::prim::CallMethod) {
            walkCall(n, s);
            return;
        }
        if (kind == c10::prim::If) {
            std::vector<Producers> outs(n->outputs().size());
            for (Block* b : n->blocks()) {
                const std::vector<Producers> r = walkBlock(b, s);
                for (size_t i = 0; i < outs.size() && i < r.size(); ++i)
                    outs[i].insert(r[i].begin(), r[i].end());
            }
            for (size_t i = 0; i < outs.size(); ++i)
                s.producers[n->outputs()[i]] = outs[i];
            return;
        }
        if (kind == c10::prim::Loop) {
            Block* body = n->blocks()[0];
            const size_t carried = n->outputs().size();
            for (size_t i = 0; i < carried; ++i)
                s.producers[body->inputs()[i + 1]] = producersOf(s, n->inputs()[i + 2]);
            const std::vector<Producers> r = walkBlock(body, s);
            for (size_t i = 0; i < carried; ++i) {
                Producers p = producersOf(s, n->inputs()[i + 2]);
                if (i + 1 < r.size())
                    p.insert(r[i + 1].begin(), r[i + 1].end());
                s.producers[n->outputs()[i]] = p;
            }
            return;
        }
        const bool tensorOut = std::any_of(n->outputs().begin(), n->outputs().end(), isTensor);
        const bool keep = tensorOut && (kind.is_aten() || kind == c10::prim::CallFunction);
        if (!keep) {
            setOutputs(n, s, unionOf(s, n->inputs()));
            return;
        }
        Producers from;
        std::string op = kind.toUnqualString();
        std::string type = kind.toQualString();
        size_t first = 0;
        if (kind == c10::prim::CallFunction) {
            if (const auto fn = n->input(0)->type()->cast<c10::FunctionType>()) {
                op = fn->function()->name();
                type = fn->function()->qualname().qualifiedName();
            }
            first = 1;
        }
        for (size_t i = first; i < n->inputs().size(); ++i) {
            const Producers p = producersOf(s, n->inputs()[i]);
            from.insert(p.begin(), p.end());
        }
        if (!s.emit) {
            setOutputs(n, s, from);
            return;
        }
        GraphNode node;
        node.kind = GraphNode::Kind::Op;
        node.path = s.self.path;
        node.type = type;
        node.op = op;
        node.group = s.group;
        setOutputs(n, s, {addNode(node, from)});
    }

    void walkCall(Node* n, Scope& s)
    {
        const auto target = s.modules.find(n->input(0));
        std::vector<Producers> args;
        for (size_t i = 1; i < n->inputs().size(); ++i)
            args.push_back(producersOf(s, n->inputs()[i]));
        const std::string method = n->s(c10::attr::name);
        if (target == s.modules.end()) {  // not a module we can name: pass values through
            setOutputs(n, s, unionOf(s, n->inputs()));
            return;
        }
        const ModuleRef ref = target->second;
        auto assign = [&](const std::vector<Producers>& outs) {
            if (n->outputs().size() == 1 && outs.size() == 1) {
                s.producers[n->output()] = outs[0];
                return;
            }
            Producers all;
            for (const Producers& p : outs)
                all.insert(p.begin(), p.end());
            setOutputs(n, s, all);
        };
        if (ref.path == s.self.path) {  // a helper method of the same module: inline it
            assign(walkMethod(ref, method, args, s.emit, s.group, s.depth + 1));
            return;
        }
        if (ref.node)
            called.insert(ref.node);
        const bool container = isContainer(ref) && method == "forward";
        if (s.emit && container && expansion_.expanded(ref.path)) {
            if (std::none_of(graph_.groups.begin(), graph_.groups.end(),
                             [&](const GraphGroup& g) { return g.path == ref.path; }))
                graph_.groups.push_back({ref.path, typeNameOf(ref), s.group});
            assign(walkMethod(ref, method, args, true, ref.path, s.depth + 1));
            return;
        }
        Producers from;
        for (const Producers& p : args)
            from.insert(p.begin(), p.end());
        if (container)  // not shown inside, but what it calls is used
            walkMethod(ref, method, args, false, s.group, s.depth + 1);
        if (!s.emit) {
            setOutputs(n, s, from);
            return;
        }
        GraphNode node;
        node.kind = GraphNode::Kind::Module;
        node.path = ref.path;
        node.type = typeNameOf(ref);
        node.op = method;
        node.expandable = container;
        node.group = s.group;
        setOutputs(n, s, {addNode(node, from)});
    }

    const GraphExpansion& expansion_;
    ForwardGraph& graph_;
};

/** Registered submodules never called: topmost ones only, and none below a module whose
 *  forward could not be read. */
std::vector<std::string> unusedModules(const ModuleNode& model, const GraphWalker& walker)
{
    std::vector<std::string> out;
    std::vector<std::string> skipped;  // prefixes whose subtree is not reported
    for (const NamedModule& m : namedModules(model)) {
        if (m.name.empty())
            continue;
        const bool inside = std::any_of(skipped.begin(), skipped.end(), [&m](const std::string& p) {
            return m.name.rfind(p + ".", 0) == 0;
        });
        if (inside)
            continue;
        if (!walker.called.count(m.module)) {
            out.push_back(m.name);
            skipped.push_back(m.name);
        } else if (!walker.walked.count(m.module)) {
            skipped.push_back(m.name);
        }
    }
    return out;
}

void addEndpoints(ForwardGraph& g, const std::string& message)
{
    g.nodes.clear();
    g.edges.clear();
    g.groups.clear();
    g.nodes.push_back({0, GraphNode::Kind::Input, "", "Tensor", "input", false, ""});
    g.nodes.push_back({1, GraphNode::Kind::Output, "", "", "output", false, ""});
    g.message = message;
}

}  // namespace

ForwardGraph buildForwardGraph(const ModuleNode& model, const GraphExpansion& expansion)
{
    ForwardGraph g;
    try {
        const std::string& error = model.forwardError();
        if (!error.empty()) {
            addEndpoints(g, "forward does not compile: " + error);
            return g;
        }
        ModuleRef root{"", model.runtime().module, &model};
        if (!hasForward(root)) {
            addEndpoints(g, model.isStateDictGroup()
                                ? "a state_dict holds tensors only: it has no forward to draw "
                                  "(open the TorchScript file of the model to see one)"
                                : "this module has no forward");
            return g;
        }
        const auto graph = root.module.get_method("forward").graph();
        std::vector<Producers> args;
        for (size_t i = 1; i < graph->inputs().size(); ++i) {
            const Value* in = graph->inputs()[i];
            GraphNode node{static_cast<int>(g.nodes.size()), GraphNode::Kind::Input, "",
                           in->type()->annotation_str(), in->debugNameBase(), false, ""};
            g.nodes.push_back(node);
            args.push_back({node.id});
        }
        GraphWalker walker(expansion, g);
        const std::vector<Producers> result = walker.walkMethod(root, "forward", args, true, "", 0);
        walker.walked.insert(&model);
        GraphNode out{static_cast<int>(g.nodes.size()), GraphNode::Kind::Output, "", "", "output",
                      false, ""};
        const Value* returned = graph->outputs().empty() ? nullptr : graph->outputs()[0];
        out.type = returned ? returned->type()->annotation_str() : "None";
        g.nodes.push_back(out);
        if (!returned || walker.isNone(returned)) {
            g.returnsNone = true;
            g.message = "forward returns None: nothing flows to the output";
        } else if (!result.empty()) {
            for (int f : result[0])
                g.edges.emplace_back(f, out.id);
        }
        // Each edge once, in the order first made.
        std::set<std::pair<int, int>> seen;
        std::vector<std::pair<int, int>> edges;
        for (const auto& e : g.edges)
            if (seen.insert(e).second)
                edges.push_back(e);
        g.edges = std::move(edges);
        g.unused = unusedModules(model, walker);
    } catch (const std::exception& e) {
        std::string what = e.what();
        what = what.substr(0, what.find('\n'));
        addEndpoints(g, "cannot read forward: " + what);
    }
    return g;
}

std::vector<std::string> expandablePaths(const ModuleNode& model)
{
    GraphExpansion all;
    all.all = true;
    std::vector<std::string> out;
    for (const GraphGroup& group : buildForwardGraph(model, all).groups)
        out.push_back(group.path);
    return out;
}

}  // namespace mx
