// CommittedStateCache: the committed values of the keys one projection touched lately, so
// the runner need not read them back from the store in every round (a store read is most
// of what a small round costs a projection that counts per stream).
//
// Holds, for each cached key, exactly what the store holds (nullopt: absent): fill it only
// with values read from the store or changes the store has committed. Bounded: it starts
// over when it would hold more than `max_keys`. Not thread-safe: one per projection, used
// only by whoever claimed that projection's slot in the runner (a round or a rebuild).
#ifndef IRM_ENGINE_PROJECTION_COMMITTED_STATE_CACHE_H_
#define IRM_ENGINE_PROJECTION_COMMITTED_STATE_CACHE_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "engine/projection/projection_store.h"

namespace irm::projection {

class CommittedStateCache {
 public:
  explicit CommittedStateCache(size_t max_keys = 65536) : max_keys_(max_keys) {}

  // The committed value of `key`, or nullptr if it is not cached.
  const std::optional<std::string>* Find(absl::string_view key) const;
  // Records what the store holds for `key`, as just read from it.
  void Remember(absl::string_view key, const std::optional<std::string>& value);
  // Records the changes of a commit that succeeded.
  void Committed(const StateChanges& changes);
  void Clear() { values_.clear(); }
  size_t size() const { return values_.size(); }

 private:
  void Set(absl::string_view key, const std::optional<std::string>& value);

  const size_t max_keys_;
  absl::flat_hash_map<std::string, std::optional<std::string>> values_;
};

}  // namespace irm::projection

#endif  // IRM_ENGINE_PROJECTION_COMMITTED_STATE_CACHE_H_
