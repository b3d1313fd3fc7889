// Full disk end to end: the real irmd on a 12 MiB tmpfs with a 4 MiB free-space reserve
// (needs root and mount; skipped otherwise). Appends fill the disk until they fail with
// RESOURCE_EXHAUSTED and a message saying to free space; reads keep working; once the filesystem grows, the same appends are
// retried and succeed without a restart. The log is then checked against every append sent
// (acknowledged ones present exactly once, failed ones absent or whole), projections equal
// a rebuild, and the same holds after a kill -9 and restart.
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "engine/common/uuid.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "tests/crash_verify.h"
#include "tests/projection_check.h"
#include "tests/support/irmd_process.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace irm::tests {
namespace {

using ::testing::HasSubstr;

// irmd refuses appends while less than this is free besides the append (--min-free-bytes).
constexpr char kReserve[] = "4194304";

// Runs a command to completion; its exit status, or -1.
int RunCommand(const std::vector<std::string>& argv, std::string* err = nullptr) {
  SubprocessOptions options;
  options.argv = argv;
  absl::StatusOr<std::unique_ptr<Subprocess>> process = Subprocess::Start(options);
  if (!process.ok()) return -1;
  absl::StatusOr<int> status = (*process)->Wait(absl::Seconds(30));
  if (err != nullptr) *err = (*process)->stderr_text();
  return status.ok() ? *status : -1;
}

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs";
    std::string err;
    if (RunCommand({"/bin/mkdir", "-p", mount_}) != 0 ||
        RunCommand({"/bin/mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", mount_}, &err) != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs here: " << err;
    }
    mounted_ = true;
  }
  void TearDown() override {
    irmd_.reset();
    if (mounted_) RunCommand({"/bin/umount", "-l", mount_});
  }

  // One append of one ~200 KB event with a fresh id; recorded in sent_.
  grpc::Status AppendOne(api::v1::LogService::Stub& stub, SentAppend* sent) {
    api::v1::AppendRequest request;
    request.set_stream(sent->stream);
    for (size_t i = 0; i < sent->ids.size(); ++i) {
      api::v1::ProposedEvent* event = request.add_events();
      event->set_id(common::Uuid::Parse(sent->ids[i])->Bytes());
      event->set_type(sent->types[i]);
      event->set_content_type(event::v1::CONTENT_TYPE_JSON);
      event->set_data(sent->data[i]);
    }
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    api::v1::AppendResponse response;
    grpc::Status status = stub.Append(&context, request, &response);
    if (status.ok()) {
      sent->acknowledged = true;
      sent->first_position = response.first_position();
      sent->first_revision = response.first_revision();
    } else {
      sent->code = status.error_code();
      sent->error = status.error_message();
    }
    return status;
  }

  SentAppend NewAppend(int seq) {
    SentAppend sent;
    sent.stream = absl::StrCat("disk-", seq % 3);
    sent.ids.push_back(common::Uuid::Random().ToString());
    sent.types.push_back("Filled");
    sent.data.push_back(absl::StrCat(R"({"seq":)", seq, R"(,"pad":")",
                                     std::string(200 * 1024, 'a' + seq % 26), R"("})"));
    return sent;
  }

  void Verify(const std::string& when) {
    auto stub = api::v1::LogService::NewStub(Channel());
    absl::StatusOr<LogSnapshot> log = ReadWholeLog(*stub);
    ASSERT_TRUE(log.ok()) << when << ": " << log.status();
    std::vector<std::string> problems = verifier_.Verify(*log);
    ASSERT_TRUE(problems.empty()) << when << ":\n" << absl::StrJoin(problems, "\n");
  }

  std::shared_ptr<grpc::Channel> Channel() { return LogChannel(irmd_->address()); }

  TempDir dir_{"irm-diskfull"};
  const std::string mount_ = dir_.Sub("mnt");
  bool mounted_ = false;
  std::unique_ptr<IrmdProcess> irmd_;
  LogVerifier verifier_;
};

