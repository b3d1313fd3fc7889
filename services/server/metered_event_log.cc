#include "services/server/metered_event_log.h"

#include <memory>
#include <utility>

namespace irm::services {

void MeteredEventLog::AppendAsync(log::AppendRequest request, log::AppendCallback done) {
  const size_t events = request.events.size();
  const absl::Time start = absl::Now();
  inner_->AppendAsync(
      std::move(request),
      [this, events, start, done = std::move(done)](absl::StatusOr<log::AppendResult> result) {
        const size_t written = result.ok() && !result->already_written ? events : 0;
        on_append_(written, absl::Now() - start, result.status().code());
        done(std::move(result));
      });
}

}  // namespace irm::services
