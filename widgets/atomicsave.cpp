#include "widgets/atomicsave.h"

#include "core/atomicfile.h"

#include <QBuffer>
#include <QFile>
#include <QImage>

#include <string_view>

namespace mx {

namespace {

bool saveRendered(const QString& path, const std::function<bool(QIODevice&)>& render,
                  const QString& renderFailure, QString* error)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    if (!render(buffer)) {
        if (error)
            *error = QStringLiteral("cannot write '%1': %2").arg(path, renderFailure);
        return false;
    }
    const QByteArray& bytes = buffer.data();
    std::string message;
    if (writeFileAtomically(QFile::encodeName(path).toStdString(),
                            std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())),
                            &message))
        return true;
    if (error)
        *error = QString::fromStdString(message);
    return false;
}

}  // namespace

bool saveAtomically(const QString& path, const std::function<bool(QIODevice& device)>& render,
                    QString* error)
{
    return saveRendered(path, render, QStringLiteral("the output could not be rendered"), error);
}

bool saveImageAtomically(const QString& path, const QImage& image, const char* format, QString* error)
{
    return saveRendered(
        path, [&](QIODevice& device) { return !image.isNull() && image.save(&device, format); },
        QStringLiteral("could not encode the image as %1").arg(QString::fromLatin1(format)), error);
}

}  // namespace mx
