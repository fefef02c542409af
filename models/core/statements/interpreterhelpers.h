#pragma once
// Private to models/core/statements: small helpers the interpreter's files share.

#include "core/statements/interpreter.h"
#include "core/statements/tensorops.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mx::stmt {

/** "1 argument", "2 arguments". */
std::string plural(size_t n, const std::string& word);
/** CPython's format_missing: 'a', 'a' and 'b', 'a', 'b', and 'c'. */
std::string quotedList(const std::vector<std::string>& names);

inline bool isNumber(const Value& v)
{
    return v.kind == Value::Kind::Bool || v.kind == Value::Kind::Int || v.kind == Value::Kind::Float;
}
inline bool isIntLike(const Value& v) { return v.kind == Value::Kind::Bool || v.kind == Value::Kind::Int; }
inline int64_t intOf(const Value& v) { return v.kind == Value::Kind::Int ? v.i : (v.b ? 1 : 0); }
inline double floatOf(const Value& v) { return v.kind == Value::Kind::Float ? v.f : static_cast<double>(intOf(v)); }
/** A keyword argument's value, or `fallback` when the call did not pass it. */
inline ValuePtr keywordOr(const Args& args, const std::string& name, ValuePtr fallback)
{
    for (const auto& [k, v] : args.keywords)
        if (k == name)
            return v;
    return fallback;
}
/** A bool, int or float value as a tensor scalar. */
tensors::Scalar scalarOf(const Value& v);

[[noreturn]] void overflow();

constexpr uint64_t kMaxSteps = 2000000;          // items of one sequence built at once
constexpr uint64_t kMaxLoopSteps = 50000000;     // loop iterations of one statement (Stop ends it sooner)

/** One str value per character, within the sequence and memory budgets. */
std::vector<ValuePtr> codePoints(const std::string& s);
/** Python's slice.indices(length). */
void sliceIndices(const Value& slice, int64_t length, int64_t& start, int64_t& stop, int64_t& step,
                  Interpreter& in);
/** len(range(...)). */
int64_t rangeLength(const Value& r);

template <typename T>
std::vector<T> sliced(const std::vector<T>& items, int64_t start, int64_t stop, int64_t step)
{
    std::vector<T> out;
    if (step > 0)
        for (int64_t k = start; k < stop; k += step)
            out.push_back(items[static_cast<size_t>(k)]);
    else
        for (int64_t k = start; k > stop; k += step)
            out.push_back(items[static_cast<size_t>(k)]);
    return out;
}

}  // namespace mx::stmt
