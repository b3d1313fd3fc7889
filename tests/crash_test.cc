// Crash test: concurrent appenders against the real irmd, which is killed with SIGKILL at a
// random moment in each round and restarted on the same data folder. After every restart the
// whole log is read back and checked against every append ever sent (crash_verify.h). In
// the kill -9 test irmd also signs checkpoints (every 100 ms), and after every restart the
// real `irm verify` must recompute a Merkle tree of exactly `head` events that matches a fresh
// signed checkpoint, every stored one and every checkpoint kept before an earlier kill
// (merkle_check.h).
//
// Environment: IRM_CRASH_ROUNDS (default 20), IRM_CRASH_SEED (default: random; printed so a
// failing run can be repeated with the same kill delays and batch choices).
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/crash_verify.h"
#include "tests/crash_workload.h"
#include "tests/merkle_check.h"
#include "tests/support/irmd_process.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

// Reads the whole log from `irmd` and checks it; fatal failure on any violation. With `keys`,
// also checks the Merkle root with `irm verify` and the checkpoints kept in `kept`.
void VerifyServer(const IrmdProcess& irmd, LogVerifier& verifier, const std::string& when,
                  const SigningKeyFiles* keys = nullptr, const std::string& kept = "") {
  std::unique_ptr<api::v1::LogService::Stub> stub =
      api::v1::LogService::NewStub(LogChannel(irmd.address()));
  absl::StatusOr<LogSnapshot> log = ReadWholeLog(*stub);
  ASSERT_TRUE(log.ok()) << when << ": " << log.status();
  std::vector<std::string> problems = verifier.Verify(*log);
  ASSERT_TRUE(problems.empty()) << when << ", head " << log->head << ":\n"
                                << absl::StrJoin(problems, "\n");
  if (keys != nullptr) {
    absl::Status merkle = VerifyMerkle(irmd.address(), keys->public_key, log->head, kept);
    ASSERT_TRUE(merkle.ok()) << when << ": " << merkle;
  }
  std::cout << when << ": head " << log->head << ", " << verifier.acknowledged()
            << " acknowledged appends intact, unacknowledged: " << verifier.unacknowledged_present()
            << " present, " << verifier.unacknowledged_absent() << " absent"
            << (keys != nullptr ? ", irm verify OK" : "") << std::endl;
}

TEST(CrashTest, KillNineNeverLosesOrTearsAppends) {
  const uint64_t rounds = EnvNumber("IRM_CRASH_ROUNDS", 20);
  const uint64_t seed = EnvNumber("IRM_CRASH_SEED", std::random_device()());
  std::cout << "IRM_CRASH_SEED=" << seed << " IRM_CRASH_ROUNDS=" << rounds << std::endl;
  ::testing::Test::RecordProperty("seed", std::to_string(seed));
  std::mt19937_64 rng(seed);

  TempDir dir("irm-crash");
  const std::string data = dir.Sub("data");
  LogVerifier verifier;
  absl::StatusOr<SignedServer> server = MakeSignedServer(dir.path());
  ASSERT_TRUE(server.ok()) << server.status();
  size_t total_acknowledged = 0;
  for (uint64_t round = 0; round < rounds; ++round) {
    SCOPED_TRACE(::testing::Message() << "round " << round << ", IRM_CRASH_SEED=" << seed);
    absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd = IrmdProcess::Start(data, server->irmd_args);
    ASSERT_TRUE(irmd.ok()) << irmd.status();
    ASSERT_NO_FATAL_FAILURE(VerifyServer(**irmd, verifier,
                                         ::testing::PrintToString(round) + " after restart",
                                         &server->keys, server->kept_file));

    WorkloadOptions options;
    options.round = static_cast<int>(round);
    options.seed = seed;
    absl::StatusOr<std::unique_ptr<CrashWorkload>> workload =
        CrashWorkload::Start(LogChannel((*irmd)->address()), options);
    ASSERT_TRUE(workload.ok()) << workload.status();
    // The kill lands at a random point of the load: after 5 to 150 acknowledged appends.
    const int acknowledged = std::uniform_int_distribution<int>(5, 150)(rng);
    EXPECT_TRUE((*workload)->WaitForAcknowledged(acknowledged, absl::Seconds(30)));
    // Signed under load before the kill: every later log must extend it.
    absl::StatusOr<uint64_t> kept_size = KeepCheckpoint((*irmd)->address(), server->kept_file);
    ASSERT_TRUE(kept_size.ok()) << kept_size.status();
    (*workload)->MarkKill();
    absl::Status killed = (*irmd)->Kill9();
    ASSERT_TRUE(killed.ok()) << killed;

    std::vector<std::string> unexpected;
    std::vector<SentAppend> sent = (*workload)->Finish(&unexpected);
    size_t acked = 0;
    for (const SentAppend& s : sent) acked += s.acknowledged ? 1 : 0;
    total_acknowledged += acked;
    std::cout << "round " << round << ": killed after " << acknowledged << " acknowledged appends; " << sent.size()
              << " appends sent, " << acked << " acknowledged" << std::endl;
    EXPECT_TRUE(unexpected.empty()) << absl::StrJoin(unexpected, "\n");
    verifier.AddSent(std::move(sent));
  }

  absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd = IrmdProcess::Start(data, server->irmd_args);
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  ASSERT_NO_FATAL_FAILURE(
      VerifyServer(**irmd, verifier, "final", &server->keys, server->kept_file));
  absl::Status stopped = (*irmd)->Stop();
  EXPECT_TRUE(stopped.ok()) << stopped;
  EXPECT_GT(total_acknowledged, rounds) << "the load was too small to test anything";
}

