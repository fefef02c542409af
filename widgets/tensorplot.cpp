#include "widgets/tensorplot.h"

#include "items/entrytext.h"
#include "items/statsrows.h"
#include "widgets/heatmapplot.h"
#include "widgets/kernelgrid.h"

#include <QLabel>
#include <QPainter>

#include <cmath>

namespace mx {

namespace {

constexpr int64_t kMaxKernelSide = 32;  // larger "kernels" read better as a heatmap

}  // namespace

TensorPlot::TensorPlot(QWidget* parent)
    : QStackedWidget(parent),
      message_(new QLabel),
      value_(new QLabel),
      heatmap_(new HeatmapPlot),
      kernels_(new KernelGrid)
{
    message_->setAlignment(Qt::AlignCenter);
    message_->setWordWrap(true);
    value_->setAlignment(Qt::AlignCenter);
    value_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    addWidget(message_);
    addWidget(value_);
    addWidget(heatmap_);
    addWidget(kernels_);
    showMessage(tr("Select a parameter, buffer or tensor attribute to plot it."));
}

TensorPlot::Kind TensorPlot::kindFor(const std::vector<int64_t>& shape, bool readable)
{
    int64_t numel = 1;
    for (int64_t d : shape)
        numel *= d;
    if (!readable || numel == 0)
        return Kind::Message;
    if (shape.empty())
        return Kind::Value;
    if (shape.size() == 1)
        return Kind::Line;
    if (shape.size() == 4 && shape[2] <= kMaxKernelSide && shape[3] <= kMaxKernelSide)
        return Kind::Kernels;
    return Kind::Heatmap;
}

void TensorPlot::showMessage(const QString& message)
{
    kind_ = Kind::Message;
    message_->setText(message);
    setCurrentWidget(message_);
}

void TensorPlot::showInspection(const Inspection& inspection, const TensorRef& tensor)
{
    const TensorStats& s = inspection.stats;
    if (s.state == TensorStats::State::Empty) {
        showMessage(tr("%1 is empty (numel 0): nothing to plot.").arg(inspection.name));
        return;
    }
    if (!s.ok()) {
        showMessage(QString::fromStdString(s.message));
        return;
    }
    const bool readable = s.device == "cpu";
    const Kind kind = kindFor(s.shape, readable);
    const QString title = QStringLiteral("%1 · %2").arg(inspection.name, entrytext::shape(s.shape));
    switch (kind) {
    case Kind::Message:
        showMessage(tr("The values of a tensor on %1 are not read here; the statistics come from "
                       "its device.").arg(QString::fromStdString(s.device)));
        return;
    case Kind::Value: {
        QFont big = font();
        big.setPointSizeF(big.pointSizeF() * 2.2);
        value_->setFont(big);
        value_->setText(QStringLiteral("%1\n%2").arg(title, tensorValueText(s.value(), s)));
        value_->setToolTip(tr("%1.item() — a 0-d tensor holds one value").arg(inspection.name));
        setCurrentWidget(value_);
        break;
    }
    case Kind::Line:
        if (!inspection.hasGrid) {
            showMessage(tr("computing…"));
            return;
        }
        heatmap_->setLine(inspection.grid, inspection.gridCols, title);
        setCurrentWidget(heatmap_);
        break;
    case Kind::Heatmap: {
        if (!inspection.hasGrid) {
            showMessage(tr("computing…"));
            return;
        }
        QString sliceTitle = title;
        if (s.shape.size() > 2) {
            QStringList index;
            for (size_t d = 0; d + 2 < s.shape.size(); ++d)
                index << QString::number(d < inspection.slice.size() ? inspection.slice[d] : 0);
            sliceTitle += QStringLiteral(" · [%1, :, :]").arg(index.join(QStringLiteral(", ")));
        }
        heatmap_->setGrid(inspection.grid, inspection.gridRows, inspection.gridCols, sliceTitle);
        setCurrentWidget(heatmap_);
        break;
    }
    case Kind::Kernels:
        kernels_->setWeight(tensor, std::max(std::abs(s.min), std::abs(s.max)), title);
        setCurrentWidget(kernels_);
        break;
    }
    kind_ = kind;
}

bool TensorPlot::paint(QPaintDevice* device, QSize size) const
{
    switch (kind_) {
    case Kind::Line:
    case Kind::Heatmap: return heatmap_->paint(device, size);
    case Kind::Kernels: return kernels_->paint(device, size);
    case Kind::Message:
    case Kind::Value: {
        QPainter painter;
        if (!painter.begin(device))
            return false;
        const QLabel* label = kind_ == Kind::Value ? value_ : message_;
        painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
        painter.setFont(label->font());
        painter.setPen(Qt::black);
        painter.drawText(QRect(QPoint(0, 0), size), Qt::AlignCenter | Qt::TextWordWrap, label->text());
        return painter.end();
    }
    }
    return false;
}

}  // namespace mx
