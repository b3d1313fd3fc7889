// MeteredEventLog: an EventLog that forwards every call to another one and reports each
// append (events written, duration until durable or refused, outcome) to a callback. irmd hands it
// to the services so that appends from every RPC (log and review commands) are counted.
//
// Thread-safety: as the wrapped log; `on_append` runs on the thread that completes the
// append (see EventLog::AppendAsync) and must be thread-safe.
#ifndef IRM_SERVICES_SERVER_METERED_EVENT_LOG_H_
#define IRM_SERVICES_SERVER_METERED_EVENT_LOG_H_

#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "engine/log/event_log.h"

namespace irm::services {

// events: how many were written (0 when refused or an idempotent retry); code: the outcome.
using AppendReport = std::function<void(size_t events, absl::Duration took, absl::StatusCode code)>;

class MeteredEventLog final : public log::EventLog {
 public:
  // `inner` must outlive this.
  MeteredEventLog(log::EventLog* inner, AppendReport on_append)
      : inner_(inner), on_append_(std::move(on_append)) {}

  void AppendAsync(log::AppendRequest request, log::AppendCallback done) override;
  absl::StatusOr<std::vector<log::EventRecord>> ReadStream(
      const log::ReadStreamOptions& options) const override {
    return inner_->ReadStream(options);
  }
  absl::StatusOr<std::vector<log::EventRecord>> ReadAll(
      const log::ReadAllOptions& options) const override {
    return inner_->ReadAll(options);
  }
  absl::StatusOr<log::StreamInfo> GetStreamInfo(absl::string_view stream) const override {
    return inner_->GetStreamInfo(stream);
  }
  uint64_t HeadPosition() const override { return inner_->HeadPosition(); }
  void SetCommitListener(log::CommitListener listener) override {
    inner_->SetCommitListener(std::move(listener));
  }
  void Close() override { inner_->Close(); }

 private:
  log::EventLog* const inner_;
  const AppendReport on_append_;
};

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_METERED_EVENT_LOG_H_
