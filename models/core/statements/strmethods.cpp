// str's methods: one function per method, bound in the str table.
#include "core/statements/methodtable.h"

#include "core/pythonerror.h"
#include "core/statements/budget.h"
#include "core/statements/lexer.h"
#include "core/statements/pythonnames.h"

#include <algorithm>
#include <functional>
#include <set>

namespace mx::stmt {

namespace {

using Pos = std::vector<ValuePtr>;

std::string upperAscii(std::string s)
{
    for (char& c : s)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 32);
    return s;
}

std::string lowerAscii(std::string s)
{
    for (char& c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c + 32);
    return s;
}

// The characters, split only for the methods that walk them (a long string stays whole).
std::vector<std::string> codePoints(const std::string& s)
{
    reserveBytes(saturatingMul(s.size(), sizeof(std::string)), "the characters of a string");
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        const size_t start = i;
        decodeUtf8(s, i);
        out.push_back(s.substr(start, i - start));
    }
    return out;
}

bool isSpace(const std::string& cp) { return cp.size() == 1 && std::isspace(static_cast<unsigned char>(cp[0])); }

const std::string& strArgument(const ValuePtr& v, const std::string& message)
{
    if (v->kind != Value::Kind::Str)
        typeError(message + typeShortName(*v));
    return v->s;
}

// The start and end arguments of find/count/startswith/endswith.
void noStartEnd(const std::string& method, const Args& args)
{
    if (args.positional.size() > 1)
        unsupported("str." + method + "() with start and end arguments");
}

// ---- padding -------------------------------------------------------------------------------------

// center/ljust/rjust: `leftShare` gives the left padding of `marg` padding characters.
ValuePtr pad(Interpreter& in, const ValuePtr& self, const Args& args, int64_t (*leftShare)(int64_t marg, int64_t width))
{
    const std::string& s = self->s;
    const Pos& pos = args.positional;
    const int64_t width = in.indexValue(pos[0], "");
    std::string fill = " ";
    if (pos.size() == 2) {
        fill = strArgument(pos[1], "The fill character must be a unicode character, not ");
        if (utf8Length(fill) != 1)
            typeError("The fill character must be exactly one character long");
    }
    const int64_t marg = width - static_cast<int64_t>(utf8Length(s));
    if (marg <= 0)
        return self;
    reserveBytes(saturatingAdd(saturatingMul(static_cast<uint64_t>(marg), fill.size()), s.size()));
    const int64_t left = leftShare(marg, width);
    std::string out;
    out.reserve(static_cast<size_t>(marg) * fill.size() + s.size());
    for (int64_t k = 0; k < left; ++k)
        out += fill;
    out += s;
    for (int64_t k = 0; k < marg - left; ++k)
        out += fill;
    return str(std::move(out));
}

ValuePtr strCenter(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return pad(in, self, args, [](int64_t marg, int64_t width) { return marg / 2 + (marg & width & 1); });
}

ValuePtr strLjust(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return pad(in, self, args, [](int64_t, int64_t) { return int64_t(0); });
}

ValuePtr strRjust(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return pad(in, self, args, [](int64_t marg, int64_t) { return marg; });
}

ValuePtr strZfill(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const std::string& s = self->s;
    const int64_t marg = in.indexValue(args.positional[0], "") - static_cast<int64_t>(utf8Length(s));
    if (marg <= 0)
        return self;
    reserveBytes(saturatingAdd(static_cast<uint64_t>(marg), s.size()));
    std::string out = s;
    const size_t at = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
    out.insert(at, std::string(static_cast<size_t>(marg), '0'));
    return str(std::move(out));
}

// ---- case ----------------------------------------------------------------------------------------

ValuePtr strUpper(Interpreter&, const ValuePtr& self, const Args&) { return str(upperAscii(self->s)); }
ValuePtr strLower(Interpreter&, const ValuePtr& self, const Args&) { return str(lowerAscii(self->s)); }

