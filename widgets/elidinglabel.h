#pragma once

#include <QLabel>

namespace mx {

/**
 * A word-wrapped plain-text label that never grows wider than its layout gives it: words too
 * long for its width (a 3,000-character name) are elided in the middle, and the whole text is
 * its tooltip then.
 */
class ElidingLabel : public QLabel {
    Q_OBJECT
public:
    explicit ElidingLabel(QWidget* parent = nullptr);

    void setFullText(const QString& text);
    const QString& fullText() const { return fullText_; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void render();

    QString fullText_;
    int renderedWidth_ = -1;
};

/**
 * A one-line plain-text label (the status bar's summary) that paints its text elided on the right
 * when it is too narrow, instead of widening its bar or overlapping its neighbours; text() stays
 * whole, and is the tooltip while elided.
 */
class ElidedLineLabel : public QLabel {
    Q_OBJECT
public:
    explicit ElidedLineLabel(QWidget* parent = nullptr);
    QSize minimumSizeHint() const override;
    /** Whether the text is cut at the current width. */
    bool isElided() const;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;
};

}  // namespace mx
