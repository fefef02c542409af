#pragma once
// Private to models/core: builds the app's module tree from a loaded TorchScript module.

#include "core/modulenode.h"

#include <torch/csrc/jit/api/module.h>

#include <memory>
#include <set>
#include <string>

namespace mx {

/** Turns a torch::jit::Module (as torch::jit::load gives it) into a ModuleNode tree of scripted
 *  modules that run the file's own forward. */
struct ScriptImport {
    /** Dotted module paths ("" for the root) mapped to the buffers to mark non-persistent (the
     *  app's own saved files record them; TorchScript itself has no such flag). */
    using NonPersistent = std::set<std::pair<std::string, std::string>>;
    /** Throws std::runtime_error with one line (a module held under two names, nesting too
     *  deep). */
    static std::unique_ptr<ModuleNode> import(const torch::jit::Module& module,
                                              const NonPersistent& nonPersistent = {});
    /** Makes `node` (its entries registered already) run `module`, the jit module it came from. */
    static void adopt(ModuleNode& node, const std::string& qualifiedName,
                      const torch::jit::Module& module, bool training,
                      std::vector<std::string> nonPersistentAttributes);
};

/** Whether a jit attribute is one of the instance attributes every nn.Module has (`training`,
 *  `_is_full_backward_hook`): scripted modules keep them as slots, the app as module state. */
bool isModuleOwnAttribute(const std::string& name);

/** A scripted module's plain (non-tensor) attribute value as the app keeps it: int, float, str,
 *  bool and None as themselves, anything else with its repr and the IValue. */
PythonValue plainValueOf(const c10::IValue& value);

/** "__torch__.torch.nn.modules.conv.___torch_mangle_3.Conv2d" -> "__torch__.torch.nn.modules.conv.Conv2d". */
std::string demangledQualifiedName(const std::string& qualified);

}  // namespace mx
