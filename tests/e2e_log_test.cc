// End-to-end tests of the event log: the real irmd serving a temporary data folder on a free
// loopback port, driven by the real irm client. Every test starts its own server and, in
// TearDown, stops it with SIGTERM and expects exit status 0.
#include <signal.h>

#include <fstream>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "engine/common/uuid.h"
#include "engine/log/json_validation.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/support/irmd_process.h"
#include "tests/support/run_irm.h"
#include "tests/support/served_log.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kIdA[] = "123e4567-e89b-42d3-a456-426614174000";
constexpr char kIdB[] = "00000000-0000-4000-8000-0000000000b1";

class E2eLogTest : public ServedLogTest {
 protected:
  E2eLogTest() : ServedLogTest("irm-e2e") {}

  // `irm append --json`, expecting success; the one object it prints.
  json Append(const std::string& stream, const std::string& type, const std::string& data,
              const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"append", stream, type, "--data", data};
    args.insert(args.end(), extra.begin(), extra.end());
    return One(args);
  }

  // A LogService stub on a fresh channel to the running irmd.
  std::unique_ptr<api::v1::LogService::Stub> Stub() const {
    return api::v1::LogService::NewStub(
        grpc::CreateChannel(irmd_->address(), grpc::InsecureChannelCredentials()));
  }

  // One JSON event of `type` for an AppendRequest, with `id` (16 raw bytes; "" for none).
  static api::v1::ProposedEvent Event(const std::string& type, const std::string& id = "") {
    api::v1::ProposedEvent event;
    event.set_id(id);
    event.set_type(type);
    event.set_content_type(event::v1::CONTENT_TYPE_JSON);
    event.set_data("{}");
    return event;
  }
};

// The ErrorInfo in the google.rpc.Status details of `status` (an empty one if none).
google::rpc::ErrorInfo ErrorInfoOf(const grpc::Status& status) {
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details())) << status.error_message();
  EXPECT_EQ(details.code(), static_cast<int>(status.error_code()));
  google::rpc::ErrorInfo info;
  for (const google::protobuf::Any& any : details.details()) {
    if (any.Is<google::rpc::ErrorInfo>()) any.UnpackTo(&info);
  }
  return info;
}

TEST_F(E2eLogTest, AppendThenReadBack) {
  IrmResult human = Irm({"append", "notes-a", "NoteTaken", "--data", R"({"n":0})"});
  ASSERT_EQ(human.exit_code, 0) << human;
  EXPECT_THAT(human.out, StartsWith("appended notes-a revision 0 at position 1 as event "));

  json first = Append("notes-b", "NoteTaken", R"({"n":1})", {"--request-id", "req-1"});
  const std::string first_id = first.value("id", "");
  EXPECT_EQ(first, json::parse(absl::StrCat(
                       R"({"stream":"notes-b","revision":0,"position":2,"already_written":false,)",
                       R"("id":")", first_id, R"(","request_id":"req-1"})")));
  EXPECT_TRUE(common::Uuid::Parse(first_id).ok()) << first;
  json third = Append("notes-a", "NoteEdited", R"({"n":2,"text":"ünïcode ✓"})", {"--expect", "0"});
  EXPECT_EQ(third["revision"], 1);
  EXPECT_EQ(third["position"], 3);
  json fourth = Append("notes-a", "NoteEdited", R"({"n":3})", {"--expect", "exists"});
  EXPECT_EQ(fourth["revision"], 2);
  EXPECT_EQ(fourth["position"], 4);
  json fifth = Append("notes-b", "NoteTaken", R"({"n":4})");
  EXPECT_EQ(fifth["revision"], 1);
  EXPECT_EQ(fifth["position"], 5);

  std::vector<json> a = IrmJson({"read", "notes-a"});
  ASSERT_EQ(a.size(), 3u);
  for (uint64_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i]["stream"], "notes-a");
    EXPECT_EQ(a[i]["revision"], i);
    EXPECT_EQ(a[i]["content_type"], "json");
    EXPECT_TRUE(a[i].contains("id") && a[i].contains("recorded_at") && a[i].contains("metadata"))
        << a[i];
  }
  EXPECT_EQ(Positions(a), (std::vector<uint64_t>{1, 3, 4}));
  EXPECT_EQ(a[0]["type"], "NoteTaken");
  EXPECT_EQ(a[1]["type"], "NoteEdited");
  EXPECT_EQ(a[1]["data"], json::parse(R"({"n":2,"text":"ünïcode ✓"})"));

  IrmResult human_read = Irm({"read", "notes-a"});
  ASSERT_EQ(human_read.exit_code, 0) << human_read;
  EXPECT_EQ(Lines(human_read.out).size(), 3u) << human_read;

  std::vector<json> b_back = IrmJson({"read", "notes-b", "--backwards"});
  EXPECT_EQ(Positions(b_back), (std::vector<uint64_t>{5, 2}));
  EXPECT_EQ(b_back[1]["id"], first_id);
  EXPECT_EQ(Positions(IrmJson({"read", "notes-a", "--from", "1", "--limit", "1"})),
            (std::vector<uint64_t>{3}));

  std::vector<json> all = IrmJson({"read", "$all"});
  EXPECT_EQ(Positions(all), (std::vector<uint64_t>{1, 2, 3, 4, 5}));
  std::vector<std::string> streams;
  for (const json& e : all) streams.push_back(e["stream"]);
  EXPECT_EQ(streams,
            (std::vector<std::string>{"notes-a", "notes-b", "notes-a", "notes-a", "notes-b"}));
  EXPECT_EQ(Positions(IrmJson({"read", "$all", "--backwards"})),
            (std::vector<uint64_t>{5, 4, 3, 2, 1}));
  EXPECT_EQ(Positions(IrmJson({"read", "$all", "--limit", "2"})), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(Positions(IrmJson({"read", "$all", "--from", "3"})), (std::vector<uint64_t>{3, 4, 5}));
  EXPECT_EQ(Positions(IrmJson({"read", "$all", "--from", "4", "--backwards", "--limit", "2"})),
            (std::vector<uint64_t>{4, 3}));
  EXPECT_TRUE(IrmJson({"read", "$all", "--from", "6"}).empty());
  EXPECT_EQ(Head(), 5u);
}

