// The one mapping from RocksDB errors to canonical codes (rocksdb_status.h): what a caller
// of the log is told when the disk is full, failing, locked or corrupt.
#include "engine/store/rocksdb_status.h"

#include "engine/common/error_details.h"
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

// After a failed write of an append group (an fsync error, a full disk) nobody knows whether
// the batch reached the disk: the answer says so, never "nothing was written".
TEST(RocksDbStatusTest, AFailedLogWriteHasAnUnknownOutcome) {
  for (const rocksdb::Status& failure :
       {rocksdb::Status(rocksdb::IOStatus::IOError("While fsync: 000012.log", "Input/output error")),
        rocksdb::Status(rocksdb::IOStatus::NoSpace("While appending to file: 000012.log",
                                                   "No space left on device"))}) {
    absl::Status s = FromFailedLogWrite(failure);
    EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
    EXPECT_THAT(s.message(), HasSubstr("outcome is unknown"));
    EXPECT_THAT(s.message(), HasSubstr("retry with the same event ids"));
    EXPECT_THAT(s.message(), ::testing::Not(HasSubstr("nothing")));
    ASSERT_TRUE(common::GetErrorReason(s).has_value());
    EXPECT_EQ(common::GetErrorReason(s)->reason, "OUTCOME_UNKNOWN");
    EXPECT_TRUE(common::GetRetryDelay(s).has_value());
  }
  EXPECT_TRUE(FromFailedLogWrite(rocksdb::Status::OK()).ok());
}

TEST(RocksDbStatusTest, OkStaysOk) { EXPECT_TRUE(FromRocksDb(rocksdb::Status::OK(), "x").ok()); }

}  // namespace
}  // namespace irm::store
