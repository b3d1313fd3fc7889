#include "engine/subscription/live_feed.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/common/mutex.h"
#include "engine/subscription/test_log.h"
#include "gtest/gtest.h"

namespace irm::subscription {
namespace {

void WaitForHead(const LiveFeed& feed, uint64_t position) {
  for (int i = 0; i < 2000 && feed.head() < position; ++i) absl::SleepFor(absl::Milliseconds(1));
  ASSERT_GE(feed.head(), position);
}

TEST(LiveFeedTest, ServesRecentEventsFromTheRingAndOlderOnesFromDisk) {
  TestLog log("ring");
  LiveFeedOptions options;
  options.ring_events = 8;
  LiveFeed feed(log.get(), options);
  uint64_t last = 0;
  for (int i = 0; i < 20; ++i) last = log.Append("s");
  WaitForHead(feed, last);
  EXPECT_LE(feed.ring_size(), 8u);
  auto all = feed.Read(1, 100);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 20u);
  for (size_t i = 0; i < all->size(); ++i) EXPECT_EQ((*all)[i]->position(), i + 1);
  auto recent = feed.Read(15, 3);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 3u);
  EXPECT_EQ((*recent)[0]->position(), 15u);
  EXPECT_TRUE(feed.Read(21, 5)->empty());
}

TEST(LiveFeedTest, WakesWaitersOnceTheHeadPassesTheirPosition) {
  TestLog log("wake");
  LiveFeed feed(log.get());
  common::Notification woken;
  LiveFeed::WaitId id;
  ASSERT_TRUE(feed.WaitFor(1, [&] { woken.Notify(); }, &id));
  EXPECT_EQ(feed.waiting(), 1u);
  log.Append("s");
  EXPECT_TRUE(woken.WaitForNotificationWithTimeout(absl::Seconds(5)));
  EXPECT_EQ(feed.waiting(), 0u);
  EXPECT_FALSE(feed.WaitFor(1, [] {}, &id)) << "already reached: nothing to wait for";
}

TEST(LiveFeedTest, CancelledWaitersAreNotWoken) {
  TestLog log("cancel");
  LiveFeed feed(log.get());
  std::atomic<bool> woken{false};
  LiveFeed::WaitId id;
  ASSERT_TRUE(feed.WaitFor(1, [&] { woken = true; }, &id));
  feed.Cancel(id);
  WaitForHead(feed, log.Append("s"));
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_FALSE(woken.load());
}

TEST(LiveFeedTest, EventsFromTheRingAndFromDiskCarryTheirSerializedForm) {
  TestLog log("encoded");
  LiveFeedOptions options;
  options.ring_events = 4;
  LiveFeed feed(log.get(), options);
  uint64_t last = 0;
  for (int i = 0; i < 10; ++i) last = log.Append("s");
  WaitForHead(feed, last);
  auto recent = feed.Read(last - 1, 2);  // from the ring
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 2u);
  auto old = feed.Read(1, 2);  // behind the ring: the stored bytes, read from disk
  ASSERT_TRUE(old.ok());
  ASSERT_EQ(old->size(), 2u);
  for (const SharedEvent& event : {(*recent)[0], (*recent)[1], (*old)[0], (*old)[1]}) {
    const std::string* encoded = EncodedForm(event);
    ASSERT_NE(encoded, nullptr) << "position " << event->position();
    log::EventRecord decoded;
    ASSERT_TRUE(decoded.ParseFromString(*encoded));
    EXPECT_EQ(decoded.SerializeAsString(), event->SerializeAsString());
    EXPECT_EQ(EncodedSize(event), encoded->size());
  }
  EXPECT_EQ(EncodedForm(std::make_shared<const log::EventRecord>()), nullptr);
}

// Events committed before the feed exists are read from disk, never put in the ring; those
// committed while it starts are read from the log into the ring, and later ones are handed
// over by the log. The ring ends up holding every position from some point on, once, in
// order, with the bytes the log stored.
TEST(LiveFeedTest, EventsFromWhileItStartsJoinHandedOverOnesInOrder) {
  TestLog log("handover");
  for (int i = 0; i < 50; ++i) log.Append("early");
  std::vector<std::thread> appenders;
  for (int t = 0; t < 4; ++t) {
    appenders.emplace_back([&log, t] {
      for (int i = 0; i < 50; ++i) log.Append(absl::StrCat("s", t), "Noted", 1 + i % 3);
    });
  }
  LiveFeedOptions options;
  options.ring_events = 1000;
  LiveFeed feed(log.get(), options);
  for (auto& appender : appenders) appender.join();
  for (int i = 0; i < 20; ++i) log.Append("late");
  const uint64_t head = log.get()->HeadPosition();
  WaitForHead(feed, head);
  auto all = feed.Read(1, 1000);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), head);
  log::ReadAllOptions read;
  read.from_position = 1;
  auto stored = log.get()->ReadAllEncoded(read);
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_EQ(stored->size(), head);
  for (size_t i = 0; i < all->size(); ++i) ASSERT_EQ((*all)[i]->position(), i + 1);
  const size_t in_ring = feed.ring_size();
  ASSERT_GE(in_ring, 20u);
  const uint64_t ring_first = head - in_ring + 1;
  auto ring = feed.Read(ring_first, 1000);
  ASSERT_TRUE(ring.ok()) << ring.status();
  ASSERT_EQ(ring->size(), in_ring);
  for (size_t i = 0; i < ring->size(); ++i) {
    const uint64_t position = ring_first + i;
    ASSERT_EQ((*ring)[i]->position(), position);
    const std::string* encoded = EncodedForm((*ring)[i]);
    ASSERT_NE(encoded, nullptr) << "position " << position;
    EXPECT_EQ(*encoded, (*stored)[position - 1]) << "position " << position;
  }
}

}  // namespace
}  // namespace irm::subscription
