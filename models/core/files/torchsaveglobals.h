#pragma once

// Internal to the pickle reader: the globals a torch.save pickle may name (an allow-list; none
// of them is ever run, each is interpreted here) and what REDUCE, NEWOBJ and BINPERSID make of
// them.

#include "core/files/fileerror.h"
#include "core/files/pickle.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mx::files {

/** What the globals may do to the document being read; the pickle machine implements it. */
class PickleBuilder {
public:
    virtual ~PickleBuilder() = default;
    /** Throws FileFormatError naming the problem and the byte offset of the opcode being run. */
    [[noreturn]] void fail(const std::string& problem) const
    {
        throw FileFormatError(problem + " in the pickle at byte " + std::to_string(opcodeOffset()));
    }
    virtual size_t opcodeOffset() const = 0;
    /** Counts work units against PickleLimits::maxUnits (fails past it). */
    virtual void charge(uint64_t units) = 0;
    virtual const PickleDocument& document() const = 0;
    virtual const PickleLimits& limits() const = 0;
    virtual PickleValue newText(PickleKind kind, std::string text) = 0;
    virtual PickleValue newSequence(PickleKind kind, std::vector<PickleValue> items) = 0;
    virtual PickleValue newDict(bool ordered) = 0;
    virtual void addEntry(PickleValue dict, PickleValue key, PickleValue value) = 0;
    virtual PickleValue newTensor(PickleTensor tensor) = 0;
    /** The Storage value for `storage`, one per key (fails when a key is redeclared differently). */
    virtual PickleValue storageReference(PickleStorage storage) = 0;
};

/** A kind with its article for messages: "a list", "an int", "None". */
std::string aKind(PickleKind kind);
/** At most `limit` bytes of text from a file for a message, bytes outside printable ASCII
 *  shown as '?' (messages stay one clean line). */
std::string excerpt(std::string_view text, size_t limit = 32);

/** The allow-list index of module.name; nullopt when it is not allowed. */
std::optional<uint32_t> findAllowedGlobal(std::string_view module, std::string_view name);
/** "collections.OrderedDict", "torch.float16", ... for an allow-list index. */
std::string_view allowedGlobalName(uint32_t id);

/** REDUCE: what calling the allowed global `id` with the tuple `args` makes. */
PickleValue callGlobal(PickleBuilder& builder, uint32_t id, PickleValue args);
/** NEWOBJ: what `cls.__new__(cls, *args)` makes for the allowed class `id`. */
PickleValue newObject(PickleBuilder& builder, uint32_t id, PickleValue args);
/** BINPERSID: torch.save's ('storage', StorageClass, key, location, numel). */
PickleValue persistentLoad(PickleBuilder& builder, PickleValue pid);

}  // namespace mx::files
