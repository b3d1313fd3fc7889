// Unreadable review events end to end (docs/void.md): no append path (the raw import over
// gRPC, `irm import`) stores an event a review fold cannot read; a log poisoned the old way
// (the bad record written through the store layer on a stopped server's folder, as an older
// irmd's import did) answers UNAVAILABLE naming the projection, the position and the reason;
// rebuild and replay-check refuse to report success; `irm admin void` lets the projections
// go past the event, and history shows the void.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/common/uuid.h"
#include "engine/store/rocksdb_event_log.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "irm/event/v1/review_events.pb.h"
#include "tests/auth_fixture.h"
#include "tests/support/served_log.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Bytes no protobuf message parses from: a varint that never ends.
constexpr char kGarbage[] = "\xff\xff\xff\xff";
constexpr char kGarbageBase64[] = "/////w==";

class E2eVoidTest : public ServedLogTest {
 protected:
  E2eVoidTest() : ServedLogTest("irm-e2e-void") {}

  void Step(const std::string& step, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"review", step, "KEN", "--cycle", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    IrmResult result = Irm(args);
    ASSERT_EQ(result.exit_code, 0) << result;
  }

  void ScheduleKenWithReviewers() {
    ASSERT_NO_FATAL_FAILURE(Step("schedule", {"--year", "1", "--on", "2016-01-10"}));
    ASSERT_NO_FATAL_FAILURE(
        Step("assign-reviewers", {"--reviewers", "UGA,FRA", "--on", "2016-02-01"}));
  }

  // Appends a ReviewScheduled whose data no fold can read to review-KEN-2 through the store
  // layer, with irmd stopped and without irmd's content check: what an older irmd's import
  // stored. Returns its position.
  uint64_t PoisonTheLog() {
    EXPECT_NO_FATAL_FAILURE(StopServer());
    absl::StatusOr<std::unique_ptr<store::RocksDbEventLog>> log =
        store::RocksDbEventLog::Open(data_dir(), store::RocksDbEventLogOptions());
    EXPECT_TRUE(log.ok()) << log.status();
    if (!log.ok()) return 0;
    irm::log::AppendRequest request;
    request.stream = "review-KEN-2";
    irm::log::ProposedEvent& event = request.events.emplace_back();
    event.type = "ReviewScheduled";
    event.content_type = event::v1::CONTENT_TYPE_PROTOBUF;
    event.data = kGarbage;
    event.metadata.mutable_actor()->set_name("old importer");
    event.metadata.mutable_actor()->set_role("secretariat");
    absl::StatusOr<irm::log::AppendResult> appended = (*log)->Append(std::move(request));
    EXPECT_TRUE(appended.ok()) << appended.status();
    (*log)->Close();
    log->reset();
    EXPECT_NO_FATAL_FAILURE(StartServer());
    return appended.ok() ? appended->last_position : 0;
  }

  // Expects `args` to fail with `code` on its one stderr line, mentioning each of `mentions`.
  void ExpectFails(const std::vector<std::string>& args, const std::string& code,
                   const std::vector<std::string>& mentions) {
    IrmResult result = Irm(args);
    EXPECT_EQ(result.exit_code, 1) << result;
    EXPECT_THAT(result.err, StartsWith(code + ":")) << result;
    for (const std::string& mention : mentions) EXPECT_THAT(result.err, HasSubstr(mention)) << result;
  }

  json Projection(const std::string& name) {
    for (const json& row : IrmJson({"admin", "projections"})) {
      if (row["name"] == name) return row;
    }
    ADD_FAILURE() << "no projection " << name;
    return json::object();
  }
};

