// irmd's HTTP side end to end, JSON endpoints: the real irmd with --http, data loaded with the
// real irm, answers compared with what `irm --json` prints for the same question.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/http_fixture.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

std::string Today(int plus_days = 0) {
  return absl::FormatTime("%Y-%m-%d", absl::Now() + absl::Hours(24) * plus_days,
                          absl::UTCTimeZone());
}

class E2eHttpTest : public HttpFixture {
 protected:
  // KEN launched with a focal point, FRA scheduled, UGA with reviewers (cycle 2); ARG cycle 1.
  void LoadReviews() {
    for (const char* state : {"KEN", "FRA", "UGA"}) {
      MustIrm({"review", "schedule", state, "--cycle", "2", "--year", "1"});
    }
    MustIrm({"review", "schedule", "ARG", "--cycle", "1", "--year", "2"});
    MustIrm({"review", "assign-reviewers", "KEN", "--cycle", "2", "--reviewers", "UGA,FRA"});
    MustIrm({"review", "assign-reviewers", "UGA", "--cycle", "2", "--reviewers", "EGY,DEU"});
    MustIrm({"review", "launch", "KEN", "--cycle", "2"});
    MustIrm({"review", "focal-point", "KEN", "--cycle", "2", "--name", "Ana Ruiz"});
  }
};

TEST_F(E2eHttpTest, ReviewsAreIrmReviewsJsonInTheObserverView) {
  LoadReviews();
  std::vector<json> cli = IrmJson({"reviews"});
  HttpAnswer http = HttpGet(http_, "/api/reviews");
  ASSERT_EQ(http.status, 200) << http.text;
  ASSERT_TRUE(http.body["reviews"].is_array()) << http.text;
  ASSERT_EQ(http.body["reviews"].size(), cli.size());
  EXPECT_GE(http.body["position"].get<int>(), 7);
  for (size_t i = 0; i < cli.size(); ++i) {
    json expected = cli[i];
    // The observer never sees a focal point's name (engine/access); everything else matches.
    if (expected["state"] == "KEN" && expected["cycle"] == 2) {
      EXPECT_EQ(expected["focal_point"], "Ana Ruiz");
      expected["focal_point"] = nullptr;
    }
    EXPECT_EQ(http.body["reviews"][i], expected) << "review " << i;
  }
  HttpAnswer one = HttpGet(http_, "/api/reviews/ken/2");
  ASSERT_EQ(one.status, 200) << one.text;
  EXPECT_EQ(one.body["stage"], "focal_point_appointed");
  EXPECT_EQ(one.body["reviewers"], json::array({"UGA", "FRA"}));
  EXPECT_EQ(one.body["focal_point"], nullptr);
}

TEST_F(E2eHttpTest, FiltersMatchTheCli) {
  LoadReviews();
  struct Case {
    std::string query;
    std::vector<std::string> cli;
  };
  const std::vector<Case> cases = {
      {"cycle=2", {"reviews", "--cycle", "2"}},
      {"cycle=2&stage=reviewers_drawn", {"reviews", "--cycle", "2", "--stage", "reviewers_drawn"}},
      {"region=african", {"reviews", "--region", "african"}},
      {"year=2", {"reviews", "--year", "2"}},
      {"overdue=1", {"reviews", "--overdue"}},
  };
  for (const Case& c : cases) {
    std::vector<json> cli = IrmJson(c.cli);
    HttpAnswer http = HttpGet(http_, "/api/reviews?" + c.query);
    ASSERT_EQ(http.status, 200) << c.query << ": " << http.text;
    std::vector<std::string> want, got;
    for (const json& r : cli) want.push_back(absl::StrCat(r["state"].get<std::string>(), r["cycle"].get<int>()));
    for (const json& r : http.body["reviews"]) got.push_back(absl::StrCat(r["state"].get<std::string>(), r["cycle"].get<int>()));
    EXPECT_EQ(got, want) << c.query;
  }
  EXPECT_EQ(HttpGet(http_, "/api/reviews?cycle=2&stage=reviewers_drawn").body["reviews"].size(), 1u);
}

