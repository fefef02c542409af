// The opcodes of Python's pickle protocols 0..5 (Lib/pickletools.py documents each), as the
// pickle machine runs them.
#include "core/files/torchsaveunpickler.h"

#include <charconv>
#include <cstdio>

namespace mx::files {

namespace {

// Opcodes by protocol (Lib/pickletools.py).
enum Op : unsigned char {
    MARK = '(', STOP = '.', POP = '0', POP_MARK = '1', DUP = '2', FLOAT = 'F', INT = 'I',
    BININT = 'J', UNICODE = 'V', BININT1 = 'K', LONG = 'L', BININT2 = 'M', NONE = 'N', BINPERSID = 'Q',
    REDUCE = 'R', BINSTRING = 'T', SHORT_BINSTRING = 'U', BINUNICODE = 'X', APPEND = 'a',
    BUILD = 'b', GLOBAL = 'c', DICT = 'd', EMPTY_DICT = '}', APPENDS = 'e', GET = 'g',
    BINGET = 'h', LONG_BINGET = 'j', LIST = 'l', EMPTY_LIST = ']', PUT = 'p', BINPUT = 'q',
    LONG_BINPUT = 'r', SETITEM = 's', TUPLE = 't', EMPTY_TUPLE = ')', SETITEMS = 'u',
    BINFLOAT = 'G',
    PROTO = 0x80, NEWOBJ = 0x81, TUPLE1 = 0x85, TUPLE2 = 0x86, TUPLE3 = 0x87, NEWTRUE = 0x88,
    NEWFALSE = 0x89, LONG1 = 0x8a, LONG4 = 0x8b,
    BINBYTES = 'B', SHORT_BINBYTES = 'C',
    SHORT_BINUNICODE = 0x8c, BINUNICODE8 = 0x8d, BINBYTES8 = 0x8e, EMPTY_SET = 0x8f,
    ADDITEMS = 0x90, FROZENSET = 0x91, STACK_GLOBAL = 0x93, MEMOIZE = 0x94, FRAME = 0x95,
};

/** Names of opcodes that are refused, for the message. */
std::string_view refusedOpcodeName(unsigned char op)
{
    switch (op) {
    case 'P': return "PERSID";
    case 'S': return "STRING";
    case 'i': return "INST";
    case 'o': return "OBJ";
    case 0x82: case 0x83: case 0x84: return "EXT";
    case 0x92: return "NEWOBJ_EX";
    case 0x96: return "BYTEARRAY8";
    case 0x97: return "NEXT_BUFFER";
    case 0x98: return "READONLY_BUFFER";
    default: return {};
    }
}

}  // namespace

std::string PickleMachine::decimalToLittleEndian(std::string_view text) const
{
    const bool negative = !text.empty() && text.front() == '-';
    const std::string_view digits = text.substr(negative ? 1 : 0);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos)
        fail("LONG with a bad number '" + excerpt(text) + "'");
    std::vector<uint8_t> magnitude;  // little-endian
    for (char digit : digits) {
        unsigned carry = static_cast<unsigned>(digit - '0');
        for (uint8_t& byte : magnitude) {
            const unsigned value = byte * 10u + carry;
            byte = static_cast<uint8_t>(value);
            carry = value >> 8;
        }
        if (carry)
            magnitude.push_back(static_cast<uint8_t>(carry));
    }
    magnitude.push_back(0);  // room for the sign bit
    if (negative) {  // two's complement
        unsigned carry = 1;
        for (uint8_t& byte : magnitude) {
            const unsigned value = static_cast<uint8_t>(~byte) + carry;
            byte = static_cast<uint8_t>(value);
            carry = value >> 8;
        }
    }
    return std::string(magnitude.begin(), magnitude.end());
}

std::string PickleMachine::rawUnicodeEscapeToUtf8(std::string_view text) const
{
    auto hex = [&](std::string_view digits) {
        uint32_t value = 0;
        for (char c : digits) {
            const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0)
                fail("UNICODE with a bad escape");
            value = value * 16 + static_cast<uint32_t>(d);
        }
        return value;
    };
    std::string utf8;
    utf8.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        uint32_t cp = static_cast<unsigned char>(text[i]);
        size_t used = 1;
        if (cp == '\\' && i + 1 < text.size() && (text[i + 1] == 'u' || text[i + 1] == 'U')) {
            const size_t digits = text[i + 1] == 'u' ? 4 : 8;
            if (text.size() - i - 2 < digits)
                fail("UNICODE with a truncated escape");
            cp = hex(text.substr(i + 2, digits));
            if (cp > 0x10FFFF)
                fail("UNICODE with an escape past U+10FFFF");
            used = 2 + digits;
        }
        if (cp < 0x80) {
            utf8.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            utf8.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            utf8.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            utf8.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            utf8.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            utf8.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            utf8.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            utf8.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            utf8.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            utf8.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
        i += used;
    }
    return utf8;
}

