#include "widgets/shapetext.h"

#include <QRegularExpression>
#include <QStringList>

namespace mx {

QVector<qint64> parseShapeText(const QString& text)
{
    static const QRegularExpression form(QStringLiteral("^\\s*[1-9]\\d{0,8}(\\s*[x×,]\\s*[1-9]\\d{0,8})*\\s*$"));
    if (!form.match(text).hasMatch())
        return {};
    QVector<qint64> dims;
    for (const QString& part : text.split(QRegularExpression(QStringLiteral("[x×,]"))))
        dims << part.trimmed().toLongLong();
    return dims;
}

QString shapeText(const QVector<qint64>& shape)
{
    QStringList parts;
    for (qint64 d : shape)
        parts << QString::number(d);
    return parts.join(QLatin1Char('x'));
}

}  // namespace mx
