#pragma once
// Lets item models hand a torch-free TensorRef to views through QVariant (ModuleTreeModel::TensorRole).

#include "core/tensorref.h"

#include <QMetaType>

Q_DECLARE_METATYPE(mx::TensorRef)
