#pragma once

#include <QHash>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVector>

#include <functional>

#include "core/tensorref.h"

namespace mx {

/** A training run as the Train dock asks for it (Qt types; see core/training.h). */
struct TrainRequest {
    QVector<qint64> inputShape;
    QString optimizer = QStringLiteral("sgd");  // sgd | adam
    double lr = 0.01;
    double momentum = 0;       // SGD
    double weightDecay = 0;
    double beta1 = 0.9, beta2 = 0.999;  // Adam
    QString loss = QStringLiteral("ce");       // ce | mse
    quint64 seed = 0;
    int steps = 1;
    bool train = true;
    QString device = QStringLiteral("cpu");
};

/** What the steps did to one tensor, ready to show (see core TensorChange). */
struct TrainedTensor {
    QString name;          // dotted key or path
    int kind = 0;          // int(EntryKind)
    bool changed = false;
    bool frozen = false;   // a parameter with requires_grad=False
    QString movedBy;       // "optimizer", "forward" or ""
    double sumBefore = 0, sumAfter = 0, maxAbsChange = 0, relativeChange = 0;
    TensorRef gradient;    // .grad after the run (None: never reached by backward)
    QString gradShape;     // read on the worker: "" when .grad is None
    double gradSum = 0;
};

/** One entry of optimizer.state_dict()['state'][index]. */
struct OptimizerStateRow {
    int index = 0;         // the parameter's position in param_groups[0]['params']
    QString parameter;     // its name in named_parameters()
    QString entry;         // momentum_buffer, step, exp_avg, exp_avg_sq
    TensorRef tensor;      // None for SGD's momentum_buffer without momentum
};

/** A training run's results, and everything it did to the model, so the GUI never reads the
 *  model while it runs. */
struct TrainReport {
    quint64 jobId = 0;
    TrainRequest request;
    bool ok = false;
    bool cancelled = false;
    bool refused = false;
    QString error;
    QVector<double> losses;
    QVector<double> stepMs;
    int stepsDone = 0;
    int forwardCalls = 0;
    QString outputShape, targetShape;
    QVector<TrainedTensor> tensors;
    QString optimizerRepr;                       // print(optimizer)
    QVector<QPair<QString, QString>> paramGroup; // param_groups[0] without params: key, repr
    QStringList parameterNames;                  // param_groups[0]['params'], by name
    QVector<OptimizerStateRow> optimizerState;
};

/** How the tree and the listings mark a tensor after training. */
struct TrainingMark {
    enum State { Unchanged, Frozen, MovedByOptimizer, MovedByForward };
    State state = Unchanged;
    QString text;     // short: "Δ max 4.4e-04 · rel 0.058%" / "unchanged"
    QString tooltip;  // what moved it, or why nothing did; its .grad
};

/** The background a mark tints its rows with (none for unchanged tensors). */
QVariant trainingTint(TrainingMark::State state);

/** The marks of a report, by dotted name. */
QHash<QString, TrainingMark> trainingMarks(const TrainReport& report);

class ModuleNode;
/** Runs core/training.h's runTraining for `request` (on the caller's thread) and copies what the
 *  GUI shows into a report; `progress` as in TrainProgress. */
TrainReport runTrainingReport(ModuleNode& model, const TrainRequest& request,
                              const std::function<bool(int, int)>& progress);

}  // namespace mx

Q_DECLARE_METATYPE(mx::TrainReport)
