#pragma once

#include <QJsonObject>

#include <iosfwd>

namespace mx {
class ModuleNode;
struct CommandLine;

/**
 * --forward: runs the model and prints the output shape, each submodule's output shape and the
 * timing, as text on `out` or into `json`. Returns the exit status (1 when forward raised).
 */
int runForwardBatch(const CommandLine& commandLine, ModuleNode& model, std::ostream& out,
                    std::ostream& err, QJsonObject* json);

}  // namespace mx
