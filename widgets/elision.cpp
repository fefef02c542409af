#include "widgets/elision.h"

#include <QAbstractItemView>
#include <QFontMetrics>
#include <QHelpEvent>
#include <QRegularExpression>
#include <QToolTip>

namespace mx {

QString elideLongWords(const QString& text, const QFontMetrics& metrics, int width)
{
    if (width <= 0)
        return text;
    static const QRegularExpression word(QStringLiteral("\\S+"));
    QString out;
    qsizetype last = 0;
    for (auto it = word.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        out += text.mid(last, m.capturedStart() - last);
        const QString w = m.captured();
        out += metrics.horizontalAdvance(w) > width ? metrics.elidedText(w, Qt::ElideMiddle, width) : w;
        last = m.capturedEnd();
    }
    out += text.mid(last);
    return out;
}

QString wrapLongWordsForToolTip(const QString& text)
{
    constexpr int kLine = 100;
    QString out;
    int run = 0;  // characters since the last space or line break
    for (const QChar c : text) {
        if (c.isSpace()) {
            run = 0;
        } else if (++run > kLine) {
            out += QLatin1Char('\n');
            run = 1;
        }
        out += c;
    }
    return out;
}

int maxFittedColumnWidth(const QFontMetrics& metrics)
{
    return 60 * metrics.averageCharWidth();
}

ElidedCellToolTips::ElidedCellToolTips(QAbstractItemView* view) : QObject(view), view_(view)
{
    view->viewport()->installEventFilter(this);
}

bool ElidedCellToolTips::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() != QEvent::ToolTip || watched != view_->viewport())
        return false;
    const auto* help = static_cast<QHelpEvent*>(event);
    const QModelIndex index = view_->indexAt(help->pos());
    const QString text = index.data(Qt::DisplayRole).toString();
    if (!index.isValid() || text.isEmpty())
        return false;
    const QVariant font = index.data(Qt::FontRole);
    const QFontMetrics metrics(font.isValid() ? font.value<QFont>() : view_->font());
    const QRect cell = view_->visualRect(index);
    constexpr int kPadding = 12;  // the style's text margins on both sides
    if (metrics.horizontalAdvance(text) + kPadding <= cell.width())
        return false;  // not elided: the model's own tooltip, as usual
    QString tip = wrapLongWordsForToolTip(text);
    const QString own = index.data(Qt::ToolTipRole).toString();
    if (!own.isEmpty())
        tip += QStringLiteral("\n\n") + own;
    QToolTip::showText(help->globalPos(), tip, view_->viewport(), cell);
    return true;
}

}  // namespace mx
