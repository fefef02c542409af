#include "core/scriptcompile.h"

#include "core/modulenode.h"
#include "core/scriptglobals.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/frontend/error_report.h>
#include <torch/csrc/jit/frontend/parser.h>
#include <torch/csrc/jit/frontend/resolver.h>
#include <torch/csrc/jit/frontend/sugared_value.h>
#include <torch/csrc/jit/ir/constants.h>

#include <map>
#include <stdexcept>

namespace mx {

namespace {

using torch::jit::ErrorReport;
using torch::jit::GraphFunction;
using torch::jit::NamedValue;
using torch::jit::SimpleValue;
using torch::jit::SourceRange;
using torch::jit::SugaredTupleValue;
using torch::jit::SugaredValue;
using torch::jit::SugaredValuePtr;
using torch::jit::Value;

// ---- torch.nn.functional -----------------------------------------------------------------
// The functions whose TorchScript meaning we know. Where Python's signature differs from the
// aten schema, a TorchScript function with Python's signature computes what 1.13's
// torch.nn.functional computes; the others map to aten ops of the same argument names. Anything
// else fails to compile, saying so. The pooling functions are their aten ops (int[2] arguments
// take an int as Python's BroadcastingList2 does); max_pool2d's return_indices (which changes
// the result's type) and an explicit stride=None fail to compile rather than compute otherwise.
const char* const kFunctionalSource = R"TS(
def relu(input: Tensor, inplace: bool = False) -> Tensor:
    if inplace:
        return torch.relu_(input)
    return torch.relu(input)

def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    if inplace:
        return torch.hardtanh_(input, 0.0, 6.0)
    return torch.hardtanh(input, 0.0, 6.0)

def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    if inplace:
        return torch.leaky_relu_(input, negative_slope)
    return torch.leaky_relu(input, negative_slope)

def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    if inplace:
        return torch.elu_(input, alpha)
    return torch.elu(input, alpha)

def silu(input: Tensor, inplace: bool = False) -> Tensor:
    if inplace:
        return torch.silu_(input)
    return torch.silu(input)

def sigmoid(input: Tensor) -> Tensor:
    return input.sigmoid()

def tanh(input: Tensor) -> Tensor:
    return input.tanh()

def _softmax_dim(ndim: int) -> int:
    if ndim == 0 or ndim == 1 or ndim == 3:
        return 0
    return 1

def softmax(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3, dtype: Optional[int] = None) -> Tensor:
    if dim is None:
        dim = _softmax_dim(input.dim())
    if dtype is None:
        return input.softmax(dim)
    return input.softmax(dim, dtype=dtype)

def log_softmax(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3, dtype: Optional[int] = None) -> Tensor:
    if dim is None:
        dim = _softmax_dim(input.dim())
    if dtype is None:
        return input.log_softmax(dim)
    return input.log_softmax(dim, dtype=dtype)

def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    if p < 0.0 or p > 1.0:
        raise ValueError("dropout probability has to be between 0 and 1, but got " + str(p))
    if inplace:
        return torch.dropout_(input, p, training)
    return torch.dropout(input, p, training)

def batch_norm(input: Tensor, running_mean: Optional[Tensor], running_var: Optional[Tensor], weight: Optional[Tensor] = None, bias: Optional[Tensor] = None, training: bool = False, momentum: float = 0.1, eps: float = 1e-05) -> Tensor:
    if training:
        size = input.size()
        values = size[0]
        for i in range(len(size) - 2):
            values *= size[i + 2]
        if values == 1:
            raise ValueError("Expected more than 1 value per channel when training, got input size " + str(size))
    return torch.batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, True)
)TS";

