// End-to-end tests of the tamper-evident log: the real irmd signing checkpoints with an
// Ed25519 key made by `openssl genpkey`, and the real irm checking them. The tamper test
// rewrites one stored event through RocksDB's own API (valid checksums, wrong content) and
// expects `irm verify` to name its position, offline and online.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/store/keys.h"
#include "engine/store/log_database.h"
#include "rocksdb/write_batch.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/irmd_process.h"
#include "tests/support/run_irm.h"
#include "tests/support/served_log.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Each test starts irmd itself (with or without a signing key); the key pair is made first.
class E2eAuditTest : public ServedLogTest {
 protected:
  E2eAuditTest() : ServedLogTest("irm-audit") {}

  void SetUp() override {
    key_ = dir_.Sub("irmd-key.pem");
    public_key_ = dir_.Sub("irmd-pub.pem");
    ASSERT_EQ(MakeKeyPair(key_, public_key_), 0);
  }

  // `openssl genpkey` an Ed25519 private key into `key` and its public key into `pub`; the
  // shell's exit status (0 on success).
  static int MakeKeyPair(const std::string& key, const std::string& pub) {
    return std::system(absl::StrCat("openssl genpkey -algorithm ed25519 -out ", key,
                                     " && openssl pkey -in ", key, " -pubout -out ", pub)
                           .c_str());
  }

  // StartServer, with key_ as irmd's signing key (hourly checkpoints) if `with_key`.
  void Start(bool with_key) {
    std::vector<std::string> args;
    if (with_key) args = {"--signing-key", key_, "--checkpoint-interval", "1h"};
    ASSERT_NO_FATAL_FAILURE(StartServer(args));
  }

  void AppendEvents(int count) {
    for (int i = 0; i < count; ++i) {
      IrmResult r = Irm({"append", absl::StrCat("case-", i % 3), "Noted", "--data",
                         absl::StrCat("{\"n\":", i, "}")});
      ASSERT_EQ(r.exit_code, 0) << r;
    }
  }

  // A second key pair, not irmd's.
  std::string OtherPublicKey() {
    const std::string key = dir_.Sub("other-key.pem");
    const std::string pub = dir_.Sub("other-pub.pem");
    EXPECT_EQ(MakeKeyPair(key, pub), 0);
    return pub;
  }

  std::string key_;
  std::string public_key_;
};

TEST_F(E2eAuditTest, CheckpointIsSignedAndVerifyRecomputesItsRoot) {
  ASSERT_NO_FATAL_FAILURE(Start(true));
  ASSERT_NO_FATAL_FAILURE(AppendEvents(12));

  IrmResult signed_now = Irm({"checkpoint", "--sign", "--public-key", public_key_, "--json"});
  ASSERT_EQ(signed_now.exit_code, 0) << signed_now;
  json checkpoint = json::parse(signed_now.out);
  EXPECT_EQ(checkpoint["tree_size"], 12);
  EXPECT_THAT(checkpoint["signature_verified"].get<std::string>(), StartsWith("yes"));
  EXPECT_THAT(checkpoint["body"].get<std::string>(),
              StartsWith(absl::StrCat("irm\n12\n", checkpoint["root_base64"].get<std::string>(),
                                      "\ntime ")));

  IrmResult latest = Irm({"checkpoint"});
  ASSERT_EQ(latest.exit_code, 0) << latest;
  EXPECT_THAT(latest.out, HasSubstr("checkpoint of 12 events"));
  EXPECT_THAT(latest.out, HasSubstr(checkpoint["root"].get<std::string>()));

  IrmResult verify = Irm({"verify", "--public-key", public_key_, "--event", "7"});
  ASSERT_EQ(verify.exit_code, 0) << verify;
  EXPECT_THAT(verify.out,
              HasSubstr(absl::StrCat("OK: 12 events, root ", checkpoint["root"].get<std::string>())));
  EXPECT_THAT(verify.out, HasSubstr("event at position 7 proven included"));
  EXPECT_THAT(verify.out, HasSubstr("each proven consistent with the one before"));

  // More events: a new checkpoint, proven consistent with the first.
  ASSERT_NO_FATAL_FAILURE(AppendEvents(5));
  IrmResult again = Irm({"verify", "--public-key", public_key_, "--json"});
  ASSERT_EQ(again.exit_code, 0) << again;
  json report = json::parse(again.out);
  EXPECT_EQ(report["events"], 17);
  EXPECT_GE(report["checkpoints"].get<int>(), 3);  // at start (0), 12, 17
  IrmResult list = Irm({"checkpoint", "--list", "--public-key", public_key_, "--json"});
  ASSERT_EQ(list.exit_code, 0) << list;
  EXPECT_GE(Lines(list.out).size(), 3u);

  IrmResult outside = Irm({"verify", "--public-key", public_key_, "--event", "18"});
  EXPECT_EQ(outside.exit_code, 1) << outside;
  EXPECT_THAT(outside.err, HasSubstr("position 18 is not in the checkpoint of 17 events"));
}

