#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mx {

class TensorAccess;

/** A shared, torch-free handle to one tensor (or to Python's None): lets views read metadata without copying data. */
class TensorRef {
public:
    TensorRef();  // None
    ~TensorRef();
    TensorRef(const TensorRef&);
    TensorRef& operator=(const TensorRef&);

    bool isNone() const;
    std::vector<int64_t> shape() const;
    std::string dtypeName() const;   // as Python prints it without "torch.": float32, int64, ...
    std::string deviceName() const;  // cpu, cuda:0
    bool requiresGrad() const;
    int64_t numel() const;
    int64_t bytes() const;           // numel * element size
    double sum() const;              // float64 sum of all values (0 for None)
    /** Up to `count` leading values (flattened) as float64; reads only those elements. */
    std::vector<double> firstValues(int64_t count) const;
    const void* identity() const;    // same value <=> same tensor object (for de-duplication)
    /** tensor.grad: None until a backward reached this tensor (or after zero_grad(set_to_none)). */
    TensorRef gradient() const;

private:
    friend class TensorAccess;
    struct Box;
    std::shared_ptr<Box> box_;
};

}  // namespace mx
