// The bad-input sweep: missing, oversized, malformed and hostile values sent to every RPC
// of LogService, ReviewService, ReportService and AdminService on the real irmd, and to key
// irm commands. Each must get the documented code with a message naming the problem, and
// the log's head must not move (a rejected request appends nothing). Every refusal carries
// a google.rpc.Status in its details (grpc-status-details-bin) with the same code and
// message, an ErrorInfo, and per code: the field (BadRequest) on INVALID_ARGUMENT, the actual
// revision on ABORTED.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "engine/common/uuid.h"
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

// The machine-readable details of a refusal, as any client decodes them.
struct Details {
  google::rpc::Status status;
  google::rpc::ErrorInfo info;
  bool has_info = false;
  google::rpc::BadRequest bad_request;
  bool has_bad_request = false;
  bool has_retry = false;
};

Details DetailsOf(const grpc::Status& status) {
  Details d;
  EXPECT_TRUE(d.status.ParseFromString(status.error_details()))
      << "no google.rpc.Status in the details of " << status.error_message();
  for (const google::protobuf::Any& any : d.status.details()) {
    if (any.Is<google::rpc::ErrorInfo>()) d.has_info = any.UnpackTo(&d.info);
    if (any.Is<google::rpc::BadRequest>()) d.has_bad_request = any.UnpackTo(&d.bad_request);
    if (any.Is<google::rpc::RetryInfo>()) d.has_retry = true;
  }
  return d;
}

// The field an INVALID_ARGUMENT names in its BadRequest details; "" if none.
std::string FieldOf(const grpc::Status& status) {
  Details d = DetailsOf(status);
  return d.has_bad_request && d.bad_request.field_violations_size() > 0
             ? d.bad_request.field_violations(0).field()
             : "";
}

// What every refusal's details must hold.
void ExpectDetails(const grpc::Status& status) {
  Details d = DetailsOf(status);
  EXPECT_EQ(d.status.code(), static_cast<int>(status.error_code()));
  EXPECT_EQ(d.status.message(), status.error_message());
  EXPECT_TRUE(d.has_info) << "no ErrorInfo: " << status.error_message();
  EXPECT_EQ(d.info.domain(), "irm");
  EXPECT_FALSE(d.info.reason().empty());
  switch (status.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT:
      EXPECT_TRUE(d.has_bad_request && d.bad_request.field_violations_size() == 1 &&
                  !d.bad_request.field_violations(0).field().empty())
          << "no field named: " << status.error_message();
      break;
    case grpc::StatusCode::ABORTED:
      EXPECT_TRUE(d.info.metadata().contains("actual")) << status.error_message();
      break;
    case grpc::StatusCode::ALREADY_EXISTS:
      EXPECT_TRUE(d.info.metadata().contains("position")) << status.error_message();
      break;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      EXPECT_TRUE(d.has_retry) << status.error_message();
      break;
    default:
      break;
  }
}

