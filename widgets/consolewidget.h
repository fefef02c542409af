#pragma once

#include "widgets/consoleinput.h"

#include <QWidget>

class QPlainTextEdit;

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
    /** Appends a note in grey (e.g. "undone: ..."). */
    void showNote(const QString& note);

Q_SIGNALS:
    void submitted(const QString& source);

private:
    void append(const QString& text, const QString& color);

    QPlainTextEdit* transcript_;
    ConsoleInput* input_;
};

}  // namespace mx
