// The functions of the torch and torch.cuda namespaces: one function per name, bound in their
// tables (the tensor factories are listed by tensorfactories.cpp).
#include "core/statements/methodtable.h"

#include "core/runtime.h"
#include "core/statements/pythonnames.h"
#include "core/statements/tensorops.h"

namespace mx::stmt {

namespace {

ValuePtr torchManualSeed(Interpreter& in, const ValuePtr&, const Args& args)
{
    const ValuePtr seed = in.construct("int", Args{{args.positional[0]}, {}});
    manualSeed(static_cast<uint64_t>(seed->i));
    auto generator = std::make_shared<Value>();
    generator->kind = Value::Kind::Generator;
    return generator;
}

ValuePtr torchIsTensor(Interpreter&, const ValuePtr&, const Args& args)
{
    return boolean(args.positional[0]->kind == Value::Kind::Tensor);
}

ValuePtr torchGetDefaultDtype(Interpreter&, const ValuePtr&, const Args&) { return dtypeValue("float32"); }

ValuePtr torchTypename(Interpreter&, const ValuePtr&, const Args& args) { return str(torchTypeName(*args.positional[0])); }

ValuePtr torchDevice(Interpreter&, const ValuePtr&, const Args& args)
{
    const auto& pos = args.positional;
    if (pos.size() != 1 || !args.keywords.empty() || pos[0]->kind != Value::Kind::Str || pos[0]->s != "cpu")
        unsupported("torch.device() other than torch.device('cpu')");
    auto device = std::make_shared<Value>();
    device->kind = Value::Kind::Device;
    device->s = "cpu";
    return device;
}

// torch.sum(t, ...) is t.sum(...): the tensor method `name`.
template <const char* name>
ValuePtr asTensorMethod(Interpreter& in, const ValuePtr&, const Args& args)
{
    const auto& pos = args.positional;
    if (pos.empty())
        unsupported("torch." + std::string(name) + "() without a tensor");
    if (pos[0]->kind != Value::Kind::Tensor)
        typeError(std::string(name) + "(): argument 'input' (position 1) must be Tensor, not " +
                  parserTypeName(*pos[0]));
    return in.callMethod(pos[0], name, Args{{pos.begin() + 1, pos.end()}, args.keywords});
}

constexpr char kNumel[] = "numel", kSum[] = "sum", kMean[] = "mean", kAbs[] = "abs", kMax[] = "max",
               kMin[] = "min", kExp[] = "exp", kSqrt[] = "sqrt", kRelu[] = "relu", kSigmoid[] = "sigmoid",
               kTanh[] = "tanh", kFlatten[] = "flatten", kT[] = "t";

std::vector<MethodEntry> torchEntries()
{
    std::vector<MethodEntry> entries = tensorFactoryEntries();
    const std::vector<MethodEntry> others{
        {"manual_seed", pythonSignature({"manual_seed", {{"seed", nullptr}}, false}), torchManualSeed},
        {"is_tensor", pythonSignature({"is_tensor", {{"obj", nullptr}}, false}), torchIsTensor},
        {"get_default_dtype", pythonSignature({"get_default_dtype", {}, false}), torchGetDefaultDtype},
        {"typename", pythonSignature({"typename", {{"o", nullptr}}, false}), torchTypename},
        {"device", ownCheck(), torchDevice},
        {"numel", ownCheck(), asTensorMethod<kNumel>},
        {"sum", ownCheck(), asTensorMethod<kSum>},
        {"mean", ownCheck(), asTensorMethod<kMean>},
        {"abs", ownCheck(), asTensorMethod<kAbs>},
        {"max", ownCheck(), asTensorMethod<kMax>},
        {"min", ownCheck(), asTensorMethod<kMin>},
        {"exp", ownCheck(), asTensorMethod<kExp>},
        {"sqrt", ownCheck(), asTensorMethod<kSqrt>},
        {"relu", ownCheck(), asTensorMethod<kRelu>},
        {"sigmoid", ownCheck(), asTensorMethod<kSigmoid>},
        {"tanh", ownCheck(), asTensorMethod<kTanh>},
        {"flatten", ownCheck(), asTensorMethod<kFlatten>},
        {"t", ownCheck(), asTensorMethod<kT>},
    };
    entries.insert(entries.end(), others.begin(), others.end());
    return entries;
}

ValuePtr cudaIsAvailable(Interpreter&, const ValuePtr&, const Args&) { return boolean(tensors::cudaAvailable()); }

}  // namespace

const MethodTable& torchFunctionTable()
{
    static const MethodTable table("torch", torchEntries(), torchMembers);
    return table;
}

const MethodTable& cudaFunctionTable()
{
    static const MethodTable table(
        "torch.cuda", {{"is_available", pythonSignature({"is_available", {}, false}), cudaIsAvailable}},
        cudaMembers);
    return table;
}

}  // namespace mx::stmt
