#pragma once

#include <QObject>
#include <QString>

class QAbstractItemView;
class QFontMetrics;

namespace mx {

/**
 * `text` with every word (run without spaces) wider than `width` pixels elided in the middle, so
 * a long name cannot make a word-wrapped label wider than `width`. Unchanged when width <= 0.
 */
QString elideLongWords(const QString& text, const QFontMetrics& metrics, int width);

/** `text` for a tooltip: words over 100 characters broken into lines of 100, so a tooltip stays on screen. */
QString wrapLongWordsForToolTip(const QString& text);

/** The widest a view's column gets when fitted to its contents: about 60 characters. */
int maxFittedColumnWidth(const QFontMetrics& metrics);

/**
 * Shows a view cell's whole text (then the model's own tooltip, if any) when the cell is too
 * narrow and the view elides it. Installed on the view's viewport; owned by the view.
 */
class ElidedCellToolTips : public QObject {
    Q_OBJECT
public:
    explicit ElidedCellToolTips(QAbstractItemView* view);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QAbstractItemView* view_;
};

}  // namespace mx
