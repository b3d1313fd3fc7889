// Uuid: a 16-byte event id, written as canonical lowercase text
// ("123e4567-e89b-42d3-a456-426614174000").
//
// Value type; thread-compatible.
#ifndef IRM_ENGINE_COMMON_UUID_H_
#define IRM_ENGINE_COMMON_UUID_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace irm::common {

class Uuid {
 public:
  static constexpr size_t kSize = 16;

  // Parses the 36-character dashed form, any case. InvalidArgument names the bad text.
  static absl::StatusOr<Uuid> Parse(absl::string_view text);
  // Wraps 16 raw bytes. InvalidArgument if `bytes` is not 16 bytes long.
  static absl::StatusOr<Uuid> FromBytes(absl::string_view bytes);
  // A random version-4 UUID from a cryptographically seeded generator. Thread-safe.
  static Uuid Random();
  // The name-based (version 5, SHA-1) UUID of `name` in `name_space` (RFC 4122 section 4.3):
  // the same inputs always give the same id, for events whose id must be deterministic.
  static Uuid NameBased(const Uuid& name_space, absl::string_view name);

  std::string ToString() const;  // canonical lowercase dashed form
  std::string Bytes() const;     // the 16 raw bytes

  friend bool operator==(const Uuid& a, const Uuid& b) { return a.bytes_ == b.bytes_; }
  friend bool operator!=(const Uuid& a, const Uuid& b) { return !(a == b); }

 private:
  std::array<uint8_t, kSize> bytes_{};
};

// Formats 16 raw bytes as UUID text; other lengths are shown as hex, for diagnostics.
std::string UuidBytesToString(absl::string_view bytes);

}  // namespace irm::common

#endif  // IRM_ENGINE_COMMON_UUID_H_
