#include "core/statements/statementsession.h"

#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/resourcebudget.h"
#include "core/statements/ast.h"
#include "core/statements/interpreter.h"
#include "core/statements/value.h"

#include <algorithm>
#include <cctype>
#include <new>

namespace mx {

namespace {

// The lines of `source` (split at '\n'; a trailing newline gives a last empty line).
std::vector<std::string> splitLines(const std::string& source)
{
    std::vector<std::string> lines;
    size_t start = 0;
    while (start <= source.size()) {
        size_t end = source.find('\n', start);
        if (end == std::string::npos)
            end = source.size();
        lines.push_back(source.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

// Pasted interactive sessions: drop ">>> " and "... " prompts when every code line has one.
std::string stripPrompts(const std::string& source)
{
    const std::vector<std::string> lines = splitLines(source);
    bool any = false;
    for (const std::string& line : lines) {
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        const bool prompt = line.rfind(">>>", 0) == 0 || line.rfind("...", 0) == 0;
        if (line.rfind(">>>", 0) == 0)
            any = true;
        if (!prompt)
            return source;
    }
    if (!any)
        return source;
    std::string out;
    for (size_t k = 0; k < lines.size(); ++k) {
        std::string line = lines[k];
        if (line.rfind(">>>", 0) == 0 || line.rfind("...", 0) == 0)
            line = line.size() > 3 && line[3] == ' ' ? line.substr(4) : line.substr(3);
        out += line + (k + 1 < lines.size() ? "\n" : "");
    }
    return out;
}

// The text of [from, to) in `source` (1-based lines and columns), lines joined by spaces.
std::string sourceOf(const std::string& source, stmt::SourcePos from, stmt::SourcePos to)
{
    const std::vector<std::string> lines = splitLines(source);
    std::string text;
    for (int line = from.line; line <= to.line && line <= static_cast<int>(lines.size()); ++line) {
        const std::string& l = lines[static_cast<size_t>(line - 1)];
        const size_t first = line == from.line ? static_cast<size_t>(from.column - 1) : 0;
        const size_t last = line == to.line ? std::min(l.size(), static_cast<size_t>(to.column - 1)) : l.size();
        if (first < last)
            text += (text.empty() ? "" : " ") + l.substr(first, last - first);
    }
    return text;
}

std::string firstLine(const std::string& text)
{
    const size_t nl = text.find('\n');
    return nl == std::string::npos ? text : text.substr(0, nl);
}

}  // namespace

StatementSession::StatementSession(ModuleNode& model)
    : model_(&model), interpreter_(std::make_unique<stmt::Interpreter>(model))
{
    installTensorAccounting();
    interpreter_->setInterruptFlag(&interruptRequested_);
}

StatementSession::StatementSession() : interpreter_(std::make_unique<stmt::Interpreter>())
{
    installTensorAccounting();
    interpreter_->setInterruptFlag(&interruptRequested_);
}

void StatementSession::bindModel(const std::string& variable)
{
    interpreter_->bindModel(variable);
    model_ = interpreter_->model();
}

StatementSession::~StatementSession() = default;

StatementResult StatementSession::run(const std::string& rawSource)
{
    StatementResult result;
    interruptRequested_.store(false, std::memory_order_relaxed);  // a Stop before the run is void
    const auto source = std::make_shared<const std::string>(stripPrompts(rawSource));
    // The last line with something on it (trailing blank lines do not count).
    const size_t lastText = source->find_last_not_of(" \t\r\n");
    result.sourceLines = lastText == std::string::npos
                             ? 0
                             : static_cast<int>(std::count(source->begin(), source->begin() + lastText, '\n')) + 1;
    const auto program = std::make_shared<const stmt::ParseResult>(stmt::parse(*source));
    const stmt::ParseResult& parsed = *program;
    if (parsed.error.valid()) {
        result.ok = false;
        result.error = parsed.error.type + ": " + parsed.error.message;
        result.errorLine = parsed.error.pos.line;
        result.errorColumn = parsed.error.type == "RecursionError" ? -1 : parsed.error.pos.column;
        return result;
    }
    if (model_ && model_->isStateDictGroup() && !parsed.statements.empty()) {
        // A state_dict file is an OrderedDict in Python, not a module: no `model` to run on.
        result.ok = false;
        result.error = "NotImplementedError: the open file holds a state_dict (an OrderedDict of "
                       "tensors), not a module; statements on it are not supported by Module "
                       "Explorer's console";
        result.errorLine = 1;
        return result;
    }
    // Tensors the statements allocate on this thread are refused past the memory budget.
    TensorBudgetScope budget(&stmt::liveValueBytes);
    interpreter_->setProgram(program, source);
    auto takeReplacement = [&] {
        if (std::shared_ptr<ModuleNode> replaced = interpreter_->takeReplacement()) {
            result.replacementModel = std::move(replaced);
            model_ = interpreter_->model();
        }
    };
    for (size_t index = 0; index < parsed.statements.size(); ++index) {
        const stmt::StmtPtr& statement = parsed.statements[index];
        std::string error;
        takeTensorBudgetRefusal();
        if (statementStarting_)
            statementStarting_();
        try {
            interpreter_->execute(*statement);
        } catch (const PythonError& e) {
            error = e.what();
        } catch (const stmt::ConsoleError& e) {
            error = e.what();
        } catch (const UnsupportedError& e) {
            error = std::string("NotImplementedError: ") + e.what();
        } catch (const std::bad_alloc&) {
            error = "MemoryError";
        } catch (const std::exception& e) {
            error = "RuntimeError: " + firstLine(e.what());
        }
        if (statementFinished_)
            statementFinished_();
        result.output += interpreter_->takeOutput();
        if (!error.empty()) {
            // LibTorch words a refused allocation as its own error: say MemoryError.
            if (std::string refusal = takeTensorBudgetRefusal(); !refusal.empty())
                error = std::move(refusal);
            interpreter_->rollback();
            interpreter_->takeTensorsChanged();  // put back as they were
            takeReplacement();
            result.ok = false;
            result.error = error;
            // The innermost line that ran (inside a function or class body), as a traceback's last.
            const int inner = interpreter_->currentLine();
            result.errorLine = inner > 0 ? inner : statement->pos.line;
            if (index + 1 < parsed.statements.size())
                result.unrunFrom = parsed.statements[index + 1]->pos.line;
            return result;
        }
        takeReplacement();
        for (Edit& e : interpreter_->takeEdits())
            result.edits.push_back(std::move(e));
        result.tensorsChanged = interpreter_->takeTensorsChanged() || result.tensorsChanged;
        ++result.statementsRun;
        result.resultTensor = interpreter_->takeEchoedTensor();
        result.resultExpression.clear();
        if (!result.resultTensor.isNone() && statement->kind == stmt::Stmt::Kind::Expr)
            result.resultExpression = sourceOf(*source, statement->pos, statement->value->end);
        else
            result.resultTensor = TensorRef();
    }
    return result;
}

std::vector<std::pair<std::string, std::shared_ptr<ModuleNode>>> StatementSession::moduleGlobals() const
{
    std::vector<std::pair<std::string, std::shared_ptr<ModuleNode>>> out;
    for (const auto& [name, value] : interpreter_->moduleGlobals())
        if (std::shared_ptr<ModuleNode> module = stmt::sharedModule(value->module))
            out.emplace_back(name, std::move(module));
    return out;
}

void StatementSession::restoreModel(ModuleNode& model)
{
    interpreter_->restoreModel(model);
    model_ = &model;
}

void StatementSession::requestInterrupt()
{
    interruptRequested_.store(true, std::memory_order_relaxed);
}

void StatementSession::setStatementHooks(std::function<void()> starting, std::function<void()> finished)
{
    statementStarting_ = std::move(starting);
    statementFinished_ = std::move(finished);
}

void StatementSession::setTimeLimit(double seconds)
{
    interpreter_->setTimeLimit(seconds > 0 ? seconds : 0);
}

bool StatementSession::needsMoreInput(const std::string& source)
{
    const stmt::TokenStream tokens = stmt::tokenize(source);
    if (tokens.unclosedAtEnd)
        return true;
    if (tokens.error.valid())
        return tokens.error.message.rfind("unterminated triple-quoted", 0) == 0 ||
               tokens.error.message == "unexpected EOF while parsing";  // a trailing backslash
    size_t end = source.find_last_not_of(" \t\r\n");
    if (end == std::string::npos)
        return false;
    if (source[end] == '\\')
        return true;
    const stmt::ParseResult parsed = stmt::parse(source);
    if (parsed.error.valid())
        return parsed.error.message.rfind("expected an indented block", 0) == 0 &&
               parsed.error.pos.line >= static_cast<int>(std::count(source.begin(), source.end(), '\n'));
    // A compound statement ends with an empty line, as in the interactive interpreter.
    const size_t first = source.find_first_not_of(" \t\r\n");
    const std::string head = source.substr(first, source.find_first_of(" \t:(", first) - first);
    const bool compound = head == "for" || head == "if" || head == "while" || head == "def" ||
                          head == "class" || head == "with" || head == "try" || source[first] == '@';
    if (!compound)
        return false;
    int trailingNewlines = 0;
    for (size_t k = source.size(); k > 0 && std::isspace(static_cast<unsigned char>(source[k - 1])); --k)
        if (source[k - 1] == '\n')
            ++trailingNewlines;
    const bool endsWithBlank = trailingNewlines >= 2;
    return !endsWithBlank;
}

}  // namespace mx
