#pragma once

#include "core/tensorref.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mx {

/**
 * A 2-D window onto a CPU tensor's memory for views (values table, heatmap, kernel grid): the
 * last two dimensions are rows and columns, every other dimension is fixed at an index. A 1-D
 * tensor is one row, a 0-d tensor one cell. Reads single elements on demand; never copies.
 */
class TensorSlice {
public:
    TensorSlice() = default;
    /** `fixed` holds one index per leading dimension (dim() - 2 of them; none for 0-d / 1-d).
     *  Invalid (see error()) for None, CUDA, complex or sparse tensors and out-of-range indices. */
    TensorSlice(const TensorRef& tensor, const std::vector<int64_t>& fixed);

    bool valid() const { return error_.empty() && data_; }
    const std::string& error() const { return error_; }
    int64_t rows() const { return rows_; }
    int64_t cols() const { return cols_; }
    bool integral() const { return integral_; }
    /** Element (row, col) as float64 (bool as 0/1); NaN when the slice is invalid. */
    double value(int64_t row, int64_t col) const;

private:
    friend struct ReducedGrid reduceSlice(const TensorSlice&, int64_t, int64_t, const std::atomic<bool>*);
    TensorRef tensor_;  // keeps the memory alive
    std::string error_;
    const char* data_ = nullptr;
    int64_t rows_ = 0, cols_ = 0;
    int64_t rowStride_ = 0, colStride_ = 0;  // in bytes
    int scalarType_ = 0;
    bool integral_ = false;
};

/** A 2-D slice reduced to at most maxRows × maxCols cells for a heatmap: each cell is a block of
 *  rowStep × colStep elements (the last blocks may be smaller) with its mean, min and max. */
struct ReducedGrid {
    int64_t rows = 0, cols = 0;            // cells
    int64_t rowStep = 1, colStep = 1;      // elements per cell
    std::vector<float> mean, min, max;     // rows * cols each, row-major
    bool cancelled = false;
};

/** Block means, mins and maxes of `slice` (in parallel; `cancel` polled per row of cells). A
 *  slice no larger than the limits gives one element per cell. */
ReducedGrid reduceSlice(const TensorSlice& slice, int64_t maxRows, int64_t maxCols,
                        const std::atomic<bool>* cancel = nullptr);

/** "0.1235", "-1.5e-07", "20200910", "nan", "inf": how the table and tooltips write a value
 *  (integers exactly, floats with 6 significant digits). */
std::string formatTensorValue(double value, bool integral);

}  // namespace mx
