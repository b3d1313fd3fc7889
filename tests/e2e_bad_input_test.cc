// The bad-input sweep: missing, oversized, malformed and hostile values sent to every RPC
// of LogService, ReviewService, ReportService and AdminService on the real irmd, and to key
// irm commands. Each must get the documented code with a message naming the problem, and
// the log's head must not move (a rejected request appends nothing).
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "irm/api/v1/admin.grpc.pb.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "irm/api/v1/report.grpc.pb.h"
#include "irm/api/v1/review.grpc.pb.h"
#include "tests/support/irmd_process.h"
#include "tests/support/run_irm.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

using namespace api::v1;  // NOLINT: request types of the four services
using ::testing::HasSubstr;

std::string Hostile(size_t bytes) { return std::string(bytes, 'x'); }

class BadInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("irm-bad-input");
    auto started = IrmdProcess::Start(dir_->Sub("data"));
    ASSERT_TRUE(started.ok()) << started.status();
    irmd_ = started->release();
    grpc::ChannelArguments arguments;
    arguments.SetMaxSendMessageSize(64 << 20);
    channel_ = new std::shared_ptr<grpc::Channel>(grpc::CreateCustomChannel(
        irmd_->address(), grpc::InsecureChannelCredentials(), arguments));
    // Something to refer to: one stream with one event, one scheduled review.
    grpc::Status seeded = Append(OneEvent("sweep-1", "Seeded", "{}"));
    ASSERT_TRUE(seeded.ok()) << seeded.error_message();
    ReviewCommand schedule = Command();
    schedule.mutable_schedule()->set_year(1);
    grpc::Status scheduled = Execute(schedule);
    ASSERT_TRUE(scheduled.ok()) << scheduled.error_message();
  }
  static void TearDownTestSuite() {
    EXPECT_TRUE(irmd_->Stop().ok());
    delete irmd_;
    delete channel_;
    delete dir_;
  }

  void SetUp() override { head_before_ = Head(); }
  void TearDown() override { EXPECT_EQ(Head(), head_before_) << "a rejected request appended"; }

  static uint64_t Head() {
    LogService::Stub stub(*channel_);
    grpc::ClientContext context;
    LogInfo info;
    EXPECT_TRUE(stub.GetLogInfo(&context, {}, &info).ok());
    return info.head_position();
  }

  // The status of the unary RPC `method` (e.g. &LogService::Stub::Append) called with
  // `request` on a fresh stub over channel_, with a 20 s deadline.
  template <typename Stub, typename Request, typename Response>
  static grpc::Status Call(
      grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
      const Request& request) {
    Stub stub(*channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    Response response;
    return (stub.*method)(&context, request, &response);
  }

  // The final status of the server-streaming RPC `method` called with `request`, after
  // reading every response; the call is cancelled after `patience`.
  template <typename Stub, typename Request, typename Response>
  static grpc::Status CallStreamed(
      std::unique_ptr<grpc::ClientReader<Response>> (Stub::*method)(grpc::ClientContext*,
                                                                    const Request&),
      const Request& request, std::chrono::seconds patience = std::chrono::seconds(20)) {
    Stub stub(*channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + patience);
    std::unique_ptr<grpc::ClientReader<Response>> reader = (stub.*method)(&context, request);
    Response response;
    while (reader->Read(&response)) {
    }
    return reader->Finish();
  }

  static grpc::Status Append(const AppendRequest& request) {
    return Call(&LogService::Stub::Append, request);
  }
  static grpc::Status Execute(const ReviewCommand& request) {
    return Call(&ReviewService::Stub::Execute, request);
  }

  // A review command for `state`'s review in cycle 2, with no command set yet.
  static ReviewCommand Command(const std::string& state = "KEN") {
    ReviewCommand command;
    command.set_state(state);
    command.set_cycle(2);
    return command;
  }

  static AppendRequest OneEvent(const std::string& stream, const std::string& type,
                                const std::string& data) {
    AppendRequest request;
    request.set_stream(stream);
    ProposedEvent* event = request.add_events();
    event->set_type(type);
    event->set_content_type(event::v1::CONTENT_TYPE_JSON);
    event->set_data(data);
    return request;
  }

  static TempDir* dir_;
  static IrmdProcess* irmd_;
  static std::shared_ptr<grpc::Channel>* channel_;
  uint64_t head_before_ = 0;
};

