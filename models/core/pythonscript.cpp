#include "core/pythonscript.h"

#include "core/modulenode.h"
#include "core/statements/statementsession.h"

#include <algorithm>

namespace mx {

PythonScript::PythonScript() : session_(std::make_unique<StatementSession>()) {}

PythonScript::~PythonScript() = default;

void PythonScript::setTimeLimit(double seconds) { session_->setTimeLimit(seconds); }

void PythonScript::requestInterrupt() { session_->requestInterrupt(); }

void PythonScript::setStatementHooks(std::function<void()> starting, std::function<void()> finished)
{
    session_->setStatementHooks(std::move(starting), std::move(finished));
}

bool PythonScript::run(const std::string& source)
{
    source_ = source;
    result_ = session_->run(source);
    result_.edits.clear();  // what the script did is the model as it opens, not history
    return result_.ok;
}

std::vector<ScriptModel> PythonScript::models() const
{
    std::vector<ScriptModel> out;
    if (!result_.ok || !session_)
        return out;
    for (const auto& [name, module] : session_->moduleGlobals())
        out.push_back({name, module->pythonClassName(), module});
    // The one bound to `model` (as the tutorial names it) is the default: it goes last.
    const auto named = std::find_if(out.begin(), out.end(), [](const ScriptModel& m) { return m.variable == "model"; });
    if (named != out.end())
        std::rotate(named, named + 1, out.end());
    return out;
}

std::unique_ptr<StatementSession> PythonScript::takeSession(size_t modelIndex)
{
    const std::vector<ScriptModel> found = models();
    if (modelIndex >= found.size() || !session_)
        return nullptr;
    session_->bindModel(found[modelIndex].variable);
    return std::move(session_);
}

}  // namespace mx
