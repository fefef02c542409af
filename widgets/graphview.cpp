#include "widgets/graphview.h"

#include "items/graphmodel.h"
#include "widgets/plotexport.h"

#include <QFontMetricsF>
#include <QGraphicsPathItem>
#include <QGraphicsPolygonItem>
#include <QGraphicsSceneMouseEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionGraphicsItem>
#include <QWheelEvent>

#include <cmath>

namespace mx {

namespace {

constexpr int kPathRole = 0;  // QGraphicsItem::data key: the module path

QFont boxFont(bool bold = false)
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPixelSize(11);
    f.setBold(bold);
    return f;
}

/** One box: a module call, a tensor op, the input/output or an unused module. */
class BoxItem : public QGraphicsItem {
public:
    BoxItem(GraphScene* scene, const GraphModel::Box& box, bool expanded)
        : scene_(scene), box_(box), expanded_(expanded)
    {
        setPos(box.rect.topLeft());
        setData(kPathRole, box.path);
        if (!box.path.isEmpty())
            setFlag(ItemIsSelectable);
        const QString name = box.path.isEmpty() ? box.title : box.path;
        setToolTip(box.subtitle.isEmpty() ? name : name + QLatin1Char('\n') + box.subtitle);
        setZValue(2);
    }
    QRectF boundingRect() const override { return QRectF(QPointF(0, 0), box_.rect.size()).adjusted(-2, -2, 2, 2); }

    void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override
    {
        using Kind = GraphModel::Box::Kind;
        const QRectF r(QPointF(0, 0), box_.rect.size());
        QColor fill(0xe8, 0xf0, 0xfe), border(0x4a, 0x76, 0xc9);
        Qt::PenStyle style = Qt::SolidLine;
        if (box_.kind == Kind::Op) {
            fill = QColor(0xf4, 0xf4, 0xf4);
            border = QColor(0x99, 0x99, 0x99);
        } else if (box_.kind == Kind::Input || box_.kind == Kind::Output) {
            fill = QColor(0xe6, 0xf4, 0xea);
            border = QColor(0x3c, 0x8c, 0x50);
        } else if (box_.kind == Kind::Unused) {
            fill = QColor(0xfa, 0xfa, 0xfa);
            border = QColor(0xa0, 0xa0, 0xa0);
            style = Qt::DashLine;
        }
        if (isSelected()) {
            fill = QColor(0xff, 0xe8, 0xa8);
            border = QColor(0xc0, 0x80, 0x00);
        }
        p->setPen(QPen(border, isSelected() ? 2.0 : 1.0, style));
        p->setBrush(fill);
        const double radius = box_.kind == Kind::Op ? r.height() / 2 : 4;
        p->drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius);

        QStringList lines{box_.title};
        if (!box_.subtitle.isEmpty())
            lines << box_.subtitle;
        if (!box_.shape.isEmpty())
            lines << box_.shape;
        const double lineHeight = 15.0;
        double y = (r.height() - lines.size() * lineHeight) / 2;
        for (int i = 0; i < lines.size(); ++i) {
            const bool title = i == 0;
            QFont font = boxFont(title && box_.kind != Kind::Op);
            if (!title)
                font.setPixelSize(10);
            p->setFont(font);
            p->setPen(box_.kind == Kind::Unused ? QColor(0x70, 0x70, 0x70)
                      : title                  ? QColor(0x10, 0x10, 0x10)
                                               : QColor(0x50, 0x50, 0x60));
            QRectF line(6, y, r.width() - 12, lineHeight);
            if (title && box_.expandable)
                line.setRight(line.right() - 16);
            const QString text = QFontMetricsF(font).elidedText(lines[i], Qt::ElideMiddle, line.width());
            p->drawText(line, Qt::AlignCenter, text);
            y += lineHeight;
        }
        if (box_.expandable) {
            const QRectF t = toggleRect();
            p->setPen(QPen(border, 1));
            p->setBrush(Qt::white);
            p->drawRect(t);
            p->drawLine(QPointF(t.left() + 2.5, t.center().y()), QPointF(t.right() - 2.5, t.center().y()));
            if (!expanded_)
                p->drawLine(QPointF(t.center().x(), t.top() + 2.5), QPointF(t.center().x(), t.bottom() - 2.5));
        }
    }

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override
    {
        if (box_.expandable && toggleRect().adjusted(-3, -3, 3, 3).contains(event->pos())) {
            scene_->toggle(box_.path);
            event->accept();
            return;
        }
        QGraphicsItem::mousePressEvent(event);
    }
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override
    {
        if (box_.expandable) {
            scene_->toggle(box_.path);
            event->accept();
            return;
        }
        QGraphicsItem::mouseDoubleClickEvent(event);
    }

private:
    QRectF toggleRect() const
    {
        const double lineHeight = 15.0;
        int lines = 1 + !box_.subtitle.isEmpty() + !box_.shape.isEmpty();
        const double top = (box_.rect.height() - lines * lineHeight) / 2 + (lineHeight - 10) / 2;
        return QRectF(box_.rect.width() - 17, top, 10, 10);
    }

