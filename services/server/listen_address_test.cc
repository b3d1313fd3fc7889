#include "services/server/listen_address.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::services {
namespace {

using ::testing::HasSubstr;

TEST(ListenAddressTest, LoopbackIsTheWhole127NetworkIpv6LoopbackAndLocalhost) {
  for (const char* host : {"127.0.0.1", "127.0.0.2", "127.255.255.254", "::1",
                           "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "localhost", "LocalHost"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
}

TEST(ListenAddressTest, NamesAndAddressesThatOnlyLookLocalAreNot) {
  for (const char* host : {"127.example.org", "127.0.0.1.nip.io", "127.1", "0.0.0.0", "::",
                           "10.0.0.1", "128.0.0.1", "::2", "::ffff:10.0.0.1", "localhost.evil",
                           "", "1.127.0.0"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

TEST(ListenAddressTest, ParsesHostPortBracketedIpv6AndUnixSockets) {
  auto v4 = ParseListenAddress("--http", "127.0.0.3:8080", false);
  ASSERT_TRUE(v4.ok()) << v4.status();
  EXPECT_EQ(v4->host, "127.0.0.3");
  EXPECT_EQ(v4->port, 8080);
  EXPECT_TRUE(v4->local());
  auto v6 = ParseListenAddress("--http", "[::1]:0", false);
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->kind, ListenAddress::Kind::kLoopback);
  auto any6 = ParseListenAddress("--listen", "[::]:50051", true);
  ASSERT_TRUE(any6.ok()) << any6.status();
  EXPECT_FALSE(any6->local());
  auto tricky = ParseListenAddress("--listen", "127.evil.example:50051", true);
  ASSERT_TRUE(tricky.ok()) << tricky.status();
  EXPECT_FALSE(tricky->local()) << "a name starting with 127. is not loopback";
  auto unix_socket = ParseListenAddress("--listen", "unix:/run/irm/irmd.sock", true);
  ASSERT_TRUE(unix_socket.ok()) << unix_socket.status();
  EXPECT_EQ(unix_socket->kind, ListenAddress::Kind::kUnix);
  EXPECT_EQ(unix_socket->host, "/run/irm/irmd.sock");
  EXPECT_TRUE(unix_socket->local());
}

TEST(ListenAddressTest, BadAddressesNameTheFlagAndTheRightForms) {
  for (const char* bad : {"8080", "127.0.0.1", "127.0.0.1:99999", "127.0.0.1:x", ":8080",
                          "::1:8080", "[::1]", "[nope]:80", "unix:"}) {
    auto parsed = ParseListenAddress("--listen", bad, true);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr("--listen")) << bad;
    EXPECT_THAT(parsed.status().message(), HasSubstr("HOST:PORT")) << bad;
  }
  auto unix_http = ParseListenAddress("--http", "unix:/tmp/s", false);
  EXPECT_THAT(unix_http.status().message(), HasSubstr("cannot serve"));
}

}  // namespace
}  // namespace irm::services