TempDir* BadInputTest::dir_ = nullptr;
IrmdProcess* BadInputTest::irmd_ = nullptr;
std::shared_ptr<grpc::Channel>* BadInputTest::channel_ = nullptr;

#define EXPECT_REFUSED(status_expr, code, text)                                         \
  do {                                                                                  \
    grpc::Status s_ = (status_expr);                                                    \
    EXPECT_EQ(s_.error_code(), grpc::StatusCode::code) << #status_expr << ": "          \
                                                       << s_.error_message();           \
    EXPECT_THAT(s_.error_message(), HasSubstr(text)) << #status_expr;                   \
  } while (false)

TEST_F(BadInputTest, AppendRefusesBadStreamsTypesDataAndIds) {
  EXPECT_REFUSED(Append(OneEvent("", "T", "{}")), INVALID_ARGUMENT, "stream");
  EXPECT_REFUSED(Append(OneEvent("$all", "T", "{}")), INVALID_ARGUMENT, "$");
  EXPECT_REFUSED(Append(OneEvent(Hostile(201), "T", "{}")), INVALID_ARGUMENT, "200");
  EXPECT_REFUSED(Append(OneEvent("a/../../etc", "T", "{}")), INVALID_ARGUMENT, "stream");
  EXPECT_REFUSED(Append(OneEvent(std::string("a\0b", 3), "T", "{}")), INVALID_ARGUMENT, "stream");
  EXPECT_REFUSED(Append(OneEvent("sweep-2", "", "{}")), INVALID_ARGUMENT, "type");
  EXPECT_REFUSED(Append(OneEvent("sweep-2", "1Bad", "{}")), INVALID_ARGUMENT, "type");
  EXPECT_REFUSED(Append(OneEvent("sweep-2", Hostile(129), "{}")), INVALID_ARGUMENT, "128");
  EXPECT_REFUSED(Append(OneEvent("sweep-2", "T", "")), INVALID_ARGUMENT, "empty");
  EXPECT_REFUSED(Append(OneEvent("sweep-2", "T", "{")), INVALID_ARGUMENT, "JSON");
  EXPECT_REFUSED(Append(OneEvent("sweep-2", "T", "\"\xff\xfe\"")), INVALID_ARGUMENT, "JSON");
  EXPECT_REFUSED(Append(OneEvent("sweep-2", "T", "[" + std::string(100000, '[') )),
                 INVALID_ARGUMENT, "JSON");
  // Well-formed but 200,000 levels deep: once a crash (nlohmann's printer recursed per level).
  EXPECT_REFUSED(Append(OneEvent("sweep-2", "T", std::string(200000, '[') + std::string(200000, ']'))),
                 INVALID_ARGUMENT, "at most 512 levels");
  EXPECT_REFUSED(Append(OneEvent("sweep-2", "T", "\"" + Hostile(2 << 20) + "\"")),
                 INVALID_ARGUMENT, "1048576");

  AppendRequest no_events;
  no_events.set_stream("sweep-2");
  EXPECT_REFUSED(Append(no_events), INVALID_ARGUMENT, "event");

  AppendRequest bad_id = OneEvent("sweep-2", "T", "{}");
  bad_id.mutable_events(0)->set_id("not-a-uuid");
  EXPECT_REFUSED(Append(bad_id), INVALID_ARGUMENT, "not-a-uuid");

  AppendRequest twice = OneEvent("sweep-2", "T", "{}");
  twice.mutable_events(0)->set_id("0f0e0d0c-0b0a-4908-8706-050403020100");
  *twice.add_events() = twice.events(0);
  EXPECT_REFUSED(Append(twice), INVALID_ARGUMENT, "0f0e0d0c-0b0a-4908-8706-050403020100");

  AppendRequest many;
  many.set_stream("sweep-2");
  for (int i = 0; i < 1001; ++i) *many.add_events() = OneEvent("x", "T", "{}").events(0);
  EXPECT_REFUSED(Append(many), INVALID_ARGUMENT, "1000");

  AppendRequest bad_metadata = OneEvent("sweep-2", "T", "{}");
  bad_metadata.mutable_events(0)->set_custom_metadata_json("[1,");
  EXPECT_REFUSED(Append(bad_metadata), INVALID_ARGUMENT, "metadata");
  AppendRequest deep_metadata = OneEvent("sweep-2", "T", "{}");
  deep_metadata.mutable_events(0)->set_custom_metadata_json(
      "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}");
  EXPECT_REFUSED(Append(deep_metadata), INVALID_ARGUMENT, "at most 512 levels");

  AppendRequest stale = OneEvent("sweep-1", "T", "{}");
  stale.set_expected(EXPECTED_EXACT);
  stale.set_expected_revision(41);
  EXPECT_REFUSED(Append(stale), ABORTED, "revision 0");
  AppendRequest exists = OneEvent("sweep-1", "T", "{}");
  exists.set_expected(EXPECTED_NO_STREAM);
  EXPECT_REFUSED(Append(exists), ABORTED, "sweep-1");
  AppendRequest unknown_kind = OneEvent("sweep-2", "T", "{}");
  unknown_kind.set_expected(static_cast<ExpectedKind>(77));
  EXPECT_REFUSED(Append(unknown_kind), INVALID_ARGUMENT, "expected");
}

