#include "app/tutorialplayer.h"

#include "app/document.h"
#include "app/tutorialsteps.h"

#include <QUndoStack>

namespace mx {

TutorialPlayer::TutorialPlayer(Document* document, StatementRunner run, QObject* parent)
    : QObject(parent), document_(document), run_(std::move(run)), undoBefore_(count(), -1)
{
    connect(document_, &Document::statementFinished, this, &TutorialPlayer::onStatementFinished);
    connect(document_, &Document::modelReplaced, this, &TutorialPlayer::onModelReplaced);
    connect(document_, &Document::busyChanged, this, &TutorialPlayer::stateChanged);
    connect(document_, &Document::historyChanged, this, &TutorialPlayer::stateChanged);
}

int TutorialPlayer::count() const { return static_cast<int>(tutorialSteps().size()); }

bool TutorialPlayer::isBusy() const { return target_ >= 0 || document_->isBusy(); }
bool TutorialPlayer::canNext() const { return !isBusy() && current_ + 1 < count(); }
bool TutorialPlayer::canBack() const { return !isBusy() && current_ > 0; }

const QUndoCommand* TutorialPlayer::topCommand() const
{
    const QUndoStack* stack = document_->undoStack();
    return stack->index() > 0 ? stack->command(stack->index() - 1) : nullptr;
}

bool TutorialPlayer::inSync() const
{
    return ours_ && current_ >= 0 && awaitingStatement_.isEmpty() &&
           document_->exampleName() == tutorialSteps()[current_].exampleName() &&
           document_->undoStack()->index() == expectedIndex_ && topCommand() == expectedTop_;
}

void TutorialPlayer::remember()
{
    expectedIndex_ = document_->undoStack()->index();
    expectedTop_ = topCommand();
}

bool TutorialPlayer::goTo(int target)
{
    if (isBusy() || target < 0 || target >= count())
        return false;
    const auto& steps = tutorialSteps();
    const bool sameExperiment = current_ >= 0 && inSync() &&
                                steps[target].exampleName() == steps[current_].exampleName();
    if (sameExperiment && target == current_ + 1) {
        target_ = target;
        lastDone_ = current_;
        queue_ = {target};
        Q_EMIT stateChanged();
        runQueue();
        return true;
    }
    if (sameExperiment && target == current_ - 1) {
        // Undo what the step changed: the document's own undo, as Edit → Undo would.
        const int before = undoBefore_[current_];
        while (document_->undoStack()->index() > before && document_->canUndo())
            document_->undo();
        if (document_->undoStack()->index() == before) {
            current_ = target;
            remember();
            Q_EMIT stepShown(current_);
            Q_EMIT stateChanged();
            return true;
        }
        // Could not undo exactly: fall through and replay.
    }
    return rebuild(target);
}

bool TutorialPlayer::rebuild(int target)
{
    if (isBusy() || target < 0 || target >= count())
        return false;
    // The tutorial's own edits are replaced without asking; anybody else's are asked about.
    if (!inSync() && document_->isModified() && mayReplace_ && !mayReplace_())
        return false;
    const int start = experimentStart(target);
    target_ = target;
    lastDone_ = -1;
    queue_.clear();
    for (int s = start; s <= target; ++s)
        queue_ << s;
    awaitingExample_ = tutorialSteps()[target].exampleName();
    ours_ = false;
    Q_EMIT stateChanged();
    document_->requestExample(awaitingExample_);
    return true;
}

void TutorialPlayer::onModelReplaced()
{
    if (!awaitingExample_.isEmpty() && document_->exampleName() == awaitingExample_) {
        awaitingExample_.clear();
        ours_ = true;
        runQueue();
        return;
    }
    // Somebody opened another model: the tutorial's steps no longer describe it.
    ours_ = false;
    if (target_ >= 0) {
        target_ = -1;
        queue_.clear();
        awaitingExample_.clear();
        awaitingStatement_.clear();
        Q_EMIT stateChanged();
    }
}

void TutorialPlayer::runQueue()
{
    while (!queue_.isEmpty()) {
        const int step = queue_.front();
        undoBefore_[step] = document_->undoStack()->index();
        const QString statement = tutorialSteps()[step].statementText();
        if (statement.isEmpty()) {
            queue_.pop_front();
            lastDone_ = step;
            continue;
        }
        awaitingStatement_ = statement;
        run_(statement);  // statementFinished continues (also when refused, at once)
        return;
    }
    finish();
}

void TutorialPlayer::onStatementFinished(const QString& source, const StatementOutcome& outcome)
{
    if (awaitingStatement_.isEmpty() || source != awaitingStatement_ || queue_.isEmpty())
        return;
    awaitingStatement_.clear();
    const int step = queue_.takeFirst();
    if (!outcome.ok) {
        queue_.clear();
        target_ = -1;
        current_ = lastDone_;
        remember();
        if (current_ >= 0)
            Q_EMIT stepShown(current_);
        Q_EMIT failed(step, outcome.error);
        Q_EMIT stateChanged();
        return;
    }
    lastDone_ = step;
    runQueue();
}

void TutorialPlayer::finish()
{
    current_ = target_;
    target_ = -1;
    remember();
    Q_EMIT stepShown(current_);
    Q_EMIT stateChanged();
}

}  // namespace mx
