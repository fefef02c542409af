#include "widgets/preferencesdialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace mx {

namespace {
constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
}

PreferencesDialog::PreferencesDialog(quint64 physicalBytes, quint64 defaultBytes,
                                     quint64 currentBytes, QWidget* parent)
    : QDialog(parent), budget_(new QDoubleSpinBox), defaultBytes_(defaultBytes)
{
    setWindowTitle(tr("Preferences"));
    setObjectName(QStringLiteral("preferencesDialog"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr(
        "Memory budget: the most memory one console statement (its tensors and strings) or one "
        "forward pass (its estimated activations) may use. Past it the statement raises "
        "MemoryError and changes nothing, and a forward pass is refused before it starts."));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    budget_->setObjectName(QStringLiteral("memoryBudget"));
    budget_->setSuffix(tr(" GiB"));
    budget_->setDecimals(2);
    budget_->setSingleStep(0.25);
    const double physical = physicalBytes ? physicalBytes / kGiB : 1024.0;
    budget_->setRange(0.06, physical);
    budget_->setValue(currentBytes / kGiB);
    form->addRow(tr("Memory budget"), budget_);
    form->addRow(tr("This machine"), new QLabel(physicalBytes ? tr("%1 GiB of memory").arg(physical, 0, 'f', 1)
                                                              : tr("memory size unknown")));
    form->addRow(tr("Default"), new QLabel(tr("%1 GiB (a quarter of the machine's memory)")
                                               .arg(defaultBytes / kGiB, 0, 'f', 2)));
    layout->addLayout(form);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel |
                                         QDialogButtonBox::RestoreDefaults);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { budget_->setValue(defaultBytes_ / kGiB); });
    layout->addWidget(buttons);
}

quint64 PreferencesDialog::memoryBudgetBytes() const
{
    return static_cast<quint64>(budget_->value() * kGiB);
}

bool PreferencesDialog::usesDefault() const
{
    return qAbs(budget_->value() - defaultBytes_ / kGiB) < 0.005;
}

}  // namespace mx
