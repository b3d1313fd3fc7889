// End-to-end tests of `irm subscribe` and `irm admin`: the real irmd on a temporary data
// folder, driven by the real irm client; live subscribers run as child processes. Every
// test starts its own server and, in TearDown, stops it with SIGTERM expecting exit 0.
#include <signal.h>

#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "irm/api/v1/admin.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/support/irmd_process.h"
#include "tests/support/run_irm.h"
#include "tests/support/served_log.h"
#include "tests/support/subprocess.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr absl::Duration kPatience = absl::Seconds(30);

class E2eSubscribeTest : public ServedLogTest {
 protected:
  E2eSubscribeTest() : ServedLogTest("irm-e2e-sub") {}

  // Appends one event with `irm append`; returns its position (0 on failure).
  uint64_t Append(const std::string& stream, const std::string& type) {
    std::vector<json> out = IrmJson({"append", stream, type});
    return out.size() == 1 ? out[0].value("position", uint64_t{0}) : 0;
  }

  // Starts `irm --server ADDRESS subscribe ARGS...` in the background.
  std::unique_ptr<Subprocess> Subscribe(const std::vector<std::string>& args) {
    SubprocessOptions options;
    options.argv = {IrmPath(), "--server", irmd_->address(), "subscribe"};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.env = {"IRM_SERVER=", "IRM_TOKEN="};
    absl::StatusOr<std::unique_ptr<Subprocess>> process = Subprocess::Start(options);
    EXPECT_TRUE(process.ok()) << process.status();
    return process.ok() ? std::move(*process) : nullptr;
  }

  // Waits for `process` to exit and returns its parsed JSON stdout lines (the events).
  std::vector<json> EventsOf(Subprocess& process, int expected_exit = 0) {
    absl::StatusOr<int> exit = process.Wait(kPatience);
    EXPECT_TRUE(exit.ok()) << exit.status() << "; stdout so far:\n" << process.stdout_text();
    if (exit.ok()) {
      EXPECT_EQ(*exit, expected_exit) << process.stderr_text();
    }
    std::vector<json> events;
    for (const std::string& line : Lines(process.stdout_text()))
      events.push_back(json::parse(line));
    return events;
  }

