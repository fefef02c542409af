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

    /** The fill a pill of colour `fill` is painted with: darkened until its text reaches 4.5:1. */
    static QColor readableFill(const QColor& fill);
    /** White or near-black, whichever contrasts more with `fill`. */
    static QColor textColorOn(const QColor& fill);

private:
    void drawPill(QPainter* painter, const QFont& font, const QRect& area, const QString& text,
                  const QColor& color) const;
};

/** Paints cells as usual, but a model's text colour (buffer green, parameter blue, removed red)
 *  too faint on the view's base (a dark theme) is lightened or darkened until it reaches 4.5:1. */
class ReadableTextDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    /** `color`, moved toward white or black until it contrasts 4.5:1 with `base`. */
    static QColor readableOn(const QColor& color, const QColor& base);

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

}  // namespace mx