#define EXPECT_REFUSED(status_expr, code, text)                                         \
  do {                                                                                  \
    grpc::Status s_ = (status_expr);                                                    \
    EXPECT_EQ(s_.error_code(), grpc::StatusCode::code) << #status_expr << ": "          \
                                                       << s_.error_message();           \
    EXPECT_THAT(s_.error_message(), HasSubstr(text)) << #status_expr;                   \
    SCOPED_TRACE(#status_expr);                                                         \
    ExpectDetails(s_);                                                                  \
  } while (false)

// EXPECT_REFUSED with INVALID_ARGUMENT, whose details name `field`.
#define EXPECT_INVALID_FIELD(status_expr, text, field)                                  \
  do {                                                                                  \
    grpc::Status f_ = (status_expr);                                                    \
    EXPECT_REFUSED(f_, INVALID_ARGUMENT, text);                                         \
    EXPECT_EQ(FieldOf(f_), field) << #status_expr << ": " << f_.error_message();        \
  } while (false)

TEST_F(BadInputTest, AppendRefusesBadStreamsTypesDataAndIds) {
  EXPECT_INVALID_FIELD(Append(OneEvent("", "T", "{}")), "stream", "stream");
  EXPECT_INVALID_FIELD(Append(OneEvent("$all", "T", "{}")), "$", "stream");
  EXPECT_INVALID_FIELD(Append(OneEvent(Hostile(201), "T", "{}")), "200", "stream");
  EXPECT_INVALID_FIELD(Append(OneEvent("a/../../etc", "T", "{}")), "'/'", "stream");
  // A NUL, a line break or a terminal escape from the request is shown escaped.
  EXPECT_INVALID_FIELD(Append(OneEvent(std::string("a\0b", 3), "T", "{}")), R"('a\x00b')",
                       "stream");
  EXPECT_INVALID_FIELD(Append(OneEvent("a\nb\x1b[2J", "T", "{}")), R"('a\nb\x1b[2J')", "stream");
  // Not ASCII: says which character is not allowed and which are.
  EXPECT_INVALID_FIELD(Append(OneEvent("révision-1", "T", "{}")),
                       "has 'é' (not ASCII) at byte 1, which is not allowed in stream names; "
                       "use only ASCII letters, digits and _ . : @ -",
                       "stream");
  EXPECT_INVALID_FIELD(Append(OneEvent("sweep-2", "", "{}")), "type", "events[0].type");
  EXPECT_INVALID_FIELD(Append(OneEvent("sweep-2", "1Bad", "{}")), "type", "events[0].type");
  EXPECT_INVALID_FIELD(Append(OneEvent("sweep-2", Hostile(129), "{}")), "128", "events[0].type");
  EXPECT_INVALID_FIELD(Append(OneEvent("sweep-2", "T", "")), "empty", "events[0].data");
  EXPECT_INVALID_FIELD(Append(OneEvent("sweep-2", "T", "{")), "JSON", "events[0].data");
  EXPECT_INVALID_FIELD(Append(OneEvent("sweep-2", "T", "\"\xff\xfe\"")), "JSON",
                       "events[0].data");
  EXPECT_INVALID_FIELD(Append(OneEvent("sweep-2", "T", "[" + std::string(100000, '['))), "JSON",
                       "events[0].data");
  // Well-formed but 200,000 levels deep: once a crash (nlohmann's printer recursed per level).
  EXPECT_INVALID_FIELD(
      Append(OneEvent("sweep-2", "T", std::string(200000, '[') + std::string(200000, ']'))),
      "at most 512 levels", "events[0].data");
  grpc::Status large = Append(OneEvent("sweep-2", "T", "\"" + Hostile(2 << 20) + "\""));
  EXPECT_INVALID_FIELD(large, "1048576", "events[0].data");
  EXPECT_EQ(DetailsOf(large).info.reason(), "EVENT_TOO_LARGE");
  EXPECT_EQ(DetailsOf(large).info.metadata().at("limit"), "1048576");

  AppendRequest no_events;
  no_events.set_stream("sweep-2");
  EXPECT_INVALID_FIELD(Append(no_events), "event", "events");

  AppendRequest unspecified = OneEvent("sweep-2", "T", "{}");
  unspecified.mutable_events(0)->set_content_type(event::v1::CONTENT_TYPE_UNSPECIFIED);
  EXPECT_INVALID_FIELD(Append(unspecified),
                       "CONTENT_TYPE_UNSPECIFIED; set CONTENT_TYPE_JSON or CONTENT_TYPE_PROTOBUF",
                       "events[0].content_type");
  EXPECT_EQ(DetailsOf(Append(unspecified)).info.metadata().at("allowed"),
            "CONTENT_TYPE_JSON, CONTENT_TYPE_PROTOBUF");
  unspecified.mutable_events(0)->set_content_type(static_cast<event::v1::ContentType>(9));
  EXPECT_INVALID_FIELD(Append(unspecified), "content type 9", "events[0].content_type");

  AppendRequest bad_id = OneEvent("sweep-2", "T", "{}");
  bad_id.mutable_events(0)->set_id("0f0e0d0c-0b0a-4908-8706-050403020100");  // text, not bytes
  EXPECT_INVALID_FIELD(Append(bad_id), "an id of 36 bytes; an event id is 16 raw bytes",
                       "events[0].id");

  AppendRequest twice = OneEvent("sweep-2", "T", "{}");
  twice.mutable_events(0)->set_id(
      common::Uuid::Parse("0f0e0d0c-0b0a-4908-8706-050403020100")->Bytes());
  *twice.add_events() = twice.events(0);
  EXPECT_INVALID_FIELD(Append(twice), "0f0e0d0c-0b0a-4908-8706-050403020100", "events[1].id");

  AppendRequest many;
  many.set_stream("sweep-2");
  for (int i = 0; i < 1001; ++i) *many.add_events() = OneEvent("x", "T", "{}").events(0);
  EXPECT_INVALID_FIELD(Append(many), "1000", "events");

  AppendRequest bad_metadata = OneEvent("sweep-2", "T", "{}");
  bad_metadata.mutable_events(0)->set_custom_json("[1,");
  EXPECT_INVALID_FIELD(Append(bad_metadata), "metadata", "events[0].custom_json");
  AppendRequest deep_metadata = OneEvent("sweep-2", "T", "{}");
  deep_metadata.mutable_events(0)->set_custom_json(
      "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}");
  EXPECT_INVALID_FIELD(Append(deep_metadata), "at most 512 levels", "events[0].custom_json");

  // sweep-1 holds one event (revision 0).
  AppendRequest stale = OneEvent("sweep-1", "T", "{}");
  stale.set_expected_revision(41);
  grpc::Status stale_status = Append(stale);
  EXPECT_REFUSED(stale_status, ABORTED, "revision 0");
  EXPECT_EQ(DetailsOf(stale_status).info.reason(), "WRONG_EXPECTED_REVISION");
  EXPECT_EQ(DetailsOf(stale_status).info.metadata().at("actual"), "0");
  EXPECT_EQ(DetailsOf(stale_status).info.metadata().at("expected"), "41");
  AppendRequest exists = OneEvent("sweep-1", "T", "{}");
  exists.mutable_no_stream();
  EXPECT_REFUSED(Append(exists), ABORTED, "sweep-1");
  AppendRequest missing = OneEvent("sweep-9", "T", "{}");
  missing.mutable_stream_exists();
  grpc::Status missing_status = Append(missing);
  EXPECT_REFUSED(missing_status, ABORTED, "sweep-9 has no events");
  EXPECT_EQ(DetailsOf(missing_status).info.metadata().at("actual"), "no_stream");
}

TEST_F(BadInputTest, ReadsAndInfoRefuseBadStreams) {
  auto read_stream = [](const ReadStreamRequest& r) {
    return CallStreamed(&LogService::Stub::ReadStream, r);
  };
  ReadStreamRequest request;
  EXPECT_INVALID_FIELD(read_stream(request), "stream", "stream");
  request.set_stream("no-such-stream");
  grpc::Status missing = read_stream(request);
  EXPECT_REFUSED(missing, NOT_FOUND, "'no-such-stream'");
  EXPECT_EQ(DetailsOf(missing).info.reason(), "STREAM_NOT_FOUND");
  EXPECT_EQ(DetailsOf(missing).info.metadata().at("stream"), "no-such-stream");
  request.set_stream(Hostile(5000));
  EXPECT_INVALID_FIELD(read_stream(request), "200", "stream");

  ReadAllRequest all;
  all.set_from_position(UINT64_MAX);
  EXPECT_TRUE(CallStreamed(&LogService::Stub::ReadAll, all).ok());

  auto info = [](const std::string& stream) {
    GetStreamInfoRequest r;
    r.set_stream(stream);
    return Call(&LogService::Stub::GetStreamInfo, r);
  };
  EXPECT_INVALID_FIELD(info(""), "stream", "stream");
  EXPECT_REFUSED(info("nope-1"), NOT_FOUND, "nope-1");
  EXPECT_INVALID_FIELD(info("bad stream name!"), "' '", "stream");
}

TEST_F(BadInputTest, SubscribeRefusesBadFilters) {
  auto subscribe = [](const SubscribeRequest& r) {
    return CallStreamed(&LogService::Stub::Subscribe, r, std::chrono::seconds(5));
  };
  SubscribeRequest bad_stream;
  bad_stream.set_start(SUBSCRIBE_FROM_START);
  bad_stream.set_stream("not a stream!");
  EXPECT_INVALID_FIELD(subscribe(bad_stream), "stream", "stream");
  SubscribeRequest bad_prefix;
  bad_prefix.set_start(SUBSCRIBE_FROM_START);
  bad_prefix.set_stream_prefix(Hostile(201));
  EXPECT_INVALID_FIELD(subscribe(bad_prefix), "200", "stream_prefix");
  SubscribeRequest zero;
  zero.set_start(SUBSCRIBE_FROM_POSITION);
  EXPECT_INVALID_FIELD(subscribe(zero), "from_position 0", "from_position");
  SubscribeRequest bad_type;
  bad_type.set_start(SUBSCRIBE_FROM_START);
  bad_type.add_types("Fine");
  bad_type.add_types("1 not a type");
  EXPECT_INVALID_FIELD(subscribe(bad_type), "type", "types[1]");
  SubscribeRequest bad_start;
  bad_start.set_start(static_cast<SubscribeStart>(9));
  EXPECT_INVALID_FIELD(subscribe(bad_start), "start is 9", "start");
  // Nothing set: the start is required, not silently "from the start".
  SubscribeRequest unspecified;
  EXPECT_INVALID_FIELD(subscribe(unspecified),
                       "start is SUBSCRIBE_START_UNSPECIFIED; set SUBSCRIBE_FROM_START, "
                       "SUBSCRIBE_FROM_END or SUBSCRIBE_FROM_POSITION",
                       "start");
}

TEST_F(BadInputTest, ReviewCommandsRefuseBadValues) {
  ReviewCommand none = Command();
  EXPECT_INVALID_FIELD(Execute(none), "command", "command");

  ReviewCommand launch;
  launch.mutable_launch();
  launch.set_cycle(2);
  EXPECT_INVALID_FIELD(Execute(launch), "State", "state");
  launch.set_state("ZZZ");
  EXPECT_INVALID_FIELD(Execute(launch), "ZZZ", "state");
  launch.set_state(Hostile(100000));
  EXPECT_INVALID_FIELD(Execute(launch), "State", "state");
  launch.set_state("K\nEN");
  EXPECT_INVALID_FIELD(Execute(launch), R"('K\nEN')", "state");
  launch.set_state("KEN");
  launch.set_cycle(7);
  EXPECT_INVALID_FIELD(Execute(launch), "cycle", "cycle");
  launch.set_cycle(2);
  launch.set_on("2026-02-30");
  EXPECT_INVALID_FIELD(Execute(launch), "2026-02-30", "on");
  launch.set_on("");
  EXPECT_REFUSED(Execute(launch), FAILED_PRECONDITION, "scheduled");
  launch.set_state("FRA");
  EXPECT_REFUSED(Execute(launch), NOT_FOUND, "FRA");

  ReviewCommand schedule = Command("FRA");
  schedule.mutable_schedule()->set_year(9);
  EXPECT_INVALID_FIELD(Execute(schedule), "year", "schedule.year");

  ReviewCommand stale = Command();
  stale.set_expected_revision(5);
  stale.mutable_focal_point()->set_name("A");
  grpc::Status stale_status = Execute(stale);
  EXPECT_REFUSED(stale_status, ABORTED, "revision");
  EXPECT_EQ(DetailsOf(stale_status).info.reason(), "WRONG_EXPECTED_REVISION");
  EXPECT_EQ(DetailsOf(stale_status).info.metadata().at("actual"), "0");

  ReviewCommand need = Command();
  need.mutable_add_need()->set_article(999);
  need.mutable_add_need()->set_category("legal_advice");
  EXPECT_INVALID_FIELD(Execute(need), "999", "add_need.article");

  ReviewCommand redraw = Command();
  redraw.mutable_redraw()->set_slot(3);
  EXPECT_INVALID_FIELD(Execute(redraw), "slot", "redraw.slot");

  ReviewCommand hostile_name = Command();
  hostile_name.set_on_behalf_of(Hostile(100000));
  hostile_name.mutable_focal_point()->set_name("<script>alert(1)</script>");
  grpc::Status s = Execute(hostile_name);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.error_code(), grpc::StatusCode::INTERNAL) << s.error_message();
  EXPECT_NE(s.error_code(), grpc::StatusCode::UNKNOWN) << s.error_message();
  ExpectDetails(s);
}

