#include "widgets/graphpanel.h"

#include "items/graphmodel.h"
#include "widgets/graphview.h"

#include <QAction>
#include <QFileDialog>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace mx {

GraphPanel::GraphPanel(GraphModel* model, QWidget* parent)
    : QWidget(parent), model_(model), scene_(new GraphScene(model, this)),
      view_(new GraphView(scene_, this)), toolbar_(new QToolBar(this)), message_(new QLabel(this))
{
    setObjectName(QStringLiteral("graphPanel"));
    toolbar_->setIconSize(QSize(16, 16));
    toolbar_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    QAction* expand = toolbar_->addAction(tr("Expand all"), model_, &GraphModel::expandAll);
    expand->setObjectName(QStringLiteral("graphExpandAll"));
    expand->setToolTip(tr("Show every container's own forward inside it"));
    QAction* collapse = toolbar_->addAction(tr("Collapse"), model_, &GraphModel::collapseAll);
    collapse->setObjectName(QStringLiteral("graphCollapse"));
    collapse->setToolTip(tr("One box per submodule the model's forward calls"));
    QAction* fit = toolbar_->addAction(tr("Fit"), view_, &GraphView::fit);
    fit->setObjectName(QStringLiteral("graphFit"));

    auto* exportMenu = new QMenu(this);
    exportMenu->addAction(tr("PNG (1×)…"), this, [this] { exportInteractively(QStringLiteral("png"), 1); });
    exportMenu->addAction(tr("PNG (2×)…"), this, [this] { exportInteractively(QStringLiteral("png"), 2); });
    exportMenu->addAction(tr("PNG (3×)…"), this, [this] { exportInteractively(QStringLiteral("png"), 3); });
    exportMenu->addAction(tr("SVG…"), this, [this] { exportInteractively(QStringLiteral("svg"), 1); });
    exportMenu->addAction(tr("PDF…"), this, [this] { exportInteractively(QStringLiteral("pdf"), 1); });
    auto* exportButton = new QToolButton(this);
    exportButton->setObjectName(QStringLiteral("graphExport"));
    exportButton->setText(tr("Export…"));
    exportButton->setMenu(exportMenu);
    exportButton->setPopupMode(QToolButton::InstantPopup);
    toolbar_->addWidget(exportButton);

    message_->setWordWrap(true);
    message_->setObjectName(QStringLiteral("graphMessage"));
    message_->setContentsMargins(6, 2, 6, 2);
    message_->hide();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(toolbar_);
    layout->addWidget(message_);
    layout->addWidget(view_, 1);

    connect(scene_, &GraphScene::moduleSelected, this, &GraphPanel::moduleSelected);
    connect(model_, &GraphModel::changed, this, &GraphPanel::onGraphChanged);
    onGraphChanged();
}

void GraphPanel::onGraphChanged()
{
    const QString message = model_->message();
    message_->setText(message);
    message_->setVisible(!message.isEmpty());
}

void GraphPanel::selectModule(const QString& path)
{
    if (scene_->selectPath(path))
        view_->reveal(path);
}

bool GraphPanel::exportTo(const QString& path, double scale, QString* error)
{
    return exportGraph(*scene_, path, QSize(), scale, error);
}

void GraphPanel::exportInteractively(const QString& format, double scale)
{
    const QString filter = format == QLatin1String("png")   ? tr("PNG image (*.png)")
                           : format == QLatin1String("svg") ? tr("SVG image (*.svg)")
                                                            : tr("PDF document (*.pdf)");
    QString path = QFileDialog::getSaveFileName(this, tr("Export graph"),
                                                QStringLiteral("forward-graph.") + format, filter);
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1Char('.') + format, Qt::CaseInsensitive))
        path += QLatin1Char('.') + format;
    QString error;
    if (!exportTo(path, scale, &error))
        QMessageBox::critical(this, tr("Export graph"),
                              tr("The graph was not exported: %1.\nAn existing file was left as it was.").arg(error));
}

}  // namespace mx
