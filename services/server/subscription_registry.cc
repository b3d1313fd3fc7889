#include "services/server/subscription_registry.h"

namespace irm::services {

SubscriptionRegistry::Id SubscriptionRegistry::Add(std::string description) {
  absl::MutexLock lock(&mu_);
  Entry entry;
  entry.id = next_id_++;
  entry.description = std::move(description);
  entry.started = absl::Now();
  entry.checkpoint_time = entry.started;
  entries_[entry.id] = entry;
  return entry.id;
}

void SubscriptionRegistry::Update(Id id, uint64_t checkpoint, bool at_head) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  it->second.checkpoint = checkpoint;
  it->second.at_head = at_head;
  if (at_head) it->second.checkpoint_time = absl::Now();
}

void SubscriptionRegistry::Remove(Id id) {
  absl::MutexLock lock(&mu_);
  entries_.erase(id);
}

std::vector<SubscriptionRegistry::Entry> SubscriptionRegistry::List() const {
  absl::MutexLock lock(&mu_);
  std::vector<Entry> out;
  out.reserve(entries_.size());
  for (const auto& [id, entry] : entries_) out.push_back(entry);
  return out;
}

}  // namespace irm::services
