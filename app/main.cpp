// module-explorer: batch requests (--print, --list-examples) print and exit without a display;
// anything else opens the main window.
#include "app/appearance.h"
#include "app/cli.h"
#include "app/cliexport.h"
#include "app/cliscript.h"
#include "app/commandline.h"
#include "app/document.h"
#include "app/language.h"
#include "app/mainwindow.h"
#include "app/preferences.h"
#include "core/resourcebudget.h"
#include "core/runtime.h"
#include "widgets/atomicsave.h"

#include <QApplication>
#include <QTimer>

#include <cstdlib>
#include <iostream>
#include <new>

namespace {

bool isSet(const char* variable)
{
    const char* value = std::getenv(variable);
    return value && *value;
}

// Qt aborts inside QApplication when its platform has no display, so decide before: true when
// the window can open. --screenshot needs no screen and picks the offscreen platform itself.
bool prepareGuiPlatform(const mx::CommandLine& cl, std::string* error)
{
    std::string platform = isSet("QT_QPA_PLATFORM") ? std::getenv("QT_QPA_PLATFORM") : "";
    for (size_t i = 0; i + 1 < cl.qtArgs.size(); ++i)
        if (cl.qtArgs[i] == "-platform")
            platform = cl.qtArgs[i + 1];
    const bool x11 = isSet("DISPLAY");
    if (x11 || (!platform.empty() && platform != "xcb") || (platform.empty() && isSet("WAYLAND_DISPLAY")))
        return true;
    if (platform.empty() && !cl.screenshot.empty()) {
        ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
        return true;
    }
    const std::string program = cl.qtArgs.empty() ? "module-explorer" : cl.qtArgs.front();
    *error = "no display to open the window on (DISPLAY" +
             std::string(platform.empty() ? " and WAYLAND_DISPLAY are" : " is") +
             " not set): run 'xvfb-run " + program + " ...' or 'QT_QPA_PLATFORM=offscreen " +
             program + " ...', or use --print or --screenshot FILE (see --help)";
    return false;
}

int runGui(const mx::CommandLine& cl)
{
    mx::useAllCores();
    std::vector<char*> qtArgv;
    for (const std::string& a : cl.qtArgs)
        qtArgv.push_back(const_cast<char*>(a.c_str()));
    int qtArgc = static_cast<int>(qtArgv.size());
    QApplication app(qtArgc, qtArgv.data());
    QApplication::setApplicationName(QStringLiteral("Module Explorer"));
    QApplication::setOrganizationName(QStringLiteral("Module Explorer"));
    QApplication::setDesktopFileName(QStringLiteral("io.github.moduleexplorer.ModuleExplorer"));  // Wayland icon
    mx::applyStoredPreferences();
    mx::applyStoredTheme();
    mx::applyStoredLanguage();
    if (cl.memoryBudgetBytes)  // --memory-budget wins over Preferences for this run, unsaved
        mx::setMemoryBudgetBytes(cl.memoryBudgetBytes);
    if (std::string error; !mx::applyRunAppearance(cl, &error)) {  // --theme, --lang: this run only
        std::cerr << "module-explorer: " << error << "\n";
        return 2;
    }

    mx::Document document;
    mx::MainWindow window(&document);
    if (!cl.modelVariable.empty())  // FILE.py --model-var NAME: no list to choose from
        document.setModelChooser(mx::modelChooserFor(cl.modelVariable));
    window.show();
    if (cl.file.empty())
        document.openExample(QString::fromStdString(cl.example));
    else  // off the GUI thread, with progress; a failure is shown and the window stays empty
        window.openFileAsked(QString::fromStdString(cl.file));

    if (!cl.screenshot.empty()) {
        const QString path = QString::fromStdString(cl.screenshot);
        auto shoot = [&window, path] {
            QString error;
            const bool saved = mx::saveImageAtomically(path, window.grab().toImage(), "PNG", &error);
            if (!saved)
                std::cerr << "module-explorer: " << error.toStdString() << "\n";
            QApplication::exit(saved ? 0 : 1);
        };
        if (cl.file.empty()) {
            QTimer::singleShot(500, &window, shoot);
        } else {  // after the file has opened (or failed to)
            QObject::connect(&document, &mx::Document::fileOpened, &window,
                             [&window, shoot] { QTimer::singleShot(500, &window, shoot); });
            window.setErrorReporter([](const QString&, const QString& message) {
                std::cerr << "module-explorer: " << message.toStdString() << "\n";
                QApplication::exit(1);
            });
        }
    }
    return app.exec();
}

int run(int argc, char* argv[])
{
    const std::vector<std::string> args(argv, argv + argc);
    mx::CommandLine cl;
    std::string error;
    if (!mx::parseCommandLine(args, &cl, &error)) {
        std::cerr << "module-explorer: " << error << "\n";
        return 2;
    }
    if (!cl.exportView.empty())  // renders offscreen: no display needed
        return mx::runExportView(cl, args.front());
    if (!cl.plotName.empty()) {
        // --plot draws with Qt's widgets but never shows a window: no display needed.
        if (!isSet("QT_QPA_PLATFORM"))
            ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
        // Qt's own notes (no XDG_RUNTIME_DIR, platform hints) are not this program's output:
        // stderr keeps the one line a failure prints.
        qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
            if (type == QtCriticalMsg || type == QtFatalMsg)
                std::cerr << "module-explorer: " << message.toStdString() << "\n";
        });
        int qtArgc = 1;
        char* qtArgv[] = {argv[0], nullptr};
        QApplication app(qtArgc, qtArgv);
        return mx::runBatch(cl, std::cout, std::cerr);
    }
    if (cl.isBatch())
        return mx::runBatch(cl, std::cout, std::cerr);
    if (!prepareGuiPlatform(cl, &error)) {
        std::cerr << "module-explorer: " << error << "\n";
        return 2;
    }
    return runGui(cl);
}

std::string firstLine(const char* text)
{
    const std::string s(text ? text : "");
    return s.substr(0, s.find('\n'));
}

}  // namespace

int main(int argc, char* argv[])
{
    // Every CPU tensor from here on is counted for the memory budget, the model's own included.
    mx::installTensorAccounting();
    // Nothing escapes as an abort: whatever was not handled below ends as one line and status 1.
    try {
        return run(argc, argv);
    } catch (const std::bad_alloc&) {
        std::cerr << "module-explorer: out of memory\n";
    } catch (const std::exception& e) {
        std::cerr << "module-explorer: internal error: " << firstLine(e.what()) << "\n";
    } catch (...) {
        std::cerr << "module-explorer: internal error: unknown exception\n";
    }
    return 1;
}
