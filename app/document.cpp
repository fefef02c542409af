#include "app/document.h"

#include "core/examples.h"
#include "core/files/fileerror.h"
#include "core/loadstatedict.h"
#include "core/modeldocument.h"
#include "core/modulenode.h"
#include "core/pythonscript.h"
#include "core/statements/statementsession.h"
#include "items/forwardrunner.h"

#include <QFileInfo>
#include <QThread>
#include <QUndoStack>

namespace mx {

StatementOutcome outcomeOf(const StatementResult& r)
{
    StatementOutcome o;
    o.ok = r.ok;
    o.output = QString::fromStdString(r.output);
    o.error = QString::fromStdString(r.error);
    o.errorLine = r.errorLine;
    o.errorColumn = r.errorColumn;
    o.resultTensor = r.resultTensor;
    o.resultExpression = QString::fromStdString(r.resultExpression);
    o.tensorsChanged = r.tensorsChanged;
    o.sourceLines = r.sourceLines;
    o.unrunFrom = r.unrunFrom;
    o.replacedModel = r.replacementModel != nullptr;
    return o;
}

namespace {

QString commandText(const QString& source)
{
    QString first = source.section(QLatin1Char('\n'), 0, 0).trimmed();
    if (source.contains(QLatin1Char('\n')))
        first += QStringLiteral(" …");
    return first.size() > 80 ? first.left(79) + QStringLiteral("…") : first;
}

}  // namespace

/** One history entry of the document on the QUndoStack: undo/redo move the document's index. */
class Document::UndoCommand : public QUndoCommand {
public:
    UndoCommand(Document* document, const QString& source)
        : QUndoCommand(commandText(source)), document_(document)
    {
    }
    void undo() override { document_->core_->undo(); document_->deliver(); }
    void redo() override
    {
        if (pushed_) {  // QUndoStack::push calls redo(); the statement has already run
            pushed_ = false;
            return;
        }
        document_->core_->redo();
        document_->deliver();
    }

private:
    Document* document_;
    bool pushed_ = true;
};

Document::Document(QObject* parent)
    : QObject(parent),
      core_(std::make_unique<ModelDocument>()),
      worker_(new QThread(this)),
      workerContext_(new QObject),
      forwardRunner_(new ForwardRunner(this)),
      undoStack_(new QUndoStack(this))
{
    qRegisterMetaType<StatementOutcome>();
    qRegisterMetaType<LoadOutcome>();
    worker_->setObjectName(QStringLiteral("model worker"));
    workerContext_->moveToThread(worker_);
    worker_->start();
    connect(forwardRunner_, &ForwardRunner::finished, this, &Document::afterForward);
    connect(forwardRunner_, &ForwardRunner::sweepFinished, this, &Document::afterForward);
    connect(forwardRunner_, &ForwardRunner::trainingFinished, this, &Document::afterForward);
    connect(undoStack_, &QUndoStack::indexChanged, this, &Document::historyChanged);
}

Document::~Document()
{
    core_->requestInterrupt();
    if (runningScript_)
        runningScript_->requestInterrupt();
    forwardRunner_->stopAndWait();
    worker_->quit();
    worker_->wait();  // a running statement stops at its next step
    delete workerContext_;
    undoStack_->clear();
}

const ModuleNode* Document::root() const { return core_->root(); }

QVector<qint64> Document::defaultInputShape() const
{
    const ExampleInfo* info = findExample(exampleName_.toStdString());
    return info ? QVector<qint64>(info->inputShape.begin(), info->inputShape.end())
                : QVector<qint64>();
}

bool Document::openExample(const QString& name, QString* error)
{
    if (!findExample(name.toStdString()) || jobs_ > 0) {
        if (error)
            *error = jobs_ > 0 ? busyReason() : tr("unknown example '%1'").arg(name);
        return false;
    }
    if (forwardRunning_ || forwardRunner_->isRunning()) {
        forwardRunner_->stopAndWait();  // cancels the run; its late results are dropped
        core_->noteTensorsChanged();
        forwardRunning_ = false;
        Q_EMIT busyChanged(false);
    }
    replaceModel(buildExample(name.toStdString()), name);
    return true;
}

void Document::requestExample(const QString& name)
{
    if (!findExample(name.toStdString()))
        return;
    if (isBusy()) {  // stop what runs on the old model; open when it has ended
        pendingExample_ = name;
        pendingFile_.clear();
        if (openCancelled_)
            *openCancelled_ = true;
        ++generation_;
        core_->requestInterrupt();
        forwardRunner_->cancel();
        return;
    }
    const quint64 generation = ++generation_;
    beginJob();
    post([this, name, generation] {
        auto built = std::make_shared<std::unique_ptr<ModuleNode>>(buildExample(name.toStdString()));
        QMetaObject::invokeMethod(this, [this, name, generation, built] {
            endJob();
            if (generation == generation_ && pendingExample_.isEmpty() && pendingFile_.isEmpty())
                replaceModel(std::move(*built), name);
        });
    });
}

void Document::requestFile(const QString& path)
{
    if (isBusy()) {  // stop what runs on the old model; open when it has ended
        pendingFile_ = path;
        pendingExample_.clear();
        ++generation_;
        core_->requestInterrupt();
        forwardRunner_->cancel();
        if (openCancelled_)
            *openCancelled_ = true;
        return;
    }
    const quint64 generation = ++generation_;
    if (isPythonScript(path)) {
        startScript(path, generation);
        return;
    }
    auto cancelled = std::make_shared<std::atomic<bool>>(false);
    openCancelled_ = cancelled;
    beginJob();
    post([this, path, generation, cancelled] {
        auto opened = std::make_shared<OpenedModel>();
        QString error;
        bool wasCancelled = false;
        try {
            *opened = openModelFile(path.toStdString(), [this, cancelled](double fraction) {
                QMetaObject::invokeMethod(this, [this, fraction] { Q_EMIT fileProgress(fraction); });
                return !*cancelled;
            });
        } catch (const files::OperationCancelled&) {
            wasCancelled = true;
            error = tr("cancelled");
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(this, [this, path, generation, opened, error, wasCancelled] {
            endJob();
            if (generation != generation_ || !pendingExample_.isEmpty() || !pendingFile_.isEmpty())
                return;  // another model was asked for meanwhile: this result is dropped
            if (!error.isEmpty() || !opened->root) {
                Q_EMIT fileOpenFailed(path, error, wasCancelled);
                return;
            }
            replaceModel(std::move(opened->root), QFileInfo(path).fileName(),
                         std::move(opened->source));
            Q_EMIT fileOpened(path);
        });
    });
}

void Document::cancelOpen()
{
    if (openCancelled_)
        *openCancelled_ = true;
    if (runningScript_)
        runningScript_->requestInterrupt();
}

LoadOutcome Document::loadStateDictHere(const QString& path, bool strict)
{
    LoadOutcome outcome;
    outcome.strict = strict;
    try {
        const OpenedModel weights = openModelFile(path.toStdString());
        const QString quoted = QStringLiteral("'%1'").arg(path);
        const QString loader =
            weights.source.kindName == "TorchScript archive"
                ? QStringLiteral("torch.jit.load(%1).state_dict()").arg(quoted)
            : weights.source.kindName == "torch.save file"
                ? QStringLiteral("torch.load(%1)").arg(quoted)
                : QStringLiteral("safetensors.torch.load_file(%1)").arg(quoted);
        outcome.statement = QStringLiteral("model.load_state_dict(%1%2)")
                                .arg(loader, strict ? QString() : QStringLiteral(", strict=False"));
        const LoadStateDictReport report =
            core_->loadStateDict(stateDictInputOf(weights), strict, outcome.statement.toStdString());
        auto list = [](const std::vector<std::string>& keys) {
            QStringList out;
            for (const std::string& k : keys)
                out << QString::fromStdString(k);
            return out;
        };
        outcome.missing = list(report.missing);
        outcome.unexpected = list(report.unexpected);
        outcome.mismatched = list(report.mismatched);
        if (report.failed()) {
            outcome.error = QString::fromStdString(report.error());
        } else {
            outcome.result = QString::fromStdString(report.result());
            for (const PlannedCopy& c : report.copies)
                outcome.loaded << QString::fromStdString(c.key);
        }
    } catch (const std::exception& e) {
        outcome.error = QString::fromStdString(e.what());
    }
    return outcome;
}

bool Document::requestLoadStateDict(const QString& path, bool strict)
{
    if (isBusy() || !core_->root())
        return false;
    const quint64 generation = generation_;
    beginJob();
    post([this, path, strict, generation] {
        const size_t before = core_->historyIndex();
        const LoadOutcome outcome = loadStateDictHere(path, strict);
        const bool changed = core_->historyIndex() != before;
        QMetaObject::invokeMethod(this, [this, path, outcome, changed, generation] {
            if (changed && generation == generation_) {
                applyingHistory_ = true;
                undoStack_->push(new UndoCommand(this, outcome.statement));
                applyingHistory_ = false;
            }
            endJob();
            if (generation == generation_)
                Q_EMIT loadFinished(path, outcome);
        });
    });
    return true;
}

bool Document::requestSave(const QString& path, SaveFormat format)
{
    if (isBusy() || !core_->root())
        return false;
    const quint64 generation = generation_;
    const ModelSource source = source_;
    beginJob();
    post([this, path, format, generation, source] {
        QString error;
        try {
            saveModelFile(*core_->root(), path.toStdString(), format, source);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(this, [this, path, error, generation] {
            endJob();
            if (error.isEmpty() && generation == generation_)
                markSaved();
            Q_EMIT saveFinished(path, error);
        });
    });
    return true;
}

bool Document::saveNow(const QString& path, SaveFormat format, QString* error)
{
    if (isBusy() || !core_->root()) {
        if (error)
            *error = busyReason();
        return false;
    }
    try {
        saveModelFile(*core_->root(), path.toStdString(), format, source_);
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    markSaved();
    return true;
}

void Document::replaceModel(std::unique_ptr<ModuleNode> root, const QString& name,
                            ModelSource source)
{
    source_ = std::move(source);
    origin_ = source_.path.empty() ? Origin::Example : Origin::File;
    std::shared_ptr<ModuleNode> shared = std::move(root);
    replaceWith([this, &shared, &name] { core_->replaceModel(std::move(shared), name.toStdString()); },
                name);
}

void Document::replaceWith(const std::function<void()>& coreReplacement, const QString& name)
{
    ++generation_;
    forwardRunner_->invalidate();  // nothing of a run on the old model may reach the views
    applyingHistory_ = true;
    undoStack_->clear();
    applyingHistory_ = false;
    coreReplacement();
    exampleName_ = origin_ == Origin::Console ? modelClassName() : name;  // a paste's class
    deliver();
    Q_EMIT modelReplaced();
    Q_EMIT historyChanged();
}

bool Document::isModified() const { return core_->isModified(); }
void Document::markSaved() { core_->markSaved(); }

bool Document::isBusy() const { return jobs_ > 0 || forwardRunning_ || forwardRunner_->isRunning(); }

QString Document::busyReason() const
{
    if (!core_->root())
        return tr("RuntimeError: no model is open");
    if (forwardRunning_ || forwardRunner_->isRunning())
        return tr("RuntimeError: a forward pass or training run is running; wait for it or cancel it before "
                  "editing the model");
    if (jobs_ > 0)
        return tr("RuntimeError: a statement is running; wait for it or stop it (Ctrl+C)");
    return {};
}

void Document::post(std::function<void()> job)
{
    QMetaObject::invokeMethod(workerContext_, std::move(job), Qt::QueuedConnection);
}

void Document::beginJob()
{
    if (jobs_++ == 0 && !forwardRunning_)
        Q_EMIT busyChanged(true);
}

void Document::endJob()
{
    if (--jobs_ == 0 && !forwardRunning_) {
        Q_EMIT busyChanged(false);
        deliver();
        if (!pendingExample_.isEmpty())
            requestExample(std::exchange(pendingExample_, QString()));
        else if (!pendingFile_.isEmpty())
            requestFile(std::exchange(pendingFile_, QString()));
    }
}

void Document::deliver()
{
    if (!core_->hasUndeliveredChanges())
        return;
    core_->deliverChanges();
    Q_EMIT modelEdited();
}

bool Document::runStatement(const QString& source)
{
    const QString refused = busyReason();
    if (!refused.isEmpty()) {
        StatementOutcome outcome;
        outcome.error = refused;
        Q_EMIT statementFinished(source, outcome);
        return false;
    }
    const quint64 generation = generation_;
    beginJob();
    post([this, source, generation] {
        const size_t before = core_->historyIndex();
        const StatementResult r = core_->run(source.toStdString());
        const bool changed = core_->historyIndex() != before;
        const StatementOutcome outcome = outcomeOf(r);
        QMetaObject::invokeMethod(this, [this, generation, source, outcome, changed] {
            finishStatement(generation, source, outcome, changed);
        });
    });
    return true;
}

void Document::finishStatement(quint64 generation, const QString& source, StatementOutcome outcome,
                               bool changedModel)
{
    if (generation == generation_ && outcome.replacedModel && core_->hasConsoleModel()) {
        endJob();
        Q_EMIT statementFinished(source, outcome);  // its output first, then the new model
        adoptConsoleModel(source);
        return;
    }
    if (generation == generation_ && changedModel) {
        const size_t entry = core_->historyIndex() - 1;
        applyingHistory_ = true;
        undoStack_->push(new UndoCommand(
            this, QString::fromStdString(core_->historySource(entry))));
        applyingHistory_ = false;
    }
    endJob();  // delivers the statement's change records
    if (generation == generation_)
        Q_EMIT statementFinished(source, outcome);
}

StatementOutcome Document::runStatementNow(const QString& source)
{
    const QString refused = busyReason();
    if (!refused.isEmpty()) {
        StatementOutcome outcome;
        outcome.error = refused;
        return outcome;
    }
    const size_t before = core_->historyIndex();
    const StatementOutcome outcome = outcomeOf(core_->run(source.toStdString()));
    if (outcome.replacedModel && core_->hasConsoleModel()) {
        deliver();
        adoptConsoleModel(source);
        return outcome;
    }
    if (core_->historyIndex() != before)
        undoStack_->push(new UndoCommand(
            this, QString::fromStdString(core_->historySource(core_->historyIndex() - 1))));
    deliver();
    return outcome;
}

void Document::interrupt()
{
    core_->requestInterrupt();
    if (runningScript_)
        runningScript_->requestInterrupt();
}

void Document::checkStatement(const QString& source, std::function<void(const QString&)> done)
{
    if (!core_->root() || forwardRunning_ || forwardRunner_->isRunning()) {
        done(busyReason());
        return;
    }
    const quint64 generation = generation_;
    beginJob();
    post([this, source, generation, done = std::move(done)] {
        const QString error = generation == generation_
                                  ? QString::fromStdString(core_->check(source.toStdString()))
                                  : QString();
        QMetaObject::invokeMethod(this, [this, generation, error, done] {
            endJob();
            if (generation == generation_)
                done(error);
        });
    });
}

void Document::prepareForwardInBackground(std::function<void(bool sameModel)> done)
{
    if (isBusy() || !core_->root()) {
        done(false);
        return;
    }
    const quint64 generation = generation_;
    const ModuleNode* root = core_->root();
    beginJob();
    post([this, root, generation, done = std::move(done)] {
        if (generation == generation_)
            root->forwardError();  // prepares the jit mirror, loading a file's code if needed
        QMetaObject::invokeMethod(this, [this, generation, done] {
            endJob();
            done(generation == generation_);
        });
    });
}

bool Document::startForward(const ForwardRequest& request)
{
    if (isBusy() || !core_->root())
        return false;
    forwardRunning_ = true;
    Q_EMIT busyChanged(true);
    if (!forwardRunner_->start(core_->mutableRoot(), request)) {
        forwardRunning_ = false;
        Q_EMIT busyChanged(false);
        return false;
    }
    return true;
}

bool Document::startSweep(const ForwardRequest& request, const QVector<int>& batches)
{
    if (isBusy() || !core_->root())
        return false;
    forwardRunning_ = true;
    Q_EMIT busyChanged(true);
    if (!forwardRunner_->startSweep(core_->mutableRoot(), request, batches)) {
        forwardRunning_ = false;
        Q_EMIT busyChanged(false);
        return false;
    }
    return true;
}

bool Document::startTraining(const TrainRequest& request)
{
    if (isBusy() || !core_->root())
        return false;
    forwardRunning_ = true;
    Q_EMIT busyChanged(true);
    if (!forwardRunner_->startTraining(core_->mutableRoot(), request)) {
        forwardRunning_ = false;
        Q_EMIT busyChanged(false);
        return false;
    }
    return true;
}

void Document::afterForward()
{
    if (!forwardRunning_)
        return;
    forwardRunning_ = false;
    core_->noteTensorsChanged();  // devices and BatchNorm statistics may have changed in place
    if (jobs_ == 0) {
        Q_EMIT busyChanged(false);
        deliver();
        if (!pendingExample_.isEmpty())
            requestExample(std::exchange(pendingExample_, QString()));
        else if (!pendingFile_.isEmpty())
            requestFile(std::exchange(pendingFile_, QString()));
    }
}

bool Document::needsMoreInput(const QString& source)
{
    return StatementSession::needsMoreInput(source.toStdString());
}

QStringList Document::completions(const QString& textBeforeCursor) const
{
    QStringList out;
    if (isBusy() || !core_->session())
        return out;
    for (const std::string& c : core_->session()->completions(textBeforeCursor.toStdString()))
        out << QString::fromStdString(c);
    return out;
}

bool Document::canUndo() const { return !isBusy() && core_->canUndo(); }
bool Document::canRedo() const { return !isBusy() && core_->canRedo(); }

void Document::undo()
{
    if (canUndo())
        undoStack_->undo();
}

void Document::redo()
{
    if (canRedo())
        undoStack_->redo();
}

QStringList Document::effectiveStatements() const
{
    QStringList out;
    for (const std::string& s : core_->effectiveStatements())
        out << QString::fromStdString(s);
    return out;
}

QString Document::exportPython() const { return QString::fromStdString(core_->exportPython()); }

}  // namespace mx
