#include "engine/subscription/live_feed.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace irm::subscription {
namespace {

// Events read from the log per dispatcher step.
constexpr size_t kDispatchChunk = 1024;

// Owns a feed event and keeps its serialized form beside it, in the shared_ptr's control
// block, where EncodedForm() finds it with std::get_deleter.
struct EncodedDeleter {
  std::string encoded;
  void operator()(const log::EventRecord* record) const { delete record; }
};

// What a ring entry costs in memory: the decoded record and its serialized form, counted as
// twice the serialized size (ByteSizeLong would give the same figure but recomputes it by
// walking the record, on every push and trim).
size_t EntryBytes(const SharedEvent& event) {
  const std::string* encoded = EncodedForm(event);
  return encoded != nullptr ? 2 * encoded->size() : event->ByteSizeLong();
}

// What a handed-over event costs while it waits: its record and its stored bytes.
size_t HandedBytes(const log::CommittedEvent& event) { return 2 * event.encoded.size(); }

// Appends the events ReadAllEncoded(options) returns to `events`, each decoded once and
// keeping its stored bytes as its EncodedForm.
absl::Status ReadStored(const log::EventLog& log, const log::ReadAllOptions& options,
                        std::vector<SharedEvent>* events) {
  absl::StatusOr<std::vector<std::string>> stored = log.ReadAllEncoded(options);
  if (!stored.ok()) return stored.status();
  events->reserve(events->size() + stored->size());
  uint64_t position = options.from_position.value_or(1);
  for (std::string& bytes : *stored) {
    auto record = std::make_unique<log::EventRecord>();
    if (!record->ParseFromString(bytes)) {
      return absl::DataLossError(absl::StrCat("event ", position, " is unreadable"));
    }
    events->emplace_back(record.release(), EncodedDeleter{std::move(bytes)});
    ++position;
  }
  return absl::OkStatus();
}

size_t WakeThreads(const LiveFeedOptions& options) {
  if (options.wake_threads > 0) return options.wake_threads;
  return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
}

}  // namespace

const std::string* EncodedForm(const SharedEvent& event) {
  const EncodedDeleter* deleter = std::get_deleter<EncodedDeleter>(event);
  return deleter != nullptr ? &deleter->encoded : nullptr;
}

size_t EncodedSize(const SharedEvent& event) {
  const std::string* encoded = EncodedForm(event);
  return encoded != nullptr ? encoded->size() : event->ByteSizeLong();
}

LiveFeed::LiveFeed(log::EventLog* log, LiveFeedOptions options)
    : log_(log), options_(options), wake_pool_(WakeThreads(options)) {
  const uint64_t head = log->HeadPosition();
  {
    common::MutexLock lock(&mu_);
    log_head_ = head;
    head_ = head;
  }
  log_->SetCommitListener([this](uint64_t log_head, std::vector<log::CommittedEvent> events) {
    OnCommit(log_head, std::move(events));
  });
  dispatcher_ = std::thread([this] { Dispatch(); });
}

LiveFeed::~LiveFeed() { Stop(); }

