#include "widgets/trainresults.h"

#include "items/entrytext.h"
#include "widgets/losschart.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>

namespace mx {

namespace {

enum ChangeColumn { Name, Kind, Changed, MaxDelta, Relative, MovedBy, Grad, ColumnCount };

QTableWidgetItem* cell(const QString& text, const QString& tip = {})
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    item->setToolTip(tip);
    return item;
}

QString number(double v) { return QString::number(v, 'g', 4); }

}  // namespace

TrainResults::TrainResults(QWidget* parent) : QTabWidget(parent)
{
    loss_ = new LossChart;
    addTab(loss_, tr("Loss"));

    changes_ = new QTableWidget(0, ColumnCount);
    changes_->setObjectName(QStringLiteral("trainChanges"));
    changes_->setHorizontalHeaderLabels({tr("tensor"), tr("kind"), tr("changed"), tr("max |Δ|"),
                                         tr("rel. L2 change"), tr("what moved it"), tr(".grad")});
    changes_->verticalHeader()->setVisible(false);
    changes_->verticalHeader()->setDefaultSectionSize(changes_->fontMetrics().height() + 6);
    changes_->setSelectionBehavior(QAbstractItemView::SelectRows);
    changes_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    changes_->horizontalHeader()->setStretchLastSection(true);
    addTab(changes_, tr("What changed"));
    connect(changes_, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (row >= 0 && row < tensors_.size() && !tensors_[row].gradient.isNone())
            Q_EMIT inspectRequested(tensors_[row].name + QStringLiteral(".grad"), tensors_[row].gradient);
    });

    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    optimizerNote_ = new QLabel(
        tr("<b>optimizer.state_dict()</b> is the optimizer's own state: its hyper-parameters "
           "(param_groups) and, per parameter, what it remembers between steps (SGD's "
           "momentum_buffer, Adam's step, exp_avg and exp_avg_sq). It belongs to the optimizer "
           "object, not to the module, so <b>model.state_dict() does not contain it</b>: to resume "
           "training later, save both (torch.save(optimizer.state_dict(), ...))."));
    optimizerNote_->setWordWrap(true);
    layout->addWidget(optimizerNote_);
    optimizer_ = new QTreeWidget;
    optimizer_->setObjectName(QStringLiteral("optimizerState"));
    optimizer_->setHeaderLabels({tr("key"), tr("value")});
    optimizer_->setRootIsDecorated(true);
    layout->addWidget(optimizer_, 1);
    addTab(page, tr("Optimizer state"));
    connect(optimizer_, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
        const int i = item->data(0, Qt::UserRole).toInt() - 1;
        if (i >= 0 && i < state_.size() && !state_[i].tensor.isNone())
            Q_EMIT inspectRequested(QStringLiteral("optimizer.state[%1]['%2']").arg(state_[i].index).arg(state_[i].entry),
                                    state_[i].tensor);
    });
}

void TrainResults::clear()
{
    tensors_.clear();
    state_.clear();
    changes_->setRowCount(0);
    optimizer_->clear();
    loss_->setLosses({}, tr("Loss per step (run training to see it)"));
}

void TrainResults::showReport(const TrainReport& report)
{
    tensors_ = report.tensors;
    state_ = report.optimizerState;
    QString title;
    if (!report.losses.isEmpty())
        title = tr("%1 on %2 · loss %3 → %4")
                    .arg(report.request.optimizer == QLatin1String("adam") ? QStringLiteral("Adam")
                                                                             : QStringLiteral("SGD"))
                    .arg(report.request.loss == QLatin1String("ce") ? QStringLiteral("cross_entropy")
                                                                     : QStringLiteral("mse_loss"))
                    .arg(number(report.losses.front()), number(report.losses.back()));
    loss_->setLosses(report.losses, title);
    fillChanges(report);
    fillOptimizer(report);
}

