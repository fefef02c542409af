#include "widgets/consolewidget.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

namespace mx {

ConsoleWidget::ConsoleWidget(QWidget* parent)
    : QWidget(parent),
      transcript_(new QPlainTextEdit),
      input_(new ConsoleInput),
      status_(new QLabel),
      stop_(new QToolButton),
      revealRunning_(new QTimer(this))
{
    revealRunning_->setSingleShot(true);
    revealRunning_->setInterval(150);
    connect(revealRunning_, &QTimer::timeout, this, [this] {
        status_->setVisible(running_);
        stop_->setVisible(running_);
    });
    setObjectName(QStringLiteral("console"));
    transcript_->setObjectName(QStringLiteral("consoleTranscript"));
    transcript_->setReadOnly(true);
    transcript_->setFont(codeFont());
    transcript_->setMaximumBlockCount(5000);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(transcript_, 1);
    layout->addWidget(input_);
    stop_->setObjectName(QStringLiteral("consoleStop"));
    stop_->setText(tr("Stop"));
    stop_->setToolTip(tr("Interrupt the running statement (Ctrl+C): it raises KeyboardInterrupt "
                         "and changes nothing"));
    status_->setObjectName(QStringLiteral("consoleStatus"));
    status_->setText(tr("Running… Ctrl+C or Stop interrupts the statement."));
    auto* running = new QHBoxLayout;
    running->setContentsMargins(0, 0, 0, 0);
    running->addWidget(status_, 1);
    running->addWidget(stop_);
    layout->addLayout(running);
    setRunning(false);
    connect(input_, &ConsoleInput::submitted, this, &ConsoleWidget::submitted);
    connect(input_, &ConsoleInput::interruptRequested, this, &ConsoleWidget::interruptRequested);
    connect(stop_, &QToolButton::clicked, this, &ConsoleWidget::interruptRequested);
}

void ConsoleWidget::setRunning(bool running)
{
    running_ = running;
    input_->setRunning(running);
    stop_->setEnabled(running);
    if (running) {
        revealRunning_->start();
    } else {
        revealRunning_->stop();
        status_->setVisible(false);
        stop_->setVisible(false);
    }
}

QString ConsoleWidget::transcript() const { return transcript_->toPlainText(); }

QString ConsoleWidget::colorOf(Tone tone) const
{
    // Readable on both themes' Base: lighter tones on a dark one.
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    switch (tone) {
    case Tone::Echo: return dark ? QStringLiteral("#8cc4ff") : QStringLiteral("#1f4e79");
    case Tone::Output: return palette().color(QPalette::Text).name();
    case Tone::Error: return dark ? QStringLiteral("#ff8a80") : QStringLiteral("#b03a2e");
    case Tone::Note: return dark ? QStringLiteral("#a8a8a8") : QStringLiteral("#6a6a6a");
    }
    return palette().color(QPalette::Text).name();
}

void ConsoleWidget::append(const QString& text, Tone tone)
{
    entries_.push_back({text, tone});
    constexpr size_t kKeptEntries = 2000;  // for repainting after a theme change
    while (entries_.size() > kKeptEntries)
        entries_.pop_front();
    appendHtml(text, colorOf(tone));
}

void ConsoleWidget::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::PaletteChange || entries_.empty())
        return;
    transcript_->clear();  // the same runs again, in the new theme's colours
    for (const auto& [text, tone] : entries_)
        appendHtml(text, colorOf(tone));
}

void ConsoleWidget::appendHtml(const QString& text, const QString& color)
{
    QString html;
    for (const QString& line : text.split(QLatin1Char('\n'))) {
        html += QStringLiteral("<span style='white-space:pre; color:%1'>%2</span><br>")
                    .arg(color, line.toHtmlEscaped());
    }
    html.chop(4);
    transcript_->appendHtml(html);
    transcript_->verticalScrollBar()->setValue(transcript_->verticalScrollBar()->maximum());
}

void ConsoleWidget::showResult(const QString& source, const QString& output, const QString& error,
                               int errorLine, int errorColumn)
{
    QStringList echoed;
    QStringList lines = source.split(QLatin1Char('\n'));
    while (lines.size() > 1 && lines.last().trimmed().isEmpty())
        lines.removeLast();  // the empty line that ended a block
    for (int i = 0; i < lines.size(); ++i)
        echoed << (i == 0 ? QStringLiteral(">>> ") : QStringLiteral("... ")) + lines[i];
    append(echoed.join(QLatin1Char('\n')), Tone::Echo);
    QString shownOutput = output;
    if (shownOutput.endsWith(QLatin1Char('\n')))
        shownOutput.chop(1);
    if (!shownOutput.isEmpty())
        append(shownOutput, Tone::Output);
    if (error.isEmpty())
        return;
    if (errorColumn > 0) {  // Python points at the column under the offending line
        const QString line = lines.value(qMax(0, errorLine - 1));
        append(QStringLiteral("    ") + line + QLatin1Char('\n') + QString(3 + errorColumn, QLatin1Char(' ')) +
                   QLatin1Char('^'),
               Tone::Error);
    }
    append(error, Tone::Error);
}

void ConsoleWidget::showOutput(const QString& output, const QString& error)
{
    QString shown = output;
    if (shown.endsWith(QLatin1Char('\n')))
        shown.chop(1);
    if (!shown.isEmpty())
        append(shown, Tone::Output);
    if (!error.isEmpty())
        append(error, Tone::Error);
}

void ConsoleWidget::showNote(const QString& note) { append(note, Tone::Note); }

}  // namespace mx
