#include "engine/audit/hash.h"

#include <openssl/sha.h>

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"

namespace irm::audit {
namespace {

Hash Finish(SHA256_CTX* context) {
  Hash out;
  SHA256_Final(out.data(), context);
  return out;
}

}  // namespace

Hash HashLeaf(absl::string_view leaf_bytes) {
  SHA256_CTX context;
  SHA256_Init(&context);
  const uint8_t prefix = 0x00;
  SHA256_Update(&context, &prefix, 1);
  SHA256_Update(&context, leaf_bytes.data(), leaf_bytes.size());
  return Finish(&context);
}

Hash HashChildren(const Hash& left, const Hash& right) {
  SHA256_CTX context;
  SHA256_Init(&context);
  const uint8_t prefix = 0x01;
  SHA256_Update(&context, &prefix, 1);
  SHA256_Update(&context, left.data(), left.size());
  SHA256_Update(&context, right.data(), right.size());
  return Finish(&context);
}

Hash Sha256(absl::string_view bytes) {
  Hash out;
  SHA256(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), out.data());
  return out;
}

Hash EmptyTreeHash() { return Sha256(""); }

std::string ToHex(const Hash& hash) { return absl::BytesToHexString(AsBytes(hash)); }

std::string ToBase64(const Hash& hash) { return absl::Base64Escape(AsBytes(hash)); }

std::optional<Hash> HashFromBytes(absl::string_view bytes) {
  if (bytes.size() != kHashBytes) return std::nullopt;
  Hash out;
  std::memcpy(out.data(), bytes.data(), kHashBytes);
  return out;
}

std::optional<Hash> HashFromHex(absl::string_view text) {
  if (text.size() != 2 * kHashBytes) return std::nullopt;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  return HashFromBytes(absl::HexStringToBytes(text));
}

std::optional<Hash> HashFromBase64(absl::string_view text) {
  std::string bytes;
  if (!absl::Base64Unescape(text, &bytes)) return std::nullopt;
  // Only the canonical encoding: re-encoding must give the same text.
  if (absl::Base64Escape(bytes) != text) return std::nullopt;
  return HashFromBytes(bytes);
}

}  // namespace irm::audit
