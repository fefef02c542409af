// Reading a built layer's constructor attributes (`fc.in_features`, `conv.stride`, `drop.p`):
// the values PyTorch 1.13 keeps in the layer's __dict__, read back from its extra_repr, which
// the layer factories write from exactly those values (and the console never changes them).

#include "core/modulenode.h"
#include "core/statements/interpreter.h"

#include <cstdlib>
#include <map>

namespace mx::stmt {

namespace {

// extra_repr's comma-separated items, split outside parentheses.
std::vector<std::string> items(const std::string& text)
{
    std::vector<std::string> out;
    std::string item;
    int depth = 0;
    for (char c : text) {
        if (c == '(')
            ++depth;
        if (c == ')')
            --depth;
        if (c == ',' && depth == 0) {
            out.push_back(item);
            item.clear();
            continue;
        }
        if (!(item.empty() && c == ' '))
            item += c;
    }
    if (!item.empty())
        out.push_back(item);
    return out;
}

// A value as extra_repr prints it: an int, a float, True/False/None or a tuple of ints.
ValuePtr parseValue(const std::string& text)
{
    if (text == "True" || text == "False")
        return boolean(text == "True");
    if (text == "None")
        return none();
    if (!text.empty() && text.front() == '(') {
        std::vector<ValuePtr> parts;
        for (const std::string& part : items(text.substr(1, text.size() - 2)))
            parts.push_back(parseValue(part));
        return tupleValue(std::move(parts));
    }
    char* end = nullptr;
    const long long i = std::strtoll(text.c_str(), &end, 10);
    if (end && *end == '\0' && !text.empty())
        return integer(i);
    const double f = std::strtod(text.c_str(), &end);
    if (end && *end == '\0' && !text.empty())
        return floating(f);
    return nullptr;
}

}  // namespace

ValuePtr layerAttribute(const ModuleNode& node, const std::string& name)
{
    // Each layer's extra_repr: its positional names first, then name=value items; the
    // attributes extra_repr leaves out, with their (unchangeable here) values.
    struct Layer {
        std::vector<std::string> positional;
        std::map<std::string, std::string> fixed;  // attribute -> repr when extra_repr omits it
    };
    static const std::map<std::string, Layer> layers{
        {"Linear", {{}, {}}},
        {"Conv2d",
         {{"in_channels", "out_channels"},
          {{"padding", "(0, 0)"}, {"dilation", "(1, 1)"}, {"groups", "1"}, {"transposed", "False"},
           {"output_padding", "(0, 0)"}}}},
        {"MaxPool2d", {{}, {{"return_indices", "False"}}}},
        {"Dropout", {{}, {}}},
        {"ReLU", {{}, {{"inplace", "False"}}}},
        {"BatchNorm2d", {{"num_features"}, {}}},
        {"Flatten", {{}, {}}},
    };
    const auto layer = layers.find(node.typeName());
    if (layer == layers.end() || node.isScripted())
        return nullptr;
    std::map<std::string, std::string> values = layer->second.fixed;
    const std::vector<std::string> parts = items(node.extraRepr());
    for (size_t k = 0; k < parts.size(); ++k) {
        const size_t eq = parts[k].find('=');
        if (eq == std::string::npos) {
            if (k >= layer->second.positional.size())
                return nullptr;
            values[layer->second.positional[k]] = parts[k];
        } else {
            values[parts[k].substr(0, eq)] = parts[k].substr(eq + 1);
        }
    }
    if (node.typeName() == "Conv2d" && name == "padding_mode")
        return str("zeros");
    if (name == "bias" || name == "weight")
        return nullptr;  // parameters, found as such
    const auto it = values.find(name);
    return it == values.end() ? nullptr : parseValue(it->second);
}

}  // namespace mx::stmt
