#pragma once

#include <QString>

#include <functional>

class QIODevice;
class QImage;

namespace mx {

/**
 * Saves Qt-rendered output (images, SVG, PDF, text) so that a failed save leaves the old file as
 * it was: `render` writes into an in-memory device, then core/atomicfile.h replaces `path` with
 * those bytes (temporary file, fsync, rename). `render` returns false when it could not produce
 * the output. On failure returns false and sets `error` to one line, "cannot write 'PATH': REASON".
 */
bool saveAtomically(const QString& path, const std::function<bool(QIODevice& device)>& render,
                    QString* error);

/** saveAtomically() for an image in `format` ("PNG", "JPG", ...). */
bool saveImageAtomically(const QString& path, const QImage& image, const char* format, QString* error);

}  // namespace mx
