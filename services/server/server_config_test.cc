#include "services/server/server_config.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "engine/domain/review_stream.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/server/event_viewer.h"

namespace irm::services {
namespace {

TEST(ServerConfigTest, ParsesSeparateAndInlineValues) {
  auto config = ParseServerConfig({"--data", "/tmp/d", "--listen=127.0.0.1:0"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->data_dir, "/tmp/d");
  EXPECT_EQ(config->listen, "127.0.0.1:0");
}

TEST(ServerConfigTest, TodayIsADate) {
  auto config = ParseServerConfig({"--data", "d", "--today", "2016-07-01"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->today, "2016-07-01");
  for (const char* bad : {"2016-7-1", "2016-02-30", "yesterday"}) {
    auto refused = ParseServerConfig({"--data", "d", "--today", bad});
    EXPECT_FALSE(refused.ok()) << bad;
    EXPECT_THAT(refused.status().message(), ::testing::HasSubstr("YYYY-MM-DD")) << bad;
  }
}

TEST(ServerConfigTest, ClusterFlags) {
  auto config = ParseServerConfig({"--data", "d", "--cluster-etcd",
                                   "http://127.0.0.1:2379,127.0.0.1:22379", "--node-name", "irm-1"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_THAT(config->cluster_etcd,
              ::testing::ElementsAre("http://127.0.0.1:2379", "127.0.0.1:22379"));
  EXPECT_EQ(config->node_name, "irm-1");
  EXPECT_TRUE(ParseServerConfig({"--data", "d"})->cluster_etcd.empty());  // single node

  auto no_name = ParseServerConfig({"--data", "d", "--cluster-etcd", "127.0.0.1:2379"});
  EXPECT_EQ(no_name.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(no_name.status().message()), ::testing::HasSubstr("--node-name"));
  auto stray = ParseServerConfig({"--data", "d", "--etcd-user", "irm"});
  EXPECT_THAT(std::string(stray.status().message()),
              ::testing::HasSubstr("--etcd-user is for cluster mode and needs --cluster-etcd"));
  auto bad_url = ParseServerConfig({"--data", "d", "--cluster-etcd", "etcd-1", "--node-name", "a"});
  EXPECT_THAT(std::string(bad_url.status().message()),
              ::testing::HasSubstr("'etcd-1' is not an etcd client URL"));
  auto user_alone = ParseServerConfig(
      {"--data", "d", "--cluster-etcd", "127.0.0.1:2379", "--node-name", "a", "--etcd-user", "u"});
  EXPECT_THAT(std::string(user_alone.status().message()),
              ::testing::HasSubstr("--etcd-user and --etcd-password-file go together"));
  auto big = ParseServerConfig({"--data", "d", "--cluster-etcd", "127.0.0.1:2379", "--node-name",
                                "a", "--max-event-bytes", "2000000"});
  EXPECT_THAT(std::string(big.status().message()),
              ::testing::HasSubstr("above cluster mode's cap of 1048576"));
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

TEST(ServerConfigTest, MaxEventBytesIsBoundedByWhatADefaultClientCanRead) {
  auto highest = ParseServerConfig({"--data", "d", "--max-event-bytes", "3670016"});
  ASSERT_TRUE(highest.ok()) << highest.status();
  EXPECT_EQ(highest->max_event_bytes, 3670016u);
  auto above = ParseServerConfig({"--data", "d", "--max-event-bytes", "3670017"});
  EXPECT_EQ(above.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(above.status().message(),
              ::testing::HasSubstr("--max-event-bytes 3670017 is above the maximum of 3670016"));
  EXPECT_FALSE(ParseServerConfig({"--data", "d", "--max-event-bytes", "0"}).ok());
}

// A configuration file with `text`, removed at the end of the test.
class ConfigFile {
 public:
  explicit ConfigFile(const std::string& text) {
    char name[] = "/tmp/irmd-conf-XXXXXX";
    int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    close(fd);
    path_ = name;
    std::ofstream(path_) << text;
  }
  ~ConfigFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(ServerConfigFileTest, FileSuppliesEveryFlagByItsName) {
  ConfigFile file(
      "data = /srv/irm\nlisten = 127.0.0.1:6000\nmetrics = 127.0.0.1:9464\n"
      "max-event-bytes = 2048\nlog-level = debug\n");
  auto config = ParseServerConfig({"--config", file.path()});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->data_dir, "/srv/irm");
  EXPECT_EQ(config->listen, "127.0.0.1:6000");
  EXPECT_EQ(config->metrics_listen, "127.0.0.1:9464");
  EXPECT_EQ(config->max_event_bytes, 2048u);
  EXPECT_EQ(config->log_level, "debug");
  EXPECT_EQ(config->config_file, file.path());
}

TEST(ServerConfigFileTest, FlagsWinOverTheFileWhereverTheyStand) {
  ConfigFile file("data = /srv/irm\nlisten = 127.0.0.1:6000\nlog-level = debug\n");
  auto before = ParseServerConfig({"--listen", "127.0.0.1:7000", "--config", file.path()});
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->listen, "127.0.0.1:7000");
  EXPECT_EQ(before->data_dir, "/srv/irm");
  auto after = ParseServerConfig({"--config=" + file.path(), "--log-level=error"});
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->log_level, "error");
  EXPECT_EQ(after->listen, "127.0.0.1:6000");
}

TEST(ServerConfigFileTest, UnknownKeyNamesItAndTheKnownKeys) {
  ConfigFile file("data = d\n\nlisten_address = 127.0.0.1:1\n");
  auto config = ParseServerConfig({"--config", file.path()});
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(config.status().message(),
              ::testing::HasSubstr(file.path() + ":3: unknown key 'listen_address'"));
  EXPECT_THAT(config.status().message(), ::testing::HasSubstr("known keys: "));
  for (const char* key : {"data", "listen", "auth", "metrics", "max-event-bytes", "log-level"}) {
    EXPECT_THAT(config.status().message(), ::testing::HasSubstr(key));
  }
}

TEST(ServerConfigFileTest, FileCannotAskForHelpOrAnotherFile) {
  ConfigFile help("data = d\nhelp = yes\n");
  EXPECT_THAT(ParseServerConfig({"--config", help.path()}).status().message(),
              ::testing::HasSubstr("unknown key 'help'"));
  ConfigFile nested("data = d\nconfig = /etc/other.conf\n");
  EXPECT_THAT(ParseServerConfig({"--config", nested.path()}).status().message(),
              ::testing::HasSubstr("unknown key 'config'"));
}

TEST(ServerConfigFileTest, FileValuesAreCheckedLikeFlags) {
  ConfigFile open_server("data = d\nlisten = 0.0.0.0:50051\n");
  EXPECT_THAT(ParseServerConfig({"--config", open_server.path()}).status().message(),
              ::testing::HasSubstr("without --auth"));
  ConfigFile level("data = d\nlog-level = verbose\n");
  EXPECT_THAT(ParseServerConfig({"--config", level.path()}).status().message(),
              ::testing::HasSubstr("--log-level 'verbose'"));
  EXPECT_EQ(ParseServerConfig({"--config", "/nonexistent.conf"}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(ServerConfigTest, LogLevelDefaultsToInfo) {
  auto config = ParseServerConfig({"--data", "d"});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->log_level, "info");
  EXPECT_FALSE(ParseServerConfig({"--data", "d", "--log-level", "trace"}).ok());
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
  EXPECT_TRUE(ParseServerConfig({"--data", "d", "--listen", "0.0.0.0:1", "--auth", "a.json",
                                 "--tls-cert", "c.pem", "--tls-key", "k.pem"})
                  .ok());
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

TEST(ServerConfigTest, AuthOffLoopbackNeedsTlsOrAnExplicitPlaintextFlag) {
  auto grpc = ParseServerConfig({"--data", "d", "--listen", "0.0.0.0:1", "--auth", "a.json"});
  ASSERT_FALSE(grpc.ok());
  EXPECT_EQ(grpc.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(grpc.status().message(),
              ::testing::HasSubstr("refusing to take bearer tokens in clear text on 0.0.0.0:1"));
  EXPECT_THAT(grpc.status().message(), ::testing::HasSubstr("--tls-cert and --tls-key"));
  EXPECT_THAT(grpc.status().message(), ::testing::HasSubstr("--allow-plaintext-tokens"));
  auto http = ParseServerConfig(
      {"--data", "d", "--auth", "a.json", "--http", "[::]:8080"});
  ASSERT_FALSE(http.ok());
  EXPECT_THAT(http.status().message(),
              ::testing::HasSubstr("--http-tls-cert and --http-tls-key"));
  // A name that merely starts with 127. is not loopback.
  EXPECT_FALSE(
      ParseServerConfig({"--data", "d", "--auth", "a.json", "--listen", "127.evil.example:1"}).ok());
  EXPECT_FALSE(ParseServerConfig({"--data", "d", "--listen", "127.evil.example:1"}).ok());
  auto https = ParseServerConfig({"--data", "d", "--auth", "a.json", "--http", "0.0.0.0:8443",
                                  "--http-tls-cert", "c.pem", "--http-tls-key", "k.pem"});
  ASSERT_TRUE(https.ok()) << https.status();
  EXPECT_TRUE(https->plaintext_token_listeners.empty());
  auto allowed = ParseServerConfig({"--data", "d", "--auth", "a.json", "--listen", "0.0.0.0:1",
                                    "--http", "10.0.0.5:80", "--allow-plaintext-tokens"});
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  EXPECT_THAT(allowed->plaintext_token_listeners,
              ::testing::ElementsAre("--listen 0.0.0.0:1", "--http 10.0.0.5:80"));
  // Local listeners carry tokens on this machine only: no TLS needed, no warning.
  for (const char* listen : {"127.0.0.1:1", "[::1]:1", "localhost:1", "unix:/tmp/irmd.sock"}) {
    auto local = ParseServerConfig({"--data", "d", "--auth", "a.json", "--listen", listen});
    ASSERT_TRUE(local.ok()) << listen << ": " << local.status();
    EXPECT_TRUE(local->plaintext_token_listeners.empty()) << listen;
  }
  EXPECT_TRUE(ParseServerConfig({"--data", "d", "--listen", "unix:/tmp/irmd.sock"}).ok());
  auto half = ParseServerConfig({"--data", "d", "--http", "127.0.0.1:0", "--http-tls-cert", "c"});
  EXPECT_THAT(half.status().message(), ::testing::HasSubstr("go together"));
  auto no_http = ParseServerConfig({"--data", "d", "--http-tls-cert", "c", "--http-tls-key", "k"});
  EXPECT_THAT(no_http.status().message(), ::testing::HasSubstr("need --http"));
  auto bad_bool = ParseServerConfig({"--data", "d", "--allow-plaintext-tokens=maybe"});
  EXPECT_THAT(bad_bool.status().message(), ::testing::HasSubstr("is not true or false"));
}

TEST(ServerConfigTest, MetricsOffLoopbackNeedsAnExplicitFlag) {
  auto refused = ParseServerConfig({"--data", "d", "--metrics", "0.0.0.0:9464"});
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(),
              ::testing::HasSubstr("refusing to serve metrics on 0.0.0.0:9464"));
  EXPECT_THAT(refused.status().message(), ::testing::HasSubstr("--allow-remote-metrics"));
  EXPECT_TRUE(ParseServerConfig({"--data", "d", "--metrics", "0.0.0.0:9464",
                                 "--allow-remote-metrics"})
                  .ok());
  EXPECT_TRUE(ParseServerConfig({"--data", "d", "--metrics", "127.0.0.1:0"}).ok());
  EXPECT_FALSE(ParseServerConfig({"--data", "d", "--metrics", "unix:/tmp/m"}).ok());
}

TEST(ServerConfigTest, PublicDashboardNeedsTheHttpSide) {
  auto alone = ParseServerConfig({"--data", "d", "--auth", "a.json", "--public-dashboard"});
  EXPECT_THAT(alone.status().message(), ::testing::HasSubstr("needs --http"));
  auto config = ParseServerConfig(
      {"--data", "d", "--auth", "a.json", "--http", "127.0.0.1:0", "--public-dashboard"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->public_dashboard);
}

TEST(ServerConfigTest, StreamCapsAreBounded) {
  auto defaults = ParseServerConfig({"--data", "d"});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->http_max_streams, 1000u);
  EXPECT_EQ(defaults->http_max_streams_per_client, 64u);
  auto set = ParseServerConfig(
      {"--data", "d", "--http-max-streams", "1792", "--http-max-streams-per-client", "5"});
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->http_max_streams, 1792u);
  EXPECT_EQ(set->http_max_streams_per_client, 5u);
  EXPECT_THAT(ParseServerConfig({"--data", "d", "--http-max-streams", "1793"}).status().message(),
              ::testing::HasSubstr("from 1 to 1792"));
  EXPECT_FALSE(ParseServerConfig({"--data", "d", "--http-max-streams", "0"}).ok());
  EXPECT_FALSE(ParseServerConfig({"--data", "d", "--http-max-streams-per-client", "x"}).ok());
}

TEST(ServerConfigFileTest, BooleanKeysTakeTrueOrFalse) {
  ConfigFile file("auth = a.json\nlisten = 0.0.0.0:1\nallow-plaintext-tokens = true\n");
  auto config = ParseServerConfig({"--data", "d", "--config", file.path()});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->allow_plaintext_tokens);
  auto off = ParseServerConfig(
      {"--data", "d", "--config", file.path(), "--allow-plaintext-tokens=false"});
  EXPECT_FALSE(off.ok()) << "the command line turns the file's flag off again";
}

TEST(EventViewerTest, ParsesReviewStreams) {
  std::string state;
  int cycle = 0;
  ASSERT_TRUE(domain::ParseReviewStream("review-KEN-2", &state, &cycle));
  EXPECT_EQ(state, "KEN");
  EXPECT_EQ(cycle, 2);
  EXPECT_FALSE(domain::ParseReviewStream("notes-2017", &state, &cycle));
  EXPECT_FALSE(domain::ParseReviewStream("review-", &state, &cycle));
  EXPECT_FALSE(domain::ParseReviewStream("review-KEN-x", &state, &cycle));
}

TEST(ServerConfigTest, ParsesTheCheckpointInterval) {
  auto config = ParseServerConfig({"--data", "d", "--signing-key", "k.pem"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->signing_key, "k.pem");
  EXPECT_EQ(config->checkpoint_interval, absl::Seconds(60));
  config = ParseServerConfig({"--data", "d", "--checkpoint-interval", "5m"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->checkpoint_interval, absl::Minutes(5));
  for (const char* bad : {"soon", "10ms", "-1s", "60"}) {
    auto refused = ParseServerConfig({"--data", "d", "--checkpoint-interval", bad});
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_NE(refused.status().message().find("--checkpoint-interval"), absl::string_view::npos);
  }
}

TEST(ServerConfigTest, ParsesRestoreFromAndFreeSpaceReserve) {
  auto config = ParseServerConfig({"--data", "/tmp/new", "--restore-from", "/backups/irm",
                                   "--min-free-bytes", "4096"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->restore_from, "/backups/irm");
  EXPECT_EQ(config->min_free_bytes, 4096u);
  auto defaults = ParseServerConfig({"--data", "d"});
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->restore_from.empty());
  EXPECT_EQ(defaults->min_free_bytes, 64u << 20);
  auto bad = ParseServerConfig({"--data", "d", "--min-free-bytes", "lots"});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("--min-free-bytes"), absl::string_view::npos);
}

TEST(ServerConfigTest, MaxBufferedBytesIsSharedOutAndAtLeastFourEvents) {
  auto defaults = ParseServerConfig({"--data", "d"});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->max_buffered_bytes, 256u << 20);
  const MemoryBudget budget = MemoryBudgetOf(*defaults);
  EXPECT_EQ(budget.append_bytes, 128u << 20);
  EXPECT_EQ(budget.grpc_quota_bytes, 64u << 20);
  EXPECT_EQ(budget.feed_handoff_bytes + budget.feed_ring_bytes, 64u << 20);
  EXPECT_EQ(budget.grpc_max_streams_per_connection, kMinStreamsPerConnection);

  auto big = ParseServerConfig({"--data", "d", "--max-buffered-bytes", "68719476736",
                                "--max-event-bytes", "1024"});
  ASSERT_TRUE(big.ok()) << big.status();
  EXPECT_EQ(MemoryBudgetOf(*big).grpc_max_streams_per_connection, 1 << 20);

  auto small = ParseServerConfig({"--data", "d", "--max-buffered-bytes", "3145728"});
  EXPECT_EQ(small.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(small.status().message().find("4194304"), absl::string_view::npos)
      << small.status() << ": names the least that would do";
  auto bad = ParseServerConfig({"--data", "d", "--max-buffered-bytes", "lots"});
  EXPECT_NE(bad.status().message().find("--max-buffered-bytes"), absl::string_view::npos);
}

}  // namespace
}  // namespace irm::services
