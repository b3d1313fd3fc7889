// Crash torture under mixed load: in every round the real irmd serves, at once,
//  - appenders with exact expected revisions, no_stream and any (crash_workload.h),
//  - workflow commands: `irm sample load` (ReviewService commands, idempotent, so each
//    round continues where the last one was killed), and tracked ReviewService commands
//    with exact expected revisions (WorkflowDriver),
//  - a live subscriber over the whole log, resuming where it stopped,
//  - the built-in projections (stream_stats, reviews, needs),
// and is killed with SIGKILL at a random moment. After every restart:
//  - every acknowledged append is present exactly as acknowledged, no append is torn, and
//    no append is half-visible (crash_verify.h); positions and every stream's revisions are
//    dense, ids unique (workflow streams included);
//  - every acknowledged workflow command is in the log at its position and revision;
//  - every event a subscriber was sent is still in the log, byte for byte (subscribers never
//    see events that a crash could take back) and subscribers saw dense positions;
//  - every projection equals a rebuild from the log (AdminService.RebuildProjection);
//  - the Merkle root is consistent (merkle_check.h): irmd signs checkpoints (every 100 ms,
//    so kills also land while it stores one), and the real `irm verify` recomputes the tree
//    of exactly `head` events, checks it against a fresh signed checkpoint and every stored
//    one, and against the checkpoints signed under load before each earlier kill (kept as
//    an auditor would): the restarted log must extend every one of them.
//
// Environment: IRM_CRASH_ROUNDS (default 5 here; the `long` ctest mode sets 200),
// IRM_CRASH_SEED (default random; printed).
#include <atomic>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "engine/domain/reference_data.h"
#include "grpcpp/grpcpp.h"
#include "irm/api/v1/review.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/crash_verify.h"
#include "tests/crash_workload.h"
#include "tests/merkle_check.h"
#include "tests/projection_check.h"
#include "tests/support/irmd_process.h"
#include "tests/support/run_irm.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

// A subscriber over the whole log that remembers the bytes of every event it was sent.
class Subscriber {
 public:
  void Start(std::shared_ptr<grpc::Channel> channel) {
    context_ = std::make_unique<grpc::ClientContext>();
    thread_ = std::thread([this, channel] { Run(channel); });
  }
  // Ends the subscription (the server is dead or about to be) and joins.
  void Stop() {
    if (thread_.joinable()) {
      context_->TryCancel();
      thread_.join();
    }
  }
  uint64_t last() const { return seen_.empty() ? 0 : seen_.rbegin()->first; }
  const std::map<uint64_t, std::string>& seen() const { return seen_; }
  std::vector<std::string> TakeProblems() { return std::move(problems_); }

 private:
  void Run(std::shared_ptr<grpc::Channel> channel) {
    auto stub = api::v1::LogService::NewStub(channel);
    api::v1::SubscribeRequest request;
    request.set_start(api::v1::SUBSCRIBE_FROM_POSITION);
    request.set_from_position(last() + 1);
    auto reader = stub->Subscribe(context_.get(), request);
    api::v1::SubscribeResponse response;
    while (reader->Read(&response)) {
      for (const event::v1::EventRecord& e : response.events()) {
        if (e.position() != last() + 1) {
          problems_.push_back(absl::StrCat("subscriber got position ", e.position(),
                                           " after ", last()));
        }
        seen_[e.position()] = e.SerializeAsString();
      }
    }
    (void)reader->Finish();  // UNAVAILABLE or CANCELLED once the server is gone
  }

  std::unique_ptr<grpc::ClientContext> context_;
  std::thread thread_;
  std::map<uint64_t, std::string> seen_;  // touched by the thread only while it runs
  std::vector<std::string> problems_;
};

// Workflow commands whose acknowledgements are tracked: for each State party in turn,
// schedule its cycle-1 review in year 1, then defer it to years 2, 3, 4 and 5, every
// command with the exact expected revision. Each command appends one event, so an
// acknowledged command must be in the log at the acknowledged position and revision.
class WorkflowDriver {
 public:
  struct Acked {
    std::string stream;
    uint64_t revision = 0;
    uint64_t position = 0;
    std::string type;
  };

  void Start(std::shared_ptr<grpc::Channel> channel) {
    stop_ = false;
    thread_ = std::thread([this, channel] { Run(channel); });
  }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  const std::vector<Acked>& acked() const { return acked_; }
  std::vector<std::string> TakeProblems() { return std::move(problems_); }

