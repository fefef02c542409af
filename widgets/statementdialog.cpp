#include "widgets/statementdialog.h"

#include "widgets/elidinglabel.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace mx {

StatementDialog::StatementDialog(const QString& title, const QString& intro, QWidget* parent)
    : QDialog(parent),
      form_(new QFormLayout),
      preview_(new ElidingLabel),
      error_(new ElidingLabel),
      buttons_(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel)),
      validationDelay_(new QTimer(this))
{
    validationDelay_->setSingleShot(true);
    validationDelay_->setInterval(kValidationDelayMs);
    connect(validationDelay_, &QTimer::timeout, this, &StatementDialog::validateNow);
    setWindowTitle(title);
    setObjectName(QStringLiteral("statementDialog"));
    auto* layout = new QVBoxLayout(this);
    auto* introLabel = new QLabel(intro);
    introLabel->setWordWrap(true);
    layout->addWidget(introLabel);
    layout->addLayout(form_);
    preview_->setObjectName(QStringLiteral("statementPreview"));
    preview_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    preview_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    preview_->setStyleSheet(QStringLiteral("background:#f4f6f8; padding:6px;"));
    error_->setObjectName(QStringLiteral("statementError"));
    error_->setStyleSheet(QStringLiteral("color:#b03a2e;"));
    layout->addWidget(new QLabel(tr("Runs in the console as:")));
    layout->addWidget(preview_);
    layout->addWidget(error_);
    layout->addWidget(buttons_);
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Run"));
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(520);
}

QLineEdit* StatementDialog::addLine(const QString& key, const QString& label, const QString& initial)
{
    auto* edit = new QLineEdit(initial);
    edit->setObjectName(key);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    form_->addRow(label, edit);
    lines_.insert(key, edit);
    connect(edit, &QLineEdit::textChanged, this, &StatementDialog::revalidate);
    return edit;
}

QCheckBox* StatementDialog::addCheck(const QString& key, const QString& label, bool checked)
{
    auto* box = new QCheckBox(label);
    box->setObjectName(key);
    box->setChecked(checked);
    form_->addRow(QString(), box);
    checks_.insert(key, box);
    connect(box, &QCheckBox::toggled, this, &StatementDialog::revalidate);
    return box;
}

QString StatementDialog::text(const QString& key) const
{
    const QLineEdit* edit = lines_.value(key);
    return edit ? edit->text().trimmed() : QString();
}

bool StatementDialog::isChecked(const QString& key) const
{
    const QCheckBox* box = checks_.value(key);
    return box && box->isChecked();
}

void StatementDialog::setBuilder(Builder builder)
{
    builder_ = std::move(builder);
    revalidate();
}

void StatementDialog::setValidator(Validator validator)
{
    validator_ = std::move(validator);
    revalidate();
}

QString StatementDialog::statement() const { return builder_ ? builder_(*this) : QString(); }

QString StatementDialog::error() const { return error_->fullText(); }

void StatementDialog::revalidate()
{
    // Typing never runs anything: the check runs once the fields have been still for a moment.
    const QString line = statement();
    preview_->setFullText(line);
    ++request_;
    validated_ = false;
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(false);
    if (line.isEmpty() || !validator_) {
        validationDelay_->stop();
        validated_ = true;
        error_->setFullText(line.isEmpty() ? tr("Fill in the fields.") : QString());
        buttons_->button(QDialogButtonBox::Ok)->setEnabled(!line.isEmpty());
        return;
    }
    validationDelay_->start();
}

void StatementDialog::validateNow()
{
    const QString line = statement();
    const quint64 request = request_;
    QPointer<StatementDialog> self(this);
    validator_(line, [self, request](const QString& problem) {
        if (!self || request != self->request_)
            return;  // the fields changed meanwhile (or the dialog is gone): a newer check follows
        self->validated_ = true;
        self->error_->setFullText(problem);
        self->buttons_->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
    });
}

}  // namespace mx
