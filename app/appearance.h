#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

namespace mx {

// Themes for the whole application (Fusion style + palettes), light/dark/follow the system, and
// the zoom steps that scale every font, row, badge and chart of the main window as one.

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
/** Remembers `theme` (settingskeys::kTheme) for the next start; applyTheme() does not. */
void storeTheme(Theme theme);
/** Whether the system asks for a dark theme: Qt 6.4 has no QStyleHints::colorScheme, so this
 *  reads the platform's own palette as it was before any theme was applied (dark window). */
bool systemPrefersDark();
/** Whether `palette` paints light text on a dark window. */
bool isDarkPalette(const QPalette& palette);
/** `palette` with pure black/white text and window colours and a strong highlight (projectors). */
QPalette highContrastPalette(const QPalette& palette);
/** WCAG 2 contrast ratio between two colours, 1 to 21. */
double contrastRatio(const QColor& a, const QColor& b);

/** Zoom steps: 0 is the desktop size; each step adds a quarter of it (-2 → 0.5×, 8 → 3×). */
inline constexpr int kMinZoomStep = -2;
inline constexpr int kMaxZoomStep = 8;
/** Presentation mode multiplies the zoom by this. */
inline constexpr double kPresentationScale = 1.5;
/** The factor of `steps` (clamped to kMinZoomStep..kMaxZoomStep). */
double zoomFactor(int steps);

}  // namespace mx
