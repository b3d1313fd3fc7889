#include "engine/projection/committed_state_cache.h"

namespace irm::projection {

const std::optional<std::string>* CommittedStateCache::Find(absl::string_view key) const {
  auto it = values_.find(key);
  return it == values_.end() ? nullptr : &it->second;
}

void CommittedStateCache::Remember(absl::string_view key,
                                   const std::optional<std::string>& value) {
  Set(key, value);
}

void CommittedStateCache::Committed(const StateChanges& changes) {
  for (const auto& [key, value] : changes) Set(key, value);
}

void CommittedStateCache::Set(absl::string_view key, const std::optional<std::string>& value) {
  if (auto it = values_.find(key); it != values_.end()) {
    it->second = value;
    return;
  }
  if (values_.size() >= max_keys_) values_.clear();  // start over rather than grow
  values_.emplace(std::string(key), value);
}

}  // namespace irm::projection
