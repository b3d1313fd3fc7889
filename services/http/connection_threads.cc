#include "services/http/connection_threads.h"

#include <thread>

namespace irm::services::http {

ConnectionThreads::~ConnectionThreads() { shutdown(); }

void ConnectionThreads::enqueue(std::function<void()> fn) {
  {
    absl::MutexLock lock(&state_->mu);
    if (state_->running >= max_threads_) {
      state_->pending.push_back(std::move(fn));
      return;
    }
    ++state_->running;
  }
  std::thread([state = state_, fn = std::move(fn)]() mutable {
    Work(std::move(state), std::move(fn));
  }).detach();
}

void ConnectionThreads::Work(std::shared_ptr<State> state, std::function<void()> job) {
  for (;;) {
    job();
    absl::MutexLock lock(&state->mu);
    if (state->pending.empty()) {
      --state->running;
      return;
    }
    job = std::move(state->pending.front());
    state->pending.pop_front();
  }
}

void ConnectionThreads::shutdown() {
  State* state = state_.get();
  absl::MutexLock lock(&state->mu);
  auto idle = [state]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(state->mu) {
    return state->running == 0 && state->pending.empty();
  };
  state->mu.Await(absl::Condition(&idle));
}

size_t ConnectionThreads::running() const {
  absl::MutexLock lock(&state_->mu);
  return state_->running;
}

}  // namespace irm::services::http