TEST_F(BadInputTest, ReadsAndInfoRefuseBadStreams) {
  auto read_stream = [](const ReadStreamRequest& r) {
    return CallStreamed(&LogService::Stub::ReadStream, r);
  };
  ReadStreamRequest request;
  EXPECT_REFUSED(read_stream(request), INVALID_ARGUMENT, "stream");
  request.set_stream("no-such-stream");
  EXPECT_REFUSED(read_stream(request), NOT_FOUND, "no-such-stream");
  request.set_stream(Hostile(5000));
  EXPECT_REFUSED(read_stream(request), INVALID_ARGUMENT, "200");

  ReadAllRequest all;
  all.set_from_position(UINT64_MAX);
  EXPECT_TRUE(CallStreamed(&LogService::Stub::ReadAll, all).ok());

  auto info = [](const std::string& stream) {
    GetStreamInfoRequest r;
    r.set_stream(stream);
    return Call(&LogService::Stub::GetStreamInfo, r);
  };
  EXPECT_REFUSED(info(""), INVALID_ARGUMENT, "stream");
  EXPECT_REFUSED(info("nope-1"), NOT_FOUND, "nope-1");
  EXPECT_REFUSED(info("bad stream name!"), INVALID_ARGUMENT, "stream");
}

TEST_F(BadInputTest, SubscribeRefusesBadFilters) {
  auto subscribe = [](const SubscribeRequest& r) {
    return CallStreamed(&LogService::Stub::Subscribe, r, std::chrono::seconds(5));
  };
  SubscribeRequest bad_stream;
  bad_stream.set_stream("not a stream!");
  EXPECT_REFUSED(subscribe(bad_stream), INVALID_ARGUMENT, "stream");
  SubscribeRequest zero;
  zero.set_start(SUBSCRIBE_FROM_POSITION);
  EXPECT_REFUSED(subscribe(zero), INVALID_ARGUMENT, "from_position 0");
  SubscribeRequest bad_type;
  bad_type.add_types("1 not a type");
  EXPECT_REFUSED(subscribe(bad_type), INVALID_ARGUMENT, "type");
  SubscribeRequest bad_start;
  bad_start.set_start(static_cast<SubscribeStart>(9));
  EXPECT_REFUSED(subscribe(bad_start), INVALID_ARGUMENT, "start");
}

