#include "app/appearance.h"

#include <QApplication>

namespace mx {

namespace {
Theme g_theme = Theme::System;
}

QString themeName(Theme theme)
{
    switch (theme) {
    case Theme::Light: return QStringLiteral("light");
    case Theme::Dark: return QStringLiteral("dark");
    case Theme::System: break;
    }
    return QStringLiteral("system");
}

bool themeFromName(const QString& name, Theme* theme)
{
    for (Theme t : {Theme::System, Theme::Light, Theme::Dark})
        if (name == themeName(t)) {
            *theme = t;
            return true;
        }
    return false;
}

QPalette themePalette(Theme) { return QApplication::palette(); }
void applyTheme(Theme theme) { g_theme = theme; }
Theme currentTheme() { return g_theme; }
void applyStoredTheme() {}

}  // namespace mx
