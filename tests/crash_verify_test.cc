// LogVerifier must catch each kind of damage the crash test looks for; a checker that
// passes everything would make the crash test worthless.
#include "tests/crash_verify.h"

#include "absl/strings/str_cat.h"
#include "engine/common/uuid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::tests {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

SentAppend Sent(const std::string& stream, int events, bool acked, uint64_t first_position,
                uint64_t first_revision) {
  SentAppend s;
  s.stream = stream;
  for (int i = 0; i < events; ++i) {
    s.ids.push_back(common::Uuid::Random().ToString());
    s.types.push_back("T");
    s.data.push_back(absl::StrCat(R"({"i":)", i, "}"));
  }
  s.acknowledged = acked;
  s.first_position = first_position;
  s.first_revision = first_revision;
  if (!acked) s.code = grpc::StatusCode::UNAVAILABLE;
  return s;
}

// Appends the events of `s` to `log` as the server would have written them.
void Write(const SentAppend& s, uint64_t first_revision, LogSnapshot& log) {
  for (size_t i = 0; i < s.ids.size(); ++i) {
    event::v1::EventRecord& e = log.events.emplace_back();
    e.set_position(log.events.size());
    e.set_stream(s.stream);
    e.set_revision(first_revision + i);
    e.set_id(common::Uuid::Parse(s.ids[i])->Bytes());
    e.set_type(s.types[i]);
    e.set_data(s.data[i]);
  }
  log.head = log.events.size();
}

TEST(LogVerifierTest, AcceptsACompleteLogWithAnUnacknowledgedAppendEitherWay) {
  SentAppend a = Sent("s-1", 2, true, 1, 0);
  SentAppend b = Sent("s-2", 3, false, 0, 0);
  SentAppend c = Sent("s-1", 1, false, 0, 0);
  LogSnapshot log;
  Write(a, 0, log);
  Write(b, 0, log);
  LogVerifier verifier;
  verifier.AddSent({a, b, c});
  EXPECT_THAT(verifier.Verify(log), IsEmpty());
  EXPECT_EQ(verifier.acknowledged(), 1u);
  EXPECT_EQ(verifier.unacknowledged_present(), 1u);
  EXPECT_EQ(verifier.unacknowledged_absent(), 1u);
}

TEST(LogVerifierTest, ReportsALostAcknowledgedAppend) {
  SentAppend a = Sent("s-1", 2, true, 1, 0);
  LogVerifier verifier;
  verifier.AddSent({a});
  EXPECT_THAT(verifier.Verify(LogSnapshot()), ElementsAre(HasSubstr("lost acknowledged")));
}

TEST(LogVerifierTest, ReportsATornAppend) {
  SentAppend a = Sent("s-1", 3, false, 0, 0);
  LogSnapshot log;
  Write(a, 0, log);
  log.events.pop_back();
  log.head = 2;
  LogVerifier verifier;
  verifier.AddSent({a});
  EXPECT_THAT(verifier.Verify(log), ElementsAre(HasSubstr("torn append")));
}

TEST(LogVerifierTest, ReportsAGapAWrongPlaceAndAPhantom) {
  SentAppend a = Sent("s-1", 1, true, 1, 0);
  SentAppend b = Sent("s-1", 1, true, 2, 1);
  LogSnapshot log;
  Write(a, 0, log);
  Write(b, 1, log);
  Write(Sent("s-9", 1, false, 0, 0), 0, log);  // never sent
  log.events[1].set_position(5);
  LogVerifier verifier;
  verifier.AddSent({a, b});
  std::vector<std::string> problems = verifier.Verify(log);
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("has position 5, expected 2")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("differs from what was sent")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("was never sent")));
}

TEST(LogVerifierTest, ReportsChangedDataAndRevisionGaps) {
  SentAppend a = Sent("s-1", 2, true, 1, 0);
  LogSnapshot log;
  Write(a, 0, log);
  log.events[0].set_data(R"({"i":7})");
  log.events[1].set_revision(2);
  LogVerifier verifier;
  verifier.AddSent({a});
  std::vector<std::string> problems = verifier.Verify(log);
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("revision 2, expected 1")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("differs from what was sent")));
}

TEST(LogVerifierTest, ReportsAnUnacknowledgedAppendThatAppearsLater) {
  SentAppend a = Sent("s-1", 1, false, 0, 0);
  LogVerifier verifier;
  verifier.AddSent({a});
  EXPECT_THAT(verifier.Verify(LogSnapshot()), IsEmpty());
  LogSnapshot log;
  Write(a, 0, log);
  EXPECT_THAT(verifier.Verify(log), ElementsAre(HasSubstr("has appeared")));
}

}  // namespace
}  // namespace irm::tests
