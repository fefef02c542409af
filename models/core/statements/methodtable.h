#pragma once
// Method tables: what each receiver type's methods are, written once.
//
// Design. Every receiver type the console knows has one MethodTable, built the way small
// embeddable interpreters bind methods (pocketpy's `py_bindmethod(type, "zfill", str_zfill)`):
// one entry per method, {Python name, how CPython checks its arguments, one small function}.
// Everything that asks "does this receiver have method X?" asks its table, so a method is
// written in one place:
//   - getattr / hasattr of a bound method (attributes.cpp): MethodTable::attribute();
//   - calling it (Interpreter::callMethod): MethodTable::call() checks the arguments as the entry's
//     ArgumentCheck says, with CPython's wording, then runs the function;
//   - completion (Interpreter::attributeNames): MethodTable::names();
//   - the refusal: a name that real Python/PyTorch has (`inPython`, the dir() lists generated
//     into pythonnames.cpp) but the table lacks raises "NotImplementedError: <type>.<name> is not
//     supported by Module Explorer's console"; any other name raises Python's AttributeError.
// A table may name a base table (OrderedDict -> dict, torch.Size -> tuple): lookup walks the
// chain, and a type redefines a method by listing it again, as a Python subclass does.
//
// Moving another receiver onto tables (tensor, nn.Module, each layer class, torch, nn, F):
//   1. write each method as `ValuePtr tensorDetach(Interpreter&, const ValuePtr& self, const Args&)`
//      in a file of that receiver (tensormethods.cpp, ...);
//   2. list it in the type's table with its ArgumentCheck: methods written in Python (nn.Module's)
//      use `pythonSignature(sig)`, whose errors bindArguments words; C methods use the CPython
//      convention they are built with;
//   3. give the table its dir() predicate from pythonnames.cpp and its base (a layer class's base
//      is the nn.Module table; Parameter's is Tensor's);
//   4. return it from methodTableFor(), then delete the type's name set, its `if (name == ...)`
//      branches and its completion entries.
// Namespaces (torch, torch.nn, F) fit the same shape with the namespace value as `self`.

#include "core/statements/interpreter.h"

#include <string>
#include <vector>

namespace mx::stmt {

/** One method: runs with the receiver `self` once its arguments passed the entry's check. */
using MethodFunction = ValuePtr (*)(Interpreter& in, const ValuePtr& self, const Args& args);

/** How a method's arguments are checked before it runs; each CPython convention words its own
 *  TypeErrors. All but Keywords, PythonSignature and Own refuse keyword arguments as CPython
 *  does ("str.center() takes no keyword arguments"). */
struct ArgumentCheck {
    enum class Convention {
        NoArgs,           // METH_NOARGS: "str.upper() takes no arguments (1 given)"
        One,              // METH_O: "list.append() takes exactly one argument (0 given)"
        Positional,       // Argument Clinic, positional-only: "center expected at least 1 argument, got 0"
        Tuple,            // PyArg_ParseTuple: "find() takes at least 1 argument (0 given)"
        Keywords,         // Argument Clinic with keywords: "'x' is an invalid keyword argument for split()"
        PythonSignature,  // a method written in Python: bindArguments' messages
        Own               // the function checks its own arguments (str.format takes anything)
    };
    explicit ArgumentCheck(Convention c, size_t least = 0, size_t most = 0, Signature signature = {})
        : convention(c), least(least), most(most), signature(std::move(signature))
    {
    }
    Convention convention;
    size_t least, most;          // Positional, Tuple
    Signature signature;         // Keywords, PythonSignature: the function gets the bound values
                                 // as `args.positional`, in parameter order, defaults filled in
};

using Convention = ArgumentCheck::Convention;
inline ArgumentCheck noArgs() { return ArgumentCheck(Convention::NoArgs); }
inline ArgumentCheck oneArg() { return ArgumentCheck(Convention::One, 1, 1); }
inline ArgumentCheck positionalArgs(size_t least, size_t most) { return ArgumentCheck(Convention::Positional, least, most); }
inline ArgumentCheck tupleArgs(size_t least, size_t most) { return ArgumentCheck(Convention::Tuple, least, most); }
inline ArgumentCheck keywordArgs(Signature s) { return ArgumentCheck(Convention::Keywords, 0, 0, std::move(s)); }
inline ArgumentCheck pythonSignature(Signature s) { return ArgumentCheck(Convention::PythonSignature, 0, 0, std::move(s)); }
inline ArgumentCheck ownCheck() { return ArgumentCheck(Convention::Own); }

/** One method of a table. */
struct MethodEntry {
    std::string name;
    ArgumentCheck check;
    MethodFunction call;
};

/** The methods of one receiver type (see the design above). */
class MethodTable {
public:
    MethodTable(std::string typeName, std::vector<MethodEntry> entries,
                bool (*inPython)(const std::string& name), const MethodTable* base = nullptr);

