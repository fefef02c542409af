#include "widgets/kindbadgedelegate.h"

#include "core/modulenode.h"
#include "items/entrytext.h"
#include "items/moduletreemodel.h"

#include <QApplication>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace mx {

namespace {
// Padding around a pill's text, in font heights: the pill grows with the zoom.
int padX(const QFontMetrics& fm) { return std::max(4, fm.height() * 2 / 5); }
int padY(const QFontMetrics& fm) { return std::max(1, fm.height() / 9); }

double channel(double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); }
double luminance(const QColor& c)
{
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}
double contrast(const QColor& a, const QColor& b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

int kindOf(const QModelIndex& index)
{
    return index.data(ModuleTreeModel::EntryKindRole).toInt();
}
}  // namespace

void KindBadgeDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                              const QModelIndex& index) const
{
    const int kind = kindOf(index);
    const QString sharedWith = index.data(ModuleTreeModel::SharedWithRole).toString();
    if (kind < 0 && sharedWith.isEmpty()) {  // module rows show their type as plain text
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    QStyle* style = opt.widget ? opt.widget->style() : QApplication::style();
    if (kind < 0) {
        // A module under a later name: its type, then a "shared with conv1" pill.
        const QString type = opt.text;
        const QFontMetrics bold(opt.font);
        const QRect text = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, opt.widget);
        const int typeWidth = std::min(bold.horizontalAdvance(type) + padX(bold), text.width() / 2);
        opt.text = bold.elidedText(type, Qt::ElideRight, typeWidth);
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
        QFont plain = opt.font;
        plain.setBold(false);
        drawPill(painter, plain, text.adjusted(typeWidth, 0, 0, 0),
                 tr("shared with %1").arg(sharedWith), QColor(0x7b, 0x3f, 0xa0));
        return;
    }
    const QString text = opt.text;
    opt.text.clear();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
    drawPill(painter, opt.font, opt.rect, text, entrytext::badgeColor(static_cast<EntryKind>(kind)));
}

QColor KindBadgeDelegate::textColorOn(const QColor& fill)
{
    const QColor white(Qt::white), dark(0x10, 0x10, 0x10);
    return contrast(white, fill) >= contrast(dark, fill) ? white : dark;
}

QColor KindBadgeDelegate::readableFill(const QColor& fill)
{
    // Darken a little until white text reaches WCAG AA (4.5:1); a light fill takes dark text.
    QColor c = fill;
    for (int i = 0; i < 20 && contrast(textColorOn(c), c) < 4.5; ++i)
        c = c.darker(108);
    return c;
}

QColor ReadableTextDelegate::readableOn(const QColor& color, const QColor& base)
{
    const bool darkBase = base.lightness() < 128;
    QColor c = color;
    for (int i = 0; i < 20 && contrast(c, base) < 4.5; ++i)
        c = darkBase ? c.lighter(115) : c.darker(115);
    if (contrast(c, base) < 4.5)  // lighter() cannot lift a black; fall back to plain text
        c = darkBase ? QColor(Qt::white) : QColor(Qt::black);
    return c;
}

void ReadableTextDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (!index.data(Qt::ForegroundRole).isValid())
        return;
    const QColor base = option->palette.color(QPalette::Base);
    option->palette.setColor(QPalette::Text, readableOn(option->palette.color(QPalette::Text), base));
}

void KindBadgeDelegate::drawPill(QPainter* painter, const QFont& font, const QRect& area,
                                 const QString& text, const QColor& color) const
{
    const QFontMetrics fm(font);
    const int px = padX(fm), py = padY(fm);
    QRect pill(area.left() + 2, area.top() + py, fm.horizontalAdvance(text) + 2 * px,
               area.height() - 2 * py);
    pill = pill.intersected(area.adjusted(0, 0, -2, 0));
    const QColor fill = readableFill(color);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(fill);
    painter->drawRoundedRect(pill, pill.height() / 2.0, pill.height() / 2.0);
    painter->setPen(textColorOn(fill));
    painter->setFont(font);
    painter->drawText(pill, Qt::AlignCenter, fm.elidedText(text, Qt::ElideRight, pill.width() - 4));
    painter->restore();
}

QSize KindBadgeDelegate::sizeHint(const QStyleOptionViewItem& option,
                                  const QModelIndex& index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    const QFontMetrics fm(option.font);
    if (kindOf(index) >= 0)
        size.rwidth() += 2 * padX(fm) + 4;
    const QString sharedWith = index.data(ModuleTreeModel::SharedWithRole).toString();
    if (!sharedWith.isEmpty())
        size.rwidth() += fm.horizontalAdvance(tr("shared with %1").arg(sharedWith)) + 4 * padX(fm) + 4;
    // Room above and below the pill's text at every zoom.
    size.setHeight(std::max(size.height(), fm.height() + 2 * padY(fm) + 4));
    return size;
}

}  // namespace mx