    GraphScene* scene_;
    GraphModel::Box box_;
    bool expanded_;
};

/** An expanded container's frame (double-click or its − collapses it) or the unused group. */
class FrameItem : public QGraphicsRectItem {
public:
    FrameItem(GraphScene* scene, const GraphModel::Frame& frame, int depth)
        : QGraphicsRectItem(frame.rect), scene_(scene), frame_(frame)
    {
        const int shade = std::max(0xe6, 0xf8 - depth * 8);
        setBrush(frame.unusedGroup ? QColor(0xf6, 0xf6, 0xf6) : QColor(shade, shade, 0xfc));
        setPen(QPen(frame.unusedGroup ? QColor(0xa0, 0xa0, 0xa0) : QColor(0x8a, 0x98, 0xb8), 1,
                    frame.unusedGroup ? Qt::DashLine : Qt::SolidLine));
        setZValue(depth * 0.01);
        setToolTip(frame.unusedGroup ? QObject::tr("Registered submodules that forward never calls")
                                     : QObject::tr("%1: double-click to collapse").arg(frame.path));
    }
    void paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget* widget) override
    {
        QGraphicsRectItem::paint(p, option, widget);
        QFont font = boxFont(true);
        font.setPixelSize(10);
        font.setItalic(frame_.unusedGroup);
        p->setFont(font);
        p->setPen(QColor(0x40, 0x48, 0x60));
        // A container's label starts with "− ", its collapse toggle.
        p->drawText(rect().adjusted(6, 3, -6, 0), Qt::AlignLeft | Qt::AlignTop, frame_.label);
    }

protected:
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override
    {
        if (!frame_.unusedGroup) {
            scene_->toggle(frame_.path);
            event->accept();
        }
    }
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override
    {
        const QRectF toggle(rect().left(), rect().top(), 16, 16);
        if (!frame_.unusedGroup && toggle.contains(event->pos())) {
            scene_->toggle(frame_.path);
            event->accept();
            return;
        }
        QGraphicsRectItem::mousePressEvent(event);
    }

private:
    GraphScene* scene_;
    GraphModel::Frame frame_;
};

}  // namespace

GraphScene::GraphScene(GraphModel* model, QObject* parent) : QGraphicsScene(parent), model_(model)
{
    connect(model_, &GraphModel::changed, this, &GraphScene::rebuild);
    connect(this, &QGraphicsScene::selectionChanged, this, &GraphScene::onSelectionChanged);
    rebuild();
}

void GraphScene::rebuild()
{
    const QString selected = selectedPath();
    selecting_ = true;
    clear();
    boxCount_ = 0;
    const QRectF bounds = model_->bounds();
    for (const GraphModel::Frame& f : model_->frames()) {
        const int depth = f.unusedGroup ? 0 : f.path.count(QLatin1Char('.')) + 1;
        addItem(new FrameItem(this, f, depth));
    }
    const QVector<QPainterPath>& paths = model_->edgePaths();
    const QVector<QPolygonF>& arrows = model_->arrowHeads();
    const QPen edgePen(QColor(0x55, 0x5b, 0x6e), 1.2);
    for (int i = 0; i < paths.size(); ++i) {
        auto* edge = addPath(paths[i], edgePen);
        edge->setZValue(1);
        if (i < arrows.size() && !arrows[i].isEmpty()) {
            auto* head = addPolygon(arrows[i], QPen(edgePen.color(), 1), edgePen.color());
            head->setZValue(1);
        }
    }
    for (const GraphModel::Box& b : model_->boxes()) {
        addItem(new BoxItem(this, b, model_->isExpanded(b.path)));
        ++boxCount_;
    }
    setSceneRect(bounds.adjusted(-12, -12, 12, 12));
    selecting_ = false;
    selectPath(selected);
}

QString GraphScene::selectedPath() const
{
    const QList<QGraphicsItem*> items = selectedItems();
    return items.isEmpty() ? QString() : items.first()->data(kPathRole).toString();
}

bool GraphScene::selectPath(const QString& path)
{
    selecting_ = true;
    clearSelection();
    bool found = false;
    if (!path.isEmpty()) {
        for (QGraphicsItem* item : items(Qt::AscendingOrder)) {
            if ((item->flags() & QGraphicsItem::ItemIsSelectable) &&
                item->data(kPathRole).toString() == path) {
                item->setSelected(true);
                found = true;
                break;
            }
        }
    }
    selecting_ = false;
    return found;
}

void GraphScene::onSelectionChanged()
{
    if (selecting_)
        return;
    const QString path = selectedPath();
    if (!path.isEmpty())
        Q_EMIT moduleSelected(path);
}

