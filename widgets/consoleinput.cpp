#include "widgets/consoleinput.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QScrollBar>
#include <QStringListModel>
#include <QTextBlock>

namespace mx {

QFont codeFont()
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    QFont f;
    f.setFamilies(fixed.families().isEmpty() ? QStringList{fixed.family()} : fixed.families());
    f.setStyleHint(QFont::Monospace);
    f.setFixedPitch(true);
    // Only the family is set: `f.resolveMask()` leaves the size to the parent.
    return f;
}

ConsoleInput::ConsoleInput(QWidget* parent)
    : QPlainTextEdit(parent), completer_(new QCompleter(this)), completions_(new QStringListModel(this))
{
    setObjectName(QStringLiteral("consoleInput"));
    setFont(codeFont());
    setTabChangesFocus(false);
    setPlaceholderText(tr("model.register_buffer('b', torch.randn(4, 6))   — Enter runs, "
                          "Shift+Enter adds a line, Tab completes, ↑/↓ history"));
    completer_->setModel(completions_);
    completer_->setWidget(this);
    completer_->setCompletionMode(QCompleter::PopupCompletion);
    completer_->setCaseSensitivity(Qt::CaseSensitive);
    connect(completer_, qOverload<const QString&>(&QCompleter::activated), this,
            &ConsoleInput::insertCompletion);
}

QSize ConsoleInput::sizeHint() const
{
    return {400, fontMetrics().height() * 3 + 10};
}

void ConsoleInput::keyPressEvent(QKeyEvent* event)
{
    if (completer_->popup()->isVisible()) {
        const bool chosen = completer_->popup()->currentIndex().isValid();
        switch (event->key()) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
            if (chosen) {
                event->ignore();  // the completer inserts the chosen name
                return;
            }
            completer_->popup()->hide();  // nothing chosen: Enter runs the line
            break;
        case Qt::Key_Tab:
        case Qt::Key_Escape:
            event->ignore();  // the completer handles them
            return;
        default: break;
        }
    }
    if (running_ && (event->matches(QKeySequence::Copy) || event->key() == Qt::Key_Escape) &&
        !textCursor().hasSelection()) {
        Q_EMIT interruptRequested();
        return;
    }
    if (toPlainText().isEmpty()) {  // nothing to undo in the text: the model's history it is
        if (event->matches(QKeySequence::Undo)) {
            Q_EMIT undoRequested();
            return;
        }
        if (event->matches(QKeySequence::Redo) ||
            (event->key() == Qt::Key_Z && event->modifiers() == (Qt::ControlModifier | Qt::ShiftModifier))) {
            Q_EMIT redoRequested();
            return;
        }
    }
    const bool plainEnter = (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) &&
                            !(event->modifiers() & Qt::ShiftModifier);
    if (plainEnter) {
        // "for ...:" waits for its body; an empty line ends the block, as in Python's REPL.
        const bool onEmptyLine = textCursor().block().text().trimmed().isEmpty();
        if (!onEmptyLine && needsMore_ && needsMore_(toPlainText())) {
            const QString line = textCursor().block().text();
            QString indent;
            for (QChar ch : line) {
                if (ch != QLatin1Char(' '))
                    break;
                indent += ch;
            }
            if (line.trimmed().endsWith(QLatin1Char(':')))
                indent += QStringLiteral("    ");
            insertPlainText(QLatin1Char('\n') + indent);
            return;
        }
        submit();
        return;
    }
    if (event->key() == Qt::Key_Tab) {
        complete();
        return;
    }
    const QTextCursor c = textCursor();
    if (event->key() == Qt::Key_Up && c.blockNumber() == 0) {
        showHistory(-1);
        return;
    }
    if (event->key() == Qt::Key_Down && c.blockNumber() == document()->blockCount() - 1) {
        showHistory(+1);
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

void ConsoleInput::submit()
{
    if (running_)
        return;  // the text stays; Enter runs it once the running statement has ended
    completer_->popup()->hide();
    const QString source = toPlainText();
    if (source.trimmed().isEmpty())
        return;
    if (history_.isEmpty() || history_.last() != source)
        history_ << source;
    historyPos_ = history_.size();
    draft_.clear();
    clear();
    Q_EMIT submitted(source);
}

void ConsoleInput::showHistory(int step)
{
    if (history_.isEmpty())
        return;
    if (historyPos_ == history_.size())
        draft_ = toPlainText();
    historyPos_ = qBound(0, historyPos_ + step, int(history_.size()));
    setPlainText(historyPos_ == history_.size() ? draft_ : history_[historyPos_]);
    moveCursor(QTextCursor::End);
}

QString ConsoleInput::wordBeforeCursor() const
{
    const QTextCursor c = textCursor();
    const QString line = c.block().text().left(c.positionInBlock());
    int start = line.size();
    while (start > 0 && (line[start - 1].isLetterOrNumber() || line[start - 1] == QLatin1Char('_')))
        --start;
    return line.mid(start);
}

void ConsoleInput::complete()
{
    if (!provider_)
        return;
    const QTextCursor c = textCursor();
    const QString before = toPlainText().left(c.position());
    const QStringList options = provider_(before);
    if (options.isEmpty())
        return;
    // Like a shell: insert what all options share, then offer the choices.
    QString common = options.first();
    for (const QString& o : options) {
        int n = 0;
        while (n < common.size() && n < o.size() && common[n] == o[n])
            ++n;
        common.truncate(n);
    }
    if (common.size() > wordBeforeCursor().size())
        insertCompletion(common);
    if (options.size() == 1)
        return;
    completions_->setStringList(options);
    completer_->setCompletionPrefix(wordBeforeCursor());
    QRect rect = cursorRect();
    rect.setWidth(completer_->popup()->sizeHintForColumn(0) +
                  completer_->popup()->verticalScrollBar()->sizeHint().width());
    completer_->complete(rect);
}

void ConsoleInput::insertCompletion(const QString& completion)
{
    QTextCursor c = textCursor();
    const int typed = static_cast<int>(wordBeforeCursor().size());
    c.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, typed);
    c.insertText(completion);
    setTextCursor(c);
}

}  // namespace mx
