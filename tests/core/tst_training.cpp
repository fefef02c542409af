// Training steps (core/training.h) against real PyTorch 1.13
// (tests/fixtures/training/training_reference.json, made by make_training_reference.py): losses,
// every tensor's sums and changes, gradients, optimizer state and error lines; what stays
// unchanged (frozen parameters, buffers, attributes, BatchNorm in eval mode); cancel, budget,
// the random generator and the training flags left as they were.

#include "core/examples.h"
#include "core/listings.h"
#include "core/modulenode.h"
#include "core/optimizer.h"
#include "core/pythonerror.h"
#include "core/resourcebudget.h"
#include "core/statements/statementsession.h"
#include "core/training.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace mx;

namespace {

QJsonObject referenceCases()
{
    QFile f(QStringLiteral(MX_FIXTURES_DIR "/training/training_reference.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object()[QStringLiteral("cases")].toObject();
}

bool close(double a, double b, double rel = 1e-4, double abs = 1e-6)
{
    return std::abs(a - b) <= abs + rel * std::max(std::abs(a), std::abs(b));
}

TrainOptions optionsOf(const QJsonObject& c)
{
    TrainOptions o;
    o.steps = c["steps"].toInt();
    parseOptimizerKind(c["optimizer"].toString().toStdString(), &o.optimizer.kind);
    parseLossKind(c["loss"].toString().toStdString(), &o.loss);
    o.optimizer.lr = c["lr"].toDouble();
    o.optimizer.momentum = c["momentum"].toDouble(0);
    o.optimizer.weightDecay = c["weight_decay"].toDouble(0);
    if (c.contains("betas")) {
        o.optimizer.beta1 = c["betas"].toArray()[0].toDouble();
        o.optimizer.beta2 = c["betas"].toArray()[1].toDouble();
    }
    for (const QJsonValue& d : c["input"].toArray())
        o.inputShape.push_back(d.toInteger());
    o.seed = static_cast<uint64_t>(c["seed"].toInteger());
    o.train = c["mode"].toString() == QLatin1String("train");
    return o;
}

std::unique_ptr<ModuleNode> buildCase(const QJsonObject& c)
{
    auto model = buildExample(c["example"].toString().toStdString());
    StatementSession session(*model);
    for (const QJsonValue& line : c["exec"].toArray()) {
        const StatementResult r = session.run(line.toString().toStdString());
        if (!r.ok)
            qWarning("setup statement failed: %s", r.error.c_str());
    }
    return model;
}

std::vector<std::pair<std::string, double>> stateSums(const ModuleNode& m)
{
    std::vector<std::pair<std::string, double>> out;
    for (const ListingEntry& e : stateDict(m))
        out.emplace_back(e.name, e.tensor.sum());
    return out;
}

}  // namespace

class TestTraining : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void referenceCase_matchesPyTorch_data()
    {
        QTest::addColumn<QString>("name");
        const QJsonObject cases = referenceCases();
        QVERIFY(cases.size() >= 8);
        for (const QString& name : cases.keys())
            QTest::newRow(qPrintable(name)) << name;
    }

    // Losses, each tensor's sums, max |Δ|, .grad and the error line, as Python 1.13 gives them.
    void referenceCase_matchesPyTorch()
    {
        QFETCH(QString, name);
        const QJsonObject ref = referenceCases()[name].toObject();
        const QJsonObject c = ref["case"].toObject();
        auto model = buildCase(c);
        const TrainResult r = runTraining(*model, optionsOf(c));

        if (ref.contains("error")) {
            QVERIFY(!r.ok);
            QCOMPARE(QString::fromStdString(r.error), ref["error"].toString());
            QCOMPARE(r.stepsDone, 0);
        } else {
            QVERIFY2(r.ok, r.error.c_str());
            const QJsonArray losses = ref["loss"].toArray();
            QCOMPARE(r.losses.size(), size_t(losses.size()));
            for (int i = 0; i < losses.size(); ++i)
                QVERIFY2(close(r.losses[i], losses[i].toDouble()),
                         qPrintable(QStringLiteral("step %1: %2 vs %3").arg(i + 1).arg(r.losses[i], 0, 'g', 10)
                                        .arg(losses[i].toDouble(), 0, 'g', 10)));
            QCOMPARE(r.forwardCalls, c["steps"].toInt());
        }
        const QJsonArray tensors = ref["tensors"].toArray();
        QCOMPARE(r.changes.size(), size_t(tensors.size()));
        for (int i = 0; i < tensors.size(); ++i) {
            const QJsonObject t = tensors[i].toObject();
            const TensorChange& got = r.changes[i];
            const QString what = QString::fromStdString(got.name);
            QCOMPARE(what, t["name"].toString());
            QCOMPARE(QString::fromLatin1(kindName(got.kind)), t["kind"].toString());
            QVERIFY2(close(got.sumBefore, t["sum_before"].toDouble()), qPrintable(what));
            if (ref.contains("error")) {
                // A run that raises changes nothing, also what Python's forward moved before the
                // error (batchnorm_loss_error: the running stats), which the app puts back.
                QVERIFY2(!got.changed, qPrintable(what));
                QCOMPARE(got.sumAfter, got.sumBefore);
                continue;
            }
            QVERIFY2(close(got.sumAfter, t["sum_after"].toDouble()),
                     qPrintable(QStringLiteral("%1: %2 vs %3").arg(what).arg(got.sumAfter, 0, 'g', 10)
                                    .arg(t["sum_after"].toDouble(), 0, 'g', 10)));
            const double maxChange = t["max_abs_change"].toDouble();
            QCOMPARE(got.changed, maxChange > 0);
            QVERIFY2(close(got.maxAbsChange, maxChange, 1e-3, 1e-7), qPrintable(what));
            if (got.changed)
                QCOMPARE(QString::fromStdString(got.movedBy),
                         got.kind == EntryKind::Parameter ? QStringLiteral("optimizer") : QStringLiteral("forward"));
            if (got.kind == EntryKind::Parameter && !ref.contains("error")) {
                QCOMPARE(got.gradient.isNone(), t["grad_sum"].isNull());
                // float32 rounding of the entries, summed: up to ~1e-6 of sum|g| on another CPU
                if (!got.gradient.isNone())
                    QVERIFY2(close(got.gradient.sum(), t["grad_sum"].toDouble(), 1e-3,
                                   1e-6 + 1e-6 * t["grad_abs_sum"].toDouble()),
                             qPrintable(QStringLiteral("%1: grad sum %2 vs %3").arg(what)
                                            .arg(got.gradient.sum(), 0, 'g', 10)
                                            .arg(t["grad_sum"].toDouble(), 0, 'g', 10)));
            }
        }
        if (ref.contains("optimizer_state")) {
            // state_dict()['state']: which parameters have state, each entry's sum (None stays None).
            const QJsonObject state = ref["optimizer_state"].toObject()["state"].toObject();
            const auto got = r.optimizer->state();
            QCOMPARE(got.size(), size_t(state.size()));
            for (const auto& [index, entries] : got) {
                const QJsonObject want = state[QString::number(index)].toObject();
                QCOMPARE(entries.size(), size_t(want.size()));
                for (const OptimizerStateEntry& e : entries) {
                    const QJsonValue v = want[QString::fromStdString(e.name)];
                    QVERIFY2(!v.isUndefined(), e.name.c_str());
                    QCOMPARE(e.tensor.isNone(), v.isNull());
                    if (!e.tensor.isNone())
                        QVERIFY2(close(e.tensor.sum(), v.toDouble(), 1e-3, 1e-6), e.name.c_str());
                }
            }
            const QJsonObject group = ref["optimizer_state"].toObject()["param_groups"].toArray()[0].toObject();
            const auto keys = r.optimizer->paramGroup();
            QCOMPARE(keys.size(), size_t(group.size()));
            for (const auto& [key, value] : keys)
                QVERIFY2(group.contains(QString::fromStdString(key)), key.c_str());
        }
    }

    // The teaching point: parameters change; buffers, frozen parameters and attributes do not,
    // except BatchNorm's running stats, which forward (not the optimizer) moves in train mode.
    void batchNorm_runningStatsMoveInTrainModeOnly()
    {
        for (const bool train : {true, false}) {
            auto bn = buildExample("batchnorm-demo");
            TrainOptions o;
            o.inputShape = {4, 3, 8, 8};
            o.steps = 2;
            o.train = train;
            const TrainResult r = runTraining(*bn, o);
            QVERIFY2(r.ok, r.error.c_str());
            for (const TensorChange& c : r.changes) {
                if (c.kind == EntryKind::Parameter) {
                    // In train mode BatchNorm subtracts the batch mean, so the conv bias before
                    // it gets a zero gradient and stays (Python gives the same).
                    if (train && c.name == "features.0.bias")
                        continue;
                    QVERIFY2(c.changed && c.movedBy == "optimizer", c.name.c_str());
                } else {
                    QCOMPARE(c.changed, train);
                    if (train)
                        QCOMPARE(c.movedBy, std::string("forward"));
                }
            }
        }
    }

    void steps_leaveFlagsAndGeneratorAsTheyWere()
    {
        auto model = buildExample("batchnorm-demo");
        model->train(false);
        StatementSession session(*model);
        session.run("torch.manual_seed(11)");
        TrainOptions o;
        o.inputShape = {2, 3, 8, 8};
        o.seed = 99;
        QVERIFY(runTraining(*model, o).ok);
        QVERIFY(!model->isTraining());  // eval before, eval after
        QVERIFY(!model->child(0).isTraining());
        const std::string afterTraining = session.run("print(torch.randn(3).sum().item())").output;
        session.run("torch.manual_seed(11)");
        QCOMPARE(session.run("print(torch.randn(3).sum().item())").output, afterTraining);
    }

    void cancel_keepsTheStepsDone()
    {
        auto model = buildExample("batchnorm-demo");
        TrainOptions o;
        o.inputShape = {2, 3, 8, 8};
        o.steps = 5;
        const TrainResult r = runTraining(*model, o, [](int done, int) { return done < 2; });
        QVERIFY(r.cancelled);
        QVERIFY(!r.ok);
        QCOMPARE(r.stepsDone, 2);
        QCOMPARE(r.losses.size(), size_t(2));
        QVERIFY(r.changes.front().changed);  // the two steps stay, as after Ctrl+C in Python
    }

    void overBudget_isRefusedBeforeAnythingChanges()
    {
        auto model = buildExample("state-dict-demo");
        const auto before = stateSums(*model);
        setMemoryBudgetBytes(64ull << 20);  // the model alone is ~200 MiB
        TrainOptions o;
        o.inputShape = {64, 1, 28, 28};
        const TrainResult r = runTraining(*model, o);
        setMemoryBudgetBytes(0);
        QVERIFY(r.refused);
        QVERIFY2(QString::fromStdString(r.error).startsWith(QStringLiteral("MemoryError: ")), r.error.c_str());
        QCOMPARE(r.stepsDone, 0);
        QCOMPARE(stateSums(*model), before);
    }

    void badRequests_sayWhy()
    {
        auto model = buildExample("state-dict-demo");
        TrainOptions o;
        o.inputShape = {2, 1, 28, 28};
        o.steps = 0;
        QCOMPARE(QString::fromStdString(runTraining(*model, o).error),
                 QStringLiteral("ValueError: the number of steps must be at least 1, not 0"));
        o.steps = 1;
        o.inputShape = {2, 0, 28};
        QVERIFY(!runTraining(*model, o).ok);
        // A model whose parameters are all frozen: backward has nothing to differentiate.
        StatementSession session(*model);
        QVERIFY(session.run("model.requires_grad_(False)").ok);
        o.inputShape = {2, 1, 28, 28};
        QCOMPARE(QString::fromStdString(runTraining(*model, o).error),
                 QStringLiteral("RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn"));
    }

    void optimizer_followsPythonsRules()
    {
        QVERIFY_THROWS_EXCEPTION(PythonError, Optimizer({}, OptimizerOptions()));
        try {
            Optimizer({}, OptimizerOptions());
        } catch (const PythonError& e) {
            QCOMPARE(QString::fromUtf8(e.what()), QStringLiteral("ValueError: optimizer got an empty parameter list"));
        }
        auto model = buildExample("buffer-demo");
        OptimizerOptions sgd;
        sgd.lr = 0.1;
        Optimizer opt({model->child(0).child(0).parameters()[0].tensor}, sgd);
        QCOMPARE(QString::fromStdString(opt.repr()),
                 QStringLiteral("SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n"
                                "    foreach: None\n    lr: 0.1\n    maximize: False\n    momentum: 0\n"
                                "    nesterov: False\n    weight_decay: 0\n)"));
        QVERIFY(opt.state().empty());  // no state before the first step
        opt.step();                     // no grad yet: Python skips the parameter
        QVERIFY(opt.state().empty());
    }
};

QTEST_GUILESS_MAIN(TestTraining)
#include "tst_training.moc"
