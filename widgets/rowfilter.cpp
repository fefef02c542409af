#include "widgets/rowfilter.h"

#include <QElapsedTimer>
#include <QEvent>
#include <QHeaderView>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QScopeGuard>
#include <QTableView>
#include <QTimer>
#include <QTreeView>

namespace mx {

namespace {

// Typing is filtered at once while one application takes less than a frame; slower (very large
// models) waits until typing pauses this long.
constexpr double kImmediateMs = 16.0;
constexpr int kDebounceMs = 150;

}  // namespace

RowFilter::Matcher RowFilter::columnsMatcher(const std::vector<int>& columns)
{
    return [columns](const QModelIndex& row, const QString& needle) {
        for (int c : columns)
            if (row.siblingAtColumn(c).data().toString().contains(needle, Qt::CaseInsensitive))
                return true;
        return false;
    };
}

RowFilter::RowFilter(QWidget* parent)
    : QWidget(parent), edit_(new QLineEdit(this)), count_(new QLabel(this)),
      typingTimer_(new QTimer(this)), changeTimer_(new QTimer(this))
{
    setObjectName(QStringLiteral("rowFilter"));
    edit_->setObjectName(QStringLiteral("rowFilterEdit"));
    edit_->setClearButtonEnabled(true);
    edit_->installEventFilter(this);
    count_->setObjectName(QStringLiteral("rowFilterCount"));
    count_->setTextInteractionFlags(Qt::NoTextInteraction);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 2);
    layout->addWidget(edit_, 1);
    layout->addWidget(count_);
    typingTimer_->setSingleShot(true);
    changeTimer_->setSingleShot(true);
    changeTimer_->setInterval(0);  // one application per burst of model signals
    connect(typingTimer_, &QTimer::timeout, this, [this] { apply(); });
    connect(changeTimer_, &QTimer::timeout, this, [this] { apply(); });
    connect(edit_, &QLineEdit::textChanged, this, &RowFilter::onTextEdited);
    updateTexts();
}

void RowFilter::setTreeView(QTreeView* view, Matcher matcher, Matcher subtree)
{
    tree_ = view;
    treeMatcher_ = std::move(matcher);
    subtreeMatcher_ = std::move(subtree);
    watchModel(view->model());
    // A new model (the view's own reset handler ran first): its expansion is the one to restore.
    connect(view->model(), &QAbstractItemModel::modelReset, this, [this] {
        treeHidden_ = 0;
        if (!applied_.isEmpty())
            saveExpansion();
    });
}

void RowFilter::addTableView(QTableView* view, const QString& title, Matcher matcher)
{
    tables_.push_back({view, title, std::move(matcher)});
    watchModel(view->model());
}

void RowFilter::watchModel(QObject* model)
{
    auto* m = qobject_cast<QAbstractItemModel*>(model);
    if (!m)
        return;
    connect(m, &QAbstractItemModel::modelReset, this, &RowFilter::scheduleReapply);
    connect(m, &QAbstractItemModel::layoutChanged, this, &RowFilter::scheduleReapply);
    connect(m, &QAbstractItemModel::rowsInserted, this,
            [this, m](const QModelIndex& parent, int first, int last) {
                hideInserted(m, parent, first, last);
            });
    connect(m, &QAbstractItemModel::rowsRemoved, this, &RowFilter::scheduleReapply);
    connect(m, &QAbstractItemModel::rowsMoved, this, &RowFilter::scheduleReapply);
    connect(m, &QAbstractItemModel::dataChanged, this, &RowFilter::scheduleReapply);
}

QString RowFilter::text() const
{
    return edit_->text();
}

void RowFilter::setText(const QString& text)
{
    edit_->setText(text);
    applyNow();
}

void RowFilter::applyNow()
{
    if (typingTimer_->isActive() || changeTimer_->isActive() || edit_->text().trimmed() != applied_) {
        typingTimer_->stop();
        apply();
    }
}

void RowFilter::onTextEdited()
{
    collapseMatches_ = true;
    if (lastApplyMs_ < kImmediateMs) {
        typingTimer_->stop();
        apply();
    } else {
        typingTimer_->start(kDebounceMs);
    }
}

// New rows that do not match are hidden before the views paint them (no flash); the whole
// filter runs again right after (a new match's modules must show).
void RowFilter::hideInserted(QAbstractItemModel* model, const QModelIndex& parent, int first, int last)
{
    if (applying_ || applied_.isEmpty())
        return;
    if (tree_ && tree_->model() == model) {
        bool inMatchedSubtree = false;
        for (QModelIndex p = parent; p.isValid() && !inMatchedSubtree; p = p.parent())
            inMatchedSubtree = opensSubtree(p);
        for (int r = first; r <= last && !inMatchedSubtree; ++r)
            if (!treeMatcher_(model->index(r, 0, parent), applied_))
                tree_->setRowHidden(r, parent, true);
    }
    for (Table& t : tables_)
        if (t.view->model() == model && !parent.isValid())
            for (int r = first; r <= last; ++r)
                if (!t.matcher(model->index(r, 0), applied_))
                    t.view->setRowHidden(r, true);
    scheduleReapply();
}

