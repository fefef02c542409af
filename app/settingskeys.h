#pragma once

// The QSettings keys the app remembers between runs, in one place (tests isolate them with
// QStandardPaths::setTestModeEnabled before the first QSettings is made).

namespace mx::settingskeys {

inline constexpr const char kTheme[] = "appearance/theme";                // "system", "light", "dark"
inline constexpr const char kZoom[] = "appearance/zoom";                  // zoom steps, 0 = desktop size
inline constexpr const char kPresentation[] = "appearance/presentation";  // bool
inline constexpr const char kLanguage[] = "language";                     // "en", "zh_CN"
inline constexpr const char kGeometry[] = "window/geometry";              // saveGeometry()
inline constexpr const char kWindowState[] = "window/state";              // saveState(): docks

}  // namespace mx::settingskeys
