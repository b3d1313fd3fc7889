#include "services/http/connection_threads.h"

#include <thread>

namespace irm::services::http {

ConnectionThreads::~ConnectionThreads() { shutdown(); }

void ConnectionThreads::enqueue(std::function<void()> fn) {
  {
    absl::MutexLock lock(&mu_);
    if (running_ >= max_threads_) {
      pending_.push_back(std::move(fn));
      return;
    }
    ++running_;
  }
  std::thread([this, fn = std::move(fn)]() mutable { Work(std::move(fn)); }).detach();
}

void ConnectionThreads::Work(std::function<void()> job) {
  for (;;) {
    job();
    absl::MutexLock lock(&mu_);
    if (pending_.empty()) {
      --running_;  // the last touch of `this`: shutdown() waits for running_ == 0
      return;
    }
    job = std::move(pending_.front());
    pending_.pop_front();
  }
}

void ConnectionThreads::shutdown() {
  absl::MutexLock lock(&mu_);
  auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return running_ == 0 && pending_.empty();
  };
  mu_.Await(absl::Condition(&idle));
}

size_t ConnectionThreads::running() const {
  absl::MutexLock lock(&mu_);
  return running_;
}

}  // namespace irm::services::http