void RowFilter::scheduleReapply()
{
    if (!applying_ && !applied_.isEmpty())
        changeTimer_->start();
}

void RowFilter::apply()
{
    QElapsedTimer timer;
    timer.start();
    changeTimer_->stop();
    applying_ = true;
    const QString needle = edit_->text().trimmed();
    const bool wasFiltering = !applied_.isEmpty();
    if (!needle.isEmpty() && !wasFiltering)
        saveExpansion();
    applied_ = needle;
    if (tree_ && tree_->model()) {
        treeRows_ = treeMatches_ = 0;
        if (needle.isEmpty()) {
            if (treeHidden_ > 0)
                showWholeTree({});
            treeHidden_ = 0;
            if (wasFiltering)
                restoreExpansion();
        } else {
            treeHidden_ = 0;
            filterTree({}, false);
        }
    }
    for (Table& t : tables_)
        filterTable(t);
    if (collapseMatches_ && !needle.isEmpty())
        widenTreeColumns();
    collapseMatches_ = false;
    applying_ = false;
    lastApplyMs_ = double(timer.nsecsElapsed()) / 1e6;
    updateTexts();
    Q_EMIT applied();
}

// Returns whether some row below `parent` matches. A match's ancestors are shown and expanded;
// rows under a match that opens its subtree are shown (it is collapsed when the text changed).
bool RowFilter::filterTree(const QModelIndex& parent, bool inMatchedSubtree)
{
    QAbstractItemModel* model = tree_->model();
    bool any = false;
    const int rows = model->rowCount(parent);
    for (int r = 0; r < rows; ++r) {
        const QModelIndex child = model->index(r, 0, parent);
        if (!child.isValid())
            continue;
        ++treeRows_;
        const bool match = treeMatcher_(child, applied_);
        const bool whole = match && opensSubtree(child);
        treeMatches_ += match;
        const bool below = filterTree(child, inMatchedSubtree || whole);
        const bool show = match || below || inMatchedSubtree;
        if (tree_->isRowHidden(r, parent) == show)
            tree_->setRowHidden(r, parent, !show);
        treeHidden_ += !show;
        if (below) {
            if (!tree_->isExpanded(child))
                tree_->expand(child);
        } else if (whole && collapseMatches_ && tree_->isExpanded(child)) {
            tree_->collapse(child);
        }
        any = any || match || below;
    }
    return any;
}

bool RowFilter::opensSubtree(const QModelIndex& row) const
{
    return subtreeMatcher_ ? subtreeMatcher_(row, applied_) : treeMatcher_(row, applied_);
}

// The filter opened rows the columns were not fitted to (deeper names, shapes): columns grow to
// show them (never shrink, a width the user chose stays). Measuring is skipped on large trees.
void RowFilter::widenTreeColumns()
{
    constexpr int kRowsCheapToMeasure = 2000;
    if (!tree_ || !tree_->model() || treeRows_ > kRowsCheapToMeasure)
        return;
    tree_->doItemsLayout();
    const QAbstractItemView* view = tree_;  // sizeHintForColumn is public there
    for (int c = 0; c < tree_->model()->columnCount(); ++c) {
        if (tree_->isColumnHidden(c))
            continue;
        const int width = view->sizeHintForColumn(c);
        if (width > tree_->columnWidth(c))
            tree_->setColumnWidth(c, width);
    }
}

void RowFilter::showWholeTree(const QModelIndex& parent)
{
    QAbstractItemModel* model = tree_->model();
    const int rows = model->rowCount(parent);
    for (int r = 0; r < rows; ++r) {
        if (tree_->isRowHidden(r, parent))
            tree_->setRowHidden(r, parent, false);
        const QModelIndex child = model->index(r, 0, parent);
        if (model->rowCount(child) > 0)
            showWholeTree(child);
    }
}

void RowFilter::filterTable(Table& t)
{
    QAbstractItemModel* model = t.view->model();
    t.rows = model ? model->rowCount() : 0;
    t.matches = 0;
    // Hiding a row resizes its header section; with the header's updates on, each resize finds
    // the section's position again, which makes hiding n rows cost n^2.
    QHeaderView* header = t.view->verticalHeader();
    const bool updates = header->updatesEnabled();
    header->setUpdatesEnabled(false);
    auto restore = qScopeGuard([&] { header->setUpdatesEnabled(updates); });
    if (applied_.isEmpty()) {
        if (t.hidden > 0)
            for (int r = 0; r < t.rows; ++r)
                if (t.view->isRowHidden(r))
                    t.view->setRowHidden(r, false);
        t.hidden = 0;
        t.matches = t.rows;
        return;
    }
    t.hidden = 0;
    for (int r = 0; r < t.rows; ++r) {
        const bool match = t.matcher(model->index(r, 0), applied_);
        t.matches += match;
        t.hidden += !match;
        if (t.view->isRowHidden(r) == match)
            t.view->setRowHidden(r, !match);
    }
}

