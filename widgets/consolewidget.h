#pragma once

#include "widgets/consoleinput.h"

#include <QWidget>

#include <deque>
#include <utility>

class QLabel;
class QPlainTextEdit;
class QTimer;
class QToolButton;

namespace mx {

/**
 * The statement console: a transcript of what was run (">>> " lines, Python's output, errors in
 * red with a caret under the column of a syntax error) above the input.
 */
class ConsoleWidget : public QWidget {
    Q_OBJECT
public:
    explicit ConsoleWidget(QWidget* parent = nullptr);

    ConsoleInput* input() const { return input_; }
    QString transcript() const;
    /** Appends one run: the source, then its output or its error line. */
    void showResult(const QString& source, const QString& output, const QString& error,
                    int errorLine, int errorColumn);
    /** Appends what a script printed (no echo of its source), then its error line if any. */
    void showOutput(const QString& output, const QString& error);
    /** Appends a note in grey (e.g. "undone: ..."). */
    void showNote(const QString& note);
    /** Shows that a statement runs (a Stop button and how to interrupt) or that none does. */
    void setRunning(bool running);
    bool isRunning() const { return running_; }
    QToolButton* stopButton() const { return stop_; }

Q_SIGNALS:
    void submitted(const QString& source);
    /** Stop, Ctrl+C or Escape while a statement runs. */
    void interruptRequested();

protected:
    void changeEvent(QEvent* event) override;  // a theme change repaints the transcript

private:
    enum class Tone { Echo, Output, Error, Note };
    void append(const QString& text, Tone tone);
    void appendHtml(const QString& text, const QString& color);
    QString colorOf(Tone tone) const;

    std::deque<std::pair<QString, Tone>> entries_;  // the transcript's runs, newest last

    QPlainTextEdit* transcript_;
    ConsoleInput* input_;
    QLabel* status_;
    QToolButton* stop_;
    QTimer* revealRunning_;  // quick statements never show the Stop row
    bool running_ = false;
};

}  // namespace mx
