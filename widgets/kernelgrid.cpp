#include "widgets/kernelgrid.h"

#include "core/tensorslice.h"

#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QPainter>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace mx {

namespace {

constexpr int kWrapColumns = 16;  // more input channels than this wrap like a single one
constexpr int kTitleHeight = 38;  // the title and the colour legend, one line each

QColor diverging(double v, double magnitude)
{
    if (!std::isfinite(v))
        return QColor(0xff, 0x00, 0xff);  // NaN / inf stand out
    const double t = std::clamp(magnitude > 0 ? v / magnitude : 0.0, -1.0, 1.0);
    const QColor white(0xf7, 0xf7, 0xf7), blue(0x2b, 0x5f, 0xb3), red(0xc0, 0x39, 0x2b);
    const QColor& end = t < 0 ? blue : red;
    const double a = std::abs(t);
    return QColor::fromRgbF(white.redF() + (end.redF() - white.redF()) * a,
                            white.greenF() + (end.greenF() - white.greenF()) * a,
                            white.blueF() + (end.blueF() - white.blueF()) * a);
}

// The drawing surface: forwards painting and tooltips to the grid.
class KernelCanvas : public QWidget {
public:
    explicit KernelCanvas(KernelGrid* grid) : QWidget(grid), grid_(grid) { setMouseTracking(true); }

protected:
    void paintEvent(QPaintEvent*) override { grid_->paint(this, size()); }
    bool event(QEvent* e) override
    {
        if (e->type() == QEvent::ToolTip) {
            auto* help = static_cast<QHelpEvent*>(e);
            const auto [out, in] = grid_->kernelAt(help->pos());
            if (out >= 0)
                QToolTip::showText(help->globalPos(), grid_->kernelText(out, in), this);
            else
                QToolTip::hideText();
            return true;
        }
        return QWidget::event(e);
    }

private:
    KernelGrid* grid_;
};

}  // namespace

KernelGrid::KernelGrid(QWidget* parent)
    : QWidget(parent),
      canvas_(new KernelCanvas(this)),
      pageLabel_(new QLabel),
      previous_(new QToolButton),
      next_(new QToolButton)
{
    previous_->setArrowType(Qt::LeftArrow);
    next_->setArrowType(Qt::RightArrow);
    previous_->setToolTip(tr("Previous kernels"));
    next_->setToolTip(tr("Next kernels"));
    connect(previous_, &QToolButton::clicked, this, [this] { setPage(page_ - 1); });
    connect(next_, &QToolButton::clicked, this, [this] { setPage(page_ + 1); });
    auto* pager = new QHBoxLayout;
    pager->addWidget(previous_);
    pager->addWidget(pageLabel_, 1);
    pager->addWidget(next_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(canvas_, 1);
    layout->addLayout(pager);
    setMinimumSize(240, 160);
    updatePager();
}

void KernelGrid::setWeight(const TensorRef& weight, double magnitude, const QString& title)
{
    weight_ = weight;
    shape_ = weight.shape();
    magnitude_ = std::isfinite(magnitude) && magnitude > 0 ? magnitude : 1;
    title_ = title;
    page_ = 0;
    updatePager();
    canvas_->update();
}

void KernelGrid::clear() { setWeight(TensorRef(), 1, QString()); }

int KernelGrid::pageCount() const
{
    if (shape_.size() != 4)
        return 0;
    const int64_t kernels = shape_[0] * shape_[1];
    return static_cast<int>((kernels + kKernelsPerPage - 1) / kKernelsPerPage);
}

int KernelGrid::kernelsOnPage() const
{
    if (shape_.size() != 4)
        return 0;
    return static_cast<int>(std::min<int64_t>(kKernelsPerPage, shape_[0] * shape_[1] - firstKernel()));
}

void KernelGrid::setPage(int page)
{
    page_ = std::clamp(page, 0, std::max(0, pageCount() - 1));
    updatePager();
    canvas_->update();
}

void KernelGrid::updatePager()
{
    const int pages = pageCount();
    previous_->setEnabled(page_ > 0);
    next_->setEnabled(page_ + 1 < pages);
    previous_->setVisible(pages > 1);
    next_->setVisible(pages > 1);
    if (shape_.size() != 4) {
        pageLabel_->clear();
        return;
    }
    const int first = firstKernel(), count = kernelsOnPage();
    const int64_t in = shape_[1];
    pageLabel_->setText(tr("kernels %1–%2 of %3 (out × in = %4 × %5, each %6 × %7)%8")
                            .arg(first)
                            .arg(first + count - 1)
                            .arg(shape_[0] * in)
                            .arg(shape_[0])
                            .arg(in)
                            .arg(shape_[2])
                            .arg(shape_[3])
                            .arg(pages > 1 ? tr(" · page %1 of %2").arg(page_ + 1).arg(pages) : QString()));
}

KernelGrid::Layout KernelGrid::layoutFor(QSize size) const
{
    Layout l;
    const int count = kernelsOnPage();
    if (count == 0)
        return l;
    // 1 < in <= 16: one row per output channel, one column per input channel; otherwise the
    // kernels wrap in as many columns as make them largest
    const int64_t in = shape_[1];
    const double kh = static_cast<double>(shape_[2]), kw = static_cast<double>(shape_[3]);
    const double width = size.width() - 8, height = size.height() - kTitleHeight - 4;
    const double gapElements = 0.5;  // cells keep the kernel's aspect; gaps of half an element
    auto cellFor = [&](int columns) {
        const int rows = (count + columns - 1) / columns;
        return std::min(width / (columns * (kw + gapElements)), height / (rows * (kh + gapElements)));
    };
    if (in > 1 && in <= kWrapColumns) {
        l.columns = static_cast<int>(in);
    } else {
        l.columns = 1;
        for (int c = 2; c <= count; ++c)
            if (cellFor(c) > cellFor(l.columns))
                l.columns = c;
    }
    l.rows = (count + l.columns - 1) / l.columns;
    l.cell = std::max(0.5, cellFor(l.columns));
    l.gap = l.cell * gapElements;
    l.left = 4 + (width - l.columns * (kw * l.cell + l.gap)) / 2;
    l.top = kTitleHeight + 2;
    return l;
}

void KernelGrid::draw(QPainter& painter, QSize size) const
{
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    painter.setPen(Qt::black);
    QFont bold = painter.font();
    bold.setBold(true);
    painter.setFont(bold);
    const QString legend = tr("blue −%1 · white 0 · red +%1")
                               .arg(QString::fromStdString(formatTensorValue(magnitude_, false)));
    painter.drawText(QRectF(0, 0, size.width(), kTitleHeight / 2), Qt::AlignCenter, title_);
    bold.setBold(false);
    painter.setFont(bold);
    painter.setPen(QColor(0x55, 0x55, 0x55));
    if (!title_.isEmpty())
        painter.drawText(QRectF(0, kTitleHeight / 2, size.width(), kTitleHeight / 2), Qt::AlignCenter, legend);
    const Layout l = layoutFor(size);
    if (l.columns == 0)
        return;
    const int64_t in = shape_[1], kh = shape_[2], kw = shape_[3];
    painter.setPen(Qt::NoPen);
    for (int k = 0; k < kernelsOnPage(); ++k) {
        const int64_t flat = firstKernel() + k;
        const TensorSlice kernel(weight_, {flat / in, flat % in});
        if (!kernel.valid())
            return;
        const double x0 = l.left + (k % l.columns) * (kw * l.cell + l.gap);
        const double y0 = l.top + (k / l.columns) * (kh * l.cell + l.gap);
        for (int64_t r = 0; r < kh; ++r)
            for (int64_t c = 0; c < kw; ++c)
                painter.fillRect(QRectF(x0 + c * l.cell, y0 + r * l.cell, l.cell + 0.02, l.cell + 0.02),
                                 diverging(kernel.value(r, c), magnitude_));
        painter.setPen(QColor(0xb0, 0xb0, 0xb0));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(x0, y0, kw * l.cell, kh * l.cell));
        painter.setPen(Qt::NoPen);
    }
}

