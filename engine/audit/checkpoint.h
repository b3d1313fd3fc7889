// Checkpoint: a tree head (size, root, time), the text that is signed, and its signature.
//
// The signed body is exactly four lines of ASCII, each ending in "\n" (LF), nothing else:
//
//   irm                                   origin: this log
//   42                                    tree size: number of leaves (events), decimal
//   8pJbNDb6Bmd2v/k0gh9kQbm1RWCTFTB8yEfgxJ2Lgo4=   root: base64 (RFC 4648, padded) of 32 bytes
//   time 2026-11-30T03:05:00.123456Z      when it was signed, UTC, RFC 3339 with microseconds
//
// The signature is Ed25519 (RFC 8032) over those bytes. The key id is the first 8 bytes of
// SHA-256 of the raw 32-byte Ed25519 public key, as 16 hex characters.
//
// Value type; thread-compatible.
#ifndef IRM_ENGINE_AUDIT_CHECKPOINT_H_
#define IRM_ENGINE_AUDIT_CHECKPOINT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "engine/audit/hash.h"

namespace irm::audit {

inline constexpr char kCheckpointOrigin[] = "irm";

struct Checkpoint {
  uint64_t size = 0;
  Hash root{};
  absl::Time time;          // truncated to whole microseconds
  std::string signature;    // 64 raw bytes; empty for an unsigned tree head
  std::string key_id;       // 16 hex characters; empty if unsigned

  // The exact bytes that are signed (see the header comment).
  std::string Body() const;
  bool is_signed() const { return !signature.empty(); }
};

// Parses a body. InvalidArgument unless `body` is exactly in the format above (canonical:
// re-encoding gives the same bytes). The result has no signature.
absl::StatusOr<Checkpoint> ParseCheckpointBody(absl::string_view body);

// The stored form: the body, then "signature KEYID BASE64SIG\n" if signed.
std::string EncodeStoredCheckpoint(const Checkpoint& checkpoint);
// DataLoss if `bytes` is not a stored checkpoint.
absl::StatusOr<Checkpoint> DecodeStoredCheckpoint(absl::string_view bytes);

// `time` truncated to whole microseconds, as a checkpoint holds it.
absl::Time TruncateToMicros(absl::Time time);

}  // namespace irm::audit

#endif  // IRM_ENGINE_AUDIT_CHECKPOINT_H_
