#pragma once

#include "app/document.h"

#include <QDialog>

class QPushButton;

namespace mx {

/**
 * What File → Load state_dict into Model… did: PyTorch's own line (the returned
 * _IncompatibleKeys, or the RuntimeError with nothing copied) and a table of every key —
 * loaded, missing, unexpected or with a size mismatch. A strict load that failed offers to
 * retry with strict=False.
 */
class LoadReportDialog : public QDialog {
    Q_OBJECT
public:
    LoadReportDialog(const QString& path, const LoadOutcome& outcome, QWidget* parent = nullptr);
    /** Whether the user asked to load again with strict=False. */
    bool retryNonStrict() const { return retry_; }

private:
    bool retry_ = false;
};

}  // namespace mx
