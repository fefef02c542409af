#pragma once

#include <QString>
#include <QStringList>

#include <string>

namespace mx {

// The user-interface language: English (the source strings) or 简体中文, switchable at run time.

/** The languages offered: "en", "zh_CN". */
QStringList availableLanguages();
/** The language's own name for the menu ("English", "简体中文"). */
QString languageDisplayName(const QString& code);
/** Installs `code`'s translators (the app's .qm and Qt's own) on the running application;
 *  widgets receive QEvent::LanguageChange. False with a message for an unknown code. */
bool installLanguage(const QString& code, QString* error = nullptr);
/** installLanguage, and remembers the choice (settingskeys::kLanguage) for the next start;
 *  View → Language uses it (--lang installs for one run only). */
bool chooseLanguage(const QString& code, QString* error = nullptr);
/** The language installed last ("en" until one is installed). */
QString currentLanguage();
/** Installs the remembered language (settingskeys::kLanguage) at start-up. */
void applyStoredLanguage();
/** A text a tr() call handed out (in any language) put again in the current language: the
 *  source it came from is remembered, so a built window's labels, actions and titles can be
 *  retranslated in place. Texts that did not come from tr() come back unchanged. */
QString retranslatedText(const QString& shown);
/** An example's title or description (models/core keeps them in English) in the current
 *  language; other texts come back as they are. */
QString exampleText(const std::string& english);

}  // namespace mx
