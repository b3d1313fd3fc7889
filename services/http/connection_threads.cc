#include "services/http/connection_threads.h"

#include <utility>

namespace irm::services::http {
namespace {

thread_local bool refusing_thread = false;

}  // namespace

ConnectionThreads::ConnectionThreads(size_t max_threads, size_t refusal_threads,
                                     std::shared_ptr<ConnectionStats> stats)
    : max_threads_(max_threads),
      refusal_threads_(refusal_threads),
      stats_(stats != nullptr ? std::move(stats) : std::make_shared<ConnectionStats>()) {}

ConnectionThreads::~ConnectionThreads() { shutdown(); }

bool ConnectionThreads::Refusing() { return refusing_thread; }

void ConnectionThreads::enqueue(std::function<void()> fn) {
  JoinFinished();
  absl::MutexLock lock(&mu_);
  // Nothing queues: the accepting thread waits for a thread to free up, and new
  // connections wait in the listen backlog meanwhile.
  auto has_room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return serving_ < max_threads_ || refusing_ < refusal_threads_;
  };
  mu_.Await(absl::Condition(&has_room));
  Spawn(std::move(fn), /*refusing=*/serving_ >= max_threads_);
}

void ConnectionThreads::Spawn(std::function<void()> job, bool refusing) {
  const uint64_t id = next_id_++;
  if (refusing) {
    ++refusing_;
    stats_->refused.fetch_add(1, std::memory_order_relaxed);
  } else {
    ++serving_;
    stats_->serving.fetch_add(1, std::memory_order_relaxed);
  }
  // The thread finds its own handle under mu_, which this caller holds until it is stored.
  running_.emplace(id, std::thread([this, id, refusing, job = std::move(job)] {
    refusing_thread = refusing;
    job();
    absl::MutexLock lock(&mu_);
    if (refusing) {
      --refusing_;
    } else {
      --serving_;
      stats_->serving.fetch_sub(1, std::memory_order_relaxed);
    }
    auto self = running_.find(id);
    finished_.push_back(std::move(self->second));
    running_.erase(self);
  }));
}

void ConnectionThreads::JoinFinished() {
  std::vector<std::thread> finished;
  {
    absl::MutexLock lock(&mu_);
    finished.swap(finished_);
  }
  for (std::thread& thread : finished) thread.join();
}

void ConnectionThreads::shutdown() {
  {
    absl::MutexLock lock(&mu_);
    auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return running_.empty(); };
    mu_.Await(absl::Condition(&idle));
  }
  JoinFinished();
}

size_t ConnectionThreads::running() const {
  absl::MutexLock lock(&mu_);
  return serving_;
}

}  // namespace irm::services::http
