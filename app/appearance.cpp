// Themes (Fusion + a light and a dark palette, or the system's choice) and the zoom factor.
#include "app/appearance.h"

#include "app/settingskeys.h"

#include <QApplication>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

#include <algorithm>
#include <cmath>

namespace mx {

namespace {

Theme g_theme = Theme::System;
bool g_systemCaptured = false;
bool g_systemDark = false;

// The platform's palette before this module replaced it: what "System" follows.
void captureSystemPalette()
{
    if (g_systemCaptured || !qApp)
        return;
    g_systemCaptured = true;
    g_systemDark = isDarkPalette(QApplication::palette());
}

QPalette lightPalette()
{
    QPalette p;
    const QColor window(0xef, 0xef, 0xef), text(0x14, 0x14, 0x14), base(0xff, 0xff, 0xff);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0xf5, 0xf6, 0xf8));
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xdc));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x70, 0x70, 0x70));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Light, Qt::white);
    p.setColor(QPalette::Midlight, QColor(0xe3, 0xe3, 0xe3));
    p.setColor(QPalette::Mid, QColor(0xa0, 0xa0, 0xa0));
    p.setColor(QPalette::Dark, QColor(0x9f, 0x9f, 0x9f));
    p.setColor(QPalette::Shadow, QColor(0x76, 0x76, 0x76));
    p.setColor(QPalette::Highlight, QColor(0x30, 0x8c, 0xc6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x1f, 0x5f, 0xb0));
    p.setColor(QPalette::LinkVisited, QColor(0x6b, 0x3f, 0xa0));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x90, 0x90, 0x90));
    return p;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30), text(0xe8, 0xe8, 0xe8), base(0x1e, 0x1f, 0x22);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x27, 0x29, 0x2d));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x41));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3b));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x52));
    p.setColor(QPalette::Midlight, QColor(0x3e, 0x41, 0x45));
    p.setColor(QPalette::Mid, QColor(0x25, 0x26, 0x29));
    p.setColor(QPalette::Dark, QColor(0x1a, 0x1b, 0x1d));
    p.setColor(QPalette::Shadow, QColor(0x0c, 0x0c, 0x0c));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb8));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x7a, 0xb4, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xc3, 0x9b, 0xf0));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
    return p;
}

double luminance(const QColor& c)
{
    auto channel = [](double v) {
        return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

}  // namespace

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

bool systemPrefersDark()
{
    captureSystemPalette();
    return g_systemDark;
}

bool isDarkPalette(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QPalette themePalette(Theme theme)
{
    if (theme == Theme::System)
        theme = systemPrefersDark() ? Theme::Dark : Theme::Light;
    return theme == Theme::Dark ? darkPalette() : lightPalette();
}

QPalette highContrastPalette(const QPalette& palette)
{
    QPalette p = palette;
    const bool dark = isDarkPalette(palette);
    const QColor text = dark ? QColor(Qt::white) : QColor(Qt::black);
    const QColor back = dark ? QColor(Qt::black) : QColor(Qt::white);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::ToolTipText})
        p.setColor(QPalette::Active, role, text), p.setColor(QPalette::Inactive, role, text);
    // A dark window stays a shade off black: Fusion draws frames and check boxes from it.
    const QColor window = dark ? QColor(0x1e, 0x1e, 0x1e) : back;
    for (auto group : {QPalette::Active, QPalette::Inactive}) {
        p.setColor(group, QPalette::Base, back);
        p.setColor(group, QPalette::Window, window);
        p.setColor(group, QPalette::Button, dark ? QColor(0x33, 0x33, 0x33) : p.color(group, QPalette::Button));
    }
    const QColor alternate = dark ? QColor(0x1c, 0x1c, 0x1c) : QColor(0xee, 0xf2, 0xf7);
    p.setColor(QPalette::Active, QPalette::AlternateBase, alternate);
    p.setColor(QPalette::Inactive, QPalette::AlternateBase, alternate);
    const QColor highlight = dark ? QColor(0x00, 0x5f, 0xcc) : QColor(0x00, 0x3f, 0x9e);
    for (auto group : {QPalette::Active, QPalette::Inactive}) {
        p.setColor(group, QPalette::Highlight, highlight);
        p.setColor(group, QPalette::HighlightedText, Qt::white);
    }
    return p;
}

double contrastRatio(const QColor& a, const QColor& b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

void applyTheme(Theme theme)
{
    captureSystemPalette();
    g_theme = theme;
    if (!qApp)
        return;
    if (QApplication::style()->name().compare(QStringLiteral("fusion"), Qt::CaseInsensitive) != 0)
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(themePalette(theme));
}

Theme currentTheme() { return g_theme; }

void applyStoredTheme()
{
    Theme theme = Theme::System;
    themeFromName(QSettings().value(QLatin1String(settingskeys::kTheme)).toString(), &theme);
    applyTheme(theme);
}

void storeTheme(Theme theme)
{
    QSettings().setValue(QLatin1String(settingskeys::kTheme), themeName(theme));
}

double zoomFactor(int steps)
{
    return 1.0 + 0.25 * std::clamp(steps, kMinZoomStep, kMaxZoomStep);
}

}  // namespace mx
