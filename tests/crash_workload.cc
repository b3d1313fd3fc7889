#include "tests/crash_workload.h"

#include <chrono>
#include <cstdlib>
#include <optional>
#include <random>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "engine/common/uuid.h"

namespace irm::tests {

using api::v1::AppendRequest;
using api::v1::AppendResponse;

struct CrashWorkload::Appender {
  int index = 0;
  std::vector<std::string> streams;
  std::vector<std::optional<uint64_t>> last_revision;  // nullopt: the stream has no events
  std::mt19937_64 rng;
  std::unique_ptr<api::v1::LogService::Stub> stub;
  std::vector<SentAppend> sent;
  std::vector<std::string> unexpected;
};

CrashWorkload::CrashWorkload(WorkloadOptions options) : options_(options) {}

std::string CrashWorkload::ThreadStream(int thread, int index) {
  return absl::StrCat("crash-t", thread, "-", index);
}

absl::StatusOr<std::unique_ptr<CrashWorkload>> CrashWorkload::Start(
    std::shared_ptr<grpc::Channel> channel, const WorkloadOptions& options) {
  std::unique_ptr<CrashWorkload> workload(new CrashWorkload(options));
  workload->channel_ = channel;
  for (int t = 0; t < options.threads; ++t) {
    auto appender = std::make_unique<Appender>();
    appender->index = t;
    appender->rng.seed(options.seed * 1000003 + options.round * 101 + t);
    appender->stub = api::v1::LogService::NewStub(channel);
    for (int s = 0; s < options.streams_per_thread; ++s) {
      std::string stream = ThreadStream(t, s);
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      api::v1::GetStreamInfoRequest request;
      request.set_stream(stream);
      api::v1::StreamInfo info;
      grpc::Status status = appender->stub->GetStreamInfo(&context, request, &info);
      if (status.ok()) {
        appender->last_revision.push_back(info.last_revision());
      } else if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
        appender->last_revision.push_back(std::nullopt);
      } else {
        return absl::UnavailableError(
            absl::StrCat("GetStreamInfo ", stream, ": ", status.error_message()));
      }
      appender->streams.push_back(std::move(stream));
    }
    workload->appenders_.push_back(std::move(appender));
  }
  for (auto& appender : workload->appenders_) {
    workload->threads_.emplace_back(&CrashWorkload::Run, workload.get(), appender.get());
  }
  return workload;
}

CrashWorkload::~CrashWorkload() {
  stop_.store(true);
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void CrashWorkload::Run(Appender* appender) {
  std::mt19937_64& rng = appender->rng;
  for (uint64_t seq = 0; !stop_.load(); ++seq) {
    const bool shared = std::uniform_int_distribution<int>(0, 3)(rng) == 0;
    const int own = std::uniform_int_distribution<int>(0, appender->streams.size() - 1)(rng);
    const int count = std::uniform_int_distribution<int>(1, shared ? 3 : 5)(rng);
    AppendRequest request;
    SentAppend sent;
    sent.round = options_.round;
    if (shared) {
      sent.stream = kSharedStream;
      request.mutable_any_revision();
    } else {
      sent.stream = appender->streams[own];
      const std::optional<uint64_t>& last = appender->last_revision[own];
      if (last.has_value()) {
        request.set_expected_revision(*last);
      } else {
        request.mutable_no_stream();
      }
    }
    request.set_stream(sent.stream);
    for (int i = 0; i < count; ++i) {
      const size_t pad = std::uniform_int_distribution<size_t>(0, 200)(rng);
      sent.ids.push_back(common::Uuid::Random().ToString());
      sent.types.push_back(i == 0 ? "CrashBatchStarted" : "CrashBatchContinued");
      sent.data.push_back(absl::StrCat(R"({"round":)", options_.round, R"(,"thread":)",
                                       appender->index, R"(,"seq":)", seq, R"(,"i":)", i,
                                       R"(,"pad":")", std::string(pad, 'x'), R"("})"));
      api::v1::ProposedEvent* event = request.add_events();
      event->set_id(common::Uuid::Parse(sent.ids.back())->Bytes());
      event->set_type(sent.types.back());
      event->set_content_type(event::v1::CONTENT_TYPE_JSON);
      event->set_data(sent.data.back());
    }
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    AppendResponse response;
    grpc::Status status = appender->stub->Append(&context, request, &response);
    if (status.ok()) {
      {
        absl::MutexLock lock(&acknowledged_mu_);
        ++acknowledged_;
      }
      sent.acknowledged = true;
      sent.first_revision = response.first_revision();
      sent.first_position = response.first_position();
      if (!shared) appender->last_revision[own] = response.last_revision();
      const bool consistent =
          response.stream() == sent.stream && !response.already_written() &&
          response.last_revision() - response.first_revision() + 1 ==
              static_cast<uint64_t>(count) &&
          response.last_position() - response.first_position() + 1 == static_cast<uint64_t>(count);
      if (!consistent) {
        appender->unexpected.push_back(
            absl::StrCat("thread ", appender->index, ": inconsistent response to an append of ",
                         count, " events to ", sent.stream, ": ", response.ShortDebugString()));
      }
    } else {
      sent.code = status.error_code();
      sent.error = status.error_message();
      if (!killing_.load()) {
        appender->unexpected.push_back(absl::StrCat(
            "thread ", appender->index, ": append to ", sent.stream,
            " failed before the kill: ", status.error_code(), " ", status.error_message()));
      }
    }
    appender->sent.push_back(std::move(sent));
    if (!status.ok()) return;  // the stream's state is unknown until read back
  }
}

bool CrashWorkload::WaitForAcknowledged(uint64_t count, absl::Duration timeout) {
  absl::MutexLock lock(&acknowledged_mu_);
  auto reached = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(acknowledged_mu_) {
    return acknowledged_ >= count;
  };
  return acknowledged_mu_.AwaitWithTimeout(absl::Condition(&reached), timeout);
}

uint64_t CrashWorkload::Acknowledged() {
  absl::MutexLock lock(&acknowledged_mu_);
  return acknowledged_;
}

std::vector<SentAppend> CrashWorkload::Finish(std::vector<std::string>* unexpected) {
  stop_.store(true);
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  std::vector<SentAppend> all;
  for (auto& appender : appenders_) {
    for (SentAppend& sent : appender->sent) all.push_back(std::move(sent));
    appender->sent.clear();
    unexpected->insert(unexpected->end(), appender->unexpected.begin(), appender->unexpected.end());
    appender->unexpected.clear();
  }
  return all;
}

uint64_t EnvNumber(const char* name, uint64_t fallback) {
  const char* value = std::getenv(name);
  uint64_t number = 0;
  if (value == nullptr || !absl::SimpleAtoi(value, &number)) return fallback;
  return number;
}

}  // namespace irm::tests