TEST_F(E2eHttpTest, AsOfShowsThePipelineOnAnEarlierDate) {
  LoadReviews();
  HttpAnswer before = HttpGet(http_, "/api/reviews?as_of=" + Today(-1));
  ASSERT_EQ(before.status, 200) << before.text;
  EXPECT_EQ(before.body["reviews"].size(), 0u) << "nothing was recorded before today";
  EXPECT_EQ(before.body["as_of"], Today(-1));
  HttpAnswer today = HttpGet(http_, "/api/reviews?as_of=" + Today() + "&stage=scheduled");
  ASSERT_EQ(today.status, 200) << today.text;
  ASSERT_EQ(today.body["reviews"].size(), 2u) << today.text;  // ARG-1 and FRA-2
  EXPECT_EQ(today.body["reviews"][0]["state"], "ARG");
  EXPECT_EQ(today.body["reviews"][1]["state"], "FRA");
}

TEST_F(E2eHttpTest, NeedsAreTheReportJson) {
  LoadReviews();
  MustIrm({"need", "add", "KEN", "--cycle", "2", "--article", "9", "--category",
           "capacity_building", "--text", "Training for procurement officers"});
  MustIrm({"need", "add", "KEN", "--cycle", "2", "--article", "52", "--category",
           "legislative_assistance", "--text", "A law on beneficial ownership"});
  for (const char* by : {"chapter", "category", "region", "article", "state"}) {
    std::vector<json> cli =
        IrmJson({"report", "needs", "--cycle", "2", "--by", by, "--format", "json"});
    ASSERT_EQ(cli.size(), 1u);
    HttpAnswer http = HttpGet(http_, absl::StrCat("/api/needs?cycle=2&by=", by));
    ASSERT_EQ(http.status, 200) << http.text;
    EXPECT_EQ(http.body, cli[0]) << by;
  }
  HttpAnswer review = HttpGet(http_, "/api/reviews/KEN/2");
  EXPECT_EQ(review.body["needs"], 2) << "the count is an aggregate observers may see";
  EXPECT_THAT(review.text, ::testing::Not(HasSubstr("procurement officers")));
}

TEST_F(E2eHttpTest, ErrorsAreJsonNamingWhatWasWrong) {
  LoadReviews();
  struct Case {
    std::string path;
    int status;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"/api/reviews?cycle=3", 400, "cycle '3'"},
      {"/api/reviews?stage=bogus", 400, "bogus"},
      {"/api/reviews?colour=red", 400, "unknown query parameter 'colour'"},
      {"/api/reviews?as_of=yesterday", 400, "yesterday"},
      {"/api/reviews?overdue=maybe", 400, "overdue"},
      {"/api/reviews/KEN/7", 400, "cycle '7'"},
      {"/api/reviews/XXX/2", 400, "XXX"},
      {"/api/reviews/NZL/2", 404, "review-NZL-2"},
      {"/api/needs?by=colour", 400, "colour"},
      {"/api/events?from=soon", 400, "from 'soon'"},
      {"/api/nothing", 404, "/api/nothing"},
  };
  for (const Case& c : cases) {
    HttpAnswer answer = HttpGet(http_, c.path);
    EXPECT_EQ(answer.status, c.status) << c.path << ": " << answer.text;
    ASSERT_TRUE(answer.body.contains("error")) << c.path << ": " << answer.text;
    EXPECT_EQ(answer.body["error"]["status"], c.status) << c.path;
    EXPECT_THAT(answer.body["error"]["message"].get<std::string>(), HasSubstr(c.says)) << c.path;
  }
  HttpAnswer token = HttpGet(http_, "/api/reviews", {{"Authorization", "Bearer abc"}});
  EXPECT_EQ(token.status, 401) << token.text;
  EXPECT_THAT(token.text, HasSubstr("--auth"));
}

TEST_F(E2eHttpTest, ServesTheDashboardPageWithNothingExternal) {
  HttpAnswer page = HttpGet(http_, "/");
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.text, ::testing::StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(page.text, HasSubstr("new EventSource('/api/events"));
  EXPECT_THAT(page.text, HasSubstr("data-stage"));
  // The one http:// is the SVG namespace name, which is never fetched.
  size_t links = 0;
  for (size_t at = page.text.find("http://"); at != std::string::npos;
       at = page.text.find("http://", at + 1)) {
    EXPECT_EQ(page.text.compare(at, 26, "http://www.w3.org/2000/svg"), 0) << page.text.substr(at, 60);
    ++links;
  }
  EXPECT_LE(links, 1u);
  EXPECT_THAT(page.text, ::testing::Not(HasSubstr("https://")));
  EXPECT_THAT(page.text, ::testing::Not(HasSubstr("<script src")));
  EXPECT_THAT(page.text, ::testing::Not(HasSubstr("<link")));
}

}  // namespace
}  // namespace irm::tests
