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

}  // namespace mx
