#pragma once

#include "core/tensorref.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mx {
class ModuleNode;
class Optimizer;
}

namespace mx::stmt {

struct Value;
struct UserFunction;
struct UserClass;
using ValuePtr = std::shared_ptr<Value>;

/**
 * Who owns a module the console can name: the session's model (not owned), or a module the
 * console created (owned until a mutation attaches it; then `movedTo`/`movedPath` say where it went).
 */
struct ModuleHolder {
    ModuleNode* root = nullptr;
    std::shared_ptr<ModuleNode> owned;  // a module made in the console, until a module takes it
    std::shared_ptr<ModuleHolder> movedTo;
    std::vector<std::string> movedPath;
    ~ModuleHolder();
};

/** A module value: a path of child names from a holder, and the node it named when taken. */
struct ModuleRef {
    std::shared_ptr<ModuleHolder> holder;
    std::vector<std::string> path;
    const ModuleNode* expected = nullptr;
    /** The module itself: still found while it stays in the model under another name after its
     *  path went (`c = model.conv1; model.keep = c; del model.conv1; c`), as Python finds it. */
    std::weak_ptr<const ModuleNode> identity;
};

/** An iterator: `next` returns nullptr when exhausted. */
struct IteratorState {
    std::string typeName;  // "generator", "enumerate", "list_iterator", ...
    std::string qualName;  // for generators: "Module.named_buffers"
    std::function<ValuePtr()> next;
};

/** A Python value in the console. One struct with the fields each kind uses. */
struct Value {
    enum class Kind {
        None, Bool, Int, Float, Str,
        Tensor,      // tensor, isParameter
        Size,        // dims
        Dtype,       // str: "float32"
        Device,      // str: "cpu"
        Module,      // module
        List, Tuple, // items
        Dict,        // keys, items (values); ordered = OrderedDict
        DictView,    // receiver (a Dict), str: "keys" | "values" | "items"
        Iterator,    // iterator
        Range,       // start, stop, step
        Namespace,   // str: "torch", "torch.nn", "torch.cuda", "torch.nn.functional"
        Function,    // str: qualified name ("print", "torch.randn")
        Method,      // receiver, str: method name
        Class,       // str: qualified class name ("int", "torch.nn.modules.linear.Linear")
        Generator,   // torch._C.Generator
        Opaque,      // a value the app only shows: str = type name, repr = repr
        Slice,       // items: start, stop, step (None or Int)
        Ellipsis,
        Optimizer    // optimizer: torch.optim.SGD / Adam
    };
    Value() = default;
    Value(const Value&) = delete;
    Value& operator=(const Value&) = delete;
    /** Releases nested values iteratively, so deeply nested lists cannot overflow the stack. */
    ~Value();

    Kind kind = Kind::None;
    bool b = false;
    int64_t i = 0;
    double f = 0.0;
    std::string s;
    std::string repr;  // Opaque
    TensorRef tensor;
    bool isParameter = false;
    std::vector<int64_t> dims;
    ModuleRef module;
    std::vector<ValuePtr> items;
    std::vector<ValuePtr> keys;
    bool ordered = false;
    std::string viewOf;  // Dict: "_parameters", "_buffers" or "_modules" of a module (read-only)
    uint64_t version = 0;  // Dict: bumped on every change
    ValuePtr receiver;
    std::shared_ptr<IteratorState> iterator;
    int64_t start = 0, stop = 0, step = 1;
    size_t accountedBytes = 0;  // what this value added to liveValueBytes()
    std::shared_ptr<mx::Optimizer> optimizer;
    std::shared_ptr<UserFunction> function;  // Function / Method: a `def` the console ran
    std::shared_ptr<UserClass> userClass;    // Class: a `class` the console ran; super objects
};

/** Bytes held by the console's live values (the objects and the strings they were made with),
 *  for the memory budget; tensors are counted by their allocator (core/resourcebudget.h). */
uint64_t liveValueBytes();

// ---- constructors ------------------------------------------------------------------------------
ValuePtr none();
ValuePtr boolean(bool v);
ValuePtr integer(int64_t v);
ValuePtr floating(double v);
ValuePtr str(std::string v);
ValuePtr tensorValue(TensorRef t, bool isParameter = false);
ValuePtr sizeValue(std::vector<int64_t> dims);
ValuePtr dtypeValue(std::string name);
ValuePtr listValue(std::vector<ValuePtr> items);
ValuePtr tupleValue(std::vector<ValuePtr> items);
ValuePtr dictValue(bool ordered);
ValuePtr namespaceValue(std::string name);
ValuePtr functionValue(std::string name);
ValuePtr methodValue(ValuePtr receiver, std::string name);
ValuePtr classValue(std::string name);
ValuePtr iteratorValue(std::string typeName, std::string qualName, std::function<ValuePtr()> next);
ValuePtr moduleValue(ModuleRef ref);

// ---- Python's protocols (torch-free parts) -------------------------------------------------------
/** The module a module value names; throws PythonError when it is no longer reachable. */
ModuleNode& resolveModule(const ModuleRef& ref);
/** The module a ref names, shared (a module may sit under several names); nullptr for the model
 *  itself, which no module holds. */
std::shared_ptr<ModuleNode> sharedModule(const ModuleRef& ref);
/** Whether the ref names a module made in the console that no module holds yet. */
bool isUnattached(const ModuleRef& ref);
/** repr(value). */
std::string repr(const Value& v);
/** str(value). */
std::string toStr(const Value& v);
/** type(value).__name__ as Python error messages use it: "int", "Tensor", "Linear", "NoneType". */
std::string typeShortName(const Value& v);
/** type(value)'s qualified name: "int", "torch.Tensor", "torch.nn.modules.linear.Linear". */
std::string typeQualName(const Value& v);
/** torch.typename(value), as nn.Module's error messages use it: "torch.FloatTensor", "int". */
std::string torchTypeName(const Value& v);
/** Python's `==` for the values the console compares (numbers, strings, tuples, None, ...). */
bool equal(const Value& a, const Value& b);
/** Whether a value can be a dict key. */
bool hashable(const Value& v);
/** What `is` and id() compare: one address per Python object (a tensor's TensorImpl, a module's
 *  node, interned singletons such as None, small ints and dtypes). */
const void* objectIdentity(const ValuePtr& v);
/** "0x7f..." for reprs that show an address. */
std::string addressOf(const void* p);

}  // namespace mx::stmt
