#pragma once

#include <QObject>

namespace mx {
class ConsoleWidget;
class Document;

/** Connects the console widget to the document: runs what is typed, shows what it printed. */
class ConsoleController : public QObject {
    Q_OBJECT
public:
    ConsoleController(Document* document, ConsoleWidget* console, QObject* parent = nullptr);

    /** Runs `source` as if typed (the edit dialogs use this, so history shows their code). */
    void run(const QString& source);

private:
    Document* document_;
    ConsoleWidget* console_;
    int lastIndex_ = 0;
};

}  // namespace mx
