#pragma once

// Internal to the pickle reader (pickle.cpp, torchsaveunpickler.cpp, torchsaveopcodes.cpp): the
// stack machine that reads a pickle into a PickleDocument.

#include "core/files/fileerror.h"
#include "core/files/pickle.h"
#include "core/files/torchsaveglobals.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mx::files {

/** Whether `text` is UTF-8 as Python's 'surrogatepass' decoder accepts it. */
bool isPythonUtf8(std::string_view text);

/** Runs the opcodes of one pickle against a stack, a mark stack and a memo (Python's Unpickler). */
class PickleMachine final : public PickleBuilder {
public:
    PickleMachine(std::string_view bytes, const PickleLimits& limits)
        : data_(reinterpret_cast<const unsigned char*>(bytes.data())), size_(bytes.size()), limits_(limits)
    {
    }

    PickleDocument run();

    // PickleBuilder, for the globals (torchsaveglobals.cpp)
    size_t opcodeOffset() const override { return opStart_; }
    void charge(uint64_t units) override
    {
        if (units > limits_.maxUnits - units_)
            fail("more values than Module Explorer reads (limit " + std::to_string(limits_.maxUnits) + ")");
        units_ += units;
    }
    const PickleDocument& document() const override { return doc_; }
    const PickleLimits& limits() const override { return limits_; }
    PickleValue newText(PickleKind kind, std::string text) override;
    PickleValue newSequence(PickleKind kind, std::vector<PickleValue> items) override;
    PickleValue newDict(bool ordered) override;
    void addEntry(PickleValue dict, PickleValue key, PickleValue value) override;
    PickleValue newTensor(PickleTensor tensor) override;
    PickleValue storageReference(PickleStorage storage) override;

private:
    // input
    void need(uint64_t n, const char* what) const
    {
        if (n > size_ - pos_)
            fail(std::string("truncated ") + what + " (needs " + std::to_string(n) + " bytes, " +
                 std::to_string(size_ - pos_) + " left)");
    }
    uint64_t readLE(size_t n, const char* what)
    {
        need(n, what);
        uint64_t value = 0;
        for (size_t i = 0; i < n; ++i)
            value |= uint64_t(data_[pos_ + i]) << (8 * i);
        pos_ += n;
        return value;
    }
    std::string_view take(uint64_t n, const char* what)
    {
        need(n, what);
        std::string_view bytes(reinterpret_cast<const char*>(data_ + pos_), n);
        pos_ += n;
        return bytes;
    }
    static constexpr size_t kMaxLineBytes = 256;
    /** Protocol 0's argument lines: up to `maxBytes` then a newline. */
    std::string_view line(const char* what, size_t maxBytes = kMaxLineBytes)
    {
        const size_t limit = std::min(size_ - pos_, maxBytes + 1);
        const void* end = limit ? std::memchr(data_ + pos_, '\n', limit) : nullptr;
        if (!end)
            fail(std::string(what) + " without an end of line" +
                 (limit > maxBytes ? " in its first " + std::to_string(maxBytes) + " bytes" : std::string()));
        const size_t n = static_cast<const unsigned char*>(end) - (data_ + pos_);
        std::string_view text(reinterpret_cast<const char*>(data_ + pos_), n);
        pos_ += n + 1;
        return text;
    }

    // stack
    void push(PickleValue value)
    {
        charge(1);
        stack_.push_back(value);
    }
    size_t frameBase() const { return marks_.empty() ? 0 : marks_.back(); }
    void needStack(size_t n, const char* what) const
    {
        if (stack_.size() - frameBase() < n)
            fail(std::string(what) + " with too few values on the stack (stack underflow)");
    }
    PickleValue pop(const char* what)
    {
        needStack(1, what);
        const PickleValue value = stack_.back();
        stack_.pop_back();
        return value;
    }
    /** The values pushed since the last MARK, which is removed. */
    std::vector<PickleValue> popToMark(const char* what)
    {
        if (marks_.empty())
            fail(std::string(what) + " without a MARK");
        const size_t base = marks_.back();
        marks_.pop_back();
        std::vector<PickleValue> items(stack_.begin() + static_cast<std::ptrdiff_t>(base), stack_.end());
        stack_.resize(base);
        return items;
    }

    // memo
    void memoPut(uint64_t index)
    {
        needStack(1, "PUT");
        if (index > std::numeric_limits<uint32_t>::max())
            fail("memo index " + std::to_string(index) + " is out of range");
        auto [it, inserted] = memo_.try_emplace(static_cast<uint32_t>(index), stack_.back());
        if (inserted)
            charge(3);
        else
            it->second = stack_.back();
    }
    void memoGet(uint64_t index)
    {
        const auto it = index <= std::numeric_limits<uint32_t>::max() ? memo_.find(static_cast<uint32_t>(index))
                                                                      : memo_.end();
        if (it == memo_.end())
            fail("memo entry " + std::to_string(index) + " is read before it is written");
        push(it->second);
    }

    uint64_t decimal(std::string_view text, const char* what) const;
    /** Protocol 0's LONG text ("-123", no 'L') as little-endian two's complement bytes. */
    std::string decimalToLittleEndian(std::string_view text) const;
    /** Protocol 0's UNICODE text (raw-unicode-escape) as UTF-8. */
    std::string rawUnicodeEscapeToUtf8(std::string_view text) const;
    PickleValue longValue(std::string_view le);
    void textValue(PickleKind kind, std::string_view bytes);
    void appendItems(PickleValue list, const PickleValue* items, size_t count);
    void setItems(PickleValue dict, const PickleValue* keysAndValues, size_t count);
    void addItems(PickleValue set, const PickleValue* items, size_t count);
    void build(PickleValue target, PickleValue state);
    void pushGlobal(std::string_view module, std::string_view name);
    void step(unsigned char op);

    // finishing
    uint32_t heightOf(PickleValue value) const;
    void raiseHeight(PickleValue container, PickleValue child);
    void deduplicateKeys();
    void checkShape();

    const unsigned char* data_;
    size_t size_;
    size_t pos_ = 0;
    size_t opStart_ = 0;
    PickleLimits limits_;
    uint64_t units_ = 0;
    bool stopped_ = false;
    PickleDocument doc_;
    std::vector<PickleValue> stack_;
    std::vector<size_t> marks_;
    std::unordered_map<uint32_t, PickleValue> memo_;
    std::unordered_map<std::string, uint32_t> storageByKey_;
    std::vector<uint32_t> sequenceHeight_;  // lower bounds, for early refusal of deep nesting
    std::vector<uint32_t> dictHeight_;
};

}  // namespace mx::files
