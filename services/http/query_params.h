// QueryParams: the query string of one HTTP request, checked against what the endpoint
// takes, so a misspelt parameter is a clear 400 instead of being silently ignored.
// Not thread-safe; one per request.
#ifndef IRM_SERVICES_HTTP_QUERY_PARAMS_H_
#define IRM_SERVICES_HTTP_QUERY_PARAMS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "httplib.h"

namespace irm::services::http {

class QueryParams {
 public:
  // InvalidArgument naming the first parameter not in `allowed` or given twice (except those
  // listed in `repeatable`), and what `endpoint` takes.
  static absl::StatusOr<QueryParams> Check(const httplib::Request& request,
                                           const std::string& endpoint,
                                           const std::vector<std::string>& allowed,
                                           const std::vector<std::string>& repeatable = {});

  // The value of `name`, or "" if absent.
  std::string Get(const std::string& name) const;
  // Every value of `name`, in order.
  std::vector<std::string> All(const std::string& name) const;

  // A cycle: "" -> 0 (both); "1" or "2"; InvalidArgument otherwise.
  absl::StatusOr<int> Cycle() const;
  // A whole number >= 0: "" -> `fallback`; InvalidArgument otherwise.
  absl::StatusOr<uint64_t> Number(const std::string& name, uint64_t fallback) const;
  // "1"/"true" -> true, ""/"0"/"false" -> false; InvalidArgument otherwise.
  absl::StatusOr<bool> Flag(const std::string& name) const;

 private:
  explicit QueryParams(const httplib::Request* request) : request_(request) {}
  const httplib::Request* request_;
};

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_QUERY_PARAMS_H_
