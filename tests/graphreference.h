#pragma once
// Shared by the dataflow graph's tests (core, cli): tests/fixtures/graph/graph_reference.json,
// written by make_graph_reference.py with Debian's python3-torch 1.13 and python3-torchvision.

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace mxtest {

/** One model's entry of the reference ({} when it cannot be read). */
inline QJsonObject graphReference(const QString& key)
{
    QFile f(QStringLiteral(MX_FIXTURES_DIR "/graph/graph_reference.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object()[key].toObject();
}

/** Nodes as the reference and --json name them: "input", "output", a module path or an op. */
inline QStringList graphNodeLabels(const QJsonArray& nodes)
{
    QStringList out;
    for (const QJsonValue& v : nodes) {
        const QJsonObject n = v.toObject();
        const QString kind = n[QStringLiteral("kind")].toString();
        out << (kind == QLatin1String("module") ? n[QStringLiteral("path")].toString()
                : kind == QLatin1String("op")   ? n[QStringLiteral("op")].toString()
                                                : kind);
    }
    return out;
}

/** The strings of a JSON array. */
inline QStringList jsonStrings(const QJsonValue& array)
{
    QStringList out;
    for (const QJsonValue& s : array.toArray())
        out << s.toString();
    return out;
}

}  // namespace mxtest
