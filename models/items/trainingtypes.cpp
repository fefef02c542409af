#include "items/trainingtypes.h"

#include "core/formatting.h"
#include "core/modulenode.h"
#include "core/training.h"
#include "items/entrytext.h"

#include <QBrush>
#include <QColor>
#include <QCoreApplication>

#include <cmath>

namespace mx {

namespace {

QString tr(const char* text, const char* disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("mx", text, disambiguation, n);  // lupdate files these under "mx"
}

QString gradientText(const TrainedTensor& t)
{
    if (t.gradShape.isEmpty())
        return tr(".grad is None: backward never reached this parameter.");
    return tr(".grad: %1, sum %2 (the Inspector shows it: Gradient)")
        .arg(t.gradShape, QString::number(t.gradSum, 'g', 6));
}

}  // namespace

QVariant trainingTint(TrainingMark::State state)
{
    switch (state) {
    case TrainingMark::MovedByOptimizer: return QBrush(QColor(0xdc, 0xf2, 0xdc));
    case TrainingMark::MovedByForward: return QBrush(QColor(0xdd, 0xe8, 0xfb));
    default: return {};
    }
}

QHash<QString, TrainingMark> trainingMarks(const TrainReport& report)
{
    QHash<QString, TrainingMark> marks;
    for (const TrainedTensor& t : report.tensors) {
        TrainingMark m;
        const bool parameter = t.kind == static_cast<int>(EntryKind::Parameter);
        if (t.changed) {
            m.state = t.movedBy == QLatin1String("optimizer") ? TrainingMark::MovedByOptimizer
                                                              : TrainingMark::MovedByForward;
            m.text = std::isnan(t.relativeChange)
                         ? tr("Δ max %1 (was all zeros)").arg(QString::number(t.maxAbsChange, 'g', 2))
                         : tr("Δ max %1 · rel %2%")
                               .arg(QString::number(t.maxAbsChange, 'g', 2))
                               .arg(QString::number(100 * t.relativeChange, 'g', 2));
            m.tooltip = m.state == TrainingMark::MovedByOptimizer
                            ? tr("Changed by the optimizer's %n step(s): max |Δ| %1, relative L2 change %2.",
                                 nullptr, report.stepsDone)
                            : tr("Changed by forward in train mode (BatchNorm updates its running "
                                 "statistics on every call), not by the optimizer: max |Δ| %1, "
                                 "relative L2 change %2.");
            m.tooltip = m.tooltip.arg(QString::number(t.maxAbsChange, 'g', 4),
                                      QString::number(t.relativeChange, 'g', 4));
        } else {
            m.state = t.frozen ? TrainingMark::Frozen : TrainingMark::Unchanged;
            m.text = t.frozen ? tr("unchanged · frozen") : tr("unchanged");
            m.tooltip = t.frozen ? tr("requires_grad=False: backward gives it no .grad, so the "
                                      "optimizer skips it.")
                        : parameter ? tr("No gradient reached it (forward does not use it), so the "
                                         "optimizer skipped it.")
                        : t.kind == static_cast<int>(EntryKind::Attribute)
                            ? tr("A plain attribute: not a parameter, so the optimizer never sees it.")
                            : tr("A buffer: state, not something the optimizer learns.");
        }
        m.tooltip += QStringLiteral("\nsum %1 → %2")
                         .arg(QString::number(t.sumBefore, 'g', 8), QString::number(t.sumAfter, 'g', 8));
        if (parameter)
            m.tooltip += QLatin1Char('\n') + gradientText(t);
        marks.insert(t.name, m);
    }
    return marks;
}

TrainReport runTrainingReport(ModuleNode& model, const TrainRequest& request,
                              const std::function<bool(int, int)>& progress)
{
    TrainOptions o;
    o.steps = request.steps;
    if (!parseOptimizerKind(request.optimizer.toStdString(), &o.optimizer.kind) ||
        !parseLossKind(request.loss.toStdString(), &o.loss)) {
        TrainReport bad;
        bad.request = request;
        bad.error = QStringLiteral("ValueError: unknown optimizer or loss");
        return bad;
    }
    o.optimizer.lr = request.lr;
    o.optimizer.momentum = request.momentum;
    o.optimizer.momentumIsInt = false;
    o.optimizer.weightDecay = request.weightDecay;
    o.optimizer.weightDecayIsInt = false;
    o.optimizer.beta1 = request.beta1;
    o.optimizer.beta2 = request.beta2;
    o.inputShape.assign(request.inputShape.begin(), request.inputShape.end());
    o.seed = request.seed;
    o.train = request.train;
    o.device = request.device.toStdString();
    const TrainResult r = runTraining(model, o, progress);

    TrainReport rep;
    rep.request = request;
    rep.ok = r.ok;
    rep.cancelled = r.cancelled;
    rep.refused = r.refused;
    rep.error = QString::fromStdString(r.error);
    rep.losses = QVector<double>(r.losses.begin(), r.losses.end());
    rep.stepMs = QVector<double>(r.stepMs.begin(), r.stepMs.end());
    rep.stepsDone = r.stepsDone;
    rep.forwardCalls = r.forwardCalls;
    rep.outputShape = r.outputShape.empty() ? QString() : QString::fromStdString(torchSize(r.outputShape));
    rep.targetShape = r.targetShape.empty() ? QString() : QString::fromStdString(torchSize(r.targetShape));
    for (const TensorChange& c : r.changes) {
        TrainedTensor t;
        t.name = QString::fromStdString(c.name);
        t.kind = static_cast<int>(c.kind);
        t.changed = c.changed;
        t.frozen = c.frozen;
        t.movedBy = QString::fromStdString(c.movedBy);
        t.sumBefore = c.sumBefore;
        t.sumAfter = c.sumAfter;
        t.maxAbsChange = c.maxAbsChange;
        t.relativeChange = c.relativeChange;
        t.gradient = c.gradient;
        if (!c.gradient.isNone()) {
            t.gradShape = entrytext::shape(c.gradient.shape());
            t.gradSum = c.gradient.sum();
        }
        rep.tensors.push_back(t);
    }
    if (r.optimizer) {
        rep.optimizerRepr = QString::fromStdString(r.optimizer->repr());
        for (const auto& [key, value] : r.optimizer->paramGroup())
            rep.paramGroup.push_back({QString::fromStdString(key), QString::fromStdString(value.repr())});
        for (const std::string& name : r.parameterNames)
            rep.parameterNames << QString::fromStdString(name);
        for (const auto& [index, entries] : r.optimizer->state())
            for (const OptimizerStateEntry& e : entries)
                rep.optimizerState.push_back({static_cast<int>(index),
                                              index < r.parameterNames.size()
                                                  ? QString::fromStdString(r.parameterNames[index])
                                                  : QString(),
                                              QString::fromStdString(e.name), e.tensor});
    }
    return rep;
}

}  // namespace mx
