// Writes a state_dict's data.pkl opcode by opcode as Python's pickle (protocol 2) does for
// torch.save(module.state_dict()): the same opcodes, memo use and SETITEMS batches of 1000.
#include "core/files/torchsavepickle.h"

#include "core/files/fileerror.h"
#include "core/files/torchsaveunpickler.h"

#include <map>
#include <set>

namespace mx::files {

namespace {

/** Appends opcodes to a buffer and memoizes repeated names as Python's Pickler does. */
class PickleWriter {
public:
    std::string bytes;

    void op(unsigned char code) { bytes.push_back(static_cast<char>(code)); }

    void integer(int64_t value)
    {
        if (value >= 0 && value < 0x100) {
            op('K');
            little(static_cast<uint64_t>(value), 1);
        } else if (value >= 0 && value < 0x10000) {
            op('M');
            little(static_cast<uint64_t>(value), 2);
        } else if (value >= INT32_MIN && value <= INT32_MAX) {
            op('J');
            little(static_cast<uint64_t>(static_cast<uint32_t>(static_cast<int32_t>(value))), 4);
        } else {  // LONG1 with the fewest two's complement bytes, as Python's encode_long
            size_t n = 8;
            while (n > 1) {
                const int64_t shifted = value >> (8 * (n - 1) - 1);  // the top byte and the next sign bit
                if (shifted != 0 && shifted != -1)
                    break;
                --n;
            }
            op(0x8a);
            little(n, 1);
            little(static_cast<uint64_t>(value), n);
        }
    }

    void boolean(bool value) { op(value ? 0x88 : 0x89); }

    /** BINUNICODE, memoized (a repeated string is a BINGET). */
    void text(const std::string& utf8)
    {
        if (remembered(memoText_, utf8))
            return;
        op('X');
        little(utf8.size(), 4);
        bytes += utf8;
        memoTop(memoText_, utf8);
    }

    /** GLOBAL, memoized. */
    void global(const std::string& module, const std::string& name)
    {
        const std::string qualified = module + "\n" + name + "\n";
        if (remembered(memoGlobal_, qualified))
            return;
        op('c');
        bytes += qualified;
        memoTop(memoGlobal_, qualified);
    }

    void intTuple(const std::vector<int64_t>& numbers)
    {
        if (numbers.empty()) {
            op(')');
            return;
        }
        if (numbers.size() > 3)
            op('(');
        for (int64_t n : numbers)
            integer(n);
        op(numbers.size() > 3 ? 't' : static_cast<unsigned char>(0x85 + numbers.size() - 1));
        memoize();
    }

    /** Pushes a fresh OrderedDict() (the class is memoized). */
    void newOrderedDict()
    {
        global("collections", "OrderedDict");
        op(')');
        op('R');
        memoize();
    }

    void memoize()
    {
        if (nextMemo_ < 0x100) {
            op('q');
            little(nextMemo_, 1);
        } else {
            op('r');
            little(nextMemo_, 4);
        }
        ++nextMemo_;
    }

private:
    void little(uint64_t value, size_t n)
    {
        for (size_t i = 0; i < n; ++i)
            bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
    }
    bool remembered(const std::map<std::string, uint64_t>& memo, const std::string& key)
    {
        const auto it = memo.find(key);
        if (it == memo.end())
            return false;
        if (it->second < 0x100) {
            op('h');
            little(it->second, 1);
        } else {
            op('j');
            little(it->second, 4);
        }
        return true;
    }
    void memoTop(std::map<std::string, uint64_t>& memo, const std::string& key)
    {
        memo.emplace(key, nextMemo_);
        memoize();
    }

