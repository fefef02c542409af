#pragma once

#include <QObject>
#include <QString>
#include <QVector>

#include <functional>

class QUndoCommand;

namespace mx {
class Document;
struct StatementOutcome;

/**
 * Plays the tutorial's steps (app/tutorialsteps.h) on the open document: Next runs the next
 * step's statement as if typed in the console, Back undoes what the step changed (document undo),
 * and a step of another experiment opens its example and replays the experiment up to it.
 */
class TutorialPlayer : public QObject {
    Q_OBJECT
public:
    /** Runs console text as typed (the console's transcript and the history show it). */
    using StatementRunner = std::function<void(const QString&)>;
    /** Asked before the player replaces a model whose edits are not the tutorial's own; false
     *  cancels (the window asks about unsaved edits here). */
    using ReplaceCheck = std::function<bool()>;

    TutorialPlayer(Document* document, StatementRunner run, QObject* parent = nullptr);
    void setReplaceCheck(ReplaceCheck check) { mayReplace_ = std::move(check); }

    int count() const;
    /** The step shown (its statement has run), -1 before the first. */
    int current() const { return current_; }
    /** A step is being played, or the document runs a job: Next and Back wait. */
    bool isBusy() const;
    bool canNext() const;
    bool canBack() const;
    /** Whether the open model is still what the tutorial made of it at current(). */
    bool inSync() const;

    /** Shows step `target`; false when refused (busy, out of range, or the user cancelled). */
    bool goTo(int target);
    bool next() { return goTo(current_ + 1); }
    bool back() { return goTo(current_ - 1); }
    /** Opens the first experiment's example afresh. */
    bool restart() { return rebuild(0); }

Q_SIGNALS:
    /** Step `step` is shown: its example is open and its statement has run. */
    void stepShown(int step);
    /** isBusy(), canNext() or canBack() may have changed. */
    void stateChanged();
    /** A step's statement failed (or was refused); the player stays at the step before it. */
    void failed(int step, const QString& error);

private:
    bool rebuild(int target);
    void runQueue();
    void finish();
    void onStatementFinished(const QString& source, const StatementOutcome& outcome);
    void onModelReplaced();
    void remember();
    const QUndoCommand* topCommand() const;

    Document* document_;
    StatementRunner run_;
    ReplaceCheck mayReplace_;
    int current_ = -1;
    int target_ = -1;         // the step being played to, -1 when idle
    int lastDone_ = -1;       // the last step of the queue that has run
    QVector<int> queue_;      // steps whose statements are still to run
    QVector<int> undoBefore_; // per step: the undo stack's index before its statement ran
    QString awaitingExample_;    // the example requested, until the document shows it
    QString awaitingStatement_;  // the statement running, until it finishes
    bool ours_ = false;          // the open model was opened by the player
    int expectedIndex_ = -1;     // the undo stack's index when current() was shown
    const QUndoCommand* expectedTop_ = nullptr;  // and its top command
};

}  // namespace mx
