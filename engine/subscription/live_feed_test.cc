#include "engine/subscription/live_feed.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <utility>
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
  // A witness waiting for the same position: once it is woken, the dispatcher has run the
  // round in which the cancelled waiter would have been woken.
  common::Notification witness;
  LiveFeed::WaitId witness_id;
  ASSERT_TRUE(feed.WaitFor(1, [&] { witness.Notify(); }, &witness_id));
  WaitForHead(feed, log.Append("s"));
  ASSERT_TRUE(witness.WaitForNotificationWithTimeout(absl::Seconds(5)));
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

// A log that drops the first commit it should hand over (as a commit missed while the feed
// starts) and whose whole-log reads wait at a gate: the feed's dispatcher, reading that gap,
// stalls while later commits keep arriving.
class StalledReadLog final : public log::EventLog {
 public:
  explicit StalledReadLog(log::EventLog* log) : log_(log) {}
  void AppendAsync(log::AppendRequest request, log::AppendCallback done) override {
    log_->AppendAsync(std::move(request), std::move(done));
  }
  absl::StatusOr<std::vector<log::EventRecord>> ReadStream(
      const log::ReadStreamOptions& options) const override {
    return log_->ReadStream(options);
  }
  absl::StatusOr<std::vector<log::EventRecord>> ReadAll(
      const log::ReadAllOptions& options) const override {
    return log_->ReadAll(options);
  }
  absl::StatusOr<std::vector<std::string>> ReadAllEncoded(
      const log::ReadAllOptions& options) const override {
    {
      common::MutexLock lock(&mu_);
      reading_ = true;
      mu_.Await(absl::Condition(&open_));
    }
    return log_->ReadAllEncoded(options);
  }
  absl::StatusOr<log::StreamInfo> GetStreamInfo(absl::string_view stream) const override {
    return log_->GetStreamInfo(stream);
  }
  uint64_t HeadPosition() const override { return log_->HeadPosition(); }
  void SetCommitListener(log::CommitListener listener) override {
    if (!listener) return log_->SetCommitListener(nullptr);
    auto first = std::make_shared<bool>(true);
    log_->SetCommitListener([listener, first](uint64_t head,
                                              std::vector<log::CommittedEvent> events) {
      if (std::exchange(*first, false)) return;  // calls are serialized
      listener(head, std::move(events));
    });
  }
  void Close() override { log_->Close(); }

  void AwaitReading() const {
    common::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&reading_));
  }
  void Open() {
    common::MutexLock lock(&mu_);
    open_ = true;
  }

 private:
  log::EventLog* const log_;
  mutable common::Mutex mu_;
  mutable bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool open_ ABSL_GUARDED_BY(mu_) = false;
};

// While the dispatcher is stalled, the hand-off queue holds at most its byte bound; what it
// could not take is read from the log afterwards, so readers still see every event, in
// order, with the stored bytes.
TEST(LiveFeedTest, TheHandOffQueueIsBoundedInBytesWhileTheDispatcherStalls) {
  TestLog test_log("handoff");
  StalledReadLog log(test_log.get());
  LiveFeedOptions options;
  options.handoff_bytes = 1 << 20;
  LiveFeed feed(&log, options);
  const std::string data = "\"" + std::string(64 << 10, 'x') + "\"";
  auto append = [&](int i) {
    log::AppendRequest request;
    request.stream = absl::StrCat("s", i % 7);
    log::ProposedEvent event;
    event.type = "Noted";
    event.data = data;
    request.events.push_back(event);
    auto result = log.Append(std::move(request));
    ASSERT_TRUE(result.ok()) << result.status();
  };
  append(0);  // not handed over: the dispatcher reads it, and stalls there
  log.AwaitReading();
  constexpr int kAppends = 100;  // about 13 MiB handed over, counted twice
  for (int i = 1; i <= kAppends; ++i) {
    append(i);
    ASSERT_LE(feed.handoff().bytes, options.handoff_bytes + 2 * (data.size() + 200));
  }
  const HandoffUse stalled = feed.handoff();
  EXPECT_GT(stalled.dropped, 0u);
  EXPECT_EQ(stalled.max_bytes, options.handoff_bytes);

  log.Open();
  const uint64_t head = log.HeadPosition();
  WaitForHead(feed, head);
  log::ReadAllOptions read;
  read.from_position = 1;
  auto stored = log.ReadAllEncoded(read);
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_EQ(stored->size(), head);
  for (uint64_t position = 1; position <= head; ++position) {
    auto got = feed.Read(position, 1);
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_EQ(got->size(), 1u);
    ASSERT_EQ((*got)[0]->position(), position);
    ASSERT_NE(EncodedForm((*got)[0]), nullptr);
    EXPECT_EQ(*EncodedForm((*got)[0]), (*stored)[position - 1]) << "position " << position;
  }
  EXPECT_EQ(feed.handoff().bytes, 0u);
}

}  // namespace
}  // namespace irm::subscription