TEST_F(E2eLogTest, ExpectedRevisionMismatchIsAbortedAndAppendsNothing) {
  for (int i = 0; i < 5; ++i) Append("case-KEN-2", "Step", absl::StrCat(R"({"i":)", i, "}"));
  ASSERT_EQ(Head(), 5u);

  IrmResult stale = Irm({"append", "case-KEN-2", "Step", "--expect", "1"});
  EXPECT_NE(stale.exit_code, 0) << stale;
  EXPECT_THAT(stale.err, StartsWith("ABORTED:")) << stale;
  EXPECT_THAT(stale.err, HasSubstr("revision 4")) << stale;
  EXPECT_EQ(Lines(stale.err).size(), 1u) << stale;
  EXPECT_TRUE(stale.out.empty()) << stale;

  IrmResult no_stream = Irm({"append", "case-KEN-2", "Step", "--expect", "no_stream"});
  EXPECT_NE(no_stream.exit_code, 0) << no_stream;
  EXPECT_THAT(no_stream.err, StartsWith("ABORTED:")) << no_stream;

  IrmResult exists = Irm({"append", "case-FRA-1", "Step", "--expect", "exists"});
  EXPECT_NE(exists.exit_code, 0) << exists;
  EXPECT_THAT(exists.err, StartsWith("ABORTED:")) << exists;

  IrmResult missing_exact = Irm({"append", "case-FRA-1", "Step", "--expect", "0"});
  EXPECT_NE(missing_exact.exit_code, 0) << missing_exact;
  EXPECT_THAT(missing_exact.err, StartsWith("ABORTED:")) << missing_exact;

  EXPECT_EQ(Head(), 5u);
  EXPECT_EQ(IrmJson({"read", "$all"}).size(), 5u);
  EXPECT_EQ(Append("case-KEN-2", "Step", "{}", {"--expect", "4"})["position"], 6);
}

