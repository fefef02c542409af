#pragma once

#include <QStyledItemDelegate>

namespace mx {

/** Paints a tree row's kind as a coloured pill (parameter, buffer, ..., attribute · not in state_dict). */
class KindBadgeDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

}  // namespace mx
