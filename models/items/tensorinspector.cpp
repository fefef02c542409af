#include "items/tensorinspector.h"

#include <QPointer>

namespace mx {

namespace {

// The plot's grid: 1-D tensors as one row, 2-D and more as the chosen slice; 0-d and 4-D conv
// kernels need none (a value, and kernels read cell by cell).
bool wantsGrid(const TensorRef& t)
{
    const size_t dims = t.shape().size();
    return dims >= 1 && !t.isNone();
}

}  // namespace

Inspection runInspection(const InspectionRequest& q, const std::atomic<bool>* cancel)
{
    Inspection r;
    r.name = q.name;
    const size_t dims = q.tensor.shape().size();
    r.slice = q.slice;
    r.slice.resize(dims > 2 ? dims - 2 : 0, 0);  // missing leading indices are 0
    r.stats = computeTensorStats(q.tensor, q.bins, cancel);
    if (!q.pinned.isNone()) {
        if (q.pinned.shape() != q.tensor.shape() || q.pinned.dtypeName() != q.tensor.dtypeName()) {
            r.compareNote = QObject::tr("'%1' is pinned: select a tensor of its shape and dtype to "
                                        "compare")
                                .arg(q.pinnedName);
        } else {
            r.difference = computeDifferenceStats(q.tensor, q.pinned, q.bins, cancel);
            r.compared = true;
        }
    }
    if (wantsGrid(q.tensor)) {
        const TensorSlice slice(q.tensor, r.slice);
        if (slice.valid()) {
            r.grid = reduceSlice(slice, slice.rows() == 1 ? 1 : q.gridRows, q.gridCols, cancel);
            r.hasGrid = !r.grid.cancelled;
            r.gridRows = slice.rows();
            r.gridCols = slice.cols();
        }
    }
    return r;
}

TensorInspector::TensorInspector(QObject* parent) : QObject(parent)
{
    // Two workers: a cancelled job finishing its block never delays the next one much.
    pool_.setMaxThreadCount(2);
}

TensorInspector::~TensorInspector()
{
    cancelRunning();
    pool_.waitForDone();
}

void TensorInspector::cancelRunning()
{
    if (cancel_)
        cancel_->store(true);
    cancel_.reset();
}

void TensorInspector::inspect(const QString& name, const TensorRef& tensor,
                              const std::vector<int64_t>& fixed)
{
    name_ = name;
    tensor_ = tensor;
    const size_t dims = tensor.shape().size();
    fixed_ = fixed;
    fixed_.resize(dims > 2 ? dims - 2 : 0, 0);
    refresh();
}

void TensorInspector::refresh()
{
    cancelRunning();
    if (tensor_.isNone()) {
        clear(tr("nothing selected"));
        return;
    }
    const quint64 generation = ++generation_;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    cancel_ = cancel;
    Q_EMIT started(name_);

    InspectionRequest request;
    request.name = name_;
    request.tensor = tensor_;
    request.slice = fixed_;
    request.bins = bins_;
    request.gridRows = gridRows_;
    request.gridCols = gridCols_;
    request.pinned = pinned_;
    request.pinnedName = pinnedName_;
    QPointer<TensorInspector> self(this);
    pool_.start([self, request, cancel, generation] {
        Inspection r = runInspection(request, cancel.get());
        r.generation = generation;
        if (cancel->load())
            return;
        QMetaObject::invokeMethod(self, [self, r] {
            if (!self || r.generation != self->generation_)
                return;  // a newer request (or a clear) came meanwhile
            self->cancel_.reset();
            self->last_ = r;
            Q_EMIT self->finished(self->last_);
        }, Qt::QueuedConnection);
    });
}

void TensorInspector::clear(const QString& reason)
{
    cancelRunning();
    ++generation_;
    tensor_ = TensorRef();
    name_.clear();
    last_ = Inspection();
    Q_EMIT cleared(reason);
}

void TensorInspector::setBins(int bins)
{
    bins = std::clamp(bins, 1, kMaxHistogramBins);
    if (bins == bins_)
        return;
    bins_ = bins;
    if (!tensor_.isNone())
        refresh();
}

void TensorInspector::setSlice(const std::vector<int64_t>& fixed)
{
    if (fixed == fixed_)
        return;
    fixed_ = fixed;
    if (!tensor_.isNone())
        refresh();
}

void TensorInspector::setGridLimit(int rows, int cols)
{
    gridRows_ = std::max(1, rows);
    gridCols_ = std::max(1, cols);
}

bool TensorInspector::pin(QString* error)
{
    if (tensor_.isNone()) {
        *error = tr("select a tensor to pin");
        return false;
    }
    std::string why;
    TensorRef copy = snapshotTensor(tensor_, &why);
    if (copy.isNone()) {
        *error = QString::fromStdString(why);
        return false;
    }
    pinned_ = copy;
    pinnedName_ = name_;
    Q_EMIT pinChanged();
    refresh();
    return true;
}

void TensorInspector::unpin()
{
    pinned_ = TensorRef();
    pinnedName_.clear();
    Q_EMIT pinChanged();
    if (!tensor_.isNone())
        refresh();
}

}  // namespace mx