// title (every word) or capitalize (the first letter only), the rest lower case.
ValuePtr capitalized(const std::string& s, bool everyWord)
{
    std::string out = lowerAscii(s);
    bool start = true;
    for (size_t k = 0; k < out.size(); ++k) {
        const bool letter = std::isalpha(static_cast<unsigned char>(out[k]));
        if (letter && start && (everyWord || k == 0))
            out[k] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[k])));
        start = everyWord ? !letter : false;
    }
    return str(std::move(out));
}

ValuePtr strTitle(Interpreter&, const ValuePtr& self, const Args&) { return capitalized(self->s, true); }
ValuePtr strCapitalize(Interpreter&, const ValuePtr& self, const Args&) { return capitalized(self->s, false); }

// ---- strip, split, join, replace -------------------------------------------------------------------

ValuePtr stripped(const ValuePtr& self, const Args& args, const std::string& method, bool left, bool right)
{
    const Pos& pos = args.positional;
    std::set<std::string> chars;
    const bool whitespace = pos.empty() || pos[0]->kind == Value::Kind::None;
    if (!whitespace) {
        if (pos[0]->kind != Value::Kind::Str)
            typeError(method + " arg must be None or str");
        for (const std::string& c : codePoints(pos[0]->s))
            chars.insert(c);
    }
    auto strips = [&](const std::string& c) { return whitespace ? isSpace(c) : chars.count(c) > 0; };
    const std::vector<std::string> cps = codePoints(self->s);
    size_t b = 0, e = cps.size();
    while (left && b < e && strips(cps[b]))
        ++b;
    while (right && e > b && strips(cps[e - 1]))
        --e;
    std::string out;
    for (size_t k = b; k < e; ++k)
        out += cps[k];
    return str(std::move(out));
}

ValuePtr strStrip(Interpreter&, const ValuePtr& self, const Args& args) { return stripped(self, args, "strip", true, true); }
ValuePtr strLstrip(Interpreter&, const ValuePtr& self, const Args& args) { return stripped(self, args, "lstrip", true, false); }
ValuePtr strRstrip(Interpreter&, const ValuePtr& self, const Args& args) { return stripped(self, args, "rstrip", false, true); }

// split() with no separator: runs of whitespace; past maxsplit the rest keeps its trailing
// whitespace (CPython's split_whitespace).
void splitWhitespace(const std::string& s, int64_t maxsplit, const std::function<void(std::string)>& addPart)
{
    const std::vector<std::string> cps = codePoints(s);
    size_t k = 0;
    while (k < cps.size()) {
        while (k < cps.size() && isSpace(cps[k]))
            ++k;
        if (k >= cps.size())
            break;
        std::string word;
        if (maxsplit == 0) {
            for (size_t j = k; j < cps.size(); ++j)
                word += cps[j];
            addPart(std::move(word));
            break;
        }
        while (k < cps.size() && !isSpace(cps[k]))
            word += cps[k++];
        addPart(std::move(word));
        --maxsplit;
    }
}

// split(sep=None, maxsplit=-1)
ValuePtr strSplit(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const std::string& s = self->s;
    const ValuePtr& separator = args.positional[0];
    int64_t maxsplit = in.indexValue(args.positional[1], "");
    std::vector<ValuePtr> parts;
    auto addPart = [&](std::string part) {  // each part is a step: ('ab' * 2**26).split('a') is bounded
        in.countSteps(1);
        parts.push_back(str(std::move(part)));
    };
    if (separator->kind == Value::Kind::None) {
        splitWhitespace(s, maxsplit, addPart);
        return listValue(std::move(parts));
    }
    const std::string& sep = strArgument(separator, "must be str or None, not ");
    if (sep.empty())
        throw PythonError("ValueError", "empty separator");
    size_t start = 0;
    for (; maxsplit != 0; --maxsplit) {
        const size_t at = s.find(sep, start);
        if (at == std::string::npos)
            break;
        addPart(s.substr(start, at - start));
        start = at + sep.size();
    }
    addPart(s.substr(start));
    return listValue(std::move(parts));
}

