#include "app/clitrain.h"

#include "app/clijson.h"
#include "app/commandline.h"
#include "core/formatting.h"
#include "core/runtime.h"
#include "core/training.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <ostream>

namespace mx {

namespace {


std::string optimizerText(const TrainOptions& o)
{
    const OptimizerOptions& p = o.optimizer;
    if (p.kind == OptimizerKind::SGD)
        return "SGD(lr=" + pythonFloat(p.lr) + ", momentum=" + pythonFloat(p.momentum) +
               ", weight_decay=" + pythonFloat(p.weightDecay) + ")";
    return "Adam(lr=" + pythonFloat(p.lr) + ", betas=(" + pythonFloat(p.beta1) + ", " +
           pythonFloat(p.beta2) + "), weight_decay=" + pythonFloat(p.weightDecay) + ")";
}

std::string scientific(double v)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", v);
    return text;
}

QJsonObject resultJson(const TrainOptions& o, const TrainResult& r)
{
    QJsonArray losses;
    for (double l : r.losses)
        losses.append(l);
    QJsonArray tensors;
    for (const TensorChange& c : r.changes) {
        QJsonObject t{{"name", qs(c.name)},
                      {"kind", kindName(c.kind)},
                      {"requires_grad", c.requiresGrad},
                      {"sum_before", c.sumBefore},
                      {"sum_after", c.sumAfter},
                      {"max_abs_change", c.maxAbsChange},
                      {"relative_change", std::isnan(c.relativeChange) ? QJsonValue(QJsonValue::Null)
                                                                       : QJsonValue(c.relativeChange)},
                      {"changed", c.changed},
                      {"moved_by", c.movedBy.empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(qs(c.movedBy))}};
        if (c.kind == EntryKind::Parameter)
            t.insert("grad_sum", c.gradient.isNone() ? QJsonValue(QJsonValue::Null) : QJsonValue(c.gradient.sum()));
        tensors.append(t);
    }
    QJsonArray stepMs;
    for (double ms : r.stepMs)
        stepMs.append(ms);
    return {{"loss", losses},
            {"tensors", tensors},
            {"optimizer", qs(optimizerText(o))},
            {"loss_function", o.loss == LossKind::CrossEntropy ? "cross_entropy" : "mse_loss"},
            {"steps", r.stepsDone},
            {"forward_calls", r.forwardCalls},
            {"input_shape", shapeJson(o.inputShape)},
            {"output_shape", shapeJson(r.outputShape)},
            {"target_shape", shapeJson(r.targetShape)},
            {"seed", QString::number(o.seed)},
            {"mode", o.train ? "train" : "eval"},
            {"step_ms", stepMs},
            {"threads", threadCount()}};
}

void printText(const TrainOptions& o, const TrainResult& r, std::ostream& out)
{
    out << "training: " << r.stepsDone << " step(s) of " << optimizerText(o) << " on "
        << (o.loss == LossKind::CrossEntropy ? "F.cross_entropy" : "F.mse_loss") << ", input "
        << torchSize(o.inputShape) << " (torch.manual_seed(" << o.seed << "); torch.randn), target "
        << torchSize(r.targetShape) << ", " << (o.train ? "train" : "eval") << " mode\n";
    for (size_t i = 0; i < r.losses.size(); ++i)
        out << "step " << i + 1 << ": loss " << pythonFloat(r.losses[i]) << "  ("
            << std::fixed << std::setprecision(1) << r.stepMs[i] << " ms)\n"
            << std::defaultfloat;
    out << "forward calls: " << r.forwardCalls << " (one per step)\n";
    size_t width = 6;
    for (const TensorChange& c : r.changes)
        width = std::max(width, c.name.size());
    out << std::left << std::setw(static_cast<int>(width)) << "tensor" << "  " << std::setw(22) << "kind"
        << std::right << std::setw(15) << "sum before" << std::setw(15) << "sum after"
        << std::setw(13) << "max |Δ|" << std::setw(12) << "rel. L2" << "  what moved it\n";
    for (const TensorChange& c : r.changes) {
        std::string why = c.movedBy;
        if (!c.changed)
            why = c.frozen ? "unchanged (requires_grad=False: no grad, the optimizer skips it)"
                  : c.kind == EntryKind::Parameter ? "unchanged (no gradient reached it)"
                                                   : "unchanged (not optimised)";
        else if (c.movedBy == "forward")
            why = "forward in train mode (not the optimizer)";
        out << std::left << std::setw(static_cast<int>(width)) << c.name << "  " << std::setw(22)
            << kindName(c.kind) << std::right << std::setw(15) << scientific(c.sumBefore)
            << std::setw(15) << scientific(c.sumAfter) << std::setw(12) << scientific(c.maxAbsChange)
            << std::setw(12) << (std::isnan(c.relativeChange) ? std::string("(was 0)") : scientific(c.relativeChange))
            << "  " << why << "\n";
    }
}

}  // namespace

int runTrainBatch(const CommandLine& cl, ModuleNode& model, std::ostream& out, std::ostream& err)
{
    useAllCores();
    TrainOptions options = cl.trainOptions;
    options.steps = cl.trainSteps;
    options.device = cl.device;
    if (!cl.trainLrGiven)
        options.optimizer.lr = options.optimizer.kind == OptimizerKind::SGD ? 0.01 : 0.001;
    TrainProgress progress;
    const double limit = cl.timeoutSeconds;
    if (limit > 0) {
        const auto deadline = std::chrono::steady_clock::now() +
                              std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                  std::chrono::duration<double>(limit));
        progress = [deadline](int, int) { return std::chrono::steady_clock::now() <= deadline; };
    }
    const TrainResult r = runTraining(model, options, progress);
    if (r.cancelled) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", limit);
        err << "module-explorer: training stopped: TimeoutError: training ran longer than its time "
               "limit of " << text << " s after " << r.stepsDone << " step(s)\n";
        return 1;
    }
    if (!r.ok) {
        err << "module-explorer: training failed: " << r.error << "\n";
        return 1;
    }
    if (cl.json)
        out << QJsonDocument(resultJson(options, r)).toJson(QJsonDocument::Indented).toStdString();
    else
        printText(options, r, out);
    return 0;
}

}  // namespace mx
