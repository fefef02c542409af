#pragma once

#include <QDialog>

class QDoubleSpinBox;
class QLabel;

namespace mx {

/**
 * Edit → Preferences…: the resource budget every job checks before it allocates (console
 * statements and forward passes), shown against the machine's memory and the default.
 */
class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    /** Sizes in bytes: the machine's memory (0: unknown), the default budget, the one in force. */
    PreferencesDialog(quint64 physicalBytes, quint64 defaultBytes, quint64 currentBytes,
                      QWidget* parent = nullptr);

    /** The budget chosen, in bytes. */
    quint64 memoryBudgetBytes() const;
    /** Whether the default was chosen (nothing needs remembering then). */
    bool usesDefault() const;

private:
    QDoubleSpinBox* budget_;
    quint64 defaultBytes_;
};

}  // namespace mx
