// Binary and unary operators, comparisons, `is` and `in`.
#include "core/statements/interpreter.h"

#include "core/formatting.h"
#include "core/modulenode.h"
#include "core/pythonerror.h"
#include "core/resourcebudget.h"
#include "core/statements/budget.h"
#include "core/statements/interpreterhelpers.h"
#include "core/statements/tensorops.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <set>
#include <string_view>

namespace mx::stmt {

// ---- operators ---------------------------------------------------------------------------------

ValuePtr Interpreter::binaryOp(const std::string& op, const ValuePtr& a, const ValuePtr& b)
{
    const Value& x = *a;
    const Value& y = *b;
    if (x.kind == Value::Kind::Module || y.kind == Value::Kind::Module)
        if (ValuePtr combined = containerOperator(op, a, b, false))
            return combined;
    if (x.kind == Value::Kind::Tensor || y.kind == Value::Kind::Tensor) {
        if (x.kind == Value::Kind::Tensor && y.kind == Value::Kind::Tensor)
            return tensorValue(tensors::binary(op, x.tensor, y.tensor));
        if (x.kind == Value::Kind::Tensor && isNumber(y))
            return tensorValue(tensors::binaryScalar(op, x.tensor, scalarOf(y), false));
        if (y.kind == Value::Kind::Tensor && isNumber(x))
            return tensorValue(tensors::binaryScalar(op, y.tensor, scalarOf(x), true));
    }
    if (isNumber(x) && isNumber(y)) {
        if (isIntLike(x) && isIntLike(y)) {
            const int64_t p = intOf(x), q = intOf(y);
            int64_t r = 0;
            if (op == "+") { if (__builtin_add_overflow(p, q, &r)) overflow(); return integer(r); }
            if (op == "-") { if (__builtin_sub_overflow(p, q, &r)) overflow(); return integer(r); }
            if (op == "*") { if (__builtin_mul_overflow(p, q, &r)) overflow(); return integer(r); }
            if (op == "/") {
                if (q == 0)
                    throw PythonError("ZeroDivisionError", "division by zero");
                return floating(static_cast<double>(p) / static_cast<double>(q));
            }
            if (op == "//" || op == "%") {
                if (q == 0)
                    throw PythonError("ZeroDivisionError", "integer division or modulo by zero");
                if (p == INT64_MIN && q == -1)
                    overflow();
                int64_t div = p / q, mod = p % q;
                if (mod != 0 && ((mod < 0) != (q < 0))) {
                    mod += q;
                    div -= 1;
                }
                return integer(op == "//" ? div : mod);
            }
            if (op == "**") {
                if (q < 0) {
                    if (p == 0)
                        throw PythonError("ZeroDivisionError", "0.0 cannot be raised to a negative power");
                    return floating(std::pow(static_cast<double>(p), static_cast<double>(q)));
                }
                // By squaring: (-1) ** 10**12 takes 40 steps, not 10**12.
                int64_t result = 1, base = p;
                for (int64_t e = q; e > 0; e >>= 1) {
                    if ((e & 1) && __builtin_mul_overflow(result, base, &result))
                        overflow();
                    if (e > 1 && __builtin_mul_overflow(base, base, &base))
                        overflow();  // |p| >= 2 with bits left: the result overflows too
                }
                return integer(result);
            }
            if (op == "&") return x.kind == Value::Kind::Bool && y.kind == Value::Kind::Bool ? boolean(p & q) : integer(p & q);
            if (op == "|") return x.kind == Value::Kind::Bool && y.kind == Value::Kind::Bool ? boolean(p | q) : integer(p | q);
            if (op == "^") return x.kind == Value::Kind::Bool && y.kind == Value::Kind::Bool ? boolean(p ^ q) : integer(p ^ q);
            if (op == "<<" || op == ">>") {
                if (q < 0)
                    throw PythonError("ValueError", "negative shift count");
                if (op == ">>")
                    return integer(q >= 64 ? (p < 0 ? -1 : 0) : p >> q);
                if (q >= 63 || (p != 0 && (std::abs(p) >> (63 - q)) != 0))
                    overflow();
                return integer(p * (int64_t(1) << q));
            }
        } else {
            const double p = floatOf(x), q = floatOf(y);
            if (op == "+") return floating(p + q);
            if (op == "-") return floating(p - q);
            if (op == "*") return floating(p * q);
            if (op == "/") {
                if (q == 0)
                    throw PythonError("ZeroDivisionError", "float division by zero");
                return floating(p / q);
            }
            if (op == "//" || op == "%") {
                if (q == 0)
                    throw PythonError("ZeroDivisionError", op == "//" ? "float floor division by zero"
                                                                      : "float modulo");
                double mod = std::fmod(p, q);
                double div = (p - mod) / q;
                if (mod != 0) {
                    if ((q < 0) != (mod < 0)) {
                        mod += q;
                        div -= 1.0;
                    }
                } else {
                    mod = std::copysign(0.0, q);
                }
                double floordiv;
                if (div != 0) {
                    floordiv = std::floor(div);
                    if (div - floordiv > 0.5)
                        floordiv += 1.0;
                } else {
                    floordiv = std::copysign(0.0, p / q);
                }
                return floating(op == "//" ? floordiv : mod);
            }
            if (op == "**") {
                if (p == 0 && q < 0)
                    throw PythonError("ZeroDivisionError", "0.0 cannot be raised to a negative power");
                if (p < 0 && q != std::floor(q))
                    unsupported("complex numbers");
                return floating(std::pow(p, q));
            }
        }
    }
    if (op == "+") {
        if (x.kind == Value::Kind::Str) {
            if (y.kind != Value::Kind::Str)
                typeError("can only concatenate str (not \"" + typeShortName(y) + "\") to str");
            reserveBytes(saturatingAdd(x.s.size(), y.s.size()));
            return str(x.s + y.s);
        }
        if (x.kind == Value::Kind::List) {
            if (y.kind != Value::Kind::List)
                typeError("can only concatenate list (not \"" + typeShortName(y) + "\") to list");
            if (x.items.size() + y.items.size() > kMaxSteps)
                unsupported("sequences of more than " + std::to_string(kMaxSteps) + " items");
            std::vector<ValuePtr> items = x.items;
            items.insert(items.end(), y.items.begin(), y.items.end());
            return listValue(items);
        }
        if (x.kind == Value::Kind::Size && (y.kind == Value::Kind::Size || y.kind == Value::Kind::Tuple)) {
            std::vector<int64_t> dims = x.dims;
            for (const ValuePtr& item : toVector(b)) {
                if (item->kind != Value::Kind::Int)
                    typeError("torch.Size() takes an iterable of 'int' (item " +
                              std::to_string(dims.size()) + " is '" + typeShortName(*item) + "')");
                dims.push_back(item->i);
            }
            return sizeValue(dims);
        }
        if (x.kind == Value::Kind::Tuple || x.kind == Value::Kind::Size) {
            if (y.kind != Value::Kind::Tuple && y.kind != Value::Kind::Size)
                typeError("can only concatenate tuple (not \"" + typeShortName(y) + "\") to tuple");
            std::vector<ValuePtr> items = toVector(a);
            for (const ValuePtr& item : toVector(b))
                items.push_back(item);
            return tupleValue(items);
        }
    }
    if (op == "*") {
        const bool xs = x.kind == Value::Kind::Str || x.kind == Value::Kind::List || x.kind == Value::Kind::Tuple;
        const bool ys = y.kind == Value::Kind::Str || y.kind == Value::Kind::List || y.kind == Value::Kind::Tuple;
        if (xs || ys) {
            const Value& seq = xs ? x : y;
            const Value& count = xs ? y : x;
            if (!isIntLike(count))
                typeError("can't multiply sequence by non-int of type '" + typeShortName(count) + "'");
            const int64_t n = std::max<int64_t>(0, intOf(count));
            if (seq.kind == Value::Kind::Str) {
                if (n == 0 || seq.s.empty())
                    return str("");
                if (utf8Length(seq.s) > static_cast<size_t>(INT64_MAX / n))
                    throw PythonError("OverflowError", "repeated string is too long");
                const uint64_t total = saturatingMul(seq.s.size(), static_cast<uint64_t>(n));
                reserveBytes(total);
                std::string out;
                out.reserve(total);
                out = seq.s;
                while (out.size() * 2 <= total)  // doubling: 'a' * 10**9 is 30 appends
                    out += out;
                out.append(out, 0, total - out.size());
                return str(std::move(out));
            }
            if (!seq.items.empty() && static_cast<uint64_t>(n) > kMaxSteps / seq.items.size())
                unsupported("sequences of more than " + std::to_string(kMaxSteps) + " items");
            std::vector<ValuePtr> items;
            for (int64_t k = 0; k < n; ++k)
                items.insert(items.end(), seq.items.begin(), seq.items.end());
            return seq.kind == Value::Kind::List ? listValue(items) : tupleValue(items);
        }
    }
    if (op == "%" && x.kind == Value::Kind::Str)
        return percentFormat(x.s, b);
    typeError("unsupported operand type(s) for " + op + ": '" + typeShortName(x) + "' and '" +
              typeShortName(y) + "'");
}

ValuePtr Interpreter::unaryOp(const std::string& op, const ValuePtr& a)
{
    const Value& x = *a;
    if (x.kind == Value::Kind::Tensor)
        return tensorValue(tensors::unary(op == "-" ? "neg" : op == "+" ? "pos" : "invert", x.tensor));
    if (isIntLike(x)) {
        const int64_t v = intOf(x);
        if (op == "-") {
            if (v == INT64_MIN)
                overflow();
            return integer(-v);
        }
        if (op == "+")
            return integer(v);
        return integer(~v);
    }
    if (x.kind == Value::Kind::Float && op != "~")
        return floating(op == "-" ? -x.f : x.f);
    typeError("bad operand type for unary " + op + ": '" + typeShortName(x) + "'");
}

ValuePtr Interpreter::compare(const std::string& op, const ValuePtr& a, const ValuePtr& b)
{
    const Value& x = *a;
    const Value& y = *b;
    if (op == "is" || op == "is not") {
        const bool same = a == b || (x.kind == y.kind && objectIdentity(a) == objectIdentity(b));
        return boolean(op == "is" ? same : !same);
    }
    if (op == "in")
        return boolean(contains(b, a));
    if (op == "not in")
        return boolean(!contains(b, a));
    if ((x.kind == Value::Kind::Tensor && (y.kind == Value::Kind::Tensor || isNumber(y))) ||
        (y.kind == Value::Kind::Tensor && isNumber(x)))
        return binaryOp(op, a, b);
    if (op == "==")
        return boolean(equal(x, y));
    if (op == "!=")
        return boolean(!equal(x, y));
    auto order = [&](int c) {
        if (op == "<") return c < 0;
        if (op == "<=") return c <= 0;
        if (op == ">") return c > 0;
        return c >= 0;
    };
    if (isNumber(x) && isNumber(y)) {
        if (isIntLike(x) && isIntLike(y))
            return boolean(order(intOf(x) < intOf(y) ? -1 : intOf(x) > intOf(y) ? 1 : 0));
        const double p = floatOf(x), q = floatOf(y);
        if (std::isnan(p) || std::isnan(q))
            return boolean(false);
        return boolean(order(p < q ? -1 : p > q ? 1 : 0));
    }
    if (x.kind == Value::Kind::Str && y.kind == Value::Kind::Str)
        return boolean(order(x.s.compare(y.s)));
    auto seq = [](const Value& v) {
        return v.kind == Value::Kind::List || v.kind == Value::Kind::Tuple || v.kind == Value::Kind::Size;
    };
    if (seq(x) && seq(y) && (x.kind == Value::Kind::List) == (y.kind == Value::Kind::List)) {
        const std::vector<ValuePtr> p = toVector(a), q = toVector(b);
        for (size_t k = 0; k < p.size() && k < q.size(); ++k) {
            if (equal(*p[k], *q[k]))
                continue;
            return compare(op, p[k], q[k]);
        }
        return boolean(order(p.size() < q.size() ? -1 : p.size() > q.size() ? 1 : 0));
    }
    typeError("'" + op + "' not supported between instances of '" + typeShortName(x) + "' and '" +
              typeShortName(y) + "'");
}

bool Interpreter::contains(const ValuePtr& container, const ValuePtr& item)
{
    const Value& c = *container;
    switch (c.kind) {
    case Value::Kind::Str:
        if (item->kind != Value::Kind::Str)
            typeError("'in <string>' requires string as left operand, not " + typeShortName(*item));
        return c.s.find(item->s) != std::string::npos;
    case Value::Kind::Dict:
        if (!hashable(*item))
            typeError("unhashable type: '" + typeShortName(*item) + "'");
        for (const ValuePtr& k : c.keys)
            if (equal(*k, *item))
                return true;
        return false;
    case Value::Kind::Tensor: unsupported("'in' on tensors");
    case Value::Kind::Module:
        if (resolveModule(c.module).typeName() == "ModuleDict") {  // key in self._modules
            if (!hashable(*item))
                typeError("unhashable type: '" + typeShortName(*item) + "'");
            if (item->kind != Value::Kind::Str)
                return false;
            const std::vector<ChildSlot>& slots = resolveModule(c.module).childSlots();
            return std::any_of(slots.begin(), slots.end(),
                               [&](const ChildSlot& slot) { return slot.name == item->s; });
        }
        if (!isIndexedContainer(resolveModule(c.module).typeName()))
            typeError("argument of type '" + typeShortName(c) + "' is not iterable");
        [[fallthrough]];
    default: {
        const ValuePtr it = iterate(container);
        while (const ValuePtr v = nextItem(it))
            if (equal(*v, *item))
                return true;
        return false;
    }
    }
}

}  // namespace mx::stmt
