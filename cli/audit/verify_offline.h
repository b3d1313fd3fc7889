// `irm verify --data DIR`: checks a stopped irmd's data folder without a server. Opens the
// RocksDB folder directly (it fails if irmd still holds it), recomputes the Merkle tree from
// the stored event bytes, and compares:
//   - each event's leaf hash with the stored tree's leaf node: the first position that
//     differs is named;
//   - every stored tree node with the recomputed one;
//   - every stored checkpoint: its Ed25519 signature (with --public-key, or else the public
//     key stored in the folder, which it says it trusts) and its root against the
//     recomputed root at its size.
#ifndef IRM_CLI_AUDIT_VERIFY_OFFLINE_H_
#define IRM_CLI_AUDIT_VERIFY_OFFLINE_H_

#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "cli/audit/verify_report.h"
#include "engine/audit/checkpoint.h"

namespace irm::cli {

// `kept`: checkpoints the auditor kept (kept_checkpoints.h); they need `public_key_file`.
absl::StatusOr<VerifyReport> VerifyOffline(const std::string& dir,
                                           const std::string& public_key_file,
                                           const std::vector<audit::Checkpoint>& kept,
                                           std::ostream& err);

}  // namespace irm::cli

#endif  // IRM_CLI_AUDIT_VERIFY_OFFLINE_H_
