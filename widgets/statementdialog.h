#pragma once

#include <QDialog>
#include <QHash>

#include <functional>

class QCheckBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace mx {
class ElidingLabel;

/**
 * A form that writes one console statement (Add parameter…, Register buffer…, ...): the fields
 * build the Python line, shown live; a validator runs it as PyTorch would and shows its error
 * inline, and OK stays disabled until the line would succeed.
 */
class StatementDialog : public QDialog {
    Q_OBJECT
public:
    using Builder = std::function<QString(const StatementDialog&)>;
    /** Returns Python's error line for `statement`, or "" when it would succeed. */
    using Validator = std::function<QString(const QString& statement)>;

    StatementDialog(const QString& title, const QString& intro, QWidget* parent = nullptr);

    QLineEdit* addLine(const QString& key, const QString& label, const QString& initial);
    QCheckBox* addCheck(const QString& key, const QString& label, bool checked);
    QString text(const QString& key) const;
    bool isChecked(const QString& key) const;

    void setBuilder(Builder builder);
    void setValidator(Validator validator);
    /** The statement the fields describe now. */
    QString statement() const;
    /** The inline error shown now ("" when valid). */
    QString error() const;

private:
    void revalidate();

    QFormLayout* form_;
    ElidingLabel* preview_;
    ElidingLabel* error_;
    QDialogButtonBox* buttons_;
    QHash<QString, QLineEdit*> lines_;
    QHash<QString, QCheckBox*> checks_;
    Builder builder_;
    Validator validator_;
};

}  // namespace mx
