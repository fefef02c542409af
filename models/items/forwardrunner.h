#pragma once

#include "items/forwardtypes.h"

#include <QObject>

#include <atomic>
#include <memory>

class QThread;

namespace mx {
class ModuleNode;

/**
 * Runs forward passes of a model on a worker thread, with progress and cancel, and turns the
 * core's results into ForwardReports. One job at a time; the model must outlive the job.
 */
class ForwardRunner : public QObject {
    Q_OBJECT
public:
    explicit ForwardRunner(QObject* parent = nullptr);
    ~ForwardRunner() override;

    static bool cudaAvailable();
    static QString cudaUnavailableReason();

    bool isRunning() const;
    /** Starts one forward run (traced + timed). False when a job is already running. */
    bool start(ModuleNode* model, const ForwardRequest& request);
    /** Times forward at each batch size (the request's first dimension replaced). */
    bool startSweep(ModuleNode* model, const ForwardRequest& request, const QVector<int>& batches);
    /** Asks the job to stop before its next run. */
    void cancel();
    /** Cancels and blocks until the worker has finished (before the model goes away). */
    void stopAndWait();

Q_SIGNALS:
    void progress(int done, int total);
    void finished(const mx::ForwardReport& report);
    void sweepPoint(const mx::LatencyPoint& point);
    void sweepFinished(bool cancelled, const QString& error);

private:
    bool launch(std::function<void()> work);

    QThread* thread_ = nullptr;
    std::shared_ptr<std::atomic<bool>> cancel_;
};

}  // namespace mx
