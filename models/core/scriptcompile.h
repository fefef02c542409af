#pragma once
// Private to models/core: TorchScript compilation of a user class's methods (issue 11).

#include <string>
#include <vector>

namespace torch {
namespace jit {
struct Module;
}  // namespace jit
}  // namespace torch

namespace mx {

class ModuleNode;
struct ScriptGlobals;

/**
 * Compiles `source` (a user's `def forward(self, x): ...` and the helper methods it calls, as
 * TorchScript text whose line N is line N of the user's file) onto `module`, the jit mirror of
 * `node`, the way Python's torch.jit.script compiles a module's methods: `self.layers` of an
 * nn.ModuleList / nn.Sequential iterates unrolled and indexes with constant ints, an
 * nn.ModuleDict indexes with constant strings and has items() / keys() / values(); the names in
 * `globals` resolve to torch, torch.nn.functional (the functions whose TorchScript meaning we
 * know), math and the script's constants. Methods of the same names are replaced. On failure
 * nothing it defined is left on the module, and it throws std::runtime_error whose text is
 * TorchScript's message (with `line N` of the source) prefixed by "RuntimeError: ".
 * Returns the names of the methods it defined.
 */
std::vector<std::string> compileScriptMethods(const ModuleNode& node, torch::jit::Module& module,
                                              const std::string& source,
                                              const ScriptGlobals& globals);

/** Removes these methods (when present) from the module's class type and compilation unit. */
void removeScriptMethods(torch::jit::Module& module, const std::vector<std::string>& names);

}  // namespace mx