// Each bad request fails with the given status prefix and appends nothing.
TEST_F(E2eLogTest, BadInputIsRefusedWithTheRightCode) {
  Append("ok-1", "Created", "{}");
  struct Case {
    std::vector<std::string> args;
    std::string prefix;
  };
  const Case cases[] = {
      {{"append", "ok-1", "Edited", "--data", R"({"a":)"}, "INVALID_ARGUMENT:"},
      {{"append", "ok-1", "Edited", "--data", "not json"}, "INVALID_ARGUMENT:"},
      {{"append", "$all", "Edited", "--data", "{}"}, "INVALID_ARGUMENT:"},
      {{"append", "$system", "Edited", "--data", "{}"}, "INVALID_ARGUMENT:"},
      {{"append", "bad name!", "Edited", "--data", "{}"}, "INVALID_ARGUMENT:"},
      {{"append", "-leading-dash", "Edited", "--data", "{}"}, "INVALID_ARGUMENT:"},
      {{"append", "ok-1", "9StartsWithDigit", "--data", "{}"}, "INVALID_ARGUMENT:"},
      {{"append", "ok-1", "Edited", "--id", "not-a-uuid"}, "INVALID_ARGUMENT:"},
      {{"append", "ok-1", "Edited", "--id", "123e4567-e89b-42d3-a456-42661417400"},
       "INVALID_ARGUMENT:"},
      {{"read", "never-written"}, "NOT_FOUND:"},
      {{"info", "never-written"}, "NOT_FOUND:"},
  };
  for (const Case& c : cases) {
    IrmResult result = Irm(c.args);
    SCOPED_TRACE(::testing::PrintToString(c.args));
    EXPECT_NE(result.exit_code, 0) << result;
    EXPECT_THAT(result.err, StartsWith(c.prefix)) << result;
    EXPECT_EQ(Lines(result.err).size(), 1u) << result;
  }
  EXPECT_EQ(Head(), 1u);
  EXPECT_EQ(IrmJson({"read", "$all"}).size(), 1u);
}

