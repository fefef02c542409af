#pragma once
// Private to models/core/statements .cpp files (includes ATen): the console's dtype names and
// numbers as ATen's types.

#include "core/statements/tensorops.h"
#include "core/tensoraccess.h"

#include <ATen/ATen.h>

#include <map>
#include <string>

namespace mx::stmt::tensors {

/** The dtypes the console knows, by the name Python prints after "torch.". */
inline const std::map<std::string, at::ScalarType>& dtypes()
{
    static const std::map<std::string, at::ScalarType> map{
        {"float32", at::kFloat}, {"float64", at::kDouble}, {"float16", at::kHalf},
        {"bfloat16", at::kBFloat16}, {"int64", at::kLong}, {"int32", at::kInt},
        {"int16", at::kShort}, {"int8", at::kChar}, {"uint8", at::kByte}, {"bool", at::kBool}};
    return map;
}

/** The dtype named `name` ("" gives `fallback`). */
inline at::ScalarType scalarType(const std::string& name, at::ScalarType fallback)
{
    if (name.empty())
        return fallback;
    return dtypes().at(name);
}

inline std::string dtypeName(at::ScalarType t)
{
    for (const auto& [name, type] : dtypes())
        if (type == t)
            return name;
    return c10::toString(t);
}

inline at::Scalar toAt(const Scalar& s)
{
    switch (s.kind) {
    case Scalar::Kind::Bool: return at::Scalar(s.b);
    case Scalar::Kind::Int: return at::Scalar(s.i);
    case Scalar::Kind::Float: return at::Scalar(s.f);
    }
    return at::Scalar(0);
}

inline const at::Tensor& raw(const TensorRef& t) { return TensorAccess::tensor(t); }

inline TensorRef wrap(const at::Tensor& t) { return TensorAccess::wrap(t); }

}  // namespace mx::stmt::tensors
