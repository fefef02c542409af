#pragma once

#include "core/modulenode.h"

#include <memory>
#include <string>
#include <vector>

namespace mx {

/** A model the app can build by name, as listed in the Examples menu and by --list-examples. */
struct ExampleInfo {
    std::string name;          // "state-dict-demo"
    std::string title;         // menu text
    std::string description;   // one sentence: what it teaches
    std::vector<int64_t> inputShape;  // the input the tutorial's comments use
    std::string pythonClassName;      // "Model"
    std::string pythonClass;          // the class as Python source: what buildExample() builds
};

/** Every example, in menu order. */
const std::vector<ExampleInfo>& examples();
/** The example called `name`, or nullptr. */
const ExampleInfo* findExample(const std::string& name);
/**
 * Builds the example after torch.manual_seed(20200910), as the tutorial does, so its tensors equal
 * what Python creates. Throws std::invalid_argument for an unknown name.
 */
std::unique_ptr<ModuleNode> buildExample(const std::string& name);

/** The tutorial's seed. */
constexpr uint64_t kTutorialSeed = 20200910;

}  // namespace mx
