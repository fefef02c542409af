#pragma once

#include "core/modulenode.h"

#include <QColor>
#include <QString>

#include <cstdint>
#include <vector>

namespace mx {

/** Texts and colours shared by the item models, so every view words a kind the same way. */
namespace entrytext {

/** "torch.Size([64, 1, 3, 3])". */
QString shape(const std::vector<int64_t>& shape);
/** Badge text: "parameter", "buffer", "non-persistent buffer", "attribute · not in state_dict". */
QString badge(EntryKind kind);
/** Badge colour for a kind. */
QColor badgeColor(EntryKind kind);
/** One sentence: why this entry is, or is not, in state_dict(). */
QString explanation(EntryKind kind, bool isNone);
/** Where a tensor lands: "state_dict['conv1.0.weight']", or why it is not in state_dict. */
QString stateDictNote(EntryKind kind, bool isNone, const QString& path);
/** Why a submodule's entries appear under a prefix. */
QString moduleExplanation(const QString& prefix);
/** The details line of a module shown under a later name: "Shared with conv1: ...". */
QString sharedModuleExplanation(const QString& path, const QString& firstName);
/** "1,024". */
QString count(int64_t n);
/** Short count for totals: "1,089", "74.5K", "25.7M". */
QString compactCount(int64_t n);
/** "98.0 MiB" style size. */
QString bytes(int64_t n);

}  // namespace entrytext
}  // namespace mx
