// End-to-end authentication and authorisation: the real irmd with an --auth file, the real irm
// with --token / IRM_TOKEN. One test per denial; every denied call appends nothing.
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "engine/access/token_file.h"
#include "tests/auth_fixture.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class E2eAuthTest : public AuthFixture {};

TEST_F(E2eAuthTest, NoTokenIsUnauthenticated) {
  LaunchKen();
  ExpectDenied("", {"info"}, "UNAUTHENTICATED", "Bearer");
  ExpectDenied("", {"status", "KEN", "--cycle", "2"}, "UNAUTHENTICATED", "no credentials");
  ExpectDenied("", {"append", "notes", "Note", "--data", "{}"}, "UNAUTHENTICATED",
               "no credentials");
  ExpectDenied("", {"review", "kickoff", "KEN", "--cycle", "2"}, "UNAUTHENTICATED",
               "no credentials");
  ExpectDenied("", {"read", "$all"}, "UNAUTHENTICATED", "no credentials");
  ExpectDenied("", {"subscribe", "--from", "start", "--count", "1"}, "UNAUTHENTICATED",
               "no credentials");
  ExpectDenied("", {"report", "needs", "--format", "json"}, "UNAUTHENTICATED",
               "no credentials");
}

TEST_F(E2eAuthTest, UnknownTokenIsUnauthenticated) {
  LaunchKen();
  ExpectDenied("not-a-token", {"info"}, "UNAUTHENTICATED", "unknown token");
  ExpectDenied("not-a-token", {"review", "kickoff", "KEN", "--cycle", "2"}, "UNAUTHENTICATED",
               "unknown token");
  ExpectDenied("not-a-token", {"append", "notes", "Note", "--data", "{}"}, "UNAUTHENTICATED",
               "unknown token");
  // The token's hash is no token.
  ExpectDenied(access::Sha256Hex(kSec), {"info"}, "UNAUTHENTICATED", "unknown token");
}

TEST_F(E2eAuthTest, TokenFromEnvironment) {
  IrmResult result = RunIrm(irmd_->address(), {"--json", "info"},
                            {std::string("IRM_TOKEN=") + kAud});
  EXPECT_EQ(result.exit_code, 0) << result;
  result = RunIrm(irmd_->address(), {"--json", "info"}, {"IRM_TOKEN=wrong"});
  EXPECT_THAT(result.err, StartsWith("UNAUTHENTICATED: ")) << result;
}

TEST_F(E2eAuthTest, WrongRoleIsDenied) {
  LaunchKen();
  // A focal point does not launch, hold kick-offs or draw lots; a reviewer does not submit
  // the State's checklist.
  ExpectDenied(kKen, {"review", "kickoff", "KEN", "--cycle", "2"}, "PERMISSION_DENIED",
               "focal_point:KEN may not give 'kickoff'");
  ExpectDenied(kKen, {"lots", "draw", "--cycle", "2", "--year", "2"}, "PERMISSION_DENIED",
               "may not draw lots");
  Step(kSec, "focal-point", {"--name", "Ana Ruiz", "--on", "2016-06-15"});
  Step(kSec, "kickoff", {"--checklist-due", "2016-08-01", "--on", "2016-07-01"});
  ExpectDenied(kFra, {"review", "checklist", "KEN", "--cycle", "2"}, "PERMISSION_DENIED",
               "reviewer:FRA may not give 'checklist'");
  // A redraw beyond the State's two is the secretariat's exception only.
  ExpectDenied(kKen, {"review", "redraw", "KEN", "--cycle", "2", "--slot", "1", "--exception"},
               "PERMISSION_DENIED", "redraw_exception");
}

TEST_F(E2eAuthTest, WrongStateIsDenied) {
  LaunchKen();
  ExpectDenied(kUga, {"review", "focal-point", "KEN", "--cycle", "2", "--name", "Olu"},
               "PERMISSION_DENIED", "focal_point:UGA acts only for UGA");
  ExpectDenied(kUga, {"need", "add", "KEN", "--cycle", "2", "--article", "9", "--category",
                      "capacity_building", "--text", "x"},
               "PERMISSION_DENIED", "acts only for UGA");
  Step(kKen, "focal-point", {"--name", "Ana Ruiz", "--on", "2016-06-15"});
  Step(kSec, "kickoff", {"--checklist-due", "2016-08-01", "--on", "2016-07-01"});
  Step(kKen, "checklist", {"--on", "2016-08-03"});
  // BRA was not drawn for KEN.
  ExpectDenied(kBra, {"review", "desk-review", "KEN", "--cycle", "2"}, "PERMISSION_DENIED",
               "reviewer:BRA acts only on reviews BRA was drawn for");
  EXPECT_EQ(Step(kFra, "desk-review", {"--on", "2016-09-01"})["stage"], "desk_review_done");
}

TEST_F(E2eAuthTest, ObserverWritingIsDenied) {
  LaunchKen();
  ExpectDenied(kObs, {"review", "focal-point", "KEN", "--cycle", "2", "--name", "X"},
               "PERMISSION_DENIED", "observer (Otto Observer) may read but never write");
  ExpectDenied(kObs, {"append", "notes", "Note", "--data", "{}"}, "PERMISSION_DENIED",
               "never write");
  ExpectDenied(kObs, {"lots", "draw-years", "--cycle", "1"}, "PERMISSION_DENIED",
               "never write");
  ExpectDenied(kObs, {"admin", "rebuild", "reviews"}, "PERMISSION_DENIED", "only the secretariat");
}

