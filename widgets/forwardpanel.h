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
    void setCudaAvailability(bool available, const QString& reason);
    void setRunning(bool running);
    void setProgress(int done, int total);
    void showReport(const mx::ForwardReport& report);
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
    LatencyChart* chart_;
    bool running_ = false;
};

}  // namespace mx