TEST_F(DiskFullTest, AppendsFailClearlyReadsWorkAndWritesResumeWithSpace) {
  absl::StatusOr<std::unique_ptr<IrmdProcess>> started =
      IrmdProcess::Start(mount_ + "/data", {"--min-free-bytes", kReserve});
  ASSERT_TRUE(started.ok()) << started.status();
  irmd_ = std::move(*started);
  auto stub = api::v1::LogService::NewStub(Channel());

  std::vector<SentAppend> sent;
  SentAppend failed;
  for (int seq = 0; seq < 200; ++seq) {
    SentAppend append = NewAppend(seq);
    grpc::Status status = AppendOne(*stub, &append);
    if (!status.ok()) {
      failed = append;
      break;
    }
    sent.push_back(std::move(append));
  }
  ASSERT_FALSE(failed.ids.empty()) << "12 MiB never filled up";
  ASSERT_GT(sent.size(), 5u);
  EXPECT_EQ(failed.code, grpc::StatusCode::RESOURCE_EXHAUSTED) << failed.error;
  EXPECT_THAT(failed.error, HasSubstr("free disk space"));
  EXPECT_THAT(failed.error, HasSubstr("--min-free-bytes"));
  std::cout << sent.size() << " appends acknowledged before the disk filled: " << failed.error
            << std::endl;

  // Still full: a retry fails the same way, and reads keep working.
  SentAppend retry = failed;
  grpc::Status again = AppendOne(*stub, &retry);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << again.error_message();
  verifier_.AddSent(sent);  // the failed append is checked through its retry below
  ASSERT_NO_FATAL_FAILURE(Verify("while the disk is full"));
  {
    grpc::ClientContext context;
    api::v1::LogInfo info;
    ASSERT_TRUE(stub->GetLogInfo(&context, api::v1::GetLogInfoRequest(), &info).ok());
    EXPECT_EQ(info.head_position(), sent.size()) << "a failed append moved the head";
  }

  // Space returns: the same append (same id) goes through, and new ones follow.
  ASSERT_EQ(RunCommand({"/bin/mount", "-o", "remount,size=96m", mount_}), 0);
  SentAppend resumed = failed;
  resumed.code = grpc::StatusCode::OK;
  resumed.error.clear();
  grpc::Status status;
  for (int attempt = 0; attempt < 50; ++attempt) {
    status = AppendOne(*stub, &resumed);
    if (status.ok()) break;
    absl::SleepFor(absl::Milliseconds(200));
  }
  ASSERT_TRUE(status.ok()) << "writes did not resume after space returned: "
                           << status.error_message();
  std::vector<SentAppend> after;
  for (int seq = 1000; seq < 1010; ++seq) {
    SentAppend append = NewAppend(seq);
    ASSERT_TRUE(AppendOne(*stub, &append).ok()) << append.error;
    after.push_back(std::move(append));
  }
  // `failed` and `resumed` have the same ids: the failed try must not have left a copy.
  verifier_.AddSent({resumed});
  verifier_.AddSent(after);
  ASSERT_NO_FATAL_FAILURE(Verify("after space returned"));
  absl::Status projections = CheckProjectionsEqualRebuild(Channel(), absl::Seconds(30));
  EXPECT_TRUE(projections.ok()) << projections;

  // The write-ahead log written around the error recovers whole after a crash.
  ASSERT_TRUE(irmd_->Kill9().ok());
  started = IrmdProcess::Start(mount_ + "/data", {"--min-free-bytes", kReserve});
  ASSERT_TRUE(started.ok()) << started.status();
  irmd_ = std::move(*started);
  ASSERT_NO_FATAL_FAILURE(Verify("after kill -9 and restart"));
  EXPECT_TRUE(irmd_->Stop().ok());
}

}  // namespace
}  // namespace irm::tests
