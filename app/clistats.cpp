#include "app/clistats.h"

#include "app/commandline.h"
#include "core/resourcebudget.h"
#include "core/runtime.h"
#include "core/tensorlookup.h"
#include "items/statsrows.h"
#include "items/tensorinspector.h"
#include "widgets/plotexport.h"
#include "widgets/tensorplot.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <ostream>

namespace mx {

namespace {

// JSON has no NaN or infinity: those are the strings Python's float() reads back ("NaN",
// "Infinity", "-Infinity"); a value that does not exist (an empty tensor's min) is null.
QJsonValue number(double v)
{
    if (std::isnan(v))
        return QStringLiteral("NaN");
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity");
    return v;
}

QJsonObject statsJson(const std::string& name, const TensorStats& s)
{
    QJsonArray shape, edges, counts;
    for (int64_t d : s.shape)
        shape.append(static_cast<qint64>(d));
    for (double e : s.histogram.edges)
        edges.append(number(e));
    for (int64_t c : s.histogram.counts)
        counts.append(static_cast<qint64>(c));
    const bool ok = s.ok();
    QJsonObject o{{"name", QString::fromStdString(name)},
                  {"shape", shape},
                  {"dtype", QString::fromStdString(s.dtype)},
                  {"device", QString::fromStdString(s.device)},
                  {"numel", static_cast<qint64>(s.numel)},
                  {"bytes", static_cast<qint64>(s.bytes)},
                  {"min", ok ? number(s.min) : QJsonValue()},
                  {"max", ok ? number(s.max) : QJsonValue()},
                  {"mean", ok ? number(s.mean) : QJsonValue()},
                  {"std", ok ? number(s.std) : QJsonValue()},
                  {"norm", ok ? number(s.norm) : QJsonValue()},
                  {"zeros", static_cast<qint64>(s.zeros)},
                  {"nan", static_cast<qint64>(s.nan)},
                  {"posinf", static_cast<qint64>(s.posinf)},
                  {"neginf", static_cast<qint64>(s.neginf)},
                  {"histogram", QJsonObject{{"edges", edges}, {"counts", counts}}},
                  {"elapsed_ms", s.elapsedMs}};
    if (s.state == TensorStats::State::Empty)
        o["note"] = QStringLiteral("empty tensor (numel 0)");
    return o;
}

void printStatsText(const std::string& name, const TensorStats& s, std::ostream& out)
{
    out << name << "\n";
    for (const auto& [label, value] : statsRows(s))
        out << "  " << label.toStdString() << ": " << value.toStdString() << "\n";
    const Histogram& h = s.histogram;
    if (!h.counts.empty()) {
        out << "  histogram (" << h.counts.size() << " bins, torch.histc's edges):\n";
        for (size_t k = 0; k < h.counts.size(); ++k)
            out << "    [" << statNumber(h.edges[k], false).toStdString() << ", "
                << statNumber(h.edges[k + 1], false).toStdString() << (k + 1 == h.counts.size() ? "]" : ")")
                << "  " << h.counts[k] << "\n";
    } else if (s.ok()) {
        out << "  histogram: no finite values\n";
    }
    char elapsed[64];
    std::snprintf(elapsed, sizeof elapsed, "%.2f", s.elapsedMs);
    out << "  elapsed: " << elapsed << " ms (statistics and histogram)\n";
}

}  // namespace

int runStatsBatch(const CommandLine& cl, const ModuleNode& model, std::ostream& out, std::ostream& err)
{
    useAllCores();  // the statistics pass is parallel
    const std::string& name = cl.statsName.empty() ? cl.plotName : cl.statsName;
    NamedTensor found;
    if (!findNamedTensor(model, name, &found)) {
        err << "module-explorer: no tensor named '" << name
            << "' (expected a state_dict key, a named_buffers name or a plain tensor attribute; "
               "see --print tree)\n";
        return 2;
    }
    if (!cl.statsName.empty()) {
        const TensorStats stats = computeTensorStats(found.tensor, cl.bins);
        if (cl.json)
            out << QJsonDocument(statsJson(name, stats)).toJson(QJsonDocument::Indented).toStdString();
        else
            printStatsText(name, stats, out);
        if (stats.state == TensorStats::State::Unsupported)
            return 1;
        return 0;
    }
    const uint64_t imageBytes = uint64_t(cl.plotWidth) * uint64_t(cl.plotHeight) * 4;
    if (imageBytes > memoryBudgetBytes()) {  // checked before the image is allocated
        err << "module-explorer: MemoryError: a " << cl.plotWidth << "x" << cl.plotHeight
            << " plot needs " << formatByteSize(imageBytes) << ", more than the memory budget of "
            << formatByteSize(memoryBudgetBytes()) << "\n";
        return 1;
    }
    InspectionRequest request;  // the first slice of a tensor of more than two dimensions
    request.name = QString::fromStdString(name);
    request.tensor = found.tensor;
    request.bins = cl.bins;
    request.gridRows = cl.plotHeight;
    request.gridCols = cl.plotWidth;
    const Inspection inspection = runInspection(request);
    TensorPlot plot;
    const QSize size(cl.plotWidth, cl.plotHeight);
    plot.resize(size);
    plot.showInspection(inspection, found.tensor);
    QString error;
    const bool written = exportPlot([&plot](QPaintDevice* device, QSize s) { return plot.paint(device, s); },
                                    QString::fromStdString(cl.plotOutput), size, 1.0,
                                    QString::fromStdString(name), &error);
    if (!written) {
        err << "module-explorer: " << error.toStdString() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace mx
