// OpenLogTest: a gtest fixture base for the engine/store unit tests (test-only; not part of
// irm_engine_store). Each test gets a fresh folder, TEMP/<prefix>_<test name>_<pid>, with a
// RocksDbEventLog open on it in log_; TearDown closes the log and removes the folder.
//
// A test fixture changes how the log is opened by overriding Options(); Reopen() closes and
// opens the same folder again (as a restart would). Not thread-safe: the fixture's methods
// are for the test's own thread; log_ itself is as thread-safe as RocksDbEventLog.
#ifndef IRM_ENGINE_STORE_OPEN_LOG_TEST_FIXTURE_H_
#define IRM_ENGINE_STORE_OPEN_LOG_TEST_FIXTURE_H_

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/store/rocksdb_event_log.h"
#include "gtest/gtest.h"

namespace irm::store {

class OpenLogTest : public ::testing::Test {
 protected:
  // `prefix` (e.g. "irm_store") names the folder.
  explicit OpenLogTest(std::string prefix) : prefix_(std::move(prefix)) {}

  void SetUp() override {
    // A parameterized test's name holds '/': keep the folder one level deep.
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');
    dir_ = absl::StrCat(::testing::TempDir(), "/", prefix_, "_", name, "_", getpid());
    std::filesystem::remove_all(dir_);
    Reopen();
  }
  void TearDown() override {
    log_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The options every open uses; RocksDbEventLogOptions() unless a fixture overrides it.
  virtual RocksDbEventLogOptions Options() { return RocksDbEventLogOptions(); }

  // Closes log_ (if open) and opens dir_ with Options(); a fatal failure if that fails.
  void Reopen() {
    log_.reset();
    auto opened = RocksDbEventLog::Open(dir_, Options());
    ASSERT_TRUE(opened.ok()) << opened.status();
    log_ = std::move(*opened);
  }

  std::string dir_;
  std::unique_ptr<RocksDbEventLog> log_;

 private:
  std::string prefix_;
};

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_OPEN_LOG_TEST_FIXTURE_H_
