#include "core/modeldocument.h"

#include "core/loadstatedict.h"

#include "core/modulenode.h"
#include "core/pythonscript.h"
#include "core/runtime.h"
#include "core/sessionexport.h"
#include "core/statements/statementsession.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_set>
#include <utility>

namespace mx {

namespace {

// The first `count` lines of `text`, without the newline after the last.
std::string firstLines(const std::string& text, int count)
{
    if (count <= 0)
        return {};
    size_t start = 0;
    for (int line = 0; line < count; ++line) {
        const size_t newline = text.find('\n', start);
        if (newline == std::string::npos)
            return text;
        start = newline + 1;
    }
    return text.substr(0, start - 1);
}

}  // namespace

std::vector<const ModuleNode*> DocumentChange::modules() const
{
    std::vector<const ModuleNode*> out;
    for (const ChangeRecord& r : records)
        if (std::find(out.begin(), out.end(), r.module) == out.end())
            out.push_back(r.module);
    return out;
}

ModelDocument::ModelDocument() = default;

ModelDocument::~ModelDocument()
{
    // Edits refer into the model (and own what they removed from it): drop them first.
    history_.clear();
    session_.reset();
    root_.reset();
}

int ModelDocument::subscribe(Observer observer)
{
    observers_.emplace_back(nextObserver_, std::move(observer));
    return nextObserver_++;
}

void ModelDocument::unsubscribe(int handle)
{
    observers_.erase(std::remove_if(observers_.begin(), observers_.end(),
                                    [handle](const auto& o) { return o.first == handle; }),
                     observers_.end());
}

void ModelDocument::deliverChanges()
{
    // One at a time, so that hasUndeliveredChanges() tells an observer whether more follow (an
    // item model must not re-read the model while changes it has not seen are still queued).
    // An observer may cause more changes; they are delivered too, in order.
    while (!queued_.empty()) {
        const DocumentChange change = std::move(queued_.front());
        queued_.erase(queued_.begin());
        const auto observers = observers_;  // an observer may unsubscribe itself
        for (const auto& o : observers)
            o.second(change);
    }
}

void ModelDocument::replaceModel(std::shared_ptr<ModuleNode> root, std::string name)
{
    // The old model must stay alive until observers dropped their pointers into it.
    queued_.push_back({DocumentChange::Kind::AboutToReplaceModel, {}});
    deliverChanges();
    history_.clear();
    log_.clear();
    consoleModel_.reset();
    session_.reset();
    root_ = std::move(root);
    name_ = root_ ? std::move(name) : std::string();
    scriptSource_.clear();
    scriptVariable_.clear();
    scriptClass_.clear();
    if (root_)
        session_ = std::make_unique<StatementSession>(*root_);
    startNewHistory();
}

void ModelDocument::adoptScript(PythonScript& script, size_t modelIndex, std::string name)
{
    const std::vector<ScriptModel> models = script.models();
    const ScriptModel& chosen = models.at(modelIndex);
    std::unique_ptr<StatementSession> session = script.takeSession(modelIndex);
    if (!session)
        throw std::runtime_error("RuntimeError: the script's session was already taken");
    queued_.push_back({DocumentChange::Kind::AboutToReplaceModel, {}});
    deliverChanges();
    history_.clear();
    log_.clear();
    consoleModel_.reset();
    session_ = std::move(session);  // the old session (and what it held) goes before the old root
    root_ = chosen.module;
    name_ = std::move(name);
    scriptSource_ = script.source();
    scriptVariable_ = chosen.variable;
    scriptClass_ = chosen.className;
    startNewHistory();
}

bool ModelDocument::adoptConsoleModel()
{
    if (!consoleModel_)
        return false;
    queued_.push_back({DocumentChange::Kind::AboutToReplaceModel, {}});
    deliverChanges();
    // The statements that count stay in the log for export; none of them can be undone now.
    std::vector<LoggedStatement> kept;
    for (const std::string& s : effectiveStatements())
        kept.push_back({s, 0});
    log_ = std::move(kept);
    history_.clear();
    root_ = std::move(consoleModel_);
    scriptClass_ = root_->typeName();
    startNewHistory();
    return true;
}

void ModelDocument::startNewHistory()
{
    index_ = 0;
    savedId_ = 0;
    savedPointGone_ = false;
    queued_.push_back({DocumentChange::Kind::ModelReplaced, {}});
}

bool ModelDocument::isModified() const
{
    if (savedPointGone_)
        return true;
    const uint64_t current = index_ ? history_[index_ - 1].id : 0;
    return current != savedId_;
}

void ModelDocument::markSaved()
{
    savedId_ = index_ ? history_[index_ - 1].id : 0;
    savedPointGone_ = false;
}

void ModelDocument::noteTensorsChanged()
{
    queued_.push_back({DocumentChange::Kind::TensorsChanged, {}});
}

void ModelDocument::queueEdits(const std::vector<Edit>& edits, bool reverted)
{
    DocumentChange change{DocumentChange::Kind::Edited, {}};
    if (!reverted) {
        for (const Edit& e : edits)
            for (const Edit::Change& c : e.changes())
                change.records.push_back({e.target(), c});
    } else {
        // The inverse steps, last first: an insert becomes a remove at the same place.
        for (auto e = edits.rbegin(); e != edits.rend(); ++e) {
            const std::vector<Edit::Change> steps = e->changes();
            for (auto c = steps.rbegin(); c != steps.rend(); ++c) {
                Edit::Change inverse = *c;
                if (c->kind == Edit::Change::Kind::Insert)
                    inverse.kind = Edit::Change::Kind::Remove;
                else if (c->kind == Edit::Change::Kind::Remove)
                    inverse.kind = Edit::Change::Kind::Insert;
                std::swap(inverse.before, inverse.after);
                change.records.push_back({e->target(), inverse});
            }
        }
    }
    if (!change.records.empty())
        queued_.push_back(std::move(change));
}

StatementResult ModelDocument::run(const std::string& source)
{
    if (!session_) {
        StatementResult none;
        none.ok = false;
        none.error = "RuntimeError: no model is open";
        return none;
    }
    StatementResult result = session_->run(source);
    if (result.replacementModel) {
        // `model` now names another module: the caller adopts it (adoptConsoleModel()). Its
        // edits, on the old root before the rebinding and on the new one after it, are part of
        // what the new document opens as: none of them is undoable.
        consoleModel_ = result.replacementModel;
        result.edits.clear();
        const std::string ran = result.ok ? source : firstLines(source, result.errorLine - 1);
        if (!ran.empty())
            log_.push_back({ran, 0});
        return result;
    }
    if (result.tensorsChanged)
        noteTensorsChanged();  // values, grads or flags changed in place (training statements)
    if (!result.ok && result.statementsRun == 0)
        return result;
    // Statements before a failing one have run, as in Python's REPL: keep them (and their lines).
    const std::string ran = result.ok ? source : firstLines(source, result.errorLine - 1);
    if (result.edits.empty()) {
        if (!ran.empty())
            log_.push_back({ran, 0});
        return result;
    }
    queueEdits(result.edits, /*reverted=*/false);
    pushHistory(ran, std::move(result.edits), nullptr);
    result.edits.clear();
    return result;
}

void ModelDocument::pushHistory(const std::string& source, std::vector<Edit> edits,
                                std::shared_ptr<ValueEdit> values)
{
    // A new entry drops the undone ones, as QUndoStack::push does.
    if (index_ < history_.size()) {
        if (savedId_ != 0 && std::any_of(history_.begin() + static_cast<long>(index_), history_.end(),
                                         [this](const HistoryEntry& h) { return h.id == savedId_; }))
            savedPointGone_ = true;
        history_.erase(history_.begin() + static_cast<long>(index_), history_.end());
    }
    const uint64_t id = nextId_++;
    history_.push_back({id, source, std::move(edits), std::move(values)});
    index_ = history_.size();
    log_.push_back({source, id});
}

std::string ModelDocument::check(const std::string& source)
{
    if (!session_)
        return "RuntimeError: no model is open";
    const GeneratorStateGuard keepRandomState;  // a dry run must not shift later randn values
    StatementResult r = session_->run(source);
    for (auto it = r.edits.rbegin(); it != r.edits.rend(); ++it)
        it->revert();
    if (r.replacementModel && root_)  // a dry run keeps the open model as `model`
        session_->restoreModel(*root_);
    return r.ok ? std::string() : r.error;
}

void ModelDocument::requestInterrupt()
{
    if (StatementSession* s = session_.get())
        s->requestInterrupt();
}

// Out of line: HistoryEntry is complete only here.
size_t ModelDocument::historySize() const { return history_.size(); }

bool ModelDocument::canRedo() const { return index_ < history_.size(); }

const std::string& ModelDocument::historySource(size_t i) const
{
    return history_.at(i).source;
}

LoadStateDictReport ModelDocument::loadStateDict(const StateDictInput& input, bool strict,
                                                const std::string& statement)
{
    if (!root_)
        throw std::runtime_error("RuntimeError: no model is open");
    LoadStateDictReport report = planLoadStateDict(*root_, input, strict);
    if (report.failed())
        return report;
    pushHistory(statement, {}, ValueEdit::apply(report.copies));
    noteTensorsChanged();
    return report;
}

void ModelDocument::undo()
{
    if (!canUndo())
        return;
    HistoryEntry& entry = history_[--index_];
    if (entry.values) {
        entry.values->undo();
        noteTensorsChanged();
        return;
    }
    for (auto it = entry.edits.rbegin(); it != entry.edits.rend(); ++it)
        it->revert();
    queueEdits(entry.edits, /*reverted=*/true);
}

void ModelDocument::redo()
{
    if (!canRedo())
        return;
    HistoryEntry& entry = history_[index_++];
    if (entry.values) {
        entry.values->redo();
        noteTensorsChanged();
        return;
    }
    for (Edit& e : entry.edits)
        e.apply();
    queueEdits(entry.edits, /*reverted=*/false);
}

std::vector<std::string> ModelDocument::effectiveStatements() const
{
    std::unordered_set<uint64_t> applied;
    for (size_t i = 0; i < index_; ++i)
        applied.insert(history_[i].id);
    std::vector<std::string> out;
    for (const LoggedStatement& s : log_) {
        if (s.historyId == 0 || applied.count(s.historyId))
            out.push_back(s.source);
    }
    return out;
}

std::string ModelDocument::exportPython() const
{
    if (!scriptSource_.empty())
        return exportScriptSessionAsPython(scriptSource_, scriptVariable_, effectiveStatements());
    return exportSessionAsPython(name_, effectiveStatements());
}

}  // namespace mx
