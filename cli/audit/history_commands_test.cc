// The sentences of `irm history --explain`, from hand-built GetReviewHistory replies.
#include "cli/audit/history_commands.h"

#include "cli/core/cli_status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::cli {
namespace {

using ::testing::HasSubstr;

api::v1::ReviewHistory Sample() {
  api::v1::ReviewHistory h;
  h.mutable_status()->mutable_review()->set_state("KEN");
  h.mutable_status()->mutable_review()->set_cycle(2);
  h.mutable_status()->mutable_review()->set_stage("summary_approved");
  h.mutable_status()->set_as_of("2021-06-01");
  h.mutable_status()->set_next_step("ExecutiveSummaryIssued");
  h.mutable_status()->set_next_deadline("2021-05-02");
  api::v1::HistoryEvent* e = h.add_events();
  e->set_position(41);
  e->set_type("ExecutiveSummaryApproved");
  e->set_on("2021-03-02");
  e->mutable_recorded_at()->set_seconds(1796008200);  // 2026-11-30T03:10:00Z
  e->mutable_actor()->set_name("anonymous");
  e->mutable_actor()->set_role("secretariat");
  e->set_on_behalf_of("focal_point:KEN");
  auto add = [&](const std::string& field, const std::string& value, uint64_t position,
                 const std::string& derived_from = "") {
    api::v1::FieldProvenance* p = h.add_provenance();
    p->set_field(field);
    p->set_value(value);
    p->set_position(position);
    p->set_derived_from(derived_from);
  };
  add("stage", "summary_approved", 41);
  add("summary_approved_on", "2021-03-02", 41);
  add("dialogue", "", 0);
  add("overdue", "true", 41, "summary_approved_on");
  return h;
}

TEST(ExplainSentenceTest, NamesTheEventItsDateWhenAndByWhom) {
  absl::StatusOr<std::string> s = ExplainSentence(Sample(), "stage");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(*s,
            "stage is summary_approved because of event 41 (ExecutiveSummaryApproved on "
            "2021-03-02), recorded 2026-11-30T03:10:00Z by anonymous (secretariat) on behalf of "
            "focal_point:KEN");
}

TEST(ExplainSentenceTest, DerivedValuesGoThroughTheFieldTheyFollowFrom) {
  absl::StatusOr<std::string> s = ExplainSentence(Sample(), "overdue");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(*s, ::testing::StartsWith(
                      "overdue is true as of 2021-06-01 (next step ExecutiveSummaryIssued due "
                      "2021-05-02): it follows from summary_approved_on = 2021-03-02, which is "
                      "so because of event 41"));
}

TEST(ExplainSentenceTest, UnsetAndUnknownFields) {
  EXPECT_EQ(*ExplainSentence(Sample(), "dialogue"),
            "dialogue is \"\": no event of review-KEN-2 has set it");
  absl::Status unknown = ExplainSentence(Sample(), "colour").status();
  EXPECT_TRUE(IsUsageError(unknown)) << unknown;
  EXPECT_THAT(unknown.message(), HasSubstr("fields: stage, summary_approved_on, dialogue"));
}

TEST(ActorTextTest, ShowsRoleAndState) {
  event::v1::Principal p;
  p.set_name("Ana Ruiz");
  p.set_role("focal_point");
  p.set_state("KEN");
  EXPECT_EQ(ActorText(p), "Ana Ruiz (focal_point, KEN)");
  EXPECT_EQ(ActorText(event::v1::Principal()), "unknown");
}

}  // namespace
}  // namespace irm::cli
