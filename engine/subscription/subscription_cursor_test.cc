#include "engine/subscription/subscription_cursor.h"

#include <random>
#include <thread>

#include "engine/common/mutex.h"
#include "engine/subscription/test_log.h"
#include "gtest/gtest.h"

namespace irm::subscription {
namespace {

// Waits, on the feed's own wake-up (no polling), until its head reaches `position`. False if
// the feed is stopped short of it or `timeout` passes first.
bool WaitForHead(LiveFeed& feed, uint64_t position, absl::Duration timeout = absl::Seconds(10)) {
  common::Notification woken;
  LiveFeed::WaitId id;
  if (!feed.WaitFor(position, [&] { woken.Notify(); }, &id)) return feed.head() >= position;
  if (woken.WaitForNotificationWithTimeout(timeout)) return true;
  feed.Cancel(id);
  return false;
}

// Drives `cursor` like a transport would: sends steps, waits on the feed when told to, and
// returns every delivered position once `want` events arrived (or the deadline passed).
std::vector<uint64_t> Drain(LiveFeed& feed, SubscriptionCursor& cursor, size_t want,
                            std::vector<uint64_t>* checkpoints = nullptr,
                            int* caught_up_count = nullptr) {
  std::vector<uint64_t> delivered;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (delivered.size() < want && absl::Now() < deadline) {
    auto step = cursor.Next(64);
    EXPECT_TRUE(step.ok()) << step.status();
    if (!step.ok()) break;
    if (step->wait) {
      WaitForHead(feed, cursor.next_position(), absl::Seconds(5));
      continue;
    }
    for (const SharedEvent& e : step->events) delivered.push_back(e->position());
    if (checkpoints) checkpoints->push_back(step->checkpoint);
    if (caught_up_count && step->caught_up) ++*caught_up_count;
  }
  return delivered;
}

// Random interleavings of appends with the catch-up-to-live switch: whatever the timing, the
// subscriber sees exactly the appended positions from its start, once each, in order.
TEST(SubscriptionCursorTest, RandomInterleavingsDeliverEveryPositionOnceInOrder) {
  for (int seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE(seed);
    TestLog log(absl::StrCat("interleave", seed));
    std::mt19937 rng(seed);
    LiveFeedOptions options;
    options.ring_events = 1 + rng() % 64;  // small rings force disk fall-backs
    LiveFeed feed(log.get(), options);
    const int before = rng() % 50;
    for (int i = 0; i < before; ++i) log.Append(absl::StrCat("s-", rng() % 3));
    const uint64_t from = 1 + rng() % (before + 1);
    const int batches = 40 + rng() % 40;
    std::vector<int> sizes;
    int total_after = 0;
    for (int i = 0; i < batches; ++i) total_after += sizes.emplace_back(1 + rng() % 5);
    std::thread writer([&, writer_seed = seed] {
      std::mt19937 wrng(writer_seed * 7919);
      for (int size : sizes) {
        log.Append(absl::StrCat("s-", wrng() % 3), "Noted", size);
        if (wrng() % 3 == 0) absl::SleepFor(absl::Microseconds(wrng() % 2000));
      }
    });
    SubscriptionCursor cursor(&feed, EventFilter(), from, 1000);
    const size_t want = before + total_after - from + 1;
    std::vector<uint64_t> delivered = Drain(feed, cursor, want);
    writer.join();
    ASSERT_EQ(delivered.size(), want);
    for (size_t i = 0; i < delivered.size(); ++i) ASSERT_EQ(delivered[i], from + i);
  }
}

TEST(SubscriptionCursorTest, FiltersOnPrefixAndTypeTogetherAndReportsCheckpoints) {
  TestLog log("filter");
  LiveFeed feed(log.get());
  std::vector<uint64_t> expected;
  for (int i = 0; i < 300; ++i) {
    const bool review = i % 3 == 0;
    const bool visit = i % 2 == 0;
    uint64_t p = log.Append(review ? "review-KEN-2" : "need-1", visit ? "CountryVisitHeld" : "X");
    if (review && visit) expected.push_back(p);
  }
  ASSERT_TRUE(WaitForHead(feed, 300));
  auto filter = EventFilter::Create("", "review-", {"CountryVisitHeld", "Other"});
  ASSERT_TRUE(filter.ok());
  SubscriptionCursor cursor(&feed, *filter, 1, 10);
  std::vector<uint64_t> checkpoints;
  int caught_up = 0;
  std::vector<uint64_t> delivered = Drain(feed, cursor, expected.size(), &checkpoints, &caught_up);
  EXPECT_EQ(delivered, expected);
  // Reaching the head reports how far it scanned, even though position 300 did not match.
  auto step = cursor.Next(64);
  ASSERT_TRUE(step.ok());
  EXPECT_TRUE(step->caught_up);
  EXPECT_EQ(step->checkpoint, 300u);
  EXPECT_TRUE(cursor.Next(64)->wait);
}

TEST(SubscriptionCursorTest, NothingMatchingStillSendsCheckpointsAtIntervals) {
  TestLog log("nomatch");
  LiveFeed feed(log.get());
  log.Append("other", "Noted", 250);
  ASSERT_TRUE(WaitForHead(feed, 250));
  auto filter = EventFilter::Create("", "review-", {});
  SubscriptionCursor cursor(&feed, *filter, 1, 100);
  std::vector<uint64_t> checkpoints;
  for (int i = 0; i < 10; ++i) {
    auto step = cursor.Next(64);
    ASSERT_TRUE(step.ok());
    if (step->wait) break;
    EXPECT_TRUE(step->events.empty());
    checkpoints.push_back(step->checkpoint);
  }
  // After exactly every 100 unmatched positions, then at the head.
  EXPECT_EQ(checkpoints, (std::vector<uint64_t>{100, 200, 250}));
}

TEST(SubscriptionCursorTest, CheckpointIntervalsAreHonouredExactlyLargeAndSmall) {
  TestLog log("intervals");
  LiveFeed feed(log.get());
  for (int i = 0; i < 3; ++i) log.Append("other", "Noted", 1000);
  log.Append("other", "Noted", 500);
  ASSERT_TRUE(WaitForHead(feed, 3500));
  auto filter = EventFilter::Create("", "review-", {});
  for (uint64_t interval : {1, 7, 1000}) {
    SCOPED_TRACE(interval);
    SubscriptionCursor cursor(&feed, *filter, 1, interval);
    std::vector<uint64_t> checkpoints;
    for (;;) {
      auto step = cursor.Next(64);
      ASSERT_TRUE(step.ok());
      if (step->wait) break;
      checkpoints.push_back(step->checkpoint);
    }
    std::vector<uint64_t> expected;
    for (uint64_t p = interval; p <= 3500; p += interval) expected.push_back(p);
    if (expected.back() != 3500) expected.push_back(3500);  // the head, after unmatched ones
    if (expected.back() == 3500 && 3500 % interval == 0) expected.push_back(3500);  // caught up
    EXPECT_EQ(checkpoints, expected);
  }
}

// Large events: every step holds at most one message's worth of bytes (a larger event
// alone), from disk and from the ring alike, and together they deliver every event.
TEST(SubscriptionCursorTest, StepsCarryAtMostOneMessageOfBytes) {
  TestLog log("budget");
  for (const size_t ring_events : {size_t{2}, size_t{1000}}) {
    SCOPED_TRACE(ring_events);
    LiveFeedOptions options;
    options.ring_events = ring_events;  // 2: the catch-up reads from disk
    LiveFeed feed(log.get(), options);
    const uint64_t start = log.get()->HeadPosition() + 1;
    for (size_t size : {400u << 10, 400u << 10, 400u << 10, 1048476u, 1000u, 1000u}) {
      log::AppendRequest request;
      request.stream = "big";
      log::ProposedEvent event;
      event.type = "Blob";
      event.data = absl::StrCat("\"", std::string(size, 'x'), "\"");
      request.events.push_back(event);
      ASSERT_TRUE(log.get()->Append(std::move(request)).ok());
    }
    const uint64_t last = start + 5;
    ASSERT_TRUE(WaitForHead(feed, last));
    SubscriptionCursor cursor(&feed, EventFilter(), start, 1000);
    std::vector<uint64_t> delivered;
    std::vector<size_t> per_step;
    while (delivered.size() < 6) {
      auto step = cursor.Next(64);
      ASSERT_TRUE(step.ok());
      ASSERT_FALSE(step->wait);
      log::MessageBudget budget;
      for (const SharedEvent& e : step->events) {
        EXPECT_TRUE(budget.TryAdd(EncodedSize(e))) << "position " << e->position();
        delivered.push_back(e->position());
      }
      if (!step->events.empty()) per_step.push_back(step->events.size());
    }
    EXPECT_EQ(delivered, (std::vector<uint64_t>{start, start + 1, start + 2, start + 3,
                                                start + 4, start + 5}));
    EXPECT_EQ(per_step, (std::vector<size_t>{2, 1, 1, 2}));
  }
}

TEST(SubscriptionCursorTest, NeverReportsACheckpointAboveTheHead) {
  TestLog log("beyond");
  LiveFeed feed(log.get());
  const uint64_t head = log.Append("s", "Noted", 3);
  ASSERT_TRUE(WaitForHead(feed, head));
  SubscriptionCursor cursor(&feed, EventFilter(), head + 10, 1000);
  auto step = cursor.Next(64);
  ASSERT_TRUE(step.ok());
  EXPECT_TRUE(step->caught_up);
  EXPECT_EQ(step->checkpoint, head);
  EXPECT_TRUE(cursor.Next(64)->wait);
}

// Cluster mode: a start past this copy (a checkpoint from a node further ahead) is waited
// for; "caught up" comes only once the copy reaches it, never with a lower checkpoint.
TEST(SubscriptionCursorTest, WaitsForTheCopyToReachAStartPastItsHead) {
  TestLog log("wait-start");
  LiveFeed feed(log.get());
  const uint64_t head = log.Append("s", "Noted", 2);
  ASSERT_TRUE(WaitForHead(feed, head));
  SubscriptionCursor cursor(&feed, EventFilter(), head + 3, 1000, /*wait_for_start=*/true);
  EXPECT_TRUE(cursor.behind_start());
  EXPECT_EQ(cursor.wait_position(), head + 2);
  auto step = cursor.Next(64);
  ASSERT_TRUE(step.ok());
  EXPECT_TRUE(step->wait);
  EXPECT_FALSE(step->caught_up);

  const uint64_t wait_at = cursor.wait_position();
  log.Append("s", "Noted", 2);  // the copy reaches head + 2 = start - 1
  ASSERT_TRUE(WaitForHead(feed, wait_at));
  EXPECT_FALSE(cursor.behind_start());
  step = cursor.Next(64);
  ASSERT_TRUE(step.ok());
  EXPECT_TRUE(step->caught_up);
  EXPECT_EQ(step->checkpoint, head + 2);
  EXPECT_TRUE(step->events.empty());
  log.Append("s", "Noted", 1);
  std::vector<uint64_t> delivered = Drain(feed, cursor, 1);
  EXPECT_EQ(delivered, std::vector<uint64_t>{head + 3});
}

// A subscriber that reads nothing for a while: writers go on, the feed's memory stays within
// its ring, and the subscriber then receives everything from disk and the ring.
TEST(SubscriptionCursorTest, StalledSubscriberCatchesUpWithBoundedMemory) {
  TestLog log("stalled");
  LiveFeedOptions options;
  options.ring_events = 100;
  LiveFeed feed(log.get(), options);
  SubscriptionCursor cursor(&feed, EventFilter(), 1, 1000);
  uint64_t last = 0;
  for (int i = 0; i < 200; ++i) last = log.Append(absl::StrCat("s-", i % 7), "Noted", 10);
  ASSERT_TRUE(WaitForHead(feed, last));
  EXPECT_LE(feed.ring_size(), 100u);
  std::vector<uint64_t> delivered = Drain(feed, cursor, last);
  ASSERT_EQ(delivered.size(), last);
  for (size_t i = 0; i < delivered.size(); ++i) ASSERT_EQ(delivered[i], i + 1);
}

}  // namespace
}  // namespace irm::subscription
