#include "services/http/connection_threads.h"

#include <algorithm>
#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace irm::services::http {
namespace {

// Connections beyond the cap are not queued: they run at once, on a refusal thread, which
// the HTTP server answers 503; every thread is joined by shutdown().
TEST(ConnectionThreadsTest, ConnectionsPastTheCapRunOnRefusalThreadsNotInAQueue) {
  auto stats = std::make_shared<ConnectionStats>();
  auto threads = std::make_unique<ConnectionThreads>(2, 1, stats);
  absl::Notification release;
  absl::Mutex mu;
  int started = 0;
  std::vector<bool> refused;
  auto job = [&] {
    {
      absl::MutexLock lock(&mu);
      ++started;
      refused.push_back(ConnectionThreads::Refusing());
    }
    release.WaitForNotification();
  };
  for (int i = 0; i < 3; ++i) threads->enqueue(job);
  {
    absl::MutexLock lock(&mu);
    auto all_started = [&] { return started == 3; };
    mu.Await(absl::Condition(&all_started));
    EXPECT_EQ(std::count(refused.begin(), refused.end(), true), 1) << "the third is refused";
  }
  EXPECT_EQ(threads->running(), 2u);
  EXPECT_EQ(stats->serving.load(), 2u);
  EXPECT_EQ(stats->refused.load(), 1u);
  EXPECT_FALSE(ConnectionThreads::Refusing()) << "only on a refusal thread";

  // A fourth waits (in enqueue: the accepting thread) until a thread frees up.
  absl::Notification fourth_enqueued;
  std::thread acceptor([&] {
    threads->enqueue([] {});
    fourth_enqueued.Notify();
  });
  release.Notify();
  fourth_enqueued.WaitForNotification();
  acceptor.join();
  threads->shutdown();
  EXPECT_EQ(threads->running(), 0u);
  EXPECT_EQ(stats->serving.load(), 0u);
  threads.reset();  // joined: nothing is left running that could touch it
}

}  // namespace
}  // namespace irm::services::http