void GraphScene::toggle(const QString& path)
{
    // Queued: the rebuild deletes the item whose mouse event asked for it.
    QMetaObject::invokeMethod(
        this, [this, path] { model_->setExpanded(path, !model_->isExpanded(path)); },
        Qt::QueuedConnection);
}

QSize GraphScene::naturalSize() const
{
    const QRectF r = sceneRect();
    return QSize(int(std::ceil(r.width())), int(std::ceil(r.height())));
}

bool GraphScene::paintTo(QPaintDevice* device, QSize size)
{
    QPainter p;
    if (!p.begin(device))
        return false;
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(QRectF(QPointF(0, 0), QSizeF(size)), Qt::white);
    const QList<QGraphicsItem*> selected = selectedItems();
    for (QGraphicsItem* item : selected)  // exports never show the selection
        item->setSelected(false);
    render(&p, QRectF(QPointF(0, 0), QSizeF(size)), sceneRect(), Qt::KeepAspectRatio);
    for (QGraphicsItem* item : selected)
        item->setSelected(true);
    return p.end();
}

GraphView::GraphView(GraphScene* scene, QWidget* parent) : QGraphicsView(scene, parent), scene_(scene)
{
    setRenderHint(QPainter::Antialiasing);
    setRenderHint(QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setBackgroundBrush(Qt::white);
    connect(scene_, &QGraphicsScene::sceneRectChanged, this, [this] {
        if (autoFit_)
            fitNow();
    });
}

void GraphView::fit()
{
    autoFit_ = true;
    fitNow();
}

void GraphView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    if (autoFit_ && contentsRect().size() != fittedFor_)
        fitNow();
}

void GraphView::fitNow()
{
    // Sized from the frame's inside, which scroll bars coming and going do not change: a fit
    // never feeds back into another (a scroll bar shown by one fit would trigger the next).
    const QRectF r = scene_->sceneRect();
    const QSize area = contentsRect().size();
    fittedFor_ = area;
    if (r.isEmpty() || area.width() < 40 || area.height() < 40)
        return;
    const double bar = style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, this);
    const double byWidth = (area.width() - 4) / r.width();
    const double byHeight = (area.height() - 4) / r.height();
    // Never blow a small graph up past 1:1; a tall one stays readable: fit its width, show its top.
    const bool tall = byHeight < byWidth && byHeight < 0.6;
    const double s = std::min(1.0, tall ? (area.width() - bar - 4) / r.width() : std::min(byWidth, byHeight));
    if (s <= 0)
        return;
    resetTransform();
    scale(s, s);
    if (tall)
        centerOn(r.center().x(), r.top() + (area.height() / 2.0) / s);
    else
        centerOn(r.center());
}

void GraphView::reveal(const QString& path)
{
    for (QGraphicsItem* item : scene_->selectedItems())
        if (item->data(kPathRole).toString() == path)
            ensureVisible(item, 40, 40);
}

void GraphView::keyPressEvent(QKeyEvent* event)
{
    // + shows the selected container's forward; - folds the container around the selection.
    const QString path = scene_->selectedPath();
    GraphModel* model = scene_->graphModel();
    const int box = model->boxForPath(path);
    if (!path.isEmpty() && box >= 0 && (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Minus)) {
        const GraphModel::Box& b = model->boxes()[box];
        if (event->key() == Qt::Key_Plus && b.expandable) {
            model->setExpanded(path, true);
        } else if (event->key() == Qt::Key_Minus && b.node >= 0) {
            const QString group = QString::fromStdString(model->graph().nodes[b.node].group);
            if (!group.isEmpty()) {
                model->setExpanded(group, false);
                scene_->selectPath(group);
            }
        }
        event->accept();
        return;
    }
    QGraphicsView::keyPressEvent(event);
}

void GraphView::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        autoFit_ = false;
        const double factor = std::pow(1.0015, event->angleDelta().y());
        scale(factor, factor);
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

bool exportGraph(GraphScene& scene, const QString& path, QSize size, double scale, QString* error)
{
    if (size.isEmpty())
        size = scene.naturalSize();
    constexpr double kMaxPixels = 32000;  // a side of a PNG; QImage cannot hold much more
    const QSizeF pixels = QSizeF(size) * scale;
    if (plotFormatOf(path) == QLatin1String("png") &&
        (pixels.width() > kMaxPixels || pixels.height() > kMaxPixels)) {
        if (error)
            *error = QObject::tr("cannot write '%1': the graph would be %2x%3 pixels, more than %4 "
                                 "a side; export SVG or PDF, give a smaller size or collapse containers")
                         .arg(path)
                         .arg(qRound(pixels.width()))
                         .arg(qRound(pixels.height()))
                         .arg(kMaxPixels);
        return false;
    }
    const PlotPainter paint = [&scene](QPaintDevice* device, QSize s) { return scene.paintTo(device, s); };
    return exportPlot(paint, path, size, scale, QObject::tr("Forward graph"), error);
}

}  // namespace mx
