// End-to-end TLS (certificates made with openssl at test time) and the --auth file reload
// on SIGHUP, against the real irmd and irm.
#include <signal.h>

#include <fstream>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/auth_fixture.h"
#include "tests/http_fixture.h"
#include "tests/support/subprocess.h"

namespace irm::tests {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Runs `script` with /bin/sh in `dir`; OK if it exits 0.
absl::Status Sh(const std::string& dir, const std::string& script) {
  SubprocessOptions options;
  options.argv = {"/bin/sh", "-ec", "cd '" + dir + "'\n" + script};
  auto process = Subprocess::Start(options);
  if (!process.ok()) return process.status();
  absl::StatusOr<int> status = (*process)->Wait(absl::Seconds(60));
  if (!status.ok()) return status.status();
  if (*status != 0) {
    return absl::InternalError("sh failed: " + script + "\n" + (*process)->stderr_text());
  }
  return absl::OkStatus();
}

// A CA NAME (NAME.pem, NAME.key) and a certificate LEAF signed by it, for 127.0.0.1.
std::string MakeCa(const std::string& name) {
  return "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
         "-subj /CN=" + name + " -keyout " + name + ".key -out " + name + ".pem 2>/dev/null\n";
}
std::string MakeLeaf(const std::string& ca, const std::string& leaf) {
  return "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=" +
         leaf + " -keyout " + leaf + ".key -out " + leaf + ".csr 2>/dev/null\n"
         "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > " + leaf + ".ext\n"
         "openssl x509 -req -in " + leaf + ".csr -CA " + ca + ".pem -CAkey " + ca +
         ".key -CAcreateserial -days 1 -extfile " + leaf + ".ext -out " + leaf +
         ".pem 2>/dev/null\n";
}

class E2eTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Sh(dir_.path(), MakeCa("ca") + MakeCa("wrongca") + MakeCa("clientca") +
                                    MakeLeaf("ca", "server") + MakeLeaf("clientca", "client") +
                                    MakeLeaf("wrongca", "stranger"))
                    .ok());
  }
  std::string F(const std::string& name) { return dir_.Sub(name); }

  TempDir dir_;
};

TEST_F(E2eTlsTest, ClientsTrustingTheRightCaOnly) {
  auto irmd = IrmdProcess::Start(
      F("data"), {"--tls-cert", F("server.pem"), "--tls-key", F("server.key")});
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  const std::string address = (*irmd)->address();
  IrmResult right = RunIrm(address, {"--tls-ca", F("ca.pem"), "--json", "info"});
  EXPECT_EQ(right.exit_code, 0) << right;
  IrmResult wrong = RunIrm(address, {"--tls-ca", F("wrongca.pem"), "--json", "info"});
  EXPECT_NE(wrong.exit_code, 0) << wrong;
  EXPECT_THAT(wrong.err, StartsWith("UNAVAILABLE: ")) << wrong;
  IrmResult plain = RunIrm(address, {"--json", "info"});
  EXPECT_NE(plain.exit_code, 0) << plain;
  EXPECT_TRUE((*irmd)->Stop().ok());
}

TEST_F(E2eTlsTest, ClientCertificateRequiredWithClientCa) {
  auto irmd = IrmdProcess::Start(F("data"), {"--tls-cert", F("server.pem"), "--tls-key",
                                             F("server.key"), "--tls-client-ca", F("clientca.pem")});
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  const std::string address = (*irmd)->address();
  IrmResult none = RunIrm(address, {"--tls-ca", F("ca.pem"), "--json", "info"});
  EXPECT_NE(none.exit_code, 0) << none;
  IrmResult stranger = RunIrm(address, {"--tls-ca", F("ca.pem"), "--tls-cert", F("stranger.pem"),
                                        "--tls-key", F("stranger.key"), "--json", "info"});
  EXPECT_NE(stranger.exit_code, 0) << stranger;
  IrmResult client = RunIrm(address, {"--tls-ca", F("ca.pem"), "--tls-cert", F("client.pem"),
                                      "--tls-key", F("client.key"), "--json", "info"});
  EXPECT_EQ(client.exit_code, 0) << client;
  EXPECT_TRUE((*irmd)->Stop().ok());
}

