#include "tests/support/irm_json.h"

#include "gtest/gtest.h"
#include "tests/support/run_irm.h"

namespace irm::tests {

std::vector<nlohmann::json> RunIrmJson(const std::string& server,
                                       const std::vector<std::string>& args) {
  std::vector<std::string> full = {"--json"};
  full.insert(full.end(), args.begin(), args.end());
  IrmResult result = RunIrm(server, full);
  EXPECT_EQ(result.exit_code, 0) << result;
  std::vector<nlohmann::json> out;
  for (const std::string& line : Lines(result.out)) {
    out.push_back(nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false));
    EXPECT_TRUE(out.back().is_object()) << "not a JSON object: " << line;
  }
  return out;
}

}  // namespace irm::tests
