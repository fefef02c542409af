// module-explorer: batch requests (--print, --list-examples) print and exit without a display;
// anything else opens the main window.
#include "app/cli.h"
#include "app/commandline.h"
#include "app/document.h"
#include "app/mainwindow.h"
#include "app/preferences.h"
#include "core/runtime.h"

#include <QApplication>
#include <QTimer>

#include <iostream>

int main(int argc, char* argv[])
{
    const std::vector<std::string> args(argv, argv + argc);
    mx::CommandLine cl;
    std::string error;
    if (!mx::parseCommandLine(args, &cl, &error)) {
        std::cerr << "module-explorer: " << error << "\n";
        return 2;
    }
    if (cl.isBatch())
        return mx::runBatch(cl, std::cout, std::cerr);

    mx::useAllCores();
    std::vector<char*> qtArgv;
    for (const std::string& a : cl.qtArgs)
        qtArgv.push_back(const_cast<char*>(a.c_str()));
    int qtArgc = static_cast<int>(qtArgv.size());
    QApplication app(qtArgc, qtArgv.data());
    QApplication::setApplicationName(QStringLiteral("Module Explorer"));
    QApplication::setOrganizationName(QStringLiteral("Module Explorer"));
    mx::applyStoredPreferences();

    mx::Document document;
    mx::MainWindow window(&document);
    document.openExample(QString::fromStdString(cl.example));
    window.show();

    if (!cl.screenshot.empty()) {
        const QString path = QString::fromStdString(cl.screenshot);
        QTimer::singleShot(500, &window, [&window, path] {
            const bool saved = window.grab().save(path, "PNG");
            if (!saved)
                std::cerr << "module-explorer: cannot write screenshot '" << path.toStdString()
                          << "'\n";
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return app.exec();
}
