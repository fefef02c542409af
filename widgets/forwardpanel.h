#pragma once

#include "items/forwardtypes.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace mx {
class LatencyChart;

/**
 * The Forward panel: input spec (shape, fill, seed, dtype), device, mode, no_grad and repeats;
 * Run / Cancel with progress; the output, timing and PyTorch's error text; and the latency chart.
 * It only asks for runs (signals) and shows reports; the runner does the work off the GUI thread.
 */
class ForwardPanel : public QWidget {
    Q_OBJECT
public:
    explicit ForwardPanel(QWidget* parent = nullptr);

    /** The request the form describes (inputShape empty when the shape text is invalid). */
    ForwardRequest request() const;
    /** Batch sizes the latency sweep times: 1, 2, 4, ..., 256. */
    static QVector<int> sweepBatches();
    LatencyChart* chart() const { return chart_; }

    void setInputShape(const QVector<qint64>& shape);
    /**
     * A new model: clears the result, error, progress and latency chart, forgets what earlier
     * runs learnt about memory, leaves the running state and shows `defaultShape`. Charts are
     * then titled with `modelName` and the input they measure.
     */
    void reset(const QString& modelName, const QVector<qint64>& defaultShape);
    /** Why the form's input cannot run ("" when it can): its size or the memory budget. */
    QString inputRefusal() const;
    void setCudaAvailability(bool available, const QString& reason);
    void setRunning(bool running);
    void setProgress(int done, int total);
    void showReport(const mx::ForwardReport& report);
    /** The model has no forward (e.g. TorchScript could not compile it): says why until reset. */
    void showForwardUnavailable(const QString& reason);
    void addLatencyPoint(const mx::LatencyPoint& point);
    void showSweepFinished(bool cancelled, const QString& error);

Q_SIGNALS:
    void runRequested(const mx::ForwardRequest& request);
    void sweepRequested(const mx::ForwardRequest& request, const QVector<int>& batches);
    void cancelRequested();

private:
    QWidget* buildForm();
    QWidget* buildResults();
    void syncBatchFromShape();
    void syncShapeFromBatch(int batch);
    /** Checks the form against the memory budget: message, batch box maximum, buttons. */
    void validateInput();
    /** Titles the chart for a sweep of `request`; clears it when it held another model or input. */
    void prepareChart(const ForwardRequest& request);
    QString describeInput(const ForwardRequest& request, bool batchVaries) const;
    void exportChart();

    QLineEdit* shape_;
    QSpinBox* batch_;
    QComboBox* fill_;
    QSpinBox* seed_;
    QComboBox* dtype_;
    QComboBox* device_;
    QComboBox* mode_;
    QCheckBox* noGrad_;
    QSpinBox* repeats_;
    QPushButton* run_;
    QPushButton* sweep_;
    QPushButton* cancel_;
    QPushButton* export_;
    QProgressBar* progress_;
    QLabel* output_;
    QLabel* preview_;
    QLabel* error_;
    QLabel* inputCheck_;
    LatencyChart* chart_;
    bool running_ = false;
    QString modelName_;
    QString chartContext_;    // the model and input the chart's lines measured
    QStringList skipped_;     // sweep sizes refused for memory, with the first refusal's text
    /** What the last run's estimate said fits, for the input it measured. */
    struct KnownLimit {
        QVector<qint64> tail;  // the input's dimensions after the batch
        QString dtype;
        bool noGrad = true;
        bool train = false;
        quint64 budget = 0;
        qint64 largestBatch = 0;
    };
    KnownLimit known_;
    /** The largest batch the last estimate allows for `request` (0: nothing known). */
    qint64 knownLargestBatch(const ForwardRequest& request) const;
};

}  // namespace mx
