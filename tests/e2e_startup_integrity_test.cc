// Startup integrity end to end: a stopped irmd's data folder is damaged in one way per test,
// and the real irmd must refuse to start: exit status 3, "DATA_LOSS" and a message naming
// the damage on stderr, never a server with a silently shorter history. The damage is done
// with RocksDB itself (LogDatabase, which opens without the startup check) or by editing the
// folder's files.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "engine/store/keys.h"
#include "engine/store/log_database.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "rocksdb/db.h"
#include "tests/support/irmd_process.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr uint64_t kEvents = 102;  // 20 appends of 5 events, then 2 events to tail-stream

class StartupIntegrityTest : public ::testing::Test {
 protected:
  // One log written by the real irmd and stopped cleanly; each test damages a copy.
  static void SetUpTestSuite() {
    template_dir_ = new TempDir("irm-startup-template");
    const std::string data = template_dir_->Sub("data");
    absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd = IrmdProcess::Start(data);
    ASSERT_TRUE(irmd.ok()) << irmd.status();
    auto stub = api::v1::LogService::NewStub(
        grpc::CreateChannel((*irmd)->address(), grpc::InsecureChannelCredentials()));
    for (int i = 0; i <= 20; ++i) {
      api::v1::AppendRequest request;
      request.set_stream(i == 20 ? "tail-stream" : absl::StrCat("s-", i % 4));
      for (int e = 0; e < (i == 20 ? 2 : 5); ++e) {
        api::v1::ProposedEvent* event = request.add_events();
        event->set_type("Filled");
        event->set_content_type(event::v1::CONTENT_TYPE_JSON);
        event->set_data(absl::StrCat(R"({"i":)", i, R"(,"e":)", e, "}"));
      }
      grpc::ClientContext context;
      api::v1::AppendResponse response;
      grpc::Status status = stub->Append(&context, request, &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    ASSERT_TRUE((*irmd)->Stop().ok());
  }
  static void TearDownTestSuite() { delete template_dir_; }

  void SetUp() override {
    fs::copy(template_dir_->Sub("data"), data_, fs::copy_options::recursive);
  }

  // Opens the stopped log's database directly (no startup check) for surgery.
  std::unique_ptr<store::LogDatabase> OpenRaw() {
    absl::StatusOr<std::unique_ptr<store::LogDatabase>> db = store::LogDatabase::Open(data_);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? std::move(*db) : nullptr;
  }

  // Writes every memtable to SST files, so there are table files to damage.
  void FlushAll() {
    std::unique_ptr<store::LogDatabase> db = OpenRaw();
    ASSERT_NE(db, nullptr);
    for (auto* family : {db->default_family(), db->events(), db->streams(), db->ids(),
                         db->projections()}) {
      ASSERT_TRUE(db->db()->Flush(rocksdb::FlushOptions(), family).ok());
    }
  }

  std::vector<fs::path> FilesEndingWith(const std::string& suffix) {
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(data_)) {
      const std::string name = entry.path().filename().string();
      if (name.size() >= suffix.size() &&
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        found.push_back(entry.path());
      }
    }
    return found;
  }

  // Runs irmd on the damaged folder; expects exit 3 with DATA_LOSS and `named` on stderr.
  void ExpectRefusal(const std::string& named) {
    SubprocessOptions options;
    options.argv = {IrmdPath(), "--data", data_, "--listen", "127.0.0.1:0"};
    absl::StatusOr<std::unique_ptr<Subprocess>> irmd = Subprocess::Start(options);
    ASSERT_TRUE(irmd.ok()) << irmd.status();
    absl::StatusOr<int> status = (*irmd)->Wait(absl::Seconds(30));
    if (!status.ok()) (*irmd)->Kill(SIGKILL);
    ASSERT_TRUE(status.ok()) << "irmd kept running on a damaged folder; stderr:\n"
                             << (*irmd)->stderr_text();
    EXPECT_EQ(*status, 3) << (*irmd)->stderr_text();
    EXPECT_THAT((*irmd)->stderr_text(), HasSubstr("DATA_LOSS"));
    EXPECT_THAT((*irmd)->stderr_text(), HasSubstr(named));
    EXPECT_THAT((*irmd)->stderr_text(), ::testing::Not(HasSubstr("listening")));
  }

  static TempDir* template_dir_;
  TempDir dir_{"irm-startup"};
  const std::string data_ = dir_.Sub("data");
};

TempDir* StartupIntegrityTest::template_dir_ = nullptr;

TEST_F(StartupIntegrityTest, IntactFolderStartsWithItsWholeHistory) {
  ASSERT_NO_FATAL_FAILURE(FlushAll());
  absl::StatusOr<std::unique_ptr<IrmdProcess>> irmd = IrmdProcess::Start(data_);
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  auto stub = api::v1::LogService::NewStub(
      grpc::CreateChannel((*irmd)->address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  api::v1::LogInfo info;
  ASSERT_TRUE(stub->GetLogInfo(&context, api::v1::GetLogInfoRequest(), &info).ok());
  EXPECT_EQ(info.head_position(), kEvents);
  EXPECT_TRUE((*irmd)->Stop().ok());
}

TEST_F(StartupIntegrityTest, DeletedTableFileIsDataLoss) {
  ASSERT_NO_FATAL_FAILURE(FlushAll());
  std::vector<fs::path> tables = FilesEndingWith(".sst");
  ASSERT_FALSE(tables.empty());
  fs::remove(tables.front());
  ExpectRefusal(tables.front().filename().string().substr(0, 6));
}

TEST_F(StartupIntegrityTest, TruncatedTableFileIsDataLoss) {
  ASSERT_NO_FATAL_FAILURE(FlushAll());
  std::vector<fs::path> tables = FilesEndingWith(".sst");
  ASSERT_FALSE(tables.empty());
  fs::resize_file(tables.back(), fs::file_size(tables.back()) / 2);
  ExpectRefusal("sst");
}

TEST_F(StartupIntegrityTest, MissingManifestIsDataLoss) {
  std::vector<fs::path> manifests;
  for (const auto& entry : fs::directory_iterator(data_)) {
    if (entry.path().filename().string().rfind("MANIFEST-", 0) == 0) {
      manifests.push_back(entry.path());
    }
  }
  ASSERT_FALSE(manifests.empty());
  for (const fs::path& manifest : manifests) fs::remove(manifest);
  ExpectRefusal("MANIFEST");
}

TEST_F(StartupIntegrityTest, MissingCurrentFileIsDataLossNotAnEmptyLog) {
  ASSERT_NO_FATAL_FAILURE(FlushAll());
  fs::remove(fs::path(data_) / "CURRENT");
  ExpectRefusal("no CURRENT file");
}

TEST_F(StartupIntegrityTest, RecordThatDoesNotDecodeIsDataLoss) {
  {
    std::unique_ptr<store::LogDatabase> db = OpenRaw();
    ASSERT_NE(db, nullptr);
    rocksdb::WriteOptions sync;
    sync.sync = true;
    ASSERT_TRUE(db->db()->Put(sync, db->events(), store::EncodeBigEndian64(kEvents),
                              "\xff\xff\xff garbage, not an EventRecord").ok());
  }
  ExpectRefusal(absl::StrCat("position ", kEvents, " does not decode"));
}

TEST_F(StartupIntegrityTest, LostTailOfTheEventsIsDataLoss) {
  {
    std::unique_ptr<store::LogDatabase> db = OpenRaw();
    ASSERT_NE(db, nullptr);
    for (uint64_t p = kEvents - 2; p <= kEvents; ++p) {
      ASSERT_TRUE(
          db->db()->Delete(rocksdb::WriteOptions(), db->events(), store::EncodeBigEndian64(p)).ok());
    }
  }
  ExpectRefusal(absl::StrCat("positions ", kEvents - 2, "..", kEvents, " are missing"));
}

TEST_F(StartupIntegrityTest, GapInPositionsNearTheTailIsDataLoss) {
  {
    std::unique_ptr<store::LogDatabase> db = OpenRaw();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->db()
                    ->Delete(rocksdb::WriteOptions(), db->events(),
                             store::EncodeBigEndian64(kEvents - 5))
                    .ok());
  }
  ExpectRefusal(absl::StrCat("position ", kEvents - 5, " is missing"));
}

TEST_F(StartupIntegrityTest, StreamIndexPastTheHeadIsDataLoss) {
  {
    // The last event is gone and the head marker agrees, but tail-stream's index still
    // names it: the streams index points past the end of the log.
    std::unique_ptr<store::LogDatabase> db = OpenRaw();
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->db()
                    ->Delete(rocksdb::WriteOptions(), db->events(), store::EncodeBigEndian64(kEvents))
                    .ok());
    ASSERT_TRUE(db->db()
                    ->Put(rocksdb::WriteOptions(), db->default_family(), store::kHeadKey,
                          store::EncodeBigEndian64(kEvents - 1))
                    .ok());
  }
  ExpectRefusal(absl::StrCat("points at position ", kEvents, ", past the end of the log"));
}

TEST_F(StartupIntegrityTest, MissingIdIndexEntryIsDataLoss) {
  {
    std::unique_ptr<store::LogDatabase> db = OpenRaw();
    ASSERT_NE(db, nullptr);
    absl::StatusOr<log::EventRecord> last = db->ReadEvent(kEvents - 1);
    ASSERT_TRUE(last.ok()) << last.status();
    ASSERT_TRUE(db->db()->Delete(rocksdb::WriteOptions(), db->ids(), last->id()).ok());
  }
  ExpectRefusal("the id index does not point event");
}

}  // namespace
}  // namespace irm::tests