    uint64_t nextMemo_ = 0;
    std::map<std::string, uint64_t> memoText_;
    std::map<std::string, uint64_t> memoGlobal_;
};

constexpr size_t kBatch = 1000;  // pickle._BATCHSIZE

void checkText(const std::string& text, const char* what)
{
    if (!isPythonUtf8(text))
        throw FileFormatError(std::string("cannot write a state_dict whose ") + what + " is not UTF-8");
}

void checkEntry(const StateDictPickleEntry& entry, const std::vector<PickleStorage>& storages)
{
    if (entry.storage >= storages.size())
        throw FileFormatError("state_dict entry '" + entry.key + "' names a storage that is not listed");
    if (entry.sizes.size() != entry.strides.size())
        throw FileFormatError("state_dict entry '" + entry.key + "' has as many sizes as strides");
    bool empty = false;
    for (size_t d = 0; d < entry.sizes.size(); ++d) {
        if (entry.sizes[d] < 0 || entry.strides[d] < 0)
            throw FileFormatError("state_dict entry '" + entry.key + "' has a negative size or stride");
        empty = empty || entry.sizes[d] == 0;
    }
    int64_t needed = entry.storageOffset;
    bool overflow = entry.storageOffset < 0;
    if (!empty) {
        for (size_t d = 0; d < entry.sizes.size(); ++d) {
            int64_t reach = 0;
            overflow = overflow || __builtin_mul_overflow(entry.sizes[d] - 1, entry.strides[d], &reach) ||
                       __builtin_add_overflow(needed, reach, &needed);
        }
        overflow = overflow || __builtin_add_overflow(needed, int64_t(1), &needed);
    }
    if (overflow || needed > storages[entry.storage].numel)
        throw FileFormatError("state_dict entry '" + entry.key + "' reaches past the end of its storage");
}

}  // namespace

std::string encodeStateDictPickle(const std::vector<StateDictPickleEntry>& entries,
                                  const std::vector<PickleStorage>& storages,
                                  const std::vector<ModuleVersion>& metadata)
{
    std::set<std::string> keys;
    for (const StateDictPickleEntry& entry : entries) {
        checkText(entry.key, "key");
        if (!keys.insert(entry.key).second)
            throw FileFormatError("cannot write a state_dict with the key '" + entry.key + "' twice");
        checkEntry(entry, storages);
    }
    std::set<std::string> prefixes;
    for (const ModuleVersion& module : metadata) {
        checkText(module.prefix, "module prefix");
        if (!prefixes.insert(module.prefix).second)
            throw FileFormatError("cannot write _metadata with the prefix '" + module.prefix + "' twice");
    }

    PickleWriter w;
    w.op(0x80);  // PROTO 2
    w.op(2);
    w.newOrderedDict();
    for (size_t first = 0; first < entries.size(); first += kBatch) {
        const size_t last = std::min(entries.size(), first + kBatch);
        if (last - first > 1)
            w.op('(');
        for (size_t i = first; i < last; ++i) {
            const StateDictPickleEntry& entry = entries[i];
            const PickleStorage& storage = storages[entry.storage];
            w.text(entry.key);
            w.global("torch._utils", "_rebuild_tensor_v2");
            w.op('(');
            // the persistent id ('storage', FloatStorage, key, location, numel)
            w.op('(');
            w.text("storage");
            w.global("torch", std::string(storageClassName(storage.dtype)));
            w.text(storage.key);
            w.text(storage.location);
            w.integer(storage.numel);
            w.op('t');
            w.memoize();
            w.op('Q');  // BINPERSID
            w.integer(entry.storageOffset);
            w.intTuple(entry.sizes);
            w.intTuple(entry.strides);
            w.boolean(entry.requiresGrad);
            w.newOrderedDict();  // backward_hooks
            w.op('t');
            w.memoize();
            w.op('R');
            w.memoize();
        }
        w.op(last - first > 1 ? 'u' : 's');
    }
    // BUILD with {'_metadata': OrderedDict(prefix -> {'version': N})}
    w.op('}');
    w.memoize();
    w.text("_metadata");
    w.newOrderedDict();
    for (size_t first = 0; first < metadata.size(); first += kBatch) {
        const size_t last = std::min(metadata.size(), first + kBatch);
        if (last - first > 1)
            w.op('(');
        for (size_t i = first; i < last; ++i) {
            w.text(metadata[i].prefix);
            w.op('}');
            w.memoize();
            w.text("version");
            w.integer(metadata[i].version);
            w.op('s');
        }
        w.op(last - first > 1 ? 'u' : 's');
    }
    w.op('s');
    w.op('b');  // BUILD
    w.op('.');  // STOP
    return std::move(w.bytes);
}

}  // namespace mx::files
