#include "app/commandline.h"

#include "app/cliexport.h"
#include "app/cligraph.h"
#include "app/scriptfile.h"
#include "core/examples.h"
#include "core/forward.h"
#include "core/listings.h"
#include "core/resourcebudget.h"
#include "core/training.h"

#include <cctype>
#include <cstdlib>
#include <set>

namespace mx {

namespace {

bool isPrintable(const std::string& what)
{
    Listing listing;
    return what == "tree" || listingFromName(what, &listing);
}

// A decimal number from 0 to 1000 as --lr, --momentum, --weight-decay and --betas take it
// ("0.01", "1e-3", ".9"); no signs, no "inf"/"nan", nothing after the number.
bool parseTrainNumber(const std::string& text, double* number)
{
    if (text.empty() || text.size() > 32 || text.find_first_not_of("0123456789.eE-") != std::string::npos ||
        text[0] == '-')
        return false;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || !(value >= 0) || value > 1000)
        return false;
    *number = value;
    return true;
}

// The options of --train make sense only with it, and --train only on a model with a forward.
bool checkTrainOptions(const CommandLine& cl, const std::set<std::string>& seen, std::string* error)
{
    if (!cl.trainSteps) {
        for (const char* trainOnly : {"--optimizer", "--loss", "--lr", "--momentum", "--weight-decay",
                                      "--betas", "--input", "--seed"}) {
            if (seen.count(trainOnly)) {
                *error = std::string("option '") + trainOnly + "' needs --train STEPS";
                return false;
            }
        }
        return true;
    }
    if (cl.trainOptions.inputShape.empty()) {
        *error = "option '--train' needs --input SHAPE, e.g. --input 8x1x28x28";
        return false;
    }
    if (!cl.forwardShape.empty() || !cl.statsName.empty() || !cl.plotName.empty() || !cl.prints.empty()) {
        *error = "--train cannot be combined with --forward, --print, --stats or --plot";
        return false;
    }
    if (seen.count("--repeat")) {
        *error = "option '--repeat' times --forward; --train reports each step's time itself";
        return false;
    }
    const OptimizerOptions& o = cl.trainOptions.optimizer;
    if (o.kind == OptimizerKind::Adam && seen.count("--momentum")) {
        *error = "option '--momentum' is SGD's; Adam takes --betas B1,B2";
        return false;
    }
    if (o.kind == OptimizerKind::SGD && seen.count("--betas")) {
        *error = "option '--betas' is Adam's; SGD takes --momentum X";
        return false;
    }
    return true;
}

}  // namespace

bool parseTimeoutSeconds(const std::string& text, double* seconds)
{
    // Digits with at most one '.', at least one digit; short enough that no one types more.
    if (text.empty() || text.size() > 32 || text.find_first_not_of("0123456789.") != std::string::npos ||
        text.find_first_of("0123456789") == std::string::npos || text.find('.') != text.rfind('.'))
        return false;
    const double value = std::strtod(text.c_str(), nullptr);
    if (!(value > 0) || value > kMaxTimeoutSeconds)
        return false;
    *seconds = value;
    return true;
}