// torch.nn.functional functions that are the aten op of the same name and argument names.
bool isAtenFunctional(const std::string& name)
{
    static const char* const names[] = {
        "linear",     "conv1d",   "conv2d",     "conv3d",         "gelu",
        "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "hardtanh", "softplus"};
    for (const char* n : names)
        if (name == n)
            return true;
    return false;
}

// The compiled functions of kFunctionalSource; `torch.jit.annotate` and `ValueError` resolve.
struct FunctionalResolver : torch::jit::Resolver {
    SugaredValuePtr resolveValue(const std::string& name, GraphFunction&, const SourceRange&) override
    {
        if (name == "torch")
            return std::make_shared<torch::jit::BuiltinModule>("aten");
        if (name == "ValueError")
            return std::make_shared<torch::jit::ExceptionValue>("ValueError");
        return nullptr;
    }
    c10::TypePtr resolveType(const std::string&, const SourceRange&) override { return nullptr; }
};

torch::jit::CompilationUnit& functionalUnit()
{
    static const std::shared_ptr<torch::jit::CompilationUnit> unit = [] {
        auto cu = std::make_shared<torch::jit::CompilationUnit>();
        cu->define(c10::QualifiedName("__torch__.torch.nn.functional"), kFunctionalSource,
                   std::make_shared<FunctionalResolver>(), nullptr);
        return cu;
    }();
    return *unit;
}

/** `torch.nn.functional` (F) in a forward: the known functions, else a clear compile error. */
struct FunctionalModule : SugaredValue {
    std::string kind() const override { return "module 'torch.nn.functional'"; }
    SugaredValuePtr attr(const SourceRange& loc, GraphFunction&, const std::string& field) override
    {
        if (field[0] != '_')
            if (torch::jit::Function* fn = functionalUnit().find_function(
                    c10::QualifiedName("__torch__.torch.nn.functional." + field)))
                return std::make_shared<torch::jit::FunctionValue>(fn);
        if (isAtenFunctional(field))
            return std::make_shared<torch::jit::BuiltinFunction>(
                c10::Symbol::fromQualString("aten::" + field), c10::nullopt);
        throw ErrorReport(loc) << "torch.nn.functional." << field
                               << " is not supported in forward by Module Explorer";
    }
};

/** `torch.nn` (nn): only its `functional` is usable in forward. */
struct NnModule : SugaredValue {
    std::string kind() const override { return "module 'torch.nn'"; }
    SugaredValuePtr attr(const SourceRange& loc, GraphFunction&, const std::string& field) override
    {
        if (field == "functional")
            return std::make_shared<FunctionalModule>();
        throw ErrorReport(loc) << "torch.nn." << field
                               << " cannot be used in forward (TorchScript); create modules in "
                                  "__init__";
    }
};

/** `torch`: aten ops as the native resolver has them, plus torch.nn and the dtypes. */
struct TorchModule : SugaredValue {
    std::string kind() const override { return "module 'torch'"; }
    SugaredValuePtr attr(const SourceRange& loc, GraphFunction& m, const std::string& field) override
    {
        if (field == "nn")
            return std::make_shared<NnModule>();
        static const std::map<std::string, c10::ScalarType> dtypes{
            {"float32", at::kFloat}, {"float", at::kFloat},   {"float64", at::kDouble},
            {"double", at::kDouble}, {"float16", at::kHalf},  {"half", at::kHalf},
            {"bfloat16", at::kBFloat16}, {"int64", at::kLong}, {"long", at::kLong},
            {"int32", at::kInt},     {"int", at::kInt},       {"int16", at::kShort},
            {"short", at::kShort},   {"int8", at::kChar},     {"uint8", at::kByte},
            {"bool", at::kBool}};
        if (const auto it = dtypes.find(field); it != dtypes.end())
            return std::make_shared<SimpleValue>(
                m.graph()->insertConstant(static_cast<int64_t>(it->second), loc));
        return torch::jit::BuiltinModule("aten").attr(loc, m, field);
    }
};

/** `math`: its constants, and its functions as aten ops (as Python's TorchScript finds them). */
struct MathModule : SugaredValue {
    std::string kind() const override { return "module 'math'"; }
    SugaredValuePtr attr(const SourceRange& loc, GraphFunction& m, const std::string& field) override
    {
        static const std::map<std::string, double> constants{
            {"pi", 3.141592653589793}, {"e", 2.718281828459045}, {"tau", 6.283185307179586},
            {"inf", std::numeric_limits<double>::infinity()},
            {"nan", std::numeric_limits<double>::quiet_NaN()}};
        if (const auto it = constants.find(field); it != constants.end())
            return std::make_shared<SimpleValue>(m.graph()->insertConstant(it->second, loc));
        return torch::jit::BuiltinModule("aten").attr(loc, m, field);
    }
};

// Whether a jit class is the mirror of an nn.ModuleList / nn.Sequential / nn.ModuleDict.
bool isContainerType(const c10::TypePtr& type)
{
    const auto cls = type->cast<c10::ClassType>();
    if (!cls || !cls->is_module() || !cls->name())
        return false;
    const std::string name = cls->name()->name();
    return name == "ModuleList" || name == "Sequential" || name == "ModuleDict";
}

// Removes these methods (when present) from the class and its compilation unit.
void removeMethods(c10::ClassType& type, const std::vector<std::string>& names)
{
    torch::jit::CompilationUnit& unit = *type.compilation_unit();
    for (const std::string& name : names) {
        if (torch::jit::Function* method = type.findMethod(name)) {
            const c10::QualifiedName qualified = method->qualname();
            type.unsafeRemoveMethod(name);
            if (unit.find_function(qualified))
                unit.unsafeRemoveMethod(qualified);
        }
        // A method that failed before the class took it may still be in the unit.
        const c10::QualifiedName orphan(*type.name(), name);
        if (unit.find_function(orphan))
            unit.unsafeRemoveMethod(orphan);
    }
}

// The number of submodules of a module's jit class.
int64_t submoduleCount(const c10::ClassType& type)
{
    int64_t count = 0;
    for (size_t i = 0; i < type.numAttributes(); ++i)
        count += type.getAttribute(i)->is_module() ? 1 : 0;
    return count;
}

// `len(self.layers)`: the frontend calls the class's __len__, so a container's jit class gets one
// returning its number of children (a constant, as in Python's TorchScript). Redefined when that
// number changed: a change of children recompiles every forward above (ModuleNode::markStale).
void defineContainerLen(const c10::ClassTypePtr& type)
{
    const int64_t count = submoduleCount(*type);
    if (torch::jit::Function* existing = type->findMethod("__len__")) {
        const auto graph = torch::jit::toGraphFunction(*existing).graph();
        const c10::optional<c10::IValue> value = torch::jit::toIValue(graph->outputs().at(0));
        if (value && value->isInt() && value->toInt() == count)
            return;
    }
    removeMethods(*type, {"__len__"});
    const torch::jit::SimpleSelf self(type);
    type->compilation_unit()->define(*type->name(),
                                     "def __len__(self) -> int:\n    return " +
                                         std::to_string(count) + "\n",
                                     torch::jit::nativeResolver(), &self);
}

// The C++ parser keeps `for a, b in x` as two targets, which unrolled loops (module containers)
// cannot assign; Python's frontend makes them one tuple target. Rewrites the statements so.
torch::jit::List<torch::jit::Stmt> tupleLoopTargets(const torch::jit::List<torch::jit::Stmt>& body);

torch::jit::Stmt tupleLoopTargets(const torch::jit::Stmt& stmt)
{
    using namespace torch::jit;
    switch (stmt.kind()) {
    case TK_FOR: {
        const For loop(stmt);
        List<Expr> targets = loop.targets();
        if (targets.size() > 1)
            targets = List<Expr>::create(
                targets.range(), {TupleLiteral::create(targets.range(), targets)});
        return For::create(loop.range(), targets, loop.itrs(), tupleLoopTargets(loop.body()));
    }
    case TK_IF: {
        const If branch(stmt);
        return branch.withNewBranches(tupleLoopTargets(branch.trueBranch()),
                                      tupleLoopTargets(branch.falseBranch()));
    }
    case TK_WHILE: {
        const While loop(stmt);
        return While::create(loop.range(), loop.cond(), tupleLoopTargets(loop.body()));
    }
    case TK_WITH: {
        const With with(stmt);
        return With::create(with.range(), with.targets(), tupleLoopTargets(with.body()));
    }
    default: return stmt;
    }
}

torch::jit::List<torch::jit::Stmt> tupleLoopTargets(const torch::jit::List<torch::jit::Stmt>& body)
{
    std::vector<torch::jit::Stmt> out;
    for (const torch::jit::Stmt& stmt : body)
        out.push_back(tupleLoopTargets(stmt));
    return torch::jit::List<torch::jit::Stmt>::create(body.range(), out);
}

/** The script's globals: imported modules under their aliases and top-level constants. */
struct ScriptResolver : torch::jit::Resolver {
    explicit ScriptResolver(const ScriptGlobals& g) : globals(g) {}

    SugaredValuePtr resolveValue(const std::string& name, GraphFunction& m,
                                 const SourceRange& loc) override
    {
        if (const auto it = globals.modules.find(name); it != globals.modules.end()) {
            const std::string& module = it->second;
            if (module == "torch")
                return std::make_shared<TorchModule>();
            if (module == "torch.nn")
                return std::make_shared<NnModule>();
            if (module == "torch.nn.functional")
                return std::make_shared<FunctionalModule>();
            if (module == "math")
                return std::make_shared<MathModule>();
            throw ErrorReport(loc) << "module '" << module
                                   << "' cannot be used in forward (TorchScript)";
        }
        const auto it = globals.constants.find(name);
        if (it == globals.constants.end())
            return nullptr;
        const PythonValue& v = it->second;
        torch::jit::Graph& g = *m.graph();
        switch (v.kind()) {
        case PythonValue::Kind::None: return std::make_shared<SimpleValue>(g.insertConstant(c10::IValue(), loc));
        case PythonValue::Kind::Bool: return std::make_shared<SimpleValue>(g.insertConstant(v.boolValue(), loc));
        case PythonValue::Kind::Int: return std::make_shared<SimpleValue>(g.insertConstant(v.intValue(), loc));
        case PythonValue::Kind::Float: return std::make_shared<SimpleValue>(g.insertConstant(v.floatValue(), loc));
        case PythonValue::Kind::Str: return std::make_shared<SimpleValue>(g.insertConstant(v.stringValue(), loc));
        case PythonValue::Kind::Other: break;
        }
        throw ErrorReport(loc) << "python value of type '" << v.typeName()
                               << "' cannot be used as a value in forward (TorchScript): '"
                               << name << "'";
    }
    c10::TypePtr resolveType(const std::string&, const SourceRange&) override { return nullptr; }

    ScriptGlobals globals;
};

// ---- self and its submodules ---------------------------------------------------------------

enum class ContainerKind { None, List, Dict };

ContainerKind containerKind(const ModuleNode* node)
{
    if (!node)
        return ContainerKind::None;
    const std::string& type = node->typeName();
    if (type == "ModuleList" || type == "Sequential")
        return ContainerKind::List;
    return type == "ModuleDict" ? ContainerKind::Dict : ContainerKind::None;
}

/** A container's items() / keys() / values(): a call without arguments giving the iterable. */
struct ContainerMethod : SugaredValue {
    ContainerMethod(SugaredValuePtr iterable, std::string name)
        : iterable_(std::move(iterable)), name_(std::move(name)) {}
    std::string kind() const override { return name_; }
    SugaredValuePtr call(const SourceRange& loc, GraphFunction&, at::ArrayRef<NamedValue> args,
                         at::ArrayRef<NamedValue> kwargs, size_t) override
    {
        if (!args.empty() || !kwargs.empty())
            throw ErrorReport(loc) << name_ << " method does not accept any arguments";
        return iterable_;
    }

private:
    SugaredValuePtr iterable_;
    std::string name_;
};

/**
 * A module in forward (self, self.block, self.layers): what Python's TorchScript frontend
 * (ModuleValue in python_sugared_value.cpp) lets code do with it: submodules stay modules,
 * containers iterate unrolled and index with constants, everything else is the jit attribute
 * or method. `node` says which submodules are containers (may be nullptr: none).
 */
struct ExplorerModuleValue : SugaredValue {
    ExplorerModuleValue(Value* self, const ModuleNode* node) : self_(self), node_(node) {}

    std::string kind() const override { return "module"; }
    Value* asValue(const SourceRange&, GraphFunction&) override { return self_; }

    const c10::ClassType& type() const { return *self_->type()->expect<c10::ClassType>(); }
    std::string typeName() const { return type().name() ? type().name()->name() : "Module"; }

    // Submodule names and values in attribute order (the container's _modules order).
    std::pair<std::shared_ptr<SugaredTupleValue>, std::shared_ptr<SugaredTupleValue>>
    submodules(const SourceRange& loc, GraphFunction& m)
    {
        std::vector<SugaredValuePtr> keys, values;
        const c10::ClassType& t = type();
        for (size_t i = 0; i < t.numAttributes(); ++i) {
            if (!t.getAttribute(i)->is_module())
                continue;
            const std::string& name = t.getAttributeName(i);
            keys.push_back(std::make_shared<SimpleValue>(m.graph()->insertConstant(name, loc)));
            values.push_back(child(m, name));
        }
        return {std::make_shared<SugaredTupleValue>(keys),
                std::make_shared<SugaredTupleValue>(values)};
    }

    SugaredValuePtr child(GraphFunction& m, const std::string& name)
    {
        const ModuleNode* node = node_ ? node_->findChild(name) : nullptr;
        Value* value = m.graph()->insertGetAttr(self_, name);
        if (containerKind(node) != ContainerKind::None)
            defineContainerLen(value->type()->expect<c10::ClassType>());
        return std::make_shared<ExplorerModuleValue>(value, node);
    }

    SugaredValuePtr tryGetAttr(const SourceRange& loc, GraphFunction& m, const std::string& field)
    {
        const c10::ClassType& t = type();
        if (t.hasAttribute(field) && t.getAttribute(field)->is_module())
            return child(m, field);
        if (t.hasAttribute(field) || t.findMethod(field))
            return SimpleValue(self_).attr(loc, m, field);
        if (t.hasConstant(field))
            return std::make_shared<SimpleValue>(m.graph()->insertConstant(t.getConstant(field), loc));
        const ContainerKind kind = containerKind(node_);
        if (kind == ContainerKind::Dict && (field == "items" || field == "keys" || field == "values")) {
            auto [keys, values] = submodules(loc, m);
            if (field == "keys")
                return std::make_shared<ContainerMethod>(keys, field);
            if (field == "values")
                return std::make_shared<ContainerMethod>(values, field);
            auto pairs = std::make_shared<torch::jit::IterableTree>();
            pairs->addChild(loc, m, keys);
            pairs->addChild(loc, m, values);
            return std::make_shared<ContainerMethod>(pairs, field);
        }
        if (field == "children" || field == "named_children") {
            auto [keys, values] = submodules(loc, m);
            if (field == "children")
                return std::make_shared<ContainerMethod>(values, field);
            auto pairs = std::make_shared<torch::jit::IterableTree>();
            pairs->addChild(loc, m, keys);
            pairs->addChild(loc, m, values);
            return std::make_shared<ContainerMethod>(pairs, field);
        }
        return nullptr;
    }

    SugaredValuePtr attr(const SourceRange& loc, GraphFunction& m, const std::string& field) override
    {
        if (SugaredValuePtr found = tryGetAttr(loc, m, field))
            return found;
        throw ErrorReport(loc) << "Module '" << typeName() << "' has no attribute '" << field << "' ";
    }

    bool hasAttr(const SourceRange& loc, GraphFunction& m, const std::string& field) override
    {
        return tryGetAttr(loc, m, field) != nullptr;
    }

    void setAttr(const SourceRange& loc, GraphFunction& m, const std::string& field,
                 Value* value) override
    {
        SimpleValue(self_).setAttr(loc, m, field, value);
    }

    SugaredValuePtr call(const SourceRange& loc, GraphFunction& m, at::ArrayRef<NamedValue> args,
                         at::ArrayRef<NamedValue> kwargs, size_t binders) override
    {
        if (!type().findMethod("forward"))
            throw ErrorReport(loc) << "Module '" << typeName()
                                   << "' has no attribute 'forward' (it cannot be called)";
        return attr(loc, m, "forward")->call(loc, m, args, kwargs, binders);
    }

    SugaredValuePtr iter(const SourceRange& loc, GraphFunction& m) override
    {
        switch (containerKind(node_)) {
        case ContainerKind::List: return submodules(loc, m).second;
        case ContainerKind::Dict: return submodules(loc, m).first;
        case ContainerKind::None: break;
        }
        throw ErrorReport(loc) << "Only constant Sequential, ModuleList, ModuleDict, or "
                               << "ParameterList can be used as an iterable";
    }

    SugaredValuePtr asTupleValue(const SourceRange& loc, GraphFunction& m) override
    {
        if (containerKind(node_) == ContainerKind::List)
            return submodules(loc, m).second;
        throw ErrorReport(loc) << "Only ModuleList or Sequential modules can be used as tuple";
    }

    Value* len(const SourceRange& loc, GraphFunction& m) override
    {
        if (containerKind(node_) == ContainerKind::None)
            return SugaredValue::len(loc, m);
        return m.graph()->insertConstant(
            static_cast<int64_t>(submodules(loc, m).second->tup_.size()), loc);
    }

    SugaredValuePtr getitem(const SourceRange& loc, GraphFunction& m, Value* index,
                            c10::TypePtr hint) override
    {
        switch (containerKind(node_)) {
        case ContainerKind::List: return submodules(loc, m).second->getitem(loc, m, index, hint);
        case ContainerKind::Dict: {
            const c10::optional<c10::IValue> key = torch::jit::toIValue(index);
            if (!key || !key->isString())
                throw ErrorReport(loc)
                    << "Unable to extract string literal index. ModuleDict indexing is only "
                    << "supported with string literals. Enumeration of ModuleDict is supported, "
                    << "e.g. 'for k, v in self.items(): ...'";
            const c10::ClassType& t = type();
            const std::string& name = key->toStringRef();
            if (!t.hasAttribute(name) || !t.getAttribute(name)->is_module())
                throw ErrorReport(loc) << "Key Error, " << name;
            return child(m, name);
        }
        case ContainerKind::None: break;
        }
        throw ErrorReport(loc) << "Only ModuleList, Sequential, ModuleDict, "
                               << "ParameterList, and ParameterDict modules are subscriptable";
    }

private:
    Value* self_;
    const ModuleNode* node_;
};

/** Binds `self` of the compiled methods to an ExplorerModuleValue. */
struct ExplorerSelf : torch::jit::Self {
    ExplorerSelf(c10::ClassTypePtr type, const ModuleNode& node) : type_(std::move(type)), node_(node) {}
    SugaredValuePtr makeSugared(Value* v) const override
    {
        v->setType(type_);
        return std::make_shared<ExplorerModuleValue>(v, &node_);
    }
    c10::ClassTypePtr getClassType() const override { return type_; }

private:
    c10::ClassTypePtr type_;
    const ModuleNode& node_;
};

// "RuntimeError: <message>" unless the first line already names an error type.
std::string asPythonError(std::string message)
{
    message.erase(0, message.find_first_not_of('\n'));  // ErrorReport's text starts with one
    const size_t colon = message.find(": ");
    const size_t newline = message.find('\n');
    if (colon != std::string::npos && colon < newline && colon >= 5 &&
        message.compare(colon - 5, 5, "Error") == 0 && message.find(' ') > colon)
        return message;
    return "RuntimeError: " + message;
}

}  // namespace

