#pragma once

class QWidget;

namespace mx {

// The app's remembered settings (QSettings) and the core values they set.

/** Applies the remembered settings to the core (the memory budget) at start-up. */
void applyStoredPreferences();
/** Edit → Preferences…: shows the dialog; on OK applies and remembers the choice. */
void editPreferences(QWidget* parent);

}  // namespace mx
