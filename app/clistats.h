#pragma once

#include <iosfwd>

namespace mx {
class ModuleNode;
struct CommandLine;

/**
 * --stats NAME and --plot NAME: finds the tensor (state_dict key, named_buffers name or plain
 * attribute path), then prints its statistics and histogram (text or --json) or renders its
 * default plot to --output. Returns the exit status: 2 for an unknown NAME, 1 when the plot
 * cannot be written. --plot needs a QApplication (the offscreen platform will do).
 */
int runStatsBatch(const CommandLine& commandLine, const ModuleNode& model, std::ostream& out,
                  std::ostream& err);

}  // namespace mx
