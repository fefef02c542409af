// --print ... --format markdown|html: the tree and PyTorch's listings as handouts for a class.
#include "app/clihandout.h"

#include "core/formatting.h"
#include "core/listings.h"
#include "core/modulenode.h"

#include <QString>

#include <ostream>

namespace mx {

namespace {

std::string html(const std::string& text)
{
    return QString::fromStdString(text).toHtmlEscaped().toStdString();
}

// Markdown: names, shapes and reprs as code spans (nothing inside is markup); a backtick in
// the text gets a longer fence, a pipe is escaped for tables, line breaks become spaces.
std::string code(const std::string& text)
{
    std::string body;
    for (char c : text) {
        if (c == '|')
            body += '\\';
        body += c == '\n' || c == '\r' ? ' ' : c;
    }
    if (body.empty())
        return "` `";
    if (body.find('`') == std::string::npos)
        return "`" + body + "`";
    return "`` " + body + " ``";
}

std::string kindWords(EntryKind kind)
{
    std::string words = kindName(kind);
    if (kind == EntryKind::Attribute || kind == EntryKind::NonPersistentBuffer)
        words += " (not in state_dict)";
    return words;
}

std::string tensorWords(const TensorSlot& s)
{
    if (s.tensor.isNone())
        return "None";
    return torchSize(s.tensor.shape()) + ", " + s.tensor.dtypeName() + ", " + s.tensor.deviceName() +
           ", requires_grad=" + pythonBool(s.tensor.requiresGrad());
}

struct TreePrinter {
    bool asHtml;
    std::ostream& out;
    std::unordered_map<const ModuleNode*, std::string> firstNames;

    void module(const ModuleNode& m, const std::string& name, const std::string& path, int depth, bool insideLater)
    {
        const auto first = firstNames.find(&m);
        const bool later = first != firstNames.end() && first->second != path;
        const std::string shared = later && !insideLater ? first->second : "";
        const std::string indent(2 * depth, ' ');
        if (asHtml) {
            out << indent << "<li><span class=\"name\">" << html(name) << "</span> <span class=\"kind\">module</span> <code>"
                << html(m.headline()) << "</code>"
                << (shared.empty() ? "" : " <span class=\"kind\">shared with " + html(shared) + "</span>") << "\n"
                << indent << "<ul>\n";
        } else {
            out << indent << "- **" << code(name) << "** — module — " << code(m.headline())
                << (shared.empty() ? "" : " — shared with " + code(shared)) << "\n";
        }
        for (const auto* slots : {&m.parameters(), &m.buffers(), &m.tensorAttributes()}) {
            for (const TensorSlot& s : *slots) {
                if (asHtml)
                    out << indent << "  <li><span class=\"name\">" << html(s.name) << "</span> <span class=\"kind\">"
                        << html(kindWords(s.kind)) << "</span> " << html(tensorWords(s)) << "</li>\n";
                else
                    out << indent << "  - " << code(s.name) << " — " << kindWords(s.kind) << " — "
                        << code(tensorWords(s)) << "\n";
            }
        }
        for (size_t c = 0; c < m.childCount(); ++c)
            module(m.child(c), m.childName(c), dottedName(path, m.childName(c)), depth + 1, later);
        if (asHtml)
            out << indent << "</ul></li>\n";
    }
};

// One row per entry, PyTorch's order; the row number first as in the window's listings.
void listingTable(const ModuleNode& root, const std::string& what, bool asHtml, std::ostream& out)
{
    Listing listing;
    listingFromName(what, &listing);
    std::vector<std::string> header{"#"};
    std::vector<std::vector<std::string>> rows;
    if (listing == Listing::NamedModules) {
        header.insert(header.end(), {"name", "module"});
        for (const NamedModule& m : namedModules(root))
            rows.push_back({m.name.empty() ? "(the model)" : m.name, m.module->headline()});
    } else {
        const bool named = listing != Listing::Parameters && listing != Listing::Buffers;
        if (named)
            header.push_back("name");
        header.insert(header.end(), {"shape", "kind", "dtype"});
        for (const ListingEntry& e : tensorListing(root, listing)) {
            std::vector<std::string> row;
            if (named)
                row.push_back(e.name);
            row.push_back(e.tensor.isNone() ? "None" : torchSize(e.tensor.shape()));
            row.push_back(kindWords(e.kind));
            row.push_back(e.tensor.isNone() ? "" : e.tensor.dtypeName());
            rows.push_back(std::move(row));
        }
    }
    for (size_t i = 0; i < rows.size(); ++i)
        rows[i].insert(rows[i].begin(), std::to_string(i));
    if (asHtml) {
        out << "<table>\n<tr>";
        for (const std::string& h : header)
            out << "<th>" << html(h) << "</th>";
        out << "</tr>\n";
        for (const auto& row : rows) {
            out << "<tr>";
            for (const std::string& cell : row)
                out << "<td>" << html(cell) << "</td>";
            out << "</tr>\n";
        }
        out << "</table>\n";
        return;
    }
    out << "|";
    for (const std::string& h : header)
        out << " " << h << " |";
    out << "\n|";
    for (size_t i = 0; i < header.size(); ++i)
        out << " --- |";
    out << "\n";
    for (const auto& row : rows) {
        out << "|";
        for (const std::string& cell : row)
            out << " " << (&cell == &row[0] || cell.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789 -()_") == std::string::npos ? cell : code(cell)) << " |";
        out << "\n";
    }
}

}  // namespace

void printHandout(const ModuleNode& root, const std::vector<std::string>& whats, const std::string& format,
                  std::ostream& out)
{
    const bool asHtml = format == "html";
    if (asHtml)
        out << "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>" << html(root.headline())
            << "</title>\n<style>\nbody { font-family: sans-serif; }\n"
               "table { border-collapse: collapse; }\n"
               "th, td { border: 1px solid #bbb; padding: 2px 8px; text-align: left; }\n"
               "code, td { font-family: monospace; }\n"
               ".kind { border: 1px solid #888; border-radius: 8px; padding: 0 6px; font-size: 90%; }\n"
               ".name { font-weight: bold; }\n</style>\n</head>\n<body>\n";
    for (size_t i = 0; i < whats.size(); ++i) {
        const std::string& what = whats[i];
        const std::string title = what == "tree" ? "model" : "model." + what + "()";
        if (asHtml)
            out << "<h2>" << html(title) << "</h2>\n";
        else
            out << (i ? "\n" : "") << "## " << code(title) << "\n\n";
        if (what == "tree") {
            TreePrinter printer{asHtml, out, firstModuleNames(root)};
            if (asHtml)
                out << "<ul>\n";
            printer.module(root, "model", "", 0, false);
            if (asHtml)
                out << "</ul>\n";
        } else {
            listingTable(root, what, asHtml, out);
        }
    }
    if (asHtml)
        out << "</body>\n</html>\n";
}

}  // namespace mx
