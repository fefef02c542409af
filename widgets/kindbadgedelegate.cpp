#include "widgets/kindbadgedelegate.h"

#include "core/modulenode.h"
#include "items/entrytext.h"
#include "items/moduletreemodel.h"

#include <QApplication>
#include <QPainter>

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
    if (kind < 0) {  // module rows show their repr as plain text
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    QStyle* style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    const QFontMetrics fm(opt.font);
    QRect pill(opt.rect.left() + 2, opt.rect.top() + kPadY,
               fm.horizontalAdvance(text) + 2 * kPadX, opt.rect.height() - 2 * kPadY);
    pill = pill.intersected(opt.rect.adjusted(0, 0, -2, 0));
    const QColor color = entrytext::badgeColor(static_cast<EntryKind>(kind));
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    painter->drawRoundedRect(pill, pill.height() / 2.0, pill.height() / 2.0);
    painter->setPen(Qt::white);
    painter->setFont(opt.font);
    painter->drawText(pill, Qt::AlignCenter, fm.elidedText(text, Qt::ElideRight, pill.width() - 4));
    painter->restore();
}

QSize KindBadgeDelegate::sizeHint(const QStyleOptionViewItem& option,
                                  const QModelIndex& index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    if (kindOf(index) >= 0)
        size.rwidth() += 2 * kPadX + 4;
    return size;
}

}  // namespace mx
