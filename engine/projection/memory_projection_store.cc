#include "engine/projection/memory_projection_store.h"

#include <vector>

#include "absl/strings/match.h"

namespace irm::projection {

absl::StatusOr<std::optional<std::string>> MemoryProjectionStore::Get(
    absl::string_view ns, absl::string_view key) const {
  common::MutexLock lock(&mu_);
  auto n = namespaces_.find(ns);
  if (n == namespaces_.end()) return std::optional<std::string>();
  auto it = n->second.state.find(key);
  if (it == n->second.state.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

absl::Status MemoryProjectionStore::Scan(
    absl::string_view ns, absl::string_view prefix,
    const std::function<bool(absl::string_view, absl::string_view)>& visit) const {
  // Copy the matching range first so `visit` runs without the lock.
  std::vector<std::pair<std::string, std::string>> rows;
  {
    common::MutexLock lock(&mu_);
    auto n = namespaces_.find(ns);
    if (n == namespaces_.end()) return absl::OkStatus();
    for (auto it = n->second.state.lower_bound(prefix);
         it != n->second.state.end() && absl::StartsWith(it->first, prefix); ++it) {
      rows.emplace_back(it->first, it->second);
    }
  }
  for (const auto& [key, value] : rows) {
    if (!visit(key, value)) break;
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> MemoryProjectionStore::Checkpoint(absl::string_view ns) const {
  common::MutexLock lock(&mu_);
  auto n = namespaces_.find(ns);
  return n == namespaces_.end() ? 0 : n->second.checkpoint;
}

absl::Status MemoryProjectionStore::CommitAll(const std::vector<NamespaceCommit>& parts) {
  common::MutexLock lock(&mu_);
  for (const NamespaceCommit& part : parts) {
    Namespace& n = namespaces_[part.ns];
    for (const auto& [key, value] : part.changes) {
      if (value.has_value()) {
        n.state[key] = *value;
      } else {
        n.state.erase(key);
      }
    }
    n.checkpoint = part.checkpoint;
  }
  return absl::OkStatus();
}

absl::Status MemoryProjectionStore::Clear(absl::string_view ns) {
  common::MutexLock lock(&mu_);
  auto n = namespaces_.find(ns);
  if (n != namespaces_.end()) namespaces_.erase(n);
  return absl::OkStatus();
}

}  // namespace irm::projection
