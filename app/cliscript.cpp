#include "app/cliscript.h"

#include "app/commandline.h"
#include "app/scriptfile.h"
#include "app/statementwatchdog.h"
#include "core/modulenode.h"
#include "core/pythonscript.h"
#include "core/statements/statementsession.h"

#include <memory>
#include <ostream>

namespace mx {

namespace {

std::string fileName(const std::string& path)
{
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

int runScriptBatch(const CommandLine& cl, ScriptBatch* batch, std::ostream& out, std::ostream& err)
{
    std::string text;
    std::string error;
    if (!readScriptFile(cl.file, &text, &error)) {
        err << "module-explorer: " << error << "\n";
        return 1;
    }
    PythonScript script;
    std::unique_ptr<StatementWatchdog> watchdog;
    if (const double limit = cl.timeoutSeconds; limit > 0) {
        // As for --exec: the interpreter raises TimeoutError at its next step; a statement stuck
        // in one long tensor operation is ended by the watchdog after a grace period.
        script.setTimeLimit(limit);
        watchdog = timeLimitWatchdog(limit, out, err, [&script](auto starting, auto finished) {
            script.setStatementHooks(std::move(starting), std::move(finished));
        });
    }
    const bool ok = script.run(text);
    if (watchdog)
        script.setStatementHooks({}, {});  // the session outlives this watchdog
    const StatementResult& r = script.result();
    std::ostream& printed = cl.json ? err : out;
    printed << r.output;
    printed.flush();
    if (!ok) {
        if (r.errorLine > 0)
            err << "  File \"" << fileName(cl.file) << "\", line " << r.errorLine << "\n";
        err << r.error << "\n";
        return 1;
    }
    const std::vector<ScriptModel> models = script.models();
    if (cl.runScriptOnly)
        return 0;
    if (models.empty()) {
        err << "module-explorer: the script made no nn.Module (nothing to "
            << (cl.modelVariable.empty() ? "open" : "pick with --model-var") << ")\n";
        return 1;
    }
    size_t index = models.size() - 1;
    if (!cl.modelVariable.empty()) {
        std::string names;
        index = models.size();
        for (size_t i = 0; i < models.size(); ++i) {
            names += (i ? ", " : "") + models[i].variable;
            if (models[i].variable == cl.modelVariable)
                index = i;
        }
        if (index == models.size()) {
            err << "module-explorer: the script bound no nn.Module to '" << cl.modelVariable
                << "' (its modules: " << names << ")\n";
            return 2;
        }
    }
    batch->root = models[index].module;
    batch->variable = models[index].variable;
    batch->source = script.source().empty() ? text : script.source();
    batch->session = script.takeSession(index);
    if (!batch->session) {
        err << "module-explorer: internal error: the script's session could not be kept\n";
        return 1;
    }
    return 0;
}

Document::ModelChooser modelChooserFor(const std::string& variable)
{
    const QString name = QString::fromStdString(variable);
    return [name](const QStringList& variables, const QStringList&, int) {
        return static_cast<int>(variables.indexOf(name));
    };
}

}  // namespace mx
