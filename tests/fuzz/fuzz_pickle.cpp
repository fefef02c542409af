// libFuzzer target: parsePickle never crashes, hangs or leaks on any bytes; what it accepts is a
// finite, acyclic tree within its limits whose every value can be read; state_dicts survive a
// round trip through encodeStateDictPickle.
#include "core/files/fileerror.h"
#include "core/files/pickle.h"
#include "core/files/torchsavepickle.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

using namespace mx::files;

namespace {

bool isContainer(PickleValue v)
{
    switch (v.kind()) {
    case PickleKind::List: case PickleKind::Tuple: case PickleKind::Set: case PickleKind::FrozenSet:
    case PickleKind::Dict:
        return true;
    default:
        return false;
    }
}

/** Every value reachable from the root, read once per container; aborts on a cycle or a path
 *  deeper than the limit, which the reader promises never to return. */
void walk(const PickleDocument& doc, uint32_t maxDepth)
{
    struct Frame {
        PickleValue container;
        std::vector<PickleValue> children;
        size_t next = 0;
    };
    std::vector<Frame> path;
    std::vector<uint64_t> open;  // kind << 32 | index of the containers on the path
    size_t visited = 0;
    auto enter = [&](PickleValue v) {
        const uint64_t id = (uint64_t(v.kind()) << 32) | v.index();
        for (uint64_t onPath : open)
            if (onPath == id)
                std::abort();  // a cycle
        Frame frame{v, {}, 0};
        if (v.is(PickleKind::Dict)) {
            const PickleDict& dict = doc.dict(v);
            for (const auto& [key, value] : dict.entries) {
                frame.children.push_back(key);
                frame.children.push_back(value);
            }
            frame.children.push_back(dict.attributes);
            (void)doc.get(v, "_metadata");
            (void)doc.attribute(v, "_metadata");
        } else {
            frame.children = doc.items(v);
        }
        path.push_back(std::move(frame));
        open.push_back(id);
        if (path.size() > maxDepth)
            std::abort();
    };
    auto touch = [&](PickleValue v) {
        switch (v.kind()) {
        case PickleKind::Str: case PickleKind::Bytes: case PickleKind::Global: case PickleKind::Device:
        case PickleKind::ScriptClass:
            (void)doc.text(v);
            break;
        case PickleKind::BigInt:
            if (doc.bigIntDecimal(v).empty())
                std::abort();
            break;
        case PickleKind::Tensor: {
            const PickleTensor& t = doc.tensor(v);
            if (t.storage >= doc.storages().size() || t.sizes.size() != t.strides.size())
                std::abort();
            break;
        }
        case PickleKind::Storage:
            (void)doc.storage(v);
            break;
        default:
            break;
        }
    };
    if (!isContainer(doc.root())) {
        touch(doc.root());
        return;
    }
    enter(doc.root());
    while (!path.empty()) {
        Frame& frame = path.back();
        if (frame.next == frame.children.size()) {
            path.pop_back();
            open.pop_back();
            continue;
        }
        const PickleValue child = frame.children[frame.next++];
        touch(child);
        if (isContainer(child) && ++visited < 200000)  // shared subtrees: bound the re-walks
            enter(child);
    }
}

/** A state_dict root (str keys, tensor values) is written again and must read back the same. */
void roundTrip(const PickleDocument& doc)
{
    if (!doc.root().is(PickleKind::Dict))
        return;
    std::vector<StateDictPickleEntry> entries;
    for (const auto& [key, value] : doc.dict(doc.root()).entries) {
        if (!key.is(PickleKind::Str) || !value.is(PickleKind::Tensor))
            return;
        const PickleTensor& t = doc.tensor(value);
        entries.push_back({std::string(doc.text(key)), t.storage, t.storageOffset, t.sizes, t.strides, t.requiresGrad});
    }
    std::vector<ModuleVersion> metadata;
    if (const auto meta = doc.attribute(doc.root(), "_metadata"); meta && meta->is(PickleKind::Dict))
        for (const auto& [prefix, info] : doc.dict(*meta).entries)
            if (prefix.is(PickleKind::Str) && info.is(PickleKind::Dict))
                if (const auto version = doc.get(info, "version"); version && version->is(PickleKind::Int))
                    metadata.push_back({std::string(doc.text(prefix)), version->asInt()});
    std::string bytes;
    try {
        bytes = encodeStateDictPickle(entries, doc.storages(), metadata);
    } catch (const FileFormatError&) {
        return;  // e.g. prefixes repeated in _metadata
    }
    const PickleDocument again = parsePickle(bytes);  // must not throw
    const PickleDict& dict = again.dict(again.root());
    if (dict.entries.size() != entries.size())
        std::abort();
    for (size_t i = 0; i < entries.size(); ++i) {
        const PickleTensor& t = again.tensor(dict.entries[i].second);
        const PickleStorage& s = again.storages()[t.storage];
        const PickleStorage& original = doc.storages()[entries[i].storage];
        if (again.text(dict.entries[i].first) != entries[i].key || t.storageOffset != entries[i].storageOffset ||
            t.sizes != entries[i].sizes || t.strides != entries[i].strides || s.key != original.key ||
            s.dtype != original.dtype || s.numel != original.numel || s.location != original.location)
            std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // Each input as a torch.save pickle and as a TorchScript archive's data.pkl (module objects).
    for (const bool scriptObjects : {false, true}) {
        PickleLimits limits;
        limits.scriptObjects = scriptObjects;
        try {
            const PickleDocument doc =
                parsePickle(std::string_view(reinterpret_cast<const char*>(data), size), limits);
            walk(doc, limits.maxDepth);
            if (!scriptObjects)
                roundTrip(doc);
        } catch (const FileFormatError& e) {
            for (const char c : std::string_view(e.what()))
                if ((c >= 0 && c < 0x20) || c == 0x7f)
                    std::abort();  // messages are one clean line
        }
    }
    return 0;
}
