#include "app/preferences.h"

#include "core/resourcebudget.h"
#include "widgets/preferencesdialog.h"

#include <QSettings>

namespace mx {

namespace {
const char* const kMemoryBudgetKey = "limits/memoryBudgetBytes";
}

void applyStoredPreferences()
{
    const quint64 stored = QSettings().value(QLatin1String(kMemoryBudgetKey), 0).toULongLong();
    setMemoryBudgetBytes(stored);  // 0: the default
}

void editPreferences(QWidget* parent)
{
    PreferencesDialog dialog(physicalMemoryBytes(), defaultMemoryBudgetBytes(), memoryBudgetBytes(),
                             parent);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QSettings settings;
    if (dialog.usesDefault()) {
        settings.remove(QLatin1String(kMemoryBudgetKey));
        setMemoryBudgetBytes(0);
    } else {
        settings.setValue(QLatin1String(kMemoryBudgetKey), dialog.memoryBudgetBytes());
        setMemoryBudgetBytes(dialog.memoryBudgetBytes());
    }
}

}  // namespace mx