TEST_F(E2eLogTest, RetryWithSameIdIsIdempotentAcrossRestarts) {
  Append("other-1", "Filler", "{}");
  json original = Append("notes-1", "NoteTaken", R"({"text":"hello"})", {"--id", kIdA});
  EXPECT_EQ(original["position"], 2);
  EXPECT_EQ(original["already_written"], false);

  IrmResult human_retry =
      Irm({"append", "notes-1", "NoteTaken", "--data", R"({"text":"hello"})", "--id", kIdA});
  EXPECT_THAT(human_retry.out, HasSubstr("(already written)")) << human_retry;

  // The same id with the same event is answered with the original record; with other data
  // it is refused. Neither appends. Checked before and after a restart.
  auto expect_id_remembered = [&] {
    json retry = Append("notes-1", "NoteTaken", R"({"text":"hello"})", {"--id", kIdA});
    EXPECT_EQ(retry["position"], 2);
    EXPECT_EQ(retry["revision"], 0);
    EXPECT_EQ(retry["already_written"], true);
    IrmResult conflict =
        Irm({"append", "notes-1", "NoteTaken", "--data", R"({"text":"changed"})", "--id", kIdA});
    EXPECT_NE(conflict.exit_code, 0) << conflict;
    EXPECT_THAT(conflict.err, StartsWith("ALREADY_EXISTS:")) << conflict;
    EXPECT_EQ(Head(), 2u);
  };
  expect_id_remembered();
  ASSERT_NO_FATAL_FAILURE(RestartServer());
  expect_id_remembered();
  std::vector<json> events = IrmJson({"read", "notes-1"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["id"], kIdA);
}

// Problem 4 of issue 17: setting expected_revision alone was ignored (the kind defaulted to
// any). Now whichever member of the oneof is set is enforced, and nothing set means any.
TEST_F(E2eLogTest, ExpectedRevisionAloneIsEnforcedAndTheDetailsNameTheActualRevision) {
  std::unique_ptr<api::v1::LogService::Stub> stub = Stub();
  auto append = [&](const api::v1::AppendRequest& request, api::v1::AppendResponse* response) {
    grpc::ClientContext context;
    return stub->Append(&context, request, response);
  };
  api::v1::AppendRequest three;
  three.set_stream("orders-7");
  for (int i = 0; i < 3; ++i) *three.add_events() = Event("OrderStep");
  api::v1::AppendResponse response;
  ASSERT_TRUE(append(three, &response).ok());
  ASSERT_EQ(response.last_revision(), 2u);

  api::v1::AppendRequest stale;
  stale.set_stream("orders-7");
  stale.set_expected_revision(0);  // exact 0 on a stream at revision 2
  *stale.add_events() = Event("OrderStep");
  grpc::Status aborted = append(stale, &response);
  EXPECT_EQ(aborted.error_code(), grpc::StatusCode::ABORTED) << aborted.error_message();
  EXPECT_THAT(aborted.error_message(), HasSubstr("is at revision 2"));
  google::rpc::ErrorInfo info = ErrorInfoOf(aborted);
  EXPECT_EQ(info.reason(), "WRONG_EXPECTED_REVISION");
  EXPECT_EQ(info.domain(), "irm");
  EXPECT_EQ(info.metadata().at("stream"), "orders-7");
  EXPECT_EQ(info.metadata().at("expected"), "0");
  EXPECT_EQ(info.metadata().at("actual"), "2");
  EXPECT_EQ(Head(), 3u);

  api::v1::AppendRequest exact = stale;
  exact.set_expected_revision(2);
  ASSERT_TRUE(append(exact, &response).ok());
  EXPECT_EQ(response.first_revision(), 3u);
  api::v1::AppendRequest unset = stale;
  unset.clear_expected();  // nothing set: any
  ASSERT_TRUE(append(unset, &response).ok());
  api::v1::AppendRequest any = stale;
  any.mutable_any_revision();
  ASSERT_TRUE(append(any, &response).ok());
  EXPECT_EQ(response.last_revision(), 5u);
  api::v1::AppendRequest none_yet = stale;
  none_yet.mutable_no_stream();
  EXPECT_EQ(append(none_yet, &response).error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(Head(), 6u);
}

TEST_F(E2eLogTest, AppendResponseReturnsEveryIdInOrderServerMadeOnesIncluded) {
  std::unique_ptr<api::v1::LogService::Stub> stub = Stub();
  const std::string given = common::Uuid::Parse(kIdB)->Bytes();
  api::v1::AppendRequest request;
  request.set_stream("ids-1");
  *request.add_events() = Event("A");
  *request.add_events() = Event("B", given);
  *request.add_events() = Event("C");
  api::v1::AppendResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(stub->Append(&context, request, &response).ok());
  ASSERT_EQ(response.ids_size(), 3);
  EXPECT_EQ(response.ids(1), given);
  std::vector<json> stored = IrmJson({"read", "ids-1"});
  ASSERT_EQ(stored.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(response.ids(i).size(), 16u);
    EXPECT_EQ(stored[i]["id"], common::UuidBytesToString(response.ids(i))) << i;
  }
  // A retry answers with the same ids.
  for (int i = 0; i < 3; ++i) request.mutable_events(i)->set_id(response.ids(i));
  api::v1::AppendResponse retry;
  grpc::ClientContext retry_context;
  ASSERT_TRUE(stub->Append(&retry_context, request, &retry).ok());
  EXPECT_TRUE(retry.already_written());
  EXPECT_EQ(std::vector<std::string>(retry.ids().begin(), retry.ids().end()),
            std::vector<std::string>(response.ids().begin(), response.ids().end()));
  // GetLogInfo's count, as promised.
  api::v1::LogInfo info;
  grpc::ClientContext info_context;
  ASSERT_TRUE(stub->GetLogInfo(&info_context, {}, &info).ok());
  EXPECT_EQ(info.head_position(), 3u);
  EXPECT_EQ(info.event_count(), 3u);
}

TEST_F(E2eLogTest, RequestIdIsRecordedInTheMetadataOfEveryAppendedEvent) {
  // Given to irm.
  Append("req-1", "NoteTaken", "{}", {"--request-id", "ticket-4711"});
  // Made by irm: printed with --json and stored.
  json made = Append("req-1", "NoteTaken", "{}");
  ASSERT_TRUE(made.contains("request_id")) << made;
  EXPECT_TRUE(common::Uuid::Parse(made["request_id"].get<std::string>()).ok()) << made;
  // A review command records it too.
  IrmResult scheduled = Irm({"--request-id", "review-req-9", "review", "schedule", "KEN",
                             "--cycle", "2", "--year", "1"});
  ASSERT_EQ(scheduled.exit_code, 0) << scheduled;

  std::vector<json> notes = IrmJson({"read", "req-1"});
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0]["metadata"]["request_id"], "ticket-4711") << notes[0];
  EXPECT_EQ(notes[1]["metadata"]["request_id"], made["request_id"]) << notes[1];
  std::vector<json> review = IrmJson({"read", "review-KEN-2"});
  ASSERT_EQ(review.size(), 1u);
  EXPECT_EQ(review[0]["metadata"]["request_id"], "review-req-9") << review[0];

  // A client that sends none gets one made by irmd: the one it is told is the one stored.
  std::unique_ptr<api::v1::LogService::Stub> stub = Stub();
  api::v1::AppendRequest request;
  request.set_stream("req-2");
  *request.add_events() = Event("NoteTaken");
  api::v1::AppendResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(stub->Append(&context, request, &response).ok());
  auto echoed = context.GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(echoed, context.GetServerInitialMetadata().end());
  std::vector<json> raw = IrmJson({"read", "req-2"});
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ(raw[0]["metadata"]["request_id"],
            std::string(echoed->second.data(), echoed->second.size()));

  IrmResult bad = Irm({"--request-id", "has space", "info"});
  EXPECT_EQ(bad.exit_code, 2) << bad;
  EXPECT_THAT(bad.err, HasSubstr("--request-id 'has space'")) << bad;
}

