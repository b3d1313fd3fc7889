#include "tests/auth_fixture.h"

#include <fstream>

#include "absl/strings/str_join.h"
#include "engine/access/token_file.h"
#include "gmock/gmock.h"

namespace irm::tests {

using ::nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string AuthFixture::Entry(const std::string& name, const std::string& role,
                               const std::string& state, const std::string& token) {
  json entry = {{"name", name}, {"role", role}, {"token_sha256", access::Sha256Hex(token)}};
  if (!state.empty()) entry["state"] = state;
  return entry.dump();
}

std::string AuthFixture::AuthFileText(const std::vector<std::string>& extra) {
  std::vector<std::string> entries = {
      Entry("Sam Secretariat", "secretariat", "", kSec),
      Entry("Ana Ruiz", "focal_point", "KEN", kKen),
      Entry("Olu Okello", "focal_point", "UGA", kUga),
      Entry("Remy Fournier", "reviewer", "FRA", kFra),
      Entry("Bia Barros", "reviewer", "BRA", kBra),
      Entry("Aude Auditor", "auditor", "", kAud),
      Entry("Otto Observer", "observer", "", kObs),
  };
  entries.insert(entries.end(), extra.begin(), extra.end());
  return "{\"principals\":[" + absl::StrJoin(entries, ",\n") + "]}";
}

void AuthFixture::StartWithAuthFile(const std::vector<std::string>& extra_args) {
  auth_file_ = dir_.Sub("auth.json");
  std::ofstream(auth_file_) << AuthFileText();
  std::vector<std::string> args = {"--auth", auth_file_};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  ASSERT_NO_FATAL_FAILURE(StartServer(args));
}

IrmResult AuthFixture::As(const std::string& token, const std::vector<std::string>& args) {
  std::vector<std::string> full;
  if (!token.empty()) full = {"--token", token};
  full.insert(full.end(), args.begin(), args.end());
  return RunIrm(irmd_->address(), full);
}

json AuthFixture::JsonAs(const std::string& token, const std::vector<std::string>& args) {
  std::vector<std::string> full = {"--json"};
  full.insert(full.end(), args.begin(), args.end());
  IrmResult result = As(token, full);
  EXPECT_EQ(result.exit_code, 0) << result;
  std::vector<std::string> lines = Lines(result.out);
  EXPECT_EQ(lines.size(), 1u) << result;
  if (lines.empty()) return json::object();
  json parsed = json::parse(lines[0], nullptr, /*allow_exceptions=*/false);
  EXPECT_TRUE(parsed.is_object()) << result;
  return parsed;
}

json AuthFixture::Step(const std::string& token, const std::string& step,
                       const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"review", step, "KEN", "--cycle", "2"};
  args.insert(args.end(), extra.begin(), extra.end());
  return JsonAs(token, args);
}

uint64_t AuthFixture::Head() {
  return JsonAs(kSec, {"info"}).value("head_position", uint64_t{0});
}

void AuthFixture::ExpectDenied(const std::string& token, const std::vector<std::string>& args,
                               const std::string& code, const std::string& mentions) {
  const uint64_t head = Head();
  IrmResult result = As(token, args);
  EXPECT_NE(result.exit_code, 0) << result;
  EXPECT_THAT(result.err, StartsWith(code + ": ")) << result;
  EXPECT_THAT(result.err, HasSubstr(mentions)) << result;
  EXPECT_EQ(Lines(result.err).size(), 1u) << result;
  EXPECT_EQ(Head(), head) << "a denied call appended: " << absl::StrJoin(args, " ");
}

void AuthFixture::LaunchKen() {
  Step(kSec, "schedule", {"--year", "1", "--on", "2015-11-06"});
  Step(kSec, "assign-reviewers", {"--reviewers", "UGA,FRA", "--on", "2016-01-15"});
  Step(kSec, "launch", {"--on", "2016-06-01"});
}

}  // namespace irm::tests
