#include "core/files/fileerror.h"
#include "core/files/safetensorsheader.h"
#include "core/files/safetensorsjson.h"

#include <cstring>
#include <unordered_set>

namespace mx::files {

namespace {

/** Why a shard name from an index may not be opened, or nullptr when it may. */
const char* shardNameProblem(const std::string& shard)
{
    if (shard.empty())
        return "is empty";
    if (shard.find('\0') != std::string::npos)
        return "contains a NUL byte";
    if (shard.find('\\') != std::string::npos)
        return "contains a backslash";
    if (shard.front() == '/')
        return "is an absolute path";
    size_t start = 0;
    while (start <= shard.size()) {
        size_t slash = shard.find('/', start);
        if (slash == std::string::npos)
            slash = shard.size();
        if (shard.compare(start, slash - start, "..") == 0)
            return "leaves the index's directory with \"..\"";
        start = slash + 1;
    }
    return nullptr;
}

void readIndexMetadata(JsonCursor& json, SafetensorsMetadata& metadata)
{
    std::unordered_set<std::string> keys;
    if (json.consumeNull())
        return;
    if (json.peek() != '{')
        json.fail("\"metadata\" is not an object");
    json.readObject("the \"metadata\" object", [&](const std::string& key) {
        if (!keys.insert(key).second)
            json.fail("duplicate \"metadata\" key " + quotedForMessage(key));
        metadata.emplace_back(key, json.peek() == '"' ? json.readString() : std::string(json.skipValue()));
    });
}

void readWeightMap(JsonCursor& json, std::vector<std::pair<std::string, std::string>>& weightMap)
{
    if (json.peek() != '{')
        json.fail("\"weight_map\" is not an object");
    std::unordered_set<std::string> names;
    json.readObject("the \"weight_map\" object", [&](const std::string& name) {
        if (json.peek() != '"')
            json.fail("shard of tensor " + quotedForMessage(name) + " is not a string");
        std::string shard = json.readString();
        if (const char* problem = shardNameProblem(shard))
            json.fail("shard " + quotedForMessage(shard) + " of tensor " + quotedForMessage(name) + " "
                      + problem);
        if (!names.insert(name).second)
            json.fail("tensor " + quotedForMessage(name) + " is listed twice in \"weight_map\"");
        weightMap.emplace_back(name, std::move(shard));
    });
}

}  // namespace

SafetensorsIndex parseSafetensorsIndex(std::string_view text)
{
    JsonCursor json(text, "safetensors index");
    SafetensorsIndex index;
    bool sawMetadata = false, sawWeightMap = false;
    if (json.peek() != '{')
        json.fail("the index is not a JSON object");
    json.readObject("the index object", [&](const std::string& key) {
        if (key == "metadata") {
            if (sawMetadata)
                json.fail("two \"metadata\" keys");
            sawMetadata = true;
            readIndexMetadata(json, index.metadata);
        } else if (key == "weight_map") {
            if (sawWeightMap)
                json.fail("two \"weight_map\" keys");
            sawWeightMap = true;
            readWeightMap(json, index.weightMap);
        } else {
            json.skipValue();
        }
    });
    json.expectEnd();
    if (!sawWeightMap)
        json.fail("no \"weight_map\" in the index");
    return index;
}

bool looksLikeSafetensorsIndex(const unsigned char* first, size_t n, uint64_t fileSize)
{
    if (fileSize > kSafetensorsMaxIndexLength)
        return false;
    size_t pos = 0;
    while (pos < n && std::strchr(" \t\r\n", first[pos]) != nullptr && first[pos] != '\0')
        ++pos;
    if (pos >= n || first[pos] != '{')
        return false;
    const std::string_view text(reinterpret_cast<const char*>(first), n);
    const std::string_view key = "\"weight_map\"";
    for (size_t at = text.find(key, pos); at != std::string_view::npos; at = text.find(key, at + 1)) {
        size_t after = at + key.size();
        while (after < n && (text[after] == ' ' || text[after] == '\t' || text[after] == '\r' || text[after] == '\n'))
            ++after;
        if (after < n && text[after] == ':')
            return true;  // used as a key
    }
    return false;
}

}  // namespace mx::files
