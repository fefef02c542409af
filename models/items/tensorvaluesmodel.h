#pragma once

#include "core/tensorslice.h"

#include <QAbstractTableModel>
#include <QModelIndexList>

#include <vector>

namespace mx {

/**
 * The values of one 2-D slice of a tensor as a table (rows and columns are the tensor's last two
 * dimensions). Lazy: a cell's text is made when a view asks for it, from that one element, so a
 * 25.7 M-element weight scrolls as fast as a small one. Reads nothing while reads are not allowed.
 */
class TensorValuesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit TensorValuesModel(QObject* parent = nullptr);

    /** Shows `tensor` at the slice `fixed` (one index per leading dimension); resets. None, a
     *  tensor on another device or a bad index shows no cells and says why in error(). */
    void setTensor(const TensorRef& tensor, const std::vector<int64_t>& fixed = {});
    void clear();
    QString error() const { return QString::fromStdString(slice_.error()); }
    const std::vector<int64_t>& fixed() const { return fixed_; }
    /** false while a job may change the tensor on another thread: cells show "…". */
    void setReadsAllowed(bool allowed);

    /** The selected cells as tab-separated text, one line per row of the selection's bounding
     *  box (cells outside the selection left empty), full precision. At most kMaxCopyCells. */
    QString copyText(const QModelIndexList& cells, QString* error = nullptr) const;
    static constexpr qint64 kMaxCopyCells = 1000000;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    TensorRef tensor_;
    TensorSlice slice_;
    std::vector<int64_t> fixed_;
    bool readsAllowed_ = true;
};

}  // namespace mx
