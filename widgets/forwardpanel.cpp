#include "widgets/forwardpanel.h"

#include "widgets/shapetext.h"

#include "items/forwardrunner.h"
#include "widgets/latencychart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStandardItemModel>

#include <algorithm>
#include <climits>

namespace mx {

ForwardPanel::ForwardPanel(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("forwardPanel"));
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(buildForm());
    layout->addWidget(buildResults(), 2);
    chart_ = new LatencyChart;
    layout->addWidget(chart_, 2);
    validateInput();
}

QWidget* ForwardPanel::buildForm()
{
    auto* form = new QWidget;
    auto* grid = new QFormLayout(form);
    grid->setContentsMargins(0, 0, 0, 0);

    shape_ = new QLineEdit(QStringLiteral("64x1x28x28"));
    shape_->setObjectName(QStringLiteral("inputShape"));
    shape_->setToolTip(tr("Input size, dimensions joined by 'x' (batch first), e.g. 64x1x28x28"));
    batch_ = new QSpinBox;
    batch_->setRange(1, 65536);
    batch_->setValue(64);
    auto* shapeRow = new QHBoxLayout;
    shapeRow->addWidget(shape_, 1);
    shapeRow->addWidget(new QLabel(tr("batch")));
    shapeRow->addWidget(batch_);
    grid->addRow(tr("Input shape"), shapeRow);
    inputCheck_ = new QLabel;
    inputCheck_->setObjectName(QStringLiteral("forwardInputCheck"));
    inputCheck_->setWordWrap(true);
    inputCheck_->setStyleSheet(QStringLiteral("color: #b03a2e;"));
    inputCheck_->setVisible(false);
    grid->addRow(inputCheck_);

    fill_ = new QComboBox;
    fill_->addItems({QStringLiteral("randn"), QStringLiteral("rand"), QStringLiteral("zeros"),
                     QStringLiteral("ones"), QStringLiteral("ramp")});
    fill_->setItemData(4, tr("arange(numel) / numel, reshaped: the same input in every run"),
                       Qt::ToolTipRole);
    seed_ = new QSpinBox;
    seed_->setRange(0, 2147483647);
    seed_->setPrefix(tr("seed "));
    dtype_ = new QComboBox;
    dtype_->addItems({QStringLiteral("float32"), QStringLiteral("float64")});
    auto* fillRow = new QHBoxLayout;
    fillRow->addWidget(fill_);
    fillRow->addWidget(seed_);
    fillRow->addWidget(dtype_);
    grid->addRow(tr("Fill"), fillRow);

    device_ = new QComboBox;
    device_->setObjectName(QStringLiteral("device"));
    device_->addItems({QStringLiteral("cpu"), QStringLiteral("cuda")});
    mode_ = new QComboBox;
    mode_->setObjectName(QStringLiteral("mode"));
    mode_->addItems({QStringLiteral("eval"), QStringLiteral("train")});
    mode_->setToolTip(tr("eval(): Dropout off, BatchNorm uses running stats.\n"
                         "train(): Dropout on, BatchNorm updates running_mean, running_var and "
                         "num_batches_tracked."));
    noGrad_ = new QCheckBox(QStringLiteral("no_grad"));
    noGrad_->setChecked(true);
    auto* deviceRow = new QHBoxLayout;
    deviceRow->addWidget(device_);
    deviceRow->addWidget(mode_);
    deviceRow->addWidget(noGrad_);
    grid->addRow(tr("Run on"), deviceRow);

    repeats_ = new QSpinBox;
    repeats_->setObjectName(QStringLiteral("repeatsSpin"));
    repeats_->setRange(1, 1000);
    repeats_->setValue(10);
    repeats_->setSuffix(tr(" timed runs"));
    grid->addRow(tr("Repeat"), repeats_);

    run_ = new QPushButton(tr("Run forward"));
    run_->setObjectName(QStringLiteral("runForward"));
    run_->setDefault(true);
    cancel_ = new QPushButton(tr("Cancel"));
    cancel_->setObjectName(QStringLiteral("cancelForward"));
    sweep_ = new QPushButton(tr("Latency vs batch"));
    sweep_->setObjectName(QStringLiteral("latencySweep"));
    sweep_->setToolTip(tr("Time forward at batch sizes 1, 2, 4, ..., 256 on the chosen device"));
    export_ = new QPushButton(tr("Export chart…"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(run_);
    buttons->addWidget(cancel_);
    buttons->addWidget(sweep_);
    buttons->addWidget(export_);
    grid->addRow(buttons);
    progress_ = new QProgressBar;
    progress_->setTextVisible(true);
    grid->addRow(progress_);

    connect(shape_, &QLineEdit::textChanged, this, &ForwardPanel::syncBatchFromShape);
    connect(batch_, &QSpinBox::valueChanged, this, &ForwardPanel::syncShapeFromBatch);
    for (QComboBox* box : {dtype_, mode_})
        connect(box, &QComboBox::currentTextChanged, this, &ForwardPanel::validateInput);
    connect(noGrad_, &QCheckBox::toggled, this, &ForwardPanel::validateInput);
    connect(run_, &QPushButton::clicked, this, [this] {
        validateInput();  // the budget may have changed since the last keystroke
        if (inputRefusal().isEmpty())
            Q_EMIT runRequested(request());
    });
    connect(sweep_, &QPushButton::clicked, this, [this] {
        const ForwardRequest r = request();
        prepareChart(r);
        Q_EMIT sweepRequested(r, sweepBatches());
    });
    connect(cancel_, &QPushButton::clicked, this, &ForwardPanel::cancelRequested);
    connect(export_, &QPushButton::clicked, this, &ForwardPanel::exportChart);
    return form;
}

QWidget* ForwardPanel::buildResults()
{
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    output_ = new QLabel(tr("Run forward to see the output shape and each submodule's output "
                            "in the tree."));
    output_->setObjectName(QStringLiteral("forwardOutput"));
    preview_ = new QLabel;
    preview_->setObjectName(QStringLiteral("forwardPreview"));
    error_ = new QLabel;
    error_->setObjectName(QStringLiteral("forwardError"));
    error_->setStyleSheet(QStringLiteral("color: #b03a2e;"));
    for (QLabel* l : {output_, preview_, error_}) {
        l->setWordWrap(true);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(l);
    }
    layout->addStretch(1);
    return box;
}

ForwardRequest ForwardPanel::request() const
{
    ForwardRequest r;
    r.inputShape = parseShapeText(shape_->text());
    r.fill = fill_->currentText();
    r.seed = static_cast<quint64>(seed_->value());
    r.dtype = dtype_->currentText();
    r.device = device_->currentText();
    r.train = mode_->currentText() == QLatin1String("train");
    r.noGrad = noGrad_->isChecked();
    r.repeats = repeats_->value();
    return r;
}

QVector<int> ForwardPanel::sweepBatches() { return {1, 2, 4, 8, 16, 32, 64, 128, 256}; }

void ForwardPanel::setInputShape(const QVector<qint64>& shape) { shape_->setText(shapeText(shape)); }

void ForwardPanel::setCudaAvailability(bool available, const QString& reason)
{
    auto* model = qobject_cast<QStandardItemModel*>(device_->model());
    QStandardItem* cuda = model->item(1);
    cuda->setEnabled(available);
    cuda->setToolTip(available ? tr("Run on the GPU") : tr("CUDA is unavailable: %1").arg(reason));
    device_->setToolTip(available ? QString() : cuda->toolTip());
    if (!available)
        device_->setCurrentIndex(0);
}

void ForwardPanel::syncBatchFromShape()
{
    validateInput();
    const QVector<qint64> dims = parseShapeText(shape_->text());
    if (!dims.isEmpty()) {
        const QSignalBlocker block(batch_);
        batch_->setValue(static_cast<int>(std::min<qint64>(dims[0], batch_->maximum())));
    }
}

qint64 ForwardPanel::knownLargestBatch(const ForwardRequest& r) const
{
    if (known_.largestBatch <= 0 || r.inputShape.isEmpty() ||
        known_.budget != ForwardRunner::memoryBudget() || known_.dtype != r.dtype ||
        known_.noGrad != r.noGrad || known_.train != r.train ||
        known_.tail != r.inputShape.mid(1))
        return 0;
    return known_.largestBatch;
}

QString ForwardPanel::inputRefusal() const
{
    const ForwardRequest r = request();
    if (r.inputShape.isEmpty())
        return tr("Enter the input size as positive dimensions joined by 'x', batch first, e.g. "
                  "64x1x28x28.");
    const QString check = ForwardRunner::checkInput(r);
    if (!check.isEmpty())
        return check;
    const qint64 largest = knownLargestBatch(r);
    if (largest > 0 && r.inputShape[0] > largest)
        return ForwardRunner::batchRefusal(r.inputShape[0], largest);
    return {};
}

void ForwardPanel::validateInput()
{
    const ForwardRequest r = request();
    // The batch box offers what the field accepts: the input alone, and what the last estimate
    // for this model and input said, within the budget.
    qint64 largest = INT_MAX;
    if (!r.inputShape.isEmpty()) {
        largest = std::min(largest, ForwardRunner::largestBatchForInput(r));
        if (const qint64 known = knownLargestBatch(r))
            largest = std::min(largest, known);
    }
    {
        const QSignalBlocker block(batch_);
        batch_->setMaximum(static_cast<int>(std::max<qint64>(1, largest)));
    }
    const QString refusal = inputRefusal();
    const bool unparsed = r.inputShape.isEmpty();
    inputCheck_->setText(unparsed ? QString() : refusal);
    inputCheck_->setVisible(!unparsed && !refusal.isEmpty());
    shape_->setStyleSheet(refusal.isEmpty() ? QString() : QStringLiteral("background: #fde2e0;"));
    setRunning(running_);
}

void ForwardPanel::syncShapeFromBatch(int batch)
{
    QVector<qint64> dims = parseShapeText(shape_->text());
    if (dims.isEmpty())
        return;
    dims[0] = batch;
    const QSignalBlocker block(shape_);
    shape_->setText(shapeText(dims));
}

void ForwardPanel::setRunning(bool running)
{
    running_ = running;
    ForwardRequest one = request();
    if (!one.inputShape.isEmpty())
        one.inputShape[0] = 1;
    run_->setEnabled(!running && inputRefusal().isEmpty());
    // Train mode calls forward once per click (each call moves BatchNorm's running stats), so
    // timing repeats and the sweep, which call it many times, are offered in eval mode only.
    const bool train = one.train;
    repeats_->setEnabled(!train);
    repeats_->setToolTip(train ? tr("In train mode forward runs exactly once per click: every call "
                                    "updates BatchNorm's running stats and num_batches_tracked. "
                                    "Timing repeats run in eval mode.")
                               : QString());
    sweep_->setToolTip(train ? tr("The latency sweep runs in eval mode only: in train mode every "
                                  "call would update BatchNorm's running stats.")
                             : tr("Time forward at batch sizes 1, 2, 4, ..., 256 on the chosen device"));
    // The sweep picks its own batch sizes (and skips those past the budget): it needs a valid input.
    sweep_->setEnabled(!running && !train && !one.inputShape.isEmpty() &&
                       ForwardRunner::checkInput(one).isEmpty());
    cancel_->setEnabled(running);
    if (!running)
        progress_->setRange(0, 1);
}

void ForwardPanel::setProgress(int done, int total)
{
    progress_->setRange(0, total);
    progress_->setValue(done);
}

void ForwardPanel::showReport(const ForwardReport& report)
{
    error_->clear();
    preview_->clear();
    if (report.largestBatch > 0 && !report.request.inputShape.isEmpty()) {
        known_ = {report.request.inputShape.mid(1), report.request.dtype, report.request.noGrad,
                  report.request.train, ForwardRunner::memoryBudget(), report.largestBatch};
        validateInput();
    }
    if (report.cancelled) {
        output_->setText(tr("Cancelled."));
        return;
    }
    if (report.refused) {
        output_->setText(tr("forward was not run: it would pass the memory budget. The model is "
                            "unchanged."));
        error_->setText(report.error);
        return;
    }
    if (!report.ok) {
        output_->setText(tr("forward raised an error; the model is unchanged."));
        error_->setText(report.error);
        return;
    }
    const QString timing =
        report.request.train
            ? tr("<b>%1 ms</b> · forward called <b>once</b> (train mode: one click is one batch "
                 "for BatchNorm) on %2 · peak memory %3")
                  .arg(report.medianMs, 0, 'f', 2)
                  .arg(report.device)
                  .arg(ForwardRunner::formatBytes(report.measuredPeakBytes))
            : tr("median <b>%1 ms</b> (min %2, max %3) · forward called %4 times (1 traced, 1 "
                 "warm-up, %5 timed) on %6 · peak memory %7")
                  .arg(report.medianMs, 0, 'f', 2)
                  .arg(report.minMs, 0, 'f', 2)
                  .arg(report.maxMs, 0, 'f', 2)
                  .arg(report.forwardCalls)
                  .arg(report.runs)
                  .arg(report.device)
                  .arg(ForwardRunner::formatBytes(report.measuredPeakBytes));
    if (report.returnedNone) {
        output_->setText(tr("<b>forward returned None</b> (its body is <code>pass</code>)<br>%1")
                             .arg(timing));
        return;
    }
    output_->setText(tr("<b>Output:</b> %1<br>%2").arg(report.outputShape, timing));
    QStringList values;
    for (double v : report.preview)
        values << QString::number(v, 'g', 4);
    preview_->setText(tr("First values: [%1, …]%2")
                          .arg(values.join(QStringLiteral(", ")),
                               report.notCalled.isEmpty()
                                   ? QString()
                                   : tr("<br>Not called by forward: %1")
                                         .arg(report.notCalled.join(QStringLiteral(", ")))));
}

void ForwardPanel::addLatencyPoint(const LatencyPoint& point)
{
    if (!point.skipped.isEmpty()) {
        if (skipped_.isEmpty())
            skipped_ << point.skipped;
        skipped_ << QString::number(point.batch);
        return;
    }
    chart_->addPoint(point.device, point.batch, point.medianMs);
}

void ForwardPanel::showSweepFinished(bool cancelled, const QString& error)
{
    if (!error.isEmpty())
        error_->setText(error);
    else if (cancelled)
        output_->setText(tr("Latency sweep cancelled."));
    if (!skipped_.isEmpty())
        error_->setText(tr("Not timed: batch %1 (%2)")
                            .arg(skipped_.mid(1).join(QStringLiteral(", ")), skipped_.first()));
    skipped_.clear();
}

QString ForwardPanel::describeInput(const ForwardRequest& r, bool batchVaries) const
{
    QStringList dims;
    for (int i = 0; i < r.inputShape.size(); ++i)
        dims << (i == 0 && batchVaries ? QStringLiteral("N") : QString::number(r.inputShape[i]));
    const QString model = modelName_.isEmpty() ? tr("model") : modelName_;
    return tr("%1 · input %2 %3 · %4%5")
        .arg(model, dims.join(QStringLiteral("×")), r.dtype,
             r.train ? QStringLiteral("train") : QStringLiteral("eval"),
             r.noGrad ? QStringLiteral(", no_grad") : QString());
}

void ForwardPanel::prepareChart(const ForwardRequest& request)
{
    const QString context = describeInput(request, true);
    if (context != chartContext_)
        chart_->clear();  // its lines measured another model or input
    chartContext_ = context;
    chart_->setTitle(context);
    skipped_.clear();
}

void ForwardPanel::showForwardUnavailable(const QString& reason)
{
    output_->setText(tr("This model has no forward to run:"));
    error_->setText(reason);
}

void ForwardPanel::reset(const QString& modelName, const QVector<qint64>& defaultShape)
{
    modelName_ = modelName;
    known_ = {};
    skipped_.clear();
    chartContext_.clear();
    chart_->clear();
    chart_->setTitle(QString());
    output_->setText(tr("Run forward to see the output shape and each submodule's output "
                        "in the tree."));
    preview_->clear();
    error_->clear();
    progress_->setRange(0, 1);
    progress_->setValue(0);
    setRunning(false);
    setInputShape(defaultShape);
    validateInput();
}

void ForwardPanel::exportChart()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export chart"), QStringLiteral("latency.png"),
        tr("PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)"));
    QString error;
    if (!path.isEmpty() && !chart_->exportTo(path, &error))
        QMessageBox::critical(this, tr("Export chart"),
                              tr("The chart was not exported: %1.\nAn existing file was left as it was.").arg(error));
}

}  // namespace mx
