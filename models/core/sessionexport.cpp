#include "core/sessionexport.h"

#include "core/examples.h"

namespace mx {

namespace {

const char* const kPrelude =
    "import torch\n"
    "import torch.nn as nn\n"
    "torch.manual_seed(seed=20200910)\n"
    "\n"
    "\n";

}  // namespace

std::string examplePythonSource(const std::string& exampleName)
{
    const ExampleInfo* example = findExample(exampleName);
    if (!example)
        return {};
    return std::string(kPrelude) + example->pythonClass + "\n\nmodel = " + example->pythonClassName +
           "()\n";
}

namespace {

// The session's statements in order, then the state_dict loop.
std::string sessionTail(const std::vector<std::string>& statements)
{
    std::string script = "\n# ---- the session, in order ----\n";
    for (const std::string& s : statements) {
        script += s;
        if (s.empty() || s.back() != '\n')
            script += '\n';
    }
    script += "\n# ---- state_dict as Module Explorer showed it ----\n"
              "for k, v in model.state_dict().items():\n"
              "    print(k, '-->', v.shape)\n";
    return script;
}

}  // namespace

std::string exportSessionAsPython(const std::string& exampleName,
                                  const std::vector<std::string>& statements)
{
    return "# Module Explorer session on the example '" + exampleName +
           "', exported as a runnable script.\n"
           "# Run it with PyTorch: it prints the state_dict keys and shapes the app showed.\n" +
           examplePythonSource(exampleName) + sessionTail(statements);
}

std::string exportScriptSessionAsPython(const std::string& scriptSource, const std::string& variable,
                                        const std::vector<std::string>& statements)
{
    std::string script = "# Module Explorer session on a Python script, exported as a runnable "
                         "script.\n"
                         "# The script as it was opened, then the session: run it with PyTorch.\n" +
                         scriptSource;
    if (!script.empty() && script.back() != '\n')
        script += '\n';
    if (!variable.empty() && variable != "model")
        script += "\n# Module Explorer opened `" + variable + "`; the session calls it `model`.\n"
                  "model = " + variable + "\n";
    return script + sessionTail(statements);
}

}  // namespace mx
