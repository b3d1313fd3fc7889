#include "services/server_config.h"

#include "gtest/gtest.h"
#include "services/event_viewer.h"

namespace irm::services {
namespace {

TEST(ServerConfigTest, ParsesSeparateAndInlineValues) {
  auto config = ParseServerConfig({"--data", "/tmp/d", "--listen=127.0.0.1:0"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->data_dir, "/tmp/d");
  EXPECT_EQ(config->listen, "127.0.0.1:0");
}

TEST(ServerConfigTest, RequiresData) {
  auto config = ParseServerConfig({"--listen", "127.0.0.1:1"});
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(config.status().message().find("--data"), absl::string_view::npos);
}

TEST(ServerConfigTest, OpenServerRefusesNonLoopback) {
  for (const char* listen : {"0.0.0.0:50051", "10.1.2.3:1", "[::]:5"}) {
    auto config = ParseServerConfig({"--data", "d", "--listen", listen});
    ASSERT_FALSE(config.ok()) << listen;
    EXPECT_NE(config.status().message().find("without --auth"), absl::string_view::npos);
  }
  for (const char* listen : {"127.0.0.1:0", "localhost:9", "[::1]:7", "127.5.5.5:1"}) {
    EXPECT_TRUE(ParseServerConfig({"--data", "d", "--listen", listen}).ok()) << listen;
  }
}

TEST(ServerConfigTest, RejectsUnknownFlagsAndBadAddresses) {
  EXPECT_NE(ParseServerConfig({"--data", "d", "--bogus"}).status().message().find("--bogus"),
            absl::string_view::npos);
  EXPECT_FALSE(ParseServerConfig({"--data", "d", "--listen", "nowhere"}).ok());
  EXPECT_FALSE(ParseServerConfig({"--data", "d", "--listen", "127.0.0.1:99999"}).ok());
  EXPECT_FALSE(ParseServerConfig({"--data"}).ok());
}

TEST(ServerConfigTest, OpenServerServesHttpOnlyOnLoopback) {
  auto config = ParseServerConfig({"--data", "d", "--http", "0.0.0.0:8080"});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("--auth"), absl::string_view::npos);
  EXPECT_FALSE(ParseServerConfig({"--data", "d", "--http", "8080"}).ok());
  config = ParseServerConfig({"--data", "d", "--http", "127.0.0.1:0"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->http_listen, "127.0.0.1:0");
}

TEST(ServerConfigTest, AuthAllowsOtherAddressesAndTlsFlagsGoTogether) {
  EXPECT_TRUE(ParseServerConfig({"--data", "d", "--listen", "0.0.0.0:1", "--auth", "a.json"}).ok());
  auto half = ParseServerConfig({"--data", "d", "--tls-cert", "c.pem"});
  EXPECT_NE(half.status().message().find("go together"), absl::string_view::npos);
  auto client_ca = ParseServerConfig({"--data", "d", "--tls-client-ca", "ca.pem"});
  EXPECT_NE(client_ca.status().message().find("--tls-client-ca needs --tls-cert"),
            absl::string_view::npos);
  auto tls = ParseServerConfig({"--data", "d", "--tls-cert", "c.pem", "--tls-key", "k.pem",
                                "--tls-client-ca", "ca.pem"});
  ASSERT_TRUE(tls.ok()) << tls.status();
  EXPECT_EQ(tls->tls_client_ca, "ca.pem");
}

TEST(EventViewerTest, ParsesReviewStreams) {
  std::string state;
  int cycle = 0;
  ASSERT_TRUE(ParseReviewStream("review-KEN-2", &state, &cycle));
  EXPECT_EQ(state, "KEN");
  EXPECT_EQ(cycle, 2);
  EXPECT_FALSE(ParseReviewStream("notes-2017", &state, &cycle));
  EXPECT_FALSE(ParseReviewStream("review-", &state, &cycle));
  EXPECT_FALSE(ParseReviewStream("review-KEN-x", &state, &cycle));
}

}  // namespace
}  // namespace irm::services
