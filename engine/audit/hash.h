// RFC 6962 hashing of irm's Merkle tree over the global log.
//
//   leaf hash  = SHA-256(0x00 || leaf bytes)          (leaf bytes: an event's stored record)
//   node hash  = SHA-256(0x01 || left hash || right hash)
//   empty tree = SHA-256("")
//
// Leaf index i holds the event at log position i + 1. Pure functions; thread-safe.
#ifndef IRM_ENGINE_AUDIT_HASH_H_
#define IRM_ENGINE_AUDIT_HASH_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace irm::audit {

inline constexpr size_t kHashBytes = 32;
using Hash = std::array<uint8_t, kHashBytes>;

Hash HashLeaf(absl::string_view leaf_bytes);
Hash HashChildren(const Hash& left, const Hash& right);
Hash EmptyTreeHash();
// Plain SHA-256 of `bytes` (used for key ids).
Hash Sha256(absl::string_view bytes);

// Lower-case hex, 64 characters.
std::string ToHex(const Hash& hash);
// Standard base64 with padding, 44 characters.
std::string ToBase64(const Hash& hash);
// The hash in `text` (64 hex characters, or base64 of 32 bytes); nullopt otherwise.
std::optional<Hash> HashFromHex(absl::string_view text);
std::optional<Hash> HashFromBase64(absl::string_view text);
// The hash held in `bytes` if it is exactly 32 bytes long.
std::optional<Hash> HashFromBytes(absl::string_view bytes);
inline absl::string_view AsBytes(const Hash& hash) {
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

}  // namespace irm::audit

#endif  // IRM_ENGINE_AUDIT_HASH_H_
