#include "services/http/http_access.h"
#include "services/http/login_page.h"

#include <unistd.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include <fstream>

#include "engine/access/token_file.h"
#include "engine/common/clock.h"
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
    workflow_ = std::make_unique<review::ReviewWorkflow>(log_.get(), common::SystemClock());
    const std::string file = dir_ + "/auth.json";
    std::ofstream(file) << "{\"principals\":[" + Entry("Sec", "secretariat", "", "tok-sec") +
                               "," + Entry("Ana Ruiz", "focal_point", "KEN", "tok-ana") + "]}";
    auto auth = Authenticator::FromFile(file);
    ASSERT_TRUE(auth.ok()) << auth.status();
    auth_ = *std::move(auth);
  }
  void TearDown() override {
    workflow_.reset();
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
  std::unique_ptr<review::ReviewWorkflow> workflow_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<Authenticator> open_ = Authenticator::Open();
};

TEST_F(HttpAccessTest, NoHeaderIsAnObserverAndTokensNeedTheAuthFile) {
  HttpAccess open(open_.get(), workflow_.get());
  absl::StatusOr<Viewer> anonymous = open.ViewerOf("");
  ASSERT_TRUE(anonymous.ok());
  EXPECT_EQ(anonymous->principal.role, access::Role::kObserver);
  absl::StatusOr<Viewer> token = open.ViewerOf("Bearer tok-sec");
  EXPECT_EQ(token.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(token.status().message(), HasSubstr("--auth"));
}

TEST_F(HttpAccessTest, BearerTokensGiveTheirPrincipal) {
  HttpAccess access(auth_.get(), workflow_.get());
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

// With --auth, no token is refused as on gRPC, unless --public-dashboard; a signed-in
// session's cookie holds only its id and acts as the principal it signed in as.
TEST_F(HttpAccessTest, WithAuthNoTokenIsRefusedUnlessTheDashboardIsPublic) {
  ConsoleSessions sessions;
  HttpAccess access(auth_.get(), workflow_.get(), false, &sessions);
  EXPECT_TRUE(access.SignInRequired());
  absl::StatusOr<Viewer> anonymous = access.ViewerOf("");
  EXPECT_EQ(anonymous.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(anonymous.status().message(), HasSubstr("/login"));
  const ConsoleSession ana = sessions.Create(*access.SignIn("tok-ana"), "tok-ana");
  const std::string cookie = SessionCookie(ana.id, 3600, false);
  EXPECT_EQ(cookie.find("tok-ana"), std::string::npos) << "the cookie never holds the token";
  absl::StatusOr<Viewer> session =
      access.ViewerOf("", "theme=dark; " + cookie.substr(0, cookie.find(';')));
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_EQ(session->label(), "focal_point:KEN");
  EXPECT_EQ(session->authorization, "Bearer tok-ana");
  ASSERT_TRUE(session->session.has_value());
  EXPECT_EQ(session->session->csrf, ana.csrf);
  EXPECT_EQ(access.ViewerOf("", "irm_session=nope").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(access.ViewerOf("", "irm_session=tok-sec").status().code(),
            absl::StatusCode::kUnauthenticated)
      << "a token in the cookie is not a session";
  EXPECT_EQ(access.ViewerOf("Bearer nope", "irm_session=" + ana.id).status().code(),
            absl::StatusCode::kUnauthenticated)
      << "the header wins over the cookie";
  EXPECT_EQ(access.ConsoleViewerOf("", "").status().code(), absl::StatusCode::kUnauthenticated);
  HttpAccess published(auth_.get(), workflow_.get(), /*public_dashboard=*/true, &sessions);
  EXPECT_FALSE(published.SignInRequired());
  absl::StatusOr<Viewer> observer = published.ViewerOf("");
  ASSERT_TRUE(observer.ok()) << observer.status();
  EXPECT_EQ(observer->principal.role, access::Role::kObserver);
  EXPECT_EQ(published.ViewerOf("", "irm_session=ended")->principal.role,
            access::Role::kObserver)
      << "an ended session on a published dashboard is no token";
  EXPECT_EQ(published.ConsoleViewerOf("", "").status().code(),
            absl::StatusCode::kUnauthenticated)
      << "the console is for signed-in users even on a published dashboard";
  EXPECT_FALSE(HttpAccess(open_.get(), workflow_.get()).SignInRequired());
}

// A reload of the --auth file that removes or changes a principal ends its sessions.
TEST_F(HttpAccessTest, AReloadThatChangesThePrincipalEndsItsSessions) {
  ConsoleSessions sessions;
  HttpAccess access(auth_.get(), workflow_.get(), false, &sessions);
  const ConsoleSession ana = sessions.Create(*access.SignIn("tok-ana"), "tok-ana");
  const ConsoleSession sec = sessions.Create(*access.SignIn("tok-sec"), "tok-sec");
  ASSERT_TRUE(access.LiveSession(ana.id).has_value());
  // Ana becomes the focal point of UGA; the secretariat stays as it was.
  std::ofstream(dir_ + "/auth.json")
      << "{\"principals\":[" + Entry("Sec", "secretariat", "", "tok-sec") + "," +
             Entry("Ana Ruiz", "focal_point", "UGA", "tok-ana") + "]}";
  ASSERT_TRUE(auth_->Reload().ok());
  EXPECT_FALSE(access.LiveSession(ana.id).has_value());
  EXPECT_TRUE(access.LiveSession(sec.id).has_value());
  EXPECT_EQ(sessions.size(), 1u) << "the changed principal's session is gone for good";
  std::ofstream(dir_ + "/auth.json")
      << "{\"principals\":[" + Entry("Other", "auditor", "", "tok-aud") + "]}";
  ASSERT_TRUE(auth_->Reload().ok());
  EXPECT_FALSE(access.LiveSession(sec.id).has_value());
}

// The open server's console acts as its development principal, the secretariat.
TEST_F(HttpAccessTest, TheOpenServersConsoleIsTheSecretariat) {
  ConsoleSessions sessions;
  HttpAccess access(open_.get(), workflow_.get(), false, &sessions);
  absl::StatusOr<Viewer> viewer = access.ConsoleViewerOf("", "");
  ASSERT_TRUE(viewer.ok()) << viewer.status();
  EXPECT_EQ(viewer->principal.role, access::Role::kSecretariat);
  EXPECT_EQ(viewer->authorization, "");
  EXPECT_FALSE(viewer->session.has_value());
  EXPECT_EQ(access.ViewerOf("")->principal.role, access::Role::kObserver)
      << "the dashboard's JSON stays the observer view";
}

TEST(LoginPageTest, SessionCookieIsLockedDown) {
  const std::string id = ConsoleSessions::RandomHex();
  const std::string cookie = SessionCookie(id, 60, true);
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("SameSite=Strict"));
  EXPECT_THAT(cookie, HasSubstr("Secure"));
  EXPECT_THAT(cookie, HasSubstr("Max-Age=60"));
  EXPECT_THAT(SessionCookie(id, 60, false), ::testing::Not(HasSubstr("Secure")));
  const std::string pair = cookie.substr(0, cookie.find(';'));
  EXPECT_EQ(SessionIdOf("x=1; " + pair + "; y=2"), id);
  EXPECT_EQ(SessionIdOf("x=1"), "");
  EXPECT_THAT(LoginPage("<script>"), HasSubstr("&lt;script&gt;"));
}

TEST_F(HttpAccessTest, ObserversSeePublicEventsOnly) {
  HttpAccess access(auth_.get(), workflow_.get(), /*public_dashboard=*/true);
  auto observer = access.EventView(*access.ViewerOf(""));
  auto secretariat = access.EventView(*access.ViewerOf("Bearer tok-sec"));
  const log::EventRecord scheduled =
      Event("review-KEN-2", "ReviewScheduled", R"({"state":"KEN","cycle":2,"year":1})");
  const log::EventRecord need = Event("review-KEN-2", "NeedIdentified", R"({"text":"secret"})");
  const log::EventRecord note = Event("notes-1", "Noted", R"({"text":"internal"})");
  std::optional<HttpAccess::ViewedEvent> seen = observer(scheduled);
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->record.metadata().actor().name(), "") << "no actor names for observers";
  EXPECT_TRUE(seen->redacted);
  EXPECT_FALSE(observer(need).has_value());
  EXPECT_FALSE(observer(note).has_value());
  EXPECT_EQ(secretariat(need)->record.data(), need.data());
  EXPECT_FALSE(secretariat(need)->redacted);
  EXPECT_EQ(secretariat(note)->record.data(), note.data());
  // A view that took nothing out is the event itself, byte for byte.
  log::EventRecord anonymous = scheduled;
  anonymous.mutable_metadata()->clear_actor();
  anonymous.mutable_metadata()->mutable_actor()->set_role("secretariat");
  ASSERT_TRUE(observer(anonymous).has_value());
  EXPECT_FALSE(observer(anonymous)->redacted);
}

}  // namespace
}  // namespace irm::services::http
