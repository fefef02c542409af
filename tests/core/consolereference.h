#pragma once
// Comparing a console step with what Python printed for it (the reference fixtures made by
// tests/fixtures/make_statements_reference.py and the objectmodel maker), shared by the tests.

#include "core/statements/statementsession.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace consolereference {

/** Object addresses (`at 0x7f...`) differ between runs: compared as "0x?". */
inline QString masked(const QString& text)
{
    static const QRegularExpression address(QStringLiteral("0x[0-9a-f]+"));
    return QString(text).replace(address, QStringLiteral("0x?"));
}

/** What differs between the console's result and Python's recorded step ("" when they agree):
 *  the output (addresses masked), the error line, and a syntax error's line and column.
 *  `expectedOutput` is the step's output, adjusted by the caller where the machine differs. */
inline QString stepDifferences(const mx::StatementResult& r, const QJsonObject& step,
                               const QString& expectedOutput)
{
    const QString output = QString::fromStdString(r.output);
    const QString error = QString::fromStdString(r.error);
    const QString expectedError = step[QStringLiteral("error")].toString();
    const int expectedLine = step[QStringLiteral("line")].toInt();
    const int expectedColumn = step[QStringLiteral("column")].toInt();
    QStringList problems;
    if (masked(output) != masked(expectedOutput))
        problems << QStringLiteral("output:\n%1\nexpected:\n%2").arg(output, expectedOutput);
    // The makers strip the traceback line, so trailing spaces of PyTorch's messages
    // (load_state_dict's ". ") are compared stripped too.
    if (error.trimmed() != expectedError)
        problems << QStringLiteral("error: %1\nexpected: %2").arg(error, expectedError);
    else if (r.ok != expectedError.isEmpty())
        problems << QStringLiteral("ok is %1").arg(r.ok);
    else if (!expectedError.isEmpty() &&
             (r.errorLine != expectedLine || r.errorColumn != expectedColumn))
        problems << QStringLiteral("position %1:%2, expected %3:%4")
                        .arg(r.errorLine).arg(r.errorColumn).arg(expectedLine).arg(expectedColumn);
    return problems.join(QLatin1Char('\n'));
}

}  // namespace consolereference
