// The one mapping from RocksDB errors to canonical codes (rocksdb_status.h): what a caller
// of the log is told when the disk is full, failing, locked or corrupt.
#include "engine/store/rocksdb_status.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/io_status.h"

namespace irm::store {
namespace {

using ::testing::HasSubstr;

TEST(RocksDbStatusTest, FullDiskIsResourceExhaustedWithAHint) {
  absl::Status s = FromRocksDb(rocksdb::IOStatus::NoSpace("While appending to file: 000012.log",
                                                          "No space left on device"),
                               "writing to the log's disk failed");
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(s.message(), HasSubstr("writing to the log's disk failed"));
  EXPECT_THAT(s.message(), HasSubstr("No space left on device"));
  EXPECT_THAT(s.message(), HasSubstr("free disk space"));
}

TEST(RocksDbStatusTest, SpaceLimitIsResourceExhausted) {
  rocksdb::Status limit = rocksdb::Status::SpaceLimit("Max allowed space was reached");
  EXPECT_EQ(FromRocksDb(limit, "writing").code(), absl::StatusCode::kResourceExhausted);
}

TEST(RocksDbStatusTest, OtherIoErrorsAreUnavailable) {
  absl::Status s = FromRocksDb(rocksdb::Status::IOError("While fsync: 000012.log",
                                                        "Input/output error"),
                               "writing to the log's disk failed");
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr("Input/output error"));
}

TEST(RocksDbStatusTest, HeldLockIsFailedPreconditionNamingTheOtherProcess) {
  absl::Status s = FromRocksDb(
      rocksdb::Status::IOError("lock hold by current process", "/data/LOCK"), "opening");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("another irmd"));
}

TEST(RocksDbStatusTest, CorruptionIsDataLoss) {
  EXPECT_EQ(FromRocksDb(rocksdb::Status::Corruption("block checksum mismatch"), "reading").code(),
            absl::StatusCode::kDataLoss);
}

TEST(RocksDbStatusTest, BusyAndTryAgainAreUnavailable) {
  EXPECT_EQ(FromRocksDb(rocksdb::Status::Busy(), "writing").code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(FromRocksDb(rocksdb::Status::TryAgain(), "writing").code(),
            absl::StatusCode::kUnavailable);
}

TEST(RocksDbStatusTest, OkStaysOk) { EXPECT_TRUE(FromRocksDb(rocksdb::Status::OK(), "x").ok()); }

}  // namespace
}  // namespace irm::store
