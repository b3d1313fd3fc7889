// ProjectionStore: durable state and checkpoints of projections, one namespace each.
//
// A commit writes sets of changes and the new checkpoints in one atomic batch, so after a
// crash a projection resumes from a checkpoint that matches its state exactly: no event is
// applied twice or skipped. One commit may carry several projections (one write for a
// round of them). Implementations are thread-safe.
#ifndef IRM_ENGINE_PROJECTION_PROJECTION_STORE_H_
#define IRM_ENGINE_PROJECTION_PROJECTION_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace irm::projection {

// Key -> new value, or nullopt to delete. Ordered, so commits are deterministic; looked up
// by string_view without making a string.
using StateChanges = std::map<std::string, std::optional<std::string>, std::less<>>;

// One projection's part of a commit: its changes and its new checkpoint.
struct NamespaceCommit {
  std::string ns;
  StateChanges changes;
  uint64_t checkpoint = 0;
};

class ProjectionStore {
 public:
  virtual ~ProjectionStore() = default;

  virtual absl::StatusOr<std::optional<std::string>> Get(absl::string_view ns,
                                                         absl::string_view key) const = 0;
  // Calls `visit` for each key starting with `prefix`, in key order, until it returns false.
  virtual absl::Status Scan(
      absl::string_view ns, absl::string_view prefix,
      const std::function<bool(absl::string_view key, absl::string_view value)>& visit) const = 0;
  // The last position applied to `ns`; 0 if none.
  virtual absl::StatusOr<uint64_t> Checkpoint(absl::string_view ns) const = 0;
  // Applies every part's changes and sets every part's checkpoint, atomically. At most one
  // part per namespace.
  virtual absl::Status CommitAll(const std::vector<NamespaceCommit>& parts) = 0;
  // CommitAll of one part.
  absl::Status Commit(absl::string_view ns, StateChanges changes, uint64_t checkpoint);
  // Removes all state and the checkpoint of `ns`.
  virtual absl::Status Clear(absl::string_view ns) = 0;
};

// SHA-256 (hex) over every (key, value) of `ns` in key order, each length-prefixed: equal
// digests mean equal states.
absl::StatusOr<std::string> StateDigest(const ProjectionStore& store, absl::string_view ns);

}  // namespace irm::projection

#endif  // IRM_ENGINE_PROJECTION_PROJECTION_STORE_H_