// Problem 5 of issue 17: the same content in another stream was "different content".
TEST_F(E2eLogTest, AnIdUsedInAnotherStreamSaysWhereItIsUsed) {
  Append("first-1", "Filler", "{}");
  Append("home-1", "NoteTaken", "{}", {"--id", kIdB});
  IrmResult moved = Irm({"append", "away-1", "NoteTaken", "--data", "{}", "--id", kIdB});
  EXPECT_EQ(moved.exit_code, 1) << moved;
  EXPECT_THAT(moved.err, StartsWith(absl::StrCat("ALREADY_EXISTS: event id ", kIdB,
                                                 " is already used in stream home-1 at "
                                                 "position 2")))
      << moved;
  EXPECT_THAT(moved.err, Not(HasSubstr("different content"))) << moved;
  EXPECT_EQ(Head(), 2u);
}

// grpc.health.v1.Health/Check for `service`: the response's status (1 SERVING, 2
// NOT_SERVING), or -1 with the call's failure in `error`.
int HealthOf(const std::string& address, const std::string& service, grpc::Status* error) {
  grpc::GenericStub stub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  // CheckRequest{service}, encoded by hand: field 1, length-delimited.
  std::string bytes = std::string("\x0a", 1) + static_cast<char>(service.size()) + service;
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                 &response, [&](grpc::Status status) { done.set_value(status); });
  *error = done.get_future().get();
  if (!error->ok()) return -1;
  std::vector<grpc::Slice> slices;
  if (!response.Dump(&slices).ok()) return -1;
  std::string out;
  for (const grpc::Slice& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  // HealthCheckResponse{status}: field 1, varint.
  return out.size() == 2 && out[0] == '\x08' ? out[1] : (out.empty() ? 0 : -1);
}

TEST_F(E2eLogTest, HealthAnswersForTheServerAndForEachServiceByName) {
  for (const std::string service :
       {"", "irm.api.v1.LogService", "irm.api.v1.ReviewService", "irm.api.v1.ReportService",
        "irm.api.v1.AuditService", "irm.api.v1.AdminService"}) {
    grpc::Status error;
    EXPECT_EQ(HealthOf(irmd_->address(), service, &error), 1)
        << "'" << service << "': " << error.error_message();
  }
  grpc::Status error;
  EXPECT_EQ(HealthOf(irmd_->address(), "irm.api.v1.NoSuchService", &error), -1);
  EXPECT_EQ(error.error_code(), grpc::StatusCode::NOT_FOUND);
}

// The fields an export must carry over to another log unchanged.
json Portable(const json& event) {
  return {{"position", event["position"]}, {"stream", event["stream"]},
          {"revision", event["revision"]}, {"id", event["id"]},
          {"type", event["type"]},         {"content_type", event["content_type"]},
          {"data", event["data"]}};
}