// `rounds` rounds of: start irmd, run the workload for 150 ms, SIGTERM (expects exit 0).
// Then restarts once more and checks the log. Returns every append sent, in `sent`.
void RunSigtermRounds(uint64_t seed, int rounds, std::vector<SentAppend>& sent) {
  TempDir dir("irm-sigterm");
  LogVerifier verifier;
  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE(::testing::Message() << "round " << round << ", IRM_CRASH_SEED=" << seed);
    absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd = IrmdProcess::Start(dir.Sub("data"));
    ASSERT_TRUE(irmd.ok()) << irmd.status();
    ASSERT_NO_FATAL_FAILURE(VerifyServer(**irmd, verifier, "after restart"));
    WorkloadOptions options;
    options.round = round;
    options.seed = seed;
    absl::StatusOr<std::unique_ptr<CrashWorkload>> workload = CrashWorkload::Start(
        grpc::CreateChannel((*irmd)->address(), grpc::InsecureChannelCredentials()), options);
    ASSERT_TRUE(workload.ok()) << workload.status();
    // The kill lands mid-load: some of this round's appends are acknowledged, more in flight.
    EXPECT_TRUE((*workload)->WaitForAcknowledged(20, absl::Seconds(30)));
    (*workload)->MarkKill();
    absl::Status stopped = (*irmd)->Stop();
    EXPECT_TRUE(stopped.ok()) << stopped;
    std::vector<std::string> unexpected;
    std::vector<SentAppend> round_sent = (*workload)->Finish(&unexpected);
    EXPECT_TRUE(unexpected.empty()) << absl::StrJoin(unexpected, "\n");
    sent.insert(sent.end(), round_sent.begin(), round_sent.end());
    verifier.AddSent(std::move(round_sent));
  }
  absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd = IrmdProcess::Start(dir.Sub("data"));
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  ASSERT_NO_FATAL_FAILURE(VerifyServer(**irmd, verifier, "final"));
  // A drain finishes every call it accepted, so no append is left in doubt.
  EXPECT_EQ(verifier.unacknowledged_present(), 0u)
      << "appends were written but their callers got an error";
  EXPECT_TRUE((*irmd)->Stop().ok());
}

// SIGTERM while appenders are busy: irmd drains and exits 0, and after a restart every
// acknowledged append is there, nothing is torn, and no failed append was written.
TEST(SigtermTest, DrainsUnderLoadAndExitsZero) {
  const uint64_t seed = EnvNumber("IRM_CRASH_SEED", std::random_device()());
  std::cout << "IRM_CRASH_SEED=" << seed << std::endl;
  std::vector<SentAppend> sent;
  RunSigtermRounds(seed, /*rounds=*/3, sent);
}

// Appends refused because irmd is shutting down fail with UNAVAILABLE (log.proto), the code
// clients retry on elsewhere, not with another code.
TEST(SigtermTest, AppendsRefusedWhileDrainingAreUnavailable) {
  const uint64_t seed = EnvNumber("IRM_CRASH_SEED", std::random_device()());
  std::cout << "IRM_CRASH_SEED=" << seed << std::endl;
  std::vector<SentAppend> sent;
  // Calls arriving just as the drain starts are the ones at risk; several rounds make
  // catching one likely.
  ASSERT_NO_FATAL_FAILURE(RunSigtermRounds(seed, /*rounds=*/8, sent));
  for (const SentAppend& s : sent) {
    if (s.acknowledged) continue;
    EXPECT_EQ(s.code, grpc::StatusCode::UNAVAILABLE)
        << "round " << s.round << ", append to " << s.stream << " failed with code " << s.code
        << " [" << s.error << "]";
  }
}

}  // namespace
}  // namespace irm::tests
