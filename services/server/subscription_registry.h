// SubscriptionRegistry: the live subscriptions, so their lag can be shown.
//
// Each subscription reports how far it has delivered; lag is measured against the log's
// head when asked. Thread-safe.
#ifndef IRM_SERVICES_SERVER_SUBSCRIPTION_REGISTRY_H_
#define IRM_SERVICES_SERVER_SUBSCRIPTION_REGISTRY_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace irm::services {

class SubscriptionRegistry {
 public:
  using Id = uint64_t;

  struct Entry {
    Id id = 0;
    std::string description;  // the filter, e.g. "stream_prefix=review- types=X"
    absl::Time started;
    uint64_t checkpoint = 0;     // last position examined
    absl::Time checkpoint_time;  // when it was last at the head, or started
    bool at_head = false;
  };

  Id Add(std::string description);
  // Records progress. `at_head`: the subscription has examined everything up to the head.
  void Update(Id id, uint64_t checkpoint, bool at_head);
  void Remove(Id id);
  std::vector<Entry> List() const;

 private:
  mutable absl::Mutex mu_;
  std::map<Id, Entry> entries_ ABSL_GUARDED_BY(mu_);
  Id next_id_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_SUBSCRIPTION_REGISTRY_H_
