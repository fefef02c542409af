// Tab completion for the console: names, and attributes of what the text before a '.' names.
#include "core/statements/statementsession.h"

#include "core/statements/ast.h"
#include "core/statements/interpreter.h"

#include <algorithm>

namespace mx {

namespace {

bool identifierByte(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

// Start of the expression that ends at `end` (exclusive): names, dots and [...] subscripts.
size_t expressionStart(const std::string& text, size_t end)
{
    size_t k = end;
    while (k > 0) {
        const unsigned char c = static_cast<unsigned char>(text[k - 1]);
        if (identifierByte(c) || c == '.') {
            --k;
        } else if (c == ']') {
            int depth = 0;
            size_t j = k;
            while (j > 0) {
                const char d = text[j - 1];
                if (d == ']')
                    ++depth;
                else if (d == '[' && --depth == 0)
                    break;
                --j;
            }
            if (j == 0)
                return k;
            k = j - 1;
        } else {
            break;
        }
    }
    return k;
}

bool insideString(const std::string& line)
{
    char quote = 0;
    for (size_t k = 0; k < line.size(); ++k) {
        const char c = line[k];
        if (quote) {
            if (c == '\\')
                ++k;
            else if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '#') {
            return true;  // a comment
        }
    }
    return quote != 0;
}

}  // namespace

std::vector<std::string> StatementSession::completions(const std::string& textBeforeCursor) const
{
    const size_t nl = textBeforeCursor.rfind('\n');
    const std::string line = nl == std::string::npos ? textBeforeCursor : textBeforeCursor.substr(nl + 1);
    if (insideString(line))
        return {};
    size_t wordStart = line.size();
    while (wordStart > 0 && identifierByte(static_cast<unsigned char>(line[wordStart - 1])))
        --wordStart;
    const std::string prefix = line.substr(wordStart);
    if (!prefix.empty() && std::isdigit(static_cast<unsigned char>(prefix[0])))
        return {};
    std::vector<std::string> candidates;
    if (wordStart > 0 && line[wordStart - 1] == '.') {
        const size_t start = expressionStart(line, wordStart - 1);
        const std::string object = line.substr(start, wordStart - 1 - start);
        if (object.empty())
            return {};
        const stmt::ParseResult parsed = stmt::parse(object);
        if (parsed.error.valid() || parsed.statements.size() != 1 ||
            parsed.statements[0]->kind != stmt::Stmt::Kind::Expr)
            return {};
        const stmt::ValuePtr value = interpreter_->evaluateQuietly(*parsed.statements[0]->value);
        if (!value)
            return {};
        candidates = interpreter_->attributeNames(*value);
    } else {
        candidates = interpreter_->globalNames();
    }
    std::vector<std::string> out;
    for (const std::string& name : candidates) {
        if (name.compare(0, prefix.size(), prefix) != 0)
            continue;
        if (name[0] == '_' && (prefix.empty() || prefix[0] != '_'))
            continue;
        out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace mx
