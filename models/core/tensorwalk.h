#pragma once
// Private to models/core: reading a CPU tensor's elements in row-major order straight from its
// memory, contiguous or strided, without a copy. Include only from .cpp files.

#include "core/tensoraccess.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace mx {

/** Why the readers here cannot read `t` in place ("" when they can): a tensor off the CPU, a
 *  complex one (no order for statistics, no colour for plots), a sparse, quantized or
 *  storage-less one. */
inline std::string unreadableOnCpu(const at::Tensor& t)
{
    if (!t.device().is_cpu())
        return "the values of a tensor on " + t.device().str() + " are not read here";
    if (at::isComplexType(t.scalar_type()))
        return TensorAccess::wrap(t).dtypeName() + " tensors are not read (complex values have no order)";
    if (t.is_sparse() || t.is_quantized() || !t.has_storage())
        return "only dense real tensors are read";
    return {};
}

/** Reads element `begin + i` (row-major) of a contiguous tensor as V. */
template <typename T, typename V>
struct ContiguousReader {
    const T* data;
    V operator()(int64_t i) const { return static_cast<V>(data[i]); }
};

/**
 * Reads a strided tensor's elements from `begin` on, in row-major order: each call returns the
 * next element (the argument only counts calls, which must be 0, 1, 2, ...).
 */
template <typename T, typename V>
struct StridedReader {
    const T* base;
    std::vector<int64_t> sizes, strides, index;
    int64_t offset = 0;

    V operator()(int64_t)
    {
        const V v = static_cast<V>(base[offset]);
        for (size_t d = sizes.size(); d-- > 0;) {  // advance the multi-index, carrying
            offset += strides[d];
            if (++index[d] < sizes[d])
                break;
            offset -= strides[d] * sizes[d];
            index[d] = 0;
        }
        return v;
    }
};

/** Where each element of one CPU tensor lives; hands out readers starting at any element. */
class StridedWalk {
public:
    explicit StridedWalk(const at::Tensor& t)
        : contiguous_(t.is_contiguous()), sizes_(t.sizes().vec()), strides_(t.strides().vec())
    {
    }
    bool contiguous() const { return contiguous_; }

    template <typename V, typename T>
    ContiguousReader<T, V> contiguousReader(const T* base, int64_t begin) const
    {
        return {base + begin};
    }

    template <typename V, typename T>
    StridedReader<T, V> stridedReader(const T* base, int64_t begin) const
    {
        StridedReader<T, V> r{base, sizes_, strides_, std::vector<int64_t>(sizes_.size(), 0), 0};
        for (size_t d = sizes_.size(); d-- > 0 && begin > 0;) {  // linear index -> multi-index
            r.index[d] = begin % sizes_[d];
            begin /= sizes_[d];
            r.offset += r.index[d] * strides_[d];
        }
        return r;
    }

private:
    bool contiguous_;
    std::vector<int64_t> sizes_, strides_;
};

}  // namespace mx