TEST_F(BadInputTest, ReviewQueriesAndDrawsRefuseBadValues) {
  DrawYearsRequest years;
  years.set_cycle(0);
  EXPECT_INVALID_FIELD(Call(&ReviewService::Stub::DrawYears, years), "cycle", "cycle");
  DrawReviewersRequest reviewers;
  reviewers.set_cycle(2);
  reviewers.set_year(0);
  EXPECT_INVALID_FIELD(Call(&ReviewService::Stub::DrawReviewers, reviewers), "year", "year");
  // The draw's business date decides who is a party: a bad one is refused by name.
  years.set_cycle(2);
  years.set_on("2015-13-01");
  EXPECT_INVALID_FIELD(Call(&ReviewService::Stub::DrawYears, years), "is not a date", "on");
  reviewers.set_year(1);
  reviewers.set_on("2016-02-30");
  EXPECT_INVALID_FIELD(Call(&ReviewService::Stub::DrawReviewers, reviewers), "is not a date", "on");

  auto get = [](const std::string& state, int cycle, const std::string& as_of) {
    GetReviewRequest r;
    r.set_state(state);
    r.set_cycle(cycle);
    r.set_as_of(as_of);
    return Call(&ReviewService::Stub::GetReview, r);
  };
  EXPECT_REFUSED(get("FRA", 2, ""), NOT_FOUND, "FRA");
  EXPECT_INVALID_FIELD(get("ZZZ", 2, ""), "ZZZ", "state");
  EXPECT_INVALID_FIELD(get("KEN", 2, "yesterday"), "yesterday", "as_of");
  EXPECT_INVALID_FIELD(get("KEN", 2, std::string("2019\0-01", 8)), R"('2019\x00-01')", "as_of");

  ListReviewsRequest list;
  list.set_cycle(9);
  EXPECT_INVALID_FIELD(Call(&ReviewService::Stub::ListReviews, list), "cycle", "cycle");
  ListReviewsRequest stage;
  stage.set_stage("bogus\r\n");
  EXPECT_INVALID_FIELD(Call(&ReviewService::Stub::ListReviews, stage), R"('bogus\r\n')", "stage");
  GetCountryProfileRequest profile;
  profile.set_state("ZZZ");
  EXPECT_INVALID_FIELD(Call(&ReviewService::Stub::GetCountryProfile, profile), "ZZZ", "state");
  GetPipelineRequest pipeline;
  pipeline.set_as_of("2027-13-01");
  EXPECT_INVALID_FIELD(Call(&ReviewService::Stub::GetPipeline, pipeline), "2027-13-01", "as_of");
}