TEST_F(E2eLogTest, ExportImportRoundTripsAndReimportIsANoOp) {
  Append("case-KEN-2", "ReviewScheduled", R"({"year":1,"nested":{"list":[1,2.5,"x",null]}})");
  Append("case-FRA-1", "ReviewScheduled", R"({"year":2})", {"--id", kIdB});
  Append("case-KEN-2", "ReviewLaunched", R"({"note":"ünïcode \"quoted\" ✓"})");
  Append("case-KEN-2", "FocalPointNamed", R"({"name":"Ana Ruiz"})");
  Append("case-FRA-1", "ReviewLaunched", "{}");

  IrmResult exported = Irm({"export"});
  ASSERT_EQ(exported.exit_code, 0) << exported;
  std::vector<std::string> lines = Lines(exported.out);
  ASSERT_EQ(lines.size(), 5u) << exported;
  const std::string file = dir_.Sub("events.jsonl");
  std::ofstream(file) << exported.out;

  TempDir second_dir("irm-e2e-import");
  absl::StatusOr<std::unique_ptr<IrmdProcess>> second = IrmdProcess::Start(second_dir.Sub("data"));
  ASSERT_TRUE(second.ok()) << second.status();
  IrmResult imported = RunIrm((*second)->address(), {"import", file});
  ASSERT_EQ(imported.exit_code, 0) << imported;
  IrmResult reexported = RunIrm((*second)->address(), {"export"});
  ASSERT_EQ(reexported.exit_code, 0) << reexported;
  std::vector<std::string> relines = Lines(reexported.out);
  ASSERT_EQ(relines.size(), lines.size()) << reexported;
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(Portable(json::parse(relines[i])), Portable(json::parse(lines[i])))
        << "line " << i + 1;
  }

  IrmResult again = RunIrm((*second)->address(), {"import", file});
  ASSERT_EQ(again.exit_code, 0) << again;
  IrmResult third_export = RunIrm((*second)->address(), {"export"});
  EXPECT_EQ(third_export.out, reexported.out);
  IrmResult info = RunIrm((*second)->address(), {"--json", "info"});
  EXPECT_EQ(json::parse(info.out)["head_position"], 5) << info;
  absl::Status stopped = (*second)->Stop();
  EXPECT_TRUE(stopped.ok()) << stopped;
}

// The data of issue 17 that was once stored rewritten (1.2345678901234568e+22, 0.3, 100.0, 0,
// unescaped): every byte is stored and read back as sent.
constexpr char kExactData[] =
    R"({"acct":12345678901234567890123,"rate":0.30000000000000000001,"x":1e2,"z":-0,)"
    R"("e":"\u00e9\n"})";

// The exact text of the top-level member `key` of the JSON line `line`, or "" if absent.
std::string RawMember(const std::string& line, const std::string& key) {
  absl::StatusOr<std::vector<log::JsonMember>> members = log::JsonObjectMembers(line);
  EXPECT_TRUE(members.ok()) << members.status() << "\n" << line;
  if (!members.ok()) return "";
  for (const log::JsonMember& member : *members) {
    if (member.key == key) return std::string(member.value);
  }
  return "";
}

// The bytes of the event's data in the JSON line: `data` as written, or `data_base64` decoded.
std::string DataBytes(const std::string& line) {
  std::string raw = RawMember(line, "data");
  if (!raw.empty()) return raw;
  std::string bytes;
  EXPECT_TRUE(absl::Base64Unescape(json::parse(line)["data_base64"].get<std::string>(), &bytes))
      << line;
  return bytes;
}

TEST_F(E2eLogTest, JsonDataIsStoredAndReadBackByteForByte) {
  IrmResult appended = Irm({"append", "s", "T", "--data", kExactData});
  ASSERT_EQ(appended.exit_code, 0) << appended;
  IrmResult read = Irm({"read", "s", "--json"});
  ASSERT_EQ(read.exit_code, 0) << read;
  ASSERT_EQ(Lines(read.out).size(), 1u) << read;
  EXPECT_THAT(read.out, HasSubstr(absl::StrCat(R"(,"data":)", kExactData, R"(,"metadata":)")));
  EXPECT_EQ(RawMember(Lines(read.out)[0], "data"), kExactData);

  // Spacing, line breaks and custom metadata are kept too; a line break makes it base64.
  const std::string spaced = "{\n  \"a\" : [ 1e400 , \"\\ud83d\\ude00\" ],\r\n  \"b\":\"é\"\n}\n";
  const std::string custom = "{ \"ticket\" : 12345678901234567890123 }";
  ASSERT_EQ(Irm({"append", "s", "T", "--data", spaced, "--metadata", custom}).exit_code, 0);
  IrmResult second = Irm({"read", "s", "--json", "--from", "1"});
  ASSERT_EQ(Lines(second.out).size(), 1u) << second;
  const std::string line = Lines(second.out)[0];
  EXPECT_EQ(RawMember(line, "data"), "") << "a raw line break never goes into a JSON line";
  EXPECT_EQ(DataBytes(line), spaced);
  EXPECT_EQ(RawMember(RawMember(line, "metadata"), "custom"), custom);

  // The human form stays on one line.
  IrmResult human = Irm({"read", "s"});
  ASSERT_EQ(Lines(human.out).size(), 2u) << human;
  EXPECT_THAT(human.out, HasSubstr("1e2,\"z\":-0"));
}

