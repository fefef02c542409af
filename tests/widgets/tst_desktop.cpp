// Issue 13's desktop integration: the window's geometry, dock layout and recent files survive a
// restart (settings isolated by QStandardPaths' test mode); a garbled, older or foreign saved
// layout keeps the docks usable; View → Reset Layout; Help → About names Qt, LibTorch and CUDA;
// `cmake --install` lays out the binary, .desktop file, icons and AppStream metainfo, checked
// by desktop-file-validate and appstreamcli when they are installed.
#include "app/aboutdialog.h"
#include "app/document.h"
#include "app/mainwindow.h"
#include "app/settingskeys.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDockWidget>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QToolBar>
#include <QXmlStreamReader>
#include <QtTest>

#include <memory>

using namespace mx;

namespace {

const char* const kAppId = "io.github.moduleexplorer.ModuleExplorer";
const char* const kDocks[] = {"consoleDock", "historyDock", "forwardDock",
                              "graphDock", "trainDock", "inspectorDock"};

/** What a user sees of one dock: shown (alone or as a tab), where, floating. */
struct DockLook {
    bool shown;
    Qt::DockWidgetArea area;
    bool floating;
    bool operator==(const DockLook& o) const
    {
        return shown == o.shown && area == o.area && floating == o.floating;
    }
};

QDockWidget* dock(QMainWindow* w, const char* name)
{
    return w->findChild<QDockWidget*>(QString::fromLatin1(name));
}

QMap<QString, DockLook> docksOf(QMainWindow* w)
{
    QMap<QString, DockLook> looks;
    for (const char* name : kDocks) {
        QDockWidget* d = dock(w, name);
        looks[QString::fromLatin1(name)] = {d->toggleViewAction()->isChecked(), w->dockWidgetArea(d),
                                            d->isFloating()};
    }
    return looks;
}

QString describe(const QMap<QString, DockLook>& looks)
{
    QStringList parts;
    for (auto it = looks.begin(); it != looks.end(); ++it)
        parts << QStringLiteral("%1:%2/%3/%4").arg(it.key()).arg(it->shown).arg(int(it->area))
                     .arg(it->floating);
    return parts.join(QLatin1Char(' '));
}

QString readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

/** Runs a program; its exit code (-1 when it could not run) and what it printed. */
int runProgram(const QString& program, const QStringList& args, QString* output, int timeoutMs = 120000)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        *output = QStringLiteral("timed out or did not start: ") + p.errorString();
        return -1;
    }
    *output = QString::fromUtf8(p.readAll());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

}  // namespace

class DesktopTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // Before the first QSettings: the user's own settings are never read or written.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("Module Explorer Desktop Tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_desktop"));
        QVERIFY(document.openExample(QStringLiteral("buffer-demo")));
    }

    void init() { QSettings().clear(); }

    void cleanupTestCase() { QSettings().clear(); }

    void geometryAndDockLayoutSurviveARestart()
    {
        auto window = newWindow();
        const QMap<QString, DockLook> defaults = docksOf(window.get());
        QVERIFY2(defaults[QStringLiteral("historyDock")].shown, qPrintable(describe(defaults)));
        window->setGeometry(37, 42, 710, 530);
        dock(window.get(), "historyDock")->close();
        window->addDockWidget(Qt::LeftDockWidgetArea, dock(window.get(), "consoleDock"));
        dock(window.get(), "inspectorDock")->setFloating(true);
        QCoreApplication::processEvents();
        const QRect geometry = window->geometry();
        const QMap<QString, DockLook> changed = docksOf(window.get());
        QVERIFY(changed != defaults);
        QVERIFY(window->close());  // closeEvent saves
        window.reset();

        auto again = newWindow();
        QCOMPARE(again->geometry(), geometry);
        const QMap<QString, DockLook> restored = docksOf(again.get());
        QVERIFY2(restored == changed, qPrintable(describe(restored) + " vs " + describe(changed)));
        QVERIFY(!restored[QStringLiteral("historyDock")].shown);
        QCOMPARE(restored[QStringLiteral("consoleDock")].area, Qt::LeftDockWidgetArea);
        QVERIFY(restored[QStringLiteral("inspectorDock")].floating);
        QVERIFY(restored[QStringLiteral("forwardDock")].shown);
    }

    void recentFilesSurviveARestart()
    {
        const QString path = QStringLiteral(MX_FIXTURES_DIR "/files/models/parameters.pt");
        {
            auto window = newWindow();
            QSignalSpy opened(&document, &Document::fileOpened);
            window->openFileAsked(path);
            QVERIFY(opened.wait(30000));
            QVERIFY(window->close());
        }
        auto again = newWindow();
        QCOMPARE(again->recentFiles().value(0), path);
        QStringList listed;  // what File → Open Recent lists
        for (QMenu* menu : again->findChildren<QMenu*>())
            if (menu->title() == QStringLiteral("Open &Recent"))
                for (QAction* a : menu->actions())
                    listed << a->text();
        QVERIFY2(listed.join(QLatin1Char('|')).contains(QStringLiteral("parameters.pt")),
                 qPrintable(listed.join(QLatin1Char('|'))));
        QVERIFY(document.openExample(QStringLiteral("buffer-demo")));
    }

    void aGarbledSavedLayoutKeepsTheDefaults()
    {
        const QMap<QString, DockLook> defaults = docksOf(newWindow().get());
        const QSize defaultSize = newWindow()->size();
        QSettings settings;
        settings.setValue(QLatin1String(settingskeys::kGeometry), QByteArray("not a geometry"));
        settings.setValue(QLatin1String(settingskeys::kWindowState),
                          QByteArray("\x00\x00\x00\xffgarbage", 11));
        auto window = newWindow();
        QCOMPARE(window->size(), defaultSize);
        QVERIFY2(docksOf(window.get()) == defaults, qPrintable(describe(docksOf(window.get()))));
    }

    void aLayoutFromAnOtherVersionKeepsTheDefaults()
    {
        QByteArray state;
        QMap<QString, DockLook> defaults;
        {
            auto window = newWindow();
            defaults = docksOf(window.get());
            for (const char* name : kDocks)
                dock(window.get(), name)->close();
            state = window->saveState(MainWindow::kLayoutVersion + 1);  // a later layout
        }
        QSettings().setValue(QLatin1String(settingskeys::kWindowState), state);
        auto window = newWindow();
        QVERIFY2(docksOf(window.get()) == defaults, qPrintable(describe(docksOf(window.get()))));
    }

    void anOlderLayoutWithoutNewerDocksKeepsThemShown()
    {
        // A layout saved when the window had only the Console and History docks: the docks it
        // does not know stay where they are by default, shown.
        QByteArray state;
        {
            QMainWindow old;
            for (const char* name : {"consoleDock", "historyDock"}) {
                auto* d = new QDockWidget(QString::fromLatin1(name), &old);
                d->setObjectName(QString::fromLatin1(name));
                old.addDockWidget(Qt::RightDockWidgetArea, d);
            }
            dock(&old, "historyDock")->hide();
            state = old.saveState(MainWindow::kLayoutVersion);
        }
        QSettings().setValue(QLatin1String(settingskeys::kWindowState), state);
        auto window = newWindow();
        const QMap<QString, DockLook> looks = docksOf(window.get());
        QCOMPARE(looks[QStringLiteral("consoleDock")].area, Qt::RightDockWidgetArea);
        QVERIFY(!looks[QStringLiteral("historyDock")].shown);
        for (const char* name : {"forwardDock", "graphDock", "trainDock", "inspectorDock"}) {
            const DockLook look = looks[QString::fromLatin1(name)];
            QVERIFY2(look.shown && look.area == Qt::BottomDockWidgetArea, qPrintable(describe(looks)));
        }
    }

    void resetLayoutBringsBackTheDefaults()
    {
        auto window = newWindow();
        const QMap<QString, DockLook> defaults = docksOf(window.get());
        dock(window.get(), "forwardDock")->close();
        dock(window.get(), "graphDock")->setFloating(true);
        window->addDockWidget(Qt::RightDockWidgetArea, dock(window.get(), "historyDock"));
        auto* toolbar = window->findChild<QToolBar*>(QStringLiteral("editToolbar"));
        QVERIFY(toolbar && !toolbar->isHidden());
        toolbar->hide();
        QVERIFY(docksOf(window.get()) != defaults);
        auto* reset = window->findChild<QAction*>(QStringLiteral("resetLayoutAction"));
        QVERIFY(reset);
        reset->trigger();
        QVERIFY2(docksOf(window.get()) == defaults, qPrintable(describe(docksOf(window.get()))));
        QVERIFY(!toolbar->isHidden());
    }

    void aboutNamesQtLibTorchAndCuda()
    {
        auto window = newWindow();
        auto* about = window->findChild<QAction*>(QStringLiteral("aboutAction"));
        QVERIFY(about);
        about->trigger();
        auto* dialog = window->findChild<AboutDialog*>();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto* versions = dialog->findChild<QPlainTextEdit*>(QStringLiteral("aboutVersions"));
        QVERIFY(versions);
        const QString text = versions->toPlainText();
        QCOMPARE(text, dialog->versionText());
        QVERIFY2(text.contains(QStringLiteral("Module Explorer 0.1.0")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Qt ") + QString::fromLatin1(qVersion())), qPrintable(text));
        QVERIFY2(text.contains(QRegularExpression(QStringLiteral("\nLibTorch [12]\\.\\d+\\.\\d+"))), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("CUDA: ")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("CUDA available: ")), qPrintable(text));
        QVERIFY(versions->isReadOnly());
        QVERIFY(versions->textInteractionFlags() & Qt::TextSelectableByKeyboard);
        QVERIFY(versions->textInteractionFlags() & Qt::TextSelectableByMouse);
        auto* copy = dialog->findChild<QPushButton*>(QStringLiteral("copyVersions"));
        QVERIFY(copy);
        if (const QByteArray dir = qgetenv("MX_SCREENSHOT_DIR"); !dir.isEmpty())
            dialog->grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/about.png"));
        QApplication::clipboard()->clear();
        copy->click();
        QCOMPARE(QApplication::clipboard()->text(), text);
        dialog->close();
    }

    void installPutsTheFilesInPlace()
    {
        QVERIFY(install());
        const QFileInfo binary(installed(QStringLiteral("bin/module-explorer")));
        QVERIFY2(binary.isFile() && binary.isExecutable() && binary.size() > 1000000,
                 qPrintable(QStringLiteral("%1: %2 bytes").arg(binary.filePath()).arg(binary.size())));
        const QString app = QString::fromLatin1(kAppId);
        const QString desktop = readAll(installed(QStringLiteral("share/applications/%1.desktop").arg(app)));
        QVERIFY(desktop.startsWith(QStringLiteral("[Desktop Entry]")));
        QVERIFY(desktop.contains(QStringLiteral("\nExec=module-explorer ")));
        QVERIFY(desktop.contains(QStringLiteral("\nIcon=%1\n").arg(app)));

        QXmlStreamReader svg(readAll(installed(QStringLiteral("share/icons/hicolor/scalable/apps/%1.svg").arg(app))));
        QVERIFY(svg.readNextStartElement());
        QCOMPARE(svg.name().toString(), QStringLiteral("svg"));
        for (int size : {48, 256}) {
            const QString path = installed(QStringLiteral("share/icons/hicolor/%1x%1/apps/%2.png").arg(size).arg(app));
            QImage png;
            QVERIFY2(png.load(path, "PNG"), qPrintable(path));
            QCOMPARE(png.size(), QSize(size, size));
            QCOMPARE(qAlpha(png.pixel(size / 2, size / 2)), 255);  // the icon is drawn, not blank
            QCOMPARE(qAlpha(png.pixel(0, 0)), 0);                  // its rounded corner is clear
        }

        QXmlStreamReader metainfo(readAll(installed(QStringLiteral("share/metainfo/%1.metainfo.xml").arg(app))));
        QVERIFY(metainfo.readNextStartElement());
        QCOMPARE(metainfo.name().toString(), QStringLiteral("component"));
        QVERIFY(metainfo.readNextStartElement());
        QCOMPARE(metainfo.readElementText(), app);

        QString output;  // the installed binary runs and names its versions
        QCOMPARE(runProgram(binary.filePath(), {QStringLiteral("--version")}, &output), 0);
        QVERIFY2(output.startsWith(QStringLiteral("module-explorer 0.1.0\n")), qPrintable(output));
        QVERIFY2(output.contains(QStringLiteral("\nLibTorch ")), qPrintable(output));
        QVERIFY2(output.contains(QStringLiteral("\nCUDA")), qPrintable(output));
    }

    void installedDesktopFileValidates()
    {
        const QString validator = QStandardPaths::findExecutable(QStringLiteral("desktop-file-validate"));
        if (validator.isEmpty())
            QSKIP("desktop-file-validate is not installed (desktop-file-utils)");
        QVERIFY(install());
        const QString file = installed(QStringLiteral("share/applications/%1.desktop").arg(QLatin1String(kAppId)));
        QString output;
        const int rc = runProgram(validator, {file}, &output);
        QVERIFY2(rc == 0 && !output.contains(QStringLiteral("error")), qPrintable(output));
    }

    void installedMetainfoValidates()
    {
        const QString file = installed(QStringLiteral("share/metainfo/%1.metainfo.xml").arg(QLatin1String(kAppId)));
        const QString cli = QStandardPaths::findExecutable(QStringLiteral("appstreamcli"));
        const QString util = QStandardPaths::findExecutable(QStringLiteral("appstream-util"));
        if (cli.isEmpty() && util.isEmpty())
            QSKIP("neither appstreamcli nor appstream-util is installed (appstream)");
        QVERIFY(install());
        QString output;
        const int rc = !cli.isEmpty()
            ? runProgram(cli, {QStringLiteral("validate"), QStringLiteral("--no-net"), file}, &output)
            : runProgram(util, {QStringLiteral("validate-relax"), QStringLiteral("--nonet"), file}, &output);
        QVERIFY2(rc == 0, qPrintable(output));
    }

private:
    std::unique_ptr<MainWindow> newWindow()
    {
        auto window = std::make_unique<MainWindow>(&document);
        window->setUnsavedPrompt([] { return int(QMessageBox::Discard); });
        window->setErrorReporter([](const QString&, const QString& message) { qWarning() << message; });
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            qWarning("the window was not exposed");
        return window;
    }

    /** `cmake --install` of this build tree into a fresh prefix, once. */
    bool install()
    {
        if (didInstall)
            return true;
        const QStringList args{QStringLiteral("--install"), QStringLiteral(MX_BINARY_DIR),
                               QStringLiteral("--prefix"), prefix.path()};
        QString output;
        didInstall = runProgram(QStringLiteral(MX_CMAKE_COMMAND), args, &output) == 0;
        if (!didInstall)
            qWarning().noquote() << "cmake --install failed:" << output;
        return didInstall;
    }

    /** Where `relative` lies under the install prefix. */
    QString installed(const QString& relative) const { return prefix.path() + QLatin1Char('/') + relative; }

    Document document;
    QTemporaryDir prefix;
    bool didInstall = false;
};

QTEST_MAIN(DesktopTest)
#include "tst_desktop.moc"
