// Running irmd for real, end to end: Prometheus metrics scraped over HTTP change as events
// are appended and subscribers connect; stderr is JSON lines with a request id per call.
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/support/http_get.h"
#include "tests/support/irmd_process.h"
#include "tests/support/run_irm.h"
#include "tests/support/served_log.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

using ::testing::HasSubstr;

// The JSON records on irmd's stderr; the plain "irmd listening on" line is skipped.
std::vector<nlohmann::json> JsonRecords(const std::string& stderr_text) {
  std::vector<nlohmann::json> records;
  for (absl::string_view line : absl::StrSplit(stderr_text, '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, "irmd listening on ")) continue;
    records.push_back(nlohmann::json::parse(line));  // throws, failing the test, if not JSON
  }
  return records;
}

// One scrape: "name{label="v",...}" text exposition parsed into samples.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

std::vector<Sample> Scrape(const std::string& address) {
  absl::StatusOr<HttpResponse> response = HttpGet(address, "/metrics");
  EXPECT_TRUE(response.ok()) << response.status();
  if (!response.ok()) return {};
  EXPECT_EQ(response->status, 200);
  std::vector<Sample> samples;
  for (absl::string_view line : absl::StrSplit(response->body, '\n', absl::SkipEmpty())) {
    if (line[0] == '#') continue;
    Sample sample;
    size_t brace = line.find('{');
    size_t space = line.rfind(' ');
    sample.name = std::string(line.substr(0, std::min(brace, line.find(' '))));
    if (brace != absl::string_view::npos) {
      absl::string_view labels = line.substr(brace + 1, line.rfind('}') - brace - 1);
      for (absl::string_view pair : absl::StrSplit(labels, "\",", absl::SkipEmpty())) {
        size_t eq = pair.find("=\"");
        std::string value(pair.substr(eq + 2));
        if (!value.empty() && value.back() == '"') value.pop_back();
        sample.labels[std::string(pair.substr(0, eq))] = value;
      }
    }
    EXPECT_TRUE(absl::SimpleAtod(line.substr(space + 1), &sample.value)) << line;
    samples.push_back(std::move(sample));
  }
  return samples;
}

// The value of the one sample named `name` whose labels include `labels`; -1 if none.
double Value(const std::vector<Sample>& samples, const std::string& name,
             const std::map<std::string, std::string>& labels = {}) {
  for (const Sample& sample : samples) {
    if (sample.name != name) continue;
    bool match = true;
    for (const auto& [key, value] : labels) {
      auto it = sample.labels.find(key);
      match = match && it != sample.labels.end() && it->second == value;
    }
    if (match) return sample.value;
  }
  return -1;
}

class E2eMetricsTest : public ServedLogTest {
 protected:
  E2eMetricsTest() : ServedLogTest("irm-e2e-ops") {}

  // irmd with --metrics on a free loopback port; metrics_ is that port's address.
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartServer({"--metrics", "127.0.0.1:0"}));
    metrics_ = irmd_->metrics_address();
    ASSERT_FALSE(metrics_.empty()) << irmd_->stderr_text();
  }
  std::string metrics_;
};

