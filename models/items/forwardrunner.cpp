#include "items/forwardrunner.h"

#include "core/formatting.h"
#include "core/forward.h"
#include "core/modulenode.h"
#include "core/runtime.h"

#include <QThread>


namespace mx {

namespace {

ForwardOptions toOptions(const ForwardRequest& r)
{
    ForwardOptions o;
    o.inputShape.assign(r.inputShape.begin(), r.inputShape.end());
    o.fill = r.fill == QLatin1String("zeros") ? InputFill::Zeros
             : r.fill == QLatin1String("ones") ? InputFill::Ones
             : r.fill == QLatin1String("rand") ? InputFill::Rand
                                               : InputFill::Randn;
    o.seed = r.seed;
    o.dtype = r.dtype.toStdString();
    o.device = r.device.toStdString();
    o.train = r.train;
    o.noGrad = r.noGrad;
    o.repeats = r.repeats;
    return o;
}

ForwardReport toReport(const ModuleNode& model, const ForwardResult& r, const QString& device)
{
    ForwardReport rep;
    rep.ok = r.ok;
    rep.cancelled = r.cancelled;
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
    rep.device = device;
    return rep;
}

}  // namespace

ForwardRunner::ForwardRunner(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<ForwardReport>();
    qRegisterMetaType<LatencyPoint>();
}

ForwardRunner::~ForwardRunner() { stopAndWait(); }

bool ForwardRunner::cudaAvailable() { return mx::cudaAvailable(); }

QString ForwardRunner::cudaUnavailableReason()
{
    return QString::fromStdString(mx::cudaUnavailableReason());
}

bool ForwardRunner::isRunning() const { return thread_ && thread_->isRunning(); }

bool ForwardRunner::launch(std::function<void()> work)
{
    if (isRunning())
        return false;
    if (thread_) {
        thread_->wait();
        delete thread_;
    }
    useAllCores();
    thread_ = QThread::create(std::move(work));
    thread_->start();
    return true;
}

bool ForwardRunner::start(ModuleNode* model, const ForwardRequest& request)
{
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    const ForwardOptions options = toOptions(request);
    const bool ok = launch([this, model, options, cancel, device = request.device] {
        const ForwardResult result = runForward(*model, options, [this, cancel](int done, int total) {
            Q_EMIT progress(done, total);
            return !cancel->load();
        });
        Q_EMIT finished(toReport(*model, result, device));
    });
    if (ok)
        cancel_ = cancel;
    return ok;
}

bool ForwardRunner::startSweep(ModuleNode* model, const ForwardRequest& request,
                               const QVector<int>& batches)
{
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    ForwardOptions options = toOptions(request);
    const bool ok = launch([this, model, options, cancel, batches, device = request.device]() mutable {
        QString error;
        for (int i = 0; i < batches.size() && !cancel->load(); ++i) {
            options.inputShape[0] = batches[i];
            const ForwardResult r = runForward(*model, options, [cancel](int, int) {
                return !cancel->load();
            });
            if (!r.ok) {
                if (!r.cancelled)
                    error = QString::fromStdString(r.error);
                break;
            }
            Q_EMIT sweepPoint({device, batches[i], r.medianMs});
            Q_EMIT progress(i + 1, batches.size());
        }
        Q_EMIT sweepFinished(cancel->load(), error);
    });
    if (ok)
        cancel_ = cancel;
    return ok;
}

void ForwardRunner::cancel()
{
    if (cancel_)
        cancel_->store(true);
}

void ForwardRunner::stopAndWait()
{
    cancel();
    if (thread_) {
        thread_->wait();
        delete thread_;
        thread_ = nullptr;
    }
}

}  // namespace mx