void TrainResults::fillChanges(const TrainReport& report)
{
    const QHash<QString, TrainingMark> marks = trainingMarks(report);
    changes_->setRowCount(report.tensors.size());
    for (int row = 0; row < report.tensors.size(); ++row) {
        const TrainedTensor& t = report.tensors[row];
        const TrainingMark mark = marks.value(t.name);
        const QString moved = t.movedBy == QLatin1String("optimizer") ? tr("optimizer step")
                              : t.movedBy == QLatin1String("forward")
                                  ? tr("forward in train mode (not the optimizer)")
                              : t.frozen ? tr("nothing: requires_grad=False")
                                         : tr("nothing");
        changes_->setItem(row, Name, cell(t.name, mark.tooltip));
        changes_->setItem(row, Kind, cell(entrytext::badge(static_cast<EntryKind>(t.kind))));
        changes_->setItem(row, Changed, cell(t.changed ? tr("yes") : tr("no"), mark.tooltip));
        changes_->setItem(row, MaxDelta, cell(t.changed ? number(t.maxAbsChange) : QStringLiteral("0")));
        changes_->setItem(row, Relative, cell(!t.changed                    ? QStringLiteral("0")
                                              : std::isnan(t.relativeChange) ? tr("— (was all zeros)")
                                                  : number(100 * t.relativeChange) + QLatin1Char('%')));
        changes_->setItem(row, MovedBy, cell(moved, mark.tooltip));
        const bool parameter = t.kind == static_cast<int>(EntryKind::Parameter);
        changes_->setItem(row, Grad, cell(!parameter              ? QString()
                                          : t.gradShape.isEmpty() ? QStringLiteral("None")
                                                                  : tr("%1 · sum %2 (double-click to inspect)")
                                                                        .arg(t.gradShape, number(t.gradSum))));
        const QColor tint = mark.state == TrainingMark::MovedByOptimizer ? QColor(0xdc, 0xf2, 0xdc)
                            : mark.state == TrainingMark::MovedByForward ? QColor(0xdd, 0xe8, 0xfb)
                                                                         : QColor();
        for (int c = 0; c < ColumnCount; ++c) {
            if (tint.isValid())
                changes_->item(row, c)->setBackground(tint);
            else
                changes_->item(row, c)->setForeground(QColor(0x6b, 0x6b, 0x6b));
        }
    }
    changes_->resizeColumnsToContents();
}

void TrainResults::fillOptimizer(const TrainReport& report)
{
    optimizer_->clear();
    if (report.paramGroup.isEmpty())
        return;
    auto* groups = new QTreeWidgetItem(optimizer_, {QStringLiteral("'param_groups'"), QStringLiteral("[{...}]")});
    auto* group = new QTreeWidgetItem(groups, {QStringLiteral("0"), QString()});
    for (const auto& [key, value] : report.paramGroup)
        new QTreeWidgetItem(group, {QLatin1Char('\'') + key + QLatin1Char('\''), value});
    QStringList indices;
    for (int i = 0; i < report.parameterNames.size(); ++i)
        indices << QString::number(i);
    auto* params = new QTreeWidgetItem(group, {QStringLiteral("'params'"),
                                               QLatin1Char('[') + indices.join(QStringLiteral(", ")) + QLatin1Char(']')});
    for (int i = 0; i < report.parameterNames.size(); ++i)
        new QTreeWidgetItem(params, {QString::number(i), report.parameterNames[i]});
    auto* state = new QTreeWidgetItem(optimizer_, {QStringLiteral("'state'"),
                                                   report.optimizerState.isEmpty() ? QStringLiteral("{}") : QString()});
    QTreeWidgetItem* current = nullptr;
    int currentIndex = -1;
    for (int i = 0; i < report.optimizerState.size(); ++i) {
        const OptimizerStateRow& s = report.optimizerState[i];
        if (s.index != currentIndex) {
            currentIndex = s.index;
            current = new QTreeWidgetItem(state, {QString::number(s.index), s.parameter});
        }
        const QString value = s.tensor.isNone()
                                  ? QStringLiteral("None")
                                  : tr("tensor %1 · sum %2").arg(entrytext::shape(s.tensor.shape()),
                                                                 number(s.tensor.sum()));
        auto* item = new QTreeWidgetItem(current, {QLatin1Char('\'') + s.entry + QLatin1Char('\''), value});
        item->setData(0, Qt::UserRole, i + 1);
        if (!s.tensor.isNone())
            item->setToolTip(1, tr("Double-click to inspect it"));
    }
    optimizer_->expandItem(groups);
    optimizer_->expandItem(group);
    optimizer_->expandItem(state);
    optimizer_->resizeColumnToContents(0);
}

}  // namespace mx
