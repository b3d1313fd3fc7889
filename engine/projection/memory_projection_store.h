// MemoryProjectionStore: a ProjectionStore held in memory, for scratch replays (replay-check
// rebuilds every projection here, never in the live store) and tests. Its digests
// (StateDigest) equal those of a RocksDbProjectionStore holding the same state.
//
// Thread-safe.
#ifndef IRM_ENGINE_PROJECTION_MEMORY_PROJECTION_STORE_H_
#define IRM_ENGINE_PROJECTION_MEMORY_PROJECTION_STORE_H_

#include <map>
#include <string>

#include "engine/common/mutex.h"
#include "engine/projection/projection_store.h"

namespace irm::projection {

class MemoryProjectionStore final : public ProjectionStore {
 public:
  absl::StatusOr<std::optional<std::string>> Get(absl::string_view ns,
                                                 absl::string_view key) const override;
  absl::Status Scan(absl::string_view ns, absl::string_view prefix,
                    const std::function<bool(absl::string_view key, absl::string_view value)>&
                        visit) const override;
  absl::StatusOr<uint64_t> Checkpoint(absl::string_view ns) const override;
  absl::Status CommitAll(const std::vector<NamespaceCommit>& parts) override;
  absl::Status Clear(absl::string_view ns) override;

 private:
  struct Namespace {
    std::map<std::string, std::string, std::less<>> state;
    uint64_t checkpoint = 0;
  };
  mutable common::Mutex mu_;
  std::map<std::string, Namespace, std::less<>> namespaces_ ABSL_GUARDED_BY(mu_);
};

}  // namespace irm::projection

#endif  // IRM_ENGINE_PROJECTION_MEMORY_PROJECTION_STORE_H_
