#include "engine/access/token_file.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::access {
namespace {

using ::testing::HasSubstr;

std::string Entry(const std::string& name, const std::string& role, const std::string& state,
                  const std::string& token) {
  std::string out = "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"";
  if (!state.empty()) out += ",\"state\":\"" + state + "\"";
  return out + ",\"token_sha256\":\"" + Sha256Hex(token) + "\"}";
}

TEST(TokenFileTest, Sha256OfKnownText) {
  // printf %s abc | sha256sum
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TokenFileTest, FindsPrincipalsByTokenOnly) {
  absl::StatusOr<PrincipalTable> table = ParseTokenFile(
      "{\"principals\":[" + Entry("Ana Ruiz", "focal_point", "KEN", "tok-ana") + "," +
      Entry("Sec", "secretariat", "", "tok-sec") + "]}");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->size(), 2u);
  const Principal* ana = table->FindByToken("tok-ana");
  ASSERT_NE(ana, nullptr);
  EXPECT_EQ(ana->name, "Ana Ruiz");
  EXPECT_EQ(ana->role, Role::kFocalPoint);
  EXPECT_EQ(ana->state, "KEN");
  EXPECT_EQ(table->FindByToken("tok-sec")->role, Role::kSecretariat);
  EXPECT_EQ(table->FindByToken("tok-unknown"), nullptr);
  EXPECT_EQ(table->FindByToken(""), nullptr);
  // The hash itself is not a token.
  EXPECT_EQ(table->FindByToken(Sha256Hex("tok-ana")), nullptr);
}

TEST(TokenFileTest, AcceptsUpperCaseHex) {
  std::string hash = Sha256Hex("t");
  for (char& c : hash) c = static_cast<char>(toupper(c));
  auto table = ParseTokenFile(
      "{\"principals\":[{\"name\":\"A\",\"role\":\"auditor\",\"token_sha256\":\"" + hash + "\"}]}");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_NE(table->FindByToken("t"), nullptr);
}

struct BadFile {
  std::string text;
  std::string message;  // a part the error must contain
};

TEST(TokenFileTest, ErrorsNameEntryAndField) {
  const std::string ok = Entry("Sec", "secretariat", "", "a");
  const BadFile cases[] = {
      {"not json", "not valid JSON"},
      {"{\"users\":[]}", "array 'principals'"},
      {"{\"principals\":[" + ok + ",3]}", "principals[1]: expected an object"},
      {"{\"principals\":[" + ok + "," + Entry("Ana", "focal_point", "", "b") + "]}",
       "principals[1] (\"Ana\"): field 'state' is required for role focal_point"},
      {"{\"principals\":[" + Entry("Rev", "reviewer", "XXX", "b") + "]}",
       "principals[0] (\"Rev\"): field 'state': 'XXX' is not a State party"},
      {"{\"principals\":[" + Entry("Aud", "auditor", "FRA", "b") + "]}",
       "principals[0] (\"Aud\"): field 'state' is only for focal_point and reviewer"},
      {"{\"principals\":[" + Entry("Bob", "admin", "", "b") + "]}",
       "principals[0] (\"Bob\"): field 'role': unknown role 'admin'"},
      {"{\"principals\":[{\"name\":\"Bob\",\"role\":\"observer\",\"token_sha256\":\"abc\"}]}",
       "principals[0] (\"Bob\"): field 'token_sha256' must be 64 hex digits"},
      {"{\"principals\":[{\"name\":\"Bob\",\"role\":\"observer\",\"token\":\"abc\"}]}",
       "principals[0] (\"Bob\"): unknown field 'token'"},
      {"{\"principals\":[{\"role\":\"observer\",\"token_sha256\":\"" + Sha256Hex("x") + "\"}]}",
       "principals[0]: field 'name' is required"},
      {"{\"principals\":[{\"name\":\"Bob\",\"token_sha256\":\"" + Sha256Hex("x") + "\"}]}",
       "principals[0] (\"Bob\"): field 'role' is required"},
      {"{\"principals\":[{\"name\":7,\"role\":\"observer\"}]}",
       "principals[0]: field 'name' must be a string"},
      {"{\"principals\":[" + ok + "," + Entry("Two", "auditor", "", "a") + "]}",
       "principals[1] (\"Two\"): field 'token_sha256' is the same as that of \"Sec\""},
  };
  for (const BadFile& bad : cases) {
    absl::StatusOr<PrincipalTable> table = ParseTokenFile(bad.text);
    ASSERT_FALSE(table.ok()) << bad.text;
    EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(table.status().message()), HasSubstr(bad.message)) << bad.text;
  }
}

TEST(TokenFileTest, MissingFileNamesPath) {
  auto table = LoadTokenFile("/nonexistent/auth.json");
  EXPECT_EQ(table.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(table.status().message()), HasSubstr("/nonexistent/auth.json"));
}

}  // namespace
}  // namespace irm::access
