// torch's argument parser, as the console's torch functions word it: the type names it prints,
// "received an invalid combination of arguments" with each function's overloads, and the keyword
// options the tensor factories share (dtype, requires_grad, device, ...).
#include "core/statements/interpreter.h"

#include <map>

namespace mx::stmt {

namespace {

// The signatures torch's parser lists after "but expected one of:".
const std::map<std::string, std::vector<std::string>>& overloads()
{
    const std::string tail = "torch.dtype dtype, torch.layout layout, torch.device device, bool pin_memory, bool requires_grad)";
    static const std::map<std::string, std::vector<std::string>> table{
        {"randn",
         {"(tuple of ints size, *, torch.Generator generator, tuple of names names, " + tail,
          "(tuple of ints size, *, torch.Generator generator, Tensor out, " + tail,
          "(tuple of ints size, *, Tensor out, " + tail,
          "(tuple of ints size, *, tuple of names names, " + tail}},
        {"rand",
         {"(tuple of ints size, *, torch.Generator generator, tuple of names names, " + tail,
          "(tuple of ints size, *, torch.Generator generator, Tensor out, " + tail,
          "(tuple of ints size, *, Tensor out, " + tail,
          "(tuple of ints size, *, tuple of names names, " + tail}},
        {"zeros",
         {"(tuple of ints size, *, tuple of names names, " + tail,
          "(tuple of SymInts size, *, Tensor out, " + tail}},
        {"ones",
         {"(tuple of ints size, *, tuple of names names, " + tail,
          "(tuple of SymInts size, *, Tensor out, " + tail}},
        {"empty",
         {"(tuple of ints size, *, tuple of names names, torch.memory_format memory_format, " + tail,
          "(tuple of SymInts size, *, torch.memory_format memory_format, Tensor out, " + tail}},
        {"eye",
         {"(int n, *, Tensor out, " + tail, "(int n, int m, *, Tensor out, " + tail}},
        {"full",
         {"(tuple of ints size, Number fill_value, *, tuple of names names, " + tail,
          "(tuple of SymInts size, Number fill_value, *, Tensor out, " + tail}},
        {"arange",
         {"(Number end, *, Tensor out, " + tail, "(Number start, Number end, *, " + tail,
          "(Number start, Number end, Number step, *, Tensor out, " + tail}},
        {"randint",
         {"(int high, tuple of ints size, *, torch.Generator generator, Tensor out, " + tail,
          "(int high, tuple of ints size, *, Tensor out, " + tail,
          "(int low, int high, tuple of ints size, *, torch.Generator generator, Tensor out, " + tail,
          "(int low, int high, tuple of ints size, *, Tensor out, " + tail}},
    };
    return table;
}

}  // namespace

std::string parserTypeName(const Value& v)
{
    switch (v.kind) {
    case Value::Kind::Tensor: return v.isParameter ? "Parameter" : "Tensor";
    case Value::Kind::Size: return "torch.Size";
    case Value::Kind::Dtype: return "torch.dtype";
    case Value::Kind::Device: return "torch.device";
    default: return typeShortName(v);
    }
}

void invalidCombination(const std::string& fn, const Args& args)
{
    std::string got;
    for (const ValuePtr& v : args.positional)
        got += (got.empty() ? "" : ", ") + parserTypeName(*v);
    for (const auto& [k, v] : args.keywords)
        got += (got.empty() ? "" : ", ") + k + "=" + parserTypeName(*v);
    std::string message = fn + "() received an invalid combination of arguments - got (" + got +
                          "), but expected one of:";
    for (const std::string& o : overloads().at(fn))
        message += "\n * " + o;
    typeError(message);
}

FactoryOptions factoryOptions(const std::string& fn, const Args& args, bool generator,
                              const std::set<std::string>& consumed)
{
    FactoryOptions o;
    for (const auto& [k, v] : args.keywords) {
        if (consumed.count(k))
            continue;
        if (k == "dtype") {
            if (v->kind == Value::Kind::Dtype)
                o.dtype = v->s;
            else if (v->kind != Value::Kind::None)
                invalidCombination(fn, args);
        } else if (k == "requires_grad") {
            if (v->kind != Value::Kind::Bool)
                invalidCombination(fn, args);
            o.requiresGrad = v->b;
        } else if (k == "device") {
            const bool cpu = v->kind == Value::Kind::None ||
                             ((v->kind == Value::Kind::Str || v->kind == Value::Kind::Device) && v->s == "cpu");
            if (!cpu) {
                if (v->kind != Value::Kind::Str && v->kind != Value::Kind::Device)
                    invalidCombination(fn, args);
                unsupported("creating tensors on device '" + v->s + "'");
            }
        } else if (k == "generator" && generator) {
            if (v->kind != Value::Kind::None)
                unsupported("generator= arguments");
        } else if (k == "layout" || k == "pin_memory" || k == "names" || k == "out") {
            if (v->kind != Value::Kind::None && !(k == "pin_memory" && v->kind == Value::Kind::Bool && !v->b))
                unsupported("the " + k + "= argument of torch." + fn + "()");
        } else {
            invalidCombination(fn, args);
        }
    }
    return o;
}

}  // namespace mx::stmt