TEST_F(E2eLogTest, DuplicateKeysAndAByteOrderMarkAreRefusedAndAppendNothing) {
  IrmResult duplicate = Irm({"append", "s", "T", "--data", R"({"a":1,"a":2})"});
  EXPECT_NE(duplicate.exit_code, 0) << duplicate;
  EXPECT_EQ(duplicate.err,
            "INVALID_ARGUMENT: event 0 of the append to s (T): JSON data refused: duplicate key "
            "\"a\" in the top-level object (byte offset 0); keys are compared after "
            "unescaping, and each may appear once per object\n");
  IrmResult escaped = Irm({"append", "s", "T", "--data", R"({"x":{"k":1,"\u006b":2}})"});
  EXPECT_THAT(escaped.err, HasSubstr(R"(duplicate key "k" in the object at /x)")) << escaped;
  IrmResult bom = Irm({"append", "s", "T", "--data", "\xEF\xBB\xBF{}"});
  EXPECT_THAT(bom.err, HasSubstr("starts with a UTF-8 byte order mark (EF BB BF); send the "
                                 "JSON text without it"))
      << bom;
  IrmResult metadata = Irm({"append", "s", "T", "--metadata", R"({"m":1,"m":1})"});
  EXPECT_THAT(metadata.err, HasSubstr(R"(custom metadata refused: duplicate key "m")"))
      << metadata;
  EXPECT_EQ(Head(), 0u);
  EXPECT_THAT(Irm({"read", "s"}).err, StartsWith("NOT_FOUND:")) << "the stream was never written";
}

TEST_F(E2eLogTest, ARetryMustSendTheSameBytes) {
  Append("s", "T", R"({"a": 1})", {"--id", kIdA});
  EXPECT_EQ(Append("s", "T", R"({"a": 1})", {"--id", kIdA})["already_written"], true);
  IrmResult respaced = Irm({"append", "s", "T", "--data", R"({"a":1})", "--id", kIdA});
  EXPECT_THAT(respaced.err, StartsWith("ALREADY_EXISTS:")) << respaced;
  EXPECT_EQ(Head(), 1u);
}

// Each line of an export with its place in the log and its time of recording left out:
// the members that must survive an import into another log, as their exact text, and the
// custom metadata's text.
std::vector<std::string> PortableText(const std::string& export_text) {
  std::vector<std::string> out;
  for (const std::string& line : Lines(export_text)) {
    absl::StatusOr<std::vector<log::JsonMember>> members = log::JsonObjectMembers(line);
    EXPECT_TRUE(members.ok()) << members.status();
    if (!members.ok()) continue;
    std::string text;
    for (const log::JsonMember& member : *members) {
      if (member.key == "recorded_at") continue;
      std::string value(member.value);
      if (member.key == "metadata") {  // who imported it differs; the custom metadata not
        value = absl::StrCat(RawMember(value, "custom"), "|", RawMember(value, "custom_base64"));
      }
      absl::StrAppend(&text, member.key, "=", value, "\n");
    }
    out.push_back(text);
  }
  return out;
}

