#include "widgets/kindbadgedelegate.h"

#include "core/modulenode.h"
#include "items/entrytext.h"
#include "items/moduletreemodel.h"

#include <QApplication>
#include <QPainter>

#include <algorithm>

namespace mx {

namespace {
constexpr int kPadX = 7;
constexpr int kPadY = 2;

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
        const int typeWidth = std::min(bold.horizontalAdvance(type) + kPadX, text.width() / 2);
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

void KindBadgeDelegate::drawPill(QPainter* painter, const QFont& font, const QRect& area,
                                 const QString& text, const QColor& color) const
{
    const QFontMetrics fm(font);
    QRect pill(area.left() + 2, area.top() + kPadY, fm.horizontalAdvance(text) + 2 * kPadX,
               area.height() - 2 * kPadY);
    pill = pill.intersected(area.adjusted(0, 0, -2, 0));
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    painter->drawRoundedRect(pill, pill.height() / 2.0, pill.height() / 2.0);
    painter->setPen(Qt::white);
    painter->setFont(font);
    painter->drawText(pill, Qt::AlignCenter, fm.elidedText(text, Qt::ElideRight, pill.width() - 4));
    painter->restore();
}

QSize KindBadgeDelegate::sizeHint(const QStyleOptionViewItem& option,
                                  const QModelIndex& index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    if (kindOf(index) >= 0)
        size.rwidth() += 2 * kPadX + 4;
    const QString sharedWith = index.data(ModuleTreeModel::SharedWithRole).toString();
    if (!sharedWith.isEmpty())
        size.rwidth() += QFontMetrics(option.font).horizontalAdvance(tr("shared with %1").arg(sharedWith)) +
                         4 * kPadX + 4;
    return size;
}

}  // namespace mx
