// HttpFixture: a real irmd started with `--http 127.0.0.1:0` on a temporary folder, the real
// irm client to load data, and small HTTP helpers (cpp-httplib's client) for the tests of
// irmd's HTTP side: JSON GETs, and a reader of Server-Sent Events.
#ifndef IRM_TESTS_HTTP_FIXTURE_H_
#define IRM_TESTS_HTTP_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/irmd_process.h"
#include "tests/support/run_irm.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {

// "irmd http listening on HOST:PORT" from irmd's stderr; "" if absent.
std::string HttpAddressOf(const std::string& irmd_stderr);

struct HttpAnswer {
  int status = 0;  // 0 if the request failed
  nlohmann::json body;
  std::string text;
};

// GET http://ADDRESS/PATH with optional extra headers ("Name: value").
HttpAnswer HttpGet(const std::string& address, const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& headers = {});

// One parsed Server-Sent Event message.
struct SseMessage {
  std::string id;    // "" when the message had no id: line
  std::string data;  // "" for id-only messages
};

// Accumulates a text/event-stream and splits it into messages and comment lines.
// Not thread-safe.
class SseParser {
 public:
  void Feed(const char* bytes, size_t size);
  const std::vector<SseMessage>& messages() const { return messages_; }
  const std::vector<std::string>& comments() const { return comments_; }

 private:
  std::string buffer_;
  std::vector<SseMessage> messages_;
  std::vector<std::string> comments_;
};

class HttpFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  IrmResult Irm(const std::vector<std::string>& args) { return RunIrm(irmd_->address(), args); }
  // `irm --json ARGS`, expecting success: one object per line.
  std::vector<nlohmann::json> IrmJson(const std::vector<std::string>& args);
  // Runs an irm command that must succeed.
  void MustIrm(const std::vector<std::string>& args);

  TempDir dir_{"irm-e2e-http"};
  std::unique_ptr<IrmdProcess> irmd_;
  std::string http_;  // HOST:PORT of the HTTP side
};

}  // namespace irm::tests

#endif  // IRM_TESTS_HTTP_FIXTURE_H_
