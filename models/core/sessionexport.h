#pragma once

#include <string>
#include <vector>

namespace mx {

/**
 * The example's class as Python source (the tutorial's classes verbatim, called Model), after
 * imports and torch.manual_seed(seed=20200910), ending with `model = Model()`; "" if unknown.
 */
std::string examplePythonSource(const std::string& exampleName);

/**
 * File → Export session as Python: the example's source, then every statement in order, then a
 * loop printing state_dict keys and shapes — run with real PyTorch it prints what the app shows.
 */
std::string exportSessionAsPython(const std::string& exampleName,
                                  const std::vector<std::string>& statements);

/**
 * Export Session as Python for a model opened from a .py script: the script as it was opened,
 * `model = VARIABLE` when the chosen model was bound to another name (so that the statements,
 * which say `model`, work), then every statement in order and the same state_dict loop.
 */
std::string exportScriptSessionAsPython(const std::string& scriptSource, const std::string& variable,
                                        const std::vector<std::string>& statements);

}  // namespace mx
