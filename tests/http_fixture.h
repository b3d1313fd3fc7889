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
#include "tests/support/served_log.h"

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

// ServedLogTest whose irmd also serves HTTP (`--http 127.0.0.1:0`).
class HttpFixture : public ServedLogTest {
 protected:
  HttpFixture() : ServedLogTest("irm-e2e-http") {}

  // Starts irmd; a fatal failure if it or its HTTP side does not come up.
  void SetUp() override;

  // Runs an irm command that must succeed.
  void MustIrm(const std::vector<std::string>& args);

  std::string http_;  // HOST:PORT of the HTTP side
};

}  // namespace irm::tests

#endif  // IRM_TESTS_HTTP_FIXTURE_H_
