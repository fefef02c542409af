#pragma once

#include "items/trainingtypes.h"

#include <QTabWidget>

class QLabel;
class QTableWidget;
class QTreeWidget;

namespace mx {
class LossChart;

/**
 * What a training run did, in three tabs: the loss per step, every tensor's change (max |Δ|,
 * relative L2 change, who moved it, its .grad) and the optimizer's own state
 * (optimizer.state_dict(): param_groups and per-parameter state), with why that state is not in
 * the model's state_dict. Double-clicking a gradient or a state tensor asks to inspect it.
 */
class TrainResults : public QTabWidget {
    Q_OBJECT
public:
    explicit TrainResults(QWidget* parent = nullptr);
    void clear();
    void showReport(const TrainReport& report);
    LossChart* lossChart() const { return loss_; }
    QTableWidget* changesTable() const { return changes_; }
    QTreeWidget* optimizerTree() const { return optimizer_; }

Q_SIGNALS:
    /** A tensor the Inspector should show: "conv1.0.weight.grad", "optimizer.state[0]['exp_avg']". */
    void inspectRequested(const QString& name, const mx::TensorRef& tensor);

private:
    void fillChanges(const TrainReport& report);
    void fillOptimizer(const TrainReport& report);

    LossChart* loss_;
    QTableWidget* changes_;
    QTreeWidget* optimizer_;
    QLabel* optimizerNote_;
    QVector<TrainedTensor> tensors_;
    QVector<OptimizerStateRow> state_;
};

}  // namespace mx
