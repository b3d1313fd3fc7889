#include "engine/audit/ed25519.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "engine/audit/hash.h"

namespace irm::audit {
namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

absl::StatusOr<std::string> ReadFile(const std::string& path, absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", what, " file ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string KeyIdOf(EVP_PKEY* key) {
  unsigned char raw[32];
  size_t length = sizeof(raw);
  if (EVP_PKEY_get_raw_public_key(key, raw, &length) != 1) return "";
  Hash digest = Sha256(absl::string_view(reinterpret_cast<const char*>(raw), length));
  return absl::BytesToHexString(AsBytes(digest).substr(0, 8));
}

absl::StatusOr<std::string> PublicPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) {
    return absl::InternalError("OpenSSL could not write the public key as PEM");
  }
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

}  // namespace

struct VerifyingKey::Impl {
  PkeyPtr key;
};
struct SigningKey::Impl {
  PkeyPtr key;
};

VerifyingKey::VerifyingKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VerifyingKey::~VerifyingKey() = default;

absl::StatusOr<std::unique_ptr<VerifyingKey>> VerifyingKey::FromPem(absl::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key || EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError(
        "not an Ed25519 public key in PEM form; make one with "
        "`openssl pkey -in KEY.pem -pubout`");
  }
  auto impl = std::make_unique<Impl>();
  impl->key = std::move(key);
  auto verifying = std::unique_ptr<VerifyingKey>(new VerifyingKey(std::move(impl)));
  verifying->key_id_ = KeyIdOf(verifying->impl_->key.get());
  absl::StatusOr<std::string> canonical = PublicPem(verifying->impl_->key.get());
  if (!canonical.ok()) return canonical.status();
  verifying->pem_ = *canonical;
  return verifying;
}

absl::StatusOr<std::unique_ptr<VerifyingKey>> VerifyingKey::FromPemFile(const std::string& path) {
  absl::StatusOr<std::string> pem = ReadFile(path, "public key");
  if (!pem.ok()) return pem.status();
  absl::StatusOr<std::unique_ptr<VerifyingKey>> key = FromPem(*pem);
  if (!key.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", key.status().message()));
  }
  return key;
}

absl::Status VerifyingKey::Verify(absl::string_view message, absl::string_view signature) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1) {
    return absl::InternalError("OpenSSL could not start an Ed25519 verification");
  }
  const int ok = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
      reinterpret_cast<const unsigned char*>(message.data()), message.size());
  if (ok != 1) {
    return absl::DataLossError(
        absl::StrCat("the signature does not verify with public key ", key_id_));
  }
  return absl::OkStatus();
}

absl::Status VerifyingKey::VerifyCheckpoint(const Checkpoint& checkpoint) const {
  if (!checkpoint.is_signed()) {
    return absl::DataLossError(
        absl::StrCat("the checkpoint of size ", checkpoint.size, " is not signed"));
  }
  if (checkpoint.key_id != key_id_) {
    return absl::DataLossError(absl::StrCat("the checkpoint of size ", checkpoint.size,
                                            " was signed by key ", checkpoint.key_id,
                                            ", not by the given key ", key_id_));
  }
  absl::Status s = Verify(checkpoint.Body(), checkpoint.signature);
  if (!s.ok()) {
    return absl::DataLossError(absl::StrCat("the checkpoint of size ", checkpoint.size, ": ",
                                            s.message()));
  }
  return absl::OkStatus();
}

SigningKey::SigningKey(std::unique_ptr<Impl> impl, std::unique_ptr<VerifyingKey> public_key)
    : impl_(std::move(impl)), public_key_(std::move(public_key)) {}
SigningKey::~SigningKey() = default;

absl::StatusOr<std::unique_ptr<SigningKey>> SigningKey::FromPem(absl::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key || EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError(
        "not an unencrypted Ed25519 private key in PEM form; make one with "
        "`openssl genpkey -algorithm ed25519 -out KEY.pem`");
  }
  absl::StatusOr<std::string> public_pem = PublicPem(key.get());
  if (!public_pem.ok()) return public_pem.status();
  absl::StatusOr<std::unique_ptr<VerifyingKey>> public_key = VerifyingKey::FromPem(*public_pem);
  if (!public_key.ok()) return public_key.status();
  auto impl = std::make_unique<Impl>();
  impl->key = std::move(key);
  return std::unique_ptr<SigningKey>(new SigningKey(std::move(impl), std::move(*public_key)));
}

absl::StatusOr<std::unique_ptr<SigningKey>> SigningKey::FromPemFile(const std::string& path) {
  absl::StatusOr<std::string> pem = ReadFile(path, "signing key");
  if (!pem.ok()) return pem.status();
  absl::StatusOr<std::unique_ptr<SigningKey>> key = FromPem(*pem);
  if (!key.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", key.status().message()));
  }
  return key;
}

absl::StatusOr<std::string> SigningKey::Sign(absl::string_view message) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1) {
    return absl::InternalError("OpenSSL could not start an Ed25519 signature");
  }
  std::string signature(64, '\0');
  size_t length = signature.size();
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1) {
    return absl::InternalError("OpenSSL could not make an Ed25519 signature");
  }
  signature.resize(length);
  return signature;
}

absl::Status SigningKey::SignCheckpoint(Checkpoint* checkpoint) const {
  absl::StatusOr<std::string> signature = Sign(checkpoint->Body());
  if (!signature.ok()) return signature.status();
  checkpoint->signature = *std::move(signature);
  checkpoint->key_id = public_key_->key_id();
  return absl::OkStatus();
}

}  // namespace irm::audit
