#include "app/cli.h"

#include "app/aboutdialog.h"
#include "app/clihandout.h"
#include "app/clijson.h"
#include "app/cliscript.h"
#include "app/cliforward.h"
#include "app/cligraph.h"
#include "app/clitrain.h"
#include "app/clistats.h"
#include "app/commandline.h"
#include "app/scriptfile.h"
#include "app/statementwatchdog.h"
#include "core/atomicfile.h"
#include "core/examples.h"
#include "core/formatting.h"
#include "core/listings.h"
#include "core/modelfile.h"
#include "core/modulenode.h"
#include "core/resourcebudget.h"
#include "core/sessionexport.h"
#include "core/statements/statementsession.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <memory>
#include <ostream>

namespace mx {

namespace {

QJsonObject tensorJson(const std::string& name, const TensorSlot& slot)
{
    const TensorRef& t = slot.tensor;
    QJsonObject o{{"name", qs(name)}, {"kind", kindName(slot.kind)}};
    if (t.isNone()) {
        o["shape"] = QJsonValue::Null;
        o["dtype"] = QJsonValue::Null;
        return o;
    }
    o["shape"] = shapeJson(t.shape());
    o["dtype"] = qs(t.dtypeName());
    o["device"] = qs(t.deviceName());
    o["requires_grad"] = t.requiresGrad();
    o["numel"] = static_cast<qint64>(t.numel());
    o["bytes"] = static_cast<qint64>(t.bytes());
    o["sum"] = t.sum();
    return o;
}

// extra_repr(), or what it raises ("<AttributeError: ...>") once a layer's attribute was deleted.
std::string shownExtraRepr(const ModuleNode& m)
{
    try {
        return m.extraRepr();
    } catch (const std::exception& e) {
        return "<" + std::string(e.what()) + ">";
    }
}

// --print tree: every module with its own slots, then its children, indented by depth. A module
// shared under several names is shown under each, the later ones marked with the first name.
void printTree(const ModuleNode& m, const std::string& name, const std::string& path, int depth,
               std::ostream& out, QJsonArray* json,
               const std::unordered_map<const ModuleNode*, std::string>& firstNames,
               bool insideLaterName = false)
{
    const std::string indent(2 * depth, ' ');
    const auto first = firstNames.find(&m);
    const bool laterName = first != firstNames.end() && first->second != path;
    const std::string sharedWith = laterName && !insideLaterName ? first->second : "";
    if (json) {
        QJsonObject o{{"name", qs(path)}, {"kind", "module"}, {"depth", depth},
                      {"type", qs(m.typeName())}, {"extra_repr", qs(shownExtraRepr(m))}};
        if (!sharedWith.empty())
            o["shared_with"] = qs(sharedWith);
        json->append(o);
    } else {
        out << indent << name << ": " << m.headline()
            << (sharedWith.empty() ? "" : "  (shared with " + sharedWith + ")") << "\n";
    }
    for (const auto* slots : {&m.parameters(), &m.buffers(), &m.tensorAttributes()}) {
        for (const TensorSlot& s : *slots) {
            if (json) {
                QJsonObject o = tensorJson(dottedName(path, s.name), s);
                o["depth"] = depth + 1;
                json->append(o);
                continue;
            }
            out << indent << "  " << s.name << "  " << kindName(s.kind);
            if (s.tensor.isNone()) {
                out << "  None\n";
                continue;
            }
            out << "  " << torchSize(s.tensor.shape()) << "  " << s.tensor.dtypeName() << "  "
                << s.tensor.deviceName() << "  requires_grad=" << pythonBool(s.tensor.requiresGrad())
                << (s.kind == EntryKind::Attribute || s.kind == EntryKind::NonPersistentBuffer
                        ? "  (not in state_dict)"
                        : "")
                << "\n";
        }
    }
    for (size_t c = 0; c < m.childCount(); ++c)
        printTree(m.child(c), m.childName(c), dottedName(path, m.childName(c)), depth + 1, out, json,
                  firstNames, laterName);
}

// Prints one WHAT as text (the tutorial's style) or appends it to `json`.
void printOne(const ModuleNode& root, const std::string& what, std::ostream& out, QJsonArray* json)
{
    if (what == "tree") {
        printTree(root, "model", "", 0, out, json, firstModuleNames(root));
        return;
    }
    Listing listing;
    listingFromName(what, &listing);
    if (listing == Listing::NamedModules) {
        for (const NamedModule& m : namedModules(root)) {
            if (json)
                json->append(QJsonObject{{"name", qs(m.name)},
                                         {"type", qs(m.module->typeName())},
                                         {"extra_repr", qs(shownExtraRepr(*m.module))}});
            else
                out << m.name << " --> " << m.module->headline() << "\n";
        }
        return;
    }
    const bool named = listing != Listing::Parameters && listing != Listing::Buffers;
    for (const ListingEntry& e : tensorListing(root, listing)) {
        if (json) {
            json->append(tensorJson(e.name, TensorSlot{e.name, e.tensor, e.kind}));
        } else if (named) {
            out << e.name << " --> " << torchSize(e.tensor.shape()) << "\n";
        } else {
            out << torchSize(e.tensor.shape()) << "\n";
        }
    }
}

void listExamples(bool json, std::ostream& out)
{
    QJsonArray array;
    for (const ExampleInfo& e : examples()) {
        if (json)
            array.append(QJsonObject{{"name", qs(e.name)}, {"title", qs(e.title)},
                                     {"description", qs(e.description)}});
        else
            out << e.name << "  " << e.title << "\n";
    }
    if (json)
        out << QJsonDocument(array).toJson(QJsonDocument::Indented).toStdString();
}

// --exec / --script: runs each in order on `model`; prints what the statements print. Returns
// the exit status: 1 with Python's error line at the first failing statement. With --timeout
// each top-level statement may run that long (the session raises TimeoutError at its next
// step); a watchdog ends the process when one is still running kWatchdogGraceSeconds later.
int runStatements(const CommandLine& cl, StatementSession& session, const ScriptBatch& script,
                  std::ostream& out, std::ostream& err)
{
    const double limit = cl.timeoutSeconds;
    std::unique_ptr<StatementWatchdog> watchdog;
    if (limit > 0) {
        session.setTimeLimit(limit);
        watchdog = timeLimitWatchdog(limit, out, err, [&session](auto starting, auto finished) {
            session.setStatementHooks(std::move(starting), std::move(finished));
        });
    }
    std::vector<std::string> ran;
    for (const CommandLine::Statement& s : cl.statements) {
        const std::string& source = s.text;  // a --script file was read while parsing
        const StatementResult r = session.run(source);
        out << r.output;
        if (!r.ok) {
            err << r.error << "\n";
            return 1;
        }
        ran.push_back(source);
    }
    std::string error;
    if (!cl.exportPython.empty() &&
        !writeFileAtomically(cl.exportPython,
                             script.root ? exportScriptSessionAsPython(script.source, script.variable, ran)
                                         : exportSessionAsPython(cl.example, ran),
                             &error)) {
        err << "module-explorer: " << error << "\n";
        return 1;
    }
    return 0;
}

}  // namespace

int runBatch(const CommandLine& cl, std::ostream& out, std::ostream& err)
{
    if (cl.help) {
        out << usageText();
        return 0;
    }
    if (cl.version) {
        out << "module-explorer " << appVersion().toStdString() << "\n";
        for (const QString& line : componentVersions())  // Qt, LibTorch, CUDA: for bug reports
            out << line.toStdString() << "\n";
        return 0;
    }
    if (cl.listExamples) {
        listExamples(cl.json, out);
        return 0;
    }
    if (cl.memoryBudgetBytes)  // before anything is built or run; for this process only
        setMemoryBudgetBytes(cl.memoryBudgetBytes);
    std::shared_ptr<ModuleNode> root;
    ModelSource source;
    ScriptBatch script;  // FILE.py: run first, as python3 would; its model and session go on
    if (isPythonScriptPath(cl.file)) {
        if (const int status = runScriptBatch(cl, &script, out, err))
            return status;
        if (cl.runScriptOnly)
            return 0;
        root = script.root;
        source.path = cl.file;
        source.kindName = "Python script";
    }
    try {
        if (root) {
            // made by the script
        } else if (cl.file.empty()) {
            root = buildExample(cl.example);
        } else {
            OpenedModel opened = openModelFile(cl.file);
            root = std::move(opened.root);
            source = std::move(opened.source);
        }
    } catch (const std::exception& e) {
        err << "module-explorer: " << e.what() << "\n";
        return cl.file.empty() ? 2 : 1;
    }
    if (!cl.loadStateDict.empty()) {
        try {
            const OpenedModel weights = openModelFile(cl.loadStateDict);
            const LoadStateDictReport report =
                planLoadStateDict(*root, stateDictInputOf(weights), cl.strictLoad);
            if (report.failed()) {
                err << report.error() << "\n";
                return 1;
            }
            ValueEdit::apply(report.copies);
            out << report.result() << "\n";
        } catch (const std::exception& e) {
            err << "module-explorer: " << e.what() << "\n";
            return 1;
        }
    }
    std::unique_ptr<StatementSession> session =
        script.session ? std::move(script.session) : std::make_unique<StatementSession>(*root);
    if (const int status = runStatements(cl, *session, script, out, err))
        return status;
    if (cl.trainSteps) {  // before the saves: `--train 3 ... --save-state-dict trained.pt`
        if (const int status = runTrainBatch(cl, *root, out, err))
            return status;
    }
    for (const auto& [format, path] : cl.saves) {
        try {
            saveModelFile(*root, path, format, source);
        } catch (const std::exception& e) {
            err << "module-explorer: " << e.what() << "\n";
            return 1;
        }
    }
    if (!cl.statsName.empty() || !cl.plotName.empty())
        return runStatsBatch(cl, *root, out, err);
    if (cl.graph)
        return runGraphBatch(cl, *root, out, err);
    if (cl.trainSteps)
        return 0;
    QJsonObject bundle;
    if (!cl.forwardShape.empty()) {
        QJsonObject forward;
        const int status = runForwardBatch(cl, *root, out, err, cl.json ? &forward : nullptr);
        if (status != 0)
            return status;
        if (cl.prints.empty()) {
            if (cl.json)
                out << QJsonDocument(forward).toJson(QJsonDocument::Indented).toStdString();
            return 0;
        }
        bundle[QStringLiteral("forward")] = forward;
    }
    if (cl.printFormat != "text" && !cl.prints.empty()) {  // --format markdown|html: handouts
        printHandout(*root, cl.prints, cl.printFormat, out);
        return 0;
    }
    for (const std::string& what : cl.prints) {
        if (cl.json) {
            QJsonArray array;
            printOne(*root, what, out, &array);
            bundle[qs(what)] = array;
            continue;
        }
        if (cl.prints.size() + !cl.forwardShape.empty() > 1)
            out << "== " << what << " ==\n";
        printOne(*root, what, out, nullptr);
    }
    if (cl.json) {
        // One --print gives its array; several give an object keyed by WHAT.
        const QJsonDocument doc = bundle.size() == 1
                                      ? QJsonDocument(bundle[qs(cl.prints.front())].toArray())
                                      : QJsonDocument(bundle);
        out << doc.toJson(QJsonDocument::Indented).toStdString();
    }
    return 0;
}

}  // namespace mx
