#include "engine/audit/checkpoint.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "engine/audit/ed25519.h"
#include "gtest/gtest.h"

namespace irm::audit {
namespace {

// Makes a fresh key with the openssl tool, as an operator would.
std::string GenerateKeyPem() {
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/ed25519-", std::rand(), ".pem");
  const std::string command =
      absl::StrCat("openssl genpkey -algorithm ed25519 -out ", path, " 2>/dev/null");
  if (std::system(command.c_str()) != 0) return "";
  std::ifstream in(path);
  std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path.c_str());
  return pem;
}

Checkpoint Example() {
  Checkpoint c;
  c.size = 42;
  c.root = HashLeaf("example");
  c.time = absl::FromUnixMicros(1796094300123456);
  return c;
}

TEST(CheckpointTest, BodyIsTheDocumentedFourLines) {
  const Checkpoint c = Example();
  EXPECT_EQ(c.Body(), absl::StrCat("irm\n42\n", ToBase64(c.root), "\n",
                                   "time 2026-12-01T03:05:00.123456Z\n"));
  absl::StatusOr<Checkpoint> parsed = ParseCheckpointBody(c.Body());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->size, 42u);
  EXPECT_EQ(parsed->root, c.root);
  EXPECT_EQ(parsed->time, c.time);
}

TEST(CheckpointTest, ParseRejectsNonCanonicalBodies) {
  const std::string body = Example().Body();
  for (const std::string& bad :
       {body.substr(0, body.size() - 1), "x" + body, absl::StrCat(body, "extra\n"),
        absl::StrCat("irm\n042\n", ToBase64(Example().root), "\ntime 2026-12-01T03:05:00.123456Z\n"),
        absl::StrCat("irm\n42\n", ToHex(Example().root), "\ntime 2026-12-01T03:05:00.123456Z\n"),
        absl::StrCat("irm\n42\n", ToBase64(Example().root), "\ntime 2026-12-01T03:05:00Z\n"),
        absl::StrCat("IRM\n42\n", ToBase64(Example().root), "\ntime 2026-12-01T03:05:00.123456Z\n"),
        std::string()}) {
    EXPECT_EQ(ParseCheckpointBody(bad).status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(CheckpointTest, SignsAndVerifiesWithAnOpensslKey) {
  const std::string pem = GenerateKeyPem();
  ASSERT_FALSE(pem.empty()) << "openssl genpkey failed";
  absl::StatusOr<std::unique_ptr<SigningKey>> key = SigningKey::FromPem(pem);
  ASSERT_TRUE(key.ok()) << key.status();
  Checkpoint c = Example();
  ASSERT_TRUE((*key)->SignCheckpoint(&c).ok());
  EXPECT_EQ(c.signature.size(), 64u);
  EXPECT_EQ(c.key_id.size(), 16u);

  absl::StatusOr<std::unique_ptr<VerifyingKey>> pub =
      VerifyingKey::FromPem((*key)->public_key().pem());
  ASSERT_TRUE(pub.ok()) << pub.status();
  EXPECT_TRUE((*pub)->VerifyCheckpoint(c).ok());

  // Stored form round-trips, signature included.
  absl::StatusOr<Checkpoint> stored = DecodeStoredCheckpoint(EncodeStoredCheckpoint(c));
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_TRUE((*pub)->VerifyCheckpoint(*stored).ok());

  // Any change to what was signed, or to the signature, fails.
  Checkpoint other_size = c;
  other_size.size = 43;
  EXPECT_EQ((*pub)->VerifyCheckpoint(other_size).code(), absl::StatusCode::kDataLoss);
  Checkpoint other_root = c;
  other_root.root[0] ^= 1;
  EXPECT_FALSE((*pub)->VerifyCheckpoint(other_root).ok());
  Checkpoint other_time = c;
  other_time.time += absl::Microseconds(1);
  EXPECT_FALSE((*pub)->VerifyCheckpoint(other_time).ok());
  Checkpoint bad_signature = c;
  bad_signature.signature[10] ^= 1;
  EXPECT_FALSE((*pub)->VerifyCheckpoint(bad_signature).ok());
  Checkpoint unsigned_checkpoint = Example();
  EXPECT_FALSE((*pub)->VerifyCheckpoint(unsigned_checkpoint).ok());

  // Another key does not verify it, even if the key id is claimed.
  absl::StatusOr<std::unique_ptr<SigningKey>> other = SigningKey::FromPem(GenerateKeyPem());
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_FALSE((*other)->public_key().VerifyCheckpoint(c).ok());
  Checkpoint claimed = c;
  claimed.key_id = (*other)->public_key().key_id();
  EXPECT_FALSE((*other)->public_key().VerifyCheckpoint(claimed).ok());
}

TEST(CheckpointTest, RejectsKeysThatAreNotEd25519) {
  EXPECT_EQ(SigningKey::FromPem("not a key").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyingKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SigningKey::FromPemFile("/nonexistent/key.pem").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(CheckpointTest, DecodeRejectsDamagedStoredForms) {
  EXPECT_EQ(DecodeStoredCheckpoint("irm\n1\n").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeStoredCheckpoint(Example().Body() + "signature x\n").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_TRUE(DecodeStoredCheckpoint(Example().Body()).ok());
}

}  // namespace
}  // namespace irm::audit
