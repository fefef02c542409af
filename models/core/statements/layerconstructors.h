#pragma once
// Private to models/core/statements: the torch.nn layer constructors the console calls.

#include <memory>
#include <string>

namespace mx {
class ModuleNode;
}

namespace mx::stmt {

class Interpreter;
struct Args;

/**
 * nn.<layer>(args) for the layers core/layers.h builds (Linear, Conv2d, ReLU, MaxPool2d,
 * Dropout, BatchNorm2d, Flatten): binds the arguments as Python's __init__ does and hands their
 * values, as given, to the layer factory, which makes PyTorch's checks. nullptr for other names.
 */
std::unique_ptr<ModuleNode> buildTorchLayer(Interpreter& in, const std::string& layer,
                                            const Args& args);

}  // namespace mx::stmt