void removeScriptMethods(torch::jit::Module& module, const std::vector<std::string>& names)
{
    removeMethods(*module.type(), names);
}

std::vector<std::string> compileScriptMethods(const ModuleNode& node, torch::jit::Module& module,
                                              const std::string& source,
                                              const ScriptGlobals& globals)
{
    std::vector<std::string> names;
    try {
        // The file name and first line make every message say `line N` of the user's file.
        torch::jit::Parser parser(std::make_shared<torch::jit::Source>(source, "<string>", 1));
        std::vector<torch::jit::Def> defs;
        std::vector<torch::jit::ResolverPtr> resolvers;
        const auto resolver = std::make_shared<ScriptResolver>(globals);
        while (parser.lexer().cur().kind != torch::jit::TK_EOF) {
            const torch::jit::Def def(parser.parseFunction(/*is_method=*/true));
            defs.push_back(torch::jit::Def::create(def.range(), def.name(), def.decl(),
                                                   tupleLoopTargets(def.statements())));
            resolvers.push_back(resolver);
            names.push_back(defs.back().name().name());
        }
        removeScriptMethods(module, names);
        const ExplorerSelf self(module.type(), node);
        module.type()->compilation_unit()->define(*module.type()->name(), {}, {}, defs,
                                                  resolvers, &self);
    } catch (const c10::Error& e) {
        removeScriptMethods(module, names);
        throw std::runtime_error(asPythonError(e.what_without_backtrace()));
    } catch (const std::exception& e) {
        removeScriptMethods(module, names);
        throw std::runtime_error(asPythonError(e.what()));
    }
    return names;
}

}  // namespace mx