// The length of the line break at s[k] (0: none), as str.splitlines() breaks lines.
size_t lineBreak(const std::string& s, size_t k)
{
    const unsigned char c = static_cast<unsigned char>(s[k]);
    if (c == '\r')
        return k + 1 < s.size() && s[k + 1] == '\n' ? 2 : 1;
    if (c == '\n' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1e))
        return 1;
    if (s.compare(k, 2, "\xc2\x85") == 0)
        return 2;
    if (s.compare(k, 3, "\xe2\x80\xa8") == 0 || s.compare(k, 3, "\xe2\x80\xa9") == 0)
        return 3;
    return 0;
}

// splitlines(keepends=False)
ValuePtr strSplitlines(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const ValuePtr& keepends = args.positional[0];
    if (keepends->kind != Value::Kind::Bool && keepends->kind != Value::Kind::Int)
        unsupported("str.splitlines() with a keepends that is not an int");
    const bool keep = in.truthy(*keepends);
    const std::string& s = self->s;
    std::vector<ValuePtr> lines;
    size_t start = 0;
    for (size_t k = 0; k < s.size();) {
        const size_t width = lineBreak(s, k);
        if (width == 0) {
            ++k;
            continue;
        }
        in.countSteps(1);
        lines.push_back(str(s.substr(start, k - start + (keep ? width : 0))));
        k += width;
        start = k;
    }
    if (start < s.size())
        lines.push_back(str(s.substr(start)));
    return listValue(std::move(lines));
}

ValuePtr strJoin(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const std::string& s = self->s;
    const std::vector<ValuePtr> items = in.toVector(args.positional[0]);
    uint64_t total = 0;
    for (size_t k = 0; k < items.size(); ++k) {
        if (items[k]->kind != Value::Kind::Str)
            typeError("sequence item " + std::to_string(k) + ": expected str instance, " +
                      typeShortName(*items[k]) + " found");
        total = saturatingAdd(total, saturatingAdd(k ? s.size() : 0, items[k]->s.size()));
    }
    reserveBytes(total);
    std::string out;
    out.reserve(total);
    for (size_t k = 0; k < items.size(); ++k) {
        if (k)
            out += s;
        out += items[k]->s;
    }
    return str(std::move(out));
}

ValuePtr strReplace(Interpreter& in, const ValuePtr& self, const Args& args)
{
    const std::string& s = self->s;
    const Pos& pos = args.positional;
    const std::string& from = strArgument(pos[0], "replace() argument 1 must be str, not ");
    const std::string& to = strArgument(pos[1], "replace() argument 2 must be str, not ");
    int64_t count = pos.size() == 3 ? in.indexValue(pos[2], "") : -1;
    if (from.empty())
        unsupported("str.replace() with an empty pattern");
    // The result's size first: occurrences x growth, checked against the budget.
    uint64_t occurrences = 0;
    for (size_t at = s.find(from); at != std::string::npos && (count < 0 || occurrences < static_cast<uint64_t>(count));
         at = s.find(from, at + from.size()))
        ++occurrences;
    const uint64_t growth = to.size() > from.size() ? saturatingMul(occurrences, to.size() - from.size()) : 0;
    reserveBytes(saturatingAdd(s.size(), growth));
    std::string out;
    out.reserve(s.size() + growth);
    size_t start = 0;
    for (; count != 0; --count) {
        const size_t at = s.find(from, start);
        if (at == std::string::npos)
            break;
        out.append(s, start, at - start);
        out += to;
        start = at + from.size();
    }
    out.append(s, start, std::string::npos);
    return str(std::move(out));
}

// ---- search --------------------------------------------------------------------------------------

ValuePtr affix(const ValuePtr& self, const Args& args, const std::string& method, bool prefix)
{
    noStartEnd(method, args);
    const std::string& s = self->s;
    const ValuePtr& arg = args.positional[0];
    const Pos options = arg->kind == Value::Kind::Tuple ? arg->items : Pos{arg};
    for (const ValuePtr& o : options) {
        const std::string& p = strArgument(o, method + " first arg must be str or a tuple of str, not ");
        if (p.size() <= s.size() &&
            (prefix ? s.compare(0, p.size(), p) == 0 : s.compare(s.size() - p.size(), p.size(), p) == 0))
            return boolean(true);
    }
    return boolean(false);
}