void LiveFeed::Stop() {
  {
    common::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  log_->SetCommitListener(nullptr);
  if (dispatcher_.joinable()) dispatcher_.join();
  std::map<WaitId, Waiter> waiters;
  {
    common::MutexLock lock(&mu_);
    waiters.swap(waiters_);
  }
  for (auto& [id, waiter] : waiters) waiter.wake();
}

void LiveFeed::OnCommit(uint64_t log_head, std::vector<log::CommittedEvent> events) {
  size_t bytes = 0;
  for (const log::CommittedEvent& event : events) bytes += HandedBytes(event);
  common::MutexLock lock(&mu_);
  log_head_ = std::max(log_head_, log_head);
  if (handed_bytes_ > 0 && handed_bytes_ + bytes > options_.handoff_bytes) {
    // Full: the dispatcher reads these from the log (a gap in handed_). Freed by the caller.
    handed_dropped_ += events.size();
    return;
  }
  handed_bytes_ += bytes;
  for (log::CommittedEvent& event : events) handed_.push_back(std::move(event));
}

HandoffUse LiveFeed::handoff() const {
  common::MutexLock lock(&mu_);
  return HandoffUse{handed_bytes_, options_.handoff_bytes, handed_dropped_};
}

absl::Status LiveFeed::ReadFromLog(uint64_t from, uint64_t to, std::vector<SharedEvent>* events) {
  log::ReadAllOptions options;
  options.from_position = from;
  options.max_count = static_cast<size_t>(to - from + 1);
  const size_t before = events->size();
  if (absl::Status s = ReadStored(*log_, options, events); !s.ok()) return s;
  if (events->size() - before != options.max_count) {
    return absl::UnavailableError(absl::StrCat("read ", events->size() - before,
                                               " of the events ", from, "..", to));
  }
  return absl::OkStatus();
}

uint64_t LiveFeed::head() const {
  common::MutexLock lock(&mu_);
  return head_;
}

bool LiveFeed::stopped() const {
  common::MutexLock lock(&mu_);
  return stopping_;
}

size_t LiveFeed::waiting() const {
  common::MutexLock lock(&mu_);
  return waiters_.size();
}

size_t LiveFeed::ring_size() const {
  common::MutexLock lock(&mu_);
  return ring_.size();
}

absl::StatusOr<std::vector<SharedEvent>> LiveFeed::Read(uint64_t from, size_t max) const {
  std::vector<SharedEvent> events;
  uint64_t head;
  {
    common::MutexLock lock(&mu_);
    head = head_;
    if (from == 0) from = 1;
    if (from > head || max == 0) return events;
    const uint64_t ring_first = head_ - ring_.size() + 1;
    if (!ring_.empty() && from >= ring_first) {
      const size_t begin = static_cast<size_t>(from - ring_first);
      const size_t end = std::min(ring_.size(), begin + max);
      log::MessageBudget budget;
      for (size_t i = begin; i < end && budget.TryAdd(EncodedSize(ring_[i])); ++i) {
        events.push_back(ring_[i]);
      }
      return events;
    }
  }
  // Behind the ring: read from disk, never past what readers may see.
  log::ReadAllOptions options;
  options.from_position = from;
  options.max_count = static_cast<size_t>(std::min<uint64_t>(max, head - from + 1));
  options.max_bytes = log::kMessageEventBytes;
  if (absl::Status s = ReadStored(*log_, options, &events); !s.ok()) return s;
  return events;
}

bool LiveFeed::WaitFor(uint64_t position, std::function<void()> wake, WaitId* id) {
  common::MutexLock lock(&mu_);
  if (head_ >= position || stopping_) return false;
  *id = next_wait_id_++;
  waiters_.emplace(*id, Waiter{position, std::move(wake)});
  return true;
}

void LiveFeed::Cancel(WaitId id) {
  common::MutexLock lock(&mu_);
  waiters_.erase(id);
}

void LiveFeed::TrimRing(std::vector<SharedEvent>* trimmed) {
  while (!ring_.empty() &&
         (ring_.size() > options_.ring_events || ring_bytes_ > options_.ring_bytes)) {
    ring_bytes_ -= EntryBytes(ring_.front());
    trimmed->push_back(std::move(ring_.front()));
    ring_.pop_front();
  }
}

void LiveFeed::Requeue(std::deque<log::CommittedEvent> handed) {
  if (handed.empty()) return;
  size_t bytes = 0;
  for (const log::CommittedEvent& event : handed) bytes += HandedBytes(event);
  common::MutexLock lock(&mu_);
  handed_bytes_ += bytes;
  handed_.insert(handed_.begin(), std::make_move_iterator(handed.begin()),
                 std::make_move_iterator(handed.end()));
}

void LiveFeed::Dispatch() {
  for (;;) {
    uint64_t from;
    uint64_t to;
    std::deque<log::CommittedEvent> handed;
    {
      common::MutexLock lock(&mu_);
      auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || log_head_ > head_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&has_work), absl::Milliseconds(200));
      if (stopping_) return;
      // The commit listener may be missed while the feed starts; poll the log's head too.
      log_head_ = std::max(log_head_, log_->HeadPosition());
      if (log_head_ <= head_) continue;
      from = head_ + 1;
      to = std::min(log_head_, head_ + kDispatchChunk);
      handed.swap(handed_);
      handed_bytes_ = 0;
    }
    // Events the log handed over need no read; a gap before them (commits the listener did
    // not see, as while the feed starts) is read from the log.
    std::vector<SharedEvent> events;
    while (!handed.empty() && handed.front().record->position() < from) handed.pop_front();
    uint64_t next = from;
    if (handed.empty() || handed.front().record->position() > from) {
      const uint64_t gap_end =
          handed.empty() ? to : std::min(to, handed.front().record->position() - 1);
      if (!ReadFromLog(from, gap_end, &events).ok()) {
        Requeue(std::move(handed));
        absl::SleepFor(absl::Milliseconds(10));  // a disk error: retry, readers keep what they have
        continue;
      }
      next = gap_end + 1;
    }
    while (!handed.empty() && handed.front().record->position() == next) {
      log::CommittedEvent& event = handed.front();
      events.emplace_back(event.record.release(), EncodedDeleter{std::move(event.encoded)});
      handed.pop_front();
      ++next;
    }
    Requeue(std::move(handed));  // after a gap read up to the chunk's end: for the next step
    if (events.empty()) continue;
    std::vector<std::function<void()>> wakes;
    std::vector<SharedEvent> trimmed;  // freed after the lock is released
    trimmed.reserve(events.size());
    {
      common::MutexLock lock(&mu_);
      for (SharedEvent& event : events) {
        ring_bytes_ += EntryBytes(event);
        ring_.push_back(std::move(event));
      }
      head_ = ring_.back()->position();
      TrimRing(&trimmed);
      for (auto it = waiters_.begin(); it != waiters_.end();) {
        if (it->second.position <= head_) {
          wakes.push_back(std::move(it->second.wake));
          it = waiters_.erase(it);
        } else {
          ++it;
        }
      }
    }
    wake_pool_.RunAll(&wakes);
  }
}

}  // namespace irm::subscription
