#pragma once

#include <iosfwd>
#include <set>
#include <string>

namespace mx {
class ModuleNode;
struct CommandLine;

/**
 * --graph [--expand all|PATH,...] [--json] [--output FILE [--size WxH]]: prints the forward's
 * dataflow graph (nodes, edges, unused modules; text or JSON) or renders it to a PNG, SVG or PDF
 * file without a window. Returns the exit status: 2 for an --expand path that is no container
 * forward calls, 1 when the file cannot be written. Creates an offscreen QApplication for
 * --output when none exists.
 */
int runGraphBatch(const CommandLine& commandLine, const ModuleNode& model, std::ostream& out,
                  std::ostream& err);

/** The usage rules of --graph's options (--expand and --output need --graph, what it cannot be
 *  combined with); false with one line in `error`. */
bool checkGraphOptions(const CommandLine& commandLine, const std::set<std::string>& seen,
                       std::string* error);

}  // namespace mx