ValuePtr strStartswith(Interpreter&, const ValuePtr& self, const Args& args) { return affix(self, args, "startswith", true); }
ValuePtr strEndswith(Interpreter&, const ValuePtr& self, const Args& args) { return affix(self, args, "endswith", false); }

ValuePtr strFind(Interpreter&, const ValuePtr& self, const Args& args)
{
    noStartEnd("find", args);
    const std::string& s = self->s;
    const size_t at = s.find(strArgument(args.positional[0], "must be str, not "));
    return integer(at == std::string::npos ? -1 : static_cast<int64_t>(utf8Length(s.substr(0, at))));
}

ValuePtr strCount(Interpreter&, const ValuePtr& self, const Args& args)
{
    noStartEnd("count", args);
    const std::string& s = self->s;
    const std::string& sub = strArgument(args.positional[0], "must be str, not ");
    if (sub.empty())
        return integer(static_cast<int64_t>(utf8Length(s)) + 1);
    int64_t n = 0;
    for (size_t at = s.find(sub); at != std::string::npos; at = s.find(sub, at + sub.size()))
        ++n;
    return integer(n);
}

// ---- classification ------------------------------------------------------------------------------

ValuePtr classified(const ValuePtr& self, const std::string& method, bool (*test)(const std::string& s))
{
    const std::string& s = self->s;
    if (std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
        unsupported("str." + method + "() on non-ASCII text");
    return boolean(!s.empty() && test(s));
}

ValuePtr strIsdigit(Interpreter&, const ValuePtr& self, const Args&)
{
    return classified(self, "isdigit", [](const std::string& s) { return std::all_of(s.begin(), s.end(), ::isdigit); });
}

ValuePtr strIsalpha(Interpreter&, const ValuePtr& self, const Args&)
{
    return classified(self, "isalpha", [](const std::string& s) { return std::all_of(s.begin(), s.end(), ::isalpha); });
}

ValuePtr strIsidentifier(Interpreter&, const ValuePtr& self, const Args&)
{
    return classified(self, "isidentifier", [](const std::string& s) {
        return !std::isdigit(static_cast<unsigned char>(s[0])) &&
               std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
    });
}

// ---- format --------------------------------------------------------------------------------------

/** str.format(): walks the format string, fields looked up in the call's arguments. */
class Formatter {
public:
    Formatter(Interpreter& in, const Args& args) : in_(in), args_(args) {}

    std::string format(const std::string& s)
    {
        std::string out;
        for (size_t k = 0; k < s.size(); ++k) {
            const char c = s[k];
            if ((c == '{' || c == '}') && k + 1 < s.size() && s[k + 1] == c) {
                out += c;
                ++k;
            } else if (c == '}') {
                throw PythonError("ValueError", "Single '}' encountered in format string");
            } else if (c != '{') {
                out += c;
            } else {
                const size_t close = s.find('}', k);
                if (close == std::string::npos)
                    throw PythonError("ValueError", "Single '{' encountered in format string");
                out += replacement(s.substr(k + 1, close - k - 1));
                k = close;
            }
        }
        return out;
    }

private:
    // One "{field!conversion:spec}" replaced.
    std::string replacement(std::string field)
    {
        if (field.find('{') != std::string::npos)
            unsupported("nested fields in str.format()");
        std::string spec, conversion;
        const size_t colon = field.find(':');
        if (colon != std::string::npos) {
            spec = field.substr(colon + 1);
            field = field.substr(0, colon);
        }
        const size_t bang = field.find('!');
        if (bang != std::string::npos) {
            conversion = field.substr(bang + 1);
            field = field.substr(0, bang);
        }
        ValuePtr v = fieldValue(field);
        if (conversion == "r" || conversion == "a")
            v = str(repr(*v));
        else if (conversion == "s")
            v = str(toStr(*v));
        else if (!conversion.empty())
            throw PythonError("ValueError", "Unknown conversion specifier " + conversion);
        return in_.formatField(v, spec);
    }

    // "0", "", "name", then ".attr" and "[key]" parts.
    ValuePtr fieldValue(const std::string& field)
    {
        size_t at = field.find_first_of(".[");
        ValuePtr v = argument(field.substr(0, at));
        while (at != std::string::npos && at < field.size()) {
            if (field[at] == '.') {
                const size_t next = field.find_first_of(".[", at + 1);
                v = in_.getAttribute(v, field.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1));
                at = next;
            } else {
                const size_t closeBracket = field.find(']', at);
                if (closeBracket == std::string::npos)
                    throw PythonError("ValueError", "Missing ']' in format string");
                const std::string key = field.substr(at + 1, closeBracket - at - 1);
                const bool digits = !key.empty() && std::all_of(key.begin(), key.end(), ::isdigit);
                v = in_.subscript(v, digits ? integer(std::stoll(key)) : str(key));
                at = closeBracket + 1;
            }
        }
        return v;
    }

    ValuePtr argument(const std::string& head)
    {
        if (!head.empty() && !std::all_of(head.begin(), head.end(), ::isdigit)) {
            for (const auto& [k, v] : args_.keywords)
                if (k == head)
                    return v;
            throw PythonError("KeyError", head);
        }
        size_t index;
        if (head.empty()) {
            if (sawManual_)
                throw PythonError("ValueError", "cannot switch from manual field specification to automatic field numbering");
            sawAuto_ = true;
            index = autoIndex_++;
        } else {
            if (sawAuto_)
                throw PythonError("ValueError", "cannot switch from automatic field numbering to manual field specification");
            sawManual_ = true;
            index = std::stoul(head);
        }
        if (index >= args_.positional.size())
            throw PythonError("IndexError", "Replacement index " + std::to_string(index) +
                                                " out of range for positional args tuple");
        return args_.positional[index];
    }

    Interpreter& in_;
    const Args& args_;
    size_t autoIndex_ = 0;
    bool sawAuto_ = false, sawManual_ = false;
};

