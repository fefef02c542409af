#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace mx {

/**
 * The position of each name in one ordered list of named entries (a module's _parameters,
 * _buffers, __dict__ or _modules), kept exact while entries are inserted or removed at any
 * position: lookups are one hash probe, like Python's dicts. Inserting or removing at the end
 * costs O(1); in the middle it renumbers the entries after it (one increment each, no hashing).
 */
class NameIndex {
public:
    /** Position of `name`, or -1 when absent. */
    long find(const std::string& name) const
    {
        const auto it = positions_.find(name);
        return it == positions_.end() ? -1 : static_cast<long>(it->second);
    }

    /** Records `name` (absent so far) at `index`, shifting the entries from there on by one. */
    void insert(size_t index, const std::string& name)
    {
        auto* entry = &*positions_.emplace(name, index).first;
        byIndex_.insert(byIndex_.begin() + static_cast<long>(index), entry);
        for (size_t i = index + 1; i < byIndex_.size(); ++i)
            ++byIndex_[i]->second;
    }

    /** Forgets the entry at `index`, shifting the entries after it back by one. */
    void erase(size_t index)
    {
        const std::string name = byIndex_[index]->first;
        byIndex_.erase(byIndex_.begin() + static_cast<long>(index));
        positions_.erase(name);
        for (size_t i = index; i < byIndex_.size(); ++i)
            --byIndex_[i]->second;
    }

    size_t size() const { return byIndex_.size(); }

private:
    using Entry = std::pair<const std::string, size_t>;
    std::unordered_map<std::string, size_t> positions_;
    std::vector<Entry*> byIndex_;  // positions_'s entries in list order (nodes never move)
};

}  // namespace mx
