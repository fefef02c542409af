#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

namespace mx {

/** A forward run as the Forward panel asks for it (Qt types only; see core/forward.h). */
struct ForwardRequest {
    QVector<qint64> inputShape;
    QString fill = QStringLiteral("randn");    // randn | rand | zeros | ones
    quint64 seed = 0;
    QString dtype = QStringLiteral("float32"); // float32 | float64
    QString device = QStringLiteral("cpu");    // cpu | cuda
    bool train = false;
    bool noGrad = true;
    int repeats = 10;
};

/** One submodule's output in the traced run. */
struct ForwardTraceRow {
    QString module;  // dotted path
    QString shape;   // "torch.Size([64, 10])" or "None"
};

/** What a forward run produced, ready to show. */
struct ForwardReport {
    bool ok = false;
    bool cancelled = false;
    QString error;          // PyTorch's error line
    bool returnedNone = false;
    QString outputShape;    // "torch.Size([64, 10])"
    QVector<double> preview;
    QVector<ForwardTraceRow> trace;
    QStringList notCalled;
    double medianMs = 0, minMs = 0, maxMs = 0;
    int runs = 0;
    QString device;
};

/** One point of the latency-vs-batch-size sweep. */
struct LatencyPoint {
    QString device;
    int batch = 0;
    double medianMs = 0;
};

}  // namespace mx

Q_DECLARE_METATYPE(mx::ForwardReport)
Q_DECLARE_METATYPE(mx::LatencyPoint)
