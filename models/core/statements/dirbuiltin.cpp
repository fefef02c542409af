// dir(object): the sorted names Python's dir() lists, for the objects whose class the console
// knows exactly: modules the app or the console built (nn.Module's names, the layer class's,
// a console class's members, then the instance's __dict__, parameters, children and buffers, as
// Module.__dir__ does), tensors, str, list, tuple, dict and the torch / torch.nn namespaces.
// Anything else is refused rather than listed incompletely.

#include "core/examples.h"
#include "core/moduleclassnames.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/statements/interpreter.h"
#include "core/statements/pythonnames.h"
#include "core/statements/userclasses.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace mx::stmt {

namespace {

// The classes of the built-in examples: their Python classes define only __init__ and forward.
bool isExampleClass(const std::string& typeName)
{
    const std::vector<ExampleInfo>& all = examples();
    return std::any_of(all.begin(), all.end(), [&](const ExampleInfo& e) { return e.pythonClassName == typeName; });
}

void append(std::vector<std::string>& out, NameTable table) { out.insert(out.end(), table.begin, table.end); }

}  // namespace

std::vector<std::string> Interpreter::moduleDir(const ValuePtr& v)
{
    const ModuleNode& node = resolveModule(v->module);
    if (!node.qualifiedName().empty())
        unsupported("dir() of a TorchScript module");
    // dir(type(module)): one name each.
    std::set<std::string> classNames;
    const NameList base = nnModuleMembers();
    classNames.insert(base.begin, base.end);
    if (const Instance* instance = instanceOf(*v); instance && instance->cls) {
        for (const UserClass* c = instance->cls.get(); c; c = c->base.get())
            for (const auto& member : c->members)
                classNames.insert(member.first);
    } else if (const ModuleClassNames* cls = moduleClassNames(node.typeName())) {
        classNames.insert(cls->extras.begin, cls->extras.end);
    } else if (!isExampleClass(node.typeName())) {
        unsupported("dir() of a '" + node.typeName() + "' module");
    }
    std::vector<std::string> names(classNames.begin(), classNames.end());
    // Then the instance: __dict__, _parameters, _modules, _buffers (duplicates kept, as Python's).
    for (const auto& attribute : moduleInstanceAttributes())  // what nn.Module.__init__ sets
        names.push_back(attribute.first);
    for (const PlainAttribute& a : node.plainAttributes())
        names.push_back(a.name);
    for (const TensorSlot& s : node.parameters())
        names.push_back(s.name);
    for (const ChildSlot& c : node.childSlots())
        names.push_back(c.name);
    for (const TensorSlot& s : node.buffers())
        names.push_back(s.name);
    names.erase(std::remove_if(names.begin(), names.end(),
                               [](const std::string& n) { return !n.empty() && std::isdigit(static_cast<unsigned char>(n[0])); }),
                names.end());
    return names;
}

ValuePtr Interpreter::dir(const Args& args)
{
    if (!args.keywords.empty())
        typeError("dir() takes no keyword arguments");
    if (args.positional.size() > 1)
        typeError("dir expected at most 1 argument, got " + std::to_string(args.positional.size()));
    if (args.positional.empty())
        unsupported("dir() without an argument");
    const ValuePtr& v = args.positional[0];
    std::vector<std::string> names;
    switch (v->kind) {
    case Value::Kind::Str: append(names, memberTable("str")); break;
    case Value::Kind::List: append(names, memberTable("list")); break;
    case Value::Kind::Tuple: append(names, memberTable("tuple")); break;
    case Value::Kind::Dict:
        if (v->ordered)
            unsupported("dir() of an OrderedDict");
        append(names, memberTable("dict"));
        break;
    case Value::Kind::Namespace:
        if (v->s == "torch")
            append(names, memberTable("torch"));
        else if (v->s == "torch.nn")
            append(names, memberTable("nn"));
        else if (v->s == "torch.cuda")
            append(names, memberTable("cuda"));
        else
            unsupported("dir() of the module " + v->s);
        break;
    case Value::Kind::Tensor: {  // Tensor.__dir__: the class's names less two it hides
        const bool cuda = v->tensor.deviceName().rfind("cuda", 0) == 0;
        const NameTable tensor = memberTable("tensor");
        for (const char* const* n = tensor.begin; n != tensor.end; ++n)
            if (std::string(*n) != "volatile" && (cuda || std::string(*n) != "__cuda_array_interface__"))
                names.push_back(*n);
        break;
    }
    case Value::Kind::Module: names = moduleDir(v); break;
    default: unsupported("dir() of '" + typeShortName(*v) + "' objects");
    }
    std::sort(names.begin(), names.end());
    std::vector<ValuePtr> items;
    items.reserve(names.size());
    for (std::string& n : names)
        items.push_back(str(std::move(n)));
    return listValue(std::move(items));
}

}  // namespace mx::stmt