TEST_F(BadInputTest, ReviewCommandsRefuseBadValues) {
  ReviewCommand none = Command();
  EXPECT_REFUSED(Execute(none), INVALID_ARGUMENT, "command");

  ReviewCommand launch;
  launch.mutable_launch();
  launch.set_cycle(2);
  EXPECT_REFUSED(Execute(launch), INVALID_ARGUMENT, "State");
  launch.set_state("ZZZ");
  EXPECT_REFUSED(Execute(launch), INVALID_ARGUMENT, "ZZZ");
  launch.set_state(Hostile(100000));
  EXPECT_REFUSED(Execute(launch), INVALID_ARGUMENT, "State");
  launch.set_state("KEN");
  launch.set_cycle(7);
  EXPECT_REFUSED(Execute(launch), INVALID_ARGUMENT, "cycle");
  launch.set_cycle(2);
  launch.set_on("2026-02-30");
  EXPECT_REFUSED(Execute(launch), INVALID_ARGUMENT, "2026-02-30");
  launch.set_on("");
  EXPECT_REFUSED(Execute(launch), FAILED_PRECONDITION, "scheduled");
  launch.set_state("FRA");
  EXPECT_REFUSED(Execute(launch), NOT_FOUND, "FRA");

  ReviewCommand schedule = Command("FRA");
  schedule.mutable_schedule()->set_year(9);
  EXPECT_REFUSED(Execute(schedule), INVALID_ARGUMENT, "year");

  ReviewCommand stale = Command();
  stale.set_has_expected_revision(true);
  stale.set_expected_revision(5);
  stale.mutable_focal_point()->set_name("A");
  EXPECT_REFUSED(Execute(stale), ABORTED, "revision");

  ReviewCommand need = Command();
  need.mutable_add_need()->set_article(999);
  need.mutable_add_need()->set_category("legal_advice");
  EXPECT_REFUSED(Execute(need), INVALID_ARGUMENT, "999");

  ReviewCommand redraw = Command();
  redraw.mutable_redraw()->set_slot(3);
  EXPECT_REFUSED(Execute(redraw), INVALID_ARGUMENT, "slot");

  ReviewCommand hostile_name = Command();
  hostile_name.set_on_behalf_of(Hostile(100000));
  hostile_name.mutable_focal_point()->set_name("<script>alert(1)</script>");
  grpc::Status s = Execute(hostile_name);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.error_code(), grpc::StatusCode::INTERNAL) << s.error_message();
  EXPECT_NE(s.error_code(), grpc::StatusCode::UNKNOWN) << s.error_message();
}

TEST_F(BadInputTest, ReviewQueriesAndDrawsRefuseBadValues) {
  DrawYearsRequest years;
  years.set_cycle(0);
  EXPECT_REFUSED(Call(&ReviewService::Stub::DrawYears, years), INVALID_ARGUMENT, "cycle");
  DrawReviewersRequest reviewers;
  reviewers.set_cycle(2);
  reviewers.set_year(0);
  EXPECT_REFUSED(Call(&ReviewService::Stub::DrawReviewers, reviewers), INVALID_ARGUMENT, "year");

  auto get = [](const std::string& state, int cycle, const std::string& as_of) {
    GetReviewRequest r;
    r.set_state(state);
    r.set_cycle(cycle);
    r.set_as_of(as_of);
    return Call(&ReviewService::Stub::GetReview, r);
  };
  EXPECT_REFUSED(get("FRA", 2, ""), NOT_FOUND, "FRA");
  EXPECT_REFUSED(get("ZZZ", 2, ""), INVALID_ARGUMENT, "ZZZ");
  EXPECT_REFUSED(get("KEN", 2, "yesterday"), INVALID_ARGUMENT, "yesterday");

  ListReviewsRequest list;
  list.set_cycle(9);
  EXPECT_REFUSED(Call(&ReviewService::Stub::ListReviews, list), INVALID_ARGUMENT, "cycle");
  GetCountryProfileRequest profile;
  profile.set_state("ZZZ");
  EXPECT_REFUSED(Call(&ReviewService::Stub::GetCountryProfile, profile), INVALID_ARGUMENT, "ZZZ");
  GetPipelineRequest pipeline;
  pipeline.set_as_of("2027-13-01");
  EXPECT_REFUSED(Call(&ReviewService::Stub::GetPipeline, pipeline), INVALID_ARGUMENT,
                 "2027-13-01");
}

TEST_F(BadInputTest, ReportsRefuseBadDimensionsAndDates) {
  auto report = [](const NeedsReportRequest& r) {
    return Call(&ReportService::Stub::GetNeedsReport, r);
  };
  NeedsReportRequest cycle;
  cycle.set_cycle(5);
  EXPECT_REFUSED(report(cycle), INVALID_ARGUMENT, "cycle");
  NeedsReportRequest by;
  by.add_dimensions()->set_by("shoe_size");
  EXPECT_REFUSED(report(by), INVALID_ARGUMENT, "shoe_size");
  NeedsReportRequest chapter;
  NeedsDimension* dimension = chapter.add_dimensions();
  dimension->set_by("article");
  dimension->set_chapter("IX");
  EXPECT_REFUSED(report(chapter), INVALID_ARGUMENT, "IX");
  NeedsReportRequest as_of;
  as_of.set_as_of("30/09/2019");
  EXPECT_REFUSED(report(as_of), INVALID_ARGUMENT, "30/09/2019");
  NeedsReportRequest compare;
  compare.set_as_of("2019-01-01");
  compare.set_compare("2020-01-01");
  EXPECT_REFUSED(report(compare), INVALID_ARGUMENT, "2020-01-01");
}

