#include "services/server_config.h"

#include "gtest/gtest.h"

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

}  // namespace
}  // namespace irm::services
