#pragma once

#include "core/tensorslice.h"
#include "core/tensorstats.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <vector>

namespace mx {

/** One finished inspection: the tensor's statistics, its difference from the pinned tensor and
 *  the reduced grid its default plot draws (1-D, 2-D and N-D slices). */
struct Inspection {
    quint64 generation = 0;
    QString name;
    TensorStats stats;
    bool compared = false;  // a pinned tensor of the same shape and dtype: `difference` is set
    TensorStats difference;
    QString compareNote;    // why there is no difference ("" when compared or nothing pinned)
    bool hasGrid = false;
    ReducedGrid grid;
    std::vector<int64_t> slice;          // the leading indices of the plotted 2-D slice
    int64_t gridRows = 0, gridCols = 0;  // the slice's own size
};

/** What one inspection reads. */
struct InspectionRequest {
    QString name;
    TensorRef tensor;
    std::vector<int64_t> slice;  // one index per leading dimension beyond two (missing: 0)
    int bins = 100;
    int gridRows = 512, gridCols = 1024;  // the plot's grid limit in cells
    TensorRef pinned;  // None: no comparison
    QString pinnedName;
};

/** Runs one inspection on the calling thread (the worker's job; --stats and --plot call it
 *  directly). `cancel` may be null. */
Inspection runInspection(const InspectionRequest& request, const std::atomic<bool>* cancel = nullptr);

/**
 * Computes what the Inspector shows of one tensor off the GUI thread: statistics and the
 * histogram, the difference from a pinned copy, and the plot's grid reduced to screen size. A new
 * request cancels the one running, and a late result of an earlier request never arrives
 * (results carry a generation; only the current one is delivered).
 */
class TensorInspector : public QObject {
    Q_OBJECT
public:
    explicit TensorInspector(QObject* parent = nullptr);
    ~TensorInspector() override;  // cancels and waits for the running job

    /** Starts inspecting `tensor` shown as `name`; the job reads the slice at `fixed` (one index
     *  per leading dimension beyond two) for the plot. */
    void inspect(const QString& name, const TensorRef& tensor, const std::vector<int64_t>& fixed = {});
    /** Runs the current request again (after an edit, a new bin count or slice). */
    void refresh();
    /** Stops showing a tensor: cancels the job and announces `reason` ("nothing selected"). */
    void clear(const QString& reason);

    void setBins(int bins);
    int bins() const { return bins_; }
    void setSlice(const std::vector<int64_t>& fixed);
    const std::vector<int64_t>& slice() const { return fixed_; }
    /** The plot's grid limit in cells (the plot's size in pixels). */
    void setGridLimit(int rows, int cols);

    /** Keeps a private copy of the current tensor to compare later ones with; false with a
     *  MemoryError line when the copy would pass the memory budget. */
    bool pin(QString* error);
    void unpin();
    bool hasPin() const { return !pinned_.isNone(); }
    QString pinnedName() const { return pinnedName_; }

    const TensorRef& tensor() const { return tensor_; }
    QString name() const { return name_; }
    bool isRunning() const { return cancel_ != nullptr; }
    quint64 generation() const { return generation_; }
    /** The last delivered inspection (generation 0 before any). */
    const Inspection& last() const { return last_; }

Q_SIGNALS:
    void started(const QString& name);
    void finished(const mx::Inspection& inspection);
    void cleared(const QString& reason);
    void pinChanged();

private:
    void cancelRunning();

    QThreadPool pool_;
    TensorRef tensor_;
    QString name_;
    std::vector<int64_t> fixed_;
    int bins_ = 100;
    int gridRows_ = 512, gridCols_ = 1024;
    TensorRef pinned_;
    QString pinnedName_;
    std::shared_ptr<std::atomic<bool>> cancel_;  // the running job's; null when none runs
    quint64 generation_ = 0;
    Inspection last_;
};

}  // namespace mx

Q_DECLARE_METATYPE(mx::Inspection)
