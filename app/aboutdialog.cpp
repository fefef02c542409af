// Help → About Module Explorer and the version lines `--version` prints.
#include "app/aboutdialog.h"

#include "core/forward.h"
#include "core/runtime.h"

#include <QApplication>
#include <QClipboard>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSysInfo>
#include <QVBoxLayout>

#ifndef MX_VERSION
#define MX_VERSION "unknown"
#endif

namespace mx {

QString appVersion() { return QStringLiteral(MX_VERSION); }

QStringList componentVersions()
{
    QStringList lines;
    lines << QCoreApplication::translate("mx::AboutDialog", "Qt %1 (built with Qt %2)")
                 .arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR));
    lines << QCoreApplication::translate("mx::AboutDialog", "LibTorch %1")
                 .arg(QString::fromStdString(libtorchVersion()));
    const QString cuda = QString::fromStdString(cudaBuildVersion());
    if (cuda.isEmpty())
        lines << QCoreApplication::translate("mx::AboutDialog",
                                             "CUDA: none (LibTorch was built for the CPU only)");
    else
        lines << QCoreApplication::translate("mx::AboutDialog",
                                             "CUDA: %1 (the version LibTorch was built with)").arg(cuda);
    if (cudaAvailable()) {
        lines << QCoreApplication::translate("mx::AboutDialog", "CUDA available: yes, %n GPU(s)", nullptr,
                                             cudaDeviceCount());
    } else if (!cuda.isEmpty()) {  // a CUDA LibTorch on a machine without a usable GPU
        lines << QCoreApplication::translate("mx::AboutDialog",
                                             "CUDA available: no (no CUDA GPU is visible to this process)");
    } else {  // the reason the Forward dock's device box gives
        lines << QCoreApplication::translate("mx::AboutDialog", "CUDA available: no (%1)")
                     .arg(QString::fromStdString(cudaUnavailableReason()));
    }
    lines << QCoreApplication::translate("mx::AboutDialog", "Platform: %1, %2")
                 .arg(QSysInfo::prettyProductName(), QSysInfo::currentCpuArchitecture());
    return lines;
}

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("About Module Explorer"));
    versions_ = tr("Module Explorer %1").arg(appVersion()) + QLatin1Char('\n') +
                componentVersions().join(QLatin1Char('\n'));

    auto* icon = new QLabel;
    icon->setPixmap(QIcon(QStringLiteral(":/icons/module-explorer.svg")).pixmap(64, 64));
    icon->setAlignment(Qt::AlignTop);
    auto* intro = new QLabel(
        tr("<h3>Module Explorer %1</h3><p>See how parameters, buffers and plain attributes make "
           "up a PyTorch module's <code>state_dict()</code>, and change the module live.</p>"
           "<p>For a bug report, copy the versions below:</p>")
            .arg(appVersion().toHtmlEscaped()));
    intro->setWordWrap(true);
    intro->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);

    auto* versions = new QPlainTextEdit(versions_);
    versions->setObjectName(QStringLiteral("aboutVersions"));
    versions->setReadOnly(true);
    versions->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    versions->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    versions->setLineWrapMode(QPlainTextEdit::WidgetWidth);  // the CUDA reason is long
    const QFontMetrics metrics(versions->font());
    versions->setMinimumWidth(metrics.horizontalAdvance(QLatin1Char('x')) * 76);
    versions->setMinimumHeight(metrics.lineSpacing() * (versions_.count(QLatin1Char('\n')) + 4) + 12);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton* copy = buttons->addButton(tr("&Copy Versions"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyVersions"));
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(versions_); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* top = new QHBoxLayout;
    top->addWidget(icon);
    top->addWidget(intro, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(versions, 1);
    layout->addWidget(buttons);
}

}  // namespace mx
