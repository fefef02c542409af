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

/**
 * What a forward run produced, ready to show, and everything the run did to the model (device,
 * changed buffers), so the GUI never reads the model while the run goes on.
 */
struct ForwardReport {
    quint64 jobId = 0;      // ForwardRunner::currentJobId() of the job that ran
    ForwardRequest request; // what it measured
    bool ok = false;
    bool cancelled = false;
    bool refused = false;   // over the memory budget; nothing big was allocated
    QString error;          // PyTorch's error line, or "MemoryError: ..."
    bool returnedNone = false;
    QString outputShape;    // "torch.Size([64, 10])"
    QVector<double> preview;
    QVector<ForwardTraceRow> trace;
    QStringList notCalled;
    double medianMs = 0, minMs = 0, maxMs = 0;
    int runs = 0;           // timed runs
    int forwardCalls = 0;   // calls of forward on the input (train mode: exactly 1)
    QString device;
    quint64 inputBytes = 0;
    quint64 estimatedPeakBytes = 0;  // 0: no estimate was needed (batch under 4)
    quint64 measuredPeakBytes = 0;   // what the traced pass allocated at most
    qint64 largestBatch = 0;         // the largest batch of this input within the budget; 0: unknown
    QString deviceAfter;             // where parameters and buffers are now
    bool movedDevice = false;
    QStringList changedTensors;      // e.g. BatchNorm's running stats in train mode
};

/** One point of the latency-vs-batch-size sweep. */
struct LatencyPoint {
    QString device;
    int batch = 0;
    double medianMs = 0;
    quint64 jobId = 0;
    QString skipped;  // not measured: the MemoryError line of this batch size ("" when measured)
};

}  // namespace mx

Q_DECLARE_METATYPE(mx::ForwardReport)
Q_DECLARE_METATYPE(mx::LatencyPoint)
