#pragma once

#include <iosfwd>

namespace mx {
class ModuleNode;
struct CommandLine;

/**
 * --train STEPS: trains the model (core/training.h) and prints each step's loss and what every
 * tensor did (sum before and after, max |change|, who moved it), as text or as JSON
 * ({"loss": [...], "tensors": [{"name", "kind", "sum_before", "sum_after", "max_abs_change",
 * ...}], ...}). Returns the exit status (1 when training raised, was refused or timed out).
 */
int runTrainBatch(const CommandLine& commandLine, ModuleNode& model, std::ostream& out,
                  std::ostream& err);

}  // namespace mx
