#pragma once

#include "core/modelfile.h"
#include "core/training.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mx {

/** The longest --timeout: a day. */
constexpr double kMaxTimeoutSeconds = 86400;

/** What the user asked for on the command line. */
struct CommandLine {
    std::string example = "state-dict-demo";
    /** FILE: a TorchScript, torch.save or safetensors file to open instead of the example, or a
     *  Python script (.py) run first, whose model then opens. */
    std::string file;
    /** --run: FILE.py runs and prints what it prints, as `python3 FILE` would; nothing else. */
    bool runScriptOnly = false;
    /** --model-var NAME: which of FILE.py's models opens (default: the one bound last). */
    std::string modelVariable;
    /** --load-state-dict FILE: model.load_state_dict(the file's state_dict, strict) before
     *  --exec and --script; --no-strict passes strict=False. */
    std::string loadStateDict;
    bool strictLoad = true;
    /** --save-torchscript/--save-state-dict/--save-safetensors FILE, in order (after --exec,
     *  --script and --forward). */
    std::vector<std::pair<SaveFormat, std::string>> saves;
    std::vector<std::string> prints;  // --print WHAT, in order
    bool json = false;
    bool listExamples = false;
    bool help = false;
    bool version = false;
    std::string screenshot;           // --screenshot FILE: GUI renders, saves PNG, quits
    std::vector<int64_t> forwardShape;  // --forward SHAPE (e.g. 64x1x28x28); empty: no forward
    std::string device = "cpu";       // --device cpu|cuda
    bool train = false;               // --mode train|eval
    int repeats = 10;                 // --repeat N
    /** --train STEPS [--optimizer sgd|adam] [--lr X] [--momentum X] [--weight-decay X]
     *  [--betas B1,B2] [--loss ce|mse] --input SHAPE [--seed S] [--mode train|eval]: training
     *  steps as core/training.h runs them (0: none). The model is in train mode by default. */
    int trainSteps = 0;
    TrainOptions trainOptions;
    bool trainLrGiven = false;        // else 0.01 (SGD) or Adam's default 0.001
    /** --exec STMT and --script FILE, in order; a script's text is the file's contents. */
    struct Statement {
        bool isFile;
        std::string text;
    };
    std::vector<Statement> statements;
    std::string exportPython;         // --export-python FILE: the session as a runnable script
    /** --stats NAME: the statistics and histogram of one tensor (after --exec and --script). */
    std::string statsName;
    /** --plot NAME --output FILE [--size WxH]: the tensor's default plot rendered to a file. */
    std::string plotName;
    std::string plotOutput;
    int plotWidth = 800, plotHeight = 500;
    int bins = 100;                   // --bins N for --stats and --plot
    /** --graph [--expand all|PATH,...] [--json] [--output FILE [--size WxH]]: the forward's
     *  dataflow graph printed, or rendered to --output (plotOutput, plotWidth x plotHeight when
     *  graphSizeGiven, else the graph's own size). */
    bool graph = false;
    std::string graphExpand;          // "all" or comma-separated container paths
    bool graphSizeGiven = false;
    /** --timeout SECONDS: the time each top-level statement (and the whole --forward) may run;
     *  0: no limit. */
    double timeoutSeconds = 0;
    /** --memory-budget SIZE: the process-wide budget for this run (not saved); 0: not given,
     *  the Preferences value (GUI) or the default applies. */
    uint64_t memoryBudgetBytes = 0;
    /** --export-view VIEW --output FILE [--size WxH] [--scale N] [--depth N]: renders a view of
     *  the window headless (plotOutput; plotWidth x plotHeight when exportSizeGiven). */
    std::string exportView;
    bool exportSizeGiven = false;
    int exportScale = 1;              // --scale 1..3 (PNG pixels per logical pixel)
    int exportDepth = -1;             // --depth N: the tree expanded to depth N (-1: fully)
    std::string theme;                // --theme light|dark ("": the stored one; exports: light)
    std::string language;             // --lang en|zh_CN ("": the stored one)
    std::string printFormat = "text"; // --format text|markdown|html for --print
    std::vector<std::string> qtArgs;  // program name and single-dash options, for QApplication

    /** True when the request is answered on stdout without a window. */
    bool isBatch() const
    {
        return help || version || listExamples || runScriptOnly || !prints.empty() || !forwardShape.empty() || trainSteps > 0 ||
               !statements.empty() || !exportPython.empty() || !saves.empty() ||
               !loadStateDict.empty() || !statsName.empty() || !plotName.empty() || graph;
    }
};

/**
 * Parses argv (args[0] is the program) and reads --script files (app/scriptfile.h). On a usage
 * error (unknown or repeated option, missing or empty value, bad value, unreadable script)
 * returns false with a one-line message in `error` (the caller exits with status 2).
 */
bool parseCommandLine(const std::vector<std::string>& args, CommandLine* out, std::string* error);

/** Parses --timeout's value: a positive decimal number of seconds ("10", "0.5", "2.") of at
 *  most kMaxTimeoutSeconds; false for anything else (signs, exponents, "inf", spaces, 0). */
bool parseTimeoutSeconds(const std::string& text, double* seconds);

/** --help text. */
std::string usageText();

}  // namespace mx
