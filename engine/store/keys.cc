#include "engine/store/keys.h"

#include "absl/strings/str_cat.h"

namespace irm::store {

std::string EncodeBigEndian64(uint64_t value) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  return out;
}

std::optional<uint64_t> DecodeBigEndian64(absl::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  uint64_t value = 0;
  for (unsigned char c : bytes) value = value << 8 | c;
  return value;
}

std::string StreamPrefix(absl::string_view stream) {
  std::string prefix(stream);
  prefix.push_back('\0');
  return prefix;
}

std::string StreamKey(absl::string_view stream, uint64_t revision) {
  return absl::StrCat(StreamPrefix(stream), EncodeBigEndian64(revision));
}

std::string TreeNodeKey(uint32_t level, uint64_t index) {
  std::string key = EncodeBigEndian64(((index + 1) << level) - 1);
  key.push_back(static_cast<char>(level));
  return key;
}

std::optional<std::pair<uint32_t, uint64_t>> DecodeTreeNodeKey(absl::string_view key) {
  if (key.size() != 9) return std::nullopt;
  const uint32_t level = static_cast<uint8_t>(key[8]);
  std::optional<uint64_t> last = DecodeBigEndian64(key.substr(0, 8));
  if (!last.has_value() || level > 63 || ((*last + 1) & ((uint64_t{1} << level) - 1)) != 0) {
    return std::nullopt;
  }
  return std::make_pair(level, ((*last + 1) >> level) - 1);
}

std::string CheckpointKey(uint64_t size) { return absl::StrCat("c", EncodeBigEndian64(size)); }

std::string PublicKeyKey(absl::string_view key_id) { return absl::StrCat("k", key_id); }

}  // namespace irm::store
