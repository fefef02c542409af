#include "widgets/listingpanel.h"

#include "items/listingmodel.h"
#include "widgets/elision.h"
#include "widgets/kindbadgedelegate.h"

#include <QCheckBox>
#include <QEvent>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace mx {

namespace {

/** A listing's table: columns fitted to their content up to about 60 characters, then elided. */
class ListingTableView : public QTableView {
public:
    explicit ListingTableView(QWidget* parent) : QTableView(parent)
    {
        setTextElideMode(Qt::ElideMiddle);
        setItemDelegate(new ReadableTextDelegate(this));  // kind colours readable in both themes
        new ElidedCellToolTips(this);
    }

    /** Rows as tall as the font needs (zoom included), columns fitted again. */
    void fitToFont()
    {
        // Qt does not always pass a zoom on to the headers (they have a class font of their
        // own): give them the view's size.
        for (QHeaderView* header : {horizontalHeader(), verticalHeader()}) {
            QFont f = header->font();
            f.setPointSizeF(font().pointSizeF());
            header->setFont(f);
        }
        verticalHeader()->setMinimumSectionSize(fontMetrics().height() + 2);
        verticalHeader()->setDefaultSectionSize(fontMetrics().height() + fontMetrics().height() / 2);
        if (model() && model()->rowCount() <= 2000)
            resizeColumnsToContents();
    }

protected:
    int sizeHintForColumn(int column) const override
    {
        return qMin(QTableView::sizeHintForColumn(column), maxFittedColumnWidth(fontMetrics()));
    }
    void changeEvent(QEvent* event) override
    {
        QTableView::changeEvent(event);
        if (event->type() == QEvent::FontChange)
            fitToFont();
    }
};

/** Tabs that elide their titles before scrolling; the current tab's title stays whole. */
class ListingTabBar : public QTabBar {
public:
    explicit ListingTabBar(QWidget* parent) : QTabBar(parent)
    {
        setElideMode(Qt::ElideRight);
        setUsesScrollButtons(true);  // only when even elided titles do not fit (a huge zoom)
        setExpanding(false);
        connect(this, &QTabBar::currentChanged, this, [this] { setElideMode(Qt::ElideRight); });  // relayout
    }

protected:
    QSize minimumTabSizeHint(int index) const override
    {
        return index == currentIndex() ? tabSizeHint(index) : QTabBar::minimumTabSizeHint(index);
    }
};

/** A QTabWidget with a ListingTabBar (setTabBar is protected). */
class ListingTabs : public QTabWidget {
public:
    explicit ListingTabs(QWidget* parent) : QTabWidget(parent) { setTabBar(new ListingTabBar(this)); }
};

}  // namespace

ListingPanel::ListingPanel(QWidget* parent)
    : QWidget(parent), tabs_(new ListingTabs(this)), before_(new QCheckBox(tr("Before the last change")))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(tabs_);
    before_->setObjectName(QStringLiteral("showBefore"));
    before_->setToolTip(tr("Compare with the listing as it was before the last edit, like the "
                           "tutorial's two printouts (removed keys in red)."));
    layout->addWidget(before_);
    connect(before_, &QCheckBox::toggled, this, &ListingPanel::showBeforeToggled);
    connect(tabs_, &QTabWidget::currentChanged, this, &ListingPanel::currentListingChanged);
    tabs_->setObjectName(QStringLiteral("listingTabs"));
    tabs_->setDocumentMode(true);
    // Every listing's tab stays reachable: narrow tabs elide their text (whole in the tooltip)
    // instead of hiding behind scroll arrows.
    tabs_->setElideMode(Qt::ElideRight);
}