TEST_F(E2eAuditTest, TheServersKeyIsTrustedOnlyWithAWarningAndAnotherKeyFails) {
  ASSERT_NO_FATAL_FAILURE(Start(true));
  ASSERT_NO_FATAL_FAILURE(AppendEvents(3));
  IrmResult trusting = Irm({"verify"});
  ASSERT_EQ(trusting.exit_code, 0) << trusting;
  EXPECT_THAT(trusting.err, HasSubstr("trusting the server's own key"));

  const std::string other = OtherPublicKey();
  IrmResult wrong = Irm({"verify", "--public-key", other});
  EXPECT_EQ(wrong.exit_code, 1) << wrong;
  EXPECT_THAT(wrong.err, StartsWith("DATA_LOSS"));
  IrmResult wrong_checkpoint = Irm({"checkpoint", "--public-key", other});
  EXPECT_EQ(wrong_checkpoint.exit_code, 1) << wrong_checkpoint;
  EXPECT_THAT(wrong_checkpoint.out, HasSubstr("verified   NO"));
}

TEST_F(E2eAuditTest, WithoutASigningKeyTreeHeadsAndProofsAreStillServed) {
  ASSERT_NO_FATAL_FAILURE(Start(false));
  ASSERT_NO_FATAL_FAILURE(AppendEvents(4));
  IrmResult checkpoint = Irm({"checkpoint"});
  EXPECT_EQ(checkpoint.exit_code, 1) << checkpoint;
  EXPECT_THAT(checkpoint.err, StartsWith("FAILED_PRECONDITION"));
  EXPECT_THAT(checkpoint.err, HasSubstr("--signing-key"));
  IrmResult verify = Irm({"verify", "--event", "2"});
  ASSERT_EQ(verify.exit_code, 0) << verify;
  EXPECT_THAT(verify.out, HasSubstr("OK: 4 events"));
  EXPECT_THAT(verify.err, HasSubstr("unsigned tree head"));
}

TEST_F(E2eAuditTest, BadSigningKeyStopsIrmdWithAUsageError) {
  const std::string not_a_key = dir_.Sub("not-a-key.pem");
  ASSERT_EQ(std::system(absl::StrCat("echo hello > ", not_a_key).c_str()), 0);
  auto started = IrmdProcess::Start(data_dir(), {"--signing-key", not_a_key});
  ASSERT_FALSE(started.ok());
  EXPECT_THAT(std::string(started.status().message()), HasSubstr("Ed25519 private key"));
}

TEST_F(E2eAuditTest, ARewrittenEventIsNamedByPositionOfflineAndOnline) {
  ASSERT_NO_FATAL_FAILURE(Start(true));
  ASSERT_NO_FATAL_FAILURE(AppendEvents(30));
  ASSERT_EQ(Irm({"checkpoint", "--sign"}).exit_code, 0);
  ASSERT_NO_FATAL_FAILURE(StopServer());

  IrmResult clean = RunIrm("127.0.0.1:1", {"verify", "--data", data_dir(), "--public-key",
                                            public_key_});
  ASSERT_EQ(clean.exit_code, 0) << clean;
  EXPECT_THAT(clean.out, HasSubstr("OK: 30 events, root "));

  {  // Rewrite event 17 through RocksDB's own API: a valid record, checksums and all.
    auto database = store::LogDatabase::Open(data_dir());
    ASSERT_TRUE(database.ok()) << database.status();
    auto record = (*database)->ReadEvent(17);
    ASSERT_TRUE(record.ok()) << record.status();
    record->set_data("{\"n\":999}");
    rocksdb::WriteOptions sync;
    sync.sync = true;
    ASSERT_TRUE((*database)
                    ->db()
                    ->Put(sync, (*database)->events(), store::EncodeBigEndian64(17),
                          store::EncodeRecord(*record))
                    .ok());
  }

  IrmResult offline = RunIrm("127.0.0.1:1", {"verify", "--data", data_dir(), "--public-key",
                                              public_key_});
  EXPECT_EQ(offline.exit_code, 1) << offline;
  EXPECT_THAT(offline.err, StartsWith("DATA_LOSS: position 17:"));

  // irmd still starts on the folder (the bytes decode); online verification finds it too.
  ASSERT_NO_FATAL_FAILURE(Start(true));
  IrmResult read = Irm({"read", "case-1", "--json"});
  ASSERT_EQ(read.exit_code, 0) << read;
  EXPECT_THAT(read.out, HasSubstr("999"));  // the server serves the rewritten event
  IrmResult online = Irm({"verify", "--public-key", public_key_});
  EXPECT_EQ(online.exit_code, 1) << online;
  EXPECT_THAT(online.err, StartsWith("DATA_LOSS: position 17:"));
  EXPECT_THAT(online.err, HasSubstr("positions 1..16 are proven to match"));
}

