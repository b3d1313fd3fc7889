#include "engine/projection/projection_store.h"

#include <openssl/evp.h>

#include <memory>
#include <utility>

#include "absl/strings/escaping.h"

namespace irm::projection {
namespace {

void HashLengthPrefixed(EVP_MD_CTX* ctx, absl::string_view bytes) {
  unsigned char length[8];
  uint64_t n = bytes.size();
  for (int i = 7; i >= 0; --i, n >>= 8) length[i] = static_cast<unsigned char>(n & 0xff);
  EVP_DigestUpdate(ctx, length, sizeof(length));
  EVP_DigestUpdate(ctx, bytes.data(), bytes.size());
}

}  // namespace

absl::Status ProjectionStore::Commit(absl::string_view ns, StateChanges changes,
                                     uint64_t checkpoint) {
  std::vector<NamespaceCommit> parts(1);
  parts[0].ns = std::string(ns);
  parts[0].changes = std::move(changes);
  parts[0].checkpoint = checkpoint;
  return CommitAll(parts);
}

absl::StatusOr<std::string> StateDigest(const ProjectionStore& store, absl::string_view ns) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  absl::Status scanned = store.Scan(ns, "", [&](absl::string_view key, absl::string_view value) {
    HashLengthPrefixed(ctx.get(), key);
    HashLengthPrefixed(ctx.get(), value);
    return true;
  });
  if (!scanned.ok()) return scanned;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &size);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), size));
}

}  // namespace irm::projection
