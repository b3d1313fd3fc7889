#include "engine/common/uuid.h"

#include <openssl/evp.h>

#include <cstring>

#include "absl/base/thread_annotations.h"
#include "absl/random/random.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "engine/common/mutex.h"
#include "engine/common/quote.h"

namespace irm::common {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsDashPosition(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

absl::StatusOr<Uuid> Uuid::Parse(absl::string_view text) {
  auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid event id ", Quote(text),
                     ": expected a UUID like 123e4567-e89b-42d3-a456-426614174000"));
  };
  if (text.size() != 36) return bad();
  Uuid uuid;
  size_t out = 0;
  for (size_t i = 0; i < text.size();) {
    if (IsDashPosition(i)) {
      if (text[i] != '-') return bad();
      ++i;
      continue;
    }
    int hi = HexValue(text[i]);
    int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return bad();
    uuid.bytes_[out++] = static_cast<uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return uuid;
}

absl::StatusOr<Uuid> Uuid::FromBytes(absl::string_view bytes) {
  if (bytes.size() != kSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("an event id has 16 bytes, got ", bytes.size()));
  }
  Uuid uuid;
  std::memcpy(uuid.bytes_.data(), bytes.data(), kSize);
  return uuid;
}

Uuid Uuid::Random() {
  static common::Mutex mu(absl::kConstInit);
  static absl::BitGen* gen ABSL_GUARDED_BY(mu) = new absl::BitGen();
  Uuid uuid;
  {
    common::MutexLock lock(&mu);
    for (size_t i = 0; i < kSize; i += 8) {
      uint64_t r = absl::Uniform<uint64_t>(*gen);
      std::memcpy(uuid.bytes_.data() + i, &r, 8);
    }
  }
  uuid.bytes_[6] = (uuid.bytes_[6] & 0x0f) | 0x40;  // version 4
  uuid.bytes_[8] = (uuid.bytes_[8] & 0x3f) | 0x80;  // RFC 4122 variant
  return uuid;
}

Uuid Uuid::NameBased(const Uuid& name_space, absl::string_view name) {
  std::string input(reinterpret_cast<const char*>(name_space.bytes_.data()), kSize);
  input.append(name.data(), name.size());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  EVP_Digest(input.data(), input.size(), digest, &digest_size, EVP_sha1(), nullptr);
  Uuid uuid;
  std::memcpy(uuid.bytes_.data(), digest, kSize);
  uuid.bytes_[6] = (uuid.bytes_[6] & 0x0f) | 0x50;  // version 5
  uuid.bytes_[8] = (uuid.bytes_[8] & 0x3f) | 0x80;  // RFC 4122 variant
  return uuid;
}

std::string Uuid::ToString() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (size_t i = 0; i < kSize; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
    s.push_back(kHex[bytes_[i] >> 4]);
    s.push_back(kHex[bytes_[i] & 0xf]);
  }
  return s;
}

std::string Uuid::Bytes() const {
  return std::string(reinterpret_cast<const char*>(bytes_.data()), kSize);
}

std::string UuidBytesToString(absl::string_view bytes) {
  auto uuid = Uuid::FromBytes(bytes);
  if (uuid.ok()) return uuid->ToString();
  return absl::BytesToHexString(bytes);
}

}  // namespace irm::common
