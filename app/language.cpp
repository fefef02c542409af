#include "app/language.h"

namespace mx {

namespace {
QString g_language = QStringLiteral("en");
}

QStringList availableLanguages() { return {QStringLiteral("en")}; }
QString languageDisplayName(const QString& code) { return code; }

bool installLanguage(const QString& code, QString* error)
{
    if (code == QLatin1String("en")) {
        g_language = code;
        return true;
    }
    if (error)
        *error = QStringLiteral("unknown language '%1'").arg(code);
    return false;
}

QString currentLanguage() { return g_language; }
void applyStoredLanguage() {}

}  // namespace mx
