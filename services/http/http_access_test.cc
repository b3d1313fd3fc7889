#include "services/http/http_access.h"

#include <unistd.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "engine/access/token_file.h"
#include "engine/store/rocksdb_event_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::services::http {
namespace {

using ::testing::HasSubstr;

std::string Entry(const std::string& name, const std::string& role, const std::string& state,
                  const std::string& token) {
  std::string out = "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"";
  if (!state.empty()) out += ",\"state\":\"" + state + "\"";
  return out + ",\"token_sha256\":\"" + access::Sha256Hex(token) + "\"}";
}

class HttpAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/irm_http_access_", getpid());
    std::filesystem::remove_all(dir_);
    auto log = store::RocksDbEventLog::Open(dir_, {});
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    auto table = access::ParseTokenFile(
        "{\"principals\":[" + Entry("Sec", "secretariat", "", "tok-sec") + "," +
        Entry("Ana Ruiz", "focal_point", "KEN", "tok-ana") + "," +
        Entry("Obs", "observer", "", "tok-obs") + "]}");
    ASSERT_TRUE(table.ok()) << table.status();
    table_ = std::make_unique<access::PrincipalTable>(*std::move(table));
  }
  void TearDown() override {
    log_.reset();
    std::filesystem::remove_all(dir_);
  }

  static log::EventRecord Event(const std::string& stream, const std::string& type,
                                const std::string& json) {
    log::EventRecord record;
    record.set_position(1);
    record.set_stream(stream);
    record.set_type(type);
    record.set_content_type(event::v1::CONTENT_TYPE_JSON);
    record.set_data(json);
    record.mutable_metadata()->mutable_actor()->set_name("Sec");
    record.mutable_metadata()->mutable_actor()->set_role("secretariat");
    return record;
  }

  std::string dir_;
  std::unique_ptr<store::RocksDbEventLog> log_;
  std::unique_ptr<access::PrincipalTable> table_;
};

TEST_F(HttpAccessTest, NoHeaderIsAnObserverAndTokensNeedTheAuthFile) {
  HttpAccess open(log_->projection_store(), nullptr);
  absl::StatusOr<Viewer> anonymous = open.ViewerOf("");
  ASSERT_TRUE(anonymous.ok());
  EXPECT_EQ(anonymous->principal.role, access::Role::kObserver);
  absl::StatusOr<Viewer> token = open.ViewerOf("Bearer tok-sec");
  EXPECT_EQ(token.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(token.status().message(), HasSubstr("--auth"));
}

TEST_F(HttpAccessTest, BearerTokensGiveTheirPrincipal) {
  HttpAccess access(log_->projection_store(), table_.get());
  absl::StatusOr<Viewer> sec = access.ViewerOf("Bearer tok-sec");
  ASSERT_TRUE(sec.ok()) << sec.status();
  EXPECT_EQ(sec->label(), "secretariat");
  absl::StatusOr<Viewer> ana = access.ViewerOf("bearer  tok-ana");
  ASSERT_TRUE(ana.ok()) << ana.status();
  EXPECT_EQ(ana->label(), "focal_point:KEN");
  for (const char* bad : {"Bearer nope", "Basic dG9rLXNlYw==", "tok-sec", "Bearer "}) {
    EXPECT_EQ(access.ViewerOf(bad).status().code(), absl::StatusCode::kUnauthenticated) << bad;
  }
}

TEST_F(HttpAccessTest, ObserversSeePublicEventsOnly) {
  HttpAccess access(log_->projection_store(), table_.get());
  auto observer = access.EventView(*access.ViewerOf(""));
  auto secretariat = access.EventView(*access.ViewerOf("Bearer tok-sec"));
  const log::EventRecord scheduled =
      Event("review-KEN-2", "ReviewScheduled", R"({"state":"KEN","cycle":2,"year":1})");
  const log::EventRecord need = Event("review-KEN-2", "NeedIdentified", R"({"text":"secret"})");
  const log::EventRecord note = Event("notes-1", "Noted", R"({"text":"internal"})");
  std::optional<log::EventRecord> seen = observer(scheduled);
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->metadata().actor().name(), "") << "no actor names for observers";
  EXPECT_FALSE(observer(need).has_value());
  EXPECT_FALSE(observer(note).has_value());
  EXPECT_EQ(secretariat(need)->data(), need.data());
  EXPECT_EQ(secretariat(note)->data(), note.data());
}

TEST_F(HttpAccessTest, ReviewObjectsLoseConfidentialFieldsForOutsiders) {
  HttpAccess access(log_->projection_store(), table_.get());
  api::v1::ReviewStatus status;
  status.mutable_review()->set_state("KEN");
  status.mutable_review()->set_cycle(2);
  status.mutable_review()->set_focal_point("Ana Ruiz");
  status.mutable_review()->add_needs()->set_text("secret");
  api::v1::ReviewStatus observed = access.ViewReview(*access.ViewerOf(""), status);
  EXPECT_EQ(observed.review().focal_point(), "");
  EXPECT_EQ(observed.review().needs_size(), 0);
  api::v1::ReviewStatus own = access.ViewReview(*access.ViewerOf("Bearer tok-ana"), status);
  EXPECT_EQ(own.review().focal_point(), "Ana Ruiz");
  EXPECT_EQ(own.review().needs(0).text(), "secret");
}

}  // namespace
}  // namespace irm::services::http
