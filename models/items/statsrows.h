#pragma once

#include "core/tensorstats.h"

#include <QList>
#include <QPair>
#include <QString>

namespace mx {

/** The statistics as label/value rows, the way the Inspector and `--stats` write them:
 *  shape, dtype, device, numel, bytes, then min … −Inf (or one row saying why there are none). */
QList<QPair<QString, QString>> statsRows(const TensorStats& stats);

/** A statistic as the rows write it: integers exactly, floats with 8 significant digits. */
QString statNumber(double value, bool integral);

/** One of the tensor's own values (its min, max, a 0-d value) as the rows write it: integers
 *  exactly, floats with pythonFloat() in the tensor's precision. */
QString tensorValueText(double value, const TensorStats& stats);

/** A tensor's own value as Python's repr writes it: the shortest text that reads back to the
 *  same float32 (`single`) or float64 — 20200910.0, 0.1, 1e-07, nan, inf. */
QString pythonFloat(double value, bool single);

}  // namespace mx
