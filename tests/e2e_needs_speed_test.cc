// `irm report needs` answers from the needs projection, so it stays fast as needs grow: with
// 200 reviews and 5,000 needs (loaded through ReviewService from this process, several
// calls at a time) every format answers well under a second, process start included.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/domain/reference_data.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "irm/api/v1/review.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tests/support/irmd_process.h"
#include "tests/support/run_irm.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

using api::v1::ReviewCommand;

constexpr int kReviews = 200;  // 175 of cycle 2 (the parties on 2015-11-06 but the EU), 25 of cycle 1
constexpr int kNeeds = 5000;

class Client {
 public:
  explicit Client(const std::string& address)
      : stub_(api::v1::ReviewService::NewStub(
            grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))) {}

  grpc::Status Execute(const ReviewCommand& command) {
    grpc::ClientContext context;
    api::v1::CommandResult result;
    return stub_->Execute(&context, command, &result);
  }
  api::v1::ReviewService::Stub& stub() { return *stub_; }

 private:
  std::unique_ptr<api::v1::ReviewService::Stub> stub_;
};

ReviewCommand Command(const std::string& state, int cycle, const std::string& on) {
  ReviewCommand command;
  command.set_state(state);
  command.set_cycle(cycle);
  command.set_on(on);
  return command;
}

TEST(E2eNeedsSpeedTest, ReportsOn5000NeedsWellUnderASecond) {
  TempDir dir("irm-e2e-needs-speed");
  absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd = IrmdProcess::Start(dir.Sub("data"));
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  Client client((*irmd)->address());

  // Every State party into review years, reviewers drawn: `irm lots` over the API.
  std::vector<std::pair<std::string, int>> reviews;  // (State, cycle) to launch
  for (int cycle : {2, 1}) {
    api::v1::DrawYearsRequest years;
    years.set_cycle(cycle);
    years.set_seed(7);
    years.set_on(cycle == 2 ? "2015-11-06" : "2010-06-28");
    grpc::ClientContext context;
    api::v1::DrawResult drawn;
    ASSERT_TRUE(client.stub().DrawYears(&context, years, &drawn).ok());
    for (int year = 1; year <= (cycle == 2 ? 4 : 1); ++year) {
      api::v1::DrawReviewersRequest draw;
      draw.set_cycle(cycle);
      draw.set_year(year);
      draw.set_seed(7);
      draw.set_on(cycle == 2 ? "2016-01-15" : "2010-07-01");
      grpc::ClientContext c;
      api::v1::DrawResult result;
      grpc::Status s = client.stub().DrawReviewers(&c, draw, &result);
      ASSERT_TRUE(s.ok()) << s.error_message();
      for (const api::v1::CommandResult& r : result.results()) {
        if (cycle == 2 || reviews.size() < kReviews) {
          reviews.emplace_back(r.status().review().state(), cycle);
        }
      }
    }
  }
  ASSERT_EQ(reviews.size(), static_cast<size_t>(kReviews));

  // Launch each review and identify its share of the needs, eight reviews at a time.
  std::atomic<size_t> next{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 8; ++w) {
    workers.emplace_back([&] {
      Client own((*irmd)->address());
      for (size_t i = next++; i < reviews.size(); i = next++) {
        const auto& [state, cycle] = reviews[i];
        ReviewCommand launch = Command(state, cycle, cycle == 2 ? "2016-06-01" : "2010-09-01");
        launch.mutable_launch();
        failures += !own.Execute(launch).ok();
        std::vector<int> articles;
        for (const domain::Article& a : domain::AllArticles()) {
          if (a.cycle == cycle) articles.push_back(a.number);
        }
        absl::Span<const absl::string_view> categories = domain::NeedCategories(cycle);
        for (int n = static_cast<int>(i); n < kNeeds; n += kReviews) {
          ReviewCommand add = Command(state, cycle, cycle == 2 ? "2018-03-01" : "2012-03-01");
          add.mutable_add_need()->set_article(articles[n % articles.size()]);
          add.mutable_add_need()->set_category(std::string(categories[n % categories.size()]));
          add.mutable_add_need()->set_text(absl::StrCat("Synthetic need ", n));
          grpc::Status s = own.Execute(add);
          if (!s.ok()) {
            ++failures;
            ADD_FAILURE() << state << ": " << s.error_message();
          }
        }
      }
    });
  }
  for (std::thread& t : workers) t.join();
  ASSERT_EQ(failures.load(), 0);

  // The first report waits for the projection to catch up; the timed ones read it.
  IrmResult first = RunIrm((*irmd)->address(), {"report", "needs", "--format", "json"});
  ASSERT_EQ(first.exit_code, 0) << first;
  EXPECT_EQ(nlohmann::json::parse(first.out)["total_needs"], kNeeds);
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"report", "needs", "--cycle", "2", "--by", "state", "--format", "json"},
           {"report", "needs", "--by", "article", "--compare", "2017-01-01"},
           {"report", "needs", "--cycle", "2", "--format", "html", "--as-of", "2019-01-01"}}) {
    auto start = std::chrono::steady_clock::now();
    IrmResult result = RunIrm((*irmd)->address(), args);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_EQ(result.exit_code, 0) << result;
    const std::string line = absl::StrJoin(args, " ");
    std::printf("irm %s: %.3f s\n", line.c_str(), seconds);
    EXPECT_LT(seconds, 1.0) << "irm " << line;
  }
  EXPECT_TRUE((*irmd)->Stop().ok());
}

}  // namespace
}  // namespace irm::tests
