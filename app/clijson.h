#pragma once
// Small helpers the command line's JSON output shares.

#include <QJsonArray>
#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace mx {

inline QString qs(const std::string& s) { return QString::fromStdString(s); }

/** [64, 1, 28, 28] as a JSON array. */
inline QJsonArray shapeJson(const std::vector<int64_t>& shape)
{
    QJsonArray a;
    for (int64_t d : shape)
        a.append(static_cast<qint64>(d));
    return a;
}

}  // namespace mx
