#pragma once

#include <set>
#include <string>

namespace mx {
struct CommandLine;

/**
 * --export-view VIEW --output FILE: opens the window offscreen (no display needed), runs --exec
 * and --script in its console, renders VIEW and writes FILE atomically. Returns the exit status:
 * 0, or 1 with one line on stderr (a file that cannot be read, a failing statement, a failed
 * write; nothing is written then).
 */
int runExportView(const CommandLine& commandLine, const std::string& program);

/** Whether VIEW is one --export-view takes (tree, the named listings, diff, console, window). */
bool isExportView(const std::string& view);
/** The checks --export-view, --scale, --depth and --format need after parsing (`seen`: the
 *  options given); fills cl.exportSizeGiven. False with a one-line usage error. */
bool checkExportOptions(CommandLine& cl, const std::set<std::string>& seen, std::string* error);

/** Applies --theme and --lang for this run (not saved); false with a message on failure. */
bool applyRunAppearance(const CommandLine& commandLine, std::string* error);

}  // namespace mx
