#include "widgets/elidinglabel.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include "widgets/elision.h"

#include <QResizeEvent>

namespace mx {

ElidingLabel::ElidingLabel(QWidget* parent) : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setWordWrap(true);
    // The layout decides the width; the text's widest word never does.
    QSizePolicy policy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void ElidingLabel::setFullText(const QString& text)
{
    fullText_ = text;
    render();
}

void ElidingLabel::resizeEvent(QResizeEvent* event)
{
    QLabel::resizeEvent(event);
    if (contentsRect().width() != renderedWidth_)
        render();
}

void ElidingLabel::render()
{
    renderedWidth_ = contentsRect().width();
    constexpr int kSlack = 8;  // rounding in the text layout
    const int room = renderedWidth_ - 2 * margin() - 2 * qMax(0, indent()) - kSlack;
    const QString shown = elideLongWords(fullText_, fontMetrics(), room);
    setText(shown);
    setToolTip(shown == fullText_ ? QString() : wrapLongWordsForToolTip(fullText_));
}

ElidedLineLabel::ElidedLineLabel(QWidget* parent) : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
}

QSize ElidedLineLabel::minimumSizeHint() const
{
    return {fontMetrics().averageCharWidth() * 8, QLabel::minimumSizeHint().height()};
}

bool ElidedLineLabel::isElided() const
{
    return fontMetrics().horizontalAdvance(text()) > contentsRect().width();
}

void ElidedLineLabel::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setPen(palette().color(foregroundRole()));
    const QRect area = contentsRect();
    painter.drawText(area, Qt::AlignLeft | Qt::AlignVCenter,
                     fontMetrics().elidedText(text(), Qt::ElideRight, area.width()));
}

bool ElidedLineLabel::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && isElided() && toolTip().isEmpty()) {
        QToolTip::showText(static_cast<QHelpEvent*>(event)->globalPos(), text(), this);
        return true;
    }
    return QLabel::event(event);
}

}  // namespace mx
