// --export-view: the window's views rendered headless to PNG, SVG or PDF.
#include "app/cliexport.h"
#include "app/cliscript.h"

#include "app/appearance.h"
#include "app/commandline.h"
#include "app/document.h"
#include "app/language.h"
#include "app/mainwindow.h"
#include "app/preferences.h"
#include "core/resourcebudget.h"
#include "widgets/viewexport.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <cstdlib>
#include <iostream>
#include <set>

namespace mx {

namespace {

// Runs the event loop until `done` is true or `ms` milliseconds passed.
void waitUntil(const std::function<bool()>& done, int ms)
{
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 20);
}

// Lets posted layouts and repaints run (the window was just shown or changed).
void settle(const Document& document)
{
    waitUntil([&document] { return !document.isBusy(); }, 600000);
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 150)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

}  // namespace

bool isExportView(const std::string& view)
{
    for (const char* v : {"tree", "state_dict", "named_parameters", "named_buffers", "diff", "console", "window"})
        if (view == v)
            return true;
    return false;
}

// --export-view renders the window's views headless: it takes --exec/--script, --size, --scale,
// --depth, --theme and --lang; the other batch requests print instead.
bool checkExportOptions(CommandLine& cl, const std::set<std::string>& seen, std::string* error)
{
    if (seen.count("--format") && cl.prints.empty()) {
        *error = "option '--format' needs --print WHAT";
        return false;
    }
    if (cl.printFormat != "text" && cl.json) {
        *error = "--format " + cl.printFormat + " and --json both choose how --print writes; give one of them";
        return false;
    }
    if (cl.exportView.empty()) {
        for (const char* exportOnly : {"--scale", "--depth"}) {
            if (seen.count(exportOnly)) {
                *error = std::string("option '") + exportOnly + "' needs --export-view VIEW";
                return false;
            }
        }
        return true;
    }
    cl.exportSizeGiven = seen.count("--size") > 0;
    if (cl.plotOutput.empty()) {
        *error = "option '--export-view' needs --output FILE (.png, .svg or .pdf)";
        return false;
    }
    if (seen.count("--depth") && cl.exportView != "tree") {
        *error = "option '--depth' needs --export-view tree";
        return false;
    }
    if (!cl.prints.empty() || !cl.forwardShape.empty() || cl.trainSteps || !cl.statsName.empty() ||
        !cl.plotName.empty() || cl.graph || !cl.saves.empty() || !cl.exportPython.empty() ||
        !cl.loadStateDict.empty() || !cl.screenshot.empty() || cl.json || cl.listExamples ||
        cl.timeoutSeconds > 0) {
        *error = "--export-view renders a view of the window; it cannot be combined with --print, "
                 "--forward, --train, --stats, --plot, --graph, --save-*, --export-python, "
                 "--load-state-dict, --screenshot, --json, --timeout or --list-examples";
        return false;
    }
    return true;
}

bool applyRunAppearance(const CommandLine& cl, std::string* error)
{
    if (!cl.theme.empty())
        applyTheme(cl.theme == "dark" ? Theme::Dark : Theme::Light);
    if (!cl.language.empty()) {
        QString message;
        if (!installLanguage(QString::fromStdString(cl.language), &message)) {
            *error = message.toStdString();
            return false;
        }
    }
    return true;
}

int runExportView(const CommandLine& cl, const std::string& program)
{
    const char* platform = std::getenv("QT_QPA_PLATFORM");
    if (!platform || !*platform)  // no display needed, and no window flashes on one
        ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
        if (type == QtCriticalMsg || type == QtFatalMsg)
            std::cerr << "module-explorer: " << message.toStdString() << "\n";
    });
    int qtArgc = 1;
    std::string name = program;
    char* qtArgv[] = {name.data(), nullptr};
    QApplication app(qtArgc, qtArgv);
    QApplication::setApplicationName(QStringLiteral("Module Explorer"));
    QApplication::setOrganizationName(QStringLiteral("Module Explorer"));
    applyStoredPreferences();
    if (cl.memoryBudgetBytes)
        setMemoryBudgetBytes(cl.memoryBudgetBytes);
    // Exports are for print and slides: the light theme unless --theme dark.
    CommandLine appearance = cl;
    if (appearance.theme.empty())
        appearance.theme = "light";
    std::string error;
    if (!applyRunAppearance(appearance, &error)) {
        std::cerr << "module-explorer: " << error << "\n";
        return 2;
    }

    const QSize asked(cl.plotWidth, cl.plotHeight);
    Document document;
    MainWindow window(&document);
    window.setErrorReporter([](const QString&, const QString& message) {
        std::cerr << "module-explorer: " << message.toStdString() << "\n";
    });
    window.resize(cl.exportView == "window" && cl.exportSizeGiven ? asked : QSize(1280, 800));
    window.show();
    if (cl.file.empty()) {
        QString message;
        if (!document.openExample(QString::fromStdString(cl.example), &message)) {
            std::cerr << "module-explorer: " << message.toStdString() << "\n";
            return 2;
        }
    } else {
        bool finished = false;
        QString failure;
        QObject::connect(&document, &Document::fileOpened, &window, [&finished] { finished = true; });
        // FILE.py: what the script prints goes to stdout, as with --print.
        QObject::connect(&document, &Document::scriptFinished, &window,
                         [](const QString&, const StatementOutcome& o) { std::cout << o.output.toStdString(); });
        if (!cl.modelVariable.empty())
            document.setModelChooser(modelChooserFor(cl.modelVariable));
        QObject::connect(&document, &Document::fileOpenFailed, &window,
                         [&finished, &failure](const QString&, const QString& why, bool) {
                             finished = true;
                             failure = why.isEmpty() ? QStringLiteral("cannot open the file") : why;
                         });
        document.requestFile(QString::fromStdString(cl.file));
        waitUntil([&finished] { return finished; }, 3600000);
        if (!failure.isEmpty() || !finished) {
            std::cerr << "module-explorer: " << failure.toStdString() << "\n";
            return 1;
        }
    }
    settle(document);

    // --exec and --script run in the window's console, so its transcript and the diff show them.
    for (const CommandLine::Statement& s : cl.statements) {
        bool finished = false;
        StatementOutcome outcome;
        const QMetaObject::Connection c = QObject::connect(
            &document, &Document::statementFinished, &window,
            [&finished, &outcome](const QString&, const StatementOutcome& o) {
                finished = true;
                outcome = o;
            });
        window.runInConsole(QString::fromStdString(s.text));
        waitUntil([&finished] { return finished; }, 86400000);
        QObject::disconnect(c);
        std::cout << outcome.output.toStdString();
        if (!outcome.ok) {
            std::cerr << outcome.error.toStdString() << "\n";
            return 1;
        }
    }
    if (cl.exportView == "window")  // docks and remembered geometry may have resized it
        window.resize(cl.exportSizeGiven ? asked : QSize(1280, 800));
    settle(document);

    ViewExportOptions options;
    if (cl.exportSizeGiven)
        options.size = asked;
    else if (cl.exportView == "window")
        options.size = window.size();
    options.scale = cl.exportScale;
    options.usePalette = true;
    options.palette = QApplication::palette();
    options.showSelection = false;
    options.showScrollBars = false;
    options.whole = true;
    options.depth = cl.exportDepth;
    options.title = window.exportViewLabel(QString::fromStdString(cl.exportView));
    QString message;
    if (!window.exportViewTo(QString::fromStdString(cl.exportView), QString::fromStdString(cl.plotOutput),
                             options, &message)) {
        std::cerr << "module-explorer: " << message.toStdString() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace mx
