#include "engine/store/prewritten_wal_file_system.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"

namespace irm::store {
namespace {

namespace fs = std::filesystem;

class PrewrittenWalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            absl::StrCat("prewritten-wal-", ::testing::UnitTest::GetInstance()->random_seed(),
                         "-", getpid());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // A RocksDB opened on `dir` through the pre-written WAL file system.
  std::unique_ptr<rocksdb::DB> Open(const fs::path& dir) {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.env = env_.get();
    options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
    options.paranoid_checks = true;
    rocksdb::DB* db = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(options, dir.string(), &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return std::unique_ptr<rocksdb::DB>(db);
  }

  // The WAL files in `dir` with their lengths on disk.
  static std::vector<std::pair<fs::path, uint64_t>> WalFiles(const fs::path& dir) {
    std::vector<std::pair<fs::path, uint64_t>> wals;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (IsWalFileName(entry.path().string())) {
        wals.emplace_back(entry.path(), entry.file_size());
      }
    }
    return wals;
  }

  static void PutSynced(rocksdb::DB* db, int from, int to) {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    for (int i = from; i < to; ++i) {
      ASSERT_TRUE(db->Put(sync, absl::StrCat("key-", i), std::string(600, 'a' + i % 26)).ok());
    }
  }

  static void ExpectAll(rocksdb::DB* db, int count) {
    for (int i = 0; i < count; ++i) {
      std::string value;
      ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), absl::StrCat("key-", i), &value).ok()) << i;
      EXPECT_EQ(value, std::string(600, 'a' + i % 26));
    }
  }

  fs::path root_;
  std::unique_ptr<rocksdb::Env> env_ =
      rocksdb::NewCompositeEnv(std::make_shared<PrewrittenWalFileSystem>());
};

TEST_F(PrewrittenWalTest, TheOpenWalIsZeroedAheadOfItsRecords) {
  std::unique_ptr<rocksdb::DB> db = Open(root_ / "db");
  PutSynced(db.get(), 0, 10);
  auto wals = WalFiles(root_ / "db");
  ASSERT_EQ(wals.size(), 1u);
  // 10 records of ~630 B sit in the first chunk; the rest of it is zeros on disk.
  EXPECT_EQ(wals[0].second, PrewrittenWalFileSystem::kZeroChunkBytes);
  // Writing past the chunk extends it by another chunk of zeros.
  PutSynced(db.get(), 10, 2000);
  wals = WalFiles(root_ / "db");
  ASSERT_EQ(wals.size(), 1u);
  EXPECT_EQ(wals[0].second % PrewrittenWalFileSystem::kZeroChunkBytes, 0u);
  EXPECT_GT(wals[0].second, PrewrittenWalFileSystem::kZeroChunkBytes);
}

// A crash leaves the WAL with its zeros: a copy of the folder taken while the database is
// open is what the disk holds after kill -9 (every write was synced). Recovery replays every
// record and reads the zeros as padding, in the log's recovery mode.
TEST_F(PrewrittenWalTest, RecoveryAfterACrashReplaysEverySyncedWrite) {
  std::unique_ptr<rocksdb::DB> db = Open(root_ / "db");
  PutSynced(db.get(), 0, 2500);  // past the first chunk: one extension on the way
  fs::copy(root_ / "db", root_ / "crashed", fs::copy_options::recursive);
  db.reset();
  auto wals = WalFiles(root_ / "crashed");
  ASSERT_FALSE(wals.empty());
  EXPECT_EQ(wals.back().second % PrewrittenWalFileSystem::kZeroChunkBytes, 0u);

  std::unique_ptr<rocksdb::DB> recovered = Open(root_ / "crashed");
  ASSERT_NE(recovered, nullptr);
  ExpectAll(recovered.get(), 2500);
  // And it goes on: more writes, a clean close, a reopen.
  PutSynced(recovered.get(), 2500, 2600);
  recovered.reset();
  recovered = Open(root_ / "crashed");
  ASSERT_NE(recovered, nullptr);
  ExpectAll(recovered.get(), 2600);
}

TEST_F(PrewrittenWalTest, ACleanCloseCutsTheZerosOff) {
  std::unique_ptr<rocksdb::DB> db = Open(root_ / "db");
  PutSynced(db.get(), 0, 10);
  rocksdb::FlushOptions flush;
  ASSERT_TRUE(db->Flush(flush).ok());  // a new WAL; the old one is closed (then deleted)
  PutSynced(db.get(), 10, 20);
  db.reset();
  for (const auto& [path, length] : WalFiles(root_ / "db")) {
    EXPECT_LT(length, PrewrittenWalFileSystem::kZeroChunkBytes) << path;
  }
  db = Open(root_ / "db");
  ASSERT_NE(db, nullptr);
  ExpectAll(db.get(), 20);
}

}  // namespace
}  // namespace irm::store
