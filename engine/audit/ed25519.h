// Ed25519 keys for signing and verifying checkpoints, through OpenSSL's EVP interface.
//
// A signing key is read from a PEM private key as `openssl genpkey -algorithm ed25519`
// writes it; a verifying key from the matching PEM public key
// (`openssl pkey -in KEY -pubout`). Both are immutable after creation and thread-safe.
#ifndef IRM_ENGINE_AUDIT_ED25519_H_
#define IRM_ENGINE_AUDIT_ED25519_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/audit/checkpoint.h"

namespace irm::audit {

class VerifyingKey {
 public:
  // InvalidArgument unless `pem` is an Ed25519 public key ("BEGIN PUBLIC KEY").
  static absl::StatusOr<std::unique_ptr<VerifyingKey>> FromPem(absl::string_view pem);
  // Reads `path`; NotFound / InvalidArgument name the file.
  static absl::StatusOr<std::unique_ptr<VerifyingKey>> FromPemFile(const std::string& path);
  ~VerifyingKey();

  const std::string& pem() const { return pem_; }
  // First 8 bytes of SHA-256 of the raw 32-byte public key, hex.
  const std::string& key_id() const { return key_id_; }

  // OK iff `signature` is this key's Ed25519 signature of `message`; DataLoss otherwise.
  absl::Status Verify(absl::string_view message, absl::string_view signature) const;
  // Verifies a signed checkpoint: its key id is this key's and its signature is over Body().
  absl::Status VerifyCheckpoint(const Checkpoint& checkpoint) const;

 private:
  struct Impl;
  explicit VerifyingKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::string pem_;
  std::string key_id_;
};

class SigningKey {
 public:
  // InvalidArgument unless `pem` is an unencrypted Ed25519 private key.
  static absl::StatusOr<std::unique_ptr<SigningKey>> FromPem(absl::string_view pem);
  static absl::StatusOr<std::unique_ptr<SigningKey>> FromPemFile(const std::string& path);
  ~SigningKey();

  // The matching public key.
  const VerifyingKey& public_key() const { return *public_key_; }

  // The 64-byte Ed25519 signature of `message`. Internal if OpenSSL fails.
  absl::StatusOr<std::string> Sign(absl::string_view message) const;
  // Fills checkpoint->signature and key_id from its Body().
  absl::Status SignCheckpoint(Checkpoint* checkpoint) const;

 private:
  struct Impl;
  SigningKey(std::unique_ptr<Impl> impl, std::unique_ptr<VerifyingKey> public_key);
  std::unique_ptr<Impl> impl_;
  std::unique_ptr<VerifyingKey> public_key_;
};

}  // namespace irm::audit

#endif  // IRM_ENGINE_AUDIT_ED25519_H_
