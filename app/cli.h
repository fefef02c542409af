#pragma once

#include <iosfwd>

namespace mx {
struct CommandLine;

/** Answers a batch request (--print, --list-examples, --help, --version) without a GUI; returns the exit status. */
int runBatch(const CommandLine& commandLine, std::ostream& out, std::ostream& err);

}  // namespace mx
