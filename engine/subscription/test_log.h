// Test helpers: a fresh RocksDB log in a temp folder, and one-line appends.
#ifndef IRM_ENGINE_SUBSCRIPTION_TEST_LOG_H_
#define IRM_ENGINE_SUBSCRIPTION_TEST_LOG_H_

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/store/rocksdb_event_log.h"
#include "gtest/gtest.h"

namespace irm::subscription {

class TestLog {
 public:
  explicit TestLog(const std::string& name)
      : dir_(absl::StrCat(::testing::TempDir(), "/irm_sub_", name, "_", getpid())) {
    std::filesystem::remove_all(dir_);
    auto log = store::RocksDbEventLog::Open(dir_, {});
    EXPECT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
  }
  ~TestLog() {
    log_.reset();
    std::filesystem::remove_all(dir_);
  }
  log::EventLog* get() { return log_.get(); }

  // Appends `count` events of `type` to `stream` in one append; returns the last position.
  uint64_t Append(const std::string& stream, const std::string& type = "Noted", int count = 1) {
    log::AppendRequest request;
    request.stream = stream;
    for (int i = 0; i < count; ++i) {
      log::ProposedEvent event;
      event.type = type;
      event.data = "{}";
      request.events.push_back(event);
    }
    auto result = log_->Append(std::move(request));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->last_position : 0;
  }

 private:
  std::string dir_;
  std::unique_ptr<store::RocksDbEventLog> log_;
};

}  // namespace irm::subscription

#endif  // IRM_ENGINE_SUBSCRIPTION_TEST_LOG_H_