TEST_F(E2eMetricsTest, SeriesFollowAppendsRefusalsAndSubscribers) {
  std::vector<Sample> before = Scrape(metrics_);
  EXPECT_EQ(Value(before, "irm_log_head_position"), 0);
  EXPECT_EQ(Value(before, "irm_appended_events_total"), 0);
  EXPECT_EQ(Value(before, "irm_append_duration_seconds_count"), 0);
  EXPECT_EQ(Value(before, "irm_subscriptions"), 0);
  EXPECT_EQ(Value(before, "irm_projection_lag_events", {{"projection", "stream_stats"}}), 0);
  EXPECT_GT(Value(before, "irm_log_disk_bytes"), 0);  // RocksDB's files exist from the start

  for (int i = 0; i < 5; ++i) {
    IrmResult appended = Irm({"append", "order-1", "Placed", "--data", "{\"n\":1}"});
    ASSERT_EQ(appended.exit_code, 0) << appended;
  }
  IrmResult refused = Irm({"append", "order-1", "Placed", "--expect", "no_stream"});
  ASSERT_NE(refused.exit_code, 0) << refused;
  EXPECT_THAT(refused.err, HasSubstr("ABORTED"));

  // A live subscriber, caught up at the head.
  SubprocessOptions options;
  options.argv = {IrmPath(), "--server", irmd_->address(), "subscribe", "--from", "start"};
  auto subscriber = Subprocess::Start(options);
  ASSERT_TRUE(subscriber.ok()) << subscriber.status();

  std::vector<Sample> after;
  // Projections and the subscriber catch up asynchronously; poll for up to 10 s.
  for (absl::Time deadline = absl::Now() + absl::Seconds(10); absl::Now() < deadline;
       absl::SleepFor(absl::Milliseconds(100))) {
    after = Scrape(metrics_);
    if (Value(after, "irm_subscriptions") == 1 &&
        Value(after, "irm_projection_checkpoint_position", {{"projection", "stream_stats"}}) == 5) {
      break;
    }
  }
  EXPECT_EQ(Value(after, "irm_log_head_position"), 5);
  EXPECT_EQ(Value(after, "irm_appended_events_total"), 5);
  EXPECT_EQ(Value(after, "irm_append_requests_total", {{"code", "OK"}}), 5);
  EXPECT_EQ(Value(after, "irm_append_requests_total", {{"code", "ABORTED"}}), 1);
  EXPECT_EQ(Value(after, "irm_append_duration_seconds_count"), 6);
  EXPECT_GT(Value(after, "irm_append_duration_seconds_sum"), 0);
  EXPECT_EQ(Value(after, "irm_append_duration_seconds_bucket", {{"le", "+Inf"}}), 6);
  EXPECT_EQ(Value(after, "irm_requests_total", {{"method", "LogService/Append"}, {"code", "OK"}}),
            5);
  EXPECT_EQ(
      Value(after, "irm_requests_total", {{"method", "LogService/Append"}, {"code", "ABORTED"}}),
      1);
  EXPECT_EQ(Value(after, "irm_request_duration_seconds_count", {{"method", "LogService/Append"}}),
            6);
  EXPECT_EQ(Value(after, "irm_subscriptions"), 1);
  EXPECT_EQ(Value(after, "irm_subscription_lag_events"), 0);
  for (const char* projection : {"stream_stats", "reviews", "needs"}) {
    EXPECT_EQ(Value(after, "irm_projection_checkpoint_position", {{"projection", projection}}), 5)
        << projection;
    EXPECT_EQ(Value(after, "irm_projection_lag_events", {{"projection", projection}}), 0);
    EXPECT_EQ(Value(after, "irm_projection_failed", {{"projection", projection}}), 0);
  }
  (*subscriber)->Kill(SIGTERM);
  (void)(*subscriber)->Wait(absl::Seconds(10));
}

TEST_F(E2eMetricsTest, UnknownPathIsNotFound) {
  absl::StatusOr<HttpResponse> response = HttpGet(metrics_, "/nothing-here");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 404);
}

TEST(E2eMetricsFlagTest, BusyMetricsPortStopsIrmdWithAMessage) {
  TempDir dir("irm-e2e-ops");
  auto first = IrmdProcess::Start(dir.Sub("a"), {"--metrics", "127.0.0.1:0"});
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string taken = (*first)->metrics_address();
  SubprocessOptions options;
  options.argv = {IrmdPath(), "--data", dir.Sub("b"), "--listen", "127.0.0.1:0", "--metrics", taken};
  auto second = Subprocess::Start(options);
  ASSERT_TRUE(second.ok());
  absl::StatusOr<int> status = (*second)->Wait(absl::Seconds(20));
  ASSERT_TRUE(status.ok()) << (*second)->stderr_text();
  EXPECT_EQ(*status, 1);
  EXPECT_THAT((*second)->stderr_text(), HasSubstr("cannot serve metrics on " + taken));
  EXPECT_TRUE((*first)->Stop().ok());
}

