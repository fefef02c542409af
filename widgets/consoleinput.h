#pragma once

#include <QPlainTextEdit>
#include <QStringList>

#include <functional>

class QCompleter;
class QStringListModel;

namespace mx {

/** The system's fixed-width family with no size of its own: the size follows the parent's font,
 *  so the zoom reaches code (console transcript and input, paths in the details line). */
QFont codeFont();

/**
 * The console's input line: Enter runs, Shift+Enter adds a line (pasted blocks keep theirs),
 * Up/Down walk the history, Tab completes names and methods via a completion provider.
 */
class ConsoleInput : public QPlainTextEdit {
    Q_OBJECT
public:
    using CompletionProvider = std::function<QStringList(const QString& textBeforeCursor)>;

    explicit ConsoleInput(QWidget* parent = nullptr);

    void setCompletionProvider(CompletionProvider provider) { provider_ = std::move(provider); }
    /** Tells whether the text is an unfinished statement: then Enter starts a new line. */
    void setContinuationCheck(std::function<bool(const QString&)> check) { needsMore_ = std::move(check); }
    const QStringList& history() const { return history_; }
    /** Shows completions for the text before the cursor (what Tab does). */
    void complete();
    /** While a statement runs, Enter does not submit and Ctrl+C / Escape ask to interrupt it. */
    void setRunning(bool running) { running_ = running; }

Q_SIGNALS:
    void submitted(const QString& source);
    /** Ctrl+C or Escape while a statement runs (Python's KeyboardInterrupt). */
    void interruptRequested();
    /** Ctrl+Z / Ctrl+Shift+Z with an empty input: undo or redo the model's last edit. */
    void undoRequested();
    void redoRequested();

protected:
    void keyPressEvent(QKeyEvent* event) override;
    QSize sizeHint() const override;

private:
    void submit();
    void showHistory(int step);
    void insertCompletion(const QString& completion);
    QString wordBeforeCursor() const;

    CompletionProvider provider_;
    std::function<bool(const QString&)> needsMore_;
    QCompleter* completer_;
    QStringListModel* completions_;
    QStringList history_;
    int historyPos_ = 0;
    QString draft_;
    bool running_ = false;
};

}  // namespace mx
