#pragma once

#include <QString>
#include <QStringList>

namespace mx {

// The user-interface language: English (the source strings) or 简体中文, switchable at run time.

/** The languages offered: "en", "zh_CN". */
QStringList availableLanguages();
/** The language's own name for the menu ("English", "简体中文"). */
QString languageDisplayName(const QString& code);
/** Installs `code`'s translators (the app's .qm and Qt's own) on the running application;
 *  widgets receive QEvent::LanguageChange. False with a message for an unknown code. */
bool installLanguage(const QString& code, QString* error = nullptr);
/** The language installed last ("en" until one is installed). */
QString currentLanguage();
/** Installs the remembered language (settingskeys::kLanguage) at start-up. */
void applyStoredLanguage();

}  // namespace mx
