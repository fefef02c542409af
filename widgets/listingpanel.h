#pragma once

#include <QWidget>

#include <vector>

class QAbstractItemModel;
class QCheckBox;
class QLabel;
class QTabWidget;
class QTableView;

namespace mx {

/** Tabs of tables, one per listing (state_dict(), named_parameters(), ...), each with a caption. */
class ListingPanel : public QWidget {
    Q_OBJECT
public:
    explicit ListingPanel(QWidget* parent = nullptr);

    /** Adds a tab titled `title` (e.g. "state_dict()") showing `model`. Returns its tab index. */
    int addListing(const QString& title, QAbstractItemModel* model);
    int listingCount() const { return static_cast<int>(views_.size()); }
    QTableView* view(int tab) const { return views_[tab]; }
    int currentListing() const;
    void setCurrentListing(int tab);
    /** Selects and scrolls to `row` of `tab` without emitting rowSelected. */
    void showRow(int tab, int row);

    /** Whether the "before the last change" view is on. */
    bool showsBefore() const;

Q_SIGNALS:
    /** The user selected `row` in listing `tab`. */
    void rowSelected(int tab, int row);
    /** The user switched between the listings before and after the last change. */
    void showBeforeToggled(bool before);
    /** Another listing's tab was brought to front. */
    void currentListingChanged(int tab);

protected:
    void changeEvent(QEvent* event) override;  // the captions in another language

private:
    void updateCaption(int tab);

    QTabWidget* tabs_;
    QCheckBox* before_;
    std::vector<QTableView*> views_;
    std::vector<QLabel*> captions_;
    std::vector<QString> titles_;
    bool showing_ = false;
};

}  // namespace mx
