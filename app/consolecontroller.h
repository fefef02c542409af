#pragma once

#include <QObject>

namespace mx {
class ConsoleWidget;
class Document;
struct StatementOutcome;

/** Connects the console widget to the document: runs what is typed, shows what it printed. */
class ConsoleController : public QObject {
    Q_OBJECT
public:
    ConsoleController(Document* document, ConsoleWidget* console, QObject* parent = nullptr);

    /** Runs `source` as if typed (the edit dialogs use this, so history shows their code). */
    void run(const QString& source);

private:
    /** The transcript's note for a new model: where it came from and what `model` is. */
    QString replacedNote() const;
    /** "Stopped at line 7; lines 8–40 did not run." when a block stopped part-way. */
    void noteSkippedLines(const StatementOutcome& outcome);

    Document* document_;
    ConsoleWidget* console_;
    int lastIndex_ = 0;
};

}  // namespace mx
