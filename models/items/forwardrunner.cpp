#include "items/forwardrunner.h"

#include "core/formatting.h"
#include "core/forward.h"
#include "core/modulenode.h"
#include "core/resourcebudget.h"
#include "core/runtime.h"

#include <QThread>

#include <algorithm>
#include <limits>

namespace mx {

namespace {

ForwardOptions toOptions(const ForwardRequest& r)
{
    ForwardOptions o;
    o.inputShape.assign(r.inputShape.begin(), r.inputShape.end());
    o.fill = r.fill == QLatin1String("zeros") ? InputFill::Zeros
             : r.fill == QLatin1String("ones") ? InputFill::Ones
             : r.fill == QLatin1String("rand") ? InputFill::Rand
             : r.fill == QLatin1String("ramp") ? InputFill::Ramp
                                               : InputFill::Randn;
    o.seed = r.seed;
    o.dtype = r.dtype.toStdString();
    o.device = r.device.toStdString();
    o.train = r.train;
    o.noGrad = r.noGrad;
    o.repeats = r.repeats;
    return o;
}

ForwardReport toReport(const ModuleNode& model, const ForwardResult& r, const ForwardRequest& request,
                       quint64 job)
{
    ForwardReport rep;
    rep.jobId = job;
    rep.request = request;
    rep.ok = r.ok;
    rep.cancelled = r.cancelled;
    rep.refused = r.refused;
    rep.error = QString::fromStdString(r.error);
    rep.returnedNone = r.returnedNone;
    rep.outputShape = r.returnedNone ? QStringLiteral("None")
                                     : QString::fromStdString(torchSize(r.outputShape));
    rep.preview = QVector<double>(r.preview.begin(), r.preview.end());
    for (const ModuleTrace& t : r.trace) {
        rep.trace.push_back({QString::fromStdString(t.module),
                             t.returnedNone ? QStringLiteral("None")
                                            : QString::fromStdString(torchSize(t.outputShape))});
    }
    if (r.ok || r.cancelled)
        for (const std::string& name : uncalledModules(model, r))
            rep.notCalled << QString::fromStdString(name);
    rep.medianMs = r.medianMs;
    rep.minMs = r.minMs;
    rep.maxMs = r.maxMs;
    rep.runs = static_cast<int>(r.timesMs.size());
    rep.forwardCalls = r.forwardCalls;
    rep.device = request.device;
    rep.inputBytes = r.inputBytes;
    rep.estimatedPeakBytes = r.estimatedPeakBytes;
    rep.measuredPeakBytes = r.measuredPeakBytes;
    if (r.estimate.measured)
        rep.largestBatch = std::min<int64_t>(r.estimate.largestBatchWithin(memoryBudgetBytes()),
                                             std::numeric_limits<qint64>::max());
    rep.deviceAfter = QString::fromStdString(r.deviceAfter);
    rep.movedDevice = r.movedDevice;
    for (const std::string& name : r.changedTensors)
        rep.changedTensors << QString::fromStdString(name);
    return rep;
}

}  // namespace

ForwardRunner::ForwardRunner(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<ForwardReport>();
    qRegisterMetaType<LatencyPoint>();
    qRegisterMetaType<TrainReport>();
}

ForwardRunner::~ForwardRunner() { stopAndWait(); }

bool ForwardRunner::cudaAvailable() { return mx::cudaAvailable(); }

QString ForwardRunner::cudaUnavailableReason()
{
    return QString::fromStdString(mx::cudaUnavailableReason());
}

QString ForwardRunner::checkInput(const ForwardRequest& request)
{
    const std::vector<int64_t> shape(request.inputShape.begin(), request.inputShape.end());
    return QString::fromStdString(checkForwardInput(shape, request.dtype.toStdString()));
}

qint64 ForwardRunner::largestBatchForInput(const ForwardRequest& request)
{
    uint64_t sample = request.dtype == QLatin1String("float64") ? 8 : 4;
    for (int i = 1; i < request.inputShape.size(); ++i) {
        const qint64 d = request.inputShape[i];
        if (d <= 0 || __builtin_mul_overflow(sample, static_cast<uint64_t>(d), &sample))
            return 0;
    }
    return static_cast<qint64>(std::min<uint64_t>(memoryBudgetBytes() / sample,
                                                  std::numeric_limits<qint64>::max()));
}

quint64 ForwardRunner::memoryBudget() { return memoryBudgetBytes(); }

QString ForwardRunner::formatBytes(quint64 bytes) { return QString::fromStdString(formatByteSize(bytes)); }

QString ForwardRunner::batchRefusal(qint64 batch, qint64 largestBatch)
{
    return tr("MemoryError: a batch of %1 is past Module Explorer's memory budget of %2 for this "
              "model and input (the last run's estimate fits at most %3; Preferences / "
              "--memory-budget)")
        .arg(batch)
        .arg(formatBytes(memoryBudgetBytes()))
        .arg(largestBatch);
}

bool ForwardRunner::isRunning() const
{
    return thread_ && thread_->isRunning() && !(workDone_ && workDone_->load());
}

quint64 ForwardRunner::launch(std::function<std::function<void()>(quint64 job)> work)
{
    if (isRunning())
        return 0;
    if (thread_) {
        thread_->wait();
        delete thread_;
    }
    useAllCores();
    const quint64 job = ++lastJob_;
    currentJob_ = job;
    auto done = std::make_shared<std::atomic<bool>>(false);
    workDone_ = done;
    thread_ = QThread::create([this, work = std::move(work), job, done] {
        std::function<void()> last = work(job);
        done->store(true);  // before the last signal: its receiver may start the next job
        deliver(job, std::move(last));
    });
    thread_->start();
    return job;
}

void ForwardRunner::deliver(quint64 job, std::function<void()> emitter)
{
    QMetaObject::invokeMethod(
        this,
        [this, job, emitter = std::move(emitter)] {
            if (job == currentJob_)
                emitter();
        },
        Qt::QueuedConnection);
}

bool ForwardRunner::start(ModuleNode* model, const ForwardRequest& request)
{
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    const ForwardOptions options = toOptions(request);
    const quint64 job = launch([this, model, options, cancel, request](quint64 id) {
        ForwardControl control;
        control.cancelled = [cancel] { return cancel->load(); };
        control.progress = [this, id](int done, int total) {
            deliver(id, [this, done, total] { Q_EMIT progress(done, total); });
            return true;
        };
        const ForwardReport report = toReport(*model, runForward(*model, options, control), request, id);
        return std::function<void()>([this, report] { Q_EMIT finished(report); });
    });
    if (job)
        cancel_ = cancel;
    return job != 0;
}

bool ForwardRunner::startTraining(ModuleNode* model, const TrainRequest& request)
{
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    const quint64 job = launch([this, model, cancel, request](quint64 id) {
        auto progress = [this, id, cancel](int done, int total) {
            deliver(id, [this, done, total] { Q_EMIT this->progress(done, total); });
            return !cancel->load();
        };
        TrainReport report = runTrainingReport(*model, request, progress);
        report.jobId = id;
        return std::function<void()>([this, report] { Q_EMIT trainingFinished(report); });
    });
    if (job)
        cancel_ = cancel;
    return job != 0;
}

bool ForwardRunner::startSweep(ModuleNode* model, const ForwardRequest& request,
                               const QVector<int>& batches)
{
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    const ForwardOptions base = toOptions(request);
    const quint64 job = launch([this, model, base, cancel, batches, device = request.device](quint64 id) {
        ForwardOptions options = base;
        ForwardControl control;
        control.cancelled = [cancel] { return cancel->load(); };
        QString error;
        MemoryEstimate estimate;
        if (!options.inputShape.empty()) {
            options.inputShape[0] = 4;
            try {
                estimate = estimateForwardMemory(*model, options, control.cancelled);
            } catch (const ForwardCancelled&) {
            }
        }
        control.estimate = &estimate;
        for (int i = 0; i < batches.size() && !cancel->load(); ++i) {
            if (!options.inputShape.empty())
                options.inputShape[0] = batches[i];
            std::string refusal = checkForwardInput(options.inputShape, options.dtype);
            if (refusal.empty())
                refusal = memoryRefusal(estimate, batches[i]);
            ForwardResult r;
            if (refusal.empty())
                r = runForward(*model, options, control);
            if (!refusal.empty() || r.refused) {
                const LatencyPoint skipped{device, batches[i], 0, id,
                                           QString::fromStdString(refusal.empty() ? r.error : refusal)};
                deliver(id, [this, skipped] { Q_EMIT sweepPoint(skipped); });
            } else if (!r.ok) {
                if (!r.cancelled)
                    error = QString::fromStdString(r.error);
                break;
            } else {
                const LatencyPoint point{device, batches[i], r.medianMs, id, {}};
                deliver(id, [this, point] { Q_EMIT sweepPoint(point); });
            }
            deliver(id, [this, done = i + 1, total = batches.size()] { Q_EMIT progress(done, total); });
        }
        const bool cancelled = cancel->load();
        return std::function<void()>([this, cancelled, error] { Q_EMIT sweepFinished(cancelled, error); });
    });
    if (job)
        cancel_ = cancel;
    return job != 0;
}

void ForwardRunner::cancel()
{
    if (cancel_)
        cancel_->store(true);
}

void ForwardRunner::invalidate()
{
    cancel();
    currentJob_ = 0;
}

void ForwardRunner::stopAndWait()
{
    invalidate();
    if (thread_) {
        thread_->wait();
        delete thread_;
        thread_ = nullptr;
    }
}

}  // namespace mx