    const std::string& typeName() const { return typeName_; }
    /** The entry for `name`, here or in a base table; nullptr when the type has no such method. */
    const MethodEntry* find(const std::string& name) const;
    /** Every method name, bases included (for completion). */
    std::vector<std::string> names() const;
    /** Whether real Python/PyTorch has `name` (the table may lack it: then it is refused). */
    bool inPython(const std::string& name) const { return inPython_(name); }
    /** getattr(self, name): the bound method, or NotImplementedError for a name Python has and
     *  the console lacks, or Python's AttributeError. */
    ValuePtr attribute(const ValuePtr& self, const std::string& name) const;
    /** self.name(*args): checks the arguments, then runs the method. */
    ValuePtr call(Interpreter& in, const ValuePtr& self, const std::string& name, const Args& args) const;

private:
    /** The table whose entry `name` is (its type names the method in messages). */
    const MethodTable* owner(const std::string& name) const;

    std::string typeName_;
    std::vector<MethodEntry> entries_;
    bool (*inPython_)(const std::string&);
    const MethodTable* base_;
};

/** The table of a value's type; nullptr for receivers not yet on tables. */
const MethodTable* methodTableFor(const Value& v);

// The tables (strmethods.cpp, listmethods.cpp, dictmethods.cpp).
const MethodTable& strMethodTable();
const MethodTable& listMethodTable();
const MethodTable& tupleMethodTable();
const MethodTable& sizeMethodTable();
const MethodTable& dictMethodTable();
const MethodTable& orderedDictMethodTable();
const MethodTable& dictViewMethodTable(const std::string& view);  // "keys", "values", "items"
/** torch.Tensor's methods, nn.Parameter's too: it adds none (tensormethods.cpp). */
const MethodTable& tensorMethodTable();
/** The in-place methods (add_, fill_, zero_, ...), for the tensor table (tensorinplace.cpp). */
std::vector<MethodEntry> inPlaceTensorEntries();

// The functions of a namespace, the namespace value as `self` (a function value "torch.randn"
// names its namespace and entry): Python's builtins (pybuiltins.cpp), torch and torch.cuda
// (torchfunctions.cpp, tensorfactories.cpp), torch.nn.functional (functional.cpp).
/** reset_parameters (and BatchNorm2d's reset_running_stats) of a layer class (layermethods.cpp). */
std::vector<MethodEntry> layerResetEntries(const std::string& className);
const MethodTable& builtinFunctionTable();
const MethodTable& torchFunctionTable();
const MethodTable& cudaFunctionTable();
const MethodTable& functionalTable();
/** The table of the namespace "torch", "torch.cuda" or "torch.nn.functional"; nullptr for others. */
const MethodTable* functionTableOf(const std::string& module);
/** torch's tensor factories, for the torch table (tensorfactories.cpp). */
std::vector<MethodEntry> tensorFactoryEntries();

// nn.Module's methods (modulemethods.cpp), and the table of each module class, found by the
// module's typeName(): nn.Sequential, nn.ModuleList and nn.ModuleDict add their methods; the
// layer classes the app builds add none yet (their own members are refused); any other class
// has nn.Module's (a console class's own members are looked up before its table).
const MethodTable& moduleMethodTable();
const MethodTable& moduleClassTable(const std::string& typeName);
/** getattr(module, name) for a member of the module's class: the bound method, or
 *  NotImplementedError naming the class PyTorch defines it in ("Module.cpu",
 *  "Conv2d.reset_parameters"); nullptr when the class has no member `name`. */
ValuePtr moduleClassMember(const ValuePtr& module, const std::string& name);
/** The nn.Module table's entries kept beside what they change: state_dict and the listings
 *  (modulelistings.cpp), whole-module state (modulestate.cpp), train/eval/zero_grad/requires_grad_
 *  (consoletraining.cpp). */
std::vector<MethodEntry> moduleListingEntries();
std::vector<MethodEntry> moduleStateEntries();
std::vector<MethodEntry> trainingModuleEntries();
/** What nn.Sequential, nn.ModuleList and nn.ModuleDict add to nn.Module (containers.cpp). */
std::vector<MethodEntry> sequentialEntries();
std::vector<MethodEntry> moduleListEntries();
std::vector<MethodEntry> moduleDictEntries();

}  // namespace mx::stmt
