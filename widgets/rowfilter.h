#pragma once

#include <QPersistentModelIndex>
#include <QWidget>

#include <functional>
#include <vector>

class QAbstractItemModel;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;
class QTreeView;

namespace mx {

/**
 * The filter box over the tree and the listings: typing hides the rows whose texts (name, kind,
 * shape, as a matcher reads them) do not contain the text, case-insensitively. No proxy model:
 * rows are hidden in the views themselves, so indices stay the models' own. In the tree a
 * match's ancestors stay visible and expanded; a matching module keeps its whole subtree,
 * collapsed. The filter is applied again whenever a model resets or its rows change.
 */
class RowFilter : public QWidget {
    Q_OBJECT
public:
    /** Whether `row` (a column-0 index) matches `needle` (non-empty, compared case-insensitively). */
    using Matcher = std::function<bool(const QModelIndex& row, const QString& needle)>;
    /** A matcher over the display texts of `columns` of the row. */
    static Matcher columnsMatcher(const std::vector<int>& columns);

    explicit RowFilter(QWidget* parent = nullptr);

    /**
     * Filters `view`'s tree; F3, Enter and Down move its current row among the matches. Rows
     * under a match that `subtree` also accepts (default: every match) are shown whole.
     */
    void setTreeView(QTreeView* view, Matcher matcher, Matcher subtree = {});
    /** Filters `view`'s rows too; `title` names it in the counts' tooltip. */
    void addTableView(QTableView* view, const QString& title, Matcher matcher);

    QLineEdit* lineEdit() const { return edit_; }
    QLabel* countLabel() const { return count_; }
    QString text() const;
    /** Sets the filter text and applies it at once. */
    void setText(const QString& text);
    /** Applies a pending (debounced) change now. */
    void applyNow();

    /** Tree rows that matched the last time the filter was applied, and rows looked at. */
    int treeMatches() const { return treeMatches_; }
    int treeRows() const { return treeRows_; }
    /** Milliseconds the last application over every view took. */
    double lastApplyMs() const { return lastApplyMs_; }

public Q_SLOTS:
    /** Edit → Find: focuses the box and selects its text. */
    void focusBox();
    /** Makes the tree's first match current and focuses the tree; false when none. */
    bool goToFirstMatch();
    /** F3 / Shift+F3: the next (previous) match after the tree's current row, wrapping. */
    bool findNext();
    bool findPrevious();
    /** Esc: clears the filter and gives the tree the focus. */
    void clearAndReturn();

Q_SIGNALS:
    /** The filter was applied (after typing, or after a model changed while filtering). */
    void applied();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Table {
        QTableView* view;
        QString title;
        Matcher matcher;
        int matches = 0;
        int rows = 0;
        int hidden = 0;
    };

    void onTextEdited();
    void watchModel(QObject* model);
    void hideInserted(QAbstractItemModel* model, const QModelIndex& parent, int first, int last);
    void scheduleReapply();
    void apply();
    bool filterTree(const QModelIndex& parent, bool inMatchedSubtree);
    void showWholeTree(const QModelIndex& parent);
    void widenTreeColumns();
    bool opensSubtree(const QModelIndex& row) const;
    void filterTable(Table& table);
    void saveExpansion();
    void restoreExpansion();
    bool step(bool forward);
    void goTo(const QModelIndex& index);
    void updateTexts();

    QLineEdit* edit_;
    QLabel* count_;
    QTimer* typingTimer_;
    QTimer* changeTimer_;
    QTreeView* tree_ = nullptr;
    Matcher treeMatcher_;
    Matcher subtreeMatcher_;
    std::vector<Table> tables_;
    QString applied_;  // the needle the views show now ("" = unfiltered)
    bool applying_ = false;
    bool collapseMatches_ = false;  // the text changed: matching modules start collapsed
    int treeMatches_ = 0;
    int treeRows_ = 0;
    int treeHidden_ = 0;
    double lastApplyMs_ = 0;
    std::vector<QPersistentModelIndex> expandedBefore_;  // the tree's expansion before filtering
};

}  // namespace mx
