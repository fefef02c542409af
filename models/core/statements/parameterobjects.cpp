#include "core/statements/parameterobjects.h"

#include "core/tensoraccess.h"

#include <ATen/core/Tensor.h>

#include <mutex>
#include <unordered_map>

namespace mx::stmt {

namespace {

using WeakImpl = c10::weak_intrusive_ptr<c10::TensorImpl, c10::UndefinedTensorImpl>;

/** The TensorImpls known to be Parameters, pruned of freed ones as it grows. */
struct ParameterObjects {
    std::mutex mutex;
    std::unordered_map<const c10::TensorImpl*, WeakImpl> entries;
    size_t pruneAt = 1024;

    void pruneIfLarge()
    {
        if (entries.size() < pruneAt)
            return;
        for (auto it = entries.begin(); it != entries.end();)
            it = it->second.expired() ? entries.erase(it) : std::next(it);
        pruneAt = std::max<size_t>(1024, entries.size() * 2);
    }
};

ParameterObjects& registry()
{
    static ParameterObjects instance;
    return instance;
}

}  // namespace

void markParameterObject(const TensorRef& t)
{
    const at::Tensor& tensor = TensorAccess::tensor(t);
    if (!tensor.defined())
        return;
    ParameterObjects& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    r.pruneIfLarge();
    r.entries.insert_or_assign(tensor.unsafeGetTensorImpl(),
                               WeakImpl(tensor.getIntrusivePtr()));
}

bool isParameterObject(const TensorRef& t)
{
    const at::Tensor& tensor = TensorAccess::tensor(t);
    if (!tensor.defined())
        return false;
    ParameterObjects& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    const auto it = r.entries.find(tensor.unsafeGetTensorImpl());
    if (it == r.entries.end())
        return false;
    if (it->second.expired()) {  // cannot happen while `t` holds it; kept for safety
        r.entries.erase(it);
        return false;
    }
    return true;
}

}  // namespace mx::stmt
