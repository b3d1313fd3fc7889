#include "services/http/console/console_sessions.h"

#include <set>

#include "gtest/gtest.h"

namespace irm::services::http {
namespace {

access::Principal Ana() {
  access::Principal p;
  p.name = "Ana Ruiz";
  p.role = access::Role::kFocalPoint;
  p.state = "KEN";
  return p;
}

class ConsoleSessionsTest : public ::testing::Test {
 protected:
  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
  ConsoleSessions::Clock clock_ = [this] { return now_; };
};

TEST_F(ConsoleSessionsTest, IdsAndCsrfTokensAreRandomAndDistinct) {
  ConsoleSessions sessions({}, clock_);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const ConsoleSession s = sessions.Create(Ana(), "tok");
    EXPECT_EQ(s.id.size(), 64u);
    EXPECT_EQ(s.csrf.size(), 64u);
    EXPECT_TRUE(seen.insert(s.id).second);
    EXPECT_TRUE(seen.insert(s.csrf).second);
  }
}

TEST_F(ConsoleSessionsTest, AnIdleSessionEndsAndUseKeepsOneAlive) {
  ConsoleSessions sessions({absl::Minutes(30), absl::Hours(12), 100}, clock_);
  const ConsoleSession kept = sessions.Create(Ana(), "tok");
  const ConsoleSession idle = sessions.Create(Ana(), "tok");
  now_ += absl::Minutes(20);
  ASSERT_TRUE(sessions.Find(kept.id).has_value());
  now_ += absl::Minutes(20);
  EXPECT_TRUE(sessions.Find(kept.id).has_value()) << "used 20 minutes ago";
  EXPECT_FALSE(sessions.Find(idle.id).has_value()) << "idle for 40 minutes";
  EXPECT_EQ(sessions.size(), 1u);
  // However busy, a session lasts at most its lifetime.
  for (int i = 0; i < 50; ++i) {
    now_ += absl::Minutes(15);
    sessions.Find(kept.id);
  }
  EXPECT_FALSE(sessions.Find(kept.id).has_value());
}

TEST_F(ConsoleSessionsTest, LogoutEndsASessionAndTheTableIsBounded) {
  ConsoleSessions sessions({absl::Minutes(30), absl::Hours(12), 3}, clock_);
  const ConsoleSession a = sessions.Create(Ana(), "tok");
  now_ += absl::Seconds(1);
  const ConsoleSession b = sessions.Create(Ana(), "tok");
  now_ += absl::Seconds(1);
  const ConsoleSession c = sessions.Create(Ana(), "tok");
  now_ += absl::Seconds(1);
  sessions.Find(a.id);  // a is now the most recently used
  const ConsoleSession d = sessions.Create(Ana(), "tok");
  EXPECT_EQ(sessions.size(), 3u);
  EXPECT_FALSE(sessions.Find(b.id).has_value()) << "the least recently used one made room";
  EXPECT_TRUE(sessions.Find(a.id).has_value());
  sessions.End(c.id);
  EXPECT_FALSE(sessions.Find(c.id).has_value());
  EXPECT_TRUE(sessions.Find(d.id).has_value());
  EXPECT_FALSE(sessions.Find("").has_value());
}

TEST(SameSecretTest, ComparesWholeStrings) {
  EXPECT_TRUE(SameSecret("abc", "abc"));
  EXPECT_FALSE(SameSecret("abc", "abd"));
  EXPECT_FALSE(SameSecret("abc", "ab"));
  EXPECT_FALSE(SameSecret("", "a"));
}

}  // namespace
}  // namespace irm::services::http
