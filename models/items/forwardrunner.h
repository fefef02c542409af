#pragma once

#include "items/forwardtypes.h"
#include "items/trainingtypes.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace mx {
class ModuleNode;

/**
 * Runs forward passes (and training steps) of a model on a worker thread, with progress and
 * cancel, and turns the core's results into ForwardReports (TrainReports). One job at a time.
 *
 * While a job runs it owns the model: it sets the train/eval flag of every module (restored
 * when it ends), moves parameters and buffers to the requested device with set_data (they stay
 * there), and in train mode BatchNorm updates running_mean, running_var and num_batches_tracked.
 * The caller must neither read nor edit the model (tensors, devices, flags, structure) from
 * start() until the job's `finished` / `sweepFinished` arrives or isRunning() is false, and the
 * model must outlive the job. The report says everything the GUI needs afterwards: the trace,
 * the modules forward never called, deviceAfter / movedDevice and changedTensors.
 *
 * Signals are emitted on the runner's thread, and only for the current job: after invalidate()
 * (or stopAndWait()) nothing of an earlier job arrives any more, however late it finishes.
 */
class ForwardRunner : public QObject {
    Q_OBJECT
public:
    explicit ForwardRunner(QObject* parent = nullptr);
    ~ForwardRunner() override;

    static bool cudaAvailable();
    static QString cudaUnavailableReason();
    /**
     * Checks a request's input before anything runs, as the job will: dimensions > 0, size
     * arithmetic without overflow, the input within the memory budget. "" or one error line.
     */
    static QString checkInput(const ForwardRequest& request);
    /** The largest first dimension whose input alone fits the memory budget (other dims and dtype kept). */
    static qint64 largestBatchForInput(const ForwardRequest& request);
    /** The memory budget in force (Preferences / --memory-budget), in bytes. */
    static quint64 memoryBudget();
    /** "1.5 GiB", "512 MiB": sizes as the messages write them. */
    static QString formatBytes(quint64 bytes);
    /** "MemoryError: ..." for `batch` when a report said at most `largestBatch` fit. */
    static QString batchRefusal(qint64 batch, qint64 largestBatch);

    /** Whether a job still uses the model (false as soon as it has made its last report). */
    bool isRunning() const;
    /** The job whose signals are delivered (its reports carry this id); 0 after invalidate(). */
    quint64 currentJobId() const { return currentJob_; }
    /** Starts one forward run (traced + timed). False when a job is already running. */
    bool start(ModuleNode* model, const ForwardRequest& request);
    /**
     * Times forward at each batch size (the request's first dimension replaced). One memory
     * estimate serves every size; a size past the budget is not run and comes as a LatencyPoint
     * with `skipped` set.
     */
    bool startSweep(ModuleNode* model, const ForwardRequest& request, const QVector<int>& batches);
    /** Runs training steps (core/training.h) as one job; `trainingFinished` reports it and
     *  `progress` counts steps. The same ownership rules as start() apply. */
    bool startTraining(ModuleNode* model, const TrainRequest& request);
    /** Asks the job to stop at the next submodule or run; it still reports (cancelled). */
    void cancel();
    /**
     * Cancels the job and drops every signal it has not delivered yet (progress, finished,
     * sweepPoint, sweepFinished): for a model being replaced or views being reset. Returns at
     * once; isRunning() stays true until the worker has stopped.
     */
    void invalidate();
    /** invalidate(), then blocks until the worker has finished (before the model goes away). */
    void stopAndWait();

Q_SIGNALS:
    void progress(int done, int total);
    void finished(const mx::ForwardReport& report);
    void sweepPoint(const mx::LatencyPoint& point);
    void sweepFinished(bool cancelled, const QString& error);
    void trainingFinished(const mx::TrainReport& report);

private:
    /** Starts `work` on a new worker; it returns the emitter of the job's last signal. */
    quint64 launch(std::function<std::function<void()>(quint64 job)> work);
    /** Runs `emitter` on the runner's thread if job `job` is still the current one. */
    void deliver(quint64 job, std::function<void()> emitter);

    QThread* thread_ = nullptr;
    std::shared_ptr<std::atomic<bool>> cancel_;
    std::shared_ptr<std::atomic<bool>> workDone_;  // the job no longer touches the model
    quint64 lastJob_ = 0;
    quint64 currentJob_ = 0;
};

}  // namespace mx
