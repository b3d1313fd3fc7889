#include "services/server/serial_worker.h"

#include <vector>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::services {
namespace {

TEST(SerialWorkerTest, RunsTasksInOrderOneAtATime) {
  std::vector<int> order;  // written only by the worker's thread
  absl::Notification release;
  {
    SerialWorker worker;
    worker.Post([&] {
      release.WaitForNotification();  // the tasks below queue behind this one
      order.push_back(1);
    });
    for (int i = 2; i <= 5; ++i) worker.Post([&order, i] { order.push_back(i); });
    release.Notify();
  }  // the destructor runs what was posted, then joins
  EXPECT_THAT(order, testing::ElementsAre(1, 2, 3, 4, 5));
}

TEST(SerialWorkerTest, DestroyedIdleReturns) { SerialWorker worker; }

}  // namespace
}  // namespace irm::services
