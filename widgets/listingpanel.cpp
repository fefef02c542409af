#include "widgets/listingpanel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace mx {

ListingPanel::ListingPanel(QWidget* parent) : QWidget(parent), tabs_(new QTabWidget(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(tabs_);
    tabs_->setObjectName(QStringLiteral("listingTabs"));
    tabs_->setDocumentMode(true);
}

int ListingPanel::addListing(const QString& title, QAbstractItemModel* model)
{
    const int tab = static_cast<int>(views_.size());
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(6, 6, 6, 6);
    auto* caption = new QLabel(page);
    caption->setTextFormat(Qt::RichText);
    auto* view = new QTableView(page);
    view->setObjectName(title);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    layout->addWidget(caption);
    layout->addWidget(view);
    tabs_->addTab(page, title);
    views_.push_back(view);
    captions_.push_back(caption);
    titles_.push_back(title);

    auto refresh = [this, tab] {
        updateCaption(tab);
        views_[tab]->resizeColumnsToContents();
    };
    connect(model, &QAbstractItemModel::modelReset, this, refresh);
    connect(model, &QAbstractItemModel::rowsInserted, this, refresh);
    connect(model, &QAbstractItemModel::rowsRemoved, this, refresh);
    connect(view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this, tab](const QModelIndex& current) {
                if (!showing_ && current.isValid())
                    Q_EMIT rowSelected(tab, current.row());
            });
    refresh();
    return tab;
}

void ListingPanel::updateCaption(int tab)
{
    const int rows = views_[tab]->model()->rowCount();
    captions_[tab]->setText(QStringLiteral("<b>model.%1</b> — %2 %3, in PyTorch's order")
                                .arg(titles_[tab].toHtmlEscaped())
                                .arg(rows)
                                .arg(rows == 1 ? QStringLiteral("entry") : QStringLiteral("entries")));
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