void PickleMachine::step(unsigned char op)
{
    switch (op) {
    case PROTO: {
        const uint64_t version = readLE(1, "PROTO");
        if (version > 5)
            fail("pickle protocol " + std::to_string(version) + " (Python writes 0 to 5)");
        return;
    }
    case FRAME:
        need(readLE(8, "FRAME"), "FRAME");  // frames only group opcodes; read through them
        return;
    case STOP:
        stopped_ = true;
        return;
    case MARK:
        charge(1);
        marks_.push_back(stack_.size());
        return;
    case POP:
        if (stack_.size() == frameBase() && !marks_.empty())
            marks_.pop_back();  // as Python: POP right after MARK drops the mark
        else
            pop("POP");
        return;
    case POP_MARK:
        popToMark("POP_MARK");
        return;
    case DUP:
        needStack(1, "DUP");
        push(stack_.back());
        return;

    // scalars
    case NONE: push(PickleValue()); return;
    case NEWTRUE: push(PickleValue::boolean(true)); return;
    case NEWFALSE: push(PickleValue::boolean(false)); return;
    case BININT1: push(PickleValue::integer(static_cast<int64_t>(readLE(1, "BININT1")))); return;
    case BININT2: push(PickleValue::integer(static_cast<int64_t>(readLE(2, "BININT2")))); return;
    case BININT: push(PickleValue::integer(static_cast<int32_t>(static_cast<uint32_t>(readLE(4, "BININT"))))); return;
    case LONG1: { const uint64_t n = readLE(1, "LONG1"); push(longValue(take(n, "LONG1"))); return; }
    case LONG4: {
        const uint64_t n = readLE(4, "LONG4");
        if (n & 0x80000000u)
            fail("LONG4 with a negative length");
        push(longValue(take(n, "LONG4")));
        return;
    }
    case BINFLOAT: {
        const uint64_t be = readLE(8, "BINFLOAT");
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i)
            bits |= ((be >> (8 * i)) & 0xFF) << (8 * (7 - i));
        double value;
        std::memcpy(&value, &bits, sizeof value);
        push(PickleValue::real(value));
        return;
    }
    case INT: {
        const std::string_view text = line("INT");
        if (text == "00" || text == "01") {
            push(PickleValue::boolean(text == "01"));
            return;
        }
        int64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || error != std::errc() || end != text.data() + text.size())
            fail("INT with a bad number '" + excerpt(text) + "'");
        push(PickleValue::integer(value));
        return;
    }
    case LONG: {
        std::string_view text = line("LONG");
        if (!text.empty() && text.back() == 'L')
            text.remove_suffix(1);
        push(longValue(decimalToLittleEndian(text)));
        return;
    }
    case FLOAT: {
        const std::string_view text = line("FLOAT");
        double value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || error != std::errc() || end != text.data() + text.size())
            fail("FLOAT with a bad number '" + excerpt(text) + "'");
        push(PickleValue::real(value));
        return;
    }

    // strings
    case BINUNICODE: textValue(PickleKind::Str, take(readLE(4, "BINUNICODE"), "BINUNICODE")); return;
    case SHORT_BINUNICODE: textValue(PickleKind::Str, take(readLE(1, "SHORT_BINUNICODE"), "SHORT_BINUNICODE")); return;
    case BINUNICODE8: textValue(PickleKind::Str, take(readLE(8, "BINUNICODE8"), "BINUNICODE8")); return;
    case SHORT_BINSTRING:  // Python 2 str; Python 3 decodes it as ASCII
        textValue(PickleKind::Str, take(readLE(1, "SHORT_BINSTRING"), "SHORT_BINSTRING"));
        return;
    case BINSTRING: {
        const uint64_t n = readLE(4, "BINSTRING");
        if (n & 0x80000000u)
            fail("BINSTRING with a negative length");
        textValue(PickleKind::Str, take(n, "BINSTRING"));
        return;
    }
    case UNICODE:
        textValue(PickleKind::Str, rawUnicodeEscapeToUtf8(line("UNICODE", size_ - pos_)));
        return;
    case BINBYTES: textValue(PickleKind::Bytes, take(readLE(4, "BINBYTES"), "BINBYTES")); return;
    case SHORT_BINBYTES: textValue(PickleKind::Bytes, take(readLE(1, "SHORT_BINBYTES"), "SHORT_BINBYTES")); return;
    case BINBYTES8: textValue(PickleKind::Bytes, take(readLE(8, "BINBYTES8"), "BINBYTES8")); return;

    // containers
    case EMPTY_LIST: push(newSequence(PickleKind::List, {})); return;
    case EMPTY_TUPLE: push(newSequence(PickleKind::Tuple, {})); return;
    case EMPTY_DICT: push(newDict(false)); return;
    case EMPTY_SET: push(newSequence(PickleKind::Set, {})); return;
    case LIST: push(newSequence(PickleKind::List, popToMark("LIST"))); return;
    case TUPLE: push(newSequence(PickleKind::Tuple, popToMark("TUPLE"))); return;
    case FROZENSET: {
        std::vector<PickleValue> items = popToMark("FROZENSET");
        for (const PickleValue& item : items)
            if (item.is(PickleKind::List) || item.is(PickleKind::Dict) || item.is(PickleKind::Set))
                fail(aKind(item.kind()) + " in a frozenset (unhashable)");
        push(newSequence(PickleKind::FrozenSet, std::move(items)));
        return;
    }
    case TUPLE1: case TUPLE2: case TUPLE3: {
        const size_t n = op - TUPLE1 + 1;
        needStack(n, "TUPLE1/2/3");
        std::vector<PickleValue> items(stack_.end() - static_cast<std::ptrdiff_t>(n), stack_.end());
        stack_.resize(stack_.size() - n);
        push(newSequence(PickleKind::Tuple, std::move(items)));
        return;
    }
    case DICT: {
        const std::vector<PickleValue> keysAndValues = popToMark("DICT");
        const PickleValue dict = newDict(false);
        setItems(dict, keysAndValues.data(), keysAndValues.size());
        push(dict);
        return;
    }
    case APPEND:
        needStack(2, "APPEND");
        appendItems(stack_[stack_.size() - 2], &stack_.back(), 1);
        stack_.pop_back();
        return;
    case SETITEM:
        needStack(3, "SETITEM");
        setItems(stack_[stack_.size() - 3], &stack_[stack_.size() - 2], 2);
        stack_.resize(stack_.size() - 2);
        return;
    case APPENDS: case SETITEMS: case ADDITEMS: {
        // The items lie above the last MARK, the container just below it.
        const char* name = op == APPENDS ? "APPENDS" : op == SETITEMS ? "SETITEMS" : "ADDITEMS";
        if (marks_.empty())
            fail(std::string(name) + " without a MARK");
        const size_t base = marks_.back();
        marks_.pop_back();
        if (base == frameBase())
            fail(std::string(name) + " with too few values on the stack (stack underflow)");
        const PickleValue container = stack_[base - 1];
        const PickleValue* items = stack_.data() + base;
        const size_t count = stack_.size() - base;
        if (op == APPENDS)
            appendItems(container, items, count);
        else if (op == SETITEMS)
            setItems(container, items, count);
        else
            addItems(container, items, count);
        stack_.resize(base);
        return;
    }

    // memo
    case BINPUT: memoPut(readLE(1, "BINPUT")); return;
    case LONG_BINPUT: memoPut(readLE(4, "LONG_BINPUT")); return;
    case PUT: memoPut(decimal(line("PUT"), "PUT")); return;
    case MEMOIZE: memoPut(memo_.size()); return;
    case BINGET: memoGet(readLE(1, "BINGET")); return;
    case LONG_BINGET: memoGet(readLE(4, "LONG_BINGET")); return;
    case GET: memoGet(decimal(line("GET"), "GET")); return;

    // objects: only allow-listed globals, never code
    case GLOBAL: {
        const std::string_view module = line("GLOBAL");
        const std::string_view name = line("GLOBAL");
        pushGlobal(module, name);
        return;
    }
    case STACK_GLOBAL: {
        const PickleValue name = pop("STACK_GLOBAL");
        const PickleValue module = pop("STACK_GLOBAL");
        if (!module.is(PickleKind::Str) || !name.is(PickleKind::Str))
            fail("STACK_GLOBAL with " + aKind(module.kind()) + " and " + aKind(name.kind()) + ", not two strings");
        pushGlobal(doc_.texts_[module.index()], doc_.texts_[name.index()]);
        return;
    }
    case REDUCE: {
        const PickleValue args = pop("REDUCE");
        const PickleValue callable = pop("REDUCE");
        if (!callable.is(PickleKind::Global))
            fail("REDUCE calls " + aKind(callable.kind()) + ", not an allowed global");
        push(callGlobal(*this, callable.index(), args));
        return;
    }
    case NEWOBJ: {
        const PickleValue args = pop("NEWOBJ");
        const PickleValue cls = pop("NEWOBJ");
        if (cls.is(PickleKind::ScriptClass)) {  // a TorchScript object: its slots come by BUILD
            if (!args.is(PickleKind::Tuple) || !doc_.sequences_[args.index()].empty())
                fail("NEWOBJ of a TorchScript class with arguments");
            const PickleValue object = newDict(false);
            doc_.dicts_[object.index()].scriptClass = doc_.texts_[cls.index()];
            push(object);
            return;
        }
        if (!cls.is(PickleKind::Global))
            fail("NEWOBJ of " + aKind(cls.kind()) + ", not an allowed class");
        push(newObject(*this, cls.index(), args));
        return;
    }
    case BUILD: {
        const PickleValue state = pop("BUILD");
        needStack(1, "BUILD");
        build(stack_.back(), state);
        return;
    }
    case BINPERSID:
        push(persistentLoad(*this, pop("BINPERSID")));
        return;
    default: {
        const std::string_view name = refusedOpcodeName(op);
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", op);
        fail(name.empty() ? "unknown opcode " + std::string(hex)
                          : "unsupported opcode " + std::string(name) + " (" + hex + ")");
    }
    }
}

}  // namespace mx::files
