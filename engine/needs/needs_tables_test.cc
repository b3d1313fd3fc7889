#include "engine/needs/needs_tables.h"

#include <map>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "engine/needs/needs_projection.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "irm/event/v1/review_events.pb.h"

namespace irm::needs {
namespace {

namespace ev = ::irm::event::v1;

class MapView final : public projection::StateView {
 public:
  absl::StatusOr<std::optional<std::string>> Get(absl::string_view key) override {
    auto it = values_.find(std::string(key));
    if (it == values_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  void Put(absl::string_view key, absl::string_view value) override {
    values_[std::string(key)] = std::string(value);
  }
  void Delete(absl::string_view key) override { values_.erase(std::string(key)); }

  template <typename T>
  std::vector<T> All(absl::string_view prefix) const {
    std::vector<T> out;
    for (const auto& [key, value] : values_) {
      if (absl::StartsWith(key, prefix)) out.emplace_back().ParseFromString(value);
    }
    return out;
  }

 private:
  std::map<std::string, std::string> values_;
};

class NeedsTablesTest : public ::testing::Test {
 protected:
  void Append(const std::string& stream, const google::protobuf::Message& message) {
    log::EventRecord record;
    record.set_stream(stream);
    record.set_position(++position_);
    record.set_type(message.GetDescriptor()->name());
    record.set_content_type(ev::CONTENT_TYPE_PROTOBUF);
    record.set_data(message.SerializeAsString());
    ASSERT_TRUE(projection_.Apply(record, view_).ok());
  }
  void Need(const std::string& state, int n, int article, const std::string& chapter,
            const std::string& category, const std::string& on) {
    ev::NeedIdentified e;
    e.set_need_id(state + "-2-" + std::to_string(n));
    e.set_article(article);
    e.set_chapter(chapter);
    e.set_category(category);
    e.set_on(on);
    Append("review-" + state + "-2", e);
  }
  void Status(const std::string& state, int n, const std::string& status, const std::string& on) {
    ev::NeedStatusChanged e;
    e.set_need_id(state + "-2-" + std::to_string(n));
    e.set_status(status);
    e.set_on(on);
    Append("review-" + state + "-2", e);
  }
  Snapshot Compute(std::optional<absl::CivilDay> as_of, std::vector<TableSpec> specs) {
    return ComputeSnapshot(view_.All<ev::NeedRecord>("need/2/"),
                           view_.All<ev::NeedsReviewRecord>("review/2/"), 2, as_of, specs);
  }

  NeedsProjection projection_;
  MapView view_;
  uint64_t position_ = 0;
};

TEST_F(NeedsTablesTest, CountsNeedsAndDistinctStatesAsOfADate) {
  ev::ReviewScheduled scheduled;
  scheduled.set_region("african");
  Append("review-KEN-2", scheduled);
  ev::ExecutiveSummaryIssued issued;
  issued.set_on("2018-05-01");
  Append("review-KEN-2", issued);
  Need("KEN", 1, 9, "II", "capacity_building", "2018-05-01");
  Need("KEN", 2, 9, "II", "legislative_assistance", "2018-05-01");
  Need("KEN", 3, 52, "V", "capacity_building", "2019-02-01");
  Need("PER", 1, 9, "II", "capacity_building", "2019-03-01");  // region from reference data

  Snapshot now = Compute(std::nullopt, {{Dimension::kArticle, ""}, {Dimension::kRegion, ""}});
  EXPECT_EQ(now.totals.needs, 4);
  EXPECT_EQ(now.totals.states_with_needs, 2);
  EXPECT_EQ(now.totals.summaries_issued, 1);
  ASSERT_EQ(now.tables[0].groups.size(), 2u);
  EXPECT_EQ(now.tables[0].groups[0].key, "9");
  EXPECT_EQ(now.tables[0].groups[0].needs, 3);
  EXPECT_EQ(now.tables[0].groups[0].states, 2);
  EXPECT_EQ(now.tables[0].groups[1].key, "52");
  ASSERT_EQ(now.tables[1].groups.size(), 2u);
  EXPECT_EQ(now.tables[1].groups[0].key, "african");
  EXPECT_EQ(now.tables[1].groups[1].key, "latin_american_caribbean");

  Snapshot then = Compute(absl::CivilDay(2018, 12, 31), {{Dimension::kChapter, ""}});
  EXPECT_EQ(then.totals.needs, 2);
  EXPECT_EQ(then.totals.states_with_needs, 1);
  EXPECT_EQ(Compute(absl::CivilDay(2018, 4, 30), {}).totals.summaries_issued, 0);
}

TEST_F(NeedsTablesTest, StatusChangesNeverChangeCounts) {
  Need("KEN", 1, 5, "II", "capacity_building", "2018-05-01");
  Need("KEN", 2, 5, "II", "capacity_building", "2018-05-01");
  Snapshot before = Compute(std::nullopt, {{Dimension::kCategory, ""}});
  Status("KEN", 1, "current", "2019-01-10");
  Status("KEN", 1, "addressed", "2020-01-10");
  Status("KEN", 2, "unmet", "2019-06-01");
  Snapshot after = Compute(std::nullopt, {{Dimension::kCategory, ""}});
  EXPECT_EQ(after.totals.needs, before.totals.needs);
  EXPECT_EQ(after.tables[0].groups[0].needs, 2);
  EXPECT_EQ(after.totals.statuses["addressed"], 1);
  EXPECT_EQ(after.totals.statuses["unmet"], 1);
  EXPECT_EQ(after.totals.statuses["identified"], 0);

  Snapshot mid = Compute(absl::CivilDay(2019, 3, 1), {});
  EXPECT_EQ(mid.totals.needs, 2);
  EXPECT_EQ(mid.totals.statuses["current"], 1);
  EXPECT_EQ(mid.totals.statuses["identified"], 1);
}

TEST_F(NeedsTablesTest, ChapterFilterAndBadInput) {
  Need("KEN", 1, 5, "II", "capacity_building", "2018-05-01");
  Need("KEN", 2, 52, "V", "capacity_building", "2018-05-01");
  Snapshot s = Compute(std::nullopt, {{Dimension::kArticle, "V"}});
  EXPECT_EQ(s.tables[0].totals.needs, 1);
  EXPECT_EQ(s.totals.needs, 2);
  EXPECT_FALSE(ParseDimension("year").ok());
  EXPECT_FALSE(CheckChapter("VI").ok());
  EXPECT_TRUE(CheckChapter("").ok());
}

}  // namespace
}  // namespace irm::needs
