#include "services/server/authenticator.h"

#include <cstdio>
#include <fstream>
#include <string>

#include "engine/access/token_file.h"
#include "gtest/gtest.h"

namespace irm::services {
namespace {

std::string WriteFile(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

std::string File(const std::string& token) {
  return "{\"principals\":[{\"name\":\"Ana\",\"role\":\"focal_point\",\"state\":\"KEN\","
         "\"token_sha256\":\"" + access::Sha256Hex(token) + "\"}]}";
}

absl::StatusCode Code(const Authenticator& auth, absl::string_view header) {
  return auth.AuthenticateHeader(&header).status().code();
}

TEST(AuthenticatorTest, BearerTokensOnly) {
  auto auth = Authenticator::FromFile(WriteFile("auth_a.json", File("tok")));
  ASSERT_TRUE(auth.ok()) << auth.status();
  absl::string_view good = "Bearer tok";
  absl::StatusOr<access::Principal> ana = (*auth)->AuthenticateHeader(&good);
  ASSERT_TRUE(ana.ok()) << ana.status();
  EXPECT_EQ(ana->Label(), "focal_point:KEN");
  EXPECT_EQ(Code(**auth, "bearer tok"), absl::StatusCode::kOk);
  EXPECT_EQ(Code(**auth, "Bearer other"), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Code(**auth, "Basic tok"), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Code(**auth, "Bearer "), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Code(**auth, "tok"), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ((*auth)->AuthenticateHeader(nullptr).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(AuthenticatorTest, ReloadKeepsOldPrincipalsOnBadFile) {
  const std::string path = WriteFile("auth_b.json", File("one"));
  auto auth = Authenticator::FromFile(path);
  ASSERT_TRUE(auth.ok()) << auth.status();
  std::ofstream(path) << File("two");
  ASSERT_TRUE((*auth)->Reload().ok());
  EXPECT_EQ(Code(**auth, "Bearer one"), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Code(**auth, "Bearer two"), absl::StatusCode::kOk);
  std::ofstream(path) << "{broken";
  EXPECT_EQ((*auth)->Reload().status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Code(**auth, "Bearer two"), absl::StatusCode::kOk);
}

TEST(AuthenticatorTest, OpenServerIsTheDevelopmentPrincipal) {
  auto auth = Authenticator::Open();
  EXPECT_TRUE(auth->open());
  absl::StatusOr<access::Principal> who = auth->AuthenticateHeader(nullptr);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->name, "anonymous");
  EXPECT_EQ(who->role, access::Role::kSecretariat);
}

}  // namespace
}  // namespace irm::services