int ListingPanel::addListing(const QString& title, QAbstractItemModel* model)
{
    const int tab = static_cast<int>(views_.size());
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(6, 6, 6, 6);
    auto* caption = new QLabel(page);
    caption->setTextFormat(Qt::RichText);
    caption->setWordWrap(true);  // a long caption wraps instead of widening the panel (zoom)
    auto* view = new ListingTableView(page);
    view->setObjectName(title);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->setDefaultAlignment(Qt::AlignRight | Qt::AlignVCenter);
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    view->fitToFont();
    layout->addWidget(caption);
    layout->addWidget(view);
    tabs_->addTab(page, title);
    tabs_->setTabToolTip(tab, title);
    views_.push_back(view);
    captions_.push_back(caption);
    titles_.push_back(title);

    // Fitting columns measures many rows: only when a whole new listing arrives, not per edit.
    auto fitColumns = [this, tab] {
        updateCaption(tab);
        views_[tab]->resizeColumnsToContents();
    };
    auto recount = [this, tab] { updateCaption(tab); };
    connect(model, &QAbstractItemModel::modelReset, this, fitColumns);
    connect(model, &QAbstractItemModel::rowsInserted, this, [this, tab, fitColumns] {
        constexpr int kRowsCheapToMeasure = 2000;  // new keys stay readable on small models
        if (views_[tab]->model()->rowCount() <= kRowsCheapToMeasure)
            fitColumns();
        else
            updateCaption(tab);
    });
    connect(model, &QAbstractItemModel::rowsRemoved, this, recount);
    connect(model, &QAbstractItemModel::dataChanged, this, recount);
    connect(view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this, tab](const QModelIndex& current) {
                if (!showing_ && current.isValid())
                    Q_EMIT rowSelected(tab, current.row());
            });
    fitColumns();
    return tab;
}

void ListingPanel::updateCaption(int tab)
{
    QAbstractItemModel* model = views_[tab]->model();
    const int rows = model->rowCount();
    int changes[4] = {0, 0, 0, 0};  // by ListingModel::Change: none, added, removed, shape changed
    if (const auto* listing = qobject_cast<const ListingModel*>(model)) {
        for (auto change : {ListingModel::Change::Added, ListingModel::Change::Removed,
                            ListingModel::Change::ShapeChanged})
            changes[int(change)] = listing->count(change);
        if (!listing->showsBefore())
            changes[int(ListingModel::Change::Removed)] = 0;  // removed rows show in "before"
        else
            changes[int(ListingModel::Change::Added)] = 0;
    }
    QStringList parts;
    if (changes[1])
        parts << tr("<span style='color:#2e8b3e'>+%1 added</span>").arg(changes[1]);
    if (changes[2])
        parts << tr("<span style='color:#b03a2e'>−%1 removed</span>").arg(changes[2]);
    if (changes[3])
        parts << tr("<span style='color:#9a6b00'>%1 shape changed</span>").arg(changes[3]);
    captions_[tab]->setText(tr("<b>model.%1</b> — %2 %3, in PyTorch's order%4%5")
                                .arg(titles_[tab].toHtmlEscaped())
                                .arg(rows)
                                .arg(rows == 1 ? tr("entry") : tr("entries"))
                                .arg(before_->isChecked() ? tr(" (before the last change)")
                                                          : QString())
                                .arg(parts.isEmpty() ? QString()
                                                     : QStringLiteral(" · ") + parts.join(QStringLiteral(" · "))));
}

bool ListingPanel::showsBefore() const { return before_->isChecked(); }

void ListingPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        for (int tab = 0; tab < int(captions_.size()); ++tab)
            updateCaption(tab);
}

int ListingPanel::currentListing() const { return tabs_->currentIndex(); }

void ListingPanel::setCurrentListing(int tab) { tabs_->setCurrentIndex(tab); }

void ListingPanel::showRow(int tab, int row)
{
    QTableView* view = views_[tab];
    showing_ = true;
    if (row < 0) {
        view->clearSelection();
    } else {
        const QModelIndex index = view->model()->index(row, 0);
        view->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        view->scrollTo(index);
    }
    showing_ = false;
}

}  // namespace mx