// After a key rotation the checkpoints of the old key are skipped, not failed; a folder
// none of whose checkpoints the given key signed fails offline.
TEST_F(E2eAuditTest, CheckpointsOfARotatedKeyAreSkipped) {
  ASSERT_NO_FATAL_FAILURE(Start(true));
  ASSERT_NO_FATAL_FAILURE(AppendEvents(3));
  ASSERT_NO_FATAL_FAILURE(StopServer());
  const std::string old_public_key = public_key_;
  const std::string new_public_key = OtherPublicKey();
  key_ = dir_.Sub("other-key.pem");
  public_key_ = new_public_key;
  ASSERT_NO_FATAL_FAILURE(Start(true));
  ASSERT_NO_FATAL_FAILURE(AppendEvents(2));
  IrmResult online = Irm({"verify", "--public-key", new_public_key});
  ASSERT_EQ(online.exit_code, 0) << online;
  EXPECT_THAT(online.out, HasSubstr("signed by other keys were skipped"));
  EXPECT_THAT(online.out, HasSubstr("OK: 5 events"));
  ASSERT_NO_FATAL_FAILURE(StopServer());
  IrmResult offline_old = RunIrm("127.0.0.1:1", {"verify", "--data", data_dir(),
                                                  "--public-key", old_public_key});
  ASSERT_EQ(offline_old.exit_code, 0) << offline_old;
  EXPECT_THAT(offline_old.out, HasSubstr("skipped"));
  const std::string stranger = dir_.Sub("stranger-pub.pem");
  ASSERT_EQ(std::system(absl::StrCat("openssl genpkey -algorithm ed25519 | openssl pkey -pubout -out ",
                                     stranger).c_str()),
            0);
  IrmResult offline_stranger =
      RunIrm("127.0.0.1:1", {"verify", "--data", data_dir(), "--public-key", stranger});
  EXPECT_EQ(offline_stranger.exit_code, 1) << offline_stranger;
  EXPECT_THAT(offline_stranger.err, HasSubstr("is signed by the given key"));
}

// A server that rewrites an event and then rebuilds its tree and re-signs (dropping its old
// checkpoints) tells a self-consistent story; only a checkpoint the auditor kept catches it.
TEST_F(E2eAuditTest, AKeptCheckpointCatchesARewrittenAndResignedHistory) {
  ASSERT_NO_FATAL_FAILURE(Start(true));
  ASSERT_NO_FATAL_FAILURE(AppendEvents(10));
  IrmResult kept = Irm({"checkpoint", "--sign", "--json"});
  ASSERT_EQ(kept.exit_code, 0) << kept;
  const std::string kept_file = dir_.Sub("kept.jsonl");
  ASSERT_EQ(std::system(absl::StrCat("printf '%s' '", kept.out, "' > ", kept_file).c_str()), 0);
  IrmResult before = Irm({"verify", "--public-key", public_key_, "--checkpoint", kept_file});
  ASSERT_EQ(before.exit_code, 0) << before;
  EXPECT_THAT(before.out, HasSubstr("1 kept checkpoints: signatures OK"));
  ASSERT_NO_FATAL_FAILURE(StopServer());

  {  // Rewrite event 3, drop the tree and every stored checkpoint.
    auto database = store::LogDatabase::Open(data_dir());
    ASSERT_TRUE(database.ok()) << database.status();
    auto record = (*database)->ReadEvent(3);
    ASSERT_TRUE(record.ok()) << record.status();
    record->set_data("{\"n\":-1}");
    rocksdb::WriteBatch batch;
    batch.Put((*database)->events(), store::EncodeBigEndian64(3), store::EncodeRecord(*record));
    batch.DeleteRange((*database)->merkle(), std::string(), std::string(10, '\xff'));
    batch.DeleteRange((*database)->checkpoints(), std::string(), std::string(10, '\xff'));
    rocksdb::WriteOptions sync;
    sync.sync = true;
    ASSERT_TRUE((*database)->db()->Write(sync, &batch).ok());
  }
  ASSERT_NO_FATAL_FAILURE(Start(true));  // rebuilds the tree over the rewritten bytes
  IrmResult fooled = Irm({"verify", "--public-key", public_key_});
  EXPECT_EQ(fooled.exit_code, 0) << fooled;  // the server's own story is consistent
  IrmResult caught = Irm({"verify", "--public-key", public_key_, "--checkpoint", kept_file});
  EXPECT_EQ(caught.exit_code, 1) << caught;
  EXPECT_THAT(caught.err, StartsWith("DATA_LOSS: your kept checkpoint of size 10"));
  EXPECT_THAT(caught.err, HasSubstr("history was rewritten"));
}

}  // namespace
}  // namespace irm::tests
