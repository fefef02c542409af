// The pickle machine's values, memo and final checks (torchsaveopcodes.cpp runs the opcodes).
#include "core/files/torchsaveunpickler.h"

#include <charconv>

namespace mx::files {

namespace {

constexpr uint64_t kMaxBigIntBytes = 255;

}  // namespace

bool isPythonUtf8(std::string_view text)
{
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    for (size_t i = 0; i < n;) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t length = 0;
        uint32_t lowest = 0;
        uint32_t cp = 0;
        if ((c & 0xE0) == 0xC0) { length = 2; lowest = 0x80; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { length = 3; lowest = 0x800; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { length = 4; lowest = 0x10000; cp = c & 0x07; }
        else return false;
        if (n - i < length)
            return false;
        for (size_t k = 1; k < length; ++k) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < lowest || cp > 0x10FFFF)
            return false;
        i += length;
    }
    return true;
}

PickleValue PickleMachine::newText(PickleKind kind, std::string text)
{
    charge(2 + text.size() / 16);
    if (doc_.texts_.size() >= std::numeric_limits<uint32_t>::max())
        fail("too many strings");
    doc_.texts_.push_back(std::move(text));
    return PickleValue::node(kind, static_cast<uint32_t>(doc_.texts_.size() - 1));
}

PickleValue PickleMachine::newSequence(PickleKind kind, std::vector<PickleValue> items)
{
    charge(2);
    if (doc_.sequences_.size() >= std::numeric_limits<uint32_t>::max())
        fail("too many containers");
    uint32_t height = 1;
    for (const PickleValue& item : items)
        height = std::max(height, heightOf(item) + 1);
    if (height > limits_.maxDepth)
        fail("containers nested deeper than " + std::to_string(limits_.maxDepth));
    doc_.sequences_.push_back(std::move(items));
    sequenceHeight_.push_back(height);
    return PickleValue::node(kind, static_cast<uint32_t>(doc_.sequences_.size() - 1));
}

PickleValue PickleMachine::newDict(bool ordered)
{
    charge(4);
    if (doc_.dicts_.size() >= std::numeric_limits<uint32_t>::max())
        fail("too many dicts");
    doc_.dicts_.emplace_back();
    doc_.dicts_.back().ordered = ordered;
    dictHeight_.push_back(1);
    return PickleValue::node(PickleKind::Dict, static_cast<uint32_t>(doc_.dicts_.size() - 1));
}

void PickleMachine::addEntry(PickleValue dict, PickleValue key, PickleValue value)
{
    switch (key.kind()) {
    case PickleKind::List: case PickleKind::Dict: case PickleKind::Set:
        fail(aKind(key.kind()) + " used as a dict key (unhashable)");
    default:
        break;
    }
    raiseHeight(dict, key);
    raiseHeight(dict, value);
    doc_.dicts_[dict.index()].entries.emplace_back(key, value);
}

PickleValue PickleMachine::newTensor(PickleTensor tensor)
{
    charge(24 + 2 * tensor.sizes.size());  // with its at::Tensor later: a few hundred bytes
    if (doc_.tensors_.size() >= std::numeric_limits<uint32_t>::max())
        fail("too many tensors");
    doc_.tensors_.push_back(std::move(tensor));
    return PickleValue::node(PickleKind::Tensor, static_cast<uint32_t>(doc_.tensors_.size() - 1));
}

PickleValue PickleMachine::storageReference(PickleStorage storage)
{
    const auto found = storageByKey_.find(storage.key);
    if (found != storageByKey_.end()) {
        const PickleStorage& first = doc_.storages_[found->second];
        if (first.dtype != storage.dtype || first.numel != storage.numel)
            fail("storage '" + storage.key + "' is declared as " + std::to_string(first.numel) + " " +
                 std::string(storageDtypeName(first.dtype)) + " and as " + std::to_string(storage.numel) + " " +
                 std::string(storageDtypeName(storage.dtype)));
        return PickleValue::node(PickleKind::Storage, found->second);
    }
    charge(8 + (storage.key.size() + storage.location.size()) / 8);
    const auto index = static_cast<uint32_t>(doc_.storages_.size());
    storageByKey_.emplace(storage.key, index);
    doc_.storages_.push_back(std::move(storage));
    return PickleValue::node(PickleKind::Storage, index);
}

uint32_t PickleMachine::heightOf(PickleValue value) const
{
    switch (value.kind()) {
    case PickleKind::List: case PickleKind::Tuple: case PickleKind::Set: case PickleKind::FrozenSet:
        return sequenceHeight_[value.index()];
    case PickleKind::Dict:
        return dictHeight_[value.index()];
    default:
        return 0;
    }
}

void PickleMachine::raiseHeight(PickleValue container, PickleValue child)
{
    uint32_t& height = container.is(PickleKind::Dict) ? dictHeight_[container.index()]
                                                      : sequenceHeight_[container.index()];
    height = std::max(height, heightOf(child) + 1);
    if (height > limits_.maxDepth)
        fail("containers nested deeper than " + std::to_string(limits_.maxDepth));
}

uint64_t PickleMachine::decimal(std::string_view text, const char* what) const
{
    uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        fail(std::string(what) + " with a bad number '" + excerpt(text) + "'");
    return value;
}

PickleValue PickleMachine::longValue(std::string_view le)
{
    if (le.size() > kMaxBigIntBytes)
        fail("an integer of " + std::to_string(le.size()) + " bytes (Module Explorer reads at most " +
             std::to_string(kMaxBigIntBytes) + ")");
    if (le.empty())
        return PickleValue::integer(0);
    // Fits in int64 when every byte past the eighth repeats the sign.
    const bool negative = static_cast<unsigned char>(le.back()) & 0x80;
    bool fits = true;
    for (size_t i = 8; i < le.size(); ++i)
        fits = fits && static_cast<unsigned char>(le[i]) == (negative ? 0xFF : 0x00);
    if (le.size() >= 8)
        fits = fits && ((static_cast<unsigned char>(le[7]) & 0x80) != 0) == negative;
    if (!fits)
        return newText(PickleKind::BigInt, std::string(le));
    uint64_t bits = negative ? ~uint64_t(0) : 0;
    for (size_t i = 0; i < std::min<size_t>(8, le.size()); ++i) {
        bits &= ~(uint64_t(0xFF) << (8 * i));
        bits |= uint64_t(static_cast<unsigned char>(le[i])) << (8 * i);
    }
    int64_t value;
    std::memcpy(&value, &bits, sizeof value);
    return PickleValue::integer(value);
}

void PickleMachine::textValue(PickleKind kind, std::string_view bytes)
{
    if (kind == PickleKind::Str && !isPythonUtf8(bytes))
        fail("a string that is not UTF-8");
    push(newText(kind, std::string(bytes)));
}

void PickleMachine::appendItems(PickleValue list, const PickleValue* items, size_t count)
{
    if (!list.is(PickleKind::List))
        fail("APPEND to " + aKind(list.kind()) + ", not a list");
    for (size_t i = 0; i < count; ++i)
        raiseHeight(list, items[i]);
    auto& target = doc_.sequences_[list.index()];
    target.insert(target.end(), items, items + count);
}

void PickleMachine::setItems(PickleValue dict, const PickleValue* keysAndValues, size_t count)
{
    if (!dict.is(PickleKind::Dict))
        fail("SETITEM on " + aKind(dict.kind()) + ", not a dict");
    if (count % 2 != 0)
        fail("SETITEMS with an odd number of values");
    for (size_t i = 0; i < count; i += 2)
        addEntry(dict, keysAndValues[i], keysAndValues[i + 1]);
}

void PickleMachine::addItems(PickleValue set, const PickleValue* items, size_t count)
{
    if (!set.is(PickleKind::Set))
        fail("ADDITEMS to " + aKind(set.kind()) + ", not a set");
    for (size_t i = 0; i < count; ++i) {
        if (items[i].is(PickleKind::List) || items[i].is(PickleKind::Dict) || items[i].is(PickleKind::Set))
            fail(aKind(items[i].kind()) + " added to a set (unhashable)");
        raiseHeight(set, items[i]);
    }
    auto& target = doc_.sequences_[set.index()];
    target.insert(target.end(), items, items + count);
}

void PickleMachine::build(PickleValue target, PickleValue state)
{
    // Python applies BUILD's state to the object's __dict__; of the objects this reader makes,
    // only an OrderedDict has one (torch.save's state_dict keeps `_metadata` there).
    if (!target.is(PickleKind::Dict) ||
        (!doc_.dicts_[target.index()].ordered && doc_.dicts_[target.index()].scriptClass.empty()))
        fail("BUILD on " + aKind(target.kind()) + " (only an OrderedDict takes attributes)");
    std::vector<PickleValue> parts;
    if (state.is(PickleKind::Tuple) && doc_.sequences_[state.index()].size() == 2)
        parts = doc_.sequences_[state.index()];  // (state, slotstate)
    else
        parts.push_back(state);
    for (const PickleValue& part : parts) {
        if (part.is(PickleKind::None))
            continue;
        if (!part.is(PickleKind::Dict))
            fail("BUILD with " + aKind(part.kind()) + " as the state, not a dict");
        if (doc_.dicts_[target.index()].attributes.is(PickleKind::None)) {
            const PickleValue attributes = newDict(false);
            doc_.dicts_[target.index()].attributes = attributes;
        }
        const PickleValue attributes = doc_.dicts_[target.index()].attributes;
        raiseHeight(target, attributes);
        const auto entries = doc_.dicts_[part.index()].entries;  // copy: part may be `attributes`
        charge(2 * entries.size());
        for (const auto& [key, value] : entries)
            addEntry(attributes, key, value);
        raiseHeight(target, attributes);
    }
}

void PickleMachine::pushGlobal(std::string_view module, std::string_view name)
{
    if (limits_.scriptObjects && (module == "__torch__" || module.rfind("__torch__.", 0) == 0)) {
        push(newText(PickleKind::ScriptClass, std::string(module) + "." + std::string(name)));
        return;
    }
    const std::optional<uint32_t> id = findAllowedGlobal(module, name);
    if (!id)
        throw FileFormatError("unsupported global '" + excerpt(module, 64) + "." + excerpt(name, 64) +
                              "' in the pickle at byte " + std::to_string(opStart_) +
                              " (Module Explorer never runs code from files)");
    push(PickleValue::node(PickleKind::Global, *id));
}

PickleDocument PickleMachine::run()
{
    while (!stopped_) {
        opStart_ = pos_;
        if (pos_ >= size_)
            fail(size_ == 0 ? "no data (empty pickle)" : "end of data before STOP (truncated pickle)");
        step(data_[pos_++]);
    }
    doc_.root_ = pop("STOP");
    memo_.clear();
    stack_.clear();
    deduplicateKeys();
    checkShape();
    return std::move(doc_);
}

void PickleMachine::deduplicateKeys()
{
    // Python's dict keeps one entry per equal key: the first position, the last value. Keys are
    // compared by value for None, bool/int (True == 1), floats equal to an int, str, bytes and
    // big ints; other keys (tuples, ...) by identity.
    std::unordered_map<std::string, size_t> seen;
    std::string id;
    for (PickleDict& dict : doc_.dicts_) {
        if (dict.entries.size() < 2)
            continue;
        seen.clear();
        std::vector<std::pair<PickleValue, PickleValue>> kept;
        kept.reserve(dict.entries.size());
        for (const auto& [key, value] : dict.entries) {
            id.assign(1, static_cast<char>(key.kind()));
            uint64_t bits = 0;
            switch (key.kind()) {
            case PickleKind::Str: case PickleKind::Bytes: case PickleKind::BigInt:
                id += doc_.texts_[key.index()];
                break;
            case PickleKind::Float: {
                const double f = key.asFloat();
                if (f >= -9.2e18 && f <= 9.2e18 && f == static_cast<double>(static_cast<int64_t>(f))) {
                    id.assign(1, static_cast<char>(PickleKind::Int));
                    const int64_t i = static_cast<int64_t>(f);
                    std::memcpy(&bits, &i, sizeof bits);
                } else {
                    std::memcpy(&bits, &f, sizeof bits);
                }
                id.append(reinterpret_cast<const char*>(&bits), sizeof bits);
                break;
            }
            case PickleKind::None:
                break;
            case PickleKind::Bool: case PickleKind::Int: {
                id.assign(1, static_cast<char>(PickleKind::Int));
                const int64_t i = key.asInt();
                std::memcpy(&bits, &i, sizeof bits);
                id.append(reinterpret_cast<const char*>(&bits), sizeof bits);
                break;
            }
            default: {
                const uint32_t index = key.index();
                id.append(reinterpret_cast<const char*>(&index), sizeof index);
                break;
            }
            }
            const auto [it, inserted] = seen.try_emplace(id, kept.size());
            if (inserted)
                kept.emplace_back(key, value);
            else
                kept[it->second].second = value;
        }
        if (kept.size() != dict.entries.size())
            dict.entries = std::move(kept);
    }
}

void PickleMachine::checkShape()
{
    // One iterative depth-first walk from the root over containers: refuses reference cycles
    // (a container inside itself, which torch.save never writes) and nesting past maxDepth.
    const size_t sequences = doc_.sequences_.size();
    auto idOf = [&](PickleValue v) -> std::optional<size_t> {
        switch (v.kind()) {
        case PickleKind::List: case PickleKind::Tuple: case PickleKind::Set: case PickleKind::FrozenSet:
            return v.index();
        case PickleKind::Dict:
            return sequences + v.index();
        default:
            return std::nullopt;
        }
    };
    auto childCount = [&](size_t id) {
        return id < sequences ? doc_.sequences_[id].size() : 2 * doc_.dicts_[id - sequences].entries.size() + 1;
    };
    auto child = [&](size_t id, size_t i) -> PickleValue {
        if (id < sequences)
            return doc_.sequences_[id][i];
        const PickleDict& dict = doc_.dicts_[id - sequences];
        if (i == 2 * dict.entries.size())
            return dict.attributes;
        return i % 2 == 0 ? dict.entries[i / 2].first : dict.entries[i / 2].second;
    };
    enum : uint8_t { Unseen, Open, Done };
    std::vector<uint8_t> state(sequences + doc_.dicts_.size(), Unseen);
    std::vector<uint32_t> height(state.size(), 0);  // of Done containers: 1 for one without containers
    struct Frame { size_t id; size_t next; uint32_t deepestChild; };
    std::vector<Frame> path;
    const std::optional<size_t> rootId = idOf(doc_.root_);
    if (!rootId)
        return;
    state[*rootId] = Open;
    path.push_back({*rootId, 0, 0});
    while (!path.empty()) {
        Frame& frame = path.back();
        if (frame.next == childCount(frame.id)) {
            const uint32_t done = frame.deepestChild + 1;
            if (done > limits_.maxDepth)
                fail("containers nested deeper than " + std::to_string(limits_.maxDepth));
            state[frame.id] = Done;
            height[frame.id] = done;
            path.pop_back();
            if (!path.empty())
                path.back().deepestChild = std::max(path.back().deepestChild, done);
            continue;
        }
        const std::optional<size_t> next = idOf(child(frame.id, frame.next++));
        if (!next)
            continue;
        if (state[*next] == Done) {
            frame.deepestChild = std::max(frame.deepestChild, height[*next]);
            continue;
        }
        if (state[*next] == Open)
            fail("a reference cycle (a container inside itself), which torch.save never writes");
        if (path.size() >= limits_.maxDepth)
            fail("containers nested deeper than " + std::to_string(limits_.maxDepth));
        state[*next] = Open;
        path.push_back({*next, 0, 0});
    }
}

}  // namespace mx::files
