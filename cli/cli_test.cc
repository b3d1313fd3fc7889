// In-process tests of the `irm` command table, flag parsing and import batching. Nothing
// here talks to a server; end-to-end tests live in tests/.
#include <sstream>
#include <string>
#include <vector>

#include "cli/core/cli_status.h"
#include "cli/core/command.h"
#include "cli/core/event_text.h"
#include "cli/core/flags.h"
#include "cli/test_support.h"
#include "cli/admin/transfer_commands.h"
#include "engine/common/uuid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A registry with a "greet NAME [--loud]" command and a "review schedule STATE" group.
class CommandRegistryTest : public ::testing::Test {
 protected:
  CommandRegistryTest() {
    registry_.Add(Command{"greet",
                          "NAME",
                          "Say hello",
                          "",
                          {{"loud", "", "shout"}},
                          {"irm greet Ana"},
                          1,
                          1,
                          [this](CommandEnv& env) {
                            server_ = env.connection.options().server;
                            env.out << (env.args.Has("loud") ? "HELLO " : "hello ")
                                    << env.args.positional()[0] << (env.json() ? " {}" : "");
                            return absl::OkStatus();
                          }});
    registry_.Add(Command{
        "review schedule", "STATE", "Schedule a review", "", {}, {}, 1, 1, [](CommandEnv& env) {
          return absl::NotFoundError("no KEN");
        }});
  }

  RunResult Run(const std::vector<std::string>& args) { return RunCaptured(registry_, args); }

  CommandRegistry registry_;
  std::string server_;
};

TEST_F(CommandRegistryTest, RunsCommandWithGlobalFlagsAnywhere) {
  RunResult r = Run({"--server", "h:1", "greet", "Ana", "--loud", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "HELLO Ana {}");
  EXPECT_EQ(server_, "h:1");
  EXPECT_EQ(Run({"greet", "--server=h:2", "Ana"}).out, "hello Ana");
  EXPECT_EQ(server_, "h:2");
}

TEST_F(CommandRegistryTest, UnknownFlagIsAUsageError) {
  RunResult r = Run({"greet", "Ana", "--foo"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "INVALID_ARGUMENT: unknown flag --foo for 'irm greet'; see 'irm greet --help'\n");
}

TEST_F(CommandRegistryTest, UnknownCommandAndWrongArgumentsAreUsageErrors) {
  EXPECT_EQ(Run({"frobnicate"}).err,
            "INVALID_ARGUMENT: unknown command 'frobnicate'; see 'irm --help'\n");
  EXPECT_EQ(Run({}).exit_code, 2);
  RunResult r = Run({"greet"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("'irm greet' takes arguments NAME, got 0"));
  EXPECT_THAT(Run({"review"}).err, HasSubstr("'irm review' needs a subcommand"));
  EXPECT_THAT(Run({"review", "plan"}).err, HasSubstr("unknown command 'irm review plan'"));
}

TEST_F(CommandRegistryTest, HelpEverywhere) {
  RunResult top = Run({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_THAT(top.out, HasSubstr("greet"));
  EXPECT_THAT(top.out, HasSubstr("review schedule"));
  RunResult greet = Run({"greet", "-h"});
  EXPECT_EQ(greet.exit_code, 0);
  EXPECT_THAT(greet.out, StartsWith("Usage: irm greet NAME [flags]"));
  EXPECT_THAT(greet.out, HasSubstr("--loud"));
  EXPECT_THAT(greet.out, HasSubstr("irm greet Ana"));
  EXPECT_THAT(Run({"review", "--help"}).out, HasSubstr("irm review schedule STATE"));
}

TEST_F(CommandRegistryTest, CommandFailureIsOneStatusLineAndExitOne) {
  RunResult r = Run({"review", "schedule", "KEN"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "NOT_FOUND: no KEN\n");
}

TEST(FlagsTest, ParsesValuesSwitchesAndPositionals) {
  std::vector<FlagSpec> specs = {{"from", "N", ""}, {"backwards", "", ""}, {"data", "J", ""}};
  absl::StatusOr<ParsedArgs> args =
      ParseFlags({"s", "--from", "3", "--backwards", "--data", "-", "--", "--x"}, specs, "irm t");
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->positional(), (std::vector<std::string>{"s", "--x"}));
  EXPECT_EQ(**args->Uint64("from"), 3u);
  EXPECT_TRUE(args->Has("backwards"));
  EXPECT_EQ(args->Value("data"), "-");
}

TEST(FlagsTest, RejectsBadValues) {
  std::vector<FlagSpec> specs = {{"from", "N", ""}, {"backwards", "", ""}};
  absl::StatusOr<ParsedArgs> args = ParseFlags({"--from", "-1"}, specs, "irm t");
  ASSERT_TRUE(args.ok());
  EXPECT_TRUE(IsUsageError(args->Uint64("from").status()));
  EXPECT_TRUE(IsUsageError(ParseFlags({"--from"}, specs, "irm t").status()));
  EXPECT_TRUE(IsUsageError(ParseFlags({"--backwards=1"}, specs, "irm t").status()));
}

TEST(StatusLineTest, OneLineWithCodeName) {
  EXPECT_EQ(StatusLine(absl::AbortedError("a\nb")), "ABORTED: a b");
  EXPECT_EQ(ExitCode(absl::AbortedError("x")), 1);
  EXPECT_EQ(ExitCode(UsageError("x")), 2);
}

TEST(EventTextTest, TruncatesOnCharacterBoundaries) {
  EXPECT_EQ(TruncateUtf8("abc", 3), "abc");
  EXPECT_EQ(TruncateUtf8("abcd", 3), "abc…");
  EXPECT_EQ(TruncateUtf8("ééé", 2), "éé…");
}

TEST(BuildImportRequestTest, KeepsIdsAndOriginAndExpectsThePriorRevision) {
  std::vector<event::v1::EventRecord> events(2);
  for (int i = 0; i < 2; ++i) {
    events[i].set_position(10 + i);
    events[i].set_stream("review-KEN-2");
    events[i].set_revision(3 + i);
    events[i].set_id(common::Uuid::Random().Bytes());
    events[i].set_type("T");
    events[i].set_content_type(event::v1::CONTENT_TYPE_JSON);
    events[i].set_data("{}");
    events[i].mutable_metadata()->set_correlation_id("c");
    events[i].mutable_metadata()->set_custom_json("{\"k\":1}");
    events[i].mutable_metadata()->set_recorded_at_us(5);
  }
  api::v1::AppendRequest request = BuildImportRequest(events);
  EXPECT_TRUE(request.import());
  EXPECT_EQ(request.expected_case(), api::v1::AppendRequest::kExpectedRevision);
  EXPECT_EQ(request.expected_revision(), 2u);
  ASSERT_EQ(request.events_size(), 2);
  EXPECT_EQ(request.events(1).id(), events[1].id());  // 16 raw bytes, as stored
  EXPECT_EQ(request.events(1).correlation_id(), "c");
  EXPECT_EQ(request.events(1).custom_json(), "{\"k\":1}");
  EXPECT_EQ(request.events(1).imported_from().position(), 11u);
  EXPECT_EQ(request.events(1).imported_from().metadata().recorded_at_us(), 5);

  events[0].set_revision(0);
  EXPECT_EQ(BuildImportRequest({events[0]}).expected_case(), api::v1::AppendRequest::kNoStream);
}

}  // namespace
}  // namespace irm::cli
