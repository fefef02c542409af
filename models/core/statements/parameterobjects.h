#pragma once

#include "core/tensorref.h"

namespace mx::stmt {

/**
 * Which tensor objects are nn.Parameters. In Python, Parameter-ness belongs to the object, not to
 * the slot that holds it: a Parameter registered as a buffer (`register_buffer('pb',
 * nn.Parameter(t))`) or returned unchanged by `.contiguous()`, `.cpu()` or `.float()` is still a
 * Parameter. One tensor object is one TensorImpl (torch caches one Python object per TensorImpl),
 * so the console remembers the TensorImpls it has seen as Parameters. Entries hold weak
 * references: a freed tensor's address cannot be mistaken for a later one. Thread-safe.
 */
void markParameterObject(const TensorRef& t);
bool isParameterObject(const TensorRef& t);

}  // namespace mx::stmt
