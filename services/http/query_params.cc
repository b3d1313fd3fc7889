#include "services/http/query_params.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/quote.h"

namespace irm::services::http {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

absl::StatusOr<QueryParams> QueryParams::Check(const httplib::Request& request,
                                               const std::string& endpoint,
                                               const std::vector<std::string>& allowed,
                                               const std::vector<std::string>& repeatable) {
  for (const auto& [name, value] : request.params) {
    if (!Contains(allowed, name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown query parameter ", common::Quote(name), ": ", endpoint,
          allowed.empty() ? " takes none" : absl::StrCat(" takes ", absl::StrJoin(allowed, ", "))));
    }
    if (request.get_param_value_count(name) > 1 && !Contains(repeatable, name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("query parameter ", common::Quote(name),
                       " is given more than once; give it once"));
    }
  }
  return QueryParams(&request);
}

std::string QueryParams::Get(const std::string& name) const {
  return request_->get_param_value(name);
}

std::vector<std::string> QueryParams::All(const std::string& name) const {
  std::vector<std::string> values;
  auto range = request_->params.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) values.push_back(it->second);
  return values;
}

absl::StatusOr<int> QueryParams::Cycle() const {
  const std::string text = Get("cycle");
  if (text.empty()) return 0;
  if (text == "1" || text == "2") return text[0] - '0';
  return absl::InvalidArgumentError(
      absl::StrCat("cycle ", common::Quote(text),
                   " is not a review cycle: use 1 or 2 (or leave it out for both)"));
}

absl::StatusOr<uint64_t> QueryParams::Number(const std::string& name, uint64_t fallback) const {
  const std::string text = Get(name);
  if (text.empty()) return fallback;
  uint64_t value = 0;
  if (!absl::SimpleAtoi(text, &value) || text[0] == '-' || text[0] == '+') {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " ", common::Quote(text), " is not a whole number; e.g. ", name, "=41"));
  }
  return value;
}

absl::StatusOr<bool> QueryParams::Flag(const std::string& name) const {
  const std::string text = Get(name);
  if (text.empty() || text == "0" || text == "false") return false;
  if (text == "1" || text == "true") return true;
  return absl::InvalidArgumentError(
      absl::StrCat(name, " ", common::Quote(text), " is not a flag: use ", name,
                   "=1 or leave it out"));
}

}  // namespace irm::services::http
