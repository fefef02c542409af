#include "widgets/elidinglabel.h"

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

}  // namespace mx