bool KernelGrid::paint(QPaintDevice* device, QSize size) const
{
    QPainter painter;
    if (!painter.begin(device))
        return false;
    draw(painter, size);
    return painter.end();
}

QPair<int, int> KernelGrid::kernelAt(const QPoint& point) const
{
    const Layout l = layoutFor(canvas_->size());
    if (l.columns == 0)
        return {-1, -1};
    const double kh = static_cast<double>(shape_[2]), kw = static_cast<double>(shape_[3]);
    const double cw = kw * l.cell + l.gap, ch = kh * l.cell + l.gap;
    const double x = point.x() - l.left, y = point.y() - l.top;
    if (x < 0 || y < 0)
        return {-1, -1};
    const int col = static_cast<int>(x / cw), row = static_cast<int>(y / ch);
    if (col >= l.columns || x - col * cw > kw * l.cell || y - row * ch > kh * l.cell)
        return {-1, -1};
    const int k = row * l.columns + col;
    if (k >= kernelsOnPage())
        return {-1, -1};
    const int64_t flat = firstKernel() + k;
    return {static_cast<int>(flat / shape_[1]), static_cast<int>(flat % shape_[1])};
}

QString KernelGrid::kernelText(int out, int in) const
{
    const TensorSlice kernel(weight_, {out, in});
    if (!kernel.valid())
        return {};
    QStringList lines{tr("kernel [%1, %2] (output channel %1, input channel %2)").arg(out).arg(in)};
    const int64_t rows = std::min<int64_t>(kernel.rows(), 16), cols = std::min<int64_t>(kernel.cols(), 16);
    for (int64_t r = 0; r < rows; ++r) {
        QStringList values;
        for (int64_t c = 0; c < cols; ++c)
            values << QString::fromStdString(formatTensorValue(kernel.value(r, c), kernel.integral()))
                          .rightJustified(10);
        lines << values.join(QLatin1Char(' ')) + (cols < kernel.cols() ? QStringLiteral(" …") : QString());
    }
    if (rows < kernel.rows())
        lines << QStringLiteral("…");
    return QStringLiteral("<pre>%1</pre>").arg(lines.join(QLatin1Char('\n')).toHtmlEscaped());
}

}  // namespace mx