TEST_F(E2eTlsTest, BadTlsFilesRefuseToStart) {
  auto irmd = IrmdProcess::Start(F("data"), {"--tls-cert", F("missing.pem"), "--tls-key",
                                             F("server.key")});
  ASSERT_FALSE(irmd.ok());
  EXPECT_THAT(std::string(irmd.status().message()), HasSubstr("missing.pem"));
}

TEST_F(E2eTlsTest, BadAuthFileRefusesToStart) {
  std::ofstream(F("auth.json")) << "{\"principals\":[{\"name\":\"Ana Ruiz\",\"role\":"
                                   "\"focal_point\",\"token_sha256\":\"00\"}]}";
  auto irmd = IrmdProcess::Start(F("data"), {"--auth", F("auth.json")});
  ASSERT_FALSE(irmd.ok());
  EXPECT_THAT(std::string(irmd.status().message()),
              HasSubstr("principals[0] (\"Ana Ruiz\"): field 'state' is required"));
}

// The HTTP side serves HTTPS with --http-tls-cert/--http-tls-key: a client trusting the CA
// gets answers, a plain-HTTP client gets none.
TEST_F(E2eTlsTest, HttpSideServesHttpsWithItsOwnCertificate) {
  auto irmd = IrmdProcess::Start(F("data"), {"--http", "127.0.0.1:0", "--http-tls-cert",
                                             F("server.pem"), "--http-tls-key", F("server.key")});
  ASSERT_TRUE(irmd.ok()) << irmd.status();
  const std::string http = HttpAddressOf((*irmd)->stderr_text());
  ASSERT_FALSE(http.empty()) << (*irmd)->stderr_text();
  httplib::SSLClient tls("127.0.0.1", std::stoi(http.substr(http.rfind(':') + 1)));
  tls.set_ca_cert_path(F("ca.pem").c_str());
  tls.enable_server_certificate_verification(true);
  httplib::Result health = tls.Get("/healthz");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "ok\n");
  httplib::Result reviews = tls.Get("/api/reviews");
  ASSERT_TRUE(reviews);
  EXPECT_EQ(reviews->status, 200) << reviews->body;
  httplib::SSLClient wrong("127.0.0.1", std::stoi(http.substr(http.rfind(':') + 1)));
  wrong.set_ca_cert_path(F("wrongca.pem").c_str());
  wrong.enable_server_certificate_verification(true);
  EXPECT_FALSE(wrong.Get("/healthz")) << "a client trusting another CA must not connect";
  HttpAnswer plain = HttpGet(http, "/healthz");
  EXPECT_NE(plain.status, 200) << "plain HTTP must not be answered on the HTTPS port";
  EXPECT_TRUE((*irmd)->Stop().ok());
}

TEST_F(E2eTlsTest, BadHttpsFilesRefuseToStart) {
  auto irmd = IrmdProcess::Start(F("data"), {"--http", "127.0.0.1:0", "--http-tls-cert",
                                             F("missing.pem"), "--http-tls-key", F("server.key")});
  ASSERT_FALSE(irmd.ok());
  EXPECT_THAT(std::string(irmd.status().message()), HasSubstr("--http-tls-cert"));
  EXPECT_THAT(std::string(irmd.status().message()), HasSubstr("missing.pem"));
}