// Logs: every stderr line but the announcement is a JSON record; calls carry request ids.
TEST(E2eLogsTest, DebugLevelLogsEveryCallWithItsRequestId) {
  TempDir dir("irm-e2e-ops");
  auto irmd = IrmdProcess::Start(dir.Sub("data"), {"--log-level", "debug"});
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  auto stub = api::v1::LogService::NewStub(
      grpc::CreateChannel((*irmd)->address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.AddMetadata("x-request-id", "e2e-request-7");
  api::v1::LogInfo info;
  ASSERT_TRUE(stub->GetLogInfo(&context, api::v1::GetLogInfoRequest(), &info).ok());
  auto echoed = context.GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(echoed, context.GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(echoed->second.data(), echoed->second.size()), "e2e-request-7");
  IrmResult refused = RunIrm((*irmd)->address(), {"read", "no-such-stream"});
  EXPECT_NE(refused.exit_code, 0);
  ASSERT_TRUE((*irmd)->Stop().ok());

  std::vector<nlohmann::json> records = JsonRecords((*irmd)->stderr_text());
  const nlohmann::json* call = nullptr;
  const nlohmann::json* failed = nullptr;
  std::vector<std::string> messages;
  for (const nlohmann::json& record : records) {
    for (const char* key : {"time", "level", "message", "fields"}) {
      ASSERT_TRUE(record.contains(key)) << record.dump();
    }
    messages.push_back(record["message"]);
    if (record["fields"].value("request_id", "") == "e2e-request-7") call = &record;
    if (record["fields"].value("code", "") == "NOT_FOUND") failed = &record;
  }
  EXPECT_THAT(messages, ::testing::IsSupersetOf({"serving", "draining in-flight calls", "stopped"}));
  ASSERT_NE(call, nullptr) << (*irmd)->stderr_text();
  EXPECT_EQ((*call)["level"], "debug");
  EXPECT_EQ((*call)["fields"]["method"], "/irm.api.v1.LogService/GetLogInfo");
  EXPECT_EQ((*call)["fields"]["code"], "OK");
  EXPECT_THAT((*call)["fields"]["peer"].get<std::string>(), HasSubstr("127.0.0.1"));
  EXPECT_GE((*call)["fields"]["duration_ms"].get<double>(), 0);
  ASSERT_NE(failed, nullptr) << (*irmd)->stderr_text();
  EXPECT_EQ((*failed)["level"], "info");
  EXPECT_EQ((*failed)["fields"]["request_id"].get<std::string>().size(), 36u);  // made up: a UUID
}

TEST(E2eLogsTest, InfoLevelHidesSuccessfulCallsAndErrorLevelHidesInfo) {
  TempDir dir("irm-e2e-ops");
  auto info = IrmdProcess::Start(dir.Sub("data"), {});
  ASSERT_TRUE(info.ok()) << info.status();
  ASSERT_EQ(RunIrm((*info)->address(), {"append", "s-1", "T"}).exit_code, 0);
  ASSERT_TRUE((*info)->Stop().ok());
  for (const nlohmann::json& record : JsonRecords((*info)->stderr_text())) {
    EXPECT_NE(record["level"], "debug") << record.dump();
    EXPECT_NE(record["message"], "call") << record.dump();
  }
  auto quiet = IrmdProcess::Start(dir.Sub("data"), {"--log-level", "error"});
  ASSERT_TRUE(quiet.ok()) << quiet.status();
  ASSERT_TRUE((*quiet)->Stop().ok());
  EXPECT_TRUE(JsonRecords((*quiet)->stderr_text()).empty()) << (*quiet)->stderr_text();
}

// The command names listed by `irm --help` ("append", "review schedule", ...).
std::vector<std::string> IrmCommands() {
  IrmResult help = RunIrm("127.0.0.1:1", {"--help"});
  EXPECT_EQ(help.exit_code, 0) << help;
  std::vector<std::string> names;
  bool in_commands = false;
  for (const std::string& line : Lines(help.out)) {
    if (line == "Commands:") {
      in_commands = true;
    } else if (in_commands && line.empty()) {
      break;
    } else if (in_commands && absl::StartsWith(line, "  ")) {
      names.push_back(line.substr(2, line.find("  ", 2) - 2));  // name, two spaces, summary
    }
  }
  return names;
}

TEST(E2eCliTest, EveryCommandHasHelpWithExamples) {
  std::vector<std::string> names = IrmCommands();
  ASSERT_GT(names.size(), 20u);
  std::set<std::string> groups;
  for (const std::string& name : names) {
    std::vector<std::string> args = absl::StrSplit(name, ' ');
    if (args.size() > 1) groups.insert(args[0]);
    args.push_back("--help");
    IrmResult help = RunIrm("127.0.0.1:1", args);
    EXPECT_EQ(help.exit_code, 0) << name << ": " << help;
    EXPECT_THAT(help.out, HasSubstr("Usage: irm " + name)) << name;
    EXPECT_THAT(help.out, HasSubstr("\nExamples:\n  irm ")) << name << " has no examples";
  }
  for (const std::string& group : groups) {
    IrmResult help = RunIrm("127.0.0.1:1", {group, "--help"});
    EXPECT_EQ(help.exit_code, 0) << group << ": " << help;
    EXPECT_THAT(help.out, HasSubstr("\nExamples:\n  irm " + group)) << group;
  }
  EXPECT_THAT(RunIrm("127.0.0.1:1", {"--help"}).out, HasSubstr("\nExamples:\n  irm "));
}

// Runs `script` in bash with the completion script sourced; returns stdout.
std::string Bash(const std::string& completion_file, const std::string& script) {
  SubprocessOptions options;
  options.argv = {"/bin/bash", "--norc", "--noprofile", "-c",
                  absl::StrCat("source ", completion_file, "\n", script)};
  auto bash = Subprocess::Start(options);
  EXPECT_TRUE(bash.ok()) << bash.status();
  if (!bash.ok()) return "";
  absl::StatusOr<int> status = (*bash)->Wait(absl::Seconds(20));
  EXPECT_TRUE(status.ok() && *status == 0) << (*bash)->stderr_text();
  return (*bash)->stdout_text();
}

TEST(E2eCliTest, BashCompletionIsValidBashAndCompletes) {
  IrmResult script = RunIrm("127.0.0.1:1", {"completion", "bash"});
  ASSERT_EQ(script.exit_code, 0) << script;
  TempDir dir("irm-e2e-ops");
  const std::string file = dir.Sub("irm.bash");
  std::ofstream(file) << script.out;

  SubprocessOptions check;
  check.argv = {"/bin/bash", "-n", file};
  auto syntax = Subprocess::Start(check);
  ASSERT_TRUE(syntax.ok());
  absl::StatusOr<int> status = (*syntax)->Wait(absl::Seconds(20));
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(*status, 0) << (*syntax)->stderr_text();

  auto complete = [&](const std::string& words, int cword) {
    return Bash(file, absl::StrCat("COMP_WORDS=(", words, "); COMP_CWORD=", cword,
                                   "; _irm; echo \"${COMPREPLY[*]}\""));
  };
  EXPECT_EQ(complete("irm rev", 1), "review reviews\n");
  EXPECT_THAT(complete("irm review sch", 2), HasSubstr("schedule"));
  EXPECT_EQ(complete("irm --server h:1 review assign", 4), "assign-reviewers\n");
  EXPECT_EQ(complete("irm read mystream --fr", 3), "--from\n");
  EXPECT_THAT(complete("irm append s T --", 4), HasSubstr("--expect"));
  EXPECT_THAT(complete("irm append s T --", 4), HasSubstr("--server"));
  EXPECT_EQ(complete("irm completion", 1), "completion\n");
  EXPECT_EQ(Bash(file, "complete -p irm"), "complete -F _irm irm\n");

  IrmResult zsh = RunIrm("127.0.0.1:1", {"completion", "zsh"});
  EXPECT_EQ(zsh.exit_code, 2);
  EXPECT_THAT(zsh.err, HasSubstr("bash"));
}

// Progress lines ("\r\033[K[####----]  33% exported 1 events") appear only when stderr is a
// terminal: under script(1), which gives irm a pseudo-terminal, and never through a pipe.
TEST(E2eCliTest, ExportAndImportDrawProgressOnlyOnATerminal) {
  if (access("/usr/bin/script", X_OK) != 0) GTEST_SKIP() << "script(1) (util-linux) is missing";
  TempDir dir("irm-e2e-ops");
  auto irmd = IrmdProcess::Start(dir.Sub("data"));
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(RunIrm((*irmd)->address(), {"append", absl::StrCat("s-", i), "T"}).exit_code, 0);
  }
  const std::string file = dir.Sub("events.jsonl");
  auto on_terminal = [&](const std::string& command) {
    SubprocessOptions options;
    options.argv = {"/usr/bin/script", "-q", "-e", "-c",
                    absl::StrCat(IrmPath(), " --server ", (*irmd)->address(), " ", command),
                    "/dev/null"};
    auto script = Subprocess::Start(options);
    EXPECT_TRUE(script.ok());
    if (!script.ok()) return std::string();
    absl::StatusOr<int> status = (*script)->Wait(absl::Seconds(30));
    EXPECT_TRUE(status.ok() && *status == 0) << (*script)->stdout_text();
    return (*script)->stdout_text();
  };
  const std::string exported = on_terminal("export --output " + file);
  EXPECT_THAT(exported, HasSubstr("\r\033[K["));
  EXPECT_THAT(exported, HasSubstr("% exported "));
  EXPECT_THAT(exported, HasSubstr("exported 3 events (positions 1..3)"));
  const std::string imported = on_terminal("import " + file);
  EXPECT_THAT(imported, HasSubstr("% imported "));
  EXPECT_THAT(imported, HasSubstr("imported 0 events (3 already present)"));

  IrmResult piped = RunIrm((*irmd)->address(), {"export", "--output", file});
  ASSERT_EQ(piped.exit_code, 0) << piped;
  EXPECT_EQ(piped.err, "exported 3 events (positions 1..3)\n");  // no progress, just the summary
  EXPECT_TRUE((*irmd)->Stop().ok());
}

}  // namespace
}  // namespace irm::tests
