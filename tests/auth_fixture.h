// AuthFixture: a real irmd started with an --auth file of seven principals (one per role,
// plus a second focal point and a reviewer not drawn), driven by the real irm with tokens.
// Shared by the e2e authentication, confidentiality and reload tests.
#ifndef IRM_TESTS_AUTH_FIXTURE_H_
#define IRM_TESTS_AUTH_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/irmd_process.h"
#include "tests/support/run_irm.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {

// Tokens of the principals in the fixture's auth file.
inline constexpr char kSec[] = "tok-secretariat-7f3a";
inline constexpr char kKen[] = "tok-focal-ken-91c2";  // "Ana Ruiz", focal_point:KEN
inline constexpr char kUga[] = "tok-focal-uga-02bd";  // focal_point:UGA (UGA also reviews KEN)
inline constexpr char kFra[] = "tok-reviewer-fra-5e";  // reviewer:FRA, drawn for KEN
inline constexpr char kBra[] = "tok-reviewer-bra-c4";  // reviewer:BRA, not drawn for KEN
inline constexpr char kAud[] = "tok-auditor-88aa";
inline constexpr char kObs[] = "tok-observer-1d0e";

class AuthFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The JSON text of an auth file with the seven principals plus `extra` entries.
  static std::string AuthFileText(const std::vector<std::string>& extra = {});
  // One principals entry for `token`.
  static std::string Entry(const std::string& name, const std::string& role,
                           const std::string& state, const std::string& token);

  // `irm --token TOKEN ARGS...` (no token when TOKEN is empty).
  IrmResult As(const std::string& token, const std::vector<std::string>& args);
  // `irm --json --token TOKEN ARGS...`, expecting success; its one JSON object.
  nlohmann::json JsonAs(const std::string& token, const std::vector<std::string>& args);
  // `irm review STEP KEN --cycle 2 EXTRA...` as TOKEN, expecting success.
  nlohmann::json Step(const std::string& token, const std::string& step,
                      const std::vector<std::string>& extra = {});
  // The log's head as the secretariat sees it.
  uint64_t Head();
  // Expects `args` as TOKEN to fail with `code` (e.g. "PERMISSION_DENIED") on the one stderr
  // line, mentioning `mentions`, and the log's head not to move.
  void ExpectDenied(const std::string& token, const std::vector<std::string>& args,
                    const std::string& code, const std::string& mentions);

  // Schedules KEN-2, draws UGA and FRA as its reviewers and launches it (as secretariat).
  void LaunchKen();

  TempDir dir_;
  std::string auth_file_;
  std::unique_ptr<IrmdProcess> irmd_;
};

}  // namespace irm::tests

#endif  // IRM_TESTS_AUTH_FIXTURE_H_