ValuePtr strFormat(Interpreter& in, const ValuePtr& self, const Args& args)
{
    return str(Formatter(in, args).format(self->s));
}

}  // namespace

const MethodTable& strMethodTable()
{
    static const MethodTable table("str",
        {{"center", positionalArgs(1, 2), strCenter},
         {"ljust", positionalArgs(1, 2), strLjust},
         {"rjust", positionalArgs(1, 2), strRjust},
         {"zfill", oneArg(), strZfill},
         {"upper", noArgs(), strUpper},
         {"lower", noArgs(), strLower},
         {"title", noArgs(), strTitle},
         {"capitalize", noArgs(), strCapitalize},
         {"strip", positionalArgs(0, 1), strStrip},
         {"lstrip", positionalArgs(0, 1), strLstrip},
         {"rstrip", positionalArgs(0, 1), strRstrip},
         {"split", keywordArgs({"split", {{"sep", none()}, {"maxsplit", integer(-1)}}, false}), strSplit},
         {"splitlines", keywordArgs({"splitlines", {{"keepends", boolean(false)}}, false}), strSplitlines},
         {"join", oneArg(), strJoin},
         {"replace", positionalArgs(2, 3), strReplace},
         {"startswith", tupleArgs(1, 3), strStartswith},
         {"endswith", tupleArgs(1, 3), strEndswith},
         {"find", tupleArgs(1, 3), strFind},
         {"count", tupleArgs(1, 3), strCount},
         {"isdigit", noArgs(), strIsdigit},
         {"isalpha", noArgs(), strIsalpha},
         {"isidentifier", noArgs(), strIsidentifier},
         {"format", ownCheck(), strFormat}},
        strMembers);
    return table;
}

}  // namespace mx::stmt