void RowFilter::saveExpansion()
{
    expandedBefore_.clear();
    if (!tree_ || !tree_->model())
        return;
    QAbstractItemModel* model = tree_->model();
    std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
        const int rows = model->rowCount(parent);
        for (int r = 0; r < rows; ++r) {
            const QModelIndex child = model->index(r, 0, parent);
            if (tree_->isExpanded(child)) {
                expandedBefore_.emplace_back(child);
                walk(child);
            }
        }
    };
    walk({});
}

void RowFilter::restoreExpansion()
{
    const QModelIndex current = tree_->currentIndex();
    tree_->collapseAll();
    for (const QPersistentModelIndex& i : expandedBefore_)
        if (i.isValid())
            tree_->expand(i);
    expandedBefore_.clear();
    if (current.isValid()) {  // where the filter led stays in sight
        for (QModelIndex p = current.parent(); p.isValid(); p = p.parent())
            tree_->expand(p);
        tree_->scrollTo(current);
    }
}

void RowFilter::focusBox()
{
    edit_->setFocus(Qt::ShortcutFocusReason);
    edit_->selectAll();
}

bool RowFilter::goToFirstMatch()
{
    applyNow();
    if (!tree_ || applied_.isEmpty())
        return false;
    QAbstractItemModel* model = tree_->model();
    QModelIndex found;
    std::function<bool(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
        const int rows = model->rowCount(parent);
        for (int r = 0; r < rows; ++r) {
            const QModelIndex child = model->index(r, 0, parent);
            if (treeMatcher_(child, applied_)) {
                found = child;
                return true;
            }
            if (walk(child))
                return true;
        }
        return false;
    };
    walk({});
    if (!found.isValid())
        return false;
    goTo(found);
    return true;
}

bool RowFilter::findNext()
{
    return step(true);
}

bool RowFilter::findPrevious()
{
    return step(false);
}

// The next (previous) match in the tree's order after (before) its current row, wrapping around.
bool RowFilter::step(bool forward)
{
    applyNow();
    if (!tree_ || applied_.isEmpty())
        return false;
    QAbstractItemModel* model = tree_->model();
    const QModelIndex current = tree_->currentIndex().siblingAtColumn(0);
    bool passed = !current.isValid();
    QModelIndex first, last, before, after;
    std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
        const int rows = model->rowCount(parent);
        for (int r = 0; r < rows; ++r) {
            const QModelIndex child = model->index(r, 0, parent);
            if (child == current) {
                passed = true;
            } else if (treeMatcher_(child, applied_)) {
                if (!first.isValid())
                    first = child;
                last = child;
                if (!passed)
                    before = child;
                else if (!after.isValid())
                    after = child;
            }
            if (forward && after.isValid())
                return;
            walk(child);
        }
    };
    walk({});
    const QModelIndex target = forward ? (after.isValid() ? after : first)
                                       : (before.isValid() ? before : last);
    if (!target.isValid())  // no other match: stay on the current one if it is one
        return current.isValid() && treeMatcher_(current, applied_);
    goTo(target);
    return true;
}

void RowFilter::goTo(const QModelIndex& index)
{
    tree_->setCurrentIndex(index);
    tree_->scrollTo(index);
    tree_->setFocus(Qt::ShortcutFocusReason);
}

void RowFilter::clearAndReturn()
{
    setText(QString());
    if (tree_)
        tree_->setFocus(Qt::ShortcutFocusReason);
}

bool RowFilter::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == edit_ && event->type() == QEvent::ShortcutOverride &&
        static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape) {
        event->accept();  // Esc belongs to the box while it has the focus
        return true;
    }
    if (watched == edit_ && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        switch (key->key()) {
        case Qt::Key_Down:
        case Qt::Key_Return:
        case Qt::Key_Enter:
            goToFirstMatch();
            return true;
        case Qt::Key_Escape:
            clearAndReturn();
            return true;
        default: break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void RowFilter::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        updateTexts();
    QWidget::changeEvent(event);
}

void RowFilter::updateTexts()
{
    edit_->setPlaceholderText(tr("Filter by name, kind or shape (%1)")
                                  .arg(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
    edit_->setToolTip(tr("Shows only the rows whose name, kind or shape contains this text, with "
                         "their parent modules. Enter: first match; F3 / Shift+F3: next / "
                         "previous match; Esc: clear."));
    if (applied_.isEmpty()) {
        count_->clear();
        count_->setToolTip(QString());
        count_->hide();
        return;
    }
    count_->setText(treeMatches_ == 0 ? tr("no match")
                                      : tr("%1 of %2 match").arg(treeMatches_).arg(treeRows_));
    QStringList listings;
    for (const Table& t : tables_)
        listings << tr("%1: %2 of %3").arg(t.title).arg(t.matches).arg(t.rows);
    count_->setToolTip(tr("Tree: %1 of %2 rows match").arg(treeMatches_).arg(treeRows_) +
                       QLatin1Char('\n') + listings.join(QLatin1Char('\n')));
    count_->show();
}

}  // namespace mx
