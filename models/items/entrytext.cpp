#include "items/entrytext.h"

#include "core/formatting.h"

#include <QCoreApplication>
#include <QLocale>

namespace mx::entrytext {

namespace {
/** The translation context of these texts: the details line and the badges teach, so they are
 *  translated; PyTorch's names in them (state_dict(), register_buffer) stay as they are. */
struct EntryText {
    Q_DECLARE_TR_FUNCTIONS(EntryText)
};
}  // namespace

QString shape(const std::vector<int64_t>& shape)
{
    return QString::fromStdString(torchSize(shape));
}

QString badge(EntryKind kind)
{
    switch (kind) {
    case EntryKind::Parameter: return EntryText::tr("parameter");
    case EntryKind::Buffer: return EntryText::tr("buffer");
    case EntryKind::NonPersistentBuffer: return EntryText::tr("non-persistent buffer");
    case EntryKind::Attribute: return EntryText::tr("attribute · not in state_dict");
    }
    return {};
}

QColor badgeColor(EntryKind kind)
{
    switch (kind) {
    case EntryKind::Parameter: return QColor(0x1f, 0x6f, 0xc5);
    case EntryKind::Buffer: return QColor(0x2e, 0x8b, 0x3e);
    case EntryKind::NonPersistentBuffer: return QColor(0x9a, 0x6b, 0x00);
    case EntryKind::Attribute: return QColor(0x6b, 0x6b, 0x6b);
    }
    return {};
}

QString explanation(EntryKind kind, bool isNone)
{
    if (isNone)
        return EntryText::tr("Registered as None: the name is kept, but state_dict(), "
                             "parameters() and buffers() skip it.");
    switch (kind) {
    case EntryKind::Parameter:
        return EntryText::tr("Parameter: registered as nn.Parameter, so state_dict(), "
                             "parameters() and named_parameters() include it and an optimizer "
                             "trains it.");
    case EntryKind::Buffer:
        return EntryText::tr("Persistent buffer: registered with register_buffer, so "
                             "state_dict() saves it and buffers() lists it; it is not trained.");
    case EntryKind::NonPersistentBuffer:
        return EntryText::tr("Non-persistent buffer: register_buffer(..., persistent=False), so "
                             "buffers() lists it and .to() moves it, but state_dict() leaves it "
                             "out.");
    case EntryKind::Attribute:
        return EntryText::tr("Plain tensor attribute: not registered, so state_dict(), buffers() "
                             "and .to() ignore it.");
    }
    return {};
}

QString stateDictNote(EntryKind kind, bool isNone, const QString& path)
{
    if (isNone)
        return EntryText::tr("not in state_dict (None)");
    switch (kind) {
    case EntryKind::Parameter:
    case EntryKind::Buffer: return QStringLiteral("state_dict['%1']").arg(path);
    case EntryKind::NonPersistentBuffer:
        return EntryText::tr("not in state_dict (persistent=False)");
    case EntryKind::Attribute: return EntryText::tr("not in state_dict (plain attribute)");
    }
    return {};
}

QString moduleExplanation(const QString& prefix)
{
    if (prefix.isEmpty())
        return EntryText::tr("The model: state_dict() lists its own parameters and persistent "
                             "buffers first, then each submodule's, in registration order.");
    return EntryText::tr("Submodule: its parameters and persistent buffers appear in "
                         "state_dict() under the prefix '%1.'.")
        .arg(prefix);
}

QString sharedModuleExplanation(const QString& path, const QString& firstName)
{
    return EntryText::tr("Shared with %2: '%1' is the same module object as '%2' (registered "
                         "under both names). An edit through either name shows under both; "
                         "state_dict() lists its entries under each name, while named_modules(), "
                         "parameters() and named_parameters() list it once, as '%2'.")
        .arg(path, firstName);
}

QString count(int64_t n)
{
    return QLocale(QLocale::English).toString(static_cast<qlonglong>(n));
}

QString compactCount(int64_t n)
{
    const QLocale english(QLocale::English);
    if (n < 10000)
        return english.toString(static_cast<qlonglong>(n));
    if (n < 1000000)
        return english.toString(n / 1e3, 'f', 1) + QLatin1Char('K');
    if (n < 1000000000)
        return english.toString(n / 1e6, 'f', 1) + QLatin1Char('M');
    return english.toString(n / 1e9, 'f', 1) + QLatin1Char('B');
}

QString bytes(int64_t n)
{
    return QLocale(QLocale::English).formattedDataSize(n, 1);
}

}  // namespace mx::entrytext