 private:
  void Run(std::shared_ptr<grpc::Channel> channel) {
    auto review = api::v1::ReviewService::NewStub(channel);
    auto log = api::v1::LogService::NewStub(channel);
    absl::Span<const domain::StateParty> parties = domain::AllStatesParties();
    while (!stop_ && next_party_ < parties.size()) {
      const std::string state(parties[next_party_].code);
      const std::string stream = absl::StrCat("review-", state, "-1");
      // Where this review stands (the last round may have been killed mid-command).
      grpc::ClientContext info_context;
      info_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
      api::v1::GetStreamInfoRequest info_request;
      info_request.set_stream(stream);
      api::v1::StreamInfo info;
      grpc::Status got = log->GetStreamInfo(&info_context, info_request, &info);
      if (!got.ok() && got.error_code() != grpc::StatusCode::NOT_FOUND) return;
      const int step = got.ok() ? static_cast<int>(info.last_revision()) + 1 : 0;
      if (step >= 5) {
        ++next_party_;
        continue;
      }
      api::v1::ReviewCommand command;
      command.set_state(state);
      command.set_cycle(1);
      if (step == 0) {
        command.mutable_schedule()->set_year(1);
      } else {
        command.set_expected_revision(info.last_revision());
        command.mutable_defer()->set_year(step + 1);
      }
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      api::v1::CommandResult result;
      grpc::Status status = review->Execute(&context, command, &result);
      if (!status.ok()) {
        if (status.error_code() != grpc::StatusCode::UNAVAILABLE &&
            status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED && !stop_) {
          problems_.push_back(absl::StrCat("workflow command on ", stream, " failed: ",
                                           status.error_code(), " ", status.error_message()));
        }
        return;  // the server is going away
      }
      if (result.revision() != static_cast<uint64_t>(step)) {
        problems_.push_back(absl::StrCat(stream, " acknowledged at revision ", result.revision(),
                                         ", expected ", step));
      }
      acked_.push_back({result.stream(), result.revision(), result.position(), result.event_type()});
    }
  }

  std::atomic<bool> stop_{false};
  std::thread thread_;
  size_t next_party_ = 0;
  std::vector<Acked> acked_;
  std::vector<std::string> problems_;
};

// Checks the restarted server; fatal failure on any violation.
void VerifyAfterRestart(const IrmdProcess& irmd, LogVerifier& verifier,
                        const Subscriber& subscriber, const WorkflowDriver& workflow,
                        const SigningKeyFiles& keys, const std::string& kept_checkpoints,
                        const std::string& when) {
  // irmd writes the deadlines that passed while it was down (docs/deadlines.md) after a
  // restart; a check queued behind that sweep returns once it is done, so the log stands
  // still while it is compared with the tree, the projections and the subscribers.
  IrmResult checked = RunIrm(irmd.address(), {"admin", "check-deadlines"});
  ASSERT_EQ(checked.exit_code, 0) << when << ": " << checked;
  auto stub = api::v1::LogService::NewStub(LogChannel(irmd.address()));
  absl::StatusOr<LogSnapshot> log = ReadWholeLog(*stub);
  ASSERT_TRUE(log.ok()) << when << ": " << log.status();
  std::vector<std::string> problems = verifier.Verify(*log);
  ASSERT_TRUE(problems.empty()) << when << ", head " << log->head << ":\n"
                                << absl::StrJoin(problems, "\n");
  for (const auto& [position, bytes] : subscriber.seen()) {
    ASSERT_LE(position, log->events.size())
        << when << ": a subscriber was sent position " << position
        << ", which the log no longer has (head " << log->head << ")";
    ASSERT_EQ(log->events[position - 1].SerializeAsString(), bytes)
        << when << ": the event a subscriber got at position " << position << " has changed";
  }
  for (const WorkflowDriver::Acked& a : workflow.acked()) {
    ASSERT_LE(a.position, log->events.size())
        << when << ": acknowledged workflow command at position " << a.position << " is lost";
    const event::v1::EventRecord& e = log->events[a.position - 1];
    ASSERT_TRUE(e.stream() == a.stream && e.revision() == a.revision && e.type() == a.type)
        << when << ": acknowledged " << a.type << " on " << a.stream << "@" << a.revision
        << " at position " << a.position << ", but the log has " << e.type() << " on "
        << e.stream() << "@" << e.revision() << " there";
  }
  absl::Status projections =
      CheckProjectionsEqualRebuild(LogChannel(irmd.address()), absl::Seconds(60));
  ASSERT_TRUE(projections.ok()) << when << ": " << projections;
  absl::Status merkle = VerifyMerkle(irmd.address(), keys.public_key, log->head, kept_checkpoints);
  ASSERT_TRUE(merkle.ok()) << when << ": " << merkle;
  size_t workflow_events = 0;
  for (const auto& e : log->events) workflow_events += e.stream().rfind("review-", 0) == 0 ? 1 : 0;
  std::cout << when << ": head " << log->head << " (" << workflow_events << " workflow events), "
            << verifier.acknowledged() << " acknowledged appends and "
            << workflow.acked().size() << " acknowledged workflow commands intact, "
            << subscriber.seen().size() << " subscribed events intact, projections equal "
            << "a rebuild, irm verify OK" << std::endl;
}

