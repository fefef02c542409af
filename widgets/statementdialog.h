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
    /** Checks `statement` (asynchronously, e.g. on the model's worker) and calls `done` with
     *  Python's error line, or "" when it would succeed. */
    using Validator =
        std::function<void(const QString& statement, std::function<void(const QString&)> done)>;
    /** How long after the last change the statement is checked. */
    static constexpr int kValidationDelayMs = 250;

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
    /** Whether the statement shown has been checked (false while the check is due or runs). */
    bool isValidated() const { return validated_; }

private:
    void revalidate();
    void validateNow();

    QFormLayout* form_;
    ElidingLabel* preview_;
    ElidingLabel* error_;
    QDialogButtonBox* buttons_;
    QHash<QString, QLineEdit*> lines_;
    QHash<QString, QCheckBox*> checks_;
    Builder builder_;
    Validator validator_;
    class QTimer* validationDelay_;
    bool validated_ = false;
    quint64 request_ = 0;  // only the newest check's answer is shown
};

}  // namespace mx