TEST_F(BadInputTest, ReportsRefuseBadDimensionsAndDates) {
  auto report = [](const NeedsReportRequest& r) {
    return Call(&ReportService::Stub::GetNeedsReport, r);
  };
  NeedsReportRequest cycle;
  cycle.set_cycle(5);
  EXPECT_INVALID_FIELD(report(cycle), "cycle", "cycle");
  NeedsReportRequest by;
  by.add_dimensions()->set_by("shoe_size");
  EXPECT_INVALID_FIELD(report(by), "shoe_size", "dimensions[0].by");
  NeedsReportRequest chapter;
  NeedsDimension* dimension = chapter.add_dimensions();
  dimension->set_by("article");
  dimension->set_chapter("IX");
  EXPECT_INVALID_FIELD(report(chapter), "IX", "dimensions[0].chapter");
  NeedsReportRequest as_of;
  as_of.set_as_of("30/09/2019");
  EXPECT_INVALID_FIELD(report(as_of), "30/09/2019", "as_of");
  NeedsReportRequest compare;
  compare.set_as_of("2019-01-01");
  compare.set_compare("2020-01-01");
  EXPECT_INVALID_FIELD(report(compare), "2020-01-01", "compare");
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
  EXPECT_INVALID_FIELD(backup(""), "empty", "dir");
  EXPECT_INVALID_FIELD(backup("backups"), "relative", "dir");
  EXPECT_INVALID_FIELD(backup("back\nups"), R"('back\nups')", "dir");
  EXPECT_INVALID_FIELD(backup("/" + Hostile(5000)), "4096", "dir");
  EXPECT_INVALID_FIELD(backup(std::string("/tmp/a\0b", 8)), "NUL", "dir");
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
