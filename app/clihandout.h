#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace mx {
class ModuleNode;

/** --print WHAT... --format markdown|html: the tree and listings as handouts (kind badges as
 *  words, every name escaped); HTML is one self-contained page. */
void printHandout(const ModuleNode& root, const std::vector<std::string>& whats, const std::string& format,
                  std::ostream& out);

}  // namespace mx
