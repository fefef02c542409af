#include "core/tensorslice.h"

#include "core/tensoraccess.h"
#include "core/tensorwalk.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace mx {

TensorSlice::TensorSlice(const TensorRef& tensor, const std::vector<int64_t>& fixed)
    : tensor_(tensor)
{
    const at::Tensor& t = TensorAccess::tensor(tensor);
    if (!t.defined()) {
        error_ = "None has no values";
        return;
    }
    error_ = unreadableOnCpu(t);
    if (!error_.empty())
        return;
    const int64_t dims = t.dim();
    const size_t leading = static_cast<size_t>(std::max<int64_t>(0, dims - 2));
    if (fixed.size() != leading) {
        error_ = "expected " + std::to_string(leading) + " fixed indices";
        return;
    }
    const int64_t element = static_cast<int64_t>(t.element_size());
    const char* data = static_cast<const char*>(t.data_ptr());
    for (size_t d = 0; d < leading; ++d) {
        if (fixed[d] < 0 || fixed[d] >= t.size(static_cast<int64_t>(d))) {
            error_ = "index " + std::to_string(fixed[d]) + " is out of range for dimension " +
                     std::to_string(d) + " of size " + std::to_string(t.size(static_cast<int64_t>(d)));
            return;
        }
        data += fixed[d] * t.stride(static_cast<int64_t>(d)) * element;
    }
    rows_ = dims >= 2 ? t.size(dims - 2) : 1;
    cols_ = dims >= 1 ? t.size(dims - 1) : 1;
    rowStride_ = dims >= 2 ? t.stride(dims - 2) * element : 0;
    colStride_ = dims >= 1 ? t.stride(dims - 1) * element : 0;
    scalarType_ = static_cast<int>(t.scalar_type());
    integral_ = at::isIntegralType(t.scalar_type(), /*includeBool=*/true);
    data_ = t.numel() > 0 ? data : nullptr;
    if (!data_)
        rows_ = cols_ = 0;
}

double TensorSlice::value(int64_t row, int64_t col) const
{
    if (!valid() || row < 0 || col < 0 || row >= rows_ || col >= cols_)
        return std::numeric_limits<double>::quiet_NaN();
    const char* p = data_ + row * rowStride_ + col * colStride_;
    double v = 0;
    AT_DISPATCH_ALL_TYPES_AND3(at::kHalf, at::kBFloat16, at::kBool,
                               static_cast<at::ScalarType>(scalarType_), "slice value", [&] {
        v = static_cast<double>(*reinterpret_cast<const scalar_t*>(p));
    });
    return v;
}

ReducedGrid reduceSlice(const TensorSlice& slice, int64_t maxRows, int64_t maxCols,
                        const std::atomic<bool>* cancel)
{
    ReducedGrid g;
    if (!slice.valid() || maxRows < 1 || maxCols < 1)
        return g;
    g.rowStep = (slice.rows() + maxRows - 1) / maxRows;
    g.colStep = (slice.cols() + maxCols - 1) / maxCols;
    g.rows = (slice.rows() + g.rowStep - 1) / g.rowStep;
    g.cols = (slice.cols() + g.colStep - 1) / g.colStep;
    const size_t cells = static_cast<size_t>(g.rows * g.cols);
    g.mean.assign(cells, 0.f);
    g.min.assign(cells, std::numeric_limits<float>::infinity());
    g.max.assign(cells, -std::numeric_limits<float>::infinity());
    std::atomic<bool> stopped{false};
    at::parallel_for(0, g.rows, 1, [&](int64_t begin, int64_t end) {
        std::vector<double> sums(static_cast<size_t>(g.cols));
        for (int64_t cr = begin; cr < end; ++cr) {
            if (cancel && cancel->load(std::memory_order_relaxed)) {
                stopped = true;
                return;
            }
            std::fill(sums.begin(), sums.end(), 0.0);
            float* lo = &g.min[static_cast<size_t>(cr * g.cols)];
            float* hi = &g.max[static_cast<size_t>(cr * g.cols)];
            const int64_t r0 = cr * g.rowStep, r1 = std::min(slice.rows(), r0 + g.rowStep);
            AT_DISPATCH_ALL_TYPES_AND3(at::kHalf, at::kBFloat16, at::kBool,
                                       static_cast<at::ScalarType>(slice.scalarType_), "reduce", [&] {
                for (int64_t r = r0; r < r1; ++r) {
                    const char* row = slice.data_ + r * slice.rowStride_;
                    for (int64_t cc = 0; cc < g.cols; ++cc) {  // one cell's columns of this row
                        const int64_t c0 = cc * g.colStep, c1 = std::min(slice.cols(), c0 + g.colStep);
                        double sum = 0;
                        float cellLo = lo[cc], cellHi = hi[cc];
                        for (int64_t c = c0; c < c1; ++c) {
                            const float v = static_cast<float>(
                                *reinterpret_cast<const scalar_t*>(row + c * slice.colStride_));
                            sum += v;
                            cellLo = v < cellLo ? v : cellLo;
                            cellHi = v > cellHi ? v : cellHi;
                        }
                        sums[cc] += sum;
                        lo[cc] = cellLo;
                        hi[cc] = cellHi;
                    }
                }
            });
            for (int64_t cc = 0; cc < g.cols; ++cc) {
                const int64_t c0 = cc * g.colStep, c1 = std::min(slice.cols(), c0 + g.colStep);
                g.mean[static_cast<size_t>(cr * g.cols + cc)] =
                    static_cast<float>(sums[cc] / static_cast<double>((r1 - r0) * (c1 - c0)));
            }
        }
    });
    g.cancelled = stopped || (cancel && cancel->load());
    return g;
}

std::string formatTensorValue(double value, bool integral)
{
    if (std::isnan(value))
        return "nan";
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    char buffer[64];
    if (integral)
        std::snprintf(buffer, sizeof buffer, "%.0f", value);
    else
        std::snprintf(buffer, sizeof buffer, "%.6g", value);
    return buffer;
}

}  // namespace mx
