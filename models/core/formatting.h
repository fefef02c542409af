#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mx {

/** "torch.Size([64, 1, 3, 3])", as Python prints tensor.shape. */
std::string torchSize(const std::vector<int64_t>& shape);
/** "[64, 1, 3, 3]". */
std::string bracketList(const std::vector<int64_t>& values);
/** Python's tuple repr: "(3, 3)", "(1,)". */
std::string pythonTuple(const std::vector<int64_t>& values);
/** Python's repr of a float, e.g. 0.5, 1e-05, 0.1. */
std::string pythonFloat(double value);
/** "True" / "False". */
std::string pythonBool(bool value);
/** A dotted module path: "conv1" under "" is "conv1", "0" under "conv1" is "conv1.0". */
std::string dottedName(const std::string& prefix, const std::string& name);
/** The names of a dotted path, split at every '.': "conv1.0" -> {"conv1", "0"}; "" -> {}. */
std::vector<std::string> dottedParts(const std::string& path);

}  // namespace mx
