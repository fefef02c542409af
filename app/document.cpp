#include "app/document.h"

#include "app/statementcommand.h"
#include "core/examples.h"
#include "core/modulenode.h"
#include "core/runtime.h"
#include "core/sessionexport.h"
#include "core/statements/statementsession.h"
#include "items/forwardrunner.h"

#include <QUndoStack>

namespace mx {

Document::Document(QObject* parent)
    : QObject(parent), forwardRunner_(new ForwardRunner(this)), undoStack_(new QUndoStack(this))
{
}

Document::~Document()
{
    forwardRunner_->stopAndWait();
    undoStack_->clear();  // its edits refer into the model
}

QVector<qint64> Document::defaultInputShape() const
{
    const ExampleInfo* info = findExample(exampleName_.toStdString());
    return info ? QVector<qint64>(info->inputShape.begin(), info->inputShape.end())
                : QVector<qint64>();
}

bool Document::openExample(const QString& name, QString* error)
{
    if (!findExample(name.toStdString())) {
        if (error)
            *error = tr("unknown example '%1'").arg(name);
        return false;
    }
    forwardRunner_->stopAndWait();  // a running forward holds the old model
    std::unique_ptr<ModuleNode> built = buildExample(name.toStdString());
    Q_EMIT aboutToReplaceModel();
    undoStack_->clear();
    log_.clear();
    session_.reset();
    root_ = std::move(built);
    session_ = std::make_unique<StatementSession>(*root_);
    exampleName_ = name;
    Q_EMIT modelReplaced();
    return true;
}

QString Document::busyReason() const
{
    if (!root_)
        return tr("RuntimeError: no model is open");
    if (forwardRunner_->isRunning())
        return tr("RuntimeError: a forward pass is running; wait for it or cancel it before "
                  "editing the model");
    return {};
}

StatementOutcome Document::runStatement(const QString& source)
{
    StatementOutcome outcome;
    outcome.error = busyReason();
    if (!outcome.error.isEmpty())
        return outcome;
    StatementResult r = session_->run(source.toStdString());
    outcome.ok = r.ok;
    outcome.output = QString::fromStdString(r.output);
    outcome.error = QString::fromStdString(r.error);
    outcome.errorLine = r.errorLine;
    outcome.errorColumn = r.errorColumn;
    // Statements before a failing one have run, as in Python's REPL: keep them (and their lines).
    QString ran = source;
    if (!r.ok) {
        if (r.statementsRun == 0)
            return outcome;
        ran = source.section(QLatin1Char('\n'), 0, r.errorLine - 2);
    }
    if (r.edits.empty()) {
        log_.push_back({ran, nullptr, -1});
        return outcome;
    }
    std::vector<Edit> edits = std::move(r.edits);
    announceEdits(edits);
    auto* command = new StatementCommand(this, ran, std::move(edits));
    const int index = undoStack_->index();
    undoStack_->push(command);
    log_.push_back({ran, command, index});
    return outcome;
}

QString Document::checkStatement(const QString& source)
{
    const QString busy = busyReason();
    if (!busy.isEmpty())
        return busy;
    const GeneratorStateGuard keepRandomState;  // a dry run must not shift later randn values
    StatementResult r = session_->run(source.toStdString());
    for (auto it = r.edits.rbegin(); it != r.edits.rend(); ++it)
        it->revert();
    return r.ok ? QString() : QString::fromStdString(r.error);
}

bool Document::needsMoreInput(const QString& source)
{
    return StatementSession::needsMoreInput(source.toStdString());
}

QStringList Document::completions(const QString& textBeforeCursor) const
{
    QStringList out;
    if (!session_)
        return out;
    for (const std::string& c : session_->completions(textBeforeCursor.toStdString()))
        out << QString::fromStdString(c);
    return out;
}

QStringList Document::effectiveStatements() const
{
    QStringList statements;
    for (const LoggedStatement& s : log_) {
        // An editing statement counts while its command is still on the stack and not undone
        // (commands undone and then replaced by a new push are gone: compared by address only).
        const bool applied = !s.command || (s.commandIndex < undoStack_->index() &&
                                            undoStack_->command(s.commandIndex) == s.command);
        if (applied)
            statements << s.source;
    }
    return statements;
}

QString Document::exportPython() const
{
    std::vector<std::string> statements;
    for (const QString& s : effectiveStatements())
        statements.push_back(s.toStdString());
    return QString::fromStdString(exportSessionAsPython(exampleName_.toStdString(), statements));
}

void Document::announceEdits(const std::vector<Edit>& edits)
{
    QVector<const ModuleNode*> targets;
    for (const Edit& e : edits)
        if (e.target() && !targets.contains(e.target()))
            targets << e.target();
    Q_EMIT modelEdited(targets);
}

}  // namespace mx
