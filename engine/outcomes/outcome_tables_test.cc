#include "engine/outcomes/outcome_tables.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::outcomes {
namespace {

namespace ev = ::irm::event::v1;

ev::OutcomeState* AddOutcome(ev::ReviewState& review, const std::string& id, int article,
                             const std::string& chapter, const std::string& kind,
                             const std::string& on) {
  ev::OutcomeState* o = review.add_outcomes();
  o->set_outcome_id(id);
  o->set_article(article);
  o->set_chapter(chapter);
  o->set_kind(kind);
  o->set_recorded_on(on);
  return o;
}

void AddStep(ev::OutcomeState* o, const std::string& on, const std::string& status,
             uint64_t position) {
  ev::OutcomeStatusStep* step = o->add_history();
  step->set_on(on);
  step->set_status(status);
  step->set_position(position);
}

std::vector<ev::ReviewState> TwoReviews() {
  ev::ReviewState ken;
  ken.set_state("KEN");
  ken.set_cycle(2);
  ken.set_region("african");
  ken.set_summary_issued_on("2017-01-10");
  AddStep(AddOutcome(ken, "KEN-2-R1", 9, "II", "recommendation", "2016-09-05"), "2018-01-01",
          "implemented", 10);
  AddStep(AddOutcome(ken, "KEN-2-R2", 52, "V", "recommendation", "2016-09-05"), "2019-01-01",
          "partially_implemented", 11);
  AddOutcome(ken, "KEN-2-G1", 9, "II", "good_practice", "2016-09-06");
  ev::ReviewState fra;
  fra.set_state("FRA");
  fra.set_cycle(2);
  fra.set_region("western_european_other");
  auto* r = AddOutcome(fra, "FRA-2-R1", 5, "II", "recommendation", "2018-06-01");
  AddStep(r, "2019-01-01", "no_longer_relevant", 20);
  AddOutcome(fra, "FRA-2-O1", 5, "II", "observation", "2018-06-01");
  return {ken, fra};
}

TEST(OutcomeTablesTest, GroupsByChapterWithStatusesAndRate) {
  absl::StatusOr<Snapshot> s = ComputeSnapshot(TwoReviews(), "", Grouping::kChapter, std::nullopt);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->total, 5);
  EXPECT_EQ(s->states, 2);
  EXPECT_EQ(s->reviews, 2);
  EXPECT_EQ(s->summaries_issued, 1);
  ASSERT_EQ(s->groups.size(), 2u);
  EXPECT_EQ(s->groups[0].key, "II");
  EXPECT_EQ(s->groups[0].count, 4);
  EXPECT_EQ(s->groups[0].states, 2);
  EXPECT_EQ(s->groups[0].by_status.implemented, 1);
  EXPECT_EQ(s->groups[0].by_status.no_longer_relevant, 1);
  EXPECT_DOUBLE_EQ(*s->groups[0].by_status.ImplementationRate(), 1.0);
  EXPECT_EQ(s->groups[1].key, "V");
  // (1 + 1/2) / (3 - 1)
  EXPECT_DOUBLE_EQ(*s->by_status.ImplementationRate(), 0.75);
}

TEST(OutcomeTablesTest, AsOfCountsOutcomesAndStatusesOfThatDay) {
  const auto day = absl::CivilDay(2018, 12, 31);
  absl::StatusOr<Snapshot> s = ComputeSnapshot(TwoReviews(), "", Grouping::kStatus, day);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->total, 3);  // recommendations only
  ASSERT_EQ(s->groups.size(), 2u);
  EXPECT_EQ(s->groups[0].key, "not_started");
  EXPECT_EQ(s->groups[0].count, 2);
  EXPECT_EQ(s->groups[1].key, "implemented");
  absl::StatusOr<Snapshot> early =
      ComputeSnapshot(TwoReviews(), "", Grouping::kKind, absl::CivilDay(2017, 1, 1));
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->total, 3);
  EXPECT_EQ(early->states, 1);
  EXPECT_EQ(early->summaries_issued, 0);
  ASSERT_EQ(early->groups.size(), 2u);
  EXPECT_EQ(early->groups[0].key, "recommendation");
  EXPECT_EQ(early->groups[1].key, "good_practice");
  EXPECT_FALSE(ComputeSnapshot({}, "", Grouping::kKind, std::nullopt)
                   ->by_status.ImplementationRate()
                   .has_value());
}

TEST(OutcomeTablesTest, RefusesBadKindsAndGroupings) {
  EXPECT_TRUE(absl::IsInvalidArgument(
      ComputeSnapshot(TwoReviews(), "finding", Grouping::kChapter, std::nullopt).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      ComputeSnapshot(TwoReviews(), "observation", Grouping::kStatus, std::nullopt).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseGrouping("category").status()));
  EXPECT_EQ(*ParseGrouping("status"), Grouping::kStatus);
  absl::StatusOr<Snapshot> regions =
      ComputeSnapshot(TwoReviews(), "recommendation", Grouping::kRegion, std::nullopt);
  ASSERT_TRUE(regions.ok());
  ASSERT_EQ(regions->groups.size(), 2u);
  EXPECT_EQ(regions->groups[0].key, "african");
  EXPECT_EQ(regions->groups[1].key, "western_european_other");
}

}  // namespace
}  // namespace irm::outcomes
