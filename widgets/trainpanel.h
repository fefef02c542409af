#pragma once

#include "items/trainingtypes.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace mx {
class TrainResults;

/**
 * The Train dock: optimizer (SGD with lr / momentum / weight decay, Adam with lr / betas /
 * weight decay), loss (cross-entropy on random class targets, MSE on a random target), input
 * shape, seed, steps and mode; Train / Cancel with progress; then what the steps did (TrainResults).
 * It only asks for runs (signals) and shows reports; the runner trains off the GUI thread.
 */
class TrainPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainPanel(QWidget* parent = nullptr);

    /** The request the form describes (inputShape empty when the shape text is invalid). */
    TrainRequest request() const;
    void setInputShape(const QVector<qint64>& shape);
    /** A new model: clears results and shows `defaultShape` (batch 8 at most, so a step is quick). */
    void reset(const QVector<qint64>& defaultShape);
    /** Enables "cuda" in the device box, or disables it with the reason as its tooltip. */
    void setCudaAvailability(bool available, const QString& reason);
    void setRunning(bool running);
    void setProgress(int done, int total);
    void showReport(const mx::TrainReport& report);
    TrainResults* results() const { return results_; }

Q_SIGNALS:
    void runRequested(const mx::TrainRequest& request);
    void cancelRequested();
    void inspectRequested(const QString& name, const mx::TensorRef& tensor);

private:
    QWidget* buildForm();
    void updateOptimizerFields();
    void validate();

    QComboBox* optimizer_;
    QDoubleSpinBox* lr_;
    QDoubleSpinBox* momentum_;
    QDoubleSpinBox* beta1_;
    QDoubleSpinBox* beta2_;
    QDoubleSpinBox* weightDecay_;
    QComboBox* loss_;
    QLineEdit* shape_;
    QSpinBox* seed_;
    QSpinBox* steps_;
    QComboBox* mode_;
    QComboBox* device_;
    QPushButton* run_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel* summary_;
    QLabel* error_;
    TrainResults* results_;
    bool running_ = false;
};

}  // namespace mx
