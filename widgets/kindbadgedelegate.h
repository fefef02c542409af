#pragma once

#include <QStyledItemDelegate>

namespace mx {

/** Paints a tree row's kind as a coloured pill (parameter, buffer, ..., attribute · not in
 *  state_dict), and a "shared with conv1" pill after the type of a module shown under a later name. */
class KindBadgeDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    void drawPill(QPainter* painter, const QFont& font, const QRect& area, const QString& text,
                  const QColor& color) const;
};

}  // namespace mx
