#include "app/language.h"

#include "app/settingskeys.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QLibraryInfo>
#include <QMutex>
#include <QPointer>
#include <QSettings>
#include <QTranslator>

#include <memory>

namespace mx {

namespace {

/** The app's one installed translator: asks the current language's .qm and remembers, for each
 *  text it handed out, which source it came from, so that an open window can put the same
 *  string again in another language (see retranslatedText). */
class RecordingTranslator : public QTranslator {
public:
    bool isEmpty() const override { return false; }
    QString translate(const char* context, const char* source, const char* disambiguation,
                      int n) const override
    {
        // Workers translate too (a forward's errors): the table and the inner translator are
        // shared, so one lock guards both.
        const QMutexLocker lock(&mutex_);
        QString out;
        if (inner_)
            out = inner_->translate(context, source, disambiguation, n);
        if (!source || !*source || n >= 0)  // plural forms hold numbers: never re-looked up
            return out;
        const QString shown = out.isEmpty() ? QString::fromUtf8(source) : out;
        QList<Origin>& origins = origins_[shown];
        const Origin origin{QByteArray(context), QByteArray(source), QByteArray(disambiguation)};
        if (!origins.contains(origin))
            origins.append(origin);
        return out;
    }

    void setInner(std::unique_ptr<QTranslator> inner)
    {
        const QMutexLocker lock(&mutex_);
        inner_ = std::move(inner);
    }

    QString again(const QString& shown) const
    {
        QList<Origin> origins;
        {
            const QMutexLocker lock(&mutex_);
            origins = origins_.value(shown);
        }  // translate() below locks again
        // One text may come from several places (our "Cancel" and Qt's own): the first one
        // that the current language words differently wins.
        for (const Origin& o : origins) {
            const QString now = QCoreApplication::translate(
                o.context.constData(), o.source.constData(),
                o.disambiguation.isEmpty() ? nullptr : o.disambiguation.constData());
            if (now != shown)
                return now;
        }
        return shown;
    }

private:
    struct Origin {
        QByteArray context, source, disambiguation;
        bool operator==(const Origin& o) const
        {
            return context == o.context && source == o.source && disambiguation == o.disambiguation;
        }
    };
    mutable QMutex mutex_;
    std::unique_ptr<QTranslator> inner_;
    mutable QHash<QString, QList<Origin>> origins_;  // a text as shown → where it came from
};

QString g_language = QStringLiteral("en");
QPointer<RecordingTranslator> g_recorder;
QPointer<QTranslator> g_qtTranslator;

RecordingTranslator* recorder()
{
    if (!g_recorder && QCoreApplication::instance()) {
        g_recorder = new RecordingTranslator;
        g_recorder->setParent(QCoreApplication::instance());
        QCoreApplication::installTranslator(g_recorder);
    }
    return g_recorder;
}

}  // namespace

QStringList availableLanguages() { return {QStringLiteral("en"), QStringLiteral("zh_CN")}; }

QString languageDisplayName(const QString& code)
{
    if (code == QLatin1String("en"))
        return QStringLiteral("English");
    if (code == QLatin1String("zh_CN"))
        return QStringLiteral("简体中文");
    return code;
}

bool installLanguage(const QString& code, QString* error)
{
    if (!availableLanguages().contains(code)) {
        if (error)
            *error = QCoreApplication::translate("mx::Language",
                                                 "unknown language '%1' (choose one of: %2)")
                         .arg(code, availableLanguages().join(QStringLiteral(", ")));
        return false;
    }
    RecordingTranslator* rec = recorder();
    if (!rec) {
        if (error)
            *error = QStringLiteral("no application object to install a language on");
        return false;
    }
    std::unique_ptr<QTranslator> app;
    if (code != QLatin1String("en")) {
        app = std::make_unique<QTranslator>();
        if (!app->load(QStringLiteral(":/i18n/module-explorer_%1.qm").arg(code))) {
            if (error)
                *error = QCoreApplication::translate("mx::Language",
                                                     "the translation for '%1' is missing from "
                                                     "this build")
                             .arg(code);
            return false;
        }
    }
    // Qt's own texts (standard dialog buttons) when Debian's qt6-translations-l10n is present.
    if (g_qtTranslator) {
        QCoreApplication::removeTranslator(g_qtTranslator);
        delete g_qtTranslator;
    }
    if (code != QLatin1String("en")) {
        auto* qt = new QTranslator(QCoreApplication::instance());
        if (qt->load(QStringLiteral("qtbase_") + code,
                     QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
            QCoreApplication::installTranslator(qt);
            g_qtTranslator = qt;
        } else {
            delete qt;
        }
    }
    g_language = code;
    rec->setInner(std::move(app));
    // Re-installing moves it first in line and sends every widget QEvent::LanguageChange.
    QCoreApplication::removeTranslator(rec);
    QCoreApplication::installTranslator(rec);
    return true;
}

bool chooseLanguage(const QString& code, QString* error)
{
    if (!installLanguage(code, error))
        return false;
    QSettings().setValue(QString::fromLatin1(settingskeys::kLanguage), code);
    return true;
}

QString currentLanguage() { return g_language; }

void applyStoredLanguage()
{
    const QString stored = QSettings().value(QString::fromLatin1(settingskeys::kLanguage)).toString();
    if (!stored.isEmpty() && stored != g_language && availableLanguages().contains(stored))
        installLanguage(stored);
}

// The examples' titles and descriptions as models/core/examples.cpp words them, for lupdate.
[[maybe_unused]] const char* const kExampleTexts[] = {
    QT_TRANSLATE_NOOP("mx::Examples", "Model A: state_dict() of the tutorial's model"),
    QT_TRANSLATE_NOOP("mx::Examples", "Parameters of used and unused layers and four nn.Parameter "
                                      "attributes: 16 state_dict keys."),
    QT_TRANSLATE_NOOP("mx::Examples", "Model B: plain attribute vs. register_buffer"),
    QT_TRANSLATE_NOOP("mx::Examples", "A tensor assigned as a plain attribute is not a buffer; "
                                      "register_buffer makes one."),
    QT_TRANSLATE_NOOP("mx::Examples", "BatchNorm2d: running averages as buffers"),
    QT_TRANSLATE_NOOP("mx::Examples", "BatchNorm2d keeps running_mean, running_var and "
                                      "num_batches_tracked as persistent buffers."),
};

QString exampleText(const std::string& english)
{
    return QCoreApplication::translate("mx::Examples", english.c_str());
}

QString retranslatedText(const QString& shown)
{
    RecordingTranslator* rec = recorder();
    return rec ? rec->again(shown) : shown;
}

}  // namespace mx

namespace {
// Installed as soon as the application object exists, so that the first window's texts are
// recorded too (a window made before any language switch must still retranslate).
void installRecorderAtStartup() { mx::retranslatedText(QString()); }
}  // namespace
Q_COREAPP_STARTUP_FUNCTION(installRecorderAtStartup)
