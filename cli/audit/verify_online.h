// `irm verify` against a running irmd. Trusts nothing the server says that it cannot check:
//
//  1. The latest signed checkpoint's signature, with the key the user gave (--public-key),
//     or else the key the server serves (and says so).
//  2. Downloads every leaf (the stored event bytes) up to the checkpoint's size, hashes them
//     itself, and checks the root equals the signed root. If not, locates the first position
//     whose bytes differ by bisection with consistency proofs against the signed root.
//  3. Every stored checkpoint: signature, its root against the recomputed tree, and the
//     server's consistency proof between consecutive checkpoints.
//  4. Inclusion proofs for the asked positions and a sample, against the signed root.
//
// Without a signing key on the server it compares with the unsigned tree head instead.
#ifndef IRM_CLI_AUDIT_VERIFY_ONLINE_H_
#define IRM_CLI_AUDIT_VERIFY_ONLINE_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cli/audit/audit_client.h"
#include "engine/audit/checkpoint.h"
#include "cli/audit/verify_report.h"

namespace irm::cli {

struct OnlineVerifyOptions {
  std::string public_key_file;     // empty: use the server's key, with a warning
  std::vector<uint64_t> positions;  // events to prove included (log positions)
  size_t samples = 8;              // more positions, spread over the log
  std::vector<audit::Checkpoint> kept;  // checkpoints the auditor kept (kept_checkpoints.h)
};

absl::StatusOr<VerifyReport> VerifyOnline(AuditClient& client, const OnlineVerifyOptions& options,
                                          std::ostream& err);

}  // namespace irm::cli

#endif  // IRM_CLI_AUDIT_VERIFY_ONLINE_H_
