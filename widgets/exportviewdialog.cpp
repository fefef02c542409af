#include "widgets/exportviewdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>
#include <QSpinBox>

namespace mx {

ExportViewDialog::ExportViewDialog(const QStringList& views, const QStringList& labels, QWidget* parent)
    : QDialog(parent),
      views_(views),
      view_(new QComboBox),
      format_(new QComboBox),
      scale_(new QComboBox),
      width_(new QSpinBox),
      height_(new QSpinBox),
      theme_(new QComboBox),
      whole_(new QCheckBox(tr("Whole view: the tree fully expanded, every row of a listing"))),
      selection_(new QCheckBox(tr("Show the selection"))),
      scrollBars_(new QCheckBox(tr("Show scroll bars")))
{
    setWindowTitle(tr("Export View"));
    setObjectName(QStringLiteral("exportViewDialog"));
    for (int i = 0; i < views.size(); ++i)
        view_->addItem(i < labels.size() ? labels[i] : views[i], views[i]);
    view_->setObjectName(QStringLiteral("exportView"));
    format_->addItem(tr("PNG image"), QStringLiteral("png"));
    format_->addItem(tr("SVG (vector, text stays text)"), QStringLiteral("svg"));
    format_->addItem(tr("PDF (vector)"), QStringLiteral("pdf"));
    format_->setObjectName(QStringLiteral("exportFormat"));
    for (int s = 1; s <= 3; ++s)
        scale_->addItem(tr("%1×").arg(s), s);
    scale_->setObjectName(QStringLiteral("exportScale"));
    for (QSpinBox* box : {width_, height_}) {
        box->setRange(0, 8000);
        box->setSingleStep(100);
        box->setSpecialValueText(tr("from the view"));
        box->setSuffix(tr(" px"));
    }
    width_->setObjectName(QStringLiteral("exportWidth"));
    height_->setObjectName(QStringLiteral("exportHeight"));
    theme_->addItem(tr("Light print theme"), true);
    theme_->addItem(tr("As on screen"), false);
    theme_->setObjectName(QStringLiteral("exportTheme"));
    whole_->setChecked(true);
    selection_->setChecked(false);
    scrollBars_->setChecked(false);

    auto* size = new QHBoxLayout;
    size->addWidget(width_);
    size->addWidget(height_);
    auto* form = new QFormLayout;
    form->addRow(tr("&View:"), view_);
    form->addRow(tr("&Format:"), format_);
    form->addRow(tr("S&cale (PNG):"), scale_);
    form->addRow(tr("Size (width × height):"), size);
    form->addRow(tr("&Theme:"), theme_);
    form->addRow(whole_);
    form->addRow(selection_);
    form->addRow(scrollBars_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export…"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(format_, &QComboBox::currentIndexChanged, this, &ExportViewDialog::updateEnabled);
    connect(view_, &QComboBox::currentIndexChanged, this, &ExportViewDialog::updateEnabled);
    updateEnabled();
}

void ExportViewDialog::updateEnabled()
{
    scale_->setEnabled(format() == QLatin1String("png"));
    const QString v = view();
    const bool plot = v == QLatin1String("latency") || v == QLatin1String("plot");
    whole_->setEnabled(!plot && v != QLatin1String("window"));
    selection_->setEnabled(!plot && v != QLatin1String("window") && v != QLatin1String("console"));
    scrollBars_->setEnabled(selection_->isEnabled());
}

void ExportViewDialog::setView(const QString& view)
{
    const int i = views_.indexOf(view);
    if (i >= 0)
        view_->setCurrentIndex(i);
}

QString ExportViewDialog::view() const { return view_->currentData().toString(); }
QString ExportViewDialog::format() const { return format_->currentData().toString(); }

void ExportViewDialog::setFormat(const QString& format)
{
    const int i = format_->findData(format);
    if (i >= 0)
        format_->setCurrentIndex(i);
}

double ExportViewDialog::scale() const { return format() == QLatin1String("png") ? scale_->currentData().toInt() : 1; }
QSize ExportViewDialog::size() const { return QSize(width_->value(), height_->value()); }
bool ExportViewDialog::printTheme() const { return theme_->currentData().toBool(); }
bool ExportViewDialog::showSelection() const { return selection_->isEnabled() && selection_->isChecked(); }
bool ExportViewDialog::showScrollBars() const { return scrollBars_->isEnabled() && scrollBars_->isChecked(); }
bool ExportViewDialog::whole() const { return whole_->isEnabled() && whole_->isChecked(); }

}  // namespace mx