std::string usageText()
{
    return "Usage: module-explorer [FILE | --example NAME] [--print WHAT]... [--json]\n"
           "       module-explorer [FILE | --example NAME] [--exec STMT]... --export-view VIEW\n"
           "                       --output FILE [--size WxH] [--scale N] [--theme light|dark]\n"
           "                       [--lang en|zh_CN] [--depth N]\n"
           "       module-explorer SCRIPT.py --run [--timeout SECONDS]\n"
           "       module-explorer --list-examples | --help | --version\n"
           "\n"
           "Without --print, opens the window on FILE or the example (default:\n"
           "state-dict-demo). FILE is a TorchScript archive (torch.jit.save), a torch.save\n"
           "file, a .safetensors file or a sharded model.safetensors.index.json; its kind is\n"
           "told from its content. A file that cannot be read exits with status 1.\n"
           "FILE may also be a Python script (.py) defining `class ...(nn.Module)`: it runs\n"
           "first as `python3 FILE` would (without file, network or OS access), what it\n"
           "prints goes to stdout (stderr with --json), and the module bound to `model`\n"
           "(else the one bound last) opens;\n"
           "--exec and --script then run in its session. A script that fails exits with\n"
           "status 1, Python's `File \"FILE\", line N` and error line on stderr.\n"
           "Files are written whole or not at all; a failed write exits with status 1,\n"
           "a usage error with status 2.\n"
           "\n"
           "  --example NAME      build example NAME (see --list-examples)\n"
           "  --list-examples     list the examples and exit\n"
           "  --run               run SCRIPT.py, print what it prints and exit (as\n"
           "                      `python3 SCRIPT.py`); no model needs to be made\n"
           "  --model-var NAME    open the module SCRIPT.py bound to NAME instead of `model`\n"
           "                      (or the one bound last); a NAME bound to no module exits\n"
           "                      with status 2\n"
           "  --print WHAT        print WHAT and exit; repeatable. WHAT is one of\n"
           "                      state_dict, named_parameters, named_buffers, parameters,\n"
           "                      buffers, named_modules, tree\n"
           "  --json              print as JSON instead of the tutorial's text style\n"
           "  --format text|markdown|html  how --print writes (default text; markdown and\n"
           "                      html are handouts: kind badges as words, names escaped)\n"
           "  --exec STMT         run a console statement on the model first (repeatable),\n"
           "                      e.g. --exec \"model.register_buffer('b', torch.randn(2))\"\n"
           "  --script FILE       run a file of console statements first (a regular file of\n"
           "                      UTF-8 text, at most 16 MiB; repeatable)\n"
           "  --export-python FILE  write the example (or SCRIPT.py as read) and the\n"
           "                      statements as a Python script\n"
           "  --timeout SECONDS   time limit of each top-level statement of SCRIPT.py,\n"
           "                      --exec and --script, and of the whole --forward (a\n"
           "                      number > 0, at most 86400); past it: TimeoutError,\n"
           "                      status 1. An --exec or --script statement stuck in one\n"
           "                      long tensor operation ends the program 5 s after its\n"
           "                      limit\n"
           "  --memory-budget SIZE  what the console's tensors and strings and a forward\n"
           "                      pass may use, e.g. 512M or 2G (K, M, G, T: binary units);\n"
           "                      this run only, the window too (default: Preferences, else\n"
           "                      a quarter of physical memory); past it: MemoryError\n"
           "  --load-state-dict FILE  model.load_state_dict(FILE's state_dict) before --exec\n"
           "                      and --script: prints what load_state_dict returns, or\n"
           "                      PyTorch's RuntimeError (exit 1, the model unchanged)\n"
           "  --no-strict         ... with strict=False\n"
           "  --save-torchscript FILE  after --exec and --script (before --forward), save the\n"
           "                      model as a TorchScript archive (torch.jit.load opens it)\n"
           "  --save-state-dict FILE   ... as torch.save(model.state_dict()) writes it\n"
           "  --save-safetensors FILE  ... as a safetensors file (tensors sharing memory are\n"
           "                      refused, as safetensors' own save_file refuses them); each\n"
           "                      --save-* may be repeated\n"
           "  --forward SHAPE     run forward on an input of SHAPE (e.g. 64x1x28x28) and print\n"
           "                      the output shape, each submodule's output and the timing\n"
           "  --device cpu|cuda   where --forward runs (default cpu)\n"
           "  --mode eval|train   module.eval() or module.train() for --forward (default eval)\n"
           "  --repeat N          timed runs of --forward after one warm-up (default 10)\n"
           "  --stats NAME        print the statistics and histogram of one tensor (after\n"
           "                      --exec and --script): NAME is a state_dict key, a\n"
           "                      named_buffers name or a plain tensor attribute's path;\n"
           "                      with --json as one object; an unknown NAME exits with 2\n"
           "  --bins N            histogram bins for --stats and --plot (1 to 10000, default\n"
           "                      100; equal width from min to max, as torch.histc)\n"
           "  --plot NAME --output FILE  render the tensor's default plot (value, line,\n"
           "                      heatmap or kernel grid) to FILE: .png, .svg or .pdf; needs\n"
           "                      no display\n"
           "  --size WxH          the plot's size in pixels (default 800x500; 100 to 8000)\n"
           "  --export-view VIEW  render a view of the window to --output FILE (.png, .svg or\n"
           "                      .pdf) without a display, after --exec and --script (the\n"
           "                      console and diff views show them); VIEW is tree,\n"
           "                      state_dict, named_parameters, named_buffers, diff, console\n"
           "                      or window. --size WxH is the view's size (default: its\n"
           "                      content; window 1280x800), --scale 1|2|3 multiplies a PNG's\n"
           "                      pixels, --depth N expands the tree to depth N (default:\n"
           "                      fully); exports use the light theme unless --theme dark\n"
           "  --theme light|dark  the colours for this run (not saved)\n"
           "  --lang en|zh_CN     the user-interface language for this run (not saved)\n"
           "  --graph             print the forward's dataflow graph: nodes (submodule calls\n"
           "                      and tensor ops) in execution order, edges and the modules\n"
           "                      forward never calls (--json for JSON); with --output FILE\n"
           "                      (.png, .svg, .pdf) render it instead (--size WxH)\n"
           "  --expand all|PATH,...  show these containers' own forwards in the graph\n"
           "  --screenshot FILE   open the window, save it as a PNG image and exit (without a\n"
           "                      display it renders offscreen)\n"
           "  --train STEPS       train the model STEPS optimizer steps and print each step's\n"
           "                      loss and what every tensor did (see the README); with\n"
           "                      --input SHAPE (required), --optimizer sgd|adam, --lr X\n"
           "                      (default 0.01 for sgd, 0.001 for adam), --momentum X,\n"
           "                      --weight-decay X, --betas B1,B2 (adam), --loss ce|mse,\n"
           "                      --seed S (default 0), --mode train|eval (default train)\n"
           "  --help              show this help\n"
           "  --version           show the version\n";
}