TEST_F(E2eVoidTest, RawImportOfAnUnreadableReviewEventIsRefusedAndReviewsKeepAnswering) {
  ScheduleKenWithReviewers();
  const uint64_t head = Head();
  // The raw API call an outside client makes: AppendRequest.import = true.
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(server(), grpc::InsecureChannelCredentials());
  std::unique_ptr<api::v1::LogService::Stub> stub = api::v1::LogService::NewStub(channel);
  auto append = [&](const std::string& type, event::v1::ContentType content_type,
                    const std::string& data) {
    api::v1::AppendRequest request;
    request.set_stream("review-KEN-2");
    request.set_import(true);
    api::v1::ProposedEvent* event = request.add_events();
    event->set_id(common::Uuid::Random().Bytes());
    event->set_type(type);
    event->set_content_type(content_type);
    event->set_data(data);
    grpc::ClientContext context;
    api::v1::AppendResponse response;
    return stub->Append(&context, request, &response);
  };
  grpc::Status garbage = append("ReviewScheduled", event::v1::CONTENT_TYPE_PROTOBUF, kGarbage);
  EXPECT_EQ(garbage.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << garbage.error_message();
  EXPECT_THAT(garbage.error_message(), HasSubstr("event 0 (id "));
  EXPECT_THAT(garbage.error_message(), HasSubstr("type ReviewScheduled"));
  EXPECT_THAT(garbage.error_message(),
              HasSubstr("does not parse as irm.event.v1.ReviewScheduled"));
  EXPECT_THAT(garbage.error_message(), HasSubstr("nothing was appended"));
  grpc::Status unknown = append("ReviewTeleported", event::v1::CONTENT_TYPE_PROTOBUF, "\x0a\x01x");
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(unknown.error_message(), HasSubstr("not an event of the review workflow"));
  grpc::Status as_json = append("ReviewLaunched", event::v1::CONTENT_TYPE_JSON, R"({"on":"x"})");
  EXPECT_EQ(as_json.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(as_json.error_message(), HasSubstr("content type is json"));
  EXPECT_EQ(Head(), head);

  // `irm import` of the same garbage, and of an unknown type: one line each.
  const std::string file = dir_.Sub("poison.jsonl");
  std::ofstream(file) << json{{"position", 9},
                              {"stream", "review-KEN-2"},
                              {"revision", 2},
                              {"id", common::Uuid::Random().ToString()},
                              {"type", "ReviewScheduled"},
                              {"content_type", "protobuf"},
                              {"data_base64", kGarbageBase64}}
                             .dump()
                      << "\n";
  ExpectFails({"import", file}, "INVALID_ARGUMENT",
              {"review-KEN-2", "ReviewScheduled", "does not parse"});
  EXPECT_EQ(Head(), head);

  // A well-formed event imports even out of stage order: the workflow's rules are not
  // re-checked on import, so exports made before a rule changed still import.
  event::v1::ChecklistSubmitted checklist;
  checklist.set_on("2016-03-01");
  grpc::Status readable = append("ChecklistSubmitted", event::v1::CONTENT_TYPE_PROTOBUF,
                                 checklist.SerializeAsString());
  EXPECT_TRUE(readable.ok()) << readable.error_message();
  EXPECT_EQ(Head(), head + 1);

  // The review queries keep answering.
  EXPECT_EQ(One({"status", "KEN", "--cycle", "2"})["stage"], "checklist_submitted");
  EXPECT_EQ(Irm({"pipeline"}).exit_code, 0);
  EXPECT_EQ(Irm({"report", "needs", "--cycle", "2"}).exit_code, 0);
  EXPECT_EQ(Irm({"admin", "replay-check"}).exit_code, 0);
  EXPECT_EQ(Projection("reviews")["state"], "running");
}

TEST_F(E2eVoidTest, NoRawAppendIntoTheVoidedStream) {
  ExpectFails({"append", "voided", "EventVoided", "--data", "{}"}, "PERMISSION_DENIED",
              {"irm admin void"});
}

TEST_F(E2eVoidTest, PoisonedLogAnswersUnavailableUntilTheEventIsVoided) {
  ScheduleKenWithReviewers();
  const uint64_t poisoned = PoisonTheLog();
  ASSERT_GT(poisoned, 0u);
  const std::string at = absl::StrCat("projection reviews is stopped at position ", poisoned);
  const std::string fix = absl::StrCat("irm admin void ", poisoned, " --reason TEXT");

  // Every answer that needs a stopped projection: UNAVAILABLE, projection, position, reason.
  ExpectFails({"status", "KEN", "--cycle", "2"}, "UNAVAILABLE",
              {at, "does not decode as protobuf irm.event.v1.ReviewScheduled", fix});
  ExpectFails({"pipeline"}, "UNAVAILABLE", {at});
  ExpectFails({"reviews", "--cycle", "2"}, "UNAVAILABLE", {at});
  ExpectFails({"report", "needs", "--cycle", "2"}, "UNAVAILABLE",
              {absl::StrCat("projection needs is stopped at position ", poisoned)});
  json reviews = Projection("reviews");
  EXPECT_EQ(reviews["state"], "stopped");
  EXPECT_EQ(reviews["stopped_at"], poisoned);
  EXPECT_THAT(reviews["error"].get<std::string>(), HasSubstr("does not decode"));
  EXPECT_EQ(Projection("stream_stats")["state"], "running");
  IrmResult table = Irm({"admin", "projections"});
  EXPECT_THAT(table.out, HasSubstr(absl::StrCat("stopped at ", poisoned))) << table;

  // Neither a rebuild nor the replay check says "equal" or exits 0.
  IrmResult rebuild = Irm({"admin", "rebuild", "reviews"});
  EXPECT_EQ(rebuild.exit_code, 1) << rebuild;
  EXPECT_THAT(rebuild.err, StartsWith("FAILED_PRECONDITION:")) << rebuild;
  EXPECT_THAT(rebuild.err, HasSubstr(at));
  EXPECT_THAT(rebuild.err, HasSubstr("would stop there again"));
  EXPECT_THAT(rebuild.out, Not(HasSubstr("equal")));
  IrmResult check = Irm({"admin", "replay-check"});
  EXPECT_EQ(check.exit_code, 1) << check;
  EXPECT_THAT(check.err, StartsWith("UNAVAILABLE:")) << check;
  EXPECT_THAT(check.err, HasSubstr("irm admin void POSITION")) << check;
  EXPECT_THAT(check.err, Not(HasSubstr("rebuild each"))) << check;
  EXPECT_THAT(check.out, HasSubstr(absl::StrCat("STOPPED at ", poisoned))) << check;

  // Bad voids: nothing appended.
  const uint64_t head = Head();
  EXPECT_EQ(Irm({"admin", "void", std::to_string(poisoned)}).exit_code, 2);
  ExpectFails({"admin", "void", std::to_string(poisoned), "--reason", "  "}, "INVALID_ARGUMENT",
              {"reason is empty"});
  ExpectFails({"admin", "void", std::to_string(head + 1), "--reason", "x"}, "NOT_FOUND",
              {absl::StrCat("no event at position ", head + 1)});
  ExpectFails({"admin", "void", "1", "--reason", "x"}, "FAILED_PRECONDITION",
              {"readable by every fold"});
  EXPECT_EQ(Head(), head);

  // The void: the projections run again at once.
  const std::string reason = "ReviewScheduled imported from a damaged export";
  IrmResult voided = Irm({"admin", "void", std::to_string(poisoned), "--reason", reason});
  ASSERT_EQ(voided.exit_code, 0) << voided;
  EXPECT_THAT(voided.out, HasSubstr(absl::StrCat("voided position ", poisoned,
                                                 " (ReviewScheduled in review-KEN-2")));
  EXPECT_THAT(voided.out, HasSubstr("projections running again: reviews, needs"));
  ExpectFails({"admin", "void", std::to_string(poisoned), "--reason", reason}, "ALREADY_EXISTS",
              {"is void already", reason});

  EXPECT_EQ(One({"status", "KEN", "--cycle", "2"})["stage"], "reviewers_drawn");
  EXPECT_EQ(Irm({"pipeline"}).exit_code, 0);
  EXPECT_EQ(Irm({"report", "needs", "--cycle", "2"}).exit_code, 0);
  IrmResult rebuilt = Irm({"admin", "rebuild", "reviews"});
  EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt;
  EXPECT_THAT(rebuilt.out, HasSubstr("equal"));
  EXPECT_EQ(Irm({"admin", "replay-check"}).exit_code, 0);
  EXPECT_EQ(Projection("reviews")["state"], "running");

  // History lists the event as void, with the reason and who voided it; the void record is
  // in the stream "voided" for auditors.
  bool seen = false;
  for (const json& event : IrmJson({"history", "KEN", "--cycle", "2"})) {
    if (event["position"] != poisoned) continue;
    seen = true;
    EXPECT_EQ(event["voided"]["reason"], reason);
    EXPECT_EQ(event["voided"]["by"]["role"], "secretariat");
  }
  EXPECT_TRUE(seen);
  IrmResult history = Irm({"history", "KEN", "--cycle", "2"});
  EXPECT_THAT(history.out, HasSubstr("ReviewScheduled (VOID)")) << history;
  EXPECT_THAT(history.out, HasSubstr(reason)) << history;
  std::vector<json> voids = IrmJson({"read", "voided"});
  ASSERT_EQ(voids.size(), 1u);
  EXPECT_EQ(voids[0]["type"], "EventVoided");
  // Protobuf content travels as data_base64; `decoded` is its JSON mapping for people.
  EXPECT_TRUE(voids[0].contains("data_base64")) << voids[0];
  EXPECT_EQ(voids[0]["decoded"]["reason"], reason);
  EXPECT_EQ(voids[0]["decoded"]["stream"], "review-KEN-2");

  // The review goes on: the next step expects the stream's revision past the void event.
  ASSERT_NO_FATAL_FAILURE(Step("launch", {"--on", "2016-06-01"}));
  ASSERT_NO_FATAL_FAILURE(RestartServer());
  EXPECT_EQ(One({"status", "KEN", "--cycle", "2"})["stage"], "launched");
  EXPECT_EQ(Irm({"admin", "replay-check"}).exit_code, 0);
}

// Restore keeps what the backup holds (the log is immutable), and reports each unreadable
// event that is not void, with the command that voids it.
TEST_F(E2eVoidTest, RestoreReportsUnreadableEventsAndVoidLetsTheRestoredLogGoOn) {
  ScheduleKenWithReviewers();
  const uint64_t poisoned = PoisonTheLog();
  ASSERT_GT(poisoned, 0u);
  const std::string backups = dir_.Sub("backups");
  IrmResult backup = Irm({"admin", "backup", backups});
  ASSERT_EQ(backup.exit_code, 0) << backup;
  absl::StatusOr<std::unique_ptr<IrmdProcess>> restored =
      IrmdProcess::Start(dir_.Sub("restored"), {"--restore-from", backups});
  ASSERT_TRUE(restored.ok()) << restored.status();
  const std::string log = (*restored)->stderr_text();
  EXPECT_THAT(log, HasSubstr("restored log holds an event no fold can read")) << log;
  EXPECT_THAT(log, HasSubstr(absl::StrCat("\"position\":", poisoned))) << log;
  EXPECT_THAT(log, HasSubstr(absl::StrCat("irm admin void ", poisoned, " --reason TEXT")));
  const std::string address = (*restored)->address();
  IrmResult status = RunIrm(address, {"status", "KEN", "--cycle", "2"});
  EXPECT_THAT(status.err, StartsWith("UNAVAILABLE:")) << status;
  IrmResult voided =
      RunIrm(address, {"admin", "void", std::to_string(poisoned), "--reason", "unreadable"});
  EXPECT_EQ(voided.exit_code, 0) << voided;
  EXPECT_EQ(RunIrm(address, {"status", "KEN", "--cycle", "2"}).exit_code, 0);
  EXPECT_TRUE((*restored)->Stop().ok());
}

class E2eVoidAuthTest : public AuthFixture {};

TEST_F(E2eVoidAuthTest, OnlyTheSecretariatVoids) {
  LaunchKen();
  ExpectDenied(kKen, {"admin", "void", "1", "--reason", "x"}, "PERMISSION_DENIED",
               "only the secretariat may");
  ExpectDenied(kAud, {"admin", "void", "1", "--reason", "x"}, "PERMISSION_DENIED",
               "never write");
  // The secretariat gets past authorisation (and is told the event is readable).
  IrmResult readable = As(kSec, {"admin", "void", "1", "--reason", "x"});
  EXPECT_THAT(readable.err, StartsWith("FAILED_PRECONDITION:")) << readable;
}

}  // namespace
}  // namespace irm::tests
