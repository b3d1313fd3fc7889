#include "services/admin/task_group.h"

#include <iterator>
#include <utility>

namespace irm::services {

bool TaskGroup::Spawn(std::function<void()> task) {
  std::list<Entry> finished;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return false;
    for (auto it = entries_.begin(); it != entries_.end();) {
      auto next = std::next(it);
      if (it->done) finished.splice(finished.end(), entries_, it);
      it = next;
    }
    entries_.emplace_back();
    auto entry = std::prev(entries_.end());
    // The entry stays in entries_ (list iterators are stable) until joined.
    entry->thread = std::thread([this, entry, task = std::move(task)] {
      task();
      absl::MutexLock lock(&mu_);
      entry->done = true;
    });
  }
  for (Entry& entry : finished) entry.thread.join();  // done: returns at once
  return true;
}

void TaskGroup::Stop() {
  std::list<Entry> entries;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    entries.swap(entries_);
  }
  // Tasks finishing now still write `done` into their entry: it lives here until joined.
  for (Entry& entry : entries) entry.thread.join();
}

size_t TaskGroup::size() const {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

}  // namespace irm::services
