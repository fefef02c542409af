#include "core/sessionexport.h"

namespace mx {

namespace {

const char* const kPrelude =
    "import torch\n"
    "import torch.nn as nn\n"
    "torch.manual_seed(seed=20200910)\n"
    "\n"
    "\n";

// The tutorial's first Model (shared/seeds/000_e630da2fee301504.txt), comments dropped.
const char* const kStateDictDemo =
    "class Model(torch.nn.Module):\n"
    "    def __init__(self):\n"
    "        super(Model,self).__init__()\n"
    "        self.conv1=torch.nn.Sequential(\n"
    "                torch.nn.Conv2d(1,64,kernel_size=3,stride=1,padding=1),\n"
    "                torch.nn.ReLU(),\n"
    "                torch.nn.Conv2d(64,128,kernel_size=3,stride=1,padding=1),\n"
    "                torch.nn.ReLU(),\n"
    "                torch.nn.MaxPool2d(stride=2,kernel_size=2)\n"
    "        )\n"
    "\n"
    "        self.dense=torch.nn.Sequential(\n"
    "                    torch.nn.Linear(14*14*128,1024),\n"
    "                    torch.nn.ReLU(),\n"
    "                    torch.nn.Dropout(p=0.5),\n"
    "                    torch.nn.Linear(1024,10)\n"
    "        )\n"
    "        self.layer4cxq1 = torch.nn.Conv2d(2,33,4,4)\n"
    "        self.layer4cxq2 = torch.nn.ReLU()\n"
    "        self.layer4cxq3 = torch.nn.MaxPool2d(stride=2,kernel_size=2)\n"
    "        self.layer4cxq4 = torch.nn.Linear(14*14*128,1024)\n"
    "        self.layer4cxq5 = torch.nn.Dropout(p=0.8)\n"
    "        self.attribute4cxq = nn.Parameter(torch.tensor(20200910.0))\n"
    "        self.attribute4lzq = nn.Parameter(torch.tensor([2.0,3.0,4.0,5.0]))\n"
    "        self.attribute4hh = nn.Parameter(torch.randn(3,4,5,6))\n"
    "        self.attribute4wyf = nn.Parameter(torch.randn(7,8,9,10))\n"
    "\n"
    "    def forward(self,x):\n"
    "        x = self.conv1(x)\n"
    "        x = x.view(-1,14*14*128)\n"
    "        x = self.dense(x)\n"
    "        return x\n";

// The tutorial's second Model.
const char* const kBufferDemo =
    "class Model(torch.nn.Module):\n"
    "    def __init__(self):\n"
    "        super(Model,self).__init__()\n"
    "        self.conv1=torch.nn.Sequential(\n"
    "                torch.nn.Conv2d(1,64,kernel_size=3,stride=1,padding=1),\n"
    "                torch.nn.ReLU(),\n"
    "        )\n"
    "        self.attribute_buffer_in = torch.randn(3,5)\n"
    "        register_buffer_in_temp = torch.randn(4,6)\n"
    "        self.register_buffer('register_buffer_in', register_buffer_in_temp)\n"
    "\n"
    "    def forward(self,x):\n"
    "        pass\n";

// The app's BatchNorm demo (models/core/examples.cpp builds the same).
const char* const kBatchNormDemo =
    "class BatchNormDemo(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8),\n"
    "                                      nn.ReLU(), nn.MaxPool2d(2))\n"
    "        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(8 * 4 * 4, 10))\n"
    "\n"
    "    def forward(self, x):\n"
    "        return self.classifier(self.features(x))\n";

}  // namespace

std::string examplePythonSource(const std::string& exampleName)
{
    std::string cls;
    std::string make = "model = Model()\n";
    if (exampleName == "state-dict-demo") {
        cls = kStateDictDemo;
    } else if (exampleName == "buffer-demo") {
        cls = kBufferDemo;
    } else if (exampleName == "batchnorm-demo") {
        cls = kBatchNormDemo;
        make = "model = BatchNormDemo()\n";
    } else {
        return {};
    }
    return std::string(kPrelude) + cls + "\n\n" + make;
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