TEST(CrashMixedTest, KillNineUnderMixedLoadKeepsLogSubscribersAndProjectionsConsistent) {
  const uint64_t rounds = EnvNumber("IRM_CRASH_ROUNDS", 5);
  const uint64_t seed = EnvNumber("IRM_CRASH_SEED", std::random_device()());
  std::cout << "IRM_CRASH_SEED=" << seed << " IRM_CRASH_ROUNDS=" << rounds << std::endl;
  std::mt19937_64 rng(seed);

  TempDir dir("irm-crash-mixed");
  const std::string data = dir.Sub("data");
  LogVerifier verifier;
  verifier.set_owned_prefix("crash-");
  Subscriber subscriber;
  WorkflowDriver driver;
  absl::StatusOr<SignedServer> server = MakeSignedServer(dir.path());
  ASSERT_TRUE(server.ok()) << server.status();
  size_t acknowledged = 0;
  for (uint64_t round = 0; round < rounds; ++round) {
    SCOPED_TRACE(::testing::Message() << "round " << round << ", IRM_CRASH_SEED=" << seed);
    absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd = IrmdProcess::Start(data, server->irmd_args);
    ASSERT_TRUE(irmd.ok()) << irmd.status();
    ASSERT_NO_FATAL_FAILURE(VerifyAfterRestart(**irmd, verifier, subscriber, driver, server->keys,
                                               server->kept_file,
                                               absl::StrCat("round ", round, " after restart")));

    WorkloadOptions options;
    options.round = static_cast<int>(round);
    options.seed = seed;
    options.threads = 3;
    absl::StatusOr<std::unique_ptr<CrashWorkload>> appenders =
        CrashWorkload::Start(LogChannel((*irmd)->address()), options);
    ASSERT_TRUE(appenders.ok()) << appenders.status();
    SubprocessOptions workflow_options;
    workflow_options.argv = {IrmPath(), "--server", (*irmd)->address(), "sample", "load",
                             "--seed", "2019", "--cycles", "2"};
    workflow_options.env = {"IRM_SERVER=", "IRM_TOKEN="};
    absl::StatusOr<std::unique_ptr<Subprocess>> workflow = Subprocess::Start(workflow_options);
    ASSERT_TRUE(workflow.ok()) << workflow.status();
    subscriber.Start(LogChannel((*irmd)->address()));
    driver.Start(LogChannel((*irmd)->address()));

    const int delay_ms = std::uniform_int_distribution<int>(100, 600)(rng);
    absl::SleepFor(absl::Milliseconds(delay_ms));
    // A checkpoint signed under load and acknowledged before the kill: every later log
    // must extend it (checked by VerifyMerkle after each restart).
    absl::StatusOr<uint64_t> kept_size = KeepCheckpoint((*irmd)->address(), server->kept_file);
    ASSERT_TRUE(kept_size.ok()) << kept_size.status();
    (*appenders)->MarkKill();
    ASSERT_TRUE((*irmd)->Kill9().ok());

    std::vector<std::string> unexpected;
    std::vector<SentAppend> sent = (*appenders)->Finish(&unexpected);
    EXPECT_TRUE(unexpected.empty()) << absl::StrJoin(unexpected, "\n");
    for (const SentAppend& s : sent) acknowledged += s.acknowledged ? 1 : 0;
    verifier.AddSent(std::move(sent));
    subscriber.Stop();
    driver.Stop();
    std::vector<std::string> driver_problems = driver.TakeProblems();
    EXPECT_TRUE(driver_problems.empty()) << absl::StrJoin(driver_problems, "\n");
    std::vector<std::string> subscriber_problems = subscriber.TakeProblems();
    EXPECT_TRUE(subscriber_problems.empty()) << absl::StrJoin(subscriber_problems, "\n");
    if (!(*workflow)->Wait(absl::Seconds(20)).ok()) {
      (*workflow)->Kill(SIGKILL);
      (void)(*workflow)->Wait(absl::Seconds(10));
    }
    std::cout << "round " << round << ": killed after " << delay_ms << " ms, checkpoint of "
              << *kept_size << " events kept" << std::endl;
  }
  absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd = IrmdProcess::Start(data, server->irmd_args);
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  ASSERT_NO_FATAL_FAILURE(VerifyAfterRestart(**irmd, verifier, subscriber, driver, server->keys,
                                             server->kept_file, "final"));
  EXPECT_TRUE((*irmd)->Stop().ok());
  EXPECT_GT(acknowledged, rounds) << "the load was too small to test anything";
  EXPECT_GT(subscriber.seen().size(), 0u) << "the subscriber never received an event";
  EXPECT_GT(driver.acked().size(), 0u) << "no workflow command was acknowledged";
}

}  // namespace
}  // namespace irm::tests
