#pragma once

#include "core/attributevalue.h"

#include <map>
#include <string>

namespace mx {

/**
 * What a user class's forward may name besides `self` and its arguments when TorchScript compiles
 * it: the script's imported modules under their aliases and its top-level constants. Python's
 * torch.jit.script refuses global numbers, but eager Python (what a student's script runs) reads
 * them: the app compiles their values in and recompiles when one is rebound.
 */
struct ScriptGlobals {
    /** Alias -> module: "torch" -> "torch", "nn" -> "torch.nn", "F" -> "torch.nn.functional",
     *  "math" -> "math". */
    std::map<std::string, std::string> modules;
    /** Top-level names bound to bool, int, float or str values when the class was instantiated. */
    std::map<std::string, PythonValue> constants;
};

}  // namespace mx
