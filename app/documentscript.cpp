// Document's Python half: a .py file run on the worker and the model it made opened with its
// session, and the switch to the module a console paste bound to `model`.
#include "app/document.h"

#include "app/scriptfile.h"
#include "core/modeldocument.h"
#include "core/modulenode.h"
#include "core/pythonscript.h"
#include "core/statements/statementsession.h"

#include <QFileInfo>
#include <QRegularExpression>

#include <exception>

namespace mx {

namespace {

// The 1-based line of the last top-level `model = ...` (or `self = ...`) in pasted console text;
// 0 when there is none (the rebinding came from elsewhere, e.g. `exec`-like helpers).
int lastModelBinding(const QString& source)
{
    static const QRegularExpression binding(
        QStringLiteral("^(?:>>> )?(?:model|self)\\s*=(?!=)"));
    const QStringList lines = source.split(QLatin1Char('\n'));
    for (int i = lines.size() - 1; i >= 0; --i)
        if (binding.match(lines[i]).hasMatch())
            return i + 1;
    return 0;
}

}  // namespace

bool Document::isPythonScript(const QString& path)
{
    return isPythonScriptPath(path.toStdString());
}

QString Document::modelClassName() const
{
    return QString::fromStdString(core_->scriptClassName());
}

void Document::startScript(const QString& path, quint64 generation)
{
    auto script = std::make_shared<PythonScript>();
    runningScript_ = script;
    openCancelled_.reset();
    beginJob();
    Q_EMIT scriptStarted(path);
    post([this, path, generation, script] {
        StatementOutcome outcome;
        std::string text;
        std::string error;
        if (!readScriptFile(path.toStdString(), &text, &error)) {
            outcome.error = QString::fromStdString(error);
        } else {
            try {
                script->run(text);
                outcome = outcomeOf(script->result());
            } catch (const std::exception& e) {  // the interpreter answers errors; this is a last resort
                outcome = StatementOutcome();
                outcome.error = QString::fromStdString(e.what());
            }
            outcome.cancelled = outcome.error.startsWith(QLatin1String("KeyboardInterrupt"));
        }
        QMetaObject::invokeMethod(this, [this, path, generation, script, outcome] {
            if (runningScript_ == script)
                runningScript_.reset();
            endJob();
            if (generation != generation_ || !pendingExample_.isEmpty() || !pendingFile_.isEmpty())
                return;  // another model was asked for meanwhile: this result is dropped
            Q_EMIT scriptFinished(path, outcome);
            if (!outcome.ok) {
                const QString where = outcome.errorLine > 0
                                          ? tr("line %1: %2").arg(outcome.errorLine).arg(outcome.error)
                                          : outcome.error;
                Q_EMIT fileOpenFailed(path, where, outcome.cancelled);
                return;
            }
            openScriptModels(path, script);
        });
    });
}

void Document::openScriptModels(const QString& path, const std::shared_ptr<PythonScript>& script)
{
    const std::vector<ScriptModel> models = script->models();
    if (models.empty()) {
        Q_EMIT fileOpenFailed(path, tr("the script made no nn.Module"), false);
        return;
    }
    // Busy while the user chooses: no statement may run on the old model meanwhile.
    beginJob();
    const quint64 generation = generation_;
    int index = static_cast<int>(models.size()) - 1;  // the one bound last, as `python3 -i` leaves it
    if (models.size() > 1 && chooser_) {
        QStringList variables;
        QStringList classes;
        for (const ScriptModel& m : models) {
            variables << QString::fromStdString(m.variable);
            classes << QString::fromStdString(m.className);
        }
        index = chooser_(variables, classes, index);
    }
    if (generation != generation_) {  // another model was asked for while the list was shown
        endJob();
        return;
    }
    if (index < 0 || index >= static_cast<int>(models.size())) {
        endJob();
        Q_EMIT fileOpenFailed(path, tr("no model was chosen"), true);
        return;
    }
    QString error;
    ModelSource source;
    source.path = path.toStdString();
    source.kindName = "Python script";
    source_ = std::move(source);
    origin_ = Origin::Script;
    consoleModelLine_ = 0;
    replaceWith(
        [&] {
            try {
                core_->adoptScript(*script, static_cast<size_t>(index),
                                   QFileInfo(path).fileName().toStdString());
            } catch (const std::exception& e) {  // takeSession/bindModel refused: not expected
                error = QString::fromStdString(e.what());
            }
        },
        QFileInfo(path).fileName());
    endJob();
    if (!error.isEmpty()) {
        Q_EMIT fileOpenFailed(path, error, false);
        return;
    }
    Q_EMIT fileOpened(path);
}

void Document::checkForwardInBackground(std::function<void(const QString& reason)> done)
{
    prepareForwardInBackground([this, done = std::move(done)](bool sameModel) {
        if (sameModel && core_->root())  // prepared on the worker: reading it here is cheap
            done(QString::fromStdString(core_->root()->forwardError()));
    });
}

void Document::adoptConsoleModel(const QString& source)
{
    consoleModelLine_ = lastModelBinding(source);
    ModelSource console;
    console.kindName = "console";
    source_ = std::move(console);
    origin_ = Origin::Console;
    replaceWith([this] { core_->adoptConsoleModel(); }, QString());
}

}  // namespace mx
