#include "items/tensorvaluesmodel.h"

#include <QStringList>

#include <algorithm>
#include <climits>
#include <cstdio>

namespace mx {

namespace {

// Qt's views count rows and columns in int.
int clampToInt(int64_t n) { return static_cast<int>(std::min<int64_t>(n, INT_MAX)); }

QString fullPrecision(double v, bool integral)
{
    if (integral)
        return QString::fromStdString(formatTensorValue(v, true));
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.9g", v);
    return QString::fromLatin1(buffer);
}

}  // namespace

TensorValuesModel::TensorValuesModel(QObject* parent) : QAbstractTableModel(parent) {}

void TensorValuesModel::setTensor(const TensorRef& tensor, const std::vector<int64_t>& fixed)
{
    beginResetModel();
    tensor_ = tensor;
    fixed_ = fixed;
    slice_ = TensorSlice(tensor, fixed);
    endResetModel();
}

void TensorValuesModel::clear() { setTensor(TensorRef(), {}); }

void TensorValuesModel::setReadsAllowed(bool allowed)
{
    if (allowed == readsAllowed_)
        return;
    readsAllowed_ = allowed;
    if (rowCount() > 0 && columnCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

int TensorValuesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !slice_.valid() ? 0 : clampToInt(slice_.rows());
}

int TensorValuesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !slice_.valid() ? 0 : clampToInt(slice_.cols());
}

QVariant TensorValuesModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    switch (role) {
    case Qt::DisplayRole:
        if (!readsAllowed_)
            return QStringLiteral("…");
        return QString::fromStdString(
            formatTensorValue(slice_.value(index.row(), index.column()), slice_.integral()));
    case Qt::ToolTipRole:
        if (!readsAllowed_)
            return tr("values are not read while a statement or forward runs");
        return tr("[%1, %2] = %3")
            .arg(index.row())
            .arg(index.column())
            .arg(fullPrecision(slice_.value(index.row(), index.column()), slice_.integral()));
    case Qt::TextAlignmentRole:
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant TensorValuesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    return QString::number(section);  // PyTorch's indices start at 0
    Q_UNUSED(orientation)
}

QString TensorValuesModel::copyText(const QModelIndexList& cells, QString* error) const
{
    if (cells.isEmpty() || !slice_.valid() || !readsAllowed_)
        return {};
    int top = INT_MAX, left = INT_MAX, bottom = -1, right = -1;
    for (const QModelIndex& i : cells) {
        top = std::min(top, i.row());
        bottom = std::max(bottom, i.row());
        left = std::min(left, i.column());
        right = std::max(right, i.column());
    }
    const qint64 area = qint64(bottom - top + 1) * (right - left + 1);
    if (area > kMaxCopyCells) {
        if (error)
            *error = tr("%1 cells are selected; at most %2 are copied as text")
                         .arg(area)
                         .arg(kMaxCopyCells);
        return {};
    }
    std::vector<char> selected(static_cast<size_t>(area), 0);
    for (const QModelIndex& i : cells)
        selected[static_cast<size_t>(qint64(i.row() - top) * (right - left + 1) + (i.column() - left))] = 1;
    QStringList lines;
    for (int r = top; r <= bottom; ++r) {
        QStringList fields;
        for (int c = left; c <= right; ++c) {
            const bool in = selected[static_cast<size_t>(qint64(r - top) * (right - left + 1) + (c - left))];
            fields << (in ? fullPrecision(slice_.value(r, c), slice_.integral()) : QString());
        }
        lines << fields.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

}  // namespace mx
