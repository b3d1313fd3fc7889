// irmd on a Unix domain socket (`--listen unix:PATH`), driven by the real irm over that
// socket: the announcement names the socket, a socket counts as a local address for the
// open-server and plain-text-token rules (no TLS, no --allow-plaintext-tokens, no warning),
// and tokens are still checked on it.
#include <sys/stat.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/auth_fixture.h"

namespace irm::tests {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class E2eUnixSocketTest : public AuthFixture {
 protected:
  // The fixture's irmd, with --auth and without TLS, on a socket in the test's folder.
  void SetUp() override {
    socket_path_ = dir_.Sub("irmd.sock");
    ASSERT_NO_FATAL_FAILURE(StartWithAuthFile({"--listen", "unix:" + socket_path_}));
  }
  std::string socket_path_;
};

TEST_F(E2eUnixSocketTest, AnnouncesTheSocketAndServesIrmWithTokens) {
  EXPECT_EQ(irmd_->address(), "unix:" + socket_path_);
  struct stat info {};
  ASSERT_EQ(stat(socket_path_.c_str(), &info), 0) << socket_path_;
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  // A socket is local: --auth without TLS is accepted and no clear-text warning is logged.
  EXPECT_THAT(irmd_->stderr_text(), Not(HasSubstr("clear text")));

  LaunchKen();
  EXPECT_EQ(Head(), 3u);
  nlohmann::json status = JsonAs(kKen, {"status", "KEN", "--cycle", "2"});
  EXPECT_EQ(status.value("stage", ""), "launched") << status;
  // Tokens are checked on a socket as on TCP; a refused call appends nothing.
  ExpectDenied("not-a-token", {"review", "kickoff", "KEN", "--cycle", "2"}, "UNAUTHENTICATED",
               "unknown token");
  ExpectDenied(kObs, {"review", "kickoff", "KEN", "--cycle", "2"}, "PERMISSION_DENIED",
               "observer");
}

TEST_F(E2eUnixSocketTest, AnOpenServerMayListenOnASocket) {
  ASSERT_NO_FATAL_FAILURE(StopServer());
  ASSERT_NO_FATAL_FAILURE(StartServer({"--listen", "unix:" + socket_path_}));
  IrmResult appended = Irm({"append", "notes", "Note", "--data", "{\"n\":1}"});
  ASSERT_EQ(appended.exit_code, 0) << appended;
  IrmResult read = Irm({"read", "notes", "--json"});
  ASSERT_EQ(read.exit_code, 0) << read;
  EXPECT_THAT(read.out, HasSubstr("\"n\":1"));
}

}  // namespace
}  // namespace irm::tests
