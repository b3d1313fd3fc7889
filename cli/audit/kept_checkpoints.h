// Checkpoints an auditor kept (lines of `irm checkpoint --json`), checked against the tree
// `irm verify` recomputed. A server that rewrote its history and re-signed it, replacing its
// stored checkpoints, is caught here: a kept checkpoint's root must equal the recomputed root
// at its size.
#ifndef IRM_CLI_AUDIT_KEPT_CHECKPOINTS_H_
#define IRM_CLI_AUDIT_KEPT_CHECKPOINTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/audit/checkpoint.h"
#include "engine/audit/ed25519.h"
#include "engine/audit/memory_tree.h"

namespace irm::cli {

// Reads every line of `path` as the JSON of `irm checkpoint --json` (the "body",
// "signature" and "key_id" fields are used). InvalidArgument names the bad line.
absl::StatusOr<std::vector<audit::Checkpoint>> ReadKeptCheckpoints(const std::string& path);

// OK iff every kept checkpoint's signature verifies with `key` and its root equals `mine`'s
// root at its size. DataLoss otherwise, naming the checkpoint. Appends one line to `checks`.
absl::Status CheckKeptCheckpoints(const std::vector<audit::Checkpoint>& kept,
                                  const audit::VerifyingKey& key, const audit::MemoryTree& mine,
                                  std::vector<std::string>* checks);

}  // namespace irm::cli

#endif  // IRM_CLI_AUDIT_KEPT_CHECKPOINTS_H_