TEST_F(BadInputTest, AdminRefusesUnknownProjectionsAndBadBackupFolders) {
  auto rebuild = [](const std::string& name) {
    RebuildProjectionRequest r;
    r.set_name(name);
    return Call(&AdminService::Stub::RebuildProjection, r);
  };
  EXPECT_REFUSED(rebuild(""), NOT_FOUND, "projections:");
  EXPECT_REFUSED(rebuild("no_such"), NOT_FOUND, "no_such");
  EXPECT_REFUSED(rebuild(Hostile(100000)), NOT_FOUND, "projections:");

  auto backup = [](const std::string& dir) {
    BackupRequest r;
    r.set_dir(dir);
    return Call(&AdminService::Stub::Backup, r);
  };
  EXPECT_REFUSED(backup(""), INVALID_ARGUMENT, "empty");
  EXPECT_REFUSED(backup("backups"), INVALID_ARGUMENT, "relative");
  EXPECT_REFUSED(backup("/" + Hostile(5000)), INVALID_ARGUMENT, "4096");
  EXPECT_REFUSED(backup(std::string("/tmp/a\0b", 8)), INVALID_ARGUMENT, "NUL");
  grpc::Status unwritable = backup("/proc/irm-backup");
  EXPECT_FALSE(unwritable.ok());
  EXPECT_NE(unwritable.error_code(), grpc::StatusCode::INTERNAL) << unwritable.error_message();
  EXPECT_THAT(unwritable.error_message(), HasSubstr("/proc/irm-backup"));
}

// One irm command line of the sweep and how it must fail.
struct IrmRefusal {
  std::vector<std::string> args;
  int exit_code;        // 1: the server refused; 2: a usage error; kAnyFailure: not 0
  std::string err_has;  // a fragment stderr must hold; empty for usage errors (not checked)
};
constexpr int kAnyFailure = -1;

TEST_F(BadInputTest, IrmCommandsRefuseBadArgumentsWithUsageOrServerCodes) {
  const std::string garbage = dir_->Sub("garbage.jsonl");
  FILE* f = std::fopen(garbage.c_str(), "w");
  std::fputs("{\"position\":1,\"stream\":\"x\"\nnot json at all\n", f);
  std::fclose(f);

  const std::vector<IrmRefusal> refusals = {
      {{"append", "sweep-3", "T", "--data", "{"}, 1, "INVALID_ARGUMENT"},
      {{"append", "$all", "T"}, 1, "INVALID_ARGUMENT"},
      {{"append", "sweep-1", "T", "--expect", "banana"}, 2, ""},
      {{"append", "sweep-1", "T", "--expect", "99"}, 1, "ABORTED"},
      {{"read"}, 2, ""},
      {{"read", "no-such-stream"}, 1, "NOT_FOUND"},
      {{"no-such-command"}, 2, ""},
      {{"admin", "rebuild", "no_such"}, 1, "NOT_FOUND"},
      {{"admin", "backup", "relative"}, 1, "INVALID_ARGUMENT"},
      {{"review", "launch", "ZZZ", "--cycle", "2"}, kAnyFailure, "ZZZ"},
      {{"import", garbage}, kAnyFailure, "line 1"},
  };
  for (const IrmRefusal& refusal : refusals) {
    SCOPED_TRACE(absl::StrJoin(refusal.args, " "));
    IrmResult r = RunIrm(irmd_->address(), refusal.args);
    if (refusal.exit_code == kAnyFailure) {
      EXPECT_NE(r.exit_code, 0) << r;
    } else {
      EXPECT_EQ(r.exit_code, refusal.exit_code) << r;
    }
    if (!refusal.err_has.empty()) {
      EXPECT_THAT(r.err, HasSubstr(refusal.err_has));
    }
  }
}

}  // namespace
}  // namespace irm::tests
