#pragma once
// Shared by the Inspector's tests (core, items, cli): tests/fixtures/stats/stats_reference.json,
// written by make_stats_reference.py with Debian's python3-torch 1.13.

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mxtest {

/** The reference document ({} when it cannot be read). */
inline QJsonObject loadStatsReference()
{
    QFile f(QStringLiteral(MX_FIXTURES_DIR "/stats/stats_reference.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

/** A number of the reference ("nan", "inf", "-inf" as strings) or of the app's --json output
 *  ("NaN", "Infinity", "-Infinity"); NaN for anything else. */
inline double jsonNumber(const QJsonValue& v)
{
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    constexpr double inf = std::numeric_limits<double>::infinity();
    if (v.isString()) {
        const QString s = v.toString();
        if (s == QLatin1String("inf") || s == QLatin1String("Infinity"))
            return inf;
        if (s == QLatin1String("-inf") || s == QLatin1String("-Infinity"))
            return -inf;
        return nan;
    }
    return v.isDouble() ? v.toDouble() : nan;
}

/** Equal, or both NaN. */
inline bool sameValue(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

/** Within `rel` of `b` (relative), or both NaN, or the same infinity. */
inline bool closeRelative(double a, double b, double rel)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    if (std::isinf(a) || std::isinf(b))
        return a == b;
    return std::abs(a - b) <= rel * std::max(std::abs(b), 1e-300);
}

}  // namespace mxtest
