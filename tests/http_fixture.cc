#include "tests/http_fixture.h"

#include "absl/strings/match.h"
#include "httplib.h"

namespace irm::tests {

std::string HttpAddressOf(const std::string& irmd_stderr) {
  const std::string kMarker = "irmd http listening on ";
  size_t at = irmd_stderr.find(kMarker);
  if (at == std::string::npos) return "";
  at += kMarker.size();
  return irmd_stderr.substr(at, irmd_stderr.find('\n', at) - at);
}

HttpAnswer HttpGet(const std::string& address, const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& headers) {
  httplib::Client client("http://" + address);
  client.set_read_timeout(30, 0);
  httplib::Headers sent;
  for (const auto& [name, value] : headers) sent.emplace(name, value);
  HttpAnswer answer;
  httplib::Result result = client.Get(path, sent);
  if (!result) return answer;
  answer.status = result->status;
  answer.text = result->body;
  answer.body = nlohmann::json::parse(result->body, nullptr, /*allow_exceptions=*/false);
  return answer;
}

void SseParser::Feed(const char* bytes, size_t size) {
  buffer_.append(bytes, size);
  for (size_t end = buffer_.find("\n\n"); end != std::string::npos; end = buffer_.find("\n\n")) {
    const std::string block = buffer_.substr(0, end);
    buffer_.erase(0, end + 2);
    SseMessage message;
    bool has_field = false;
    size_t start = 0;
    while (start <= block.size()) {
      size_t stop = block.find('\n', start);
      if (stop == std::string::npos) stop = block.size();
      const std::string line = block.substr(start, stop - start);
      start = stop + 1;
      if (line.empty()) continue;
      if (line[0] == ':') {
        comments_.push_back(line);
      } else if (absl::StartsWith(line, "id: ")) {
        message.id = line.substr(4);
        has_field = true;
      } else if (absl::StartsWith(line, "data: ")) {
        message.data += line.substr(6);
        has_field = true;
      }
    }
    if (has_field) messages_.push_back(std::move(message));
  }
}

void HttpFixture::SetUp() {
  // All test clients share 127.0.0.1; the SSE test holds 200 streams from it at once.
  ASSERT_NO_FATAL_FAILURE(
      StartServer({"--http", "127.0.0.1:0", "--http-max-streams-per-client", "256"}));
  http_ = HttpAddressOf(irmd_->stderr_text());
  ASSERT_FALSE(http_.empty()) << irmd_->stderr_text();
}

void HttpFixture::MustIrm(const std::vector<std::string>& args) {
  IrmResult result = Irm(args);
  ASSERT_EQ(result.exit_code, 0) << result;
}

}  // namespace irm::tests
