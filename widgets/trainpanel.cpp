#include "widgets/trainpanel.h"

#include "widgets/shapetext.h"
#include "widgets/trainresults.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>

namespace mx {

namespace {

QDoubleSpinBox* numberBox(const char* name, double max, double value, int decimals)
{
    auto* box = new QDoubleSpinBox;
    box->setObjectName(QString::fromLatin1(name));
    box->setRange(0, max);
    box->setDecimals(decimals);
    box->setValue(value);
    return box;
}

}  // namespace

TrainPanel::TrainPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(buildForm());
    auto* right = new QVBoxLayout;
    summary_ = new QLabel(tr("Train the model a few optimizer steps and see which tensors change: "
                             "parameters with requires_grad do, buffers and plain attributes do not "
                             "(except BatchNorm's running stats, which forward in train mode moves)."));
    summary_->setObjectName(QStringLiteral("trainSummary"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    error_ = new QLabel;
    error_->setObjectName(QStringLiteral("trainError"));
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #b3261e;"));
    error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    results_ = new TrainResults;
    right->addWidget(summary_);
    right->addWidget(error_);
    right->addWidget(results_, 1);
    layout->addLayout(right, 1);
    connect(results_, &TrainResults::inspectRequested, this, &TrainPanel::inspectRequested);
    updateOptimizerFields();
    validate();
}

QWidget* TrainPanel::buildForm()
{
    auto* form = new QWidget;
    auto* grid = new QFormLayout(form);
    optimizer_ = new QComboBox;
    optimizer_->setObjectName(QStringLiteral("optimizer"));
    optimizer_->addItem(QStringLiteral("SGD"), QStringLiteral("sgd"));
    optimizer_->addItem(QStringLiteral("Adam"), QStringLiteral("adam"));
    grid->addRow(tr("Optimizer"), optimizer_);
    lr_ = numberBox("lr", 10, 0.01, 6);
    lr_->setSingleStep(0.001);
    grid->addRow(tr("lr"), lr_);
    momentum_ = numberBox("momentum", 1, 0, 4);
    momentum_->setSingleStep(0.1);
    grid->addRow(tr("momentum"), momentum_);
    beta1_ = numberBox("beta1", 0.9999, 0.9, 4);
    beta2_ = numberBox("beta2", 0.999999, 0.999, 6);
    auto* betas = new QHBoxLayout;
    betas->addWidget(beta1_);
    betas->addWidget(beta2_);
    grid->addRow(tr("betas"), betas);
    weightDecay_ = numberBox("weightDecay", 1, 0, 6);
    weightDecay_->setSingleStep(0.0001);
    grid->addRow(tr("weight_decay"), weightDecay_);
    loss_ = new QComboBox;
    loss_->setObjectName(QStringLiteral("loss"));
    loss_->addItem(tr("cross_entropy (random class targets)"), QStringLiteral("ce"));
    loss_->addItem(tr("mse_loss (random target)"), QStringLiteral("mse"));
    grid->addRow(tr("Loss"), loss_);
    shape_ = new QLineEdit;
    shape_->setObjectName(QStringLiteral("trainInput"));
    shape_->setPlaceholderText(QStringLiteral("8x1x28x28"));
    shape_->setToolTip(tr("x = torch.randn(shape) after torch.manual_seed(seed)"));
    grid->addRow(tr("Input"), shape_);
    seed_ = new QSpinBox;
    seed_->setObjectName(QStringLiteral("trainSeed"));
    seed_->setRange(0, INT_MAX);
    grid->addRow(tr("Seed"), seed_);
    steps_ = new QSpinBox;
    steps_->setObjectName(QStringLiteral("steps"));
    steps_->setRange(1, 100000);
    steps_->setValue(3);
    grid->addRow(tr("Steps"), steps_);
    mode_ = new QComboBox;
    mode_->setObjectName(QStringLiteral("trainMode"));
    mode_->addItems({QStringLiteral("train"), QStringLiteral("eval")});
    mode_->setToolTip(tr("model.train(): Dropout on, BatchNorm updates its running stats on every "
                         "forward.\nmodel.eval(): Dropout off, BatchNorm uses (and keeps) them."));
    device_ = new QComboBox;
    device_->setObjectName(QStringLiteral("trainDevice"));
    device_->addItems({QStringLiteral("cpu"), QStringLiteral("cuda")});
    auto* modeRow = new QHBoxLayout;
    modeRow->addWidget(mode_);
    modeRow->addWidget(device_);
    grid->addRow(tr("Mode"), modeRow);
    run_ = new QPushButton(tr("Train"));
    run_->setObjectName(QStringLiteral("runTraining"));
    cancel_ = new QPushButton(tr("Cancel"));
    cancel_->setObjectName(QStringLiteral("cancelTraining"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(run_);
    buttons->addWidget(cancel_);
    grid->addRow(buttons);
    progress_ = new QProgressBar;
    progress_->setRange(0, 1);
    progress_->setValue(0);
    grid->addRow(progress_);

    connect(optimizer_, &QComboBox::currentIndexChanged, this, &TrainPanel::updateOptimizerFields);
    connect(shape_, &QLineEdit::textChanged, this, &TrainPanel::validate);
    connect(run_, &QPushButton::clicked, this, [this] {
        const TrainRequest r = request();
        if (!r.inputShape.isEmpty())
            Q_EMIT runRequested(r);
    });
    connect(cancel_, &QPushButton::clicked, this, &TrainPanel::cancelRequested);
    return form;
}

void TrainPanel::updateOptimizerFields()
{
    const bool sgd = optimizer_->currentData().toString() == QLatin1String("sgd");
    momentum_->setEnabled(sgd);
    beta1_->setEnabled(!sgd);
    beta2_->setEnabled(!sgd);
    // The defaults a lesson starts from: Adam's own lr, a usual one for SGD.
    if (lr_->value() == (sgd ? 0.001 : 0.01))
        lr_->setValue(sgd ? 0.01 : 0.001);
}

void TrainPanel::validate()
{
    const bool valid = !parseShapeText(shape_->text()).isEmpty();
    shape_->setStyleSheet(valid || shape_->text().isEmpty() ? QString() : QStringLiteral("background: #fde2e0;"));
    setRunning(running_);
}

TrainRequest TrainPanel::request() const
{
    TrainRequest r;
    r.inputShape = parseShapeText(shape_->text());
    r.optimizer = optimizer_->currentData().toString();
    r.lr = lr_->value();
    r.momentum = momentum_->value();
    r.weightDecay = weightDecay_->value();
    r.beta1 = beta1_->value();
    r.beta2 = beta2_->value();
    r.loss = loss_->currentData().toString();
    r.seed = static_cast<quint64>(seed_->value());
    r.steps = steps_->value();
    r.train = mode_->currentText() == QLatin1String("train");
    r.device = device_->currentText();
    return r;
}

void TrainPanel::setInputShape(const QVector<qint64>& shape) { shape_->setText(shapeText(shape)); }

void TrainPanel::reset(const QVector<qint64>& defaultShape)
{
    QVector<qint64> shape = defaultShape;
    if (!shape.isEmpty())
        shape[0] = std::min<qint64>(shape[0], 8);
    setInputShape(shape);
    error_->clear();
    progress_->setRange(0, 1);
    progress_->setValue(0);
    results_->clear();
}

void TrainPanel::setCudaAvailability(bool available, const QString& reason)
{
    QStandardItem* cuda = qobject_cast<QStandardItemModel*>(device_->model())->item(1);
    cuda->setEnabled(available);
    cuda->setToolTip(available ? tr("Train on the GPU (the model stays there, as after model.to('cuda'))")
                               : tr("CUDA is unavailable: %1").arg(reason));
    device_->setToolTip(available ? QString() : cuda->toolTip());
    if (!available)
        device_->setCurrentIndex(0);
}

void TrainPanel::setRunning(bool running)
{
    running_ = running;
    run_->setEnabled(!running && !parseShapeText(shape_->text()).isEmpty());
    cancel_->setEnabled(running);
}

void TrainPanel::setProgress(int done, int total)
{
    progress_->setRange(0, total);
    progress_->setValue(done);
    progress_->setFormat(tr("step %v of %m"));
}

void TrainPanel::showReport(const TrainReport& report)
{
    setRunning(false);
    error_->setText(report.error);
    if (!report.ok && !report.cancelled && report.stepsDone == 0) {
        summary_->setText(report.refused ? tr("Training was not run: it would pass the memory budget. "
                                              "The model is unchanged.")
                                         : tr("Training raised an error before its first step; the "
                                              "model is unchanged."));
        results_->clear();
        return;
    }
    int byOptimizer = 0, byForward = 0, unchanged = 0, frozen = 0;
    for (const TrainedTensor& t : report.tensors) {
        byOptimizer += t.movedBy == QLatin1String("optimizer");
        byForward += t.movedBy == QLatin1String("forward");
        unchanged += !t.changed;
        frozen += t.frozen;
    }
    QString text = tr("<b>%1 step(s)</b> · loss %2 → <b>%3</b> · forward called %4 time(s), once "
                      "per step · output %5, target %6<br>"
                      "%7 tensor(s) changed by the optimizer, %8 by forward in train mode "
                      "(BatchNorm's running stats), %9 unchanged (%10 frozen).")
                       .arg(report.stepsDone)
                       .arg(report.losses.isEmpty() ? QString() : QString::number(report.losses.front(), 'g', 6))
                       .arg(report.losses.isEmpty() ? QString() : QString::number(report.losses.back(), 'g', 6))
                       .arg(report.forwardCalls)
                       .arg(report.outputShape, report.targetShape)
                       .arg(byOptimizer)
                       .arg(byForward)
                       .arg(unchanged)
                       .arg(frozen);
    if (report.cancelled)
        text = tr("Cancelled after %1 step(s); those steps stay applied, as in Python.<br>").arg(report.stepsDone) + text;
    summary_->setText(text);
    results_->showReport(report);
}

}  // namespace mx