bool parseCommandLine(const std::vector<std::string>& args, CommandLine* out, std::string* error)
{
    CommandLine cl;
    std::set<std::string> seen;  // options that take one value, to refuse them repeated
    std::int64_t scriptBytes = 0;
    if (!args.empty())
        cl.qtArgs.push_back(args[0]);
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string& arg = args[i];
        // The value after `arg`: present, not empty, and given once unless `repeatable`.
        auto value = [&](std::string* into, bool repeatable = false) {
            if (i + 1 >= args.size()) {
                *error = "option '" + arg + "' needs a value";
                return false;
            }
            if (!repeatable && !seen.insert(arg).second) {
                *error = "option '" + arg + "' given more than once";
                return false;
            }
            const std::string& next = args[++i];
            if (next.empty()) {
                *error = "option '" + arg + "' needs a non-empty value";
                return false;
            }
            if (arg != "--exec" && next.size() > 2 && next.compare(0, 2, "--") == 0) {
                *error = "option '" + arg + "' needs a value, not the option '" + next + "'";
                return false;
            }
            *into = next;
            return true;
        };
        if (arg == "--example") {
            if (!value(&cl.example))
                return false;
            if (!findExample(cl.example)) {
                *error = "unknown example '" + cl.example + "' (see --list-examples)";
                return false;
            }
        } else if (arg == "--print") {
            std::string what;
            if (!value(&what, true))
                return false;
            if (!isPrintable(what)) {
                *error = "cannot print '" + what +
                         "': expected state_dict, named_parameters, named_buffers, parameters, "
                         "buffers, named_modules or tree";
                return false;
            }
            cl.prints.push_back(what);
        } else if (arg == "--exec" || arg == "--script") {
            std::string text;
            if (!value(&text, true))
                return false;
            if (arg == "--script") {
                // Read now: a bad file is a usage error before anything runs.
                std::string source;
                if (!readScriptFile(text, &source, error))
                    return false;
                scriptBytes += static_cast<std::int64_t>(source.size());
                if (scriptBytes > kMaxScriptBytes) {  // --script big.py, repeated, is bounded too
                    *error = "cannot read script '" + text +
                             "': the scripts together are larger than the 16 MiB limit";
                    return false;
                }
                cl.statements.push_back({true, std::move(source)});
            } else if (invalidUtf8Offset(text) != std::string::npos) {
                *error = "option '--exec' needs UTF-8 text";
                return false;
            } else {
                cl.statements.push_back({false, text});
            }
        } else if (arg == "--load-state-dict") {
            if (!value(&cl.loadStateDict))
                return false;
        } else if (arg == "--no-strict") {
            cl.strictLoad = false;
            seen.insert(arg);
        } else if (arg == "--save-torchscript" || arg == "--save-state-dict" ||
                   arg == "--save-safetensors") {
            std::string path;
            if (!value(&path, true))
                return false;
            const SaveFormat format = arg == "--save-torchscript" ? SaveFormat::TorchScript
                                      : arg == "--save-state-dict" ? SaveFormat::StateDict
                                                                   : SaveFormat::Safetensors;
            cl.saves.emplace_back(format, path);
        } else if (arg == "--export-python") {
            if (!value(&cl.exportPython))
                return false;
        } else if (arg == "--forward") {
            std::string shape;
            if (!value(&shape))
                return false;
            if (!parseShape(shape, &cl.forwardShape)) {
                *error = "bad shape '" + shape + "': expected positive sizes joined by 'x', e.g. 64x1x28x28";
                return false;
            }
        } else if (arg == "--device") {
            if (!value(&cl.device))
                return false;
            if (cl.device != "cpu" && cl.device != "cuda") {
                *error = "unknown device '" + cl.device + "': expected cpu or cuda";
                return false;
            }
            if (cl.device == "cuda" && !cudaAvailable()) {
                *error = "CUDA is not available: " + cudaUnavailableReason();
                return false;
            }
        } else if (arg == "--mode") {
            std::string mode;
            if (!value(&mode))
                return false;
            if (mode != "eval" && mode != "train") {
                *error = "unknown mode '" + mode + "': expected eval or train";
                return false;
            }
            cl.train = mode == "train";
            cl.trainOptions.train = cl.train;
        } else if (arg == "--repeat") {
            std::string n;
            if (!value(&n))
                return false;
            if (n.empty() || n.size() > 6 || n.find_first_not_of("0123456789") != std::string::npos ||
                std::stoi(n) < 1) {
                *error = "bad repeat count '" + n + "': expected a whole number from 1 to 999999";
                return false;
            }
            cl.repeats = std::stoi(n);
        } else if (arg == "--train") {
            std::string n;
            if (!value(&n))
                return false;
            if (n.size() > 6 || n.find_first_not_of("0123456789") != std::string::npos || std::stoi(n) < 1) {
                *error = "bad step count '" + n + "': expected a whole number from 1 to 999999";
                return false;
            }
            cl.trainSteps = std::stoi(n);
        } else if (arg == "--optimizer" || arg == "--loss") {
            std::string name;
            if (!value(&name))
                return false;
            const bool ok = arg == "--optimizer" ? parseOptimizerKind(name, &cl.trainOptions.optimizer.kind)
                                                 : parseLossKind(name, &cl.trainOptions.loss);
            if (!ok) {
                *error = arg == "--optimizer" ? "unknown optimizer '" + name + "': expected sgd or adam"
                                              : "unknown loss '" + name + "': expected ce or mse";
                return false;
            }
        } else if (arg == "--lr" || arg == "--momentum" || arg == "--weight-decay") {
            std::string number;
            if (!value(&number))
                return false;
            double* into = arg == "--lr" ? &cl.trainOptions.optimizer.lr
                           : arg == "--momentum" ? &cl.trainOptions.optimizer.momentum
                                                 : &cl.trainOptions.optimizer.weightDecay;
            cl.trainLrGiven = cl.trainLrGiven || arg == "--lr";
            if (!parseTrainNumber(number, into)) {
                *error = "bad value '" + number + "' for " + arg +
                         ": expected a finite number from 0 to 1000, e.g. 0.01";
                return false;
            }
        } else if (arg == "--betas") {
            std::string pair;
            if (!value(&pair))
                return false;
            const size_t comma = pair.find(',');
            OptimizerOptions& o = cl.trainOptions.optimizer;
            if (comma == std::string::npos || !parseTrainNumber(pair.substr(0, comma), &o.beta1) ||
                !parseTrainNumber(pair.substr(comma + 1), &o.beta2) || o.beta1 >= 1 || o.beta2 >= 1) {
                *error = "bad betas '" + pair + "': expected two numbers in [0, 1) joined by a comma, e.g. 0.9,0.999";
                return false;
            }
        } else if (arg == "--input") {
            std::string shape;
            if (!value(&shape))
                return false;
            if (!parseShape(shape, &cl.trainOptions.inputShape)) {
                *error = "bad shape '" + shape + "': expected positive sizes joined by 'x', e.g. 8x1x28x28";
                return false;
            }
        } else if (arg == "--seed") {
            std::string seed;
            if (!value(&seed))
                return false;
            if (seed.size() > 19 || seed.find_first_not_of("0123456789") != std::string::npos) {
                *error = "bad seed '" + seed + "': expected a whole number from 0 to 9999999999999999999";
                return false;
            }
            cl.trainOptions.seed = std::stoull(seed);
        } else if (arg == "--timeout") {
            std::string seconds;
            if (!value(&seconds))
                return false;
            if (!parseTimeoutSeconds(seconds, &cl.timeoutSeconds)) {
                *error = "bad timeout '" + seconds +
                         "': expected a number of seconds greater than 0 and at most 86400, e.g. 30 or 2.5";
                return false;
            }
        } else if (arg == "--memory-budget") {
            std::string size;
            if (!value(&size))
                return false;
            if (!parseByteSize(size, &cl.memoryBudgetBytes)) {
                *error = "bad memory budget '" + size +
                         "': expected a size greater than 0 such as 512M, 2G or 1.5G (units K, M, G, T)";
                return false;
            }
        } else if (arg == "--stats" || arg == "--plot") {
            if (!value(arg == "--stats" ? &cl.statsName : &cl.plotName))
                return false;
        } else if (arg == "--output") {
            if (!value(&cl.plotOutput))
                return false;
        } else if (arg == "--bins") {
            std::string n;
            if (!value(&n))
                return false;
            if (n.size() > 5 || n.find_first_not_of("0123456789") != std::string::npos ||
                std::stoi(n) < 1 || std::stoi(n) > 10000) {
                *error = "bad bin count '" + n + "': expected a whole number from 1 to 10000";
                return false;
            }
            cl.bins = std::stoi(n);
        } else if (arg == "--size") {
            std::string size;
            if (!value(&size))
                return false;
            std::vector<int64_t> dims;
            if (!parseShape(size, &dims) || dims.size() != 2 || dims[0] < 100 || dims[1] < 100 ||
                dims[0] > 8000 || dims[1] > 8000) {
                *error = "bad size '" + size + "': expected WIDTHxHEIGHT, each from 100 to 8000, e.g. 800x500";
                return false;
            }
            cl.plotWidth = static_cast<int>(dims[0]);
            cl.plotHeight = static_cast<int>(dims[1]);
            cl.graphSizeGiven = true;
        } else if (arg == "--graph") {
            cl.graph = true;
            seen.insert(arg);
        } else if (arg == "--expand") {
            if (!value(&cl.graphExpand))
                return false;
        } else if (arg == "--export-view") {
            if (!value(&cl.exportView))
                return false;
            if (!isExportView(cl.exportView)) {
                *error = "cannot export view '" + cl.exportView +
                         "': expected tree, state_dict, named_parameters, named_buffers, diff, console or window";
                return false;
            }
        } else if (arg == "--scale" || arg == "--depth") {
            std::string n;
            if (!value(&n))
                return false;
            const bool scale = arg == "--scale";
            if (n.empty() || n.size() > 2 || n.find_first_not_of("0123456789") != std::string::npos ||
                (scale && (std::stoi(n) < 1 || std::stoi(n) > 3))) {
                *error = scale ? "bad scale '" + n + "': expected 1, 2 or 3"
                               : "bad depth '" + n + "': expected a whole number from 0 to 99";
                return false;
            }
            (scale ? cl.exportScale : cl.exportDepth) = std::stoi(n);
        } else if (arg == "--theme") {
            if (!value(&cl.theme))
                return false;
            if (cl.theme != "light" && cl.theme != "dark") {
                *error = "unknown theme '" + cl.theme + "': expected light or dark";
                return false;
            }
        } else if (arg == "--lang") {
            if (!value(&cl.language))
                return false;
            if (cl.language != "en" && cl.language != "zh_CN") {
                *error = "unknown language '" + cl.language + "': expected en or zh_CN";
                return false;
            }
        } else if (arg == "--format") {
            if (!value(&cl.printFormat))
                return false;
            if (cl.printFormat != "text" && cl.printFormat != "markdown" && cl.printFormat != "html") {
                *error = "unknown format '" + cl.printFormat + "': expected text, markdown or html";
                return false;
            }
        } else if (arg == "--screenshot") {
            if (!value(&cl.screenshot))
                return false;
        } else if (arg == "--model-var") {
            if (!value(&cl.modelVariable))
                return false;
        } else if (arg == "--run") {
            cl.runScriptOnly = true;
            seen.insert(arg);
        } else if (arg == "--json") {
            cl.json = true;
        } else if (arg == "--list-examples") {
            cl.listExamples = true;
        } else if (arg == "--help" || arg == "-h") {
            cl.help = true;
        } else if (arg == "--version") {
            cl.version = true;
        } else if (arg.size() > 1 && arg[0] == '-' && arg[1] != '-') {
            cl.qtArgs.push_back(arg);  // Qt's own options, e.g. -platform offscreen
            if (i + 1 < args.size() && args[i + 1][0] != '-')
                cl.qtArgs.push_back(args[++i]);
        } else if (!arg.empty() && arg[0] != '-' && cl.file.empty()) {
            cl.file = arg;
        } else if (arg.empty() || arg[0] != '-') {
            *error = arg.empty() ? std::string("unexpected empty argument (see --help)")
                                 : "unexpected argument '" + arg + "': only one FILE opens (see --help)";
            return false;
        } else {
            *error = "unknown option '" + arg + "' (see --help)";
            return false;
        }
    }
    if (!cl.file.empty() && seen.count("--example")) {
        *error = "FILE and --example both name the model to open; give one of them";
        return false;
    }
    if (seen.count("--no-strict") && cl.loadStateDict.empty()) {
        *error = "option '--no-strict' needs --load-state-dict FILE";
        return false;
    }
    const bool pythonFile = isPythonScriptPath(cl.file);
    if (!cl.file.empty() && !pythonFile && !cl.exportPython.empty()) {
        *error = "--export-python writes the session of a built-in example or a .py script; it "
                 "cannot be used with a model FILE";
        return false;
    }
    for (const char* scriptOnly : {"--run", "--model-var"}) {
        if (seen.count(scriptOnly) && !pythonFile) {
            *error = std::string("option '") + scriptOnly + "' needs a Python script FILE (.py)";
            return false;
        }
    }
    if (cl.runScriptOnly) {
        CommandLine rest = cl;
        rest.runScriptOnly = false;
        if (rest.isBatch() || !cl.screenshot.empty() || !cl.exportView.empty() ||
            seen.count("--model-var")) {
            *error = "--run only runs the script and prints what it prints; drop it to use "
                     "--print, --exec, --forward and the other options on the script's model";
            return false;
        }
    }
    if (!checkExportOptions(cl, seen, error))
        return false;
    if (!checkTrainOptions(cl, seen, error))
        return false;
    if (!checkGraphOptions(cl, seen, error))
        return false;
    if (cl.forwardShape.empty() && !cl.trainSteps) {
        for (const char* forwardOnly : {"--device", "--mode", "--repeat"}) {
            if (seen.count(forwardOnly)) {
                *error = std::string("option '") + forwardOnly + "' needs --forward SHAPE" +
                         (std::string(forwardOnly) == "--repeat" ? "" : " or --train STEPS");
                return false;
            }
        }
    }
    if (!cl.screenshot.empty() && cl.isBatch() && !cl.help) {
        *error = "--screenshot opens the window; it cannot be combined with --print, --exec, "
                 "--script, --forward, --export-python or --list-examples";
        return false;
    }
    if (cl.timeoutSeconds > 0 && !cl.isBatch()) {
        *error = "option '--timeout' limits --exec, --script, --forward and a .py FILE's "
                 "statements; it cannot be used when the window opens";
        return false;
    }
    if (cl.json && cl.prints.empty() && !cl.listExamples && cl.forwardShape.empty() &&
        cl.statsName.empty() && !cl.trainSteps && !cl.graph) {
        *error = "--json needs --print WHAT, --forward SHAPE, --stats NAME, --train STEPS, --graph or --list-examples";
        return false;
    }
    const bool inspecting = !cl.statsName.empty() || !cl.plotName.empty();
    if (inspecting && (!cl.prints.empty() || !cl.forwardShape.empty())) {
        *error = "--stats and --plot print one tensor; they cannot be combined with --print or --forward";
        return false;
    }
    if (!cl.plotName.empty() && cl.plotOutput.empty()) {
        *error = "option '--plot' needs --output FILE (.png, .svg or .pdf)";
        return false;
    }
    for (const char* plotOnly : {"--output", "--size"}) {
        if (seen.count(plotOnly) && cl.plotName.empty() && !cl.graph && cl.exportView.empty()) {
            *error = std::string("option '") + plotOnly + "' needs --plot NAME, --graph or --export-view VIEW";
            return false;
        }
    }
    if (seen.count("--bins") && !inspecting) {
        *error = "option '--bins' needs --stats NAME or --plot NAME";
        return false;
    }
    if (!cl.plotOutput.empty()) {
        const std::string& o = cl.plotOutput;
        auto endsWith = [&o](const char* suffix) {
            const std::string s(suffix);
            if (o.size() < s.size())
                return false;
            for (size_t i = 0; i < s.size(); ++i)
                if (std::tolower(static_cast<unsigned char>(o[o.size() - s.size() + i])) != s[i])
                    return false;
            return true;
        };
        if (!endsWith(".png") && !endsWith(".svg") && !endsWith(".pdf")) {
            *error = "cannot write '" + o + "': unknown format (expected .png, .svg or .pdf)";
            return false;
        }
    }
    *out = std::move(cl);
    return true;
}

}  // namespace mx