// Bearer tokens never cross the network in clear text unless the operator says so.
TEST_F(E2eTlsTest, AuthOnAPublicAddressWithoutTlsRefusesToStart) {
  std::ofstream(F("auth.json")) << R"({"principals":[{"name":"Sec","role":"secretariat",)"
                                   R"("token_sha256":")" << std::string(64, 'a') << R"("}]})";
  auto refused = IrmdProcess::Start(F("data"), {"--auth", F("auth.json"), "--listen", "0.0.0.0:0"});
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("refusing to take bearer tokens in clear text on 0.0.0.0:0"));
  auto http = IrmdProcess::Start(F("data"), {"--auth", F("auth.json"), "--http", "0.0.0.0:0"});
  ASSERT_FALSE(http.ok());
  EXPECT_THAT(std::string(http.status().message()), HasSubstr("--http-tls-cert"));
  auto allowed = IrmdProcess::Start(F("data"), {"--auth", F("auth.json"), "--listen",
                                                "0.0.0.0:0", "--allow-plaintext-tokens"});
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  EXPECT_THAT((*allowed)->stderr_text(), HasSubstr("bearer tokens travel in clear text"));
  EXPECT_THAT((*allowed)->stderr_text(), HasSubstr("--listen 0.0.0.0:0"));
  EXPECT_TRUE((*allowed)->Stop().ok());
  auto tls = IrmdProcess::Start(F("data"), {"--auth", F("auth.json"), "--listen", "0.0.0.0:0",
                                            "--tls-cert", F("server.pem"), "--tls-key",
                                            F("server.key")});
  ASSERT_TRUE(tls.ok()) << tls.status();
  EXPECT_THAT((*tls)->stderr_text(), Not(HasSubstr("clear text")));
  EXPECT_TRUE((*tls)->Stop().ok());
  auto metrics = IrmdProcess::Start(F("data"), {"--metrics", "0.0.0.0:0"});
  ASSERT_FALSE(metrics.ok());
  EXPECT_THAT(std::string(metrics.status().message()), HasSubstr("--allow-remote-metrics"));
}

class E2eReloadTest : public AuthFixture {
 protected:
  // Polls `irm info` as `token` until it exits with `code` (0 or not), up to 10 s.
  bool Eventually(const std::string& token, bool ok) {
    for (int i = 0; i < 100; ++i) {
      if ((As(token, {"--json", "info"}).exit_code == 0) == ok) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }
};

TEST_F(E2eReloadTest, SighupLoadsNewTokensAndKeepsOldOnBrokenFile) {
  const std::string fresh = "tok-new-auditor-33";
  EXPECT_THAT(As(fresh, {"info"}).err, StartsWith("UNAUTHENTICATED: "));
  std::ofstream(auth_file_) << AuthFileText({Entry("New Auditor", "auditor", "", fresh)});
  ASSERT_EQ(kill(irmd_->pid(), SIGHUP), 0);
  EXPECT_TRUE(Eventually(fresh, true));
  // A file that does not parse keeps the principals in force, and irmd says why.
  std::ofstream(auth_file_) << "{\"principals\":[{\"name\":\"X\",\"role\":\"boss\"}]}";
  ASSERT_EQ(kill(irmd_->pid(), SIGHUP), 0);
  for (int i = 0; i < 100 && irmd_->stderr_text().find("not reloaded") == std::string::npos; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_THAT(irmd_->stderr_text(), HasSubstr("auth file not reloaded, keeping the old one"));
  EXPECT_THAT(irmd_->stderr_text(), HasSubstr("principals[0] ("));  // JSON log: quotes escaped
  EXPECT_THAT(irmd_->stderr_text(), HasSubstr("field 'role'"));
  EXPECT_EQ(As(fresh, {"--json", "info"}).exit_code, 0);
  EXPECT_EQ(As(kSec, {"--json", "info"}).exit_code, 0);
  // Dropping a principal takes its token away.
  std::ofstream(auth_file_) << AuthFileText();
  ASSERT_EQ(kill(irmd_->pid(), SIGHUP), 0);
  EXPECT_TRUE(Eventually(fresh, false));
  EXPECT_EQ(As(kSec, {"--json", "info"}).exit_code, 0);
}

}  // namespace
}  // namespace irm::tests
