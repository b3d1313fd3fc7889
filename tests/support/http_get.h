// HttpGet: one plain HTTP/1.0 GET over loopback TCP, for scraping irmd's /metrics in tests.
// No TLS, no redirects, no chunked encoding (HTTP/1.0 responses are sent whole).
//
// Thread-safe.
#ifndef IRM_TESTS_SUPPORT_HTTP_GET_H_
#define IRM_TESTS_SUPPORT_HTTP_GET_H_

#include <string>

#include "absl/status/statusor.h"

namespace irm::tests {

struct HttpResponse {
  int status = 0;        // 200
  std::string headers;   // the header block, without the status line
  std::string body;
};

// GET http://`host_port``path` (host_port "127.0.0.1:9464"). Unavailable if it cannot
// connect; DataLoss if the reply is not HTTP.
absl::StatusOr<HttpResponse> HttpGet(const std::string& host_port, const std::string& path);

}  // namespace irm::tests

#endif  // IRM_TESTS_SUPPORT_HTTP_GET_H_
