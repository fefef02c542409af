#include "core/files/safetensorsheader.h"

#include "core/files/fileerror.h"
#include "core/files/safetensorsjson.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <unordered_set>

namespace mx::files {

namespace {

/** A dtype's name and width, indexed by SafetensorsDtype. */
struct DtypeTraits {
    std::string_view name;
    unsigned bits;
};

constexpr DtypeTraits kDtypes[] = {
    {"BOOL", 8},  {"F4", 4},   {"F6_E2M3", 6}, {"F6_E3M2", 6},     {"U8", 8},
    {"I8", 8},    {"F8_E5M2", 8}, {"F8_E4M3", 8}, {"F8_E8M0", 8}, {"F8_E4M3FNUZ", 8},
    {"F8_E5M2FNUZ", 8}, {"I16", 16}, {"U16", 16}, {"F16", 16}, {"BF16", 16},
    {"I32", 32},  {"U32", 32}, {"F32", 32},    {"C64", 64},       {"F64", 64},
    {"I64", 64},  {"U64", 64},
};

constexpr uint64_t kInt64Max = 0x7FFF'FFFF'FFFF'FFFFull;

std::string shapeText(const std::vector<uint64_t>& shape)
{
    std::string out = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + "]";
}

std::string rangeText(uint64_t begin, uint64_t end)
{
    return "[" + std::to_string(begin) + ", " + std::to_string(end) + "]";
}

std::string tensorText(const SafetensorsTensorInfo& info)
{
    return "tensor " + quotedForMessage(info.name);
}

/**
 * Bytes of a tensor of `shape` and `dtype`, or nullopt when the arithmetic overflows, the
 * non-zero dimensions multiply past int64 (torch's limit for sizes and strides) or sub-byte
 * elements do not end on a byte boundary.
 */
std::optional<uint64_t> tensorBytes(SafetensorsDtype dtype, const std::vector<uint64_t>& shape)
{
    uint64_t nonZeroProduct = 1;
    bool hasZero = false;
    for (const uint64_t dim : shape) {
        if (dim == 0) {
            hasZero = true;
            continue;
        }
        if (nonZeroProduct > kInt64Max / dim)
            return std::nullopt;
        nonZeroProduct *= dim;
    }
    if (hasZero)
        return 0;
    const unsigned bits = safetensorsDtypeBits(dtype);
    if (nonZeroProduct > UINT64_MAX / bits)
        return std::nullopt;
    const uint64_t totalBits = nonZeroProduct * bits;
    if (totalBits % 8 != 0)
        return std::nullopt;
    return totalBits / 8;
}

void readMetadata(JsonCursor& json, SafetensorsMetadata& metadata)
{
    std::unordered_set<std::string> keys;
    if (json.consumeNull())
        return;
    if (json.peek() != '{')
        json.fail("\"__metadata__\" is not an object");
    json.readObject("the \"__metadata__\" object", [&](const std::string& key) {
        if (json.peek() != '"')
            json.fail("\"__metadata__\" value of " + quotedForMessage(key) + " is not a string");
        if (!keys.insert(key).second)
            json.fail("duplicate \"__metadata__\" key " + quotedForMessage(key));
        metadata.emplace_back(key, json.readString());
    });
}

SafetensorsTensorInfo readTensorInfo(JsonCursor& json, const std::string& name)
{
    SafetensorsTensorInfo info;
    info.name = name;
    const std::string subject = "tensor " + quotedForMessage(name);
    if (json.peek() != '{')
        json.fail(subject + " is not described by an object");
    bool hasDtype = false, hasShape = false, hasOffsets = false;
    auto once = [&](bool& seen, const char* key) {
        if (seen)
            json.fail(subject + " has two \"" + key + "\" keys");
        seen = true;
    };
    json.readObject("a tensor entry", [&](const std::string& key) {
        if (key == "dtype") {
            once(hasDtype, "dtype");
            const std::string dtypeName = json.readString();
            const auto dtype = safetensorsDtypeFromName(dtypeName);
            if (!dtype)
                json.fail(subject + " has unknown dtype " + quotedForMessage(dtypeName));
            info.dtype = *dtype;
        } else if (key == "shape") {
            once(hasShape, "shape");
            json.readArray("a shape array", [&](size_t index) {
                if (index >= kSafetensorsMaxRank)
                    json.fail(subject + " has more than " + std::to_string(kSafetensorsMaxRank)
                              + " dimensions");
                info.shape.push_back(json.readUnsigned("a shape dimension"));
            });
        } else if (key == "data_offsets") {
            once(hasOffsets, "data_offsets");
            std::vector<uint64_t> offsets;
            json.readArray("a data_offsets array", [&](size_t index) {
                if (index >= 2)
                    json.fail(subject + " has more than two data_offsets");
                offsets.push_back(json.readUnsigned("a data offset"));
            });
            if (offsets.size() != 2)
                json.fail(subject + " has fewer than two data_offsets");
            info.begin = offsets[0];
            info.end = offsets[1];
        } else {
            json.skipValue();  // the reference ignores unknown keys too
        }
    });
    if (!hasDtype || !hasShape || !hasOffsets)
        json.fail(subject + " lacks \"" + (!hasDtype ? "dtype" : !hasShape ? "shape" : "data_offsets")
                  + "\"");
    return info;
}

void checkSizes(const SafetensorsTensorInfo& info, uint64_t dataLength)
{
    const std::string offsets = "data_offsets " + rangeText(info.begin, info.end);
    if (info.end < info.begin)
        throw FileFormatError("safetensors header: " + tensorText(info) + " has " + offsets
                              + " ending before they begin");
    if (info.end > dataLength)
        throw FileFormatError("safetensors header: " + tensorText(info) + " has " + offsets
                              + " past the end of the " + std::to_string(dataLength)
                              + "-byte data area");
    const std::string described = tensorText(info) + " (" + std::string(safetensorsDtypeName(info.dtype))
                                  + ", shape " + shapeText(info.shape) + ")";
    const auto bytes = tensorBytes(info.dtype, info.shape);
    if (!bytes)
        throw FileFormatError("safetensors header: size of " + described
                              + " overflows 64-bit arithmetic or does not end on a byte");
    if (*bytes != info.end - info.begin)
        throw FileFormatError("safetensors header: " + described + " needs " + std::to_string(*bytes)
                              + " bytes but its " + offsets + " hold "
                              + std::to_string(info.end - info.begin));
}

/** The reference's rule: sorted by offsets, the tensors tile the data area without gap or overlap. */
void checkTiling(const std::vector<SafetensorsTensorInfo>& tensors, uint64_t dataLength)
{
    std::vector<size_t> order(tensors.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return std::make_pair(tensors[a].begin, tensors[a].end)
               < std::make_pair(tensors[b].begin, tensors[b].end);
    });
    uint64_t covered = 0;
    const SafetensorsTensorInfo* previous = nullptr;
    for (const size_t index : order) {
        const SafetensorsTensorInfo& info = tensors[index];
        const std::string where = tensorText(info) + " at " + rangeText(info.begin, info.end);
        if (info.begin > covered)
            throw FileFormatError("safetensors header: bytes " + rangeText(covered, info.begin)
                                  + " of the data area belong to no tensor (gap before " + where + ")");
        if (info.begin < covered)
            throw FileFormatError("safetensors header: " + where + " overlaps " + tensorText(*previous)
                                  + " at " + rangeText(previous->begin, previous->end));
        covered = info.end;
        previous = &info;
    }
    if (covered != dataLength)
        throw FileFormatError("safetensors header: the data area has " + std::to_string(dataLength)
                              + " bytes but the tensors cover only " + std::to_string(covered));
}

void appendJsonString(std::string& out, std::string_view text)
{
    static const char* hex = "0123456789abcdef";
    out += '"';
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (byte < 0x20) {
                out += "\\u00";
                out += hex[byte >> 4];
                out += hex[byte & 0xF];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

}  // namespace

std::string_view safetensorsDtypeName(SafetensorsDtype dtype)
{
    return kDtypes[static_cast<size_t>(dtype)].name;
}

std::optional<SafetensorsDtype> safetensorsDtypeFromName(std::string_view name)
{
    for (size_t i = 0; i < std::size(kDtypes); ++i) {
        if (kDtypes[i].name == name)
            return static_cast<SafetensorsDtype>(i);
    }
    return std::nullopt;
}

unsigned safetensorsDtypeBits(SafetensorsDtype dtype)
{
    return kDtypes[static_cast<size_t>(dtype)].bits;
}

uint64_t readSafetensorsHeaderLength(const unsigned char* first, size_t n, uint64_t fileSize)
{
    if (fileSize < 8 || n < 8)
        throw FileFormatError("not a safetensors file: " + std::to_string(fileSize)
                              + " bytes, too short for the 8-byte header length");
    uint64_t length = 0;
    for (int i = 7; i >= 0; --i)
        length = (length << 8) | first[i];
    if (length > kSafetensorsMaxHeaderLength)
        throw FileFormatError("not a safetensors file: header length " + std::to_string(length)
                              + " exceeds the limit of " + std::to_string(kSafetensorsMaxHeaderLength)
                              + " bytes");
    if (length > fileSize - 8)
        throw FileFormatError("truncated safetensors file: header length " + std::to_string(length)
                              + " runs past the end of the " + std::to_string(fileSize) + "-byte file");
    return length;
}

SafetensorsHeader parseSafetensorsHeader(const unsigned char* bytes, size_t n, uint64_t fileSize)
{
    SafetensorsHeader header;
    header.headerLength = readSafetensorsHeaderLength(bytes, n, fileSize);
    if (n - 8 < header.headerLength)
        throw FileFormatError("safetensors header: only " + std::to_string(n - 8) + " of its "
                              + std::to_string(header.headerLength) + " bytes were read");
    const std::string_view text(reinterpret_cast<const char*>(bytes + 8), header.headerLength);
    if (text.empty() || text.front() != '{')
        throw FileFormatError("not a safetensors file: the header does not start with '{'");

    JsonCursor json(text, "safetensors header");
    bool sawMetadata = false;
    std::unordered_set<std::string> names;
    json.readObject("the header object", [&](const std::string& key) {
        if (key == "__metadata__") {
            if (sawMetadata)
                json.fail("two \"__metadata__\" keys");
            sawMetadata = true;
            readMetadata(json, header.metadata);
            return;
        }
        if (!names.insert(key).second)
            json.fail("duplicate tensor name " + quotedForMessage(key));
        header.tensors.push_back(readTensorInfo(json, key));
    });
    json.expectEnd();

    const uint64_t dataLength = fileSize - header.dataStart();
    for (const SafetensorsTensorInfo& info : header.tensors)
        checkSizes(info, dataLength);
    checkTiling(header.tensors, dataLength);
    return header;
}

bool looksLikeSafetensors(const unsigned char* first, size_t n, uint64_t fileSize)
{
    if (n < 10 || fileSize < 10)
        return false;
    uint64_t length = 0;
    for (int i = 7; i >= 0; --i)
        length = (length << 8) | first[i];
    return length >= 2 && length <= kSafetensorsMaxHeaderLength && length <= fileSize - 8
           && first[8] == '{' && (first[9] == '"' || first[9] == '}');
}

void placeSafetensorsTensors(std::vector<SafetensorsTensorInfo>& tensors)
{
    std::sort(tensors.begin(), tensors.end(),
              [](const SafetensorsTensorInfo& a, const SafetensorsTensorInfo& b) {
                  if (a.dtype != b.dtype)
                      return a.dtype > b.dtype;
                  return a.name < b.name;  // std::string compares bytes as unsigned char
              });
    uint64_t offset = 0;
    for (size_t i = 0; i < tensors.size(); ++i) {
        SafetensorsTensorInfo& info = tensors[i];
        if (i > 0 && tensors[i - 1].name == info.name)
            throw std::invalid_argument("cannot write safetensors: two tensors are named "
                                        + quotedForMessage(info.name));
        const auto bytes = tensorBytes(info.dtype, info.shape);
        if (!bytes || *bytes > UINT64_MAX - offset)
            throw std::invalid_argument("cannot write safetensors: size of " + tensorText(info)
                                        + " overflows or does not end on a byte");
        info.begin = offset;
        info.end = offset + *bytes;
        offset = info.end;
    }
}

std::string encodeSafetensorsHeader(const std::vector<SafetensorsTensorInfo>& tensors,
                                    const SafetensorsMetadata& metadata)
{
    std::unordered_set<std::string> keys;
    for (const auto& entry : metadata) {
        if (!keys.insert(entry.first).second)
            throw std::invalid_argument("cannot write safetensors: duplicate metadata key "
                                        + quotedForMessage(entry.first));
    }
    std::string json = "{";
    if (!metadata.empty()) {
        json += "\"__metadata__\":{";
        bool first = true;
        for (const auto& [key, value] : metadata) {
            if (!first)
                json += ',';
            first = false;
            appendJsonString(json, key);
            json += ':';
            appendJsonString(json, value);
        }
        json += "},";
    }
    for (const SafetensorsTensorInfo& info : tensors) {
        appendJsonString(json, info.name);
        json += ":{\"dtype\":\"";
        json += safetensorsDtypeName(info.dtype);
        json += "\",\"shape\":[";
        for (size_t i = 0; i < info.shape.size(); ++i)
            json += (i ? "," : "") + std::to_string(info.shape[i]);
        json += "],\"data_offsets\":[" + std::to_string(info.begin) + "," + std::to_string(info.end)
                + "]},";
    }
    if (json.back() == ',')
        json.pop_back();
    json += '}';
    json.resize((json.size() + 7) / 8 * 8, ' ');
    if (json.size() > kSafetensorsMaxHeaderLength)
        throw std::invalid_argument("cannot write safetensors: the header would be "
                                    + std::to_string(json.size()) + " bytes, over the limit of "
                                    + std::to_string(kSafetensorsMaxHeaderLength));
    std::string out(8, '\0');
    uint64_t length = json.size();
    for (int i = 0; i < 8; ++i, length >>= 8)
        out[i] = static_cast<char>(length & 0xFF);
    return out + json;
}

}  // namespace mx::files
