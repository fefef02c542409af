#pragma once

#include <QLabel>

class QModelIndex;

namespace mx {

/**
 * A short paragraph under the tree: the selected entry's path and why it is (not) in state_dict.
 * Names too long for its width are elided in the middle (the whole text is the tooltip then), so
 * a long name never widens the window.
 */
class EntryDetails : public QLabel {
    Q_OBJECT
public:
    explicit EntryDetails(QWidget* parent = nullptr);
    /** Shows the entry at a ModuleTreeModel index (nothing for an invalid index). */
    void showEntry(const QModelIndex& index);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void render();

    // What is shown, as plain text (elided and escaped by render()).
    bool hasEntry_ = false;
    QString path_;
    QString verdict_;  // "" for modules, else whether the entry is in state_dict
    bool inStateDict_ = false;
    QString explanation_;
    QString values_;
    int renderedWidth_ = -1;
};

}  // namespace mx
