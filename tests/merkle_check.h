// Merkle-root checks shared by the crash and backup tests: they drive the real `irm verify`
// and `irm checkpoint` against a running irmd that signs checkpoints (`--signing-key`).
//
// The flow, per restart: VerifyMerkle() recomputes the tree from every stored event, checks
// it against a fresh checkpoint signed by irmd (with the given public key), every stored
// checkpoint and, via `--checkpoint`, every checkpoint kept earlier with KeepCheckpoint().
// A kept checkpoint was acknowledged before the kill or the backup, so the restarted or
// restored log must extend it.
//
// Thread-safety: the functions are thread-compatible; each runs its own `irm` process.
#ifndef IRM_TESTS_MERKLE_CHECK_H_
#define IRM_TESTS_MERKLE_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace irm::tests {

struct SigningKeyFiles {
  std::string private_key;  // PEM, for `irmd --signing-key`
  std::string public_key;   // PEM, for `irm verify --public-key`
};

// Makes an Ed25519 key pair with `openssl genpkey` as `<dir>/irmd-key.pem` and
// `<dir>/irmd-pub.pem`. Internal if openssl fails.
absl::StatusOr<SigningKeyFiles> MakeSigningKey(const std::string& dir);

// What the crash tests need to run irmd signing checkpoints: a key pair in `<dir>/keys`,
// irmd's flags to sign with it every 100 ms, and `<dir>/kept-checkpoints.jsonl` for
// KeepCheckpoint() and VerifyMerkle().
struct SignedServer {
  SigningKeyFiles keys;
  std::vector<std::string> irmd_args;
  std::string kept_file;
};
absl::StatusOr<SignedServer> MakeSignedServer(const std::string& dir);

// Runs `irm verify --public-key PUB --json [--checkpoint KEPT]` against `address`. OK iff it
// exits 0 and reports exactly `head` events; otherwise the error holds irm's output. An empty
// or missing `kept_file` is not passed.
absl::Status VerifyMerkle(const std::string& address, const std::string& public_key,
                          uint64_t head, const std::string& kept_file);

// Runs `irm checkpoint --sign --json` against `address` and appends its one-line JSON to
// `kept_file` (the saved-checkpoint flow of docs/audit.md). Returns the checkpoint's tree size.
absl::StatusOr<uint64_t> KeepCheckpoint(const std::string& address, const std::string& kept_file);

}  // namespace irm::tests

#endif  // IRM_TESTS_MERKLE_CHECK_H_
