// The append writer's byte bound: appends held (queued or committing) never carry more than
// max_buffered_bytes; the one past it is refused at once, retryable, and nothing of it is
// written; every accepted append is written with its exact bytes.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/common/error_details.h"
#include "engine/common/mutex.h"
#include "engine/store/append_writer.h"
#include "engine/store/open_log_test_fixture.h"
#include "gtest/gtest.h"

namespace irm::store {
namespace {

constexpr size_t kEventBytes = 1 << 20;
constexpr uint64_t kBound = 4 * kEventBytes + 1024;  // four events and their names

// A clock whose Now() blocks while the gate is shut. A commit reads the clock while it holds
// the writer's commit slot, so a shut gate holds a commit in progress and later appends queue.
class GateClock final : public common::Clock {
 public:
  absl::Time Now() const override {
    common::MutexLock lock(&mu_);
    ++waiting_;
    mu_.Await(absl::Condition(&open_));
    --waiting_;
    return absl::FromUnixSeconds(1795000000);
  }
  void Shut() {
    common::MutexLock lock(&mu_);
    open_ = false;
  }
  void Open() {
    common::MutexLock lock(&mu_);
    open_ = true;
  }
  void AwaitWaiter() const {
    common::MutexLock lock(&mu_);
    auto someone = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return waiting_ > 0; };
    mu_.Await(absl::Condition(&someone));
  }

 private:
  mutable common::Mutex mu_;
  bool open_ ABSL_GUARDED_BY(mu_) = true;
  mutable int waiting_ ABSL_GUARDED_BY(mu_) = 0;
};

class AppendBoundsTest : public OpenLogTest {
 protected:
  AppendBoundsTest() : OpenLogTest("irm_bounds") {}
  RocksDbEventLogOptions Options() override {
    RocksDbEventLogOptions options;
    options.clock = &clock_;
    options.limits.max_event_bytes = kEventBytes;
    options.max_buffered_bytes = kBound;
    return options;
  }

  static log::AppendRequest Big(int n) {
    log::AppendRequest request;
    request.stream = "big-" + std::to_string(n);
    log::ProposedEvent event;
    event.type = "Noted";
    event.data = "\"" + std::string(kEventBytes - 2, static_cast<char>('a' + n % 26)) + "\"";
    request.events.push_back(std::move(event));
    return request;
  }

  GateClock clock_;
};

TEST_F(AppendBoundsTest, RefusesAnAppendPastTheByteBoundAndWritesEveryAcceptedOne) {
  clock_.Shut();
  // The leader's commit of append 0 stops at the clock, holding 1 MiB.
  common::Notification first_done;
  absl::Status first_status;
  std::thread leader([&] {
    log_->AppendAsync(Big(0), [&](absl::StatusOr<log::AppendResult> result) {
      first_status = result.status();
      first_done.Notify();
    });
  });
  clock_.AwaitWaiter();
  EXPECT_EQ(log_->buffered_appends().bytes, AppendBytes(Big(0)));

  // Three more fit (4 MiB held); the fifth would pass the bound.
  std::vector<absl::Status> statuses(5);
  std::vector<std::unique_ptr<common::Notification>> done;
  for (int i = 1; i <= 4; ++i) {
    done.push_back(std::make_unique<common::Notification>());
    common::Notification* notify = done.back().get();
    log_->AppendAsync(Big(i), [&statuses, i, notify](absl::StatusOr<log::AppendResult> result) {
      statuses[i] = result.status();
      notify->Notify();
    });
  }
  ASSERT_TRUE(done[3]->HasBeenNotified()) << "the append past the bound is answered at once";
  EXPECT_EQ(statuses[4].code(), absl::StatusCode::kResourceExhausted) << statuses[4];
  EXPECT_TRUE(common::GetRetryDelay(statuses[4]).has_value()) << "a retry hint";
  ASSERT_TRUE(common::GetErrorReason(statuses[4]).has_value());
  EXPECT_EQ(common::GetErrorReason(statuses[4])->reason, "BUFFERS_FULL");
  BufferedAppends held = log_->buffered_appends();
  EXPECT_LE(held.bytes, kBound);
  EXPECT_EQ(held.bytes, 4 * AppendBytes(Big(0)));
  EXPECT_EQ(held.max_bytes, kBound);
  EXPECT_EQ(held.refused, 1u);

  clock_.Open();
  leader.join();
  first_done.WaitForNotification();
  EXPECT_TRUE(first_status.ok()) << first_status;
  for (int i = 0; i < 3; ++i) {
    done[i]->WaitForNotification();
    EXPECT_TRUE(statuses[i + 1].ok()) << statuses[i + 1];
  }
  EXPECT_EQ(log_->HeadPosition(), 4u);
  EXPECT_EQ(log_->buffered_appends().bytes, 0u);
  for (int i = 0; i <= 3; ++i) {
    log::ReadStreamOptions read;
    read.stream = "big-" + std::to_string(i);
    auto events = log_->ReadStream(read);
    ASSERT_TRUE(events.ok()) << events.status();
    ASSERT_EQ(events->size(), 1u);
    EXPECT_EQ((*events)[0].data(), Big(i).events[0].data);
  }
  log::ReadStreamOptions refused;
  refused.stream = "big-4";
  EXPECT_EQ(log_->ReadStream(refused).status().code(), absl::StatusCode::kNotFound)
      << "nothing of the refused append is written";

  // Once the held appends are written, the refused one goes in on retry.
  EXPECT_TRUE(log_->Append(Big(4)).ok());
}

TEST_F(AppendBoundsTest, ALoneAppendLargerThanTheBoundIsTakenWhenNothingElseIsHeld) {
  log::AppendRequest request = Big(0);
  for (int i = 1; i < 5; ++i) request.events.push_back(Big(i).events[0]);
  ASSERT_GT(AppendBytes(request), kBound);
  auto result = log_->Append(std::move(request));
  EXPECT_TRUE(result.ok()) << result.status() << ": the bound never blocks progress";
}

}  // namespace
}  // namespace irm::store
