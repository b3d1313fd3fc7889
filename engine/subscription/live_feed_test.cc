#include "engine/subscription/live_feed.h"

#include <atomic>

#include "absl/synchronization/notification.h"
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
  absl::Notification woken;
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

TEST(LiveFeedTest, RingEventsCarryTheirSerializedFormAndOthersDoNot) {
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
  for (const SharedEvent& event : *recent) {
    const std::string* encoded = EncodedForm(event);
    ASSERT_NE(encoded, nullptr) << "position " << event->position();
    log::EventRecord decoded;
    ASSERT_TRUE(decoded.ParseFromString(*encoded));
    EXPECT_EQ(decoded.SerializeAsString(), event->SerializeAsString());
  }
  auto old = feed.Read(1, 1);  // behind the ring: read from disk
  ASSERT_TRUE(old.ok());
  ASSERT_EQ(old->size(), 1u);
  EXPECT_EQ(EncodedForm((*old)[0]), nullptr);
  EXPECT_EQ(EncodedForm(std::make_shared<const log::EventRecord>()), nullptr);
}

}  // namespace
}  // namespace irm::subscription