TEST_F(E2eLogTest, ExportImportExportGivesEveryByteBack) {
  Append("case-1", "Exact", kExactData, {"--metadata", R"({ "k" : 1e2 })"});
  Append("case-1", "Spaced", "{\n  \"n\": 12345678901234567890123,\n  \"s\": \"\\u00e9\\n\"\n}\n",
         {"--metadata", "{\n\"multi\":\"line\"}"});
  Append("case-2", "Escapes", R"(["\/", "\ud83d\ude00", "ünïcode", -0.0e-0, 0.1e999])");
  IrmResult exported = Irm({"export"});
  ASSERT_EQ(exported.exit_code, 0) << exported;
  ASSERT_EQ(Lines(exported.out).size(), 3u) << exported;
  EXPECT_THAT(exported.out, HasSubstr(R"("data_base64":")")) << "the spaced event";
  EXPECT_THAT(exported.out, HasSubstr(R"("custom_base64":")"));
  EXPECT_EQ(exported.out.find('\r'), std::string::npos);
  const std::string file = dir_.Sub("events.jsonl");
  std::ofstream(file, std::ios::binary) << exported.out;

  TempDir second_dir("irm-e2e-import");
  absl::StatusOr<std::unique_ptr<IrmdProcess>> second = IrmdProcess::Start(second_dir.Sub("data"));
  ASSERT_TRUE(second.ok()) << second.status();
  IrmResult imported = RunIrm((*second)->address(), {"import", file});
  ASSERT_EQ(imported.exit_code, 0) << imported;
  IrmResult reexported = RunIrm((*second)->address(), {"export"});
  ASSERT_EQ(reexported.exit_code, 0) << reexported;
  EXPECT_EQ(PortableText(reexported.out), PortableText(exported.out));
  const std::vector<std::string> lines = Lines(exported.out);
  const std::vector<std::string> relines = Lines(reexported.out);
  ASSERT_EQ(relines.size(), 3u);
  EXPECT_EQ(DataBytes(relines[0]), kExactData);
  EXPECT_EQ(DataBytes(relines[1]),
            "{\n  \"n\": 12345678901234567890123,\n  \"s\": \"\\u00e9\\n\"\n}\n");
  for (size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(DataBytes(relines[i]), DataBytes(lines[i]));
  // The imported events' own custom metadata is the exported one, byte for byte; their
  // origin records the exported metadata whole.
  EXPECT_EQ(RawMember(RawMember(relines[0], "metadata"), "custom"), R"({ "k" : 1e2 })");
  EXPECT_EQ(RawMember(RawMember(RawMember(RawMember(relines[0], "metadata"), "imported_from"),
                                "metadata"),
                      "custom"),
            R"({ "k" : 1e2 })");

  // An export of that import imports again into a third log, as exactly.
  const std::string file2 = dir_.Sub("events2.jsonl");
  std::ofstream(file2, std::ios::binary) << reexported.out;
  TempDir third_dir("irm-e2e-import");
  absl::StatusOr<std::unique_ptr<IrmdProcess>> third = IrmdProcess::Start(third_dir.Sub("data"));
  ASSERT_TRUE(third.ok()) << third.status();
  ASSERT_EQ(RunIrm((*third)->address(), {"import", file2}).exit_code, 0);
  IrmResult third_export = RunIrm((*third)->address(), {"export"});
  EXPECT_EQ(PortableText(third_export.out), PortableText(exported.out));
  EXPECT_TRUE((*second)->Stop().ok());
  EXPECT_TRUE((*third)->Stop().ok());
}

TEST_F(E2eLogTest, UnreachableServerIsUnavailable) {
  // A port that just stopped serving: irmd exited and nothing listens there now.
  TempDir other("irm-e2e-gone");
  absl::StatusOr<std::unique_ptr<IrmdProcess>> gone = IrmdProcess::Start(other.Sub("data"));
  ASSERT_TRUE(gone.ok()) << gone.status();
  const std::string address = (*gone)->address();
  ASSERT_TRUE((*gone)->Stop().ok());

  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"append", "s-1", "T", "--data", "{}"}, {"read", "$all"}, {"info"}}) {
    IrmResult result = RunIrm(address, args);
    SCOPED_TRACE(::testing::PrintToString(args));
    EXPECT_NE(result.exit_code, 0) << result;
    EXPECT_THAT(result.err, StartsWith("UNAVAILABLE:")) << result;
  }
}

TEST_F(E2eLogTest, SigtermExitsZeroAndRestartKeepsEveryEvent) {
  for (int i = 0; i < 20; ++i) {
    Append(absl::StrCat("s-", i % 3), "Counted", absl::StrCat(R"({"i":)", i, "}"));
  }
  std::vector<json> before = IrmJson({"read", "$all"});
  ASSERT_EQ(before.size(), 20u);
  ASSERT_NO_FATAL_FAILURE(RestartServer());
  EXPECT_EQ(IrmJson({"read", "$all"}), before);
  EXPECT_EQ(Append("s-0", "Counted", "{}", {"--expect", "6"})["position"], 21);
}

TEST(E2eServerFlagsTest, RefusesNonLoopbackListenWithoutAuth) {
  TempDir dir("irm-e2e-flags");
  SubprocessOptions options;
  options.argv = {IrmdPath(), "--data", dir.Sub("data"), "--listen", "0.0.0.0:0"};
  absl::StatusOr<std::unique_ptr<Subprocess>> irmd = Subprocess::Start(options);
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  absl::StatusOr<int> status = (*irmd)->Wait(absl::Seconds(20));
  ASSERT_TRUE(status.ok()) << status.status() << "; irmd kept running:\n" << (*irmd)->stderr_text();
  EXPECT_NE(*status, 0);
  EXPECT_THAT((*irmd)->stderr_text(), HasSubstr("--auth"));
  EXPECT_THAT((*irmd)->stderr_text(), Not(HasSubstr("irmd listening on")));
}

}  // namespace
}  // namespace irm::tests
