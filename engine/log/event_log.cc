#include "engine/log/event_log.h"

#include <future>

#include "absl/strings/str_cat.h"

namespace irm::log {

std::string ExpectedRevision::ToString() const {
  switch (kind) {
    case Kind::kAny:
      return "any";
    case Kind::kNoStream:
      return "no_stream";
    case Kind::kExists:
      return "exists";
    case Kind::kExact:
      return absl::StrCat(revision);
  }
  return "?";
}

absl::StatusOr<AppendResult> EventLog::Append(AppendRequest request) {
  std::promise<absl::StatusOr<AppendResult>> promise;
  std::future<absl::StatusOr<AppendResult>> future = promise.get_future();
  AppendAsync(std::move(request), [&promise](absl::StatusOr<AppendResult> result) {
    promise.set_value(std::move(result));
  });
  return future.get();
}

}  // namespace irm::log