TEST_F(E2eAuthTest, AdminListsAreForSecretariatAndAuditors) {
  ExpectDenied(kObs, {"admin", "projections"}, "PERMISSION_DENIED",
               "observer may not list projections; only the secretariat and auditors may");
  ExpectDenied(kKen, {"admin", "subscriptions"}, "PERMISSION_DENIED",
               "focal_point:KEN may not list subscriptions");
  EXPECT_EQ(As(kAud, {"--json", "admin", "projections"}).exit_code, 0);
  ExpectDenied(kAud, {"admin", "rebuild", "reviews"}, "PERMISSION_DENIED",
               "only the secretariat");
}

TEST_F(E2eAuthTest, AuditorAppendingIsDenied) {
  LaunchKen();
  ExpectDenied(kAud, {"append", "notes", "Note", "--data", "{}"}, "PERMISSION_DENIED",
               "auditor (Aude Auditor) may read but never write");
  ExpectDenied(kAud, {"review", "kickoff", "KEN", "--cycle", "2"}, "PERMISSION_DENIED",
               "never write");
  // Auditors read everything.
  IrmResult read = As(kAud, {"--json", "read", "review-KEN-2"});
  EXPECT_EQ(read.exit_code, 0) << read;
  EXPECT_EQ(Lines(read.out).size(), 3u) << read;
}

TEST_F(E2eAuthTest, RawAppendIntoReviewStreamIsDenied) {
  LaunchKen();
  ExpectDenied(kSec, {"append", "review-KEN-2", "ReviewLaunched", "--data", "{}"},
               "PERMISSION_DENIED", "review- streams change only through workflow commands");
  ExpectDenied(kKen, {"append", "notes", "Note", "--data", "{}"}, "PERMISSION_DENIED",
               "only the secretariat");
  // The secretariat's raw append elsewhere works.
  EXPECT_EQ(JsonAs(kSec, {"append", "notes-2016", "Note", "--data", "{\"text\":\"hi\"}"})
                .value("revision", -1),
            0);
}

TEST_F(E2eAuthTest, ImportIsSecretariatOnlyAndMayWriteReviewStreams) {
  LaunchKen();
  IrmResult exported = As(kSec, {"export"});
  ASSERT_EQ(exported.exit_code, 0) << exported;
  const std::string file = dir_.Sub("events.jsonl");
  std::ofstream(file) << exported.out;
  // A second server with the same principals.
  absl::StatusOr<std::unique_ptr<IrmdProcess>> other =
      IrmdProcess::Start(dir_.Sub("data2"), {"--auth", auth_file_});
  ASSERT_TRUE(other.ok()) << other.status();
  IrmResult denied = RunIrm((*other)->address(), {"--token", kKen, "import", file});
  EXPECT_THAT(denied.err, HasSubstr("PERMISSION_DENIED")) << denied;
  IrmResult imported = RunIrm((*other)->address(), {"--token", kSec, "import", file});
  EXPECT_EQ(imported.exit_code, 0) << imported;
  IrmResult read = RunIrm((*other)->address(), {"--token", kAud, "--json", "read", "review-KEN-2"});
  EXPECT_EQ(Lines(read.out).size(), 3u) << read;
  EXPECT_TRUE((*other)->Stop().ok());
}

TEST_F(E2eAuthTest, RecordedActorIsTheTokensPrincipal) {
  LaunchKen();
  Step(kKen, "focal-point", {"--name", "Ana Ruiz", "--on", "2016-06-15"});
  Step(kSec, "kickoff", {"--checklist-due", "2016-08-01", "--on", "2016-07-01"});
  Step(kSec, "checklist", {"--on", "2016-08-03", "--on-behalf-of", "focal_point:KEN"});
  Step(kFra, "desk-review", {"--on", "2016-09-01"});
  IrmResult read = As(kAud, {"--json", "read", "review-KEN-2"});
  ASSERT_EQ(read.exit_code, 0) << read;
  std::map<std::string, json> actor_of;
  std::map<std::string, json> metadata_of;
  for (const std::string& line : Lines(read.out)) {
    json event = json::parse(line);
    actor_of[event["type"]] = event["metadata"]["actor"];
    metadata_of[event["type"]] = event["metadata"];
  }
  EXPECT_EQ(actor_of["ReviewLaunched"],
            json({{"name", "Sam Secretariat"}, {"role", "secretariat"}}));
  EXPECT_EQ(actor_of["FocalPointAppointed"],
            json({{"name", "Ana Ruiz"}, {"role", "focal_point"}, {"state", "KEN"}}));
  EXPECT_EQ(actor_of["ChecklistSubmitted"],
            json({{"name", "Sam Secretariat"}, {"role", "secretariat"}}));
  EXPECT_EQ(metadata_of["ChecklistSubmitted"].value("on_behalf_of", ""), "focal_point:KEN");
  EXPECT_EQ(actor_of["DeskReviewCompleted"],
            json({{"name", "Remy Fournier"}, {"role", "reviewer"}, {"state", "FRA"}}));
  // Only the secretariat records on behalf of someone else.
  ExpectDenied(kKen, {"review", "publish", "KEN", "--cycle", "2", "--on-behalf-of", "reviewer:FRA"},
               "PERMISSION_DENIED", "only the secretariat records for others");
}

}  // namespace
}  // namespace irm::tests
