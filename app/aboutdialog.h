#pragma once

#include <QDialog>
#include <QStringList>

namespace mx {

/** The app's version (the CMake project version), e.g. "0.1.0". */
QString appVersion();
/**
 * The lines a bug report needs, in the current language: Qt (running and built with), LibTorch,
 * the CUDA version LibTorch was built with (or none), whether CUDA is available now (and why
 * not), and the platform. Plain text; `--version` prints them too.
 */
QStringList componentVersions();

/** Help → About Module Explorer: what the app is for and its versions, selectable and copyable. */
class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget* parent = nullptr);
    /** The versions as shown and as Copy puts them on the clipboard (plain text). */
    QString versionText() const { return versions_; }

private:
    QString versions_;
};

}  // namespace mx