  // The stream_stats row of `irm admin projections --json` once it has applied the head
  // (lag 0); fails the test if that does not happen within kPatience.
  json ProjectionAtHead() {
    json row;
    for (absl::Time end = absl::Now() + kPatience; absl::Now() < end;) {
      for (const json& r : IrmJson({"admin", "projections"})) {
        if (r["name"] == "stream_stats") row = r;
      }
      if (row.is_object() && row["lag_events"] == 0 && row["checkpoint"] == row["head"]) {
        return row;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    ADD_FAILURE() << "stream_stats did not catch up; last row: " << row;
    return row;
  }
};

TEST_F(E2eSubscribeTest, DeliversEventsBeforeAndAfterItStartedOnceInOrder) {
  std::vector<uint64_t> appended;
  for (int i = 0; i < 5; ++i) appended.push_back(Append(absl::StrCat("s-", i % 3), "Before"));
  std::unique_ptr<Subprocess> subscriber = Subscribe({"--json", "--count", "12"});
  ASSERT_NE(subscriber, nullptr);

  // Listed by `irm admin subscriptions` while it runs.
  std::vector<json> listed;
  for (absl::Time end = absl::Now() + kPatience; listed.empty() && absl::Now() < end;) {
    listed = IrmJson({"admin", "subscriptions"});
    if (listed.empty()) absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_THAT(listed[0]["filter"].get<std::string>(), HasSubstr("from=1"));
  EXPECT_TRUE(listed[0].contains("id") && listed[0].contains("lag_events")) << listed[0];
  IrmResult table = Irm({"admin", "subscriptions"});
  EXPECT_THAT(table.out, HasSubstr("LAG EVENTS")) << table;

  for (int i = 0; i < 7; ++i) appended.push_back(Append(absl::StrCat("s-", i % 4), "After"));
  std::vector<json> events = EventsOf(*subscriber);
  EXPECT_EQ(Positions(events), appended);
  ASSERT_EQ(events.size(), 12u);
  EXPECT_EQ(events[3]["stream"], "s-0");
  EXPECT_EQ(events[3]["type"], "Before");
  EXPECT_EQ(events[11]["stream"], "s-2");
  EXPECT_EQ(events[11]["type"], "After");
  EXPECT_EQ(subscriber->stderr_text(), "");  // --json: stdout has the events, nothing else
}

TEST_F(E2eSubscribeTest, CombinedFiltersReceiveOnlyMatchingEvents) {
  struct Planned {
    std::string stream, type;
  };
  const std::vector<Planned> plan = {
      {"case-KEN-2", "A"}, {"case-KEN-2", "C"}, {"other-1", "A"},      {"case-FRA-1", "B"},
      {"cases-1", "A"},   {"case-FRA-1", "A"}, {"case-KEN-2", "B"}, {"other-1", "B"},
      {"case-MEX-1", "D"}, {"case-MEX-1", "B"},
  };
  std::vector<uint64_t> expected;
  std::unique_ptr<Subprocess> subscriber;
  for (size_t i = 0; i < plan.size(); ++i) {
    if (i == 4) {  // half before the subscriber starts, half after
      subscriber = Subscribe(
          {"--json", "--stream-prefix", "case-", "--type", "A", "--type", "B", "--count", "5"});
      ASSERT_NE(subscriber, nullptr);
    }
    uint64_t position = Append(plan[i].stream, plan[i].type);
    if (plan[i].stream.rfind("case-", 0) == 0 && (plan[i].type == "A" || plan[i].type == "B")) {
      expected.push_back(position);
    }
  }
  ASSERT_EQ(expected.size(), 5u);
  EXPECT_EQ(Positions(EventsOf(*subscriber)), expected);

  // --stream is exact, and combines with --type.
  std::unique_ptr<Subprocess> one =
      Subscribe({"--json", "--stream", "case-KEN-2", "--type", "B", "--count", "1"});
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(Positions(EventsOf(*one)), (std::vector<uint64_t>{7}));
}

TEST_F(E2eSubscribeTest, FromPositionResumesExactly) {
  for (int i = 0; i < 10; ++i) Append(absl::StrCat("s-", i % 2), "E");
  std::unique_ptr<Subprocess> resumed = Subscribe({"--json", "--from", "4", "--count", "7"});
  ASSERT_NE(resumed, nullptr);
  EXPECT_EQ(Positions(EventsOf(*resumed)), (std::vector<uint64_t>{4, 5, 6, 7, 8, 9, 10}));
  std::unique_ptr<Subprocess> filtered =
      Subscribe({"--json", "--from", "6", "--stream", "s-1", "--count", "3"});
  ASSERT_NE(filtered, nullptr);
  EXPECT_EQ(Positions(EventsOf(*filtered)), (std::vector<uint64_t>{6, 8, 10}));

  for (const char* bad : {"0", "-1", "later"}) {
    IrmResult usage = Irm({"subscribe", "--from", bad});
    EXPECT_EQ(usage.exit_code, 2) << usage;
    EXPECT_THAT(usage.err, StartsWith("INVALID_ARGUMENT:")) << usage;
  }
}

// Human output: the read line per event, "caught up" once on stderr; SIGINT exits 0.
TEST_F(E2eSubscribeTest, HumanModeFollowsFromEndUntilInterrupted) {
  Append("old-1", "Old");
  std::unique_ptr<Subprocess> live = Subscribe({"--from", "end"});
  ASSERT_NE(live, nullptr);
  absl::StatusOr<std::string> caught_up = live->WaitForStderrLine("caught up", kPatience);
  ASSERT_TRUE(caught_up.ok()) << caught_up.status() << live->stderr_text();
  EXPECT_EQ(*caught_up, "caught up at position 1");
  Append("new-1", "New");
  for (absl::Time end = absl::Now() + kPatience;
       live->stdout_text().empty() && absl::Now() < end;) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  live->Kill(SIGINT);
  absl::StatusOr<int> exit = live->Wait(kPatience);
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(*exit, 0) << live->stderr_text();
  std::vector<std::string> lines = Lines(live->stdout_text());
  ASSERT_EQ(lines.size(), 1u) << live->stdout_text();
  EXPECT_THAT(lines[0], HasSubstr("new-1@0"));
  EXPECT_THAT(lines[0], HasSubstr("New"));
}

TEST_F(E2eSubscribeTest, ProjectionCatchesUpAndRebuildsToTheSameDigest) {
  for (int i = 0; i < 30; ++i) Append(absl::StrCat("case-", i % 4), "Step");
  json row = ProjectionAtHead();
  EXPECT_EQ(row["head"], 30);
  EXPECT_EQ(row["error"], "");
  std::vector<json> rebuilt = IrmJson({"admin", "rebuild", "stream_stats"});
  ASSERT_EQ(rebuilt.size(), 1u);
  EXPECT_EQ(rebuilt[0]["name"], "stream_stats");
  EXPECT_EQ(rebuilt[0]["events"], 30);
  EXPECT_EQ(rebuilt[0]["equal"], true);
  EXPECT_EQ(rebuilt[0]["digest_before"], row["digest"]);
  EXPECT_EQ(rebuilt[0]["digest_after"], row["digest"]);

  IrmResult human = Irm({"admin", "rebuild", "stream_stats"});
  EXPECT_EQ(human.exit_code, 0) << human;
  EXPECT_THAT(human.out, StartsWith("rebuilt stream_stats: 30 events in ")) << human;
  EXPECT_THAT(human.out, HasSubstr("— equal")) << human;
  IrmResult table = Irm({"admin", "projections"});
  EXPECT_THAT(table.out, HasSubstr(row["digest"].get<std::string>().substr(0, 16))) << table;
  IrmResult unknown = Irm({"admin", "rebuild", "no_such_projection"});
  EXPECT_THAT(unknown.err, StartsWith("NOT_FOUND:")) << unknown;
}

// Writes `count` importable events of round `round` to `path`: 40 streams bulkROUND-K in
// runs of 100 events each, so `irm import` appends them in batches of 100.
void WriteBulkImport(const std::string& path, int round, int count) {
  std::ofstream out(path);
  for (int i = 0; i < count; ++i) {
    out << json{{"position", i + 1},
                {"stream", absl::StrCat("bulk", round, "-", (i / 100) % 40)},
                {"revision", (i / 4000) * 100 + i % 100},
                {"id", absl::StrFormat("00000000-0000-4000-8%03x-%012x", round, i)},
                {"type", i % 3 == 0 ? "Counted" : "Noted"},
                {"data", {{"i", i}}}}
               .dump()
        << "\n";
  }
}

// kill -9 while the projection lags behind a bulk import; after each restart the projection
// catches up and its state equals a rebuild from the log. Lag is polled over gRPC (a
// spawned `irm` is too slow to catch the projection behind).
TEST_F(E2eSubscribeTest, ProjectionSurvivesKillNineDuringUpdates) {
  constexpr int kRounds = 4;
  std::mt19937 rng(std::random_device{}());
  int killed_lagging = 0;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(::testing::Message() << "round " << round);
    const std::string file = dir_.Sub(absl::StrCat("bulk-", round, ".jsonl"));
    WriteBulkImport(file, round, 20000);
    auto admin = api::v1::AdminService::NewStub(
        grpc::CreateChannel(irmd_->address(), grpc::InsecureChannelCredentials()));
    api::v1::ListProjectionsResponse seen;
    grpc::ClientContext first;
    ASSERT_TRUE(admin->ListProjections(&first, {}, &seen).ok());
    const uint64_t threshold = seen.head() + std::uniform_int_distribution<int>(500, 15000)(rng);
    SubprocessOptions options;
    options.argv = {IrmPath(), "--server", irmd_->address(), "import", file};
    options.env = {"IRM_SERVER=", "IRM_TOKEN="};
    absl::StatusOr<std::unique_ptr<Subprocess>> import = Subprocess::Start(options);
    ASSERT_TRUE(import.ok()) << import.status();

    // Kill once the import is some way in and the projection is behind the head.
    for (absl::Time end = absl::Now() + kPatience; absl::Now() < end;) {
      grpc::ClientContext context;
      ASSERT_TRUE(admin->ListProjections(&context, {}, &seen).ok());
      const api::v1::ProjectionLag& lag = seen.projections(0);
      if (seen.head() >= threshold && lag.lag_events() > 0) break;
      if ((*import)->Wait(absl::ZeroDuration()).ok()) break;  // finished: kill anyway
    }
    ASSERT_TRUE(irmd_->Kill9().ok());
    killed_lagging += seen.projections(0).lag_events() > 0 ? 1 : 0;
    std::cout << "round " << round << ": killed at head " << seen.head() << ", projection at "
              << seen.projections(0).checkpoint() << std::endl;
    ASSERT_TRUE((*import)->Wait(kPatience).ok());
    irmd_.reset();
    ASSERT_NO_FATAL_FAILURE(StartServer());

    json row = ProjectionAtHead();
    std::vector<json> rebuilt = IrmJson({"admin", "rebuild", "stream_stats"});
    ASSERT_EQ(rebuilt.size(), 1u);
    EXPECT_EQ(rebuilt[0]["equal"], true) << rebuilt[0];
    EXPECT_EQ(rebuilt[0]["events"], row["head"]);
    EXPECT_EQ(rebuilt[0]["digest_after"], row["digest"]);
  }
  EXPECT_GT(killed_lagging, 0) << "the projection never lagged when irmd was killed";
}

TEST_F(E2eSubscribeTest, SigtermEndsLiveSubscriptionWithUnavailable) {
  Append("s-1", "E");
  std::unique_ptr<Subprocess> live = Subscribe({"--from", "end"});
  ASSERT_NE(live, nullptr);
  ASSERT_TRUE(live->WaitForStderrLine("caught up", kPatience).ok()) << live->stderr_text();
  absl::Status stopped = irmd_->Stop();
  EXPECT_TRUE(stopped.ok()) << stopped;
  irmd_.reset();
  absl::StatusOr<int> exit = live->Wait(kPatience);
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(*exit, 1) << live->stderr_text();
  std::vector<std::string> lines = Lines(live->stderr_text());
  ASSERT_FALSE(lines.empty());
  EXPECT_THAT(lines.back(), StartsWith("UNAVAILABLE:"));
  EXPECT_THAT(lines.back(), HasSubstr("resubscribe from position 2"));
}

}  // namespace
}  // namespace irm::tests
