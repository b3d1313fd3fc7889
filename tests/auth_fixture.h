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
#include "tests/support/served_log.h"

namespace irm::tests {

// Tokens of the principals in the fixture's auth file.
inline constexpr char kSec[] = "tok-secretariat-7f3a";
inline constexpr char kKen[] = "tok-focal-ken-91c2";  // "Ana Ruiz", focal_point:KEN
inline constexpr char kUga[] = "tok-focal-uga-02bd";  // focal_point:UGA (UGA also reviews KEN)
inline constexpr char kFra[] = "tok-reviewer-fra-5e";  // reviewer:FRA, drawn for KEN
inline constexpr char kBra[] = "tok-reviewer-bra-c4";  // reviewer:BRA, not drawn for KEN
inline constexpr char kAud[] = "tok-auditor-88aa";
inline constexpr char kObs[] = "tok-observer-1d0e";

// A ServedLogTest whose irmd checks tokens against auth_file_.
class AuthFixture : public ServedLogTest {
 protected:
  AuthFixture() : ServedLogTest("irm-test") {}

  void SetUp() override { ASSERT_NO_FATAL_FAILURE(StartWithAuthFile()); }
  // Writes auth_file_ (AuthFileText()) and starts irmd with `--auth auth_file_ EXTRA...`; a
  // fatal failure if it does not come up.
  void StartWithAuthFile(const std::vector<std::string>& extra_args = {});

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
  // The log's head as the secretariat sees it (ServedLogTest::Head has no token).
  uint64_t Head();
  // Expects `args` as TOKEN to fail with `code` (e.g. "PERMISSION_DENIED") on the one stderr
  // line, mentioning `mentions`, and the log's head not to move.
  void ExpectDenied(const std::string& token, const std::vector<std::string>& args,
                    const std::string& code, const std::string& mentions);

  // Schedules KEN-2, draws UGA and FRA as its reviewers and launches it (as secretariat).
  void LaunchKen();

  std::string auth_file_;
};

}  // namespace irm::tests

#endif  // IRM_TESTS_AUTH_FIXTURE_H_
