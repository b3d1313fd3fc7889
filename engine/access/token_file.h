// The --auth file of interface.md: principals and the SHA-256 of their bearer tokens.
//
//   {"principals":[{"name":"Ana Ruiz","role":"focal_point","state":"KEN",
//                   "token_sha256":"<64 hex digits>"}, ...]}
//
// Tokens themselves are never stored, only their SHA-256 in hex. `state` is required for
// focal_point and reviewer (a State party's ISO 3166 alpha-3 code) and refused for the other
// roles. Unknown keys are refused so a misspelt key never silently drops a restriction.
// A PrincipalTable is immutable once built; share it read-only across threads.
#ifndef IRM_ENGINE_ACCESS_TOKEN_FILE_H_
#define IRM_ENGINE_ACCESS_TOKEN_FILE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/access/principal.h"

namespace irm::access {

// Lower-case hex of SHA-256(text).
std::string Sha256Hex(absl::string_view text);

class PrincipalTable {
 public:
  // The principal whose token is `token`, or nullptr.
  const Principal* FindByToken(absl::string_view token) const;
  // The principal whose token hashes to `sha256_hex` (lower case), or nullptr.
  const Principal* FindByHash(absl::string_view sha256_hex) const;
  size_t size() const { return by_hash_.size(); }

 private:
  friend absl::StatusOr<PrincipalTable> ParseTokenFile(absl::string_view json_text);
  absl::flat_hash_map<std::string, Principal> by_hash_;
};

// Parses the file's text. InvalidArgument names the entry and the field that is wrong, e.g.
// "principals[2] (\"Ana Ruiz\"): field 'state' is required for role focal_point (an ISO 3166
// alpha-3 code of a State party, e.g. \"KEN\")". Two principals with one token hash are refused.
absl::StatusOr<PrincipalTable> ParseTokenFile(absl::string_view json_text);

// Reads and parses the file at `path`; NotFound/InvalidArgument name the path.
absl::StatusOr<PrincipalTable> LoadTokenFile(const std::string& path);

}  // namespace irm::access

#endif  // IRM_ENGINE_ACCESS_TOKEN_FILE_H_
