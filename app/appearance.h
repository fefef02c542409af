#pragma once

#include <QPalette>
#include <QString>

namespace mx {

// Themes for the whole application (Fusion style + palettes), light/dark/follow the system.

enum class Theme { System, Light, Dark };

/** "system", "light", "dark". */
QString themeName(Theme theme);
/** The theme named `name`; false for anything else. */
bool themeFromName(const QString& name, Theme* theme);
/** The palette a theme paints with (System: the light or dark one the system asks for). */
QPalette themePalette(Theme theme);
/** Applies `theme` to the running QApplication (style, palette, badge colours follow). */
void applyTheme(Theme theme);
/** The theme applied last (System until one is applied). */
Theme currentTheme();
/** Applies the remembered theme (settingskeys::kTheme) at start-up. */
void applyStoredTheme();

}  // namespace mx
