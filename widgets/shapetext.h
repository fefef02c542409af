#pragma once

#include <QString>
#include <QVector>

namespace mx {

/** "64x1x28x28" (also "64 × 1 × 28 × 28" or "64, 1, 28, 28") → {64, 1, 28, 28}: each size 1 to
 *  999,999,999; empty for anything else. How the Forward and Train docks read an input shape. */
QVector<qint64> parseShapeText(const QString& text);
/** {64, 1, 28, 28} → "64x1x28x28". */
QString shapeText(const QVector<qint64>& shape);

}  // namespace mx
